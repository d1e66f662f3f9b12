"""The input grid: every value of the scenario as a row (field, value, unit), grouped by section.

The grid only shows values and turns keys and clicks into requests (edit, step, toggle,
reset); the app applies them to the Document and hands the grid the new texts.

It draws its own lines (Textual's line API) rather than using a DataTable: a DataTable
re-renders every visible cell when one cell changes, which cost ~13 ms per slider step;
here a step re-renders the one line that changed (each line is cached by its content).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from costmodel.tui.fields import FieldSpec, section_title
from costmodel.tui.widgets.line_cache import LineCache

__all__ = ["InputGrid"]

_EDIT_START_CHARS = set("0123456789.-")
# The value column widens to its longest value up to this share of the grid's width; a longer
# value is shortened (the formula bar above shows it whole). Free texts (a description) never widen it.
_VALUE_SHARE = 0.5
_MIN_VALUE_WIDTH = 10
_MAX_UNIT_WIDTH = 14
_MIN_LABEL_WIDTH = 12


@dataclass(frozen=True, slots=True)
class _Row:
    """A section heading (spec None) or a field row."""

    title: str
    spec: FieldSpec | None = None
    section: str = ""
    folded: bool = False


def _section_rank(section: str) -> int:
    """Return where a section goes: inputs first, then prices of models, then GPUs."""
    if section.startswith("models."):
        return 1
    if section.startswith("gpus."):
        return 2
    return 0


def _fit(text: str, width: int, right: bool = False) -> str:
    """Return `text` cut (with an ellipsis) or padded to exactly `width` cells."""
    text = text.replace("\n", " ")
    if width <= 0:
        return ""
    if len(text) > width:
        return text[: max(0, width - 1)] + "…"
    return text.rjust(width) if right else text.ljust(width)


def fit_value(text: str, width: int, kind: str, right: bool = False) -> str:
    """Return a value shortened to `width` cells so that it stays unambiguous.

    A range drops words before digits (`10 .. 40,000 (median 632)` → `10..40,000 ~632`); a model
    name is cut in the middle, keeping its distinctive end (`gpt-4.1-mini` → `gpt…1-mini`);
    other text is cut at the end.
    """
    text = text.replace("\n", " ")
    if len(text) <= width:
        return _fit(text, width, right)
    if " (median " in text:
        body, median = text[:-1].split(" (median ", 1)
        tight = body.replace(" .. ", "..")
        small, small_median = _compact_numbers(tight), _compact_numbers(median)
        for candidate in (f"{body} ~{median}", f"{tight} ~{median}", f"{small} ~{small_median}", tight, small):
            if len(candidate) <= width:
                return _fit(candidate, width, right)
        text = small
    if kind == "model" and width >= 5:
        tail = (width - 1) * 2 // 3
        return text[: width - 1 - tail] + "…" + text[len(text) - tail :]
    return _fit(text, width, right)


_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")


def _compact_numbers(text: str) -> str:
    """Return `text` with its numbers of 1,000 and over written compactly (`126,491.11` → `126.5k`)."""

    def compact(match: re.Match[str]) -> str:
        value = float(match.group(0).replace(",", ""))
        for size, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
            if value >= size:
                scaled = value / size
                text = f"{scaled:.0f}" if scaled >= 100 else f"{scaled:.1f}".removesuffix(".0")
                return text + suffix
        return match.group(0)

    return _NUMBER.sub(compact, text)


class InputGrid(ScrollView, can_focus=True):
    """A spreadsheet-like list of inputs; the highlighted row is the one being worked on."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "input-grid--heading",
        "input-grid--header",
        "input-grid--cursor",
        "input-grid--unit",
        "input-grid--unset",
        "input-grid--edited",
    }

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down,j", "move(1)", "Down", show=False),
        Binding("up,k", "move(-1)", "Up", show=False),
        Binding("right,l,plus,equals_sign", "step(1)", "Step +", show=False),
        # `-` is not a step key: typed first, it starts a negative number (stepping down stays on ←).
        Binding("left,h", "step(-1)", "Step −", show=False),
        # On a range, shift+→/← widen and narrow it (the app decides); on a point, ten steps.
        Binding("shift+right,L", "step(1, True)", "Step +10", show=False),
        Binding("shift+left,H,underscore", "step(-1, True)", "Step −10", show=False),
        Binding("enter,e", "edit", "Edit", show=False),
        Binding("space", "toggle", "Toggle", show=False),
        Binding("r", "reset", "Reset field", show=False),
        Binding("z", "fold", "Fold", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("home", "jump(-1)", "First row", show=False),
        Binding("end", "jump(1)", "Last row", show=False),
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
        super().__init__(**kwargs)
        self._rows: list[_Row] = []
        self._source: Sequence[FieldSpec] = ()
        self._row_of: dict[str, int] = {}
        self._shown: dict[str, str] = {}
        self._cursor = 0
        self._announced: str | None = None
        self._edited: set[str] = set()
        self._different: set[str] = set()
        self._lines = LineCache()
        self._stops: list[int] = []  # rows the cursor can rest on: fields and folded headings
        self._folded: set[str] = set()
        self._unfolded: set[str] = set()  # sections folded by default that the person opened
        self._hidden: frozenset[str] = frozenset()
        self._only: frozenset[str] | None = None
        self._text_of: Callable[[FieldSpec], str] | None = None
        self._widest = 0  # the longest value shown (free texts aside): the value column's wish
        self._widths_of: tuple[tuple[int, bool, int], tuple[int, int, int]] | None = None
        self.show_units = True
        self.capturing = False  # from the start of an edit until the app ends it: typed keys are text
        # Edit requests posted and not yet handled: keys the grid took before the editor had focus.
        self.pending_edits = 0

    # --- content -----------------------------------------------------------------------

    @property
    def source(self) -> Sequence[FieldSpec]:
        """Return the sequence of rows last given to `load` (compare it by identity to know whether to load again)."""
        return self._source

    def load(
        self,
        specs: Sequence[FieldSpec],
        text_of: Callable[[FieldSpec], str],
        focus_path: str | None = None,
        hidden: frozenset[str] | None = None,
    ) -> None:
        """Fill the grid with `specs`, their values shown by `text_of`; keep (or move to) `focus_path`.

        Sections are ordered inputs first, then model prices (folded until opened), then GPUs;
        `hidden` sections (models no strategy uses) are left out; a filter (`show_only`) keeps
        only the fields it names.
        """
        self._source = specs
        self._text_of = text_of
        if hidden is not None:
            self._hidden = hidden
        current = focus_path or (self.current_spec.path if self.current_spec else None)
        if current is None and 0 <= self._cursor < len(self._rows):
            current = "§" + self._rows[self._cursor].section
        self._rows = []
        self._row_of = {}
        self._shown = {}
        self._stops = []
        order = sorted(range(len(specs)), key=lambda i: _section_rank(specs[i].section))
        section = None
        for spec in (specs[i] for i in order):
            if spec.section in self._hidden or (self._only is not None and spec.path not in self._only):
                continue
            if spec.section != section:
                section = spec.section
                folded = self.is_folded(section) and self._only is None
                if folded:
                    self._stops.append(len(self._rows))
                self._rows.append(_Row(section_title(section), None, section, folded))
            if self._rows[-1].folded:
                continue
            self._row_of[spec.path] = len(self._rows)
            self._stops.append(len(self._rows))
            self._rows.append(_Row(spec.label, spec, section))
            self._shown[spec.path] = text_of(spec)
        self._widest = self._longest()
        self._lines.clear()
        self.virtual_size = Size(self.size.width, len(self._rows) + 1)
        self._announced = None
        if not (current and self._focus_key(current)):
            self._set_cursor(self._stops[0] if self._stops else 0)
        self.refresh()

    def _focus_key(self, key: str) -> bool:
        """Move to a field path, or to a section's heading for `§section`."""
        if key.startswith("§"):
            section = key[1:]
            row = next((i for i, r in enumerate(self._rows) if r.section == section), None)
            if row is None:
                return False
            self._set_cursor(self._nearest_field(row, 1))
            return True
        return self.focus_path(key)

    def is_folded(self, section: str) -> bool:
        """Return True when `section` is folded (model and GPU prices start folded)."""
        default = section.startswith(("models.", "gpus."))
        return section in self._folded or (default and section not in self._unfolded)

    def toggle_fold(self, section: str | None = None) -> None:
        """Fold or unfold a section (the highlighted row's by default); the cursor stays in it."""
        if section is None:
            if not 0 <= self._cursor < len(self._rows):
                return
            section = self._rows[self._cursor].section
        if self.is_folded(section):
            self._folded.discard(section)
            self._unfolded.add(section)
        else:
            self._unfolded.discard(section)
            self._folded.add(section)
        if self._text_of is not None:
            self.load(self._source, self._text_of, "§" + section)

    def show_only(self, paths: set[str] | None) -> None:
        """Show only the fields at `paths` (None: every field again)."""
        self._only = frozenset(paths) if paths is not None else None
        if self._text_of is not None:
            self.load(self._source, self._text_of)

    @property
    def filtered(self) -> bool:
        """Return True while a filter shows only some fields."""
        return self._only is not None

    @property
    def current_section(self) -> str | None:
        """Return the section of the highlighted row (a field's or a folded heading's)."""
        if not 0 <= self._cursor < len(self._rows):
            return None
        return self._rows[self._cursor].section

    def refresh_values(self, text_of: Callable[[FieldSpec], str]) -> None:
        """Update the values that changed; only their lines are drawn again."""
        changed: list[int] = []
        for index, row in enumerate(self._rows):
            spec = row.spec
            if spec is None:
                continue
            shown = text_of(spec)
            if self._shown.get(spec.path) != shown:
                self._shown[spec.path] = shown
                changed.append(index)
        if not changed:
            return
        widest = self._longest()
        if widest != self._widest:
            self._widest = widest
            self._lines.clear()  # the columns move
            self.refresh()
            return
        # Only the changed lines (Textual styles every line it is asked for, even a cached one).
        top, width = int(self.scroll_offset.y), self.size.width
        for index in changed:
            y = index - top + 1  # under the header
            if 1 <= y < self.size.height:
                self.refresh(Region(0, y, width, 1))

    def _longest(self) -> int:
        """Return the length of the longest value shown, free texts (names, descriptions) aside."""
        return max(
            (len(self._shown[r.spec.path]) for r in self._rows if r.spec and r.spec.kind != "text"),
            default=_MIN_VALUE_WIDTH,
        )

    def mark_different(self, paths: set[str]) -> None:
        """Mark the rows whose value differs in the second scenario (`≠` before the name)."""
        if paths != self._different:
            self._different = set(paths)
            self.refresh()

    def mark_edited(self, paths: set[str]) -> None:
        """Mark the rows whose values differ from the loaded scenario (a dot before the name)."""
        if paths != self._edited:
            self._edited = set(paths)
            self.refresh()

    @property
    def edited(self) -> set[str]:
        """Return the paths marked as edited."""
        return set(self._edited)

    def shown_value(self, path: str) -> str:
        """Return the text shown in the value column for `path` (before cutting to the column)."""
        return self._shown[path]

    @property
    def current_spec(self) -> FieldSpec | None:
        """Return the row under the cursor, or None when the grid is empty."""
        if not 0 <= self._cursor < len(self._rows):
            return None
        return self._rows[self._cursor].spec

    @property
    def cursor_row(self) -> int:
        """Return the index of the highlighted row (headings count as rows)."""
        return self._cursor

    def focus_path(self, path: str) -> bool:
        """Move the cursor to the row of `path` and scroll it into view; return False when there is none.

        A field of a folded section unfolds it.
        """
        row = self._row_of.get(path)
        if row is None:
            spec = next((s for s in self._source if s.path == path), None)
            if spec is None or not self.is_folded(spec.section) or self._text_of is None:
                return False
            self._folded.discard(spec.section)
            self._unfolded.add(spec.section)
            self.load(self._source, self._text_of, path)
            row = self._row_of.get(path)
            if row is None:
                return False
        self._set_cursor(row)
        return True

    def _set_cursor(self, row: int) -> None:
        """Highlight `row`, scroll it into view and announce a new field."""
        if not self._rows:
            return
        self._cursor = max(0, min(row, len(self._rows) - 1))
        self._scroll_to_cursor()
        self.refresh()
        spec = self.current_spec
        if spec is not None and spec.path != self._announced:
            self._announced = spec.path
            self.post_message(self.Focused(spec))

    def _scroll_to_cursor(self) -> None:
        """Scroll so the cursor's row is visible (the first line is the fixed header)."""
        rows_shown = (self.scrollable_content_region.height or self.size.height) - 1
        if rows_shown <= 0:
            return
        top = int(self.scroll_offset.y)
        # Moving up onto a section's first field also shows the heading above it.
        above = self._cursor - 1 if self._cursor > 0 and self._rows[self._cursor - 1].spec is None else self._cursor
        if above < top:
            self.scroll_to(y=above, animate=False, immediate=True)
        elif self._cursor >= top + rows_shown:
            self.scroll_to(y=self._cursor - rows_shown + 1, animate=False, immediate=True)

    # --- drawing -----------------------------------------------------------------------

    def _widths(self, width: int) -> tuple[int, int, int]:
        """Return the widths of the label, value and unit columns (the unit column may be 0).

        The value column is as wide as its longest value (free texts aside), up to a share of
        the width, and never so wide that the labels drop under a dozen cells.
        """
        key = (width, self.show_units, self._widest)
        if self._widths_of is not None and self._widths_of[0] == key:
            return self._widths_of[1]
        unit = 0
        if self.show_units:
            unit = min(_MAX_UNIT_WIDTH, max((len(r.spec.unit) for r in self._rows if r.spec), default=0))
        gaps = 3 if unit else 2
        longest_label = max((len(r.spec.label) + 1 for r in self._rows if r.spec), default=8)
        room = width - unit - gaps
        value = min(max(_MIN_VALUE_WIDTH, self._widest), max(_MIN_VALUE_WIDTH, int(room * _VALUE_SHARE)))
        value = max(_MIN_VALUE_WIDTH, min(value, room - min(longest_label, _MIN_LABEL_WIDTH)))
        label = max(8, room - value)
        if label > longest_label:
            value = min(value + label - longest_label, max(value, self._widest))
            label = max(8, room - value)
        widths = (label, value, unit)
        self._widths_of = (key, widths)
        return widths

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._lines.clear()

    def on_resize(self, event: events.Resize) -> None:
        self._lines.clear()
        self.virtual_size = Size(event.size.width, len(self._rows) + 1)
        self._scroll_to_cursor()

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width or self.size.width
        index = y + int(self.scroll_offset.y) - 1
        if y == 0:
            top = int(self.scroll_offset.y)
            section = ""
            if top > 0 and top < len(self._rows):
                section = section_title(self._rows[top].section) if self._rows[top].spec is not None else ""
            key = ("header", width, section, self._only is not None)
            return self._lines.get(key, lambda: self._header(width, section))
        if not 0 <= index < len(self._rows):
            return self._lines.get(("blank", width), lambda: Strip.blank(width, self.rich_style))
        row = self._rows[index]
        is_cursor = index == self._cursor
        shown = self._shown.get(row.spec.path, "") if row.spec else ""
        edited = row.spec is not None and row.spec.path in self._edited
        different = row.spec is not None and row.spec.path in self._different
        mark = "•" if edited else "≠" if different else " "
        key = (index, row.title, shown, is_cursor, mark, self.has_focus, width, self.show_units, self._widest)
        return self._lines.get(key, lambda: self._draw(row, shown, is_cursor, mark, width))

    def _header(self, width: int, section: str) -> Strip:
        label_w, value_w, unit_w = self._widths(width)
        style = self.rich_style + self.get_component_rich_style("input-grid--header")
        # The section of the top row stays in view: the header names it while its heading is scrolled away.
        first = f"{section} ▾" if section else "Field"
        if self._only is not None:
            first = "edited fields only (E: all)"
        text = " " + _fit(first, label_w) + _fit("Value", value_w, right=True)
        if unit_w:
            text += " " + _fit("Unit", unit_w)
        return Strip([Segment(_fit(text, width), style)], width)

    def _draw(self, row: _Row, shown: str, is_cursor: bool, mark: str, width: int) -> Strip:
        base = self.rich_style
        label_w, value_w, unit_w = self._widths(width)
        if row.spec is None:
            style = base + self.get_component_rich_style("input-grid--heading")
            if is_cursor:
                style += self.get_component_rich_style("input-grid--cursor")
            title = f" ▸ {row.title} (z opens)" if row.folded else f" {row.title}"
            return Strip([Segment(_fit(title, width), style)], width)
        spec = row.spec
        line_style = base + self.get_component_rich_style("input-grid--cursor") if is_cursor else base
        value_style: Style = line_style
        if shown == "unset" and not is_cursor:
            value_style = base + self.get_component_rich_style("input-grid--unset")
        mark_style = line_style if is_cursor else base + self.get_component_rich_style("input-grid--edited")
        segments = [
            Segment(" " + mark, mark_style),
            Segment(_fit(spec.label, label_w - 1), line_style),
            Segment(fit_value(shown, value_w, spec.kind, right=spec.numeric), value_style),
        ]
        if unit_w:
            unit_style = line_style if is_cursor else base + self.get_component_rich_style("input-grid--unit")
            segments.append(Segment(" " + _fit(spec.unit, unit_w), unit_style))
        used = sum(len(s.text) for s in segments)
        if used < width:
            segments.append(Segment(" " * (width - used), line_style))
        return Strip(segments, width).crop(0, width)

    # --- keys and mouse ----------------------------------------------------------------

    def _nearest_field(self, start: int, direction: int) -> int:
        """Return the nearest field row (or folded heading) from `start` in `direction` (open headings are skipped)."""
        rows = self._stops
        if not rows:
            return 0
        if direction > 0:
            return next((r for r in rows if r >= start), rows[-1])
        return next((r for r in reversed(rows) if r <= start), rows[0])

    def action_move(self, delta: int) -> None:
        """Move the cursor `delta` field rows, skipping section headings."""
        self._set_cursor(self._nearest_field(self._cursor + delta, 1 if delta > 0 else -1))

    def action_page(self, direction: int) -> None:
        """Move a page of rows, landing on a field row."""
        height = max(1, self.scrollable_content_region.height - 2)
        self.action_move(direction * height)

    def action_jump(self, direction: int) -> None:
        """Move to the first (-1) or last (1) field."""
        rows = self._stops
        if rows:
            self._set_cursor(rows[0] if direction < 0 else rows[-1])

    def _request(self, action: str, **kwargs: Any) -> None:
        spec = self.current_spec
        if spec is not None:
            if action == "edit":
                self.pending_edits += 1  # the app counts it off when it handles the request
            self.post_message(self.Request(spec, action, **kwargs))

    def action_step(self, direction: int, big: bool = False) -> None:
        """Ask to step the value one notch (ten with shift)."""
        self._request("step", direction=direction, big=big)

    def _on_folded_heading(self) -> bool:
        return 0 <= self._cursor < len(self._rows) and self._rows[self._cursor].folded

    def action_edit(self) -> None:
        """Ask to edit the value, starting from its current text (on a folded heading: unfold it)."""
        if self._on_folded_heading():
            self.toggle_fold()
            return
        if self.current_spec is not None:
            self.capturing = True  # until the app ends the edit (Enter again while capturing applies it)
        self._request("edit")

    def action_toggle(self) -> None:
        """Ask to flip a flag or move a choice to the next value (on a folded heading: unfold it)."""
        if self._on_folded_heading():
            self.toggle_fold()
            return
        self._request("toggle")

    def action_reset(self) -> None:
        """Ask to put the value back as it was loaded."""
        self._request("reset")

    def action_fold(self) -> None:
        """Fold or unfold the highlighted row's section."""
        self.toggle_fold()

    def on_key(self, event: events.Key) -> None:
        """Start editing when a digit or a point is typed on a row, as in a spreadsheet."""
        spec = self.current_spec
        if self.capturing and spec is not None and event.character and event.character.isprintable():
            # An edit began and the editor has not taken focus yet: every typed character is text
            # (`k` in `100k` must not move the cursor), in order.
            event.stop()
            event.prevent_default()
            self._request("edit", text=event.character)
            return
        if spec is not None and event.character == "-" and not spec.numeric:
            return
        if event.character and event.character in _EDIT_START_CHARS and spec is not None:
            event.stop()
            event.prevent_default()
            # The keys typed after this one may reach the grid before the app opens the editor.
            self.capturing = True
            self._request("edit", text=event.character)

    def on_click(self, event: events.Click) -> None:
        """A click highlights a row; a double click edits it."""
        index = event.y + int(self.scroll_offset.y) - 1
        if event.y == 0 or not 0 <= index < len(self._rows):
            return
        self.focus()
        if self._rows[index].spec is None:
            index = self._nearest_field(index, 1)
        self._set_cursor(index)
        if event.chain >= 2:
            self.action_edit()

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()
