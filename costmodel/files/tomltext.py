"""Scenario data as TOML text and back: key lines, merging tables, writing a scenario out.

The pieces the loader (costmodel.files.loader), the saver (costmodel.files.scenario_io)
and the layered saver (costmodel.files.layering) share. Nothing here reads or writes files.
`key_lines` scans a text once, by hand (no regular expression, so no input makes it slow),
and reads keys the way TOML writes them: bare, "basic" with escapes, or 'literal'.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from costmodel.model.paths import read_basic_string, split_path
from costmodel.model.range_shape import is_range_table
from costmodel.model.schema import Range, Scenario
from costmodel.model.strategies import REGISTRY
from costmodel.model.text import clean

__all__ = [
    "HEADER_COMMENT",
    "clean_strings",
    "deep_merge",
    "drop_off_options",
    "dump_scenario",
    "inline_ranges",
    "key_lines",
    "plain",
    "scenario_data",
]

HEADER_COMMENT = "# costmodel scenario (schema_version 1); see docs/scenario-format.md\n"
_BARE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")


def _keys(line: str, i: int) -> tuple[tuple[str, ...], int] | None:
    """Return the dotted key starting at line[i] and the index after it (spaces skipped), or None."""
    parts: list[str] = []
    n = len(line)
    while True:
        while i < n and line[i] in " \t":
            i += 1
        if i >= n:
            return None
        ch = line[i]
        if ch == '"':
            found = read_basic_string(line, i)
            if found is None:
                return None
            part, i = found
        elif ch == "'":
            end = line.find("'", i + 1)
            if end < 0:
                return None
            part, i = line[i + 1 : end], end + 1
        else:
            start = i
            while i < n and line[i] in _BARE:
                i += 1
            if i == start:
                return None
            part = line[start:i]
        parts.append(part)
        while i < n and line[i] in " \t":
            i += 1
        if i < n and line[i] == ".":
            i += 1
            continue
        return tuple(parts), i


def _opens_multiline(line: str, i: int) -> str | None:
    """Return the delimiter of a multi-line string that the value at line[i] opens and leaves open, or None."""
    while i < len(line) and line[i] in " \t":
        i += 1
    for quote in ('"""', "'''"):
        if line.startswith(quote, i):
            return quote if line.find(quote, i + 3) < 0 else None
    return None


def key_lines(text: str) -> dict[tuple[str, ...], int]:
    """Return the line number of every table header and `key =` line, by key path.

    Lines inside a multi-line string are not keys. Quoted keys are read with their
    escapes undone (`"gpt\\"q"` is the key `gpt"q`), as tomllib reads them.
    """
    lines: dict[tuple[str, ...], int] = {}
    table: tuple[str, ...] = ()
    open_string: str | None = None
    for number, line in enumerate(text.split("\n"), start=1):  # not splitlines(): TOML ends lines with \n only
        if open_string is not None:
            if open_string in line:
                open_string = None
            continue
        i = 0
        while i < len(line) and line[i] in " \t":
            i += 1
        if i >= len(line) or line[i] == "#":
            continue
        if line[i] == "[":
            array = line.startswith("[[", i)
            found = _keys(line, i + (2 if array else 1))
            if found is not None and line.startswith("]]" if array else "]", found[1]):
                table = found[0]
                lines.setdefault(table, number)
            continue
        found = _keys(line, i)
        if found is None or not line.startswith("=", found[1]):
            continue
        lines.setdefault(table + found[0], number)
        open_string = _opens_multiline(line, found[1] + 1)
    return lines


def deep_merge(base: Mapping[str, Any], top: Mapping[str, Any]) -> dict[str, Any]:
    """Return `base` overridden by `top` key by key, recursing into tables (neither is changed)."""
    merged = dict(base)
    for key, value in top.items():
        old = merged.get(key)
        if (
            (type(value) is dict or isinstance(value, Mapping))
            and (type(old) is dict or isinstance(old, Mapping))
            and not is_range_table(value)
            and not is_range_table(old)
        ):
            merged[key] = deep_merge(old, value)
        else:
            merged[key] = value  # a number, or a range: it replaces a number or another range whole
    return merged


def clean_strings(value: Any) -> Any:
    """Return `value` with terminal control characters escaped in every string and key (see model.text.clean).

    Returns the very same object when nothing needed escaping, so shared tables stay shared.
    """
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, dict):
        changed = False
        out: dict[str, Any] = {}
        for key, child in value.items():
            new_key = clean(key) if isinstance(key, str) else key
            new_child = clean_strings(child)
            changed = changed or new_key is not key or new_child is not child
            out[new_key] = new_child
        return out if changed else value
    if isinstance(value, list):
        items = [clean_strings(v) for v in value]
        return items if any(a is not b for a, b in zip(items, value, strict=True)) else value
    return value


def plain(value: Any) -> Any:
    """Return `value` ready for TOML: None dropped, whole floats written as integers."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


# Pricing options (docs/pricing.md) left out of saved files while at their "off" defaults.
_OPTIONAL_KEYS: dict[str, tuple[str, ...]] = {
    strategy.options_table: strategy.option_fields for strategy in REGISTRY if strategy.options_table is not None
}


def drop_off_options(data: dict[str, Any]) -> dict[str, Any]:
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


def _toml_number(value: float) -> str:
    """Return a number as TOML text, whole floats written as integers."""
    import tomli_w

    return tomli_w.dumps({"v": plain(value)})[4:].strip()


def inline_ranges(body: str, ranges: Mapping[str, Range]) -> str:
    """Return TOML text with the line of each ranged input replaced by its range as an inline table."""
    from costmodel.model.ranges import format_range

    lines = body.split("\n")
    where = key_lines(body)
    for path, r in ranges.items():
        keys = split_path(path)
        number = where.get(keys)
        if number is None:
            raise ValueError(f"cannot save the range of {path}: the scenario has no value there")
        key_text = lines[number - 1].split("=", 1)[0].rstrip() if "=" in lines[number - 1] else keys[-1]
        lines[number - 1] = f"{key_text} = {format_range(r, _toml_number)}"
    return "\n".join(lines)


def dump_scenario(scenario: Scenario) -> str:
    """Return the TOML text of a scenario, self-contained; it loads back to an equal Scenario."""
    import tomli_w

    data = drop_off_options(scenario.model_dump(mode="python", exclude_none=True))
    ranges = data.pop("ranges", None) or {}
    body = tomli_w.dumps(plain(data))
    if ranges:
        body = inline_ranges(body, scenario.ranges)
    return HEADER_COMMENT + body


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
