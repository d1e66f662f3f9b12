"""Save a scenario that extends a base or takes a pricing catalog as a small file that still does.

A file such as

    extends = "support-assistant"
    pricing = "openai-2025"
    [workload]
    requests_per_month = 80000

is what people diff and review. Saving it whole would replace those three lines with the
150 values they resolve to. `dump_layered` keeps the file's `extends` and `pricing` and
writes only the values that differ from what those layers give; it checks that the text
loads back to the very same Scenario and returns None when it would not (a relative
`extends` that does not resolve from the new folder, a value the layers set that the
scenario leaves unset), so the caller saves the scenario whole instead.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from costmodel.files.loader import Loader
from costmodel.files.tomltext import (
    HEADER_COMMENT,
    deep_merge,
    drop_off_options,
    inline_ranges,
    plain,
    scenario_data,
)
from costmodel.model.errors import CostmodelError
from costmodel.model.paths import format_path
from costmodel.model.ranges import is_range_table
from costmodel.model.schema import Range, Scenario
from costmodel.model.validation import validate_scenario

__all__ = ["LAYER_KEYS", "dump_layered", "layer_refs"]

LAYER_KEYS = ("extends", "pricing")
_MISSING = object()


def layer_refs(text: str) -> dict[str, Any]:
    """Return the `extends` and `pricing` entries of a scenario file's text (empty when it has none)."""
    try:
        data = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, RecursionError, ValueError):
        return {}
    return {key: data[key] for key in LAYER_KEYS if key in data}


def _same(value: Any, base: Any) -> bool:
    """Return True when a value equals what the layers give (numbers by value, a flag only as a flag)."""
    if isinstance(value, list | tuple) and isinstance(base, list | tuple):
        return len(value) == len(base) and all(_same(a, b) for a, b in zip(value, base, strict=True))
    if isinstance(value, dict) and isinstance(base, dict):
        return value.keys() == base.keys() and all(_same(value[k], base[k]) for k in value)
    if isinstance(value, bool) or isinstance(base, bool):
        return value is base
    return bool(value == base)


def _difference(full: Mapping[str, Any], base: Mapping[str, Any]) -> dict[str, Any]:
    """Return the keys of `full` whose values differ from `base`'s, recursing into tables (not ranges)."""
    out: dict[str, Any] = {}
    for key, value in full.items():
        given = base.get(key, _MISSING)
        if isinstance(value, dict) and isinstance(given, dict) and not (is_range_table(value) or is_range_table(given)):
            sub = _difference(value, given)
            if sub:
                out[key] = sub
        elif given is _MISSING or not _same(value, given):
            out[key] = value
    return out


def _ranges_in(data: Mapping[str, Any], prefix: tuple[str, ...] = ()) -> dict[tuple[str, ...], dict[str, Any]]:
    """Return every range table in `data` by its key path."""
    found: dict[tuple[str, ...], dict[str, Any]] = {}
    for key, value in data.items():
        if is_range_table(value):
            found[(*prefix, key)] = value
        elif isinstance(value, dict):
            found.update(_ranges_in(value, (*prefix, key)))
    return found


def _without_empty_tables(data: dict[str, Any]) -> dict[str, Any]:
    """Return `data` without the tables that are left empty (they would change nothing)."""
    out: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, dict) and not is_range_table(value):
            value = _without_empty_tables(value)
            if not value:
                continue
        out[key] = value
    return out


def _loads_back(base: dict[str, Any], own: dict[str, Any], scenario: Scenario) -> bool:
    """Return True when a file holding `own` on top of `base` loads to `scenario`."""
    try:
        return validate_scenario(deep_merge(base, own)) == scenario
    except CostmodelError:
        return False


def dump_layered(scenario: Scenario, refs: Mapping[str, Any], folder: Path) -> str | None:
    """Return TOML text that keeps `refs` (`extends`/`pricing`, resolved from `folder`) and holds only the
    values that differ from what they give; None when no such text loads back to `scenario`.
    """
    if not refs:
        return None
    import tomli_w

    try:
        base = Loader().layers_of(dict(refs), folder / "scenario.toml")
    except CostmodelError:
        return None
    full = scenario_data(scenario)
    try:
        # Compare with the base as the schema completes it (defaults filled in), when it is a whole scenario.
        reference = scenario_data(validate_scenario(base))
    except CostmodelError:
        reference = base
    own = _difference(full, reference)
    own.pop("schema_version", None)
    # Leaner still: leave out switched-off options and empty lists the schema fills in by itself.
    for candidate in (_without_empty_tables(drop_off_options(deep_merge({}, own))), own):
        if _loads_back(base, candidate, scenario):
            own = candidate
            break
    else:
        return None
    ranges = _ranges_in(own)
    points = deep_merge({}, own)
    for keys in ranges:
        node = points
        for key in keys[:-1]:
            node = node[key]
        node[keys[-1]] = 0  # a placeholder line, replaced by the inline range below
    head = tomli_w.dumps(plain({"schema_version": 1, **dict(refs)}))
    body = tomli_w.dumps(plain(points))
    if ranges:
        body = inline_ranges(body, {format_path(k): Range(**v) for k, v in ranges.items()})
    text = HEADER_COMMENT + head + "\n" + body
    return text
