"""Find bundled and user presets (scenarios) and pricing catalogs.

Scenario presets are `*.toml` files in a presets folder; pricing catalogs are `*.toml`
files in its `pricing/` subfolder. The user folder (env `COSTMODEL_PRESETS_DIR`, else the
platform's user config dir) is searched before the bundled one, so a user preset of the
same name shadows a bundled one.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from costmodel.errors import NotFoundError

__all__ = [
    "PresetInfo",
    "bundled_dir",
    "find_catalog",
    "find_preset",
    "list_catalogs",
    "list_presets",
    "user_dir",
]

ENV_USER_DIR = "COSTMODEL_PRESETS_DIR"


@dataclass(frozen=True, slots=True)
class PresetInfo:
    """A preset or catalog on disk: its name, file, origin (`user` or `bundled`) and title."""

    name: str
    path: Path
    origin: str
    title: str
    description: str


def bundled_dir() -> Path:
    """Return the folder of the bundled presets (inside the wheel, or the source checkout)."""
    here = Path(__file__).resolve().parent
    inside = here / "presets"
    return inside if inside.is_dir() else here.parent / "presets"


def user_dir() -> Path:
    """Return the user's presets folder (it may not exist yet)."""
    override = os.environ.get(ENV_USER_DIR)
    if override:
        return Path(override).expanduser()
    from platformdirs import user_config_dir

    return Path(user_config_dir("costmodel")) / "presets"


def _roots() -> list[tuple[str, Path]]:
    return [("user", user_dir()), ("bundled", bundled_dir())]


def _describe(path: Path, table: str | None) -> tuple[str, str]:
    """Return (title, description) from a TOML file's top level or `table`, best effort."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return path.stem, "(unreadable)"
    if table:
        data = data.get(table, {}) if isinstance(data.get(table), dict) else {}
    elif "name" not in data and isinstance(data.get("extends"), str):
        return path.stem, f"same as {data['extends']}"
    return str(data.get("name", path.stem)), str(data.get("description", ""))


def _list(sub: str | None, table: str | None) -> list[PresetInfo]:
    seen: dict[str, PresetInfo] = {}
    for origin, root in _roots():
        folder = root / sub if sub else root
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.toml")):
            if path.stem not in seen:
                title, desc = _describe(path, table)
                seen[path.stem] = PresetInfo(path.stem, path, origin, title, desc)
    return sorted(seen.values(), key=lambda p: p.name)


def list_presets() -> list[PresetInfo]:
    """Return every scenario preset, user ones first shadowing bundled ones, sorted by name."""
    return _list(None, None)


def list_catalogs() -> list[PresetInfo]:
    """Return every pricing catalog (user and bundled), sorted by name."""
    return _list("pricing", "catalog")


def _find(name: str, sub: str | None, kind: str, listing: Callable[[], list[PresetInfo]]) -> Path:
    for _origin, root in _roots():
        folder = root / sub if sub else root
        candidate = folder / f"{name}.toml"
        if candidate.is_file():
            return candidate
    known = ", ".join(p.name for p in listing()) or "none"
    raise NotFoundError(f"no {kind} named {name!r} (known: {known})")


def find_preset(name: str) -> Path:
    """Return the file of the scenario preset `name`; raise NotFoundError listing the known ones."""
    return _find(name, None, "file or preset", list_presets)


def find_catalog(name: str) -> Path:
    """Return the file of the pricing catalog `name`; raise NotFoundError listing the known ones."""
    return _find(name, "pricing", "pricing catalog", list_catalogs)


def is_bundled(path: Path) -> bool:
    """Return True when `path` lies inside the bundled presets folder (never to be overwritten)."""
    try:
        path.resolve().relative_to(bundled_dir().resolve())
    except ValueError:
        return False
    return True
