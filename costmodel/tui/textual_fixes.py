"""Work-arounds for Textual bugs the UI can hit, applied when first needed.

- The command palette's option list pages (PageDown/PageUp) from a table of its lines that is
  only built when the list is drawn: a PageDown that arrives with ctrl+p, before the first
  frame of the palette, raised KeyError inside Textual (Textual 8.2.8) and ended the app.
  The patched `_move_page` builds the table first and does nothing while the list has no
  lines yet (it has no size).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.widgets import OptionList

__all__ = ["apply"]


def _safe_move_page(self: OptionList, direction: int) -> None:
    """Page through the list once its lines exist; before its first layout, leave the highlight where it is."""
    from textual.widgets import OptionList

    self._update_lines()
    highlighted = self.highlighted or 0
    if not self._lines or highlighted not in self._index_to_line:
        return
    OptionList._move_page(self, direction)  # type: ignore[arg-type]


def apply() -> None:
    """Patch the command palette's option list (idempotent); the UI's other option lists are left alone.

    Called each time the palette opens (the check makes repeats free).
    """
    from textual.command import CommandList

    if CommandList._move_page is not _safe_move_page:
        CommandList._move_page = _safe_move_page  # type: ignore[method-assign]
