"""The one timeline kernel: requests per month, monthly costs, cumulative costs, break-even months.

Every function runs on plain floats (the engine, sweeps, the solver) or on numpy arrays of
Monte Carlo samples (costmodel.analysis.montecarlo) with the same arithmetic, in the
order docs/model.md writes it:

    cost(m) = monthly_fixed + periodic_monthly + updates_per_month × per_update
              + requests(m) × per_request
    cumulative(m) = cumulative(m - 1) + cost(m), cumulative(0) = upfront

With `price_change_per_year` the per-request term is requests(m) × (token_part × g(m) +
other_part), g(m) = (1 + change) ** ((m - 1) / 12). `horizon_total` is the closed form of
the same sum (sweeps), equal to the month-by-month sum up to float rounding.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Sequence
from itertools import accumulate
from typing import Any

__all__ = [
    "breakeven_months",
    "drift_factors",
    "horizon_total",
    "monthly_demand",
    "monthly_requests",
    "run",
    "topups",
]


_DEMAND: dict[tuple[float, float, int], tuple[tuple[float, ...], tuple[float, ...], float]] = {}
_DEMAND_KEPT = 512


def _requests(requests_per_month: Any, monthly_growth: Any, months: int) -> tuple[Any, ...]:
    """Return requests(m) = requests_per_month × (1 + monthly_growth) ** (m − 1) for months 0..months (0 at 0)."""
    q = 1 + monthly_growth
    return (0.0, *[requests_per_month * q**exponent for exponent in range(months)])


def monthly_requests(requests_per_month: Any, monthly_growth: Any, months: int) -> tuple[Any, ...]:
    """Return requests per month for months 0..months (month 0 has none), compounding growth.

    requests(m) = requests_per_month × (1 + monthly_growth) ** (m − 1). For plain numbers the
    answer comes from `monthly_demand`, which keeps the last few hundred (the solver,
    sensitivity and the TUI re-estimate a scenario whose workload does not change); arrays of
    samples are computed every time.
    """
    if requests_per_month.__class__ is float and monthly_growth.__class__ is float:
        return monthly_demand(requests_per_month, monthly_growth, months)[0]
    return _requests(requests_per_month, monthly_growth, months)


def monthly_demand(
    requests_per_month: float, monthly_growth: float, months: int
) -> tuple[tuple[float, ...], tuple[float, ...], float]:
    """Return (requests of months 0..months, requests of months 1..months, their sum) for plain numbers.

    The requests are `monthly_requests`'; the sum is `sum()` of months 1..months (requests).
    The last few hundred answers are kept.
    """
    key = (requests_per_month, monthly_growth, months)
    found = _DEMAND.get(key)
    if found is None:
        requests = _requests(requests_per_month, monthly_growth, months)
        served = requests[1:]
        found = (requests, served, sum(served))
        if len(_DEMAND) >= _DEMAND_KEPT:
            _DEMAND.clear()
        _DEMAND[key] = found
    return found


def drift_factors(change_per_year: Any, months: int) -> tuple[Any, ...]:
    """Return g(m) = (1 + change_per_year) ** ((m - 1) / 12) for months m = 1..months (a factor, no unit)."""
    base = 1 + change_per_year
    return tuple(base ** ((m - 1) / 12) for m in range(1, months + 1))


def topups(
    minimum: Any, usage_per_request: Any, served: Sequence[Any], maximum: Callable[[Any, Any], Any] = max
) -> list[Any]:
    """Return each month's top-up to a monthly minimum spend (currency units), for months 1..H.

    `served` holds requests(m) for months 1..H; a month's top-up is
    max(minimum - requests(m) × usage_per_request, 0). `maximum` is `max`, or
    `numpy.maximum` for arrays of Monte Carlo samples.
    """
    return [maximum(minimum - q * usage_per_request, 0.0) for q in served]


def run(
    upfront: Any,
    base: Any,
    per_request: Any,
    served: Sequence[Any],
    factors: Sequence[Any] | None = None,
    token_part: Any = None,
    other_part: Any = None,
    month_topups: Sequence[Any] | None = None,
) -> tuple[tuple[Any, ...], tuple[Any, ...]]:
    """Return (cost of months 0..H, cumulative cost of months 0..H), in currency units.

    `base` is monthly_fixed + periodic_monthly + updates_per_month × per_update; month 0
    costs `upfront`. With `factors` (g(m) for months 1..H) each month's requests are billed
    at token_part × g(m) + other_part instead of `per_request`; `month_topups` adds each
    month's top-up to a minimum spend.
    """
    if factors is None:
        months = [base + q * per_request for q in served]
    else:
        months = [base + q * (token_part * g + other_part) for q, g in zip(served, factors, strict=True)]
    if month_topups is not None:
        months = [cost + topup for cost, topup in zip(months, month_topups, strict=True)]
    months.insert(0, upfront)  # month 0; accumulating from it adds exactly as accumulate(..., initial=upfront)
    return tuple(months), tuple(accumulate(months))


def horizon_total(
    upfront: float,
    base: float,
    per_request: float,
    horizon: int,
    total_requests: float,
    token_part: float = 0.0,
    other_part: float = 0.0,
    drifted_requests: float | None = None,
) -> float:
    """Return the total over the horizon in closed form (currency units).

    upfront + horizon × base + per_request × Σ requests(m); with `drifted_requests`
    (Σ requests(m) × g(m)) the requests are billed token_part × g(m) + other_part.
    """
    if drifted_requests is None:
        return upfront + horizon * base + per_request * total_requests
    return upfront + horizon * base + token_part * drifted_requests + other_part * total_requests


def _first_catch_up(a_at_or_below_b: bytes) -> int | None:
    """Return the first month m >= 1 whose flag is 1 while month m-1's is 0, or None."""
    index = a_at_or_below_b.find(b"\x00\x01")
    return None if index < 0 else index + 1


def breakeven_months(ca: Sequence[Any], cb: Sequence[Any]) -> tuple[Any, Any]:
    """Return (month a catches up with b, month b catches up with a) for two cumulative timelines.

    A catches up with b in the first month m >= 1 at which cumulative_a(m) <= cumulative_b(m)
    while cumulative_a(m-1) > cumulative_b(m-1). For float timelines each month is an int or
    None (never); for timelines of sample arrays each is an int array, 0 where never.
    """
    if isinstance(ca[0], float | int) and isinstance(cb[0], float | int):
        diff = list(map(operator.sub, ca, cb))  # its sign is exact: <= 0 exactly when ca <= cb
        low, high = min(diff), max(diff)
        a_b = _first_catch_up(bytes(map(operator.le, ca, cb))) if low <= 0 < high else None
        b_a = _first_catch_up(bytes(map(operator.ge, ca, cb))) if low < 0 <= high else None
        return a_b, b_a
    import numpy as np

    samples = max(np.size(x) for x in (*ca[:1], *cb[:1], *ca[-1:], *cb[-1:]))
    down = np.zeros(samples, dtype=np.int64)
    up = np.zeros(samples, dtype=np.int64)
    previous = np.broadcast_to(ca[0] - cb[0], (samples,))
    for month in range(1, len(ca)):
        current = np.broadcast_to(ca[month] - cb[month], (samples,))
        down[(down == 0) & (current <= 0) & (previous > 0)] = month
        up[(up == 0) & (current >= 0) & (previous < 0)] = month
        previous = current
    return down, up
