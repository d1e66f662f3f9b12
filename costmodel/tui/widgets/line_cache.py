"""Drawn lines kept by what they show, for widgets that draw their own lines."""

from __future__ import annotations

from collections.abc import Callable, Hashable

from textual.strip import Strip

__all__ = ["LineCache"]


class LineCache:
    """Strips keyed by everything that goes into them; emptied whole when it grows past `limit`.

    A key must hold all a line depends on (its text, the width, the cursor, the column layout),
    so a changed line gets a new key and an unchanged one is not drawn again.
    """

    def __init__(self, limit: int = 4000) -> None:
        self._limit = limit
        self._strips: dict[Hashable, Strip] = {}

    def get(self, key: Hashable, draw: Callable[[], Strip]) -> Strip:
        """Return the strip kept for `key`, drawing (and keeping) it first when there is none."""
        strip = self._strips.get(key)
        if strip is None:
            if len(self._strips) >= self._limit:
                self._strips.clear()
            strip = self._strips[key] = draw()
        return strip

    def clear(self) -> None:
        """Forget every strip (after a change of style or size)."""
        self._strips.clear()
