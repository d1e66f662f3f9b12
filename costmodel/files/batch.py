"""Estimate many scenario files in one go: expand paths, load with shared layers cached, stream results.

`iter_scenario_files` turns files, folders and globs into a lazy stream of paths (and of
problems: an unreadable folder, a symlink loop, a file that is not a regular file, a
symlink that leads out of the folder given); `iter_batch` loads each file with the one
loader (costmodel.files.loader, with its cache, so a shared base or catalog is parsed
once per batch) and yields one `BatchItem` per file: its scenario and finite estimate,
or the error that stopped that file, without keeping earlier ones. Nothing here prints:
the `batch` command decides how to show items.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import NamedTuple

from costmodel.files.loader import CatalogNotScenarioError, Loader, estimate_document
from costmodel.files.reading import os_problem
from costmodel.model.engine import Estimate
from costmodel.model.errors import CostmodelError, NotFoundError, ScenarioError
from costmodel.model.schema import Scenario
from costmodel.model.text import shorten

__all__ = [
    "BatchItem",
    "PathProblem",
    "batch_item",
    "count_scenario_files",
    "iter_batch",
    "iter_scenario_files",
]

_GLOB_CHARS = frozenset("*?[")


class PathProblem(NamedTuple):
    """A command-line PATH that yields no scenario file (missing, empty folder, glob matching nothing)."""

    path: str
    reason: str


class BatchItem(NamedTuple):
    """One file's outcome: its scenario and estimate, or the error that stopped it."""

    path: str
    estimate: Estimate | None = None
    error: CostmodelError | None = None
    scenario: Scenario | None = None


def _walk_sorted(folder: str, root: str, seen: set[tuple[int, int]]) -> Iterator[str | PathProblem]:
    """Yield every `*.toml` file under `folder`, depth first, names sorted, hidden entries skipped.

    A folder that cannot be read and a symlink loop are yielded as PathProblems. A
    symlinked folder is followed once (`seen` holds the folders already walked); a
    symlinked file whose target lies outside `root` is reported, not read.
    """
    try:
        info = os.stat(folder)
        key = (info.st_dev, info.st_ino)
        if key in seen:
            yield PathProblem(folder, "a symlinked folder leads back to a folder already read (a loop); skipped")
            return
        seen.add(key)
        with os.scandir(folder) as it:
            entries = sorted((e for e in it if not e.name.startswith(".")), key=lambda e: e.name)
    except OSError as exc:
        yield PathProblem(folder, f"cannot read this folder: {os_problem(exc)}")
        return
    for entry in entries:
        try:
            is_dir = entry.is_dir()
            is_link = entry.is_symlink()
        except OSError as exc:
            yield PathProblem(entry.path, f"cannot read: {os_problem(exc)}")
            continue
        if is_dir:
            yield from _walk_sorted(entry.path, root, seen)
        elif entry.name.endswith(".toml"):
            if is_link:
                target = os.path.realpath(entry.path)
                if os.path.commonpath([target, root]) != root:
                    yield PathProblem(
                        entry.path, f"is a symlink to {shorten(target)}, outside {shorten(root)}; skipped"
                    )
                    continue
            yield entry.path


def _walk(folder: str) -> Iterator[str | PathProblem]:
    """Yield what `_walk_sorted` yields for one folder given on the command line."""
    return _walk_sorted(folder, os.path.realpath(folder), set())


def _is_dir(path: str) -> bool:
    try:
        return os.path.isdir(path)
    except (OSError, ValueError):
        return False


def _exists(path: str) -> bool:
    try:
        return os.path.lexists(path)
    except (OSError, ValueError):
        return False


def iter_scenario_files(paths: Iterable[str]) -> Iterator[str | PathProblem]:
    """Yield the scenario files named by `paths`, in order, lazily.

    A file is yielded as given (even without a .toml suffix); a folder yields every
    `*.toml` below it (recursively, sorted, hidden files skipped, symlinked folders
    followed once); a pattern with `*`, `?` or `[` that is not an existing file is a glob
    (`**` recurses) whose matches are sorted. Returns an iterator of path strings, with a
    PathProblem where an argument yields nothing or a folder cannot be read.
    """
    for raw in paths:
        if _is_dir(raw):
            found = False
            for path in _walk(raw):
                found = found or isinstance(path, str)
                yield path
            if not found:
                yield PathProblem(raw, "folder holds no .toml files")
        elif _exists(raw) or not (_GLOB_CHARS & set(raw)):
            if _exists(raw):
                yield raw
            elif len(os.path.basename(raw)) > 255:
                yield PathProblem(raw, "the file name is too long for the file system")
            else:
                yield PathProblem(raw, "no such file or folder")
        else:
            try:
                matches = sorted(glob.iglob(os.path.expanduser(raw), recursive=True))
            except (OSError, ValueError, RecursionError) as exc:
                yield PathProblem(raw, f"cannot expand this pattern: {exc}")
                continue
            found = False
            for match in matches:
                if _is_dir(match):
                    for path in _walk(match):
                        found = found or isinstance(path, str)
                        yield path
                elif match.endswith(".toml") or os.path.isfile(match):
                    found = True
                    yield match
            if not found:
                yield PathProblem(raw, "no file matches this pattern")


def count_scenario_files(paths: Iterable[str]) -> int:
    """Return how many files `iter_scenario_files(paths)` would yield (for a progress bar)."""
    return sum(1 for item in iter_scenario_files(paths) if isinstance(item, str))


def batch_item(
    loader: Loader,
    entry: str | PathProblem,
    named: bool,
    months: int | None = None,
    today: date | None = None,
) -> BatchItem | None:
    """Return the BatchItem of one entry of `iter_scenario_files`, or None for a catalog to skip.

    `loader` is the batch's caching loader; `named` says whether the file was named on the
    command line (a pricing catalog is then an error, while one found in a folder is skipped).
    A PathProblem gives an item with a NotFoundError or ScenarioError; a file that cannot
    be loaded, or whose figures overflow, an item carrying its located error.
    """
    if isinstance(entry, PathProblem):
        kind = NotFoundError if "no such" in entry.reason or "matches" in entry.reason else ScenarioError
        return BatchItem(entry.path, error=kind(f"{shorten(entry.path)}: {entry.reason}"))
    try:
        doc = loader.load(Path(entry))  # a file that was listed: no preset name to look up
    except CatalogNotScenarioError as exc:
        return BatchItem(entry, error=exc) if named else None  # a catalog in a folder is not a scenario
    except CostmodelError as exc:
        return BatchItem(entry, error=exc)
    try:
        est = estimate_document(doc, months, today=today)
    except CostmodelError as exc:
        return BatchItem(entry, error=exc)
    return BatchItem(entry, estimate=est, scenario=doc.scenario)


def iter_batch(paths: Iterable[str], months: int | None = None, today: date | None = None) -> Iterator[BatchItem]:
    """Yield one BatchItem per scenario file named by `paths`, estimating each as it comes.

    A file that cannot be loaded, or whose figures overflow, yields an item carrying its
    located error and the batch goes on; a PATH argument that yields no file (or a folder
    that cannot be read) yields an item with a NotFoundError or ScenarioError. Amounts in
    each estimate are in that scenario's currency; every figure is finite. `today` dates
    the timeline as `estimate()` does.
    """
    paths = list(paths)
    loader = Loader(cache=True)
    named = set(paths)
    for entry in iter_scenario_files(paths):
        item = batch_item(loader, entry, isinstance(entry, str) and entry in named, months, today)
        if item is not None:
            yield item
