"""Read and write scenario files: TOML with located errors, layering, overrides, atomic saves.

Loading lives in costmodel.files.loader (one loader, used by every command and by
`batch` with a cache); the TOML text helpers in costmodel.files.tomltext; this module
adds saving and keeps the names other modules import.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from costmodel.files.layering import dump_layered
from costmodel.files.loader import (
    LoadedScenario,
    apply_overrides,
    load_catalog,
    load_document,
    load_scenario,
    parse_override,
)
from costmodel.files.output import atomic_write
from costmodel.files.reading import read_text, read_toml_file
from costmodel.files.tomltext import deep_merge, dump_scenario, key_lines, scenario_data
from costmodel.model.errors import CostmodelError
from costmodel.model.schema import Scenario

__all__ = [
    "LoadedScenario",
    "apply_overrides",
    "deep_merge",
    "dump_scenario",
    "fingerprint",
    "key_lines",
    "load_catalog",
    "load_document",
    "load_scenario",
    "parse_override",
    "read_toml",
    "save_scenario",
    "scenario_data",
]


def read_toml(path: Path) -> tuple[dict[str, Any], str]:
    """Return the parsed TOML table of `path` and its text (located errors; see costmodel.files.reading)."""
    return read_toml_file(path)


def fingerprint(path: Path) -> str | None:
    """Return a SHA-256 of the file's bytes, or None when it cannot be read (to detect edits on disk).

    Only a regular file under the size limit is read (never a FIFO or a device).
    """
    try:
        return hashlib.sha256(read_text(path).encode("utf-8")).hexdigest()
    except CostmodelError:
        return None


def save_scenario(scenario: Scenario, path: Path, layers: Mapping[str, Any] | None = None) -> str:
    """Write `scenario` to `path` atomically (temp file in the same folder, fsync, rename); return its fingerprint.

    With `layers` (a file's own `extends` and `pricing` entries) the file keeps them and holds
    only the values that differ from what they give, when that loads back to the same
    scenario (see costmodel.files.layering); otherwise it is written whole. Saving through a
    symlink writes its target; an existing file keeps its permissions, a new one gets the
    umask's (0644 under the usual 022). Raises OutputError (a CostmodelError) naming the real
    file when it cannot be written; the folder is created when missing.
    """
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    text = dump_layered(scenario, layers, folder) if layers else None
    if text is None:
        text = dump_scenario(scenario)
    if not folder.exists():
        folder.mkdir(parents=True, exist_ok=True)
    atomic_write(str(path), text)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
