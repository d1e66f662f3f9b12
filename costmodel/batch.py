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
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from costmodel.engine import Estimate, estimate
from costmodel.errors import CostmodelError, NotFoundError, ScenarioValidationError
from costmodel.scenario_io import _layer_ref, _load_layers, _resolve, deep_merge, key_lines, load_catalog, read_toml
from costmodel.schema import Scenario
from costmodel.validation import validate_scenario

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


class BatchLoader:
    """Loads scenario files like `load_scenario`, parsing each shared base or catalog once.

    Bases (`extends`) and catalogs (`pricing`) are cached by their resolved path and
    re-read only when their modification time changes. A failure is raised as the same
    located CostmodelError that `load_scenario` raises.
    """

    def __init__(self) -> None:
        self._refs: dict[tuple[str, str, str], Path] = {}
        self._bases: dict[str, tuple[int, dict[str, Any] | CostmodelError]] = {}
        self._catalogs: dict[str, tuple[int, dict[str, Any] | CostmodelError]] = {}

    def _resolve_cached(self, ref: str, folder: Path, kind: str) -> Path:
        """Return the file a reference in `folder` names (cached per folder and reference)."""
        key = (str(folder), ref, kind)
        found = self._refs.get(key)
        if found is None:
            found = _resolve(ref, folder, kind)
            self._refs[key] = found
        return found

    @staticmethod
    def _mtime(path: Path) -> int:
        try:
            return os.stat(path).st_mtime_ns
        except OSError:
            return -1

    def _base(self, path: Path, top: Path) -> dict[str, Any]:
        """Return the merged raw data of a base scenario and its own layers (cached)."""
        key = str(path)
        mtime = self._mtime(path)
        cached = self._bases.get(key)
        if cached is None or cached[0] != mtime:
            try:
                value: dict[str, Any] | CostmodelError = _load_layers(path, (top.resolve(),))[0]
            except CostmodelError as exc:
                value = exc
            cached = (mtime, value)
            self._bases[key] = cached
        value = cached[1]
        if isinstance(value, CostmodelError):
            raise value.with_traceback(None)
        return value

    def _catalog_models(self, path: Path) -> dict[str, Any]:
        """Return a catalog's `[models]` as plain data (cached)."""
        key = str(path)
        mtime = self._mtime(path)
        cached = self._catalogs.get(key)
        if cached is None or cached[0] != mtime:
            try:
                catalog = load_catalog(path)
                value: dict[str, Any] | CostmodelError = {
                    name: m.model_dump(exclude_none=True) for name, m in catalog.models.items()
                }
            except CostmodelError as exc:
                value = exc
            cached = (mtime, value)
            self._catalogs[key] = cached
        value = cached[1]
        if isinstance(value, CostmodelError):
            raise value.with_traceback(None)
        return value

    def load(self, file: str | Path) -> Scenario:
        """Return the validated Scenario of one file (layers resolved as `load_scenario` does).

        Raises NotFoundError, ScenarioSyntaxError or ScenarioValidationError naming the file.
        """
        path = Path(file)
        text: str | None = None
        try:
            with open(path, "rb") as handle:
                data = tomllib.loads(handle.read().decode("utf-8"))
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
            return validate_scenario(data)
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
            est = estimate(loader.load(item), months=months)
        except CostmodelError as exc:
            yield BatchItem(item, error=exc)
            continue
        yield BatchItem(item, estimate=est)
