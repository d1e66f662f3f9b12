"""The limits a numeric field keeps (cheap to import: the UI's grid needs it before pydantic loads)."""

from __future__ import annotations

import math
from typing import NamedTuple

__all__ = ["Bounds"]


class Bounds(NamedTuple):
    """The limits a field's value must keep: `ge`/`gt` below, `le`/`lt` above (None = unbounded)."""

    ge: float | None = None
    gt: float | None = None
    le: float | None = None
    lt: float | None = None

    @property
    def lowest(self) -> float:
        """Return the smallest allowed value (an exclusive bound nudged inward by one ulp), or -inf."""
        if self.ge is not None:
            return self.ge
        if self.gt is not None:
            return math.nextafter(self.gt, math.inf)
        return -math.inf

    @property
    def highest(self) -> float:
        """Return the largest allowed value (an exclusive bound nudged inward by one ulp), or +inf."""
        if self.le is not None:
            return self.le
        if self.lt is not None:
            return math.nextafter(self.lt, -math.inf)
        return math.inf

    def contains(self, value: float) -> bool:
        """Return True when `value` keeps every bound."""
        return self.lowest <= value <= self.highest

    def clamp(self, value: float) -> float:
        """Return `value` moved to the nearest allowed value."""
        return min(max(value, self.lowest), self.highest)

    def describe(self) -> str:
        """Return the bounds as text, e.g. `>= 0`, `> -1` or `>= 0 and <= 1`."""
        parts = []
        if self.ge is not None:
            parts.append(f">= {self.ge:g}")
        if self.gt is not None:
            parts.append(f"> {self.gt:g}")
        if self.le is not None:
            parts.append(f"<= {self.le:g}")
        if self.lt is not None:
            parts.append(f"< {self.lt:g}")
        return " and ".join(parts) or "any finite number"
