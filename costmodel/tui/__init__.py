"""The spreadsheet-style terminal UI (Textual). Imported only by `costmodel tui`, never by the CLI's other paths."""

from __future__ import annotations

import sys
from pathlib import Path

from costmodel.errors import CostmodelError

__all__ = ["DEFAULT_PRESET", "run"]

DEFAULT_PRESET = "default"


def run(ref: str | Path | None = None) -> int:
    """Open the UI on a scenario file or preset (the default preset when None); return the exit code.

    A scenario that cannot be loaded is reported on stderr as the CLI reports it (exit code 2).
    """
    from costmodel.tui.state import Document

    try:
        document = Document.open(ref if ref is not None else DEFAULT_PRESET)
    except CostmodelError as exc:
        print(f"costmodel: {exc}", file=sys.stderr)
        return 2
    from costmodel.tui.app import CostmodelApp

    app = CostmodelApp(document)
    app.run()
    return app.return_code or 0
