"""One-at-a-time sensitivity: how far each input alone moves each strategy's total.

For every numeric input, the total of each strategy is computed with that input at its
low and at its high while every other input stays at its point value (the median of a
range). An input's low/high is its range when it has one, else its point value -20 % and
+20 % (the factor is `spread`), clamped to the field's bounds. Inputs are ranked by swing
`|total_high - total_low|`. Totals come from the engine itself (`engine.estimate`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from costmodel.model.engine import estimate
from costmodel.model.inputs import Input, numeric_inputs, replace_values
from costmodel.model.schema import Scenario

__all__ = ["DEFAULT_SPREAD", "Sensitivity", "Swing", "input_interval", "sensitivity"]

DEFAULT_SPREAD = 0.2
_PROBES = 8  # interior points checked, besides low and high, for a change of the cheapest strategy


@dataclass(frozen=True, slots=True)
class Swing:
    """One input's effect on one strategy: its low and high values and the totals there (currency units)."""

    input: str
    low: float
    high: float
    total_low: float
    total_high: float

    @property
    def swing(self) -> float:
        """Return |total_high - total_low| in currency units."""
        return abs(self.total_high - self.total_low)

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form: input, low, high, total_low, total_high, swing."""
        return {
            "input": self.input,
            "low": self.low,
            "high": self.high,
            "total_low": self.total_low,
            "total_high": self.total_high,
            "swing": self.swing,
        }


@dataclass(frozen=True)
class Sensitivity:
    """Per strategy, every input ranked by swing; the point totals; and the inputs that can change the cheapest."""

    currency: str
    horizon_months: int
    base_totals: dict[str, float]
    cheapest: str
    strategies: dict[str, list[Swing]]
    decision_flippers: list[str]
    flips: dict[str, list[str]]

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form: strategies (ranked swings), decision_flippers, and the base point totals."""
        return {
            "currency": self.currency,
            "horizon_months": self.horizon_months,
            "base": {"totals": self.base_totals, "cheapest": self.cheapest},
            "strategies": {name: [s.to_dict() for s in rows] for name, rows in self.strategies.items()},
            "decision_flippers": self.decision_flippers,
            "flips": self.flips,
        }


def input_interval(scenario: Scenario, item: Input, spread: float = DEFAULT_SPREAD) -> tuple[float, float]:
    """Return the (low, high) an input is swung between: its range, else its value -/+ `spread`, clamped to bounds."""
    r = scenario.ranges.get(item.path)
    if r is not None:
        return r.low, r.high
    a, b = item.value * (1 - spread), item.value * (1 + spread)
    return item.bounds.clamp(min(a, b)), item.bounds.clamp(max(a, b))


def sensitivity(
    scenario: Scenario, months: int | None = None, spread: float = DEFAULT_SPREAD, today: date | None = None
) -> Sensitivity:
    """Return every numeric input's swing on each strategy's total, ranked, and the decision flippers.

    Args:
        scenario: a validated scenario (ranged inputs sit at their medians).
        months: a horizon overriding the scenario's, or None.
        spread: the relative change used for inputs without a range (0.2 = -20 %/+20 %).
        today: the caller's date, for availability when the scenario has no `start`.

    Returns:
        A Sensitivity; totals in the scenario's currency. A decision flipper is an input
        for which another strategy is cheapest somewhere between its low and high.
    """
    base = estimate(scenario, months, today)
    names = base.names
    base_totals = {name: base.strategies[name].total for name in names}
    rows: dict[str, list[Swing]] = {name: [] for name in names}
    flips: dict[str, list[str]] = {}
    widest: dict[str, float] = {}
    for item in numeric_inputs(scenario):
        low, high = input_interval(scenario, item, spread)
        at_low = estimate(replace_values(scenario, {item.keys: low}), months, today)
        at_high = estimate(replace_values(scenario, {item.keys: high}), months, today)
        for name in names:
            rows[name].append(
                Swing(item.path, low, high, at_low.strategies[name].total, at_high.strategies[name].total)
            )
        winners = {at_low.cheapest, at_high.cheapest}
        if high > low:
            step = (high - low) / (_PROBES + 1)
            for k in range(1, _PROBES + 1):
                winners.add(estimate(replace_values(scenario, {item.keys: low + k * step}), months, today).cheapest)
        winners.discard(base.cheapest)
        if winners:
            flips[item.path] = [name for name in names if name in winners]
            widest[item.path] = max(rows[name][-1].swing for name in names)
    ranked = {name: sorted(items, key=lambda s: s.swing, reverse=True) for name, items in rows.items()}
    flippers = sorted(flips, key=lambda path: widest[path], reverse=True)
    return Sensitivity(
        scenario.currency,
        base.horizon_months,
        base_totals,
        base.cheapest,
        ranked,
        flippers,
        {path: flips[path] for path in flippers},
    )
