"""Is every figure of an estimate a finite number? (a small pure check; no Textual, no costs computed)

Finite inputs can still overflow (requests 1e308 × a price is infinite): the UI refuses such
an edit instead of showing `inf` or failing inside a formatter. `costmodel.model.finite` is
planned to offer the same check for every face; until then the UI keeps its own.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import TYPE_CHECKING

from costmodel.model.names import STRATEGY_LABELS

if TYPE_CHECKING:
    from costmodel.model.engine import Estimate
    from costmodel.model.schema import Scenario

__all__ = ["first_overflow", "overflow_message"]

_FIGURES = (
    "upfront",
    "per_update",
    "per_request",
    "monthly_fixed",
    "periodic_monthly",
    "total",
    "cost_per_1k_requests",
)


def _first_bad(values: Iterable[float]) -> int | None:
    for i, value in enumerate(values):
        if not math.isfinite(value):
            return i
    return None


def first_overflow(est: Estimate) -> str | None:
    """Return which figure of `est` is not finite (e.g. `RAG's total`), or None when all are finite."""
    month = _first_bad(est.requests)
    if month is not None:
        return f"the requests of month {month}"
    for name, s in est.strategies.items():
        label = STRATEGY_LABELS.get(name, name)
        for figure in _FIGURES:
            if not math.isfinite(getattr(s, figure)):
                return f"{label}'s {figure.replace('_', ' ')}"
        for series, values in (("cost", s.monthly_cost), ("cumulative cost", s.cumulative)):
            month = _first_bad(values)
            if month is not None:
                return f"{label}'s {series} of month {month}"
        month = _first_bad(s.effort)
        if month is not None:
            return f"{label}'s effort"
    return None


def overflow_message(scenario: Scenario) -> str | None:
    """Return why `scenario`'s figures cannot be shown (a figure overflows), or None when they can."""
    from costmodel.model.engine import estimate

    try:
        est = estimate(scenario)
    except (ArithmeticError, ValueError) as exc:
        return f"the figures cannot be computed ({exc})"
    bad = first_overflow(est)
    return None if bad is None else f"{bad} overflows (it is not a finite number)"
