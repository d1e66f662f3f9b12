"""The one scenario loader: read a file, resolve its layers (`extends`, `pricing`), apply `--set`, validate.

A scenario file may say `extends = "<preset or relative path>"` (a base scenario whose
tables it overrides key by key) and `pricing = "<catalog>"` or a list of catalogs (whose
`[models]` and `[gpus]` it takes, its own overriding them). `Loader.load` returns the
resolved scenario with its provenance; every error is located: a bad value names the
file and line that set it (a base's own line when it comes from the base), a bad
`extends`/`pricing` names the line that says it, and every problem of a file is reported
together. With `cache=True` (what `costmodel batch` uses) bases and catalogs are parsed
and validated once per batch, and read again only when their modification time changes.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from pydantic import BaseModel, ValidationError

from costmodel.files.fasttoml import Section, loads_fast, loads_shared
from costmodel.files.presets import resolve_ref
from costmodel.files.reading import parse_toml, read_text
from costmodel.files.tomltext import clean_strings, deep_merge, key_lines
from costmodel.model.engine import Estimate
from costmodel.model.errors import (
    CostmodelError,
    FieldIssue,
    NotFoundError,
    ScenarioError,
    ScenarioValidationError,
)
from costmodel.model.finite import FigureOverflowError, finite_estimate
from costmodel.model.paths import format_path, split_path
from costmodel.model.schema import ModelPrice, Scenario
from costmodel.model.text import shorten
from costmodel.model.validation import issues_from, validate_scenario

if TYPE_CHECKING:
    from costmodel.model.catalog import Catalog

__all__ = [
    "CatalogNotScenarioError",
    "LoadedScenario",
    "Loader",
    "apply_overrides",
    "estimate_document",
    "load_catalog",
    "load_document",
    "load_scenario",
    "parse_override",
    "raise_located",
]

MAX_DEPTH = 16
MAX_SECTIONS = 4096  # distinct [table] texts a caching loader keeps (then it starts afresh): memory stays flat
Origins = dict[tuple[str, ...], tuple[str, int]]


class LoadedScenario(NamedTuple):
    """A scenario with where it came from: its file, the layers under it, and the file's text."""

    scenario: Scenario
    path: Path | None
    layers: tuple[Path, ...]
    text: str
    raw: dict[str, Any]
    sources: tuple[tuple[str, str], ...]

    @property
    def origins(self) -> Origins:
        """Return (file, line) of every key path set by the file or its layers (worked out when asked)."""
        return _origins(self.sources)

    @property
    def digest(self) -> str:
        """Return the SHA-256 of the file as it was loaded (compare with `scenario_io.fingerprint(path)`)."""
        import hashlib

        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


class _Layered(NamedTuple):
    """A file with its layers merged: the raw data, the files used, the file's text, where each key is set."""

    data: dict[str, Any]
    layers: tuple[Path, ...]
    text: str
    sources: tuple[tuple[str, str], ...]
    real: frozenset[str]

    @property
    def origins(self) -> Origins:
        """Return (file, line) of every key path, the later layers' lines winning."""
        return _origins(self.sources)


def _display(path: Path | str) -> str:
    return shorten(str(path), 200)


def _origins(sources: tuple[tuple[str, str], ...]) -> Origins:
    """Return (file, line) of every key path written in `sources` ((file, text) in merge order; later wins)."""
    origins: Origins = {}
    for name, text in sources:
        origins.update({keys: (name, line) for keys, line in key_lines(text).items()})
    return origins


def _parse(text: str, path: Path) -> dict[str, Any]:
    """Return the TOML table of a file's text: the fast reader for the plain subset, else tomllib."""
    data = loads_fast(text)
    return data if data is not None else parse_toml(text, _display(path))


def _located(path: Path, line: int | None, key: str, exc: CostmodelError) -> CostmodelError:
    """Return `exc` prefixed with the file and line whose `extends`/`pricing` led to it (same error type)."""
    if type(exc) not in (NotFoundError, ScenarioError, CostmodelError):
        return exc  # a syntax or validation error already names the file it is in
    where = f"{_display(path)}:{line}" if line else _display(path)
    return type(exc)(f"{where}: {key}: {exc}")


class _LazyLines:
    """The key lines of a text, worked out on the first `get` (only an error needs them)."""

    __slots__ = ("_lines", "_text")

    def __init__(self, text: str) -> None:
        self._text = text
        self._lines: dict[tuple[str, ...], int] | None = None

    def get(self, keys: tuple[str, ...]) -> int | None:
        """Return the line of `keys`, or None."""
        if self._lines is None:
            self._lines = key_lines(self._text)
        return self._lines.get(keys)


def _layer_ref(value: Any, key: str, path: Path, lines: Any) -> list[str]:
    """Return `extends`/`pricing` as a list of references, or raise a located error."""
    if isinstance(value, str) and value:
        return [value]
    if key == "pricing" and isinstance(value, list) and value and all(isinstance(v, str) and v for v in value):
        return list(value)
    expected = "a catalog name or path, or a list of them" if key == "pricing" else "a preset name or path"
    given = shorten(repr(value), 60)
    raise ScenarioValidationError(
        _display(path), [FieldIssue(key, f"expected {expected}, got {given}", lines.get((key,)))]
    )


def _validate_table(key: str, value: dict[str, Any]) -> Any:
    """Return the validated model of one top-level table (`models` gives a dict of ModelPrice), or None."""
    if key == "models":
        return {name: ModelPrice.model_validate(price) for name, price in value.items()}
    info = Scenario.model_fields.get(key)
    model = info.annotation if info is not None else None
    if not (isinstance(model, type) and issubclass(model, BaseModel)):
        return None
    return model.model_validate(value)


def _table_may_hold_ranges(key: str, table: dict[str, Any]) -> bool:
    """Return True when a top-level table may hold a range: a table where a number is expected."""
    for value in table.values():
        if isinstance(value, dict) and (key != "models" or any(isinstance(v, dict) for v in value.values())):
            return True
    return False


class CatalogNotScenarioError(ScenarioError):
    """A pricing catalog given where a scenario is expected (batch skips these inside folders)."""


class Loader:
    """Loads scenario files and catalogs with their layers; with `cache`, each shared file is parsed once.

    Cached bases and catalogs are keyed by their real path and re-read when their
    modification time or size changes; a failure is cached too and raised again, located,
    for every file that uses it.
    """

    def __init__(self, cache: bool = False) -> None:
        self.cache = cache
        self._files: dict[str, tuple[tuple[int, int], _Layered | CostmodelError]] = {}
        self._catalogs: dict[str, tuple[tuple[int, int], dict[str, Any] | CostmodelError]] = {}
        # id of a table shared by many files -> [the table, its validated model or None, may it hold a range]
        self._shared: dict[int, list[Any]] = {}
        self._pinned: set[int] = set()  # the shared tables of cached bases and catalogs
        self._sections: dict[str, Section | None] = {}
        self._refs: dict[tuple[str, str, str], Path] = {}
        self._reals: dict[Path, str] = {}

    def _resolve(self, ref: str, folder: Path, kind: str) -> Path:
        """Return the file a reference in `folder` names (cached per folder and reference with `cache`)."""
        if not self.cache:
            return resolve_ref(ref, folder, kind)
        key = (str(folder), ref, kind)
        found = self._refs.get(key)
        if found is None:
            found = resolve_ref(ref, folder, kind)
            self._refs[key] = found
            self._reals[found] = os.path.realpath(found)
        return found

    def _real(self, path: Path, top: bool) -> str:
        """Return the real path of a file: symlinks resolved for a base, just absolute for a top file."""
        if top:
            return os.path.abspath(path)
        return self._reals.get(path) or os.path.realpath(path)

    # --- files and their layers

    @staticmethod
    def _stamp(real: str) -> tuple[int, int]:
        try:
            info = os.stat(real)
        except OSError:
            return (-1, -1)
        return (info.st_mtime_ns, info.st_size)

    def _share(self, table: dict[str, Any], pin: bool = False) -> None:
        """Note a table that many files hold as the very same dict, so that it is validated once."""
        entry = self._shared.get(id(table))
        if entry is None or entry[0] is not table:
            self._shared[id(table)] = [table, None, None]
        if pin:
            self._pinned.add(id(table))

    def _parse(self, text: str, path: Path) -> dict[str, Any]:
        """Return the TOML table of a file's text; with `cache`, a [table] read before is the very dict read then."""
        if not self.cache:
            return _parse(text, path)
        if len(self._sections) > MAX_SECTIONS:
            for section in self._sections.values():
                if section is not None and id(section[1]) not in self._pinned:
                    self._shared.pop(id(section[1]), None)
            self._sections.clear()
        data = loads_shared(text, self._sections, self._share)
        return data if data is not None else parse_toml(text, _display(path))

    def layered(self, path: Path, chain: tuple[str, ...] = ()) -> _Layered:
        """Return a file's raw data merged over its bases and catalogs, the files used and where keys are set.

        `chain` holds the real paths of the files that extend this one (to detect a circle).
        """
        real = self._real(path, not chain)
        if real in chain:
            cycle = " -> ".join(_display(p) for p in (*chain, real))
            raise ScenarioError(f"{_display(path)}: `extends` goes round in a circle: {cycle}")
        if len(chain) >= MAX_DEPTH:
            raise ScenarioError(f"{_display(path)}: `extends` nests deeper than {MAX_DEPTH} files")
        if not self.cache or not chain:
            return self._read_layered(path, real, chain)
        stamp = self._stamp(real)
        cached = self._files.get(real)
        if cached is None or cached[0] != stamp:
            try:
                value: _Layered | CostmodelError = self._read_layered(path, real, chain)
            except CostmodelError as exc:
                value = exc
            cached = (stamp, value)
            self._files[real] = cached
            if isinstance(value, _Layered):
                for table in value.data.values():
                    if isinstance(table, dict):
                        self._share(table, pin=True)
        value = cached[1]
        if isinstance(value, CostmodelError):
            raise value.with_traceback(None)
        if value.real & set(chain):
            cycle = " -> ".join(_display(p) for p in (*chain, real))
            raise ScenarioError(f"{_display(path)}: `extends` goes round in a circle: {cycle}")
        return value

    def _read_layered(self, path: Path, real: str, chain: tuple[str, ...]) -> _Layered:
        text = read_text(path)
        data = self._parse(text, path)
        if "\\" in text or "\r" in text:  # an escape may hide a control character (raw ones are not TOML but tab)
            data = clean_strings(data)
        own = ((_display(path), text),)
        if "extends" not in data and "pricing" not in data:
            return _Layered(data, (path,), text, own, frozenset((real,)))
        data = dict(data)
        merged, bases, catalogs, sources, used = self._layers(data, path, real, chain, text)
        return _Layered(deep_merge(merged, data), (*bases, path, *catalogs), text, sources + own, frozenset(used))

    def _layers(
        self, data: dict[str, Any], path: Path, real: str, chain: tuple[str, ...], text: str
    ) -> tuple[dict[str, Any], tuple[Path, ...], tuple[Path, ...], tuple[tuple[str, str], ...], set[str]]:
        """Pop `extends` and `pricing` from a file's data; return what they give and the files used.

        References resolve relative to `path`'s folder. Returns (merged raw data, the base's
        layers, the catalogs, the (file, text) sources in merge order, the real paths used).
        """
        merged: dict[str, Any] = {}
        sources: tuple[tuple[str, str], ...] = ()
        lines = _LazyLines(text)
        bases: tuple[Path, ...] = ()
        catalogs: tuple[Path, ...] = ()
        used: set[str] = {real}
        if "extends" in data:
            (ref,) = _layer_ref(data.pop("extends"), "extends", path, lines)
            try:
                base_path = self._resolve(ref, path.parent, "preset")
                base = self.layered(base_path, (*chain, real))
            except CostmodelError as exc:
                raise _located(path, lines.get(("extends",)), "extends", exc) from None
            merged, bases, sources = base.data, base.layers, base.sources
            used |= base.real
        if "pricing" in data:
            for ref in _layer_ref(data.pop("pricing"), "pricing", path, lines):
                try:
                    catalog_path = self._resolve(ref, path.parent, "catalog")
                    layer, catalog_source = self._catalog_layer(catalog_path)
                except CostmodelError as exc:
                    raise _located(path, lines.get(("pricing",)), "pricing", exc) from None
                merged = deep_merge(merged, layer)
                sources = (*sources, catalog_source)
                catalogs = (*catalogs, catalog_path)
        return merged, bases, catalogs, sources, used

    def layers_of(self, refs: dict[str, Any], path: Path) -> dict[str, Any]:
        """Return the raw data that `extends`/`pricing` entries give a file at `path` (resolved from its folder)."""
        real = os.path.realpath(path)
        return self._layers(dict(refs), path, real, (), "")[0]

    def _catalog_layer(self, path: Path) -> tuple[dict[str, Any], tuple[str, str]]:
        """Return the `models` and `gpus` a catalog gives a scenario, as raw data, and where each is written."""
        real = os.path.realpath(path)
        stamp = self._stamp(real) if self.cache else None
        cached = self._catalogs.get(real) if self.cache else None
        if cached is None or cached[0] != stamp:
            try:
                catalog, text = self._catalog(path)
                layer: dict[str, Any] = {
                    "models": {
                        name: m.model_dump(exclude_none=True, exclude_defaults=True)
                        for name, m in catalog.models.items()
                    }
                }
                if catalog.gpus:
                    layer["gpus"] = {name: g.model_dump(exclude_none=True) for name, g in catalog.gpus.items()}
                if self.cache:
                    for table in layer.values():
                        self._share(table, pin=True)
                value: dict[str, Any] | CostmodelError = {"layer": layer, "source": (_display(path), text)}
            except CostmodelError as exc:
                value = exc
            if self.cache and stamp is not None:
                self._catalogs[real] = (stamp, value)
        else:
            value = cached[1]
        if isinstance(value, CostmodelError):
            raise value.with_traceback(None)
        return value["layer"], value["source"]

    def _catalog(self, path: Path) -> tuple[Catalog, str]:
        from costmodel.model.catalog import Catalog  # built only when a file takes a catalog

        text = read_text(path)
        data = _parse(text, path)
        if "\\" in text or "\r" in text:
            data = clean_strings(data)
        try:
            return Catalog.model_validate(data), text
        except ValidationError as exc:
            raise ScenarioValidationError(None, issues_from(exc)).with_source(_display(path), key_lines(text)) from None

    def catalog(self, ref: str | Path, relative_to: Path | None = None) -> Catalog:
        """Return the validated pricing catalog named by `ref` (catalog name or path)."""
        path = ref if isinstance(ref, Path) else resolve_ref(ref, relative_to, "catalog")
        return self._catalog(path)[0]

    # --- validation

    def _validate(self, data: dict[str, Any]) -> Scenario:
        """Return the Scenario of merged data, reusing validated tables that many files share.

        A table a file does not touch is the very dict object of its base (deep_merge keeps
        it), and a [table] written alike in many files is one dict (`loads_shared`), so its
        validated model is reused. Data that may hold ranges and any data that fails go
        through `validate_scenario`, which gives the exact result or every issue.
        """
        if self._may_hold_ranges(data):
            return validate_scenario(data)
        parts: dict[str, Any] = {}
        try:
            for key, value in data.items():
                if not isinstance(value, dict):
                    parts[key] = value
                    continue
                validated = self._validated(key, value)
                if validated is None and key == "models":
                    validated = {name: self._validated("", price) or price for name, price in value.items()}
                parts[key] = validated or value
            return Scenario.model_validate(parts)
        except ValidationError:
            return validate_scenario(data)

    def _validated(self, key: str, table: dict[str, Any]) -> Any:
        """Return the validated model of a shared table (`key` "" for one model's prices), or None when not shared.

        Raises ValidationError when the table is not valid.
        """
        entry = self._shared.get(id(table))
        if entry is None or entry[0] is not table:
            return None
        if entry[1] is None:
            if key:
                entry[1] = _validate_table(key, table) or table
            else:
                entry[1] = ModelPrice.model_validate(table) if isinstance(table, dict) else table
        return entry[1]

    def _may_hold_ranges(self, data: dict[str, Any]) -> bool:
        """Return True when raw data may hold a range: a `ranges` table, or a table where a number is expected.

        A shared table is looked at once.
        """
        if "ranges" in data:
            return True
        for key, table in data.items():
            if not isinstance(table, dict):
                continue
            entry = self._shared.get(id(table))
            if entry is None or entry[0] is not table:
                if _table_may_hold_ranges(key, table):
                    return True
                continue
            if entry[2] is None:
                entry[2] = _table_may_hold_ranges(key, table)
            if entry[2]:
                return True
        return False

    def load(self, ref: str | Path, overrides: Iterable[str] = ()) -> LoadedScenario:
        """Return the scenario a file or preset name resolves to, `--set` overrides applied, with its provenance.

        Raises NotFoundError, ScenarioError, ScenarioSyntaxError or ScenarioValidationError
        naming the file (and line) of each problem.
        """
        path = ref if isinstance(ref, Path) else resolve_ref(str(ref), None, "preset")
        layered = self.layered(path)
        if isinstance(layered.data.get("catalog"), dict) and "workload" not in layered.data:
            raise CatalogNotScenarioError(
                f'{_display(path)}: is a pricing catalog, not a scenario; use it with pricing = "{path.stem}"'
            )
        overrides = list(overrides)
        data = apply_overrides(layered.data, overrides) if overrides else layered.data
        if overrides:
            data = clean_strings(data)
        try:
            scenario = self._validate(data)
        except ScenarioValidationError as exc:
            raise _blame_overrides(exc, overrides).with_origins(_display(path), layered.origins) from None
        return LoadedScenario(scenario, path, layered.layers, layered.text, data, layered.sources)


def parse_override(assignment: str) -> tuple[tuple[str, ...], Any]:
    """Return (path, value) of a `dotted.path=value` override; the value is read as TOML, else text.

    Raises ScenarioError when there is no `=` or the path is malformed.
    """
    path_text, sep, value_text = assignment.partition("=")
    shown = shorten(repr(assignment), 80)
    if not sep or not path_text.strip():
        raise ScenarioError(f"--set {shown}: expected dotted.path=value, e.g. workload.requests_per_month=80000")
    try:
        path = split_path(path_text.strip())
    except ValueError:
        raise ScenarioError(f"--set {shown}: the field path is malformed (an unclosed quote or an empty key)") from None
    value_text = value_text.strip()
    import tomllib  # here: a batch of plain files never needs it at start-up

    try:
        value = tomllib.loads(f"v = {value_text}")["v"]
    except tomllib.TOMLDecodeError:
        value = value_text
    except (RecursionError, ValueError):
        raise ScenarioError(f"--set {shown}: the value cannot be read (nested too deeply or too many digits)") from None
    return path, value


def apply_overrides(data: dict[str, Any], overrides: Iterable[str]) -> dict[str, Any]:
    """Return `data` with each `dotted.path=value` override set (tables created as needed; `data` unchanged)."""
    result = dict(data)
    for assignment in overrides:
        path, value = parse_override(assignment)
        node = result
        for key in path[:-1]:
            child = node.get(key)
            if not isinstance(child, dict):
                if child is not None:
                    shown = shorten(repr(assignment), 80)
                    raise ScenarioError(f"--set {shown}: {format_path(path[:-1])} is not a table")
                child = {}
            child = dict(child)
            node[key] = child
            node = child
        node[path[-1]] = value
    return result


def _blame_overrides(error: ScenarioValidationError, overrides: list[str]) -> ScenarioValidationError:
    """Return `error` with issues caused by a `--set` naming it instead of a line of the file."""
    if not overrides:
        return error
    by_path = {format_path(parse_override(o)[0]): o for o in overrides}
    issues = []
    for i in error.issues:
        blamed = by_path.get(i.path)
        if blamed is None:
            blamed = next((o for p, o in by_path.items() if i.path.startswith(p + ".")), None)
        if blamed is not None:
            issues.append(FieldIssue(i.path, f"{i.message} (from --set {shorten(blamed, 80)})", 0))
        else:
            issues.append(i)
    return type(error)(error.source, issues)


_DEFAULT = Loader()


def load_document(ref: str | Path, overrides: Iterable[str] = ()) -> LoadedScenario:
    """Return the scenario a file or preset name resolves to, with its provenance (see `Loader.load`)."""
    return _DEFAULT.load(ref, overrides)


def load_scenario(ref: str | Path, overrides: Iterable[str] = ()) -> Scenario:
    """Return the validated Scenario of a file path or preset name, `--set` overrides applied."""
    return _DEFAULT.load(ref, overrides).scenario


def load_catalog(ref: str | Path, relative_to: Path | None = None) -> Catalog:
    """Return the validated pricing catalog named by `ref` (catalog name or path)."""
    return _DEFAULT.catalog(ref, relative_to)


def estimate_document(
    doc: LoadedScenario, months: int | None = None, overrides: Iterable[str] = (), today: date | None = None
) -> Estimate:
    """Return the finite estimate of a loaded scenario (amounts in its currency); figures that overflow raise a
    FigureOverflowError located in `doc`'s files (and in `overrides`, the `--set`s it was loaded with).
    `today` dates the timeline as `estimate()` does.
    """
    try:
        return finite_estimate(doc.scenario, months, today)
    except FigureOverflowError as exc:
        raise_located(exc, doc, overrides)
        raise


def raise_located(error: ScenarioValidationError, doc: LoadedScenario, overrides: Iterable[str] = ()) -> None:
    """Raise `error` (issues by key path, e.g. figures that overflow) located in `doc`'s files and `--set`s."""
    source = _display(doc.path) if doc.path is not None else "scenario"
    raise _blame_overrides(error, list(overrides)).with_origins(source, doc.origins) from None
