"""A question with a few answers as buttons (save / discard / cancel, overwrite / cancel)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label

__all__ = ["ConfirmScreen"]


class ConfirmScreen(ModalScreen[str]):
    """Ask a question; dismiss with the key of the chosen answer (Esc gives `cancel`).

    `answers` are (key, label) pairs; the first is the default button. Each answer's
    first letter is also a key (`s` for Save, `d` for Discard, ...).
    """

    CSS_PATH = "dialogs.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "answer('cancel')", "Cancel")]

    def __init__(self, title: str, message: str, answers: Sequence[tuple[str, str]]) -> None:
        super().__init__()
        self._title = title
        self._message = message
        self._answers = list(answers)

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm", classes="dialog"):
            yield Label(self._title, classes="dialog-title", markup=False)
            yield Label(self._message, id="confirm-message", markup=False)
            with Horizontal(classes="dialog-buttons"):
                for i, (key, label) in enumerate(self._answers):
                    yield Button(label, id=f"answer-{key}", variant="primary" if i == 0 else "default")
            keys = ", ".join(f"{label[0].lower()} {label}" for _, label in self._answers)
            yield Label(f"keys: {keys}; Esc cancels", classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one(Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss((event.button.id or "answer-cancel").removeprefix("answer-"))

    def on_key(self, event) -> None:  # type: ignore[no-untyped-def]
        for key, label in self._answers:
            if event.character and event.character.lower() == label[0].lower():
                event.stop()
                self.dismiss(key)
                return

    def action_answer(self, key: str) -> None:
        """Close with `key` as the answer."""
        self.dismiss(key)
