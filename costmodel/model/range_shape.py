"""The shape of a range in raw scenario data: a table of `low` and `high`, optionally `mode`, nothing else.

Kept apart from costmodel.model.ranges (which needs the schema) so that merging layers of
raw data, which asks this of every pair of tables, imports nothing heavy.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["RANGE_KEYS", "is_range_table"]

RANGE_KEYS = frozenset({"low", "mode", "high"})


def is_range_table(value: Any) -> bool:
    """Return True when `value` is a mapping shaped like a range: `low` and `high`, optionally `mode`, nothing else."""
    return isinstance(value, Mapping) and {"low", "high"} <= value.keys() <= RANGE_KEYS
