"""Error messages as the command line prints them: short, at most 8 lines, control characters escaped."""

from __future__ import annotations

from costmodel.model.text import shorten

__all__ = ["LINE_WIDTH", "MAX_ERROR_LINES", "error_lines"]

MAX_ERROR_LINES = 8
LINE_WIDTH = 300


def error_lines(message: str, limit: int = MAX_ERROR_LINES) -> list[str]:
    """Return an error message as at most `limit` lines, control characters escaped and each line cut short."""
    lines = [shorten(line, LINE_WIDTH) for line in message.splitlines() or [""]]
    if len(lines) > limit:
        lines = [*lines[: limit - 1], f"... and {len(lines) - limit + 1} more problems"]
    return lines
