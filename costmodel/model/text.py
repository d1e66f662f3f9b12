"""Text from a user made safe to print: terminal control characters escaped, long values cut."""

from __future__ import annotations

import re

__all__ = ["MAX_ECHO", "clean", "shorten"]

MAX_ECHO = 120
# C0 controls except tab and newline, DEL, and the C1 controls (0x80-0x9f: CSI and OSC in 8-bit form).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _escape(match: re.Match[str]) -> str:
    return f"\\x{ord(match[0]):02x}"


def clean(text: str) -> str:
    """Return `text` with every terminal control character (ESC, BEL, CSI, ...) written as `\\xNN`.

    Tabs and newlines are kept. The result cannot move the cursor, change colours or set
    a window title when printed.
    """
    return _CONTROL.sub(_escape, text) if _CONTROL.search(text) else text


def shorten(text: str, limit: int = MAX_ECHO) -> str:
    """Return `text` cleaned (see `clean`) and cut to about `limit` characters, the cut marked with `…`."""
    text = clean(text)
    if len(text) <= limit:
        return text
    keep = max(limit - 12, 8)
    return f"{text[:keep]}… ({len(text):,} characters)"
