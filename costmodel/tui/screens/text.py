"""A read-only panel of text: a figure's breakdown, the sensitivity tornado, a solver answer."""

from __future__ import annotations

from typing import ClassVar

from rich.console import RenderableType
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

__all__ = ["TextScreen"]


class TextScreen(ModalScreen[None]):
    """Show a title and a renderable; Esc, Enter or q closes it."""

    CSS_PATH = "dialogs.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,enter,q", "close", "Close"),
    ]

    def __init__(self, title: str, body: RenderableType, wide: bool = False) -> None:
        super().__init__()
        self._title = title
        self._body = body
        self._wide = wide

    def compose(self) -> ComposeResult:
        with Vertical(id="text-panel", classes="dialog wide" if self._wide else "dialog"):
            yield Label(self._title, classes="dialog-title", markup=False)
            with VerticalScroll(id="text-body"):
                yield Static(self._body, id="text-content")
            yield Label("Esc closes", classes="dialog-hint")

    def action_close(self) -> None:
        """Close the panel."""
        self.dismiss(None)
