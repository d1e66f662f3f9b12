"""Break-even solving: the value of one input at which two strategies cost the same over the horizon.

The difference `total_a(x) - total_b(x)` is evaluated by the engine on a grid over the
search interval; every sign change is a bracket, narrowed by bisection until the two ends
are adjacent floats. Totals are linear in most inputs, so there is usually one crossing
or none; growth and the prompt-token floor can give more, and all are reported.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import Any

from pydantic import ValidationError

from costmodel.model.errors import CostmodelError
from costmodel.model.finite import FigureOverflowError, finite_estimate
from costmodel.model.inputs import Input, InputError, replace_values, value_at
from costmodel.model.schema import Scenario
from costmodel.model.strategies import present
from costmodel.model.text import shorten
from costmodel.model.validation import issues_from

__all__ = ["Crossing", "Solution", "default_interval", "solve"]

_GRID = 200
_MAX_BISECTIONS = 200


@dataclass(frozen=True, slots=True)
class Crossing:
    """A value of the varied input at which both strategies' totals are equal (currency units)."""

    value: float
    total_a: float
    total_b: float
    cheaper_below: str
    cheaper_above: str

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form of one crossing."""
        return {
            "value": self.value,
            "total_a": self.total_a,
            "total_b": self.total_b,
            "cheaper_below": self.cheaper_below,
            "cheaper_above": self.cheaper_above,
        }


@dataclass(frozen=True)
class Solution:
    """The crossings found for one input and one pair of strategies within [low, high]."""

    path: str
    a: str
    b: str
    low: float
    high: float
    current: float
    unit: str
    currency: str
    crossings: list[Crossing]
    diff_low: float
    diff_high: float

    @property
    def found(self) -> bool:
        """Return True when at least one break-even lies in the interval."""
        return bool(self.crossings)

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form: the input, pair, interval, current value and every crossing (value, totals)."""
        return {
            "vary": self.path,
            "between": [self.a, self.b],
            "min": self.low,
            "max": self.high,
            "current": self.current,
            "unit": self.unit,
            "currency": self.currency,
            "found": self.found,
            "crossings": [c.to_dict() for c in self.crossings],
            "difference_at_min": self.diff_low,
            "difference_at_max": self.diff_high,
        }


def default_interval(scenario: Scenario, item: Input) -> tuple[float, float]:
    """Return the default search interval of an input: from its field's minimum (or -10x) to 10x its value (at least 1).

    Below an exclusive minimum (`> 0`, as GPU throughput and utilization have) the search
    starts a thousandth of the way from it to the value, not one float above it, where a
    divisor would all but vanish. A range's high widens the top the same way; both ends
    are clamped to the field's bounds. Returns (low, high) in the input's unit.
    """
    r = scenario.ranges.get(item.path)
    top = max(abs(item.value), r.high if r else 0.0)
    low = item.bounds.lowest
    gt = item.bounds.gt
    if item.bounds.ge is None and gt is not None and item.value > gt:
        low = gt + (item.value - gt) / 1000
    if not math.isfinite(low):
        low = item.value - 10 * max(abs(item.value), 1.0)
    high = item.bounds.clamp(max(10 * top, 1.0))
    return item.bounds.clamp(low), high


def _totals(
    scenario: Scenario, item: Input, x: float, a: str, b: str, months: int | None, today: date | None = None
) -> tuple[float, float]:
    """Return the totals of strategies a and b with the input set to x (currency units).

    Raises InputError when a cost divides by zero there (a GPU throughput that underflows) or the
    figures overflow.
    """
    try:
        est = finite_estimate(replace_values(scenario, {item.keys: x}), months, today)
    except ZeroDivisionError:
        raise InputError(f"{item.path}: at {x:g} a cost divides by zero; search from a larger --min") from None
    except FigureOverflowError as exc:
        cause = exc.issues[0].message if exc.issues else "the figures overflow"
        raise InputError(
            f"{item.path}: at {x:g} the figures overflow ({shorten(cause, 160)}); search a smaller interval (--max)"
        ) from None
    a_total, b_total = est.strategies[a].total, est.strategies[b].total
    if not math.isfinite(a_total - b_total):
        raise InputError(f"{item.path}: at {x:g} the difference of the totals overflows; search a smaller --max")
    return a_total, b_total


def _check_valid_at(scenario: Scenario, item: Input, x: float, label: str) -> None:
    """Raise InputError when the scenario is not valid with the input at `x` (e.g. a cached share > 0
    needs a cached price, and is refused on a strategy served on its own GPUs).

    The schema's rules on one number only tell 0 from above 0, so both ends of an interval
    being valid make every value between them valid.
    """
    try:
        Scenario.model_validate(replace_values(scenario, {item.keys: x}).model_dump())
    except ValidationError as exc:
        issue = issues_from(exc)[0]
        where = "" if issue.path == item.path else f"{issue.path}: "
        raise InputError(f"{item.path}: at {label} {x:g} the scenario is not valid: {where}{issue.message}") from None


def solve(
    scenario: Scenario,
    path: str,
    a: str,
    b: str,
    low: float | None = None,
    high: float | None = None,
    months: int | None = None,
    today: date | None = None,
) -> Solution:
    """Return the values of the input at `path` in [low, high] where strategies a and b have equal totals.

    Args:
        scenario: a validated scenario.
        path: the dotted path of a numeric input, e.g. `workload.requests_per_month`.
        a, b: two different strategy names.
        low, high: the search interval in the input's unit (default: `default_interval`).
        months: a horizon overriding the scenario's, or None.
        today: the run's date, dating each estimate as `estimate()` does (availability), or None.

    Returns:
        A Solution whose `crossings` are sorted by value (empty when none is in range).

    Raises:
        CostmodelError (InputError) for an unknown path, an unknown strategy or a bad interval.
    """
    names = [strategy.name for strategy in present(scenario)]
    for name in (a, b):
        if name not in names:
            raise CostmodelError(f"unknown strategy {name!r}; expected one of {', '.join(names)}")
    if a == b:
        raise CostmodelError(f"--between needs two different strategies, got {a} twice")
    item = value_at(scenario, path)
    lo_default, hi_default = default_interval(scenario, item)
    lo = lo_default if low is None else low
    hi = hi_default if high is None else high
    for label, x in (("--min", lo), ("--max", hi)):
        if not math.isfinite(x) or not item.bounds.contains(x):
            raise InputError(f"{item.path}: {label} {x:g} is out of this field's bounds ({item.bounds.describe()})")
    if not lo < hi:
        raise InputError(f"{item.path}: --min ({lo:g}) must be below --max ({hi:g})")
    _check_valid_at(scenario, item, lo, "--min")
    _check_valid_at(scenario, item, hi, "--max")

    def diff(x: float) -> tuple[float, float, float]:
        ta, tb = _totals(scenario, item, x, a, b, months, today)
        return ta - tb, ta, tb

    xs = [lo + (hi - lo) * k / _GRID for k in range(_GRID)] + [hi]
    ds = [diff(x) for x in xs]
    crossings: list[Crossing] = []
    for i, (x, (d, ta, tb)) in enumerate(zip(xs, ds, strict=True)):
        if d == 0:
            below = ds[i - 1][0] if i > 0 else 0.0
            above = ds[i + 1][0] if i + 1 < len(ds) else 0.0
            if below == 0 and above == 0:
                continue  # equal on a whole stretch: no single break-even value
            below, above = below or -above, above or -below
            crossings.append(Crossing(x, ta, tb, a if below < 0 else b, a if above < 0 else b))
            continue
        if i + 1 == len(xs):
            break
        d_next = ds[i + 1][0]
        if d_next == 0 or (d < 0) == (d_next < 0) or math.isnan(d) or math.isnan(d_next):
            continue
        left, right, d_left = x, xs[i + 1], d
        best = (left, d, ta, tb)
        for _ in range(_MAX_BISECTIONS):
            mid = left + (right - left) / 2
            if mid <= left or mid >= right:
                break
            d_mid, ta_mid, tb_mid = diff(mid)
            if abs(d_mid) < abs(best[1]):
                best = (mid, d_mid, ta_mid, tb_mid)
            if d_mid == 0:
                break
            if (d_mid < 0) == (d_left < 0):
                left, d_left = mid, d_mid
            else:
                right = mid
        right_d, right_ta, right_tb = diff(right)
        if abs(right_d) < abs(best[1]):
            best = (right, right_d, right_ta, right_tb)
        crossings.append(Crossing(best[0], best[2], best[3], a if d < 0 else b, a if d_next < 0 else b))
    return Solution(
        item.path,
        a,
        b,
        lo,
        hi,
        item.value,
        item.unit,
        scenario.currency,
        crossings,
        ds[0][0],
        ds[-1][0],
    )
