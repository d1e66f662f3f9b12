"""Every figure finite: an estimate whose numbers overflow is a located input error, never `inf` in an output.

Inputs are finite by the schema, but products of them need not be: 1e308 requests a
month, or 1000 % monthly growth over 120 months, overflow a float. `finite_estimate` is
the estimate every face uses: it runs the engine and checks every figure of every
strategy (upfront, per_update, per_request, monthly_fixed, periodic_monthly, total,
cost_per_1k_requests, effort, each month of the timeline). When one is not finite it
raises FigureOverflowError naming the input(s) most likely responsible, the figure and
the months. Pure: no I/O.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from datetime import date

from costmodel.model.engine import FIGURES, Estimate, estimate
from costmodel.model.errors import FieldIssue, ScenarioValidationError
from costmodel.model.names import STRATEGY_LABELS
from costmodel.model.schema import Scenario

__all__ = [
    "FigureOverflowError",
    "all_finite",
    "check_estimate",
    "finite_estimate",
    "first_non_finite",
    "overflow_error",
    "suspects",
]

_LARGE = 1e15  # an input this large (or this many times smaller than 1) is a suspect when a figure overflows
_MAX_SUSPECTS = 3


class FigureOverflowError(ScenarioValidationError):
    """A valid scenario whose figures overflow a float; each issue names a suspect input (exit code 2)."""


def suspects(scenario: Scenario, months: int | None = None) -> list[tuple[str, float]]:
    """Return the inputs most likely to make figures overflow, largest first: (dotted path, value).

    An input counts by its order of magnitude, huge or tiny; monthly growth by the size of
    its compounding over the horizon. At most three; at least the single most extreme input.
    """
    from costmodel.model.inputs import numeric_inputs  # an error's path: start-up need not import the inputs

    horizon = scenario.horizon_months if months is None else months
    scored: list[tuple[float, str, float]] = []
    for item in numeric_inputs(scenario):
        value = item.value
        if item.path == "workload.monthly_growth":
            size = horizon * math.log10(1 + value) if value > 0 else 0.0
        else:
            # A huge value overflows a product, a tiny one a quotient (a GPU throughput or utilization).
            size = abs(math.log10(abs(value))) if value else -math.inf
        scored.append((size, item.path, value))
    scored.sort(key=lambda s: s[0], reverse=True)
    large = [s for s in scored if s[0] >= math.log10(_LARGE)]
    chosen = (large or scored[:1])[:_MAX_SUSPECTS]
    return [(path, value) for _size, path, value in chosen]


def _figures(est: Estimate) -> Iterator[tuple[str, str, int | None, float]]:
    """Yield (strategy, figure, month or None, value) for every number of an estimate."""
    for month, requests in enumerate(est.requests):
        yield "", "requests", month, requests
    peak = max(est.requests)
    for name, s in est.strategies.items():
        for figure in FIGURES:
            value = getattr(s, figure)
            if value is not None:  # cost_per_1k_requests is None when the horizon has no requests
                yield name, figure, None, value
        capacity = s.capacity_requests_per_month
        if capacity is not None:
            yield name, "capacity_requests_per_month", None, capacity
            yield name, "GPUs needed for the traffic", None, peak / capacity if capacity else math.inf
        yield name, "minimum_topup_total", None, s.minimum_topup_total
        for field, value in zip(s.effort._fields, s.effort, strict=True):
            yield name, f"effort.{field}", None, value
        for month, (cost, cumulative) in enumerate(zip(s.monthly_cost, s.cumulative, strict=True)):
            yield name, "monthly cost", month, cost
            yield name, "cumulative cost", month, cumulative


def _all_finite_fast(est: Estimate) -> bool:
    """Return True when every figure is surely finite, checking few numbers.

    Costs are never negative, so each month's cost and cumulative cost is at most the
    strategy's total: a finite total (and non-negative months) vouches for the timeline.
    """
    isfinite = math.isfinite
    if not isfinite(sum(est.requests)):
        return False
    for s in est.strategies.values():
        if not (
            isfinite(s.upfront + s.per_update + s.per_request + s.monthly_fixed + s.periodic_monthly)
            and isfinite(s.total + (s.cost_per_1k_requests or 0.0) + s.minimum_topup_total)
            and isfinite(sum(s.effort))
            and min(s.monthly_cost) >= 0
        ):
            return False
        capacity = s.capacity_requests_per_month
        if capacity is not None and not (capacity > 0 and isfinite(max(est.requests) / capacity)):
            return False
    return True


def first_non_finite(est: Estimate) -> tuple[str, str, int | None] | None:
    """Return (strategy, figure, month) of the first figure of `est` that is not finite, or None when all are."""
    if _all_finite_fast(est):
        return None
    for name, figure, month, value in _figures(est):
        if not math.isfinite(value):
            return name, figure, month
    return None


def _value(value: float) -> str:
    return f"{value:g}"


def overflow_error(scenario: Scenario, what: str, months: int | None = None) -> FigureOverflowError:
    """Return the located error for figures that overflow: one issue per suspect input, saying `what` overflowed."""
    issues = [
        FieldIssue(
            path,
            f"{_value(value)} makes {what} overflow (beyond {_value(1.7976931348623157e308)}); "
            f"use a {'larger' if 0 < abs(value) < 1 and path != 'workload.monthly_growth' else 'smaller'} value",
        )
        for path, value in suspects(scenario, months)
    ]
    return FigureOverflowError(None, issues)


def _describe(est: Estimate, strategy: str, figure: str, month: int | None) -> str:
    """Return which figure overflowed in words, e.g. `the RAG total over months 1-24`."""
    horizon = est.horizon_months
    if figure in ("requests", "monthly cost", "cumulative cost") and month is not None:
        whose = f"{STRATEGY_LABELS[strategy]} " if strategy else ""
        return f"the {whose}{figure} from month {month} of {horizon}"
    label = STRATEGY_LABELS.get(strategy, strategy)
    return f"the {label} {figure.replace('_', ' ')} (over months 1-{horizon})"


def check_estimate(est: Estimate, scenario: Scenario) -> Estimate:
    """Return `est` when every figure is finite; raise FigureOverflowError naming the suspect inputs otherwise."""
    found = first_non_finite(est)
    if found is None:
        return est
    raise overflow_error(scenario, _describe(est, *found), est.horizon_months)


def finite_estimate(scenario: Scenario, months: int | None = None, today: date | None = None) -> Estimate:
    """Return the engine's estimate of `scenario` when every figure is finite (amounts in its currency).

    `today` dates the timeline as `estimate()` does (availability, price warnings).
    Raises FigureOverflowError (a ScenarioValidationError: attach the file with
    `with_source`) when a figure overflows, naming the suspect inputs, the figure and months.
    """
    horizon = scenario.horizon_months if months is None else months
    try:
        est = estimate(scenario, months, today)
    except OverflowError:
        raise overflow_error(scenario, f"the requests per month over months 1-{horizon}", months) from None
    return check_estimate(est, scenario)


def all_finite(values: Iterable[float]) -> bool:
    """Return True when every value is finite (not inf, not NaN)."""
    return all(math.isfinite(v) for v in values)
