"""A fast reader for the plain subset of TOML that scenario files use, for batches of many files.

`tomllib` is pure Python and spends ~40 µs on a ten-line file. Scenario files are mostly
`[table]` headers and `key = number | "text" | true | false` lines, which one regular
expression per line reads several times faster. `loads_fast` accepts only that subset and
returns None for anything else (arrays, inline tables, escapes, dotted keys, dates,
duplicate keys, a table defined twice, ...), so callers fall back to `tomllib`, which then
gives the exact result or the located error. Whatever `loads_fast` returns equals what
`tomllib.loads` returns for the same text (tests/test_fasttoml.py checks this).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from typing import Any

__all__ = ["Section", "loads_fast", "loads_shared"]

# Every quantifier is possessive (`*+`, `++`, `?+`): a line can be read one way only, so text
# outside the subset fails in time linear in its length (no backtracking).
_KEY = r'(?:[A-Za-z0-9_-]++|"[^"\\\x00-\x1f\x7f]*+")'
_COMMENT = r"(?:#[^\x00-\x08\x0a-\x1f\x7f]*+)?+"
_PART = re.compile(_KEY)
_INT = r"[+-]?+(?:0|[1-9](?:_?+[0-9])*+)"
_FLOAT_TAIL = r"(?:\.[0-9](?:_?+[0-9])*+)?+(?:[eE][+-]?+[0-9](?:_?+[0-9])*+)?+"
# The value alternatives, groups by number: basic string, literal string, number, true, false.
_VALUE = (
    r'("[^"\\\x00-\x08\x0a-\x1f\x7f]*+")'
    r"|('[^'\x00-\x08\x0a-\x1f\x7f]*+')"
    rf"|({_INT}{_FLOAT_TAIL})"
    r"|(true)|(false)"
)
# Every line of the subset: a header, a `key = value` pair, or a blank or comment line. A line that
# is anything else is not matched, which the line count reveals. Groups: header, key, then _VALUE's.
_LINES = re.compile(
    rf"^[ \t]*+(?:\[[ \t]*+({_KEY}(?:[ \t]*+\.[ \t]*+{_KEY})*+)[ \t]*+\]|({_KEY})[ \t]*+=[ \t]*+(?:{_VALUE}))?+"
    rf"[ \t]*+{_COMMENT}$",
    re.MULTILINE,
)


def _key(text: str) -> str:
    return text[1:-1] if text.startswith('"') else text


def loads_fast(text: str) -> dict[str, Any] | None:
    """Return the table of a TOML text in the plain subset, or None when the text needs the full parser.

    Returns the same nested dicts, ints, floats, strings and booleans as `tomllib.loads`.
    """
    if "\r" in text or "\x00" in text:
        return None
    # One regular-expression pass over the whole text (C speed); a line outside the subset is
    # skipped by findall, so fewer items than lines means "not the subset".
    items = _LINES.findall(text)
    if len(items) != text.count("\n") + 1:
        return None
    root: dict[str, Any] = {}
    table = root
    defined: set[tuple[str, ...]] = set()
    for header, key, basic, literal, number, true, _false in items:
        if key:
            if key[0] == '"':
                key = key[1:-1]
            if key in table:
                return None
            if number:
                if len(number) > 300:
                    return None  # tomllib gives the located error for a number with thousands of digits
                clean = number.replace("_", "")
                table[key] = float(clean) if "." in clean or "e" in clean or "E" in clean else int(clean)
            elif basic:
                table[key] = basic[1:-1]
            elif literal:
                table[key] = literal[1:-1]
            else:
                table[key] = bool(true)
        elif header:
            path = tuple(_key(p) for p in _PART.findall(header))
            if path in defined:
                return None
            defined.add(path)
            node = root
            for part in path:
                child = node.get(part)
                if child is None:
                    child = {}
                    node[part] = child
                elif not isinstance(child, dict):
                    return None
                node = child
            table = node
    return root


# The start of every line that may open a table: where a text is cut into sections (an empty match,
# so that `split` keeps every character and cuts in C).
_HEADER_START = re.compile(r"^(?=[ \t]*+\[)", re.MULTILINE)
# A header after a line's indent (searched from its line break, which the engine finds fast).
_INDENTED_HEADER = re.compile(r"\n[ \t]++\[")
Section = tuple[tuple[str, ...], dict[str, Any]]


def _section(text: str) -> Section | None:
    """Return the table path and the keys of one `[table]` section's text, or None outside the subset."""
    node = loads_fast(text)
    if node is None:
        return None
    path: list[str] = []
    while len(node) == 1:
        ((key, value),) = node.items()
        if not isinstance(value, dict):
            break  # a value of the subset is never a table: the walk is at the section's own table
        path.append(key)
        node = value
    return (tuple(path), node) if path else None


def _sections_of(text: str) -> list[str]:
    """Return `text` cut at the start of every line that may open a table: the text before the first
    header, then one chunk per section (joined, they are `text`).

    A text with no indented header is cut at each line break followed by `[` (a plain string
    search); any other text by the regular expression, which allows the indent.
    """
    if text[:1] in (" ", "\t") or _INDENTED_HEADER.search(text):
        return _HEADER_START.split(text)
    pieces = text.split("\n[")
    last = len(pieces) - 1
    # Each cut took a line break from the end of one piece and a "[" from the start of the next.
    chunks = [piece + "\n" if i < last else piece for i, piece in enumerate(pieces)]
    for i in range(1, len(chunks)):
        chunks[i] = "[" + chunks[i]
    if chunks[0].startswith("["):  # the text opens with a header: nothing comes before it
        chunks.insert(0, "")
    return chunks


def loads_shared(
    text: str, sections: dict[str, Section | None], new: Callable[[dict[str, Any]], None] | None = None
) -> dict[str, Any] | None:
    """Return what `loads_fast` returns for `text`, each `[table]` met before being the very dict it was then.

    `sections` maps the text of a section (a header line and the lines up to the next
    header) to its table path and keys (None outside the subset); it is filled as texts
    are read, so identical sections of many files are read once and give one shared dict,
    which no caller may change (a table with sub-tables is a fresh copy). `new` is called
    with each table read for the first time. Returns None when the text needs the full parser.
    """
    if "\r" in text or "\x00" in text:
        return None
    chunks = _sections_of(text)
    root = loads_fast(chunks[0])
    if root is None:
        return None
    fresh = {id(root)}  # the tables made for this text, which may take keys and sub-tables
    defined: set[tuple[str, ...]] = set()
    for chunk in itertools.islice(chunks, 1, None):
        if chunk in sections:
            entry = sections[chunk]
        else:
            entry = _section(chunk)
            sections[chunk] = entry
            if entry is not None and new is not None:
                new(entry[1])
        if entry is None:
            return None
        path, table = entry
        if path in defined:
            return None
        defined.add(path)
        node = root
        for part in path[:-1]:
            child = node.get(part)
            if child is None:
                child = {}
            elif not isinstance(child, dict):
                return None
            elif id(child) not in fresh:
                child = dict(child)  # a shared table about to take a sub-table: this text's own copy
            else:
                node = child
                continue
            node[part] = child
            fresh.add(id(child))
            node = child
        existing = node.get(path[-1])
        if existing is None:
            node[path[-1]] = table
        elif isinstance(existing, dict) and id(existing) in fresh and not existing.keys() & table.keys():
            existing.update(table)  # a table defined after one of its sub-tables
        else:
            return None
    return root
