"""Make the dialogs: each dialog's module (and the Textual widgets it uses) loads when first shown.

The main screen never needs them to draw its first frame, so they stay out of start-up.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import RenderableType
    from textual.screen import ModalScreen

__all__ = ["confirm", "picker", "text_panel"]


def confirm(title: str, message: str, answers: Sequence[tuple[str, str]]) -> ModalScreen[str]:
    """Return a question with answers as buttons; it dismisses with the chosen answer's key."""
    from costmodel.tui.screens.confirm import ConfirmScreen

    return ConfirmScreen(title, message, answers)


def picker(title: str, choices: Sequence[str], **options: Any) -> ModalScreen[str | None]:
    """Return a prompt with fuzzy-matched choices; it dismisses with the text, or None on Esc."""
    from costmodel.tui.screens.picker import PickerScreen

    return PickerScreen(title, choices, **options)


def text_panel(title: str, body: RenderableType, wide: bool = False) -> ModalScreen[None]:
    """Return a read-only panel showing `body` under `title`."""
    from costmodel.tui.screens.text import TextScreen

    return TextScreen(title, body, wide)
