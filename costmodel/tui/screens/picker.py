"""A prompt with fuzzy-matched choices: go to a field, open a preset or file, save as a path."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.fuzzy import Matcher
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from costmodel.files.presets import looks_like_path

__all__ = ["PickerScreen", "rank_choices"]

_MAX_SHOWN = 200


def rank_choices(query: str, choices: Sequence[str]) -> list[str]:
    """Return the choices that fuzzily match `query`, best first (all of them, in order, for an empty query)."""
    if not query.strip():
        return list(choices)
    matcher = Matcher(query.strip())
    scored = [(matcher.match(c), i, c) for i, c in enumerate(choices)]
    exact_prefix = [c for c in choices if c.startswith(query.strip())]
    ranked = [c for score, _, c in sorted((s for s in scored if s[0] > 0), key=lambda s: (-s[0], s[1]))]
    return exact_prefix + [c for c in ranked if c not in exact_prefix]


class PickerScreen(ModalScreen[str | None]):
    """Ask for one text, offering fuzzy-matched choices; dismisses with the text, or None on Esc.

    Enter takes the highlighted choice when the list has one highlighted, else the text as typed
    (when `free_text` allows it). Tab completes the text to the highlighted choice.
    """

    CSS_PATH = "dialogs.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
        Binding("down", "move(1)", "Next", show=False),
        Binding("up", "move(-1)", "Previous", show=False),
        Binding("tab", "complete", "Complete", show=False, priority=True),
    ]

    def __init__(
        self,
        title: str,
        choices: Sequence[str],
        placeholder: str = "",
        value: str = "",
        free_text: bool = False,
        hint: str = "",
    ) -> None:
        super().__init__()
        self._title = title
        self._choices = list(choices)
        self._placeholder = placeholder
        self._value = value
        self._free_text = free_text
        self._hint = hint

    def compose(self) -> ComposeResult:
        with Vertical(id="picker", classes="dialog"):
            yield Label(self._title, classes="dialog-title", markup=False)
            yield Input(value=self._value, placeholder=self._placeholder, id="picker-input")
            yield OptionList(id="picker-options")
            hint = self._hint or "↑↓ choose · Tab completes · Enter picks · Esc cancels"
            yield Label(hint, id="picker-hint", classes="dialog-hint")

    def on_mount(self) -> None:
        self._fill(self._value if not self._free_text else "")
        self.query_one(Input).focus()

    def _fill(self, query: str) -> None:
        options = self.query_one(OptionList)
        options.clear_options()
        ranked = rank_choices(query, self._choices)[:_MAX_SHOWN]
        options.add_options([Option(c, id=f"o{i}") for i, c in enumerate(ranked)])
        options.display = bool(ranked)
        self._ranked = ranked
        if ranked and (query.strip() or not self._free_text):
            options.highlighted = 0

    def on_input_changed(self, event: Input.Changed) -> None:
        self._fill(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        options = self.query_one(OptionList)
        index = options.highlighted
        typed = event.value.strip()
        if self._free_text and typed and (typed in self._choices or looks_like_path(typed)):
            # What was typed wins over a fuzzy match: `support.toml` must not open `support-assistant`.
            self.dismiss(typed)
        elif index is not None and 0 <= index < len(self._ranked):
            self.dismiss(self._ranked[index])
        elif self._free_text and typed:
            self.dismiss(typed)
        else:
            self.query_one("#picker-hint", Label).update("no match: type part of a name")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self._ranked[event.option_index])

    def action_move(self, delta: int) -> None:
        """Move the highlight in the list of choices."""
        options = self.query_one(OptionList)
        if not self._ranked:
            return
        current = options.highlighted
        options.highlighted = 0 if current is None else max(0, min(len(self._ranked) - 1, current + delta))

    def action_complete(self) -> None:
        """Complete the typed text to the highlighted choice."""
        options = self.query_one(OptionList)
        index = options.highlighted
        if index is not None and 0 <= index < len(self._ranked):
            field = self.query_one(Input)
            field.value = self._ranked[index]
            field.cursor_position = len(field.value)

    def action_cancel(self) -> None:
        """Close without a choice."""
        self.dismiss(None)
