"""The spreadsheet-style terminal UI (Textual). Imported only by `costmodel tui`, never by the CLI's other paths."""

from __future__ import annotations

import gc
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from costmodel.model.errors import CostmodelError

if TYPE_CHECKING:
    from costmodel.tui.app import CostmodelApp

__all__ = ["DEFAULT_PRESET", "run"]

DEFAULT_PRESET = "default"


def _check_exists(ref: str) -> None:
    """Raise NotFoundError (or ScenarioError for a folder) for a file or preset that is not there, cheaply.

    What needs the schema (TOML syntax, values) is checked once the window is up, and
    explained in a dialog there.
    """
    from costmodel.files.presets import resolve_ref
    from costmodel.model.errors import ScenarioError
    from costmodel.tui.opening import check_openable

    path = resolve_ref(ref, None, "preset")
    if path.is_dir():
        raise ScenarioError(f"{ref}: is a folder; expected a scenario .toml file")
    check_openable(path)


def run(
    ref: str | Path | None = None, app_class: type[CostmodelApp] | None = None, other: str | Path | None = None
) -> int:
    """Open the UI on a scenario file or preset (the default preset when None); return the exit code.

    A file or preset that does not exist is reported on stderr as the CLI reports it (exit
    code 2); one that exists but cannot be read as a scenario is explained in the UI, and
    quitting from there exits with code 2 too. `app_class` replaces the App (benchmarks
    subclass it to time the first frame). `other` is a second scenario shown side by side.
    """
    name = str(ref) if ref is not None else DEFAULT_PRESET
    try:
        _check_exists(name)
        if other is not None:
            _check_exists(str(other))
    except CostmodelError as exc:
        gc.enable()
        print(f"costmodel: {exc}", file=sys.stderr)
        return 2
    if app_class is None:
        from costmodel.tui.app import CostmodelApp as app_class
    # Everything imported so far lives as long as the process: move it out of the collector's
    # reach, or a full collection over it lands in the first frame (~30 ms). The command line
    # turns the collector off while it imports; it is on again from here.
    gc.freeze()
    gc.enable()
    app = app_class(ref=name, other=other)
    app.run()
    if app.error_message:
        print(f"costmodel: {app.error_message}", file=sys.stderr)
    return app.return_code or 0
