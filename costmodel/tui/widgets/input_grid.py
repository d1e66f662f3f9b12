"""The input grid: every value of the scenario as a row (field, value, unit), grouped by section.

The grid only shows values and turns keys into requests (edit, step, toggle, reset); the
app applies them to the Document and hands the grid the new values.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, ClassVar

from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import DataTable

from costmodel.tui.fields import FieldSpec, section_title

__all__ = ["InputGrid"]

_SECTION_PREFIX = "§"
_EDIT_START_CHARS = set("0123456789.")
# Long texts (a description) are cut in the grid; the editor shows them whole.
_MAX_VALUE_WIDTH = 16
_MAX_UNIT_WIDTH = 14
# Without the unit column (narrow terminals) long field names are cut to fit.
_NARROW_LABEL = 16
_NARROW_VALUE = 10


class InputGrid(DataTable[Any]):
    """A spreadsheet-like list of inputs; the highlighted row is the one being worked on."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down,j", "move(1)", "Down", show=False),
        Binding("up,k", "move(-1)", "Up", show=False),
        Binding("right,l,plus,equals_sign", "step(1)", "Step +", show=False),
        Binding("left,h,minus", "step(-1)", "Step −", show=False),
        Binding("shift+right,L", "step(1, True)", "Step +10", show=False),
        Binding("shift+left,H,underscore", "step(-1, True)", "Step −10", show=False),
        Binding("enter,e,f2", "edit", "Edit"),
        Binding("space", "toggle", "Toggle", show=False),
        Binding("r", "reset", "Reset field"),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
    ]

    class Request(Message):
        """The person asked for something on a row: `action` is edit, step, toggle or reset."""

        def __init__(self, spec: FieldSpec, action: str, text: str = "", direction: int = 0, big: bool = False):
            super().__init__()
            self.spec = spec
            self.action = action
            self.text = text
            self.direction = direction
            self.big = big

    class Focused(Message):
        """The highlighted row changed to `spec`."""

        def __init__(self, spec: FieldSpec):
            super().__init__()
            self.spec = spec

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(cursor_type="row", zebra_stripes=False, show_cursor=True, **kwargs)
        self._specs: list[FieldSpec] = []
        self._row_of: dict[str, int] = {}
        self._shown: dict[str, str] = {}
        self.show_units = True

    def _add_columns(self) -> None:
        self.add_column("Field", key="field")
        self.add_column("Value", key="value")
        if self.show_units:
            self.add_column("Unit", key="unit")

    # --- content -----------------------------------------------------------------------

    def load(
        self, specs: Sequence[FieldSpec], text_of: Callable[[FieldSpec], str], focus_path: str | None = None
    ) -> None:
        """Fill the grid with `specs`, their values shown by `text_of`; keep (or move to) `focus_path`."""
        current = focus_path or (self.current_spec.path if self.current_spec else None)
        self._row_of = {}
        self.clear(columns=True)
        self._add_columns()
        self._specs = list(specs)
        self._row_of = {}
        self._shown = {}
        section = None
        for spec in self._specs:
            if spec.section != section:
                section = spec.section
                blanks = ("", "") if self.show_units else ("",)
                title = section_title(section)
                if not self.show_units and len(title) > _NARROW_LABEL + 2:
                    title = title[: _NARROW_LABEL + 1] + "…"
                self.add_row(Text(title, style="bold underline"), *blanks, key=_SECTION_PREFIX + section)
            shown = text_of(spec)
            self._shown[spec.path] = shown
            self._row_of[spec.path] = self.row_count
            label = (
                spec.label
                if self.show_units or len(spec.label) <= _NARROW_LABEL
                else spec.label[: _NARROW_LABEL - 1] + "…"
            )
            cells = [Text("  " + label), self._value_text(spec, shown, self.show_units)]
            if self.show_units:
                unit = spec.unit if len(spec.unit) <= _MAX_UNIT_WIDTH else spec.unit[: _MAX_UNIT_WIDTH - 1] + "…"
                cells.append(Text(unit, style="dim"))
            self.add_row(*cells, key=spec.path)
        self.focus_path(current or (self._specs[0].path if self._specs else ""))

    @staticmethod
    def _value_text(spec: FieldSpec, shown: str, wide: bool = True) -> Text:
        if shown == "unset":
            return Text(shown, style="dim italic")
        limit = _MAX_VALUE_WIDTH if wide else _NARROW_VALUE
        if len(shown) > limit:
            shown = shown[: limit - 1].replace("\n", " ") + "…"
        return Text(shown.replace("\n", " "), justify="right" if spec.numeric else "left", no_wrap=True)

    def refresh_values(self, text_of: Callable[[FieldSpec], str]) -> None:
        """Update the value cells that changed (cheap: only changed cells are touched)."""
        for spec in self._specs:
            shown = text_of(spec)
            if self._shown.get(spec.path) != shown:
                self._shown[spec.path] = shown
                self.update_cell(spec.path, "value", self._value_text(spec, shown, self.show_units))

    @property
    def current_spec(self) -> FieldSpec | None:
        """Return the row under the cursor, or None on a section heading or an empty grid."""
        if not self._specs or self.row_count == 0:
            return None
        try:
            key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value
        except Exception:
            return None
        if key is None or key.startswith(_SECTION_PREFIX):
            return None
        return next((s for s in self._specs if s.path == key), None)

    def focus_path(self, path: str) -> bool:
        """Move the cursor to the row of `path` and scroll it into view; return False when there is none."""
        row = self._row_of.get(path)
        if row is None:
            return False
        self.move_cursor(row=row, animate=False)
        return True

    # --- keys ---------------------------------------------------------------------------

    def _first_field_row(self, start: int, direction: int) -> int:
        """Return the nearest field row from `start` in `direction` (headings are skipped)."""
        rows = sorted(self._row_of.values())
        if not rows:
            return 0
        if direction > 0:
            return next((r for r in rows if r >= start), rows[-1])
        return next((r for r in reversed(rows) if r <= start), rows[0])

    def action_move(self, delta: int) -> None:
        """Move the cursor `delta` field rows, skipping section headings."""
        target = self.cursor_row + delta
        self.move_cursor(row=self._first_field_row(target, 1 if delta > 0 else -1), animate=False)

    def action_page(self, direction: int) -> None:
        """Move a page of rows, landing on a field row."""
        height = max(1, self.scrollable_content_region.height - 1)
        self.action_move(direction * height)

    def watch_cursor_coordinate(self, old: Any, new: Any) -> None:
        super().watch_cursor_coordinate(old, new)
        spec = self.current_spec
        if spec is None and self._row_of:
            # A section heading is not a place to stand: slide on to the nearest field row.
            direction = 1 if new.row >= old.row else -1
            row = self._first_field_row(new.row, direction)
            if row != new.row and 0 <= row < self.row_count:
                self.move_cursor(row=row, animate=False)
            return
        if spec is not None:
            self.post_message(self.Focused(spec))

    def _request(self, action: str, **kwargs: Any) -> None:
        spec = self.current_spec
        if spec is not None:
            self.post_message(self.Request(spec, action, **kwargs))

    def action_step(self, direction: int, big: bool = False) -> None:
        """Ask to step the value one notch (ten with shift)."""
        self._request("step", direction=direction, big=big)

    def action_edit(self) -> None:
        """Ask to edit the value, starting from its current text."""
        self._request("edit")

    def action_toggle(self) -> None:
        """Ask to flip a flag or move a choice to the next value."""
        self._request("toggle")

    def action_reset(self) -> None:
        """Ask to put the value back as it was loaded."""
        self._request("reset")

    def on_key(self, event: events.Key) -> None:
        """Start editing when a digit or a point is typed on a row, as in a spreadsheet."""
        if event.character and event.character in _EDIT_START_CHARS and self.current_spec is not None:
            event.stop()
            event.prevent_default()
            self._request("edit", text=event.character)
