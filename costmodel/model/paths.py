"""Dotted field paths such as `models."gpt-4.1-mini".input_per_mtok`, split and joined as TOML does."""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["format_path", "split_path"]

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


def split_path(path: str) -> tuple[str, ...]:
    """Return the keys of a dotted path; double-quoted parts may contain dots.

    Raises ValueError when the path is empty or a quote is not closed.
    """
    parts: list[str] = []
    i, n = 0, len(path)
    while i < n:
        if path[i] == '"':
            end = path.find('"', i + 1)
            if end < 0:
                raise ValueError(f"unclosed quote in field path {path!r}")
            parts.append(path[i + 1 : end])
            i = end + 1
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
    out = []
    for part in parts:
        text = str(part)
        out.append(text if _BARE_KEY.fullmatch(text) else '"' + text.replace('"', '\\"') + '"')
    return ".".join(out)
