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

_KEY = r'(?:[A-Za-z0-9_-]+|"[^"\\\x00-\x1f\x7f]*")'
_COMMENT = r"(?:#[^\x00-\x08\x0a-\x1f\x7f]*)?"
_HEADER = re.compile(rf"[ \t]*\[[ \t]*({_KEY}(?:[ \t]*\.[ \t]*{_KEY})*)[ \t]*\][ \t]*{_COMMENT}")
_PART = re.compile(_KEY)
_INT = r"[+-]?(?:0|[1-9](?:_?[0-9])*)"
_FLOAT_TAIL = r"(?:\.[0-9](?:_?[0-9])*)?(?:[eE][+-]?[0-9](?:_?[0-9])*)?"
_VALUE = (
    rf'(?P<str>"[^"\\\x00-\x08\x0a-\x1f\x7f]*")'
    rf"|(?P<lit>'[^'\x00-\x08\x0a-\x1f\x7f]*')"
    rf"|(?P<num>{_INT}{_FLOAT_TAIL})"
    r"|(?P<true>true)|(?P<false>false)"
)
_LINE = re.compile(rf"[ \t]*(?P<key>{_KEY})[ \t]*=[ \t]*(?:{_VALUE})[ \t]*{_COMMENT}")
_BLANK = re.compile(rf"[ \t]*{_COMMENT}")


def _key(text: str) -> str:
    return text[1:-1] if text.startswith('"') else text


def loads_fast(text: str) -> dict[str, Any] | None:
    """Return the table of a TOML text in the plain subset, or None when the text needs the full parser.

    Returns the same nested dicts, ints, floats, strings and booleans as `tomllib.loads`.
    """
    if "\r" in text or "\x00" in text:
        return None
    root: dict[str, Any] = {}
    table = root
    defined: set[tuple[str, ...]] = set()
    line_match = _LINE.fullmatch
    for line in text.split("\n"):
        first = line.lstrip(" \t")[:1]
        if first == "#" or not first:
            if _BLANK.fullmatch(line) is None:
                return None
            continue
        if first == "[":
            header = _HEADER.fullmatch(line)
            if header is None:
                return None
            path = tuple(_key(p) for p in _PART.findall(header[1]))
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
            continue
        match = line_match(line)
        if match is None:
            return None
        key = _key(match["key"])
        if key in table:
            return None
        number = match["num"]
        if number is not None:
            clean = number.replace("_", "")
            if "." in clean or "e" in clean or "E" in clean:
                table[key] = float(clean)
            else:
                table[key] = int(clean)
        elif match["str"] is not None:
            table[key] = match["str"][1:-1]
        elif match["lit"] is not None:
            table[key] = match["lit"][1:-1]
        else:
            table[key] = match["true"] is not None
    return root
