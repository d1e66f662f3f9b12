"""Text from a user made safe to print: terminal control characters and undecodable bytes escaped, long values cut."""

from __future__ import annotations

import re

__all__ = ["MAX_ECHO", "clean", "decodable", "shorten"]

MAX_ECHO = 120
# A byte of a file name that is not UTF-8 reaches Python as a lone surrogate (U+DC80-U+DCFF).
_UNDECODABLE = re.compile("[\udc80-\udcff]")
# C0 controls except tab and newline, DEL, the C1 controls (0x80-0x9f: CSI and OSC in 8-bit form),
# and undecodable bytes.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\udc80-\udcff]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match[0])
    return f"\\x{code - 0xDC00 if code >= 0xDC80 else code:02x}"


def decodable(text: str) -> str:
    """Return `text` with each byte that was not UTF-8 (a file name's, as os.fsdecode gives it) written as `\\xNN`.

    Such text cannot be written to a UTF-8 file or stream; the result can, and shows the byte.
    """
    return _UNDECODABLE.sub(_escape, text) if _UNDECODABLE.search(text) else text


def clean(text: str) -> str:
    """Return `text` with every terminal control character (ESC, BEL, CSI, ...) written as `\\xNN`.

    Tabs and newlines are kept. The result cannot move the cursor, change colours or set
    a window title when printed. Undecodable bytes are escaped too (see `decodable`).
    """
    return _CONTROL.sub(_escape, text) if _CONTROL.search(text) else text


def shorten(text: str, limit: int = MAX_ECHO) -> str:
    """Return `text` cleaned (see `clean`) and cut to about `limit` characters, the cut marked with `…`."""
    text = clean(text)
    if len(text) <= limit:
        return text
    keep = max(limit - 12, 8)
    return f"{text[:keep]}… ({len(text):,} characters)"
