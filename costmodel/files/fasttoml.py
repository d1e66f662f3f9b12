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

import re
from typing import Any

__all__ = ["loads_fast"]

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
