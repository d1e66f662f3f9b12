"""Read and write scenario files: TOML with located errors, layering, overrides, atomic saves.

A scenario file may say `extends = "<preset or relative path>"` (a base scenario whose
tables it overrides key by key) and `pricing = "<catalog>"` or a list of catalogs (whose
`[models]` it takes, its own `[models]` overriding). What `load_scenario` returns is the
resolved Scenario; `save_scenario` writes it back self-contained.
"""

from __future__ import annotations

import contextlib
import os
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from costmodel.files.presets import resolve_ref
from costmodel.model.errors import (
    FieldIssue,
    NotFoundError,
    ScenarioError,
    ScenarioSyntaxError,
    ScenarioValidationError,
)
from costmodel.model.paths import format_path, split_path
from costmodel.model.ranges import format_range, is_range_table
from costmodel.model.schema import Catalog, Range, Scenario
from costmodel.model.validation import issues_from, validate_scenario

__all__ = [
    "LoadedScenario",
    "apply_overrides",
    "dump_scenario",
    "fingerprint",
    "load_catalog",
    "load_document",
    "load_scenario",
    "parse_override",
    "save_scenario",
    "scenario_data",
]

_TOML_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)")
_HEADER = re.compile(r"^\s*\[\[?\s*(.+?)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(r'^\s*("[^"]*"|[A-Za-z0-9_.\-" ]+?)\s*=')
_MAX_DEPTH = 16


@dataclass(frozen=True, slots=True)
class LoadedScenario:
    """A scenario with where it came from: its file, the layers under it, and the file's text."""

    scenario: Scenario
    path: Path | None
    layers: tuple[Path, ...] = ()
    text: str = ""
    raw: dict[str, Any] = field(default_factory=dict)

    @property
    def digest(self) -> str:
        """Return the SHA-256 of the file as it was loaded (compare with `fingerprint(path)`)."""
        return _sha256(self.text.encode("utf-8"))


def _sha256(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()


def _display(path: Path) -> str:
    return str(path)


def read_toml(path: Path) -> tuple[dict[str, Any], str]:
    """Return the parsed TOML table of `path` and its text.

    Raises NotFoundError for a missing file, ScenarioError for a folder or an unreadable
    file, ScenarioSyntaxError (with line and column) for bad UTF-8 or bad TOML.
    """
    src = _display(path)
    if not path.exists():
        raise NotFoundError(f"{src}: no such file")
    if path.is_dir():
        raise ScenarioError(f"{src}: is a folder; expected a scenario .toml file")
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ScenarioError(f"{src}: cannot read: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ScenarioSyntaxError(
            src, f"not UTF-8 text (byte 0x{raw[exc.start]:02x}); a scenario is a TOML text file", line, column
        ) from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise ScenarioSyntaxError(src, "binary data (a NUL byte); a scenario is a TOML text file", line)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        match = _TOML_POSITION.search(message)
        reason = _TOML_POSITION.sub("", message).strip()
        position = (int(match[1]), int(match[2])) if match else (None, None)
        raise ScenarioSyntaxError(src, f"TOML syntax error: {reason}", *position) from None
    return data, text


def key_lines(text: str) -> dict[tuple[str, ...], int]:
    """Return the line number of every table header and `key =` line, by dotted path."""
    lines: dict[tuple[str, ...], int] = {}
    table: tuple[str, ...] = ()
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        header = _HEADER.match(line)
        if header and stripped.startswith("["):
            with contextlib.suppress(ValueError):
                table = tuple(p.strip() for p in split_path(header[1]))
                lines.setdefault(table, number)
            continue
        key = _KEY.match(line)
        if key:
            with contextlib.suppress(ValueError):
                path = table + tuple(p.strip() for p in split_path(key[1].strip()))
                lines.setdefault(path, number)
    return lines


def deep_merge(base: Mapping[str, Any], top: Mapping[str, Any]) -> dict[str, Any]:
    """Return `base` overridden by `top` key by key, recursing into tables."""
    merged = dict(base)
    for key, value in top.items():
        if is_range_table(value) or is_range_table(merged.get(key)):
            merged[key] = value  # a range replaces a number or another range whole, never key by key
        elif isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def load_catalog(ref: str | Path, relative_to: Path | None = None) -> Catalog:
    """Return the validated pricing catalog named by `ref` (catalog name or path)."""
    path = ref if isinstance(ref, Path) else resolve_ref(ref, relative_to, "catalog")
    data, text = read_toml(path)
    try:
        return Catalog.model_validate(data)
    except ValidationError as exc:
        raise ScenarioValidationError(None, issues_from(exc)).with_source(_display(path), key_lines(text)) from None


def _layer_ref(value: Any, key: str, path: Path, lines: dict[tuple[str, ...], int]) -> list[str]:
    """Return `extends`/`pricing` as a list of references, or raise a located error."""
    if isinstance(value, str) and value:
        return [value]
    if key == "pricing" and isinstance(value, list) and value and all(isinstance(v, str) and v for v in value):
        return list(value)
    expected = "a catalog name or path, or a list of them" if key == "pricing" else "a preset name or path"
    raise ScenarioValidationError(
        _display(path), [FieldIssue(key, f"expected {expected}, got {value!r}", lines.get((key,)))]
    )


def _base_layers(
    data: dict[str, Any], path: Path, lines: dict[tuple[str, ...], int], chain: tuple[Path, ...]
) -> tuple[dict[str, Any], tuple[Path, ...], tuple[Path, ...]]:
    """Pop `extends` and `pricing` from a file's data; return the raw data they give and the files used.

    References resolve relative to `path`'s folder. Returns (merged data, the base scenario's
    layers, the catalogs).
    """
    merged: dict[str, Any] = {}
    bases: tuple[Path, ...] = ()
    catalogs: tuple[Path, ...] = ()
    if "extends" in data:
        (ref,) = _layer_ref(data.pop("extends"), "extends", path, lines)
        base_path = resolve_ref(ref, path.parent, "preset")
        merged, bases, _ = _load_layers(base_path, (*chain, path.resolve()))
    if "pricing" in data:
        for ref in _layer_ref(data.pop("pricing"), "pricing", path, lines):
            catalog_path = resolve_ref(ref, path.parent, "catalog")
            catalog = load_catalog(catalog_path)
            models = {
                name: m.model_dump(exclude_none=True, exclude_defaults=True) for name, m in catalog.models.items()
            }
            merged = deep_merge(merged, {"models": models})
            if catalog.gpus:
                gpus = {name: g.model_dump(exclude_none=True) for name, g in catalog.gpus.items()}
                merged = deep_merge(merged, {"gpus": gpus})
            catalogs = (*catalogs, catalog_path)
    return merged, bases, catalogs


def _load_layers(path: Path, chain: tuple[Path, ...]) -> tuple[dict[str, Any], tuple[Path, ...], str]:
    """Return the merged raw data of `path` with its bases and catalogs, the files used, and its text."""
    resolved = path.resolve()
    if resolved in chain:
        cycle = " -> ".join(str(p) for p in (*chain, resolved))
        raise ScenarioError(f"{_display(path)}: `extends` goes round in a circle: {cycle}")
    if len(chain) >= _MAX_DEPTH:
        raise ScenarioError(f"{_display(path)}: `extends` nests deeper than {_MAX_DEPTH} files")
    data, text = read_toml(path)
    merged, bases, catalogs = _base_layers(data, path, key_lines(text), chain)
    return deep_merge(merged, data), (*bases, path, *catalogs), text


def parse_override(assignment: str) -> tuple[tuple[str, ...], Any]:
    """Return (path, value) of a `dotted.path=value` override; the value is read as TOML, else text.

    Raises ScenarioError when there is no `=` or the path is malformed.
    """
    path_text, sep, value_text = assignment.partition("=")
    if not sep or not path_text.strip():
        raise ScenarioError(f"--set {assignment!r}: expected dotted.path=value, e.g. workload.requests_per_month=80000")
    try:
        path = split_path(path_text.strip())
    except ValueError as exc:
        raise ScenarioError(f"--set {assignment!r}: {exc}") from None
    value_text = value_text.strip()
    try:
        value = tomllib.loads(f"v = {value_text}")["v"]
    except tomllib.TOMLDecodeError:
        value = value_text
    return path, value


def apply_overrides(data: dict[str, Any], overrides: Iterable[str]) -> dict[str, Any]:
    """Return `data` with each `dotted.path=value` override set (tables created as needed)."""
    result = deep_merge({}, data)
    for assignment in overrides:
        path, value = parse_override(assignment)
        node = result
        for key in path[:-1]:
            child = node.get(key)
            if not isinstance(child, dict):
                if child is not None:
                    raise ScenarioError(f"--set {assignment!r}: {'.'.join(path[:-1])} is not a table")
                child = {}
            child = dict(child)
            node[key] = child
            node = child
        node[path[-1]] = value
    return result


def load_document(ref: str | Path, overrides: Iterable[str] = ()) -> LoadedScenario:
    """Return the scenario a file or preset name resolves to, with its provenance.

    Raises NotFoundError, ScenarioSyntaxError or ScenarioValidationError with the file,
    line and dotted field path of what is wrong.
    """
    path = ref if isinstance(ref, Path) else resolve_ref(str(ref), None, "preset")
    data, layers, text = _load_layers(path, ())
    overrides = list(overrides)
    data = apply_overrides(data, overrides)
    try:
        scenario = validate_scenario(data)
    except ScenarioValidationError as exc:
        raise _blame_overrides(exc, overrides).with_source(_display(path), key_lines(text)) from None
    return LoadedScenario(scenario, path, layers, text, data)


def _blame_overrides(error: ScenarioValidationError, overrides: list[str]) -> ScenarioValidationError:
    """Return `error` with issues caused by a `--set` naming it instead of a line of the file."""
    by_path = {format_path(parse_override(o)[0]): o for o in overrides}
    issues = [
        FieldIssue(i.path, f"{i.message} (from --set {by_path[i.path]})", 0) if i.path in by_path else i
        for i in error.issues
    ]
    return ScenarioValidationError(error.source, issues)


def load_scenario(ref: str | Path, overrides: Iterable[str] = ()) -> Scenario:
    """Return the validated Scenario of a file path or preset name, `--set` overrides applied."""
    return load_document(ref, overrides).scenario


def _plain(value: Any) -> Any:
    """Return `value` ready for TOML: None dropped, whole floats written as integers."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


# Pricing options (docs/pricing.md) left out of saved files while at their "off" defaults.
_OPTIONAL_KEYS: dict[str, tuple[str, ...]] = {
    "rag": ("retrieval_minimum_per_month", "cached_prompt_fraction", "batch_fraction"),
    "fine_tune": ("cached_prompt_fraction", "batch_fraction"),
    "hybrid": ("cached_prompt_fraction", "batch_fraction"),
}


def _drop_off_options(data: dict[str, Any]) -> dict[str, Any]:
    """Return scenario data without pricing options at their defaults (0, empty), so saved files stay lean."""
    for table, keys in _OPTIONAL_KEYS.items():
        for key in keys:
            if data.get(table, {}).get(key) == 0:
                del data[table][key]
    if not data.get("gpus"):
        data.pop("gpus", None)
    for model in data.get("models", {}).values():
        for key, value in list(model.items()):
            if isinstance(value, str | tuple | list) and not value:  # an empty note or field list: the default
                del model[key]
            elif isinstance(value, tuple):
                model[key] = list(value)
    return data


def dump_scenario(scenario: Scenario) -> str:
    """Return the TOML text of a scenario, self-contained; it loads back to an equal Scenario."""
    import tomli_w

    data = _drop_off_options(scenario.model_dump(mode="python", exclude_none=True))
    ranges = data.pop("ranges", None) or {}
    body = tomli_w.dumps(_plain(data))
    if ranges:
        body = _inline_ranges(body, scenario.ranges)
    return "# costmodel scenario (schema_version 1); see docs/scenario-format.md\n" + body


def _toml_number(value: float) -> str:
    """Return a number as TOML text, whole floats written as integers."""
    import tomli_w

    return tomli_w.dumps({"v": _plain(value)})[4:].strip()


def _inline_ranges(body: str, ranges: Mapping[str, Range]) -> str:
    """Return TOML text with the line of each ranged input replaced by its range as an inline table."""
    lines = body.split("\n")
    where = key_lines(body)
    for path, r in ranges.items():
        keys = split_path(path)
        number = where.get(keys)
        if number is None:
            raise ValueError(f"cannot save the range of {path}: the scenario has no value there")
        lines[number - 1] = f"{keys[-1]} = {format_range(r, _toml_number)}"
    return "\n".join(lines)


def scenario_data(scenario: Scenario) -> dict[str, Any]:
    """Return a scenario as plain data that validates back to it, each range written in place of its median."""
    data = scenario.model_dump(mode="python", exclude_none=True)
    ranges = data.pop("ranges", None) or {}
    for path, r in ranges.items():
        node = data
        keys = split_path(path)
        for key in keys[:-1]:
            node = node[key]
        node[keys[-1]] = r
    return data


def fingerprint(path: Path) -> str | None:
    """Return a SHA-256 of the file's bytes, or None when it does not exist (to detect edits on disk)."""
    try:
        return _sha256(path.read_bytes())
    except OSError:
        return None


def save_scenario(scenario: Scenario, path: Path, layers: Mapping[str, Any] | None = None) -> str:
    """Write `scenario` to `path` atomically (temp file in the same folder, fsync, rename).

    With `layers` (a file's own `extends` and `pricing` entries) the file keeps them and holds
    only the values that differ from what they give, when that loads back to the same
    scenario (see costmodel.files.layering); otherwise it is written whole. Returns the new file's
    fingerprint. An existing file's permissions are kept.
    """
    import tempfile

    path = Path(path)
    text = None
    if layers:
        from costmodel.files.layering import dump_layered

        text = dump_layered(scenario, layers, path.parent if str(path.parent) else Path("."))
    if text is None:
        text = dump_scenario(scenario)
    folder = path.parent if str(path.parent) else Path(".")
    folder.mkdir(parents=True, exist_ok=True)
    mode = path.stat().st_mode & 0o777 if path.exists() else None
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(tmp_name, mode)
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise
    with contextlib.suppress(OSError):
        dir_fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
    return _sha256(text.encode("utf-8"))
