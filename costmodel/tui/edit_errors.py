"""Why an edit or a save was refused (cheap to import: the app handles these before pydantic loads)."""

from __future__ import annotations

__all__ = ["ChangedOnDisk", "EditError", "NeedsPath"]


class EditError(ValueError):
    """An edit that is not applied; the message says what was expected (shown inline in the UI)."""


class ChangedOnDisk(RuntimeError):
    """The file changed on disk since it was loaded or saved; saving again would overwrite that change."""


class NeedsPath(RuntimeError):
    """The document has no file of its own (a bundled preset or a new scenario): save as a new path."""
