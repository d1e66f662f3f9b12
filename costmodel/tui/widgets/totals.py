"""Side-by-side totals: one column per strategy of the engine's Estimate (in its order), every headline figure.

Nothing is computed here: each cell formats a figure of the Estimate. Selecting a cell
(Enter or a click) asks for its breakdown. When the rows do not fit, the table scrolls
under its fixed header and its last line says how many rows are out of sight.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, ClassVar

from rich.segment import Segment
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from costmodel.model.money import format_amount, format_per_request, format_small
from costmodel.model.names import SHORT_LABELS, STRATEGY_LABELS
from costmodel.tui.chart_render import compact_amount
from costmodel.tui.widgets.line_cache import LineCache

if TYPE_CHECKING:
    from costmodel.model.engine import Estimate, StrategyEstimate

__all__ = ["TotalsRow", "TotalsTable", "totals_rows"]

# Below this width amounts drop their currency code (the header names it once) and labels shorten.
_WIDE = 66


@dataclass(frozen=True, slots=True)
class TotalsRow:
    """One row: its label, one text per strategy, and the figure a selection explains (or None).

    `deltas` (with the Δ columns on) holds, per strategy, how the figure moved from the file as
    loaded (`—` when it did not), or is empty.
    """

    label: str
    texts: tuple[str, ...]
    figure: str | None = None
    strong: bool = False
    deltas: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class _Layout:
    """The table's columns: the label's width, each strategy's value and Δ widths (Δ 0 when off), and
    the strategies in sight (`shown` of them from index `first`; all unless the columns scroll) and the
    blank cells after each figure."""

    label: int
    columns: tuple[int, ...]
    deltas: tuple[int, ...]
    first: int
    shown: int
    pad: int = 1  # blank cells after each figure (0 when that lets every strategy fit)


def strategy_label(name: str, wide: bool = True) -> str:
    """Return how a column names a strategy (names.py's labels; an unknown name as it is)."""
    label = STRATEGY_LABELS.get(name, name)
    return label if wide else SHORT_LABELS.get(name, label)


def _days_hours(days: float, hours: float, wide: bool) -> str:
    def short(x: float) -> str:
        text = f"{x:,.1f}".rstrip("0").rstrip(".")
        return text if text not in ("", "-0") else "0"

    return f"{short(days)} d · {short(hours)} h" if wide else f"{short(days)}d {short(hours)}h"


def _interval(p: dict[str, float], money: bool) -> str:
    """Return P10–P90 compactly (`87.6k–201k`), or the one value when the figure is certain."""
    if money:
        low, high = compact_amount(p["p10"]), compact_amount(p["p90"])
    else:
        low, high = format_small(p["p10"]), format_small(p["p90"])
    return low if low == high else f"{low}–{high}"


# Figures of the totals that a diff (costmodel.analysis.diffs) covers: the row's figure -> the diff's name.
_DIFF_FIGURES = {"upfront": "upfront", "per_update": "per_update", "per_request": "per_request"}
_DIFF_FIGURES.update({"month:1": "monthly", "total": "total"})


def _signed(delta: float, percent: float | None, small: bool) -> str:
    """Return a change as `+1,200 (+4.8%)` (no currency: the header names it), or `=` when nothing moved."""
    if delta == 0:
        return "="
    amount = format_small(abs(delta)) if small else format_amount(abs(delta))
    if amount == "0":
        amount = "<1"
    share = f" ({percent:+.0f}%)" if percent is not None and abs(percent) >= 0.5 else ""
    return f"{'+' if delta > 0 else '-'}{amount}{share}"


UNCHANGED = "—"  # a Δ cell whose figure did not move


def _figure_value(s: StrategyEstimate, figure: str) -> float | tuple[float, float] | None:
    """Return the number a row shows for one strategy (engineer-days and expert-hours for an effort
    row), or None when the strategy has none (no requests served, a month past its horizon)."""
    if figure.startswith("month:"):
        month = int(figure.split(":", 1)[1])
        return s.monthly_cost[month] if month < len(s.monthly_cost) else None
    if figure.startswith("effort:"):
        when = figure.split(":", 1)[1]
        effort = s.effort
        return getattr(effort, f"{when}_engineer_days"), getattr(effort, f"{when}_expert_hours")
    if figure == "per_1k":
        return s.cost_per_1k_requests
    return float(getattr(s, figure))


def _short_number(x: float) -> str:
    text = f"{x:,.1f}".rstrip("0").rstrip(".")
    return text if text not in ("", "-0") else "0"


def _delta_text(
    now: float | tuple[float, float] | None,
    then: float | tuple[float, float] | None,
    amount: Any,
    wide: bool,
) -> str:
    """Return a Δ cell: the change from `then` to `now` signed and formatted by `amount` (the row's
    own formatter of a positive amount), `—` when nothing moved, "" when one side has no figure."""
    if now is None or then is None:
        return UNCHANGED if now is None and then is None else ""
    if isinstance(now, tuple) and isinstance(then, tuple):
        days, hours = now[0] - then[0], now[1] - then[1]
        if _short_number(days) == "0" and _short_number(hours) == "0":
            return UNCHANGED

        def signed(x: float) -> str:
            text = _short_number(abs(x))
            return text if text == "0" else f"{'+' if x > 0 else '-'}{text}"

        return f"{signed(days)} d · {signed(hours)} h" if wide else f"{signed(days)}d {signed(hours)}h"
    assert isinstance(now, float | int) and isinstance(then, float | int)
    change = now - then
    if change == 0:
        return UNCHANGED
    shown = amount(abs(change))
    return f"{'+' if change > 0 else '-'}{shown}"


def totals_rows(
    est: Estimate,
    wide: bool,
    uncertainty: dict[str, Any] | None = None,
    diff: Any = None,
    other: str | None = None,
    baseline: Estimate | None = None,
) -> list[TotalsRow]:
    """Return the rows of the totals table for `est`; `wide` puts the currency code on every amount
    and spells labels out (narrow terminals get short labels).

    `baseline` (the estimate of the file as loaded) gives every row with a figure its Δ cells:
    per strategy, the figure now less the figure then, signed, formatted as the row's figures
    (`+USD 1,200`, `+0.00031`, `+1.5 d · 0 h`), `—` when it did not move and `new` for a strategy
    the file had not.

    `uncertainty` (Monte Carlo's JSON object) adds P10–P90 rows under total, upfront and per request.
    With `other` (the name of a second scenario) and `diff` (a
    `costmodel.analysis.diffs.DiffResult` from this scenario to it), upfront, per update, per
    request, month 1 and total each get a row of the other scenario's figures and a `Δ` row
    from this one to it, as `costmodel diff` gives.
    """
    cur = est.currency
    h = est.horizon_months
    names = list(est.strategies)
    s: list[StrategyEstimate] = list(est.strategies.values())

    def money(x: float) -> str:
        return f"{cur} {format_amount(x)}" if wide else format_amount(x)

    def small(x: float | None) -> str:
        if x is None:
            return "-"
        return format_per_request(x, cur) if wide else format_small(x)

    def three(fn: Any) -> tuple[str, ...]:
        return tuple(fn(x) for x in s)

    def band(figure: str, is_money: bool) -> TotalsRow | None:
        if uncertainty is None:
            return None
        by_strategy = uncertainty["strategies"]
        texts = tuple(_interval(by_strategy[n][figure], is_money) if n in by_strategy else "" for n in names)
        return TotalsRow("  P10–P90", texts)

    def delta_rows(figure: str) -> list[TotalsRow]:
        name = _DIFF_FIGURES.get(figure)
        if diff is None or other is None or name is None:
            return []
        changes = [getattr(diff.strategies[n], name) if n in diff.strategies else None for n in names]
        small_figure = figure == "per_request"
        shown = tuple("" if c is None else (small(c.new) if small_figure else money(c.new)) for c in changes)
        texts = tuple("" if c is None else _signed(c.delta, c.percent, small_figure) for c in changes)
        return [TotalsRow(f"  {other}", shown), TotalsRow("  Δ", texts)]

    rows: list[TotalsRow | None] = [
        TotalsRow("Upfront", three(lambda x: money(x.upfront)), "upfront"),
        band("upfront", True),
        TotalsRow("Per update", three(lambda x: money(x.per_update)), "per_update"),
        TotalsRow("Per request", three(lambda x: small(x.per_request)), "per_request"),
        # Narrow: a per-request interval (`0.00935–0.0108`) would push a column out of sight.
        band("per_request", False) if wide else None,
        TotalsRow(
            "Per 1k requests (all-in)" if wide else "Per 1k all-in",
            three(lambda x: small(x.cost_per_1k_requests)),
            "per_1k",
        ),
        TotalsRow("Monthly fixed" if wide else "Fixed/mo", three(lambda x: money(x.monthly_fixed)), "monthly_fixed"),
        TotalsRow("Month 1", three(lambda x: money(x.monthly_cost[1])), "month:1"),
        TotalsRow(f"Month {h}", three(lambda x: money(x.monthly_cost[h])), f"month:{h}"),
        TotalsRow(f"Total {h} mo", three(lambda x: money(x.total)), "total", strong=True),
        band("total", True),
    ]
    if uncertainty is not None:
        p = uncertainty["p_cheapest"]
        rows.append(TotalsRow("P(cheapest)", tuple(f"{100 * p.get(n, 0.0):.0f} %" for n in names)))
    rows += [
        TotalsRow(
            "Effort upfront" if wide else "Effort up",
            three(lambda x: _days_hours(x.effort.upfront_engineer_days, x.effort.upfront_expert_hours, wide)),
            "effort:upfront",
        ),
        TotalsRow(
            "Effort/update" if wide else "Effort/upd",
            three(lambda x: _days_hours(x.effort.per_update_engineer_days, x.effort.per_update_expert_hours, wide)),
            "effort:per_update",
        ),
        TotalsRow(
            "Effort/month" if wide else "Effort/mo",
            three(lambda x: _days_hours(x.effort.monthly_engineer_days, x.effort.monthly_expert_hours, wide)),
            "effort:monthly",
        ),
    ]
    small_figures = {"per_request", "per_1k"}

    def with_deltas(row: TotalsRow) -> TotalsRow:
        assert baseline is not None
        if row.figure is None:
            return replace(row, deltas=("",) * len(names))
        # A money change under one unit would read `+0`: it keeps its decimals.
        amount = small if row.figure in small_figures else (lambda x: money(x) if round(x) else small(x))
        deltas = []
        for name, now in zip(names, s, strict=True):
            then = baseline.strategies.get(name)
            if then is None:
                deltas.append("new")
                continue
            figure = row.figure
            deltas.append(_delta_text(_figure_value(now, figure), _figure_value(then, figure), amount, wide))
        return replace(row, deltas=tuple(deltas))

    out: list[TotalsRow] = []
    for row in rows:
        if row is None:
            continue
        out.append(with_deltas(row) if baseline is not None else row)
        if row.figure is not None:
            out.extend(delta_rows(row.figure))
    return out


class TotalsTable(ScrollView, can_focus=True):
    """The strategies side by side; the cheapest column is marked ★ and coloured.

    Drawn with the line API, each line cached by its content: a DataTable re-rendered every
    cell on each change (~4.5 ms per slider step), this redraws only the lines that changed.
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "totals--header",
        "totals--label",
        "totals--strong",
        "totals--cheapest",
        "totals--cursor",
        "totals--hint",
        "totals--warning",
        "totals--unavailable",
    }

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "explain", "Breakdown", show=False),
        Binding("up,k", "move(-1, 0)", "Up", show=False),
        Binding("down,j", "move(1, 0)", "Down", show=False),
        Binding("left,h", "move(0, -1)", "Left", show=False),
        Binding("right,l", "move(0, 1)", "Right", show=False),
        Binding("pagedown", "move(5, 0)", "Page down", show=False),
        Binding("pageup", "move(-5, 0)", "Page up", show=False),
    ]

    class Selected(Message):
        """The selected cell changed (the formula bar shows its formula)."""

        def __init__(self, strategy: str, figure: str | None, label: str):
            super().__init__()
            self.strategy = strategy
            self.figure = figure
            self.label = label

    class Explain(Message):
        """The person asked what makes up `figure` of `strategy`."""

        def __init__(self, strategy: str, figure: str, label: str):
            super().__init__()
            self.strategy = strategy
            self.figure = figure
            self.label = label

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._rows: list[TotalsRow] = []
        self._cheapest = ""
        self._currency = ""
        self._wide = True
        self._cursor = (0, 0)
        self._first = 0  # the first strategy in sight (the columns scroll when they do not all fit)
        self._lines = LineCache(2000)
        self._est: Estimate | None = None
        self._uncertainty: dict[str, Any] | None = None
        self._names: tuple[str, ...] = ()
        self._diff: Any = None
        self._other: str | None = None
        self._baseline: Estimate | None = None
        self._flagged: frozenset[str] = frozenset()  # strategies a warning is about: ⚠ in their header
        self._unavailable: frozenset[str] = frozenset()  # strategies not available: ✗, dimmed, never ★
        # The column widths for the current rows and width; part of every line's cache key, since a
        # longer figure in one row widens its column in every row.
        self._layout: _Layout = self._widths(0)

    def show(
        self,
        est: Estimate,
        uncertainty: dict[str, Any] | None = None,
        flagged: frozenset[str] = frozenset(),
        diff: Any = None,
        other: str | None = None,
        baseline: Estimate | None = None,
    ) -> None:
        """Show `est` (and P10–P90 rows when `uncertainty` is given; ⚠ on the `flagged` strategies' headers;
        Δ rows from `diff`, with `other`'s figures when it names a second scenario; with `baseline`,
        the estimate of the file as loaded, a Δ column beside each strategy's figures).

        Only the lines that changed are drawn again.
        """
        self._est, self._uncertainty, self._flagged = est, uncertainty, flagged
        self._diff, self._other, self._baseline = diff, other, baseline
        width = self.scrollable_content_region.width or self.size.width
        wide = width >= _WIDE or width == 0
        before = (list(self._rows), self._layout, self._header_key(width))
        self._cheapest, self._currency, self._names = est.cheapest, est.currency, tuple(est.strategies)
        self._unavailable = frozenset(n for n, s in est.strategies.items() if not s.available)
        if est.cheapest in self._unavailable:
            self._cheapest = ""  # none is available: no column is recommended
        self._rows, self._wide = totals_rows(est, wide, uncertainty, diff, other, baseline), wide
        self._layout = self._widths(width)
        if wide and not self._fits(width):
            # Spelled-out labels and currency codes do not fit: the short forms, never a cut label.
            self._rows, self._wide = totals_rows(est, False, uncertainty, diff, other, baseline), False
            self._layout = self._widths(width)
        rows = self._rows
        row, column = self._cursor
        self._cursor = (min(row, len(rows) - 1), min(column, len(self._names) - 1))
        self._layout = self._scrolled(width, self._layout)
        old_rows, old_layout, old_header = before
        if len(rows) != len(old_rows):
            self.virtual_size = Size(self.size.width, len(rows) + 1)
            self.refresh(layout=True)
        elif old_layout != self._layout or not self.size.height:
            self.refresh()
        else:
            # Only the lines whose text changed (Textual styles every line it is asked for, even a cached one).
            top = int(self.scroll_offset.y)
            if old_header != self._header_key(width):
                self.refresh(Region(0, 0, self.size.width, 1))
            for index, (old, new) in enumerate(zip(old_rows, rows, strict=True)):
                y = index - top + 1
                if old != new and 1 <= y < self.size.height:
                    self.refresh(Region(0, y, self.size.width, 1))

    @property
    def cursor(self) -> tuple[int, int]:
        """Return the selected (row, strategy index)."""
        return self._cursor

    @property
    def rows(self) -> list[TotalsRow]:
        """Return the rows shown, top to bottom (under the header)."""
        return list(self._rows)

    @property
    def strategies(self) -> tuple[str, ...]:
        """Return the strategies of the columns, left to right."""
        return self._names

    @property
    def hidden_rows(self) -> int:
        """Return how many rows are out of sight (the last line then says so)."""
        height = self.scrollable_content_region.height or self.size.height
        return max(0, len(self._rows) + 1 - height) if height else 0

    @property
    def shown_strategies(self) -> tuple[str, ...]:
        """Return the strategies whose columns are in sight (all of them unless the columns scroll)."""
        layout = self._layout
        return self._names[layout.first : layout.first + layout.shown]

    def select(self, row: int, strategy: str) -> None:
        """Select the cell of `strategy` in row `row` (the strategies scroll to bring it in sight)."""
        self._cursor = (max(0, min(len(self._rows) - 1, row)), self._names.index(strategy))
        width = self.scrollable_content_region.width or self.size.width
        self._layout = self._scrolled(width, self._widths(width))
        self._cursor_moved()

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._rows) + 1

    def on_resize(self) -> None:
        self._lines.clear()
        self.virtual_size = Size(self.size.width, len(self._rows) + 1)
        self._layout = self._scrolled(self.size.width, self._widths(self.size.width))
        if self._est is not None:  # the currency codes and the labels' forms come and go with the width
            self.show(self._est, self._uncertainty, self._flagged, self._diff, self._other, self._baseline)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._lines.clear()

    def _fits(self, width: int) -> bool:
        """Return True when the labels and every column fit in `width` cells uncut."""
        label = max((len(r.label) for r in self._rows), default=8) + 1
        layout = self._layout
        return label + sum(layout.columns) + sum(layout.deltas) <= width

    def _widths(self, width: int) -> _Layout:
        """Return the label column's width and each strategy column's width (cells), all columns in sight."""
        label = max((len(r.label) for r in self._rows), default=8) + 1
        columns = tuple(
            max([len(r.texts[i]) for r in self._rows] + [len(self._header_text(n))]) + 2
            for i, n in enumerate(self._names)
        )
        with_deltas = any(r.deltas for r in self._rows)
        deltas = tuple(
            max([len(r.deltas[i]) for r in self._rows if r.deltas] + [1]) + 1 if with_deltas else 0
            for i in range(len(self._names))
        )
        spare = width - label - sum(columns) - sum(deltas)
        if spare > 0 and columns and width >= 100:
            # Wide terminals: the columns share the room (a wide table reads better than a gap).
            extra = min(spare // len(columns), 12)
            columns = tuple(c + extra for c in columns)
        return _Layout(label, columns, deltas, 0, len(columns))

    def _scrolled(self, width: int, layout: _Layout) -> _Layout:
        """Return `layout` (all columns, from `_widths`) with the strategies in sight: every one when
        they fit (with one blank cell between figures if need be), else those that fit from the first
        one kept in sight, moved so that the selected strategy is among them (Δ columns need room)."""
        count = len(layout.columns)
        if not count or not width:
            return _Layout(layout.label, layout.columns, layout.deltas, 0, count)
        groups = [c + d for c, d in zip(layout.columns, layout.deltas, strict=True)]
        if layout.label + sum(groups) <= width:
            self._first = 0
            return _Layout(layout.label, layout.columns, layout.deltas, 0, count)
        if layout.pad and layout.label + sum(groups) - count <= width:
            # One blank cell between figures instead of two, and every strategy stays in sight.
            self._first = 0
            return _Layout(layout.label, tuple(c - 1 for c in layout.columns), layout.deltas, 0, count, 0)
        # The columns scroll rather than cut a label; only when not even one strategy fits beside
        # the labels do they give up cells.
        label = layout.label if layout.label + max(groups) <= width else max(6, width - max(groups))

        def fitting(first: int) -> int:
            room, shown = width - label, 0
            for group in groups[first:]:
                if group > room and shown:
                    break
                room -= group
                shown += 1
            return shown

        cursor = min(self._cursor[1], count - 1)
        first = min(self._first, cursor, count - 1)
        while cursor >= first + fitting(first):
            first += 1
        self._first = first
        return _Layout(label, layout.columns, layout.deltas, first, fitting(first))

    def _header_text(self, name: str) -> str:
        label = strategy_label(name, self._wide)
        if name in self._unavailable:
            return f"✗ {label}"
        if name in self._flagged:
            label = f"⚠ {label}"
        return f"★ {label}" if name == self._cheapest else label

    def _header_key(self, width: int) -> tuple[Any, ...]:
        return (
            "header",
            self._cheapest,
            self._wide,
            self._currency,
            width,
            self._layout,
            self._names,
            self._flagged,
            self._unavailable,
        )

    def _columns_hint(self) -> str:
        """Return the header's note of strategies out of sight (`▶2 more →`, `◀1 ▶1 ←→`), or ""."""
        layout = self._layout
        left, right = layout.first, len(layout.columns) - layout.first - layout.shown
        if left and right:
            return f"◀{left} ▶{right} ←→"
        if right:
            return f"▶{right} more →"
        return f"◀{left} more ←" if left else ""

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width or self.size.width
        height = self.scrollable_content_region.height or self.size.height
        if y == 0:
            return self._lines.get(self._header_key(width), lambda: self._draw_header(width))
        top = int(self.scroll_offset.y)
        index = y - 1 + top
        below = len(self._rows) - index - 1
        if y == height - 1 and below > 0:
            text = f"▼ {below + 1} more rows: ↓ or scroll" if width >= 30 else f"▼ {below + 1} more"
            return self._lines.get(("hint", text, width), lambda: self._draw_hint(text, width))
        if not 0 <= index < len(self._rows):
            return self._lines.get(("blank", width), lambda: Strip.blank(width, self.rich_style))
        row = self._rows[index]
        cursor_column = self._cursor[1] if index == self._cursor[0] and self.has_focus else -1
        key = (index, row, self._cheapest, self._unavailable, cursor_column, width, self._layout)
        return self._lines.get(key, lambda: self._draw_row(row, cursor_column, width))

    def _draw_hint(self, text: str, width: int) -> Strip:
        style = self.rich_style + self.get_component_rich_style("totals--hint")
        return Strip([Segment(text.rjust(width)[:width], style)], width)

    def _in_sight(self) -> list[tuple[int, str, int, int]]:
        """Return (index, strategy, value width, Δ width) of each strategy column in sight, left to right."""
        layout = self._layout
        end = layout.first + layout.shown
        return [(i, self._names[i], layout.columns[i], layout.deltas[i]) for i in range(layout.first, end)]

    def _draw_header(self, width: int) -> Strip:
        label_w = self._layout.label
        header = self.rich_style + self.get_component_rich_style("totals--header")
        cheapest = header + self.get_component_rich_style("totals--cheapest")
        hint = self._columns_hint()
        first = " ".join(part for part in ("" if self._wide else self._currency, hint) if part)
        first_style = header + self.get_component_rich_style("totals--hint") if hint else header
        segments = [Segment(first.ljust(label_w)[:label_w], first_style)]
        warning = header + self.get_component_rich_style("totals--warning")
        unavailable = header + self.get_component_rich_style("totals--unavailable")
        for _, name, column, delta in self._in_sight():
            pad = self._layout.pad
            text = self._header_text(name).rjust(column - pad) + " " * pad
            style = (
                unavailable
                if name in self._unavailable
                else cheapest
                if name == self._cheapest
                else warning
                if name in self._flagged
                else header
            )
            segments.append(Segment(text, style))
            if delta:
                segments.append(Segment("Δ".rjust(delta - 1) + " ", header))
        return Strip(segments).adjust_cell_length(width, header).crop(0, width)

    def _draw_row(self, row: TotalsRow, cursor_column: int, width: int) -> Strip:
        label_w = self._layout.label
        base = self.rich_style
        strong = base + self.get_component_rich_style("totals--strong")
        muted = base + self.get_component_rich_style("totals--label")
        label_style = strong if row.strong else muted
        segments = [Segment(row.label.ljust(label_w)[:label_w], label_style)]
        for i, name, column, delta in self._in_sight():
            style = strong if row.strong else base
            if row.strong and name == self._cheapest:
                style = base + self.get_component_rich_style("totals--cheapest")
            if name in self._unavailable:
                style = style + self.get_component_rich_style("totals--unavailable")
            if i == cursor_column:
                style = style + self.get_component_rich_style("totals--cursor")
            pad = self._layout.pad
            segments.append(Segment(" " + row.texts[i].rjust(column - 1 - pad) + " " * pad, style))
            if delta:
                text = row.deltas[i] if row.deltas else ""
                segments.append(Segment(text.rjust(delta - 1) + " ", muted))
        return Strip(segments).adjust_cell_length(width, base).crop(0, width)

    def action_move(self, rows: int, columns: int) -> None:
        """Move the selected cell."""
        row, column = self._cursor
        last = max(0, len(self._names) - 1)
        self._cursor = (max(0, min(len(self._rows) - 1, row + rows)), max(0, min(last, column + columns)))
        if columns:  # the columns scroll to keep the selected strategy in sight
            width = self.scrollable_content_region.width or self.size.width
            self._layout = self._scrolled(width, self._widths(width))
        self._cursor_moved()

    def _cursor_moved(self) -> None:
        """Scroll the selected row into view (above the hint line) and say which cell is selected."""
        row, column = self._cursor
        shown = self.size.height - 1  # under the header
        if shown > 0:
            top = int(self.scroll_offset.y)
            room = shown - 1 if len(self._rows) > shown else shown  # the hint takes the last line
            if row < top:
                self.scroll_to(y=row, animate=False, immediate=True)
            elif row >= top + room:
                self.scroll_to(y=min(row - room + 1, len(self._rows) - room), animate=False, immediate=True)
        self.refresh()
        if 0 <= row < len(self._rows) and self._names:
            entry = self._rows[row]
            self.post_message(self.Selected(self._names[column], entry.figure, entry.label))

    @property
    def selected(self) -> tuple[str, str | None, str] | None:
        """Return the selected cell's (strategy, figure, row label), or None before anything is shown."""
        row, column = self._cursor
        if not (0 <= row < len(self._rows) and self._names):
            return None
        entry = self._rows[row]
        return self._names[column], entry.figure, entry.label

    def action_explain(self) -> None:
        """Ask for the breakdown of the selected figure."""
        selected = self.selected
        if selected is not None and selected[1] is not None:
            self.post_message(self.Explain(*selected))  # type: ignore[arg-type]

    def on_click(self, event: events.Click) -> None:
        """A click on an amount selects it and explains it."""
        index = event.y - 1 + int(self.scroll_offset.y)
        if not 0 <= index < len(self._rows):
            return
        x = event.x - self._layout.label
        if x < 0:
            return
        for i, _, column, delta in self._in_sight():
            if x < column + delta:
                self._cursor = (index, i)
                self.focus()
                self._cursor_moved()
                self.action_explain()
                return
            x -= column + delta

    def on_focus(self) -> None:
        self._cursor_moved()

    def on_blur(self) -> None:
        self.refresh()
