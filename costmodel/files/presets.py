"""Find bundled and user presets (scenarios) and pricing catalogs.

Scenario presets are `*.toml` files in a presets folder; pricing catalogs are `*.toml`
files in its `pricing/` subfolder. The user folder (env `COSTMODEL_PRESETS_DIR`, else the
platform's user config dir) is searched before the bundled one, so a user preset of the
same name shadows a bundled one.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

from costmodel.model.errors import CostmodelError, NotFoundError
from costmodel.model.text import shorten

__all__ = [
    "PresetInfo",
    "bundled_dir",
    "copy_to_user",
    "find_catalog",
    "find_preset",
    "list_catalogs",
    "list_presets",
    "looks_like_path",
    "resolve_ref",
    "user_dir",
]

ENV_USER_DIR = "COSTMODEL_PRESETS_DIR"


class PresetInfo(NamedTuple):
    """A preset or catalog on disk: its name, file, origin (`user` or `bundled`) and title."""

    name: str
    path: Path
    origin: str
    title: str
    description: str
    shadows: Path | None = None


def bundled_dir() -> Path:
    """Return the folder of the bundled presets (inside the wheel, or the source checkout)."""
    package = Path(__file__).resolve().parent.parent
    inside = package / "presets"
    return inside if inside.is_dir() else package.parent / "presets"


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
    import tomllib

    from costmodel.files.reading import read_text

    try:
        data = tomllib.loads(read_text(path))
    except (CostmodelError, tomllib.TOMLDecodeError, RecursionError, ValueError):
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
            elif seen[path.stem].shadows is None:
                first = seen[path.stem]
                seen[path.stem] = PresetInfo(first.name, first.path, first.origin, first.title, first.description, path)
    return sorted(seen.values(), key=lambda p: p.name)


def list_presets() -> list[PresetInfo]:
    """Return every scenario preset, user ones first shadowing bundled ones, sorted by name."""
    return _list(None, None)


def list_catalogs() -> list[PresetInfo]:
    """Return every pricing catalog (user and bundled), sorted by name."""
    return _list("pricing", "catalog")


def _is_file(path: Path) -> bool:
    """Return True when `path` is an existing regular file (False for any error, such as a name too long)."""
    try:
        return path.is_file()
    except OSError:
        return False


def _exists(path: Path) -> bool:
    """Return True when `path` exists (False for any error, such as a name too long or a symlink loop)."""
    try:
        return os.path.lexists(path)
    except (OSError, ValueError):
        return False


def _find(name: str, sub: str | None, kind: str, listing: Callable[[], list[PresetInfo]]) -> Path:
    for _origin, root in _roots():
        folder = root / sub if sub else root
        candidate = folder / f"{name}.toml"
        if _is_file(candidate):
            return candidate
    known = ", ".join(p.name for p in listing()) or "none"
    raise NotFoundError(f"no {kind} named {shorten(repr(name), 60)} (known: {known})")


def find_preset(name: str) -> Path:
    """Return the file of the scenario preset `name`; raise NotFoundError listing the known ones."""
    return _find(name, None, "file or preset", list_presets)


def find_catalog(name: str) -> Path:
    """Return the file of the pricing catalog `name`; raise NotFoundError listing the known ones."""
    return _find(name, "pricing", "pricing catalog", list_catalogs)


def looks_like_path(ref: str) -> bool:
    """Return True when a reference names a file (it ends in `.toml` or has a folder), not a preset or catalog."""
    return ref.endswith(".toml") or "/" in ref or os.sep in ref


def resolve_ref(ref: str, relative_to: Path | None, kind: str) -> Path:
    """Return the file a reference names: a path (relative to `relative_to`) or a preset name
    (`kind` "preset") or catalog name (`kind` "catalog"); raise NotFoundError when there is none.
    """
    if "\x00" in ref:
        raise NotFoundError(f"{shorten(repr(ref), 60)}: a file name cannot hold a NUL character")
    candidate = Path(ref).expanduser()
    if relative_to is not None and not candidate.is_absolute():
        candidate = relative_to / candidate
    if _exists(candidate):
        return candidate  # reading it says what is wrong with it (a loop, a FIFO, no permission)
    if len(candidate.name) > 255:
        raise NotFoundError(f"{shorten(str(candidate))}: the file name is too long for the file system")
    if looks_like_path(ref):
        raise NotFoundError(f"{shorten(str(candidate))}: no such file")
    return find_catalog(ref) if kind == "catalog" else find_preset(ref)


def is_bundled(path: Path) -> bool:
    """Return True when `path` lies inside the bundled presets folder (never to be overwritten)."""
    try:
        path.resolve().relative_to(bundled_dir().resolve())
    except ValueError:
        return False
    return True


_NAME = r"[A-Za-z0-9][A-Za-z0-9._-]*"  # compiled on first use (copying), not at start-up


def copy_to_user(source: str, name: str, catalog: bool = False, force: bool = False) -> Path:
    """Copy a preset (or, with `catalog`, a pricing catalog) into the user folder as NAME.toml; return the new file.

    The source is a preset/catalog name or a path. Raises CostmodelError for a bad name, or
    when NAME exists in the user folder and `force` is not set; NotFoundError for an unknown source.
    """
    if not re.fullmatch(_NAME, name) or name.endswith(".toml"):
        raise CostmodelError(f"{name!r}: a preset name is letters, digits, '.', '_' or '-' (no folder, no .toml)")
    if source.endswith(".toml") or "/" in source or os.sep in source:
        origin = Path(source).expanduser()
        if not origin.is_file():
            raise NotFoundError(f"{origin}: no such file")
    else:
        origin = find_catalog(source) if catalog else find_preset(source)
        bundled = bundled_dir() / ("pricing" if catalog else "") / f"{source}.toml"
        if force and source == name and _is_file(bundled):
            origin = bundled  # `--force` repairs a user copy of that name from the bundled original
    folder = user_dir() / "pricing" if catalog else user_dir()
    target = folder / f"{name}.toml"
    if target.exists() and not force:
        raise CostmodelError(f"{target} already exists (use --force to overwrite it)")
    if target.exists() and target.resolve() == origin.resolve():
        raise CostmodelError(f"{target} is the file being copied")
    from costmodel.files.reading import read_text

    text = read_text(origin)
    if not catalog and _extends_by_name(text, name):
        # The copy would extend the preset of its own name, which it shadows: it would extend itself.
        raise CostmodelError(
            f"{origin} says extends = {name!r}: a user preset named {name!r} would shadow that preset and extend "
            f"itself; choose another name, e.g. `costmodel presets new my-{name} --from {source}`"
        )
    kind = "pricing catalog" if catalog else "preset"
    header = f"# Copied from the {kind} {source!r} ({origin}); edit freely.\n"
    folder.mkdir(parents=True, exist_ok=True)
    from costmodel.files.output import atomic_write

    atomic_write(str(target), header + text)
    shutil.copymode(origin, target)
    return target


def _extends_by_name(text: str, name: str) -> bool:
    """Return True when a scenario file's text says `extends = "NAME"` (a preset name, not a path)."""
    import tomllib

    try:
        data = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, RecursionError, ValueError):
        return False
    return data.get("extends") == name
