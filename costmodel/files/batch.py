"""Estimate many scenario files in one go: expand paths, load with shared layers cached, stream results.

`iter_scenario_files` turns files, folders and globs into a lazy stream of paths;
`BatchLoader` loads each file the way `load_scenario` does, but parses a shared base
(`extends`) or pricing catalog once per batch; `iter_batch` yields one `BatchItem` per
file (an Estimate or the error that stopped that file) without keeping earlier ones.
Nothing here prints: the `batch` command decides how to show items.
"""

from __future__ import annotations

import glob
import os
import tomllib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from costmodel.files.fasttoml import loads_fast
from costmodel.files.presets import resolve_ref
from costmodel.files.scenario_io import _layer_ref, _load_layers, deep_merge, key_lines, load_catalog, read_toml
from costmodel.model.engine import Estimate, estimate
from costmodel.model.errors import CostmodelError, NotFoundError, ScenarioValidationError
from costmodel.model.schema import ModelPrice, Scenario
from costmodel.model.validation import validate_scenario

__all__ = [
    "BatchItem",
    "BatchLoader",
    "PathProblem",
    "count_scenario_files",
    "iter_batch",
    "iter_scenario_files",
]

_GLOB_CHARS = frozenset("*?[")


@dataclass(frozen=True, slots=True)
class PathProblem:
    """A command-line PATH that yields no scenario file (missing, empty folder, glob matching nothing)."""

    path: str
    reason: str


@dataclass(frozen=True, slots=True)
class BatchItem:
    """One file's outcome: its estimate, or the error that stopped it (exactly one is set)."""

    path: str
    estimate: Estimate | None = None
    error: CostmodelError | None = None
    scenario: Scenario | None = None


def _walk_sorted(folder: str) -> Iterator[str]:
    """Yield every `*.toml` file under `folder`, depth first, names sorted, hidden entries skipped."""
    try:
        with os.scandir(folder) as it:
            entries = sorted((e for e in it if not e.name.startswith(".")), key=lambda e: e.name)
    except OSError:
        return
    for entry in entries:
        try:
            is_dir = entry.is_dir()
        except OSError:
            continue
        if is_dir:
            yield from _walk_sorted(entry.path)
        elif entry.name.endswith(".toml"):
            yield entry.path


def iter_scenario_files(paths: Iterable[str]) -> Iterator[str | PathProblem]:
    """Yield the scenario files named by `paths`, in order, lazily.

    A file is yielded as given (even without a .toml suffix); a folder yields every
    `*.toml` below it (recursively, sorted, hidden files skipped); a pattern with `*`, `?`
    or `[` that is not an existing file is a glob (`**` recurses) whose matches are sorted.
    Returns an iterator of path strings, with a PathProblem where an argument yields nothing.
    """
    for raw in paths:
        if os.path.isdir(raw):
            found = False
            for path in _walk_sorted(raw):
                found = True
                yield path
            if not found:
                yield PathProblem(raw, "folder holds no .toml files")
        elif os.path.exists(raw) or not (_GLOB_CHARS & set(raw)):
            if os.path.exists(raw):
                yield raw
            else:
                yield PathProblem(raw, "no such file or folder")
        else:
            matches = sorted(glob.iglob(os.path.expanduser(raw), recursive=True))
            found = False
            for match in matches:
                if os.path.isdir(match):
                    for path in _walk_sorted(match):
                        found = True
                        yield path
                elif match.endswith(".toml") or os.path.isfile(match):
                    found = True
                    yield match
            if not found:
                yield PathProblem(raw, "no file matches this pattern")


def count_scenario_files(paths: Iterable[str]) -> int:
    """Return how many files `iter_scenario_files(paths)` would yield (for a progress bar)."""
    return sum(1 for item in iter_scenario_files(paths) if isinstance(item, str))


_PLAIN = object()


def _may_hold_ranges(data: dict[str, Any]) -> bool:
    """Return True when raw data may hold a range: a `ranges` table, or a table where a number is expected."""
    if "ranges" in data:
        return True
    for key, table in data.items():
        if not isinstance(table, dict):
            continue
        for value in table.values():
            if isinstance(value, dict) and (key != "models" or any(isinstance(v, dict) for v in value.values())):
                return True
    return False


def _validate_table(key: str, value: dict[str, Any]) -> Any:
    """Return the validated model of one top-level table (`models` gives a dict of ModelPrice).

    Returns `_PLAIN` for a key that is not a table of its own model (it is validated with the scenario).
    """
    if key == "models":
        return {name: ModelPrice.model_validate(price) for name, price in value.items()}
    field = Scenario.model_fields.get(key)
    model = field.annotation if field is not None else None
    if not (isinstance(model, type) and issubclass(model, BaseModel)):
        return _PLAIN
    return model.model_validate(value)


class BatchLoader:
    """Loads scenario files like `load_scenario`, parsing each shared base or catalog once.

    Bases (`extends`) and catalogs (`pricing`) are cached by their resolved path and
    re-read only when their modification time changes. A failure is raised as the same
    located CostmodelError that `load_scenario` raises.
    """

    def __init__(self) -> None:
        self._refs: dict[tuple[str, str, str], tuple[Path, str]] = {}
        self._bases: dict[str, tuple[int, dict[str, Any] | CostmodelError]] = {}
        self._catalogs: dict[str, tuple[int, dict[str, Any] | CostmodelError]] = {}
        self._shared: dict[int, list[Any]] = {}

    def _resolve_cached(self, ref: str, folder: Path, kind: str) -> tuple[Path, str]:
        """Return the file a reference in `folder` names and its real path (cached per folder and reference)."""
        key = (str(folder), ref, kind)
        found = self._refs.get(key)
        if found is None:
            path = resolve_ref(ref, folder, kind)
            found = (path, os.path.realpath(path))
            self._refs[key] = found
        return found

    @staticmethod
    def _mtime(path: str) -> int:
        """Return the file's modification time in ns, or -1 when it cannot be read."""
        try:
            return os.stat(path).st_mtime_ns
        except OSError:
            return -1

    def _base(self, found: tuple[Path, str], top: Path) -> dict[str, Any]:
        """Return the merged raw data of a base scenario and its own layers (cached by real path and mtime)."""
        path, key = found

        def load() -> dict[str, Any]:
            value = _load_layers(path, (top.resolve(),))[0]
            self._share(value)
            return value

        return self._cached(self._bases, key, load)

    def _catalog_models(self, found: tuple[Path, str]) -> dict[str, Any]:
        """Return a catalog's `[models]` as plain data (cached by real path and mtime)."""
        path, key = found

        def load() -> dict[str, Any]:
            return {name: m.model_dump(exclude_none=True) for name, m in load_catalog(path).models.items()}

        return self._cached(self._catalogs, key, load)

    def _cached(
        self,
        store: dict[str, tuple[int, dict[str, Any] | CostmodelError]],
        key: str,
        load: Callable[[], dict[str, Any]],
    ) -> dict[str, Any]:
        """Return `load()`'s result for the file `key`, kept in `store` until the file's mtime changes.

        A failure is kept too, and raised again for every scenario that uses the file.
        """
        mtime = self._mtime(key)
        cached = store.get(key)
        if cached is None or cached[0] != mtime:
            try:
                value: dict[str, Any] | CostmodelError = load()
            except CostmodelError as exc:
                value = exc
            cached = (mtime, value)
            store[key] = cached
        value = cached[1]
        if isinstance(value, CostmodelError):
            raise value.with_traceback(None)
        return value

    def _validate(self, data: dict[str, Any]) -> Scenario:
        """Return the Scenario of merged data, reusing validated tables that come unchanged from a base.

        A table a file does not touch is the very dict object of its base (deep_merge keeps
        it), so its validated model is reused. Data that may hold ranges (a table where a
        number is expected, or a `ranges` table) and any data that fails go through
        `validate_scenario`, which gives the exact result or the located error.
        """
        if _may_hold_ranges(data):
            return validate_scenario(data)
        parts: dict[str, Any] = {}
        for key, value in data.items():
            entry = self._shared.get(id(value)) if isinstance(value, dict) else None
            if entry is not None and entry[0] is value:
                if entry[1] is None:
                    try:
                        entry[1] = _validate_table(key, value)
                    except ValidationError:
                        return validate_scenario(data)
                parts[key] = value if entry[1] is _PLAIN else entry[1]
            else:
                parts[key] = value
        try:
            return Scenario.model_validate(parts)
        except ValidationError:
            return validate_scenario(data)

    def _share(self, data: dict[str, Any]) -> None:
        """Remember the top-level tables of a cached base so that their validated models can be reused."""
        for value in data.values():
            if isinstance(value, dict):
                self._shared[id(value)] = [value, None]

    def load(self, file: str | Path) -> Scenario:
        """Return the validated Scenario of one file (layers resolved as `load_scenario` does).

        Raises NotFoundError, ScenarioSyntaxError or ScenarioValidationError naming the file.
        """
        path = Path(file)
        text: str | None = None
        try:
            with open(file, "rb") as handle:
                source = handle.read().decode("utf-8")
            data = loads_fast(source)
            if data is None:
                data = tomllib.loads(source)
        except (OSError, ValueError):
            # Let the careful reader produce the located message (or succeed after a race).
            data, text = read_toml(path)
        merged: dict[str, Any] = {}
        if "extends" in data:
            ref = data.pop("extends")
            if not (isinstance(ref, str) and ref):
                _layer_ref(ref, "extends", path, key_lines(text or path.read_text(encoding="utf-8")))
            merged = self._base(self._resolve_cached(ref, path.parent, "preset"), path)
        if "pricing" in data:
            refs = data.pop("pricing")
            if not (isinstance(refs, str) and refs):
                refs = _layer_ref(refs, "pricing", path, key_lines(text or path.read_text(encoding="utf-8")))
            for ref in [refs] if isinstance(refs, str) else refs:
                models = self._catalog_models(self._resolve_cached(ref, path.parent, "catalog"))
                merged = deep_merge(merged, {"models": models})
        if merged:
            data = deep_merge(merged, data)
        try:
            return self._validate(data)
        except ScenarioValidationError as exc:
            if text is None:
                text = path.read_text(encoding="utf-8", errors="replace")
            raise exc.with_source(str(path), key_lines(text)) from None


def iter_batch(paths: Iterable[str], months: int | None = None) -> Iterator[BatchItem]:
    """Yield one BatchItem per scenario file named by `paths`, estimating each as it comes.

    A file that cannot be loaded yields an item carrying its error and the batch goes on;
    a PATH argument that yields no file yields an item with a NotFoundError. Amounts in
    each estimate are in that scenario's currency.
    """
    loader = BatchLoader()
    for item in iter_scenario_files(paths):
        if isinstance(item, PathProblem):
            yield BatchItem(item.path, error=NotFoundError(f"{item.path}: {item.reason}"))
            continue
        try:
            scenario = loader.load(item)
            est = estimate(scenario, months=months)
        except CostmodelError as exc:
            yield BatchItem(item, error=exc)
            continue
        yield BatchItem(item, estimate=est, scenario=scenario)
