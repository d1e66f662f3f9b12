"""The timeline chart: cumulative (or monthly) cost of every strategy of the estimate, month by month.

Approach chosen on measurements (Textual 8.2.8, 3 series x 36 points, median of 200 redraws = new data
+ render_lines): own braille renderer 1.35 ms at 140x40 / 0.57 ms at 60x15, textual-plot 0.10.1
9.1 / 4.4 ms, textual-plotext 1.0.1 (plotext 5.3.2) 15.6 / 5.5 ms; import on top of Textual 1.8 ms vs
45 ms (numpy, textual-hires-canvas) and 11 ms. All three are MIT; this one adds no dependency.

The layout is `costmodel.tui.chart_render` (pure, tested without an app); this widget only keeps
the Estimate, the mode and the styles, and turns the runs into Strips.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.color import Color
from textual.geometry import Region, Size
from textual.reactive import reactive
from textual.strip import Strip
from textual.widget import Widget

from costmodel.model.names import COLOUR_ROLES
from costmodel.tui.chart_render import MODES, ChartData, chart_data, chart_runs

if TYPE_CHECKING:
    from costmodel.model.engine import Estimate

__all__ = ["TimelineChart"]

_PREFIX = "timeline-chart--"


class TimelineChart(Widget, can_focus=True):
    """A braille line chart of each strategy's cumulative (or monthly) cost over the horizon.

    Call `show()` with an Estimate (and optional P10–P90 bands); `mode` switches between
    "cumulative" and "monthly". Series colours, axes and marks come from component classes
    (`timeline-chart--<strategy>` with `_` as `-`, `--axis`, `--mark`) styled in app.tcss, one
    per strategy name in names.py (and `long-context`); a band is its strategy's colour faded
    halfway into the background. Focused, ←/→ move a month cursor whose line reads out each
    strategy's cost that month and so far; `ascii` draws without braille.
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {f"{_PREFIX}{role}" for role in ("axis", "mark", *COLOUR_ROLES.values())}

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left,h", "move_cursor(-1)", "Month −", show=False),
        Binding("right,l", "move_cursor(1)", "Month +", show=False),
        Binding("shift+left,H", "move_cursor(-12)", "Year −", show=False),
        Binding("shift+right,L", "move_cursor(12)", "Year +", show=False),
        Binding("home", "jump_cursor(-1)", "First month", show=False),
        Binding("end", "jump_cursor(1)", "Last month", show=False),
    ]

    mode: reactive[str] = reactive("cumulative")
    """What is plotted: "cumulative" (months 0..horizon) or "monthly" (months 1..horizon)."""

    cursor: reactive[int | None] = reactive(None)
    """The month under the cursor (None: no cursor); set while the chart has focus."""

    ascii: reactive[bool] = reactive(False)
    """Draw with ASCII characters only (for terminals without braille)."""

    def __init__(
        self, *, name: str | None = None, id: str | None = None, classes: str | None = None, disabled: bool = False
    ) -> None:
        """Create an empty chart; it draws nothing until `show()` is called."""
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self._data: ChartData | None = None
        self._strips: list[Strip] = []
        self._strips_key: tuple[Size, str, int | None, bool] | None = None
        self._styles: dict[str, Style] = {}
        self._blank: Strip | None = None

    @property
    def data(self) -> ChartData | None:
        """Return what the chart shows (None before the first `show()`)."""
        return self._data

    def show(self, est: Estimate, bands: dict[str, tuple[Sequence[float], Sequence[float]]] | None = None) -> None:
        """Show `est` (and, optionally, P10–P90 bands of each strategy's cumulative cost in currency
        units, indexed by month like `cumulative`) and repaint; returns nothing."""
        self._data = chart_data(est, bands)
        size: Size = self.size
        key = (size, self.mode, self.cursor, self.ascii)
        if self._strips_key != key or not size.area:
            self._strips_key = None
            self.refresh()
            return
        # Same size and view: draw now and repaint only the lines that changed (Textual styles every
        # line it is asked for, even one that did not change).
        old, self._strips = self._strips, self._draw(size.width, size.height)
        if len(old) != len(self._strips):
            self.refresh()
            return
        for y, (before, after) in enumerate(zip(old, self._strips, strict=True)):
            if before != after:
                self.refresh(Region(0, y, size.width, 1))

    def on_click(self, event: events.Click) -> None:
        """A click focuses the chart and puts the month cursor where it was clicked (`c` switches the mode)."""
        self.focus()
        horizon = self._horizon()
        if horizon:
            width = max(1, self.size.width)
            self.cursor = max(0, min(horizon, round(event.x / width * horizon)))

    def _horizon(self) -> int:
        if self._data is None or not self._data.cumulative:
            return 0
        return max(len(v) for v in self._data.cumulative.values()) - 1

    def action_move_cursor(self, months: int) -> None:
        """Move the month cursor (it starts at month 1)."""
        horizon = self._horizon()
        start = 1 if self.cursor is None else self.cursor + months
        first = 0 if self.mode == "cumulative" else 1
        self.cursor = max(first, min(horizon, start))

    def action_jump_cursor(self, direction: int) -> None:
        """Move the month cursor to the first or the last month."""
        self.cursor = (0 if self.mode == "cumulative" else 1) if direction < 0 else self._horizon()

    def on_focus(self) -> None:
        if self.cursor is None:
            self.cursor = 1

    def on_blur(self) -> None:
        self.cursor = None

    def watch_cursor(self) -> None:
        self._strips_key = None
        self.refresh()

    def watch_ascii(self) -> None:
        self._strips_key = None
        self.refresh()

    def action_toggle_mode(self) -> None:
        """Switch between the cumulative and the monthly chart."""
        self.mode = "monthly" if self.mode == "cumulative" else "cumulative"

    def validate_mode(self, mode: str) -> str:
        """Return `mode` when it is one of MODES; raise ValueError otherwise."""
        if mode not in MODES:
            raise ValueError(f"unknown chart mode {mode!r}; expected one of {', '.join(MODES)}")
        return mode

    def notify_style_update(self) -> None:
        """Forget the styles and lines drawn with them when the CSS or the theme changes."""
        super().notify_style_update()
        self._styles = {}
        self._strips_key = None
        self._blank = None

    def _current_strips(self) -> list[Strip]:
        """Return the chart's lines at the current size and mode (drawn again only when something changed)."""
        size: Size = self.size
        key = (size, self.mode, self.cursor, self.ascii)
        if key != self._strips_key:
            self._strips = self._draw(size.width, size.height)
            self._strips_key = key
        return self._strips

    def render_line(self, y: int) -> Strip:
        """Return line `y` of the chart (a blank line outside it)."""
        strips = self._current_strips()
        if 0 <= y < len(strips):
            return strips[y]
        width = self.size.width
        if self._blank is None or self._blank.cell_length != width:
            # One blank line reused: the style lookup costs more than drawing an empty chart.
            self._blank = Strip.blank(width, self.rich_style)
        return self._blank

    def _draw(self, width: int, height: int) -> list[Strip]:
        if self._data is None:
            return []
        style = self._style
        return [
            Strip([Segment(text, style(role)) for text, role in runs], width)
            for runs in chart_runs(self._data, width, height, self.mode, self.cursor, self.ascii)
        ]

    def _style(self, role: str) -> Style:
        """Return the rich style of a role of the chart (its component class over the widget's style)."""
        style = self._styles.get(role)
        if style is not None:
            return style
        base = role.removesuffix("-band")
        name = _PREFIX + COLOUR_ROLES.get(base, base)  # a strategy's colour role (names.INFO), or axis/mark
        if not role:
            style = self.rich_style
        elif name in self.COMPONENT_CLASSES:
            style = self.get_component_rich_style(name)
        else:
            style = self.get_component_rich_style(f"{_PREFIX}axis")
        if role != base and style.color is not None:
            background = Color.from_rich_color(style.bgcolor) if style.bgcolor else self.background_colors[1]
            faded = background.blend(Color.from_rich_color(style.color), 0.5)
            style += Style(color=faded.rich_color)
        self._styles[role] = style
        return style
