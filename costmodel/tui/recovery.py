"""Crash recovery: unsaved edits are kept in a file of the user's state folder until saved or quit.

The UI writes the scenario being edited (whole, as a normal scenario file) within a second or
two of an edit, to `<user state folder>/costmodel/recovery/<name>-<hash of the file's path>.toml`
(platformdirs; on Linux `$XDG_STATE_HOME/costmodel/recovery`). A clean save or quit removes it.
When the same file is opened again and a recovery file holds a different scenario, the UI
offers to restore it and lists what differs. No Textual here.
"""

from __future__ import annotations

import contextlib
import hashlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from costmodel.model.schema import Scenario

__all__ = ["differences", "read_recovery", "recovery_dir", "recovery_path", "remove_recovery", "write_recovery"]


def recovery_dir() -> Path:
    """Return the folder that holds recovery files (it may not exist yet)."""
    import platformdirs

    return Path(platformdirs.user_state_dir("costmodel", appauthor=False)) / "recovery"


def recovery_path(source: Path | None) -> Path:
    """Return the recovery file of a scenario file (`source` None: a scenario with no file yet)."""
    where = str(Path(source).resolve()) if source is not None else "<new scenario>"
    digest = hashlib.sha256(where.encode("utf-8", "surrogateescape")).hexdigest()[:16]
    stem = Path(source).stem[:40] if source is not None else "new-scenario"
    return recovery_dir() / f"{stem}-{digest}.toml"


def write_recovery(scenario: Scenario, source: Path | None) -> Path:
    """Write `scenario` (whole, atomically) as the recovery file of `source`; return the file written.

    Raises OSError when the state folder cannot be written.
    """
    from costmodel.files.scenario_io import save_scenario

    path = recovery_path(source)
    save_scenario(scenario, path)
    return path


def read_recovery(source: Path | None) -> Scenario | None:
    """Return the scenario kept for `source`, or None when there is none (an unreadable one is removed)."""
    from costmodel.files.scenario_io import load_scenario
    from costmodel.model.errors import CostmodelError

    path = recovery_path(source)
    if not path.is_file():
        return None
    try:
        return load_scenario(path)
    except (CostmodelError, OSError):
        remove_recovery(source)
        return None


def remove_recovery(source: Path | None) -> None:
    """Remove the recovery file of `source` (nothing happens when there is none)."""
    with contextlib.suppress(OSError):
        recovery_path(source).unlink(missing_ok=True)


def _shown(value: Any) -> str:
    if value is None:
        return "unset"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        from costmodel.tui.fields import format_number

        return format_number(value)
    return str(value)


def differences(old: Scenario, new: Scenario) -> list[str]:
    """Return one line per input that differs from `old` to `new`: `path: old → new` (ranges included)."""
    from costmodel.analysis.diffs import flatten_inputs

    a, b = flatten_inputs(old), flatten_inputs(new)
    lines = []
    for path in [*a, *(p for p in b if p not in a)]:
        if path.startswith("ranges."):
            continue  # said once below, as a range
        if a.get(path) != b.get(path):
            lines.append(f"{path}: {_shown(a.get(path))} → {_shown(b.get(path))}")
    ranges_a, ranges_b = old.ranges, new.ranges
    for path in sorted(set(ranges_a) | set(ranges_b)):
        ra, rb = ranges_a.get(path), ranges_b.get(path)
        if ra != rb:

            def text(r: Any) -> str:
                return "a point" if r is None else f"{_shown(r.low)} .. {_shown(r.high)}"

            lines.append(f"range of {path}: {text(ra)} → {text(rb)}")
    return lines
