"""One-at-a-time sensitivity: how far each input alone moves each strategy's total.

For every numeric input, the total of each strategy is computed with that input at its
low and at its high while every other input stays at its point value (the median of a
range). An input's low/high is its range when it has one, else its point value -20 % and
+20 % (the factor is `spread`), clamped to the field's bounds. Inputs are ranked by swing
`|total_high - total_low|`. Totals come from the engine itself (`engine.estimate`).

A numeric input that changes the cheapest strategy somewhere in its interval is a
decision flipper; the break-even solver then says at which value, and in which direction,
the new winner takes over. Discrete choices are tried one at a time too: every compatible
model of the scenario's `[models]` for each strategy's model reference, and each pricing
option (prompt caching, batch API) switched on or off; those that change the winner are
reported with the new margin.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from costmodel.analysis.decision import available_ranking, is_available, winner_and_runner_up
from costmodel.analysis.solver import solve
from costmodel.model.engine import Estimate
from costmodel.model.errors import CostmodelError
from costmodel.model.finite import FigureOverflowError, finite_estimate
from costmodel.model.inputs import Input, InputError, numeric_inputs, replace_values
from costmodel.model.schema import ModelPrice, Scenario, required_prices
from costmodel.model.strategies import REGISTRY, present

__all__ = [
    "DEFAULT_SPREAD",
    "OPTION_SHARE",
    "Choice",
    "ChoiceFlip",
    "FlipPoint",
    "Sensitivity",
    "Swing",
    "choice_flips",
    "choices",
    "flip_points",
    "input_interval",
    "sensitivity",
]

DEFAULT_SPREAD = 0.2
_PROBES = 8  # interior points checked, besides low and high, for a change of the cheapest strategy
OPTION_SHARE = 0.5  # the share a pricing option that is off is tried at (cached prompt, batch traffic)
# The model references of the strategies: (table, field) and the role the model plays there.
_MODEL_FIELDS: tuple[tuple[str, str], ...] = tuple(
    dict.fromkeys(ref for strategy in REGISTRY for ref in strategy.models_called)
)  # rag.model, rag.embedding_model, fine_tune.model (the hybrid shares it), long_context.model
# The strategies that call the model at each reference (MODEL.md's availability rules).
_CALLERS: dict[tuple[str, str], tuple[str, ...]] = {
    ref: tuple(strategy.name for strategy in REGISTRY if ref in strategy.models_called) for ref in _MODEL_FIELDS
}


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


@dataclass(frozen=True, slots=True)
class FlipPoint:
    """Where a numeric input hands the win to another strategy: above or below `value` (the input's unit)."""

    input: str
    winner: str
    direction: str
    value: float
    current: float

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form: input, winner, direction (`above` | `below`), value, current."""
        return {
            "input": self.input,
            "winner": self.winner,
            "direction": self.direction,
            "value": self.value,
            "current": self.current,
        }


@dataclass(frozen=True, slots=True)
class Choice:
    """One discrete alternative to the scenario: a field set to another model or an option's share.

    `users` are the strategies the change touches (those calling the model, or the
    strategy whose option it is): a choice none of them can use is no choice.
    """

    path: str
    value: str | float
    scenario: Scenario
    users: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """Return the choice as people write it, e.g. `rag.model = gpt-4.1-mini`."""
        value = self.value if isinstance(self.value, str) else f"{self.value:g}"
        return f"{self.path} = {value}"


@dataclass(frozen=True, slots=True)
class ChoiceFlip:
    """A discrete choice that changes the winner, with the new winner's margin over its runner-up (currency)."""

    path: str
    value: str | float
    label: str
    winner: str
    runner_up: str | None
    winner_total: float
    margin: float | None
    margin_fraction: float | None

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form: path, value, winner, runner_up, winner_total, margin, margin_fraction."""
        return {
            "path": self.path,
            "value": self.value,
            "choice": self.label,
            "winner": self.winner,
            "runner_up": self.runner_up,
            "winner_total": self.winner_total,
            "margin": self.margin,
            "margin_fraction": self.margin_fraction,
        }


@dataclass(frozen=True)
class Sensitivity:
    """Per strategy, every input ranked by swing; the point totals; and the inputs and choices that change the winner.

    `decision_flippers` lists the numeric inputs (by widest swing) and `flips` the strategies
    each can make cheapest; `flip_points` where (from the solver); `choice_flips` the
    discrete choices (models, pricing options) that change the winner, largest margin first.
    """

    currency: str
    horizon_months: int
    base_totals: dict[str, float]
    cheapest: str
    strategies: dict[str, list[Swing]]
    decision_flippers: list[str]
    flips: dict[str, list[str]]
    flip_points: dict[str, list[FlipPoint]] = field(default_factory=dict)
    choice_flips: list[ChoiceFlip] = field(default_factory=list)
    choices_tried: int = 0

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form: strategies (ranked swings), decision flippers with their flip points,
        the discrete choices that flip the decision, and the base point totals."""
        return {
            "currency": self.currency,
            "horizon_months": self.horizon_months,
            "base": {"totals": self.base_totals, "cheapest": self.cheapest},
            "strategies": {name: [s.to_dict() for s in rows] for name, rows in self.strategies.items()},
            "decision_flippers": self.decision_flippers,
            "flips": self.flips,
            "flip_points": {path: [p.to_dict() for p in points] for path, points in self.flip_points.items()},
            "choice_flippers": [c.to_dict() for c in self.choice_flips],
            "choices_tried": self.choices_tried,
        }


def input_interval(scenario: Scenario, item: Input, spread: float = DEFAULT_SPREAD) -> tuple[float, float]:
    """Return the (low, high) an input is swung between: its range, else its value -/+ `spread`, clamped to bounds."""
    r = scenario.ranges.get(item.path)
    if r is not None:
        return r.low, r.high
    a, b = item.value * (1 - spread), item.value * (1 + spread)
    return item.bounds.clamp(min(a, b)), item.bounds.clamp(max(a, b))


def _role_needs(candidate: Scenario, table: str, name: str) -> tuple[str, ...]:
    """Return the price fields the model referenced at `table`.`name` must carry in `candidate`."""
    return tuple(n.price for n in required_prices(candidate) if (n.table, n.field) == (table, name))


def _fits(candidate: Scenario, table: str, name: str, model: ModelPrice, needs: tuple[str, ...]) -> bool:
    """Return whether `model` can play the role of `table`.`name`: it has every price the role needs.

    An embedding model (no output price) only ever embeds, and an answering model never
    embeds; the rules of the strategies calling it must hold with it (a long-context model
    must hold the prompt, the pack and the output in its window).
    """
    if any(getattr(model, price) is None for price in needs):
        return False
    ref = (table, name)
    callers = [strategy for strategy in present(candidate) if ref in strategy.models_called]
    if any(ref in strategy.embedding_models for strategy in callers):
        return model.output_per_mtok is None
    return not any(strategy.check(candidate) for strategy in callers)


def choices(scenario: Scenario) -> list[Choice]:
    """Return the discrete alternatives to a scenario, each a copy with one choice changed (not re-validated).

    - every other model of `[models]` that has the prices its role needs, for each model
      reference of the strategies (rag.model, rag.embedding_model, fine_tune.model, which
      the hybrid shares, and long_context.model when present); a reference whose prices
      no figure uses (a model served and trained on own GPUs) is left alone;
    - each pricing option of rag, fine_tune and hybrid switched off when it is on, or on at
      OPTION_SHARE (0.5) when it is off and the model has the prices it bills at: the
      cached-prompt share (`cached_prompt_fraction`) and the batch share (`batch_fraction`).
      Strategies served on their own GPUs have no API options.
    """
    out: list[Choice] = []
    for table, name in _MODEL_FIELDS:
        part = getattr(scenario, table)
        if part is None:
            continue
        current = getattr(part, name)
        if not _role_needs(scenario, table, name):
            continue
        for other, model in scenario.models.items():
            if other == current:
                continue
            candidate = replace_values(scenario, {(table, name): other})
            if _fits(candidate, table, name, model, _role_needs(candidate, table, name)):
                out.append(Choice(f"{table}.{name}", other, candidate, _CALLERS[table, name]))
    for strategy in present(scenario):
        if strategy.options_table is None:
            continue
        table = strategy.options_table
        part = getattr(scenario, table)
        if part.self_host is not None:
            continue
        serving_table, serving_field = strategy.serving_model
        serving = scenario.models.get(getattr(getattr(scenario, serving_table), serving_field))
        if serving is None:
            continue
        pre = strategy.serving_prefix
        options = (
            ("cached_prompt_fraction", (f"{pre}cached_input_per_mtok",)),
            ("batch_fraction", (f"{pre}batch_input_per_mtok", f"{pre}batch_output_per_mtok")),
        )
        for option, prices in options:
            value = getattr(part, option)
            if value > 0:
                new = 0.0
            elif all(getattr(serving, price) is not None for price in prices):
                new = OPTION_SHARE
            else:
                continue
            out.append(Choice(f"{table}.{option}", new, replace_values(scenario, {(table, option): new}), (table,)))
    return out


def _margin(est: Estimate) -> tuple[str, str | None, float | None, float | None]:
    """Return (winner, runner-up, margin, margin as a share of the runner-up's total) among the available."""
    winner, second = winner_and_runner_up(est)
    if second is None:
        return winner, None, None, None
    w, r = est.strategies[winner].total, est.strategies[second].total
    return winner, second, r - w, (r - w) / r if r else None


def choice_flips(
    scenario: Scenario, base: Estimate, months: int | None = None, today: date | None = None
) -> tuple[list[ChoiceFlip], int]:
    """Return the discrete choices that change the winner (largest new margin first) and how many were tried.

    Each flip carries the new winner, its runner-up and its margin (currency over the
    horizon, and as a share of the runner-up's total). A choice that leaves every strategy
    it touches unavailable (a model retired before the horizon ends) is tried but never a flip.
    """
    winner = available_ranking(base)[0]
    tried = choices(scenario)
    flips: list[ChoiceFlip] = []
    for choice in tried:
        try:
            est = finite_estimate(choice.scenario, months, today)
        except FigureOverflowError:
            continue  # a choice whose figures overflow cannot win
        users = [est.strategies[u] for u in choice.users if u in est.strategies]
        if users and not any(is_available(u) for u in users):
            continue  # nobody could use this choice over the horizon
        new, second, margin, fraction = _margin(est)
        if new != winner:
            total = est.strategies[new].total
            flips.append(ChoiceFlip(choice.path, choice.value, choice.label, new, second, total, margin, fraction))
    flips.sort(key=lambda f: -(f.margin_fraction or 0.0))
    return flips, len(tried)


def flip_points(
    scenario: Scenario, item: Input, low: float, high: float, base: Estimate, months: int | None = None
) -> list[FlipPoint]:
    """Return where, going up and going down from its current value, an input first hands the win to another strategy.

    The break-even solver finds every value in [low, high] at which the current winner and
    another available strategy cost the same; the nearest crossing on each side of the
    current value, past which the other strategy is cheaper, is where the winner changes.
    Values in the input's unit; at most one point above and one below.
    """
    winner = available_ranking(base)[0]
    others = [n for n in base.strategies if n != winner and is_available(base.strategies[n])]
    above: FlipPoint | None = None
    below: FlipPoint | None = None
    for other in others:
        try:
            sol = solve(scenario, item.path, winner, other, low, high, months)
        except CostmodelError:
            continue
        for c in sol.crossings:
            if c.value >= item.value and c.cheaper_above == other and (above is None or c.value < above.value):
                above = FlipPoint(item.path, other, "above", c.value, item.value)
            if c.value <= item.value and c.cheaper_below == other and (below is None or c.value > below.value):
                below = FlipPoint(item.path, other, "below", c.value, item.value)
    return [p for p in (below, above) if p is not None]


def _at(scenario: Scenario, item: Input, value: float, months: int | None, today: date | None = None) -> Estimate:
    """Return the finite estimate with one input at `value`; raise InputError naming it when figures overflow."""
    try:
        return finite_estimate(replace_values(scenario, {item.keys: value}), months, today)
    except FigureOverflowError:
        raise InputError(
            f"{item.path}: at {value:g} (its swing of the sensitivity) the figures overflow beyond 1.8e308; "
            "give it a smaller value or range"
        ) from None


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
        for which another strategy is cheapest somewhere between its low and high; its flip
        points say where. The discrete choices (`choices`) that change the winner come with
        their new margins.

    Raises FigureOverflowError when the scenario's own figures overflow, InputError naming
    the input when they overflow at one end of its swing.
    """
    base = finite_estimate(scenario, months, today)
    names = base.names
    base_totals = {name: base.strategies[name].total for name in names}
    rows: dict[str, list[Swing]] = {name: [] for name in names}
    flips: dict[str, list[str]] = {}
    widest: dict[str, float] = {}
    points: dict[str, list[FlipPoint]] = {}
    for item in numeric_inputs(scenario):
        low, high = input_interval(scenario, item, spread)
        at_low = _at(scenario, item, low, months, today)
        at_high = _at(scenario, item, high, months, today)
        for name in names:
            rows[name].append(
                Swing(item.path, low, high, at_low.strategies[name].total, at_high.strategies[name].total)
            )
        winners = {at_low.cheapest, at_high.cheapest}
        if high > low:
            step = (high - low) / (_PROBES + 1)
            for k in range(1, _PROBES + 1):
                winners.add(_at(scenario, item, low + k * step, months, today).cheapest)
        winners.discard(base.cheapest)
        if winners:
            flips[item.path] = [name for name in names if name in winners]
            widest[item.path] = max(rows[name][-1].swing for name in names)
            points[item.path] = flip_points(scenario, item, low, high, base, months)
    ranked = {name: sorted(items, key=lambda s: s.swing, reverse=True) for name, items in rows.items()}
    flippers = sorted(flips, key=lambda path: widest[path], reverse=True)
    by_choice, tried = choice_flips(scenario, base, months, today)
    return Sensitivity(
        scenario.currency,
        base.horizon_months,
        base_totals,
        base.cheapest,
        ranked,
        flippers,
        {path: flips[path] for path in flippers},
        {path: points[path] for path in flippers},
        by_choice,
        tried,
    )
