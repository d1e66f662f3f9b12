"""Dotted field paths such as `models."gpt-4.1-mini".input_per_mtok`, split and joined as TOML does."""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["format_path", "quote_key", "read_basic_string", "split_path"]

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_ESCAPES = {"b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r", '"': '"', "\\": "\\", "e": "\x1b"}
_WRITTEN = {"\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r", '"': '\\"', "\\": "\\\\"}


def read_basic_string(text: str, i: int) -> tuple[str, int] | None:
    """Return the value of the TOML basic string starting at text[i] (a `"`), escapes undone, and the
    index just after its closing quote; None when it is not closed or holds a bad escape.
    """
    out: list[str] = []
    i += 1
    n = len(text)
    while i < n:
        ch = text[i]
        if ch == '"':
            return "".join(out), i + 1
        if ch == "\\":
            code = text[i + 1] if i + 1 < n else ""
            if code in _ESCAPES:
                out.append(_ESCAPES[code])
                i += 2
                continue
            width = 4 if code == "u" else 8 if code == "U" else 0
            digits = text[i + 2 : i + 2 + width]
            if not width or len(digits) != width or not all(c in "0123456789abcdefABCDEF" for c in digits):
                return None
            value = int(digits, 16)
            if value > 0x10FFFF:
                return None
            out.append(chr(value))
            i += 2 + width
            continue
        out.append(ch)
        i += 1
    return None


def quote_key(text: str) -> str:
    """Return a key as TOML writes it: bare when it can be, else a basic string with escapes."""
    if _BARE_KEY.fullmatch(text):
        return text
    body = []
    for ch in text:
        if ch in _WRITTEN:
            body.append(_WRITTEN[ch])
        elif ch < " " or ch == "\x7f":
            body.append(f"\\u{ord(ch):04x}")
        else:
            body.append(ch)
    return '"' + "".join(body) + '"'


def split_path(path: str) -> tuple[str, ...]:
    """Return the keys of a dotted path; double-quoted parts may contain dots and TOML escapes.

    The inverse of `format_path`: `split_path(format_path(keys)) == keys` for any keys.

    Raises ValueError when the path is empty or a quote is not closed.
    """
    parts: list[str] = []
    i, n = 0, len(path)
    while i < n:
        if path[i] == '"':
            found = read_basic_string(path, i)
            if found is None:
                raise ValueError(f"unclosed quote or bad escape in field path {path!r}")
            parts.append(found[0])
            i = found[1]
        else:
            end = path.find(".", i)
            end = n if end < 0 else end
            key = path[i:end].strip()
            if not key:
                raise ValueError(f"empty key in field path {path!r}")
            parts.append(key)
            i = end
        if i < n:
            if path[i] != ".":
                raise ValueError(f"expected '.' after a quoted key in field path {path!r}")
            i += 1
            if i == n:
                raise ValueError(f"field path {path!r} ends with '.'")
    if not parts:
        raise ValueError("empty field path")
    return tuple(parts)


def format_path(parts: Iterable[str | int]) -> str:
    """Return the dotted form of `parts`, quoting keys that are not bare TOML keys."""
    return ".".join(quote_key(str(part)) for part in parts)
