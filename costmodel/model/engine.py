"""The cost engine: pure functions from a validated Scenario to an Estimate.

Every figure is the sum of its strategy's cost lines (costmodel.model.lines, one module
per strategy in costmodel.model.strategies), evaluated in the order docs/model.md writes
its terms so that the figures match an independent implementation bit for bit; pricing
options transform the lines (costmodel.model.options), `[operations]` adds lines
(costmodel.model.operations), and one timeline kernel (costmodel.model.timeline) turns
figures into months, totals and break-evens. Nothing here reads files, prints or keeps
state. Amounts are in the scenario's currency; prices are per 1M tokens.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cached_property, partial
from typing import Any, NamedTuple

from costmodel.model import timeline
from costmodel.model.availability import start_month, unavailable_because
from costmodel.model.context import HOURS_PER_MONTH, Context, scalar_where
from costmodel.model.lines import (
    RATE_FIGURES,
    CostLine,
    Effort,
    EffortFigures,
    Part,
    add_up,
    figures_function,
    group_lines,
    new_effort,
    split_per_request,
)
from costmodel.model.names import ALL_STRATEGIES, STRATEGY_LABELS
from costmodel.model.operations import operations_effort, operations_lines
from costmodel.model.options import Serving, apply_options, is_on, minimum_spend, options_on
from costmodel.model.options import serving as _serving
from costmodel.model.schema import Scenario
from costmodel.model.strategies import BY_NAME, present
from costmodel.model.strategies.base import Strategy
from costmodel.model.strategies.fine_tune import STALE_WARNING

__all__ = [
    "FIGURES",
    "HOURS_PER_MONTH",
    "RATE_FIGURES",
    "Breakeven",
    "CostLine",
    "Effort",
    "Estimate",
    "Part",
    "Rates",
    "RatesContext",
    "Serving",
    "StrategyEstimate",
    "breakdown",
    "breakeven_pairs",
    "capacity_warning",
    "estimate",
    "monthly_requests",
    "monthly_topups",
    "rates_context",
    "request_tokens",
    "serving",
    "strategy_efforts",
    "strategy_lines",
    "strategy_rate",
    "strategy_rates",
]

# The headline figures of a strategy, in the order every table and CSV lists them.
FIGURES: tuple[str, ...] = (*RATE_FIGURES, "total", "cost_per_1k_requests")
monthly_requests = timeline.monthly_requests


class Rates(NamedTuple):
    """The five per-strategy figures that drive the timeline (currency units).

    The trailing fields belong to the pricing options of docs/pricing.md and are off by
    default: a monthly minimum spend (a month's `minimum_usage_per_request` × requests is
    topped up to `minimum_per_month`) and the requests/month an always-on GPU deployment
    can serve (None when not self-hosted on always-on GPUs). `token_part` and
    `other_part` split per_request into its part priced from `[models]` and the rest;
    they are set only when `price_change_per_year` is not 0 (None otherwise).
    """

    upfront: float
    per_update: float
    per_request: float
    monthly_fixed: float
    periodic_monthly: float
    minimum_per_month: float = 0.0
    minimum_usage_per_request: float = 0.0
    capacity_requests_per_month: float | None = None
    token_part: float | None = None
    other_part: float | None = None


class StrategyEstimate(NamedTuple):
    """One strategy's costs over the horizon.

    `monthly_cost[m]` and `cumulative[m]` are indexed by month; index 0 holds the upfront build.
    `cost_per_1k_requests` is None when the horizon has no requests. `available` is False
    when a model it needs is withdrawn or its fine-tuning ends within the horizon, and
    `unavailable_because` then says which model, field and date (None when available).
    """

    name: str
    upfront: float
    per_update: float
    per_request: float
    monthly_fixed: float
    periodic_monthly: float
    total: float
    cost_per_1k_requests: float | None
    effort: Effort
    monthly_cost: tuple[float, ...]
    cumulative: tuple[float, ...]
    minimum_topup_total: float = 0.0
    capacity_requests_per_month: float | None = None
    available: bool = True
    unavailable_because: str | None = None

    @property
    def label(self) -> str:
        """Return the strategy's label as faces show it (e.g. "Fine-tuning")."""
        return STRATEGY_LABELS.get(self.name, self.name)

    def run_rate(self, month: int) -> float:
        """Return the cost of month `month` (>= 1) in currency units."""
        return self.monthly_cost[month]


_new_strategy_estimate: Callable[[tuple[Any, ...]], StrategyEstimate] = partial(tuple.__new__, StrategyEstimate)
"""Return a StrategyEstimate from a tuple of all its fields in order (one C call, as lines.new_effort)."""


class Breakeven(NamedTuple):
    """The first month at which strategy `a`'s cumulative cost falls to or below `b`'s, or None."""

    a: str
    b: str
    month: int | None


@dataclass(frozen=True)
class Estimate:
    """The engine's answer for one scenario: every strategy present, break-evens and warnings.

    `strategies` holds the strategies the scenario has, in registry order (three, or four
    with `[long_context]`). `cheapest` is the lowest total among the available ones (among
    all when none is). `start` is timeline month 1 as "YYYY-MM" (None when the scenario
    has no `start` and the caller gave no date). `breakeven` is worked out on first
    access: sweeps and simulations that need only the figures do not pay for it.
    """

    scenario: str
    currency: str
    horizon_months: int
    requests: tuple[float, ...]
    strategies: dict[str, StrategyEstimate]
    cheapest: str
    warnings: tuple[str, ...]
    start: str | None = None

    @cached_property
    def breakeven(self) -> tuple[Breakeven, ...]:
        """Return the break-even month of every ordered pair of strategies (None when never)."""
        return breakeven_pairs(self.strategies)

    @property
    def names(self) -> tuple[str, ...]:
        """Return the names of the strategies present, in registry order."""
        return tuple(self.strategies)

    @property
    def available(self) -> tuple[str, ...]:
        """Return the names of the available strategies, in registry order."""
        return tuple(name for name, s in self.strategies.items() if s.available)

    def timeline(self, strategy: str) -> list[dict[str, float | int]]:
        """Return docs/model.md's timeline entries (month, requests, cost, cumulative) for a strategy."""
        est = self.strategies[strategy]
        # One zip of four (no tuple unpacked per month): a batch writes every timeline of every file.
        return [
            {"month": m, "requests": r, "cost": c, "cumulative": cum}
            for m, r, c, cum in zip(
                range(len(self.requests)), self.requests, est.monthly_cost, est.cumulative, strict=True
            )
        ]

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON shape of docs/model.md (plus `warnings`), numbers unrounded."""
        strategies: dict[str, Any] = {}
        for name, est in self.strategies.items():
            strategies[name] = {
                "upfront": est.upfront,
                "per_update": est.per_update,
                "per_request": est.per_request,
                "monthly_fixed": est.monthly_fixed,
                "periodic_monthly": est.periodic_monthly,
                "total": est.total,
                "cost_per_1k_requests": est.cost_per_1k_requests,
                "effort": est.effort._asdict(),
                "timeline": self.timeline(name),
                "available": est.available,
                "unavailable_because": est.unavailable_because,
            }
            if est.minimum_topup_total:
                strategies[name]["minimum_topup_total"] = est.minimum_topup_total
            if est.capacity_requests_per_month is not None:
                strategies[name]["capacity_requests_per_month"] = est.capacity_requests_per_month
        return {
            "scenario": self.scenario,
            "currency": self.currency,
            "horizon_months": self.horizon_months,
            "start": self.start,
            "strategies": strategies,
            "cheapest": self.cheapest,
            "breakeven": [{"a": b.a, "b": b.b, "month": b.month} for b in self.breakeven],
            "warnings": list(self.warnings),
        }


class _Plan:
    """A strategy's grouped cost lines for one set of switches, and the functions adding them up.

    `evaluate(c)` returns the five figures (RATE_FIGURES order, currency units) and the
    effort figures (EffortFigures); `evaluate_split(c)` the same with per_request as its token-priced part and the
    rest (for price drift); `figures(c)` and `figures_split(c)` leave the effort out (Monte
    Carlo and sweeps need none). They are built once per set of lines, except when a
    pricing option builds lines for one scenario: those are added up line by line.
    """

    __slots__ = ("effort", "evaluate", "evaluate_split", "figures", "figures_split", "lines", "options")

    def __init__(
        self, lines: dict[str, tuple[CostLine, ...]], options: bool, effort: Callable[[Any], EffortFigures]
    ) -> None:
        self.lines = lines
        self.options = options
        self.effort = effort
        self.evaluate: Callable[[Any], tuple[Any, ...]]
        self.evaluate_split: Callable[[Any], tuple[Any, ...]]
        self.figures: Callable[[Any], tuple[Any, ...]]
        self.figures_split: Callable[[Any], tuple[Any, ...]]
        if options:
            self.evaluate, self.evaluate_split = self._by_line, self._split_by_line
            self.figures, self.figures_split = self._figures_by_line, self._figures_split_by_line
        else:
            self.evaluate = figures_function(lines, effort=effort)
            self.evaluate_split = figures_function(lines, split=True, effort=effort)
            self.figures = figures_function(lines)
            self.figures_split = figures_function(lines, split=True)

    def _figures_by_line(self, c: Context) -> tuple[Any, ...]:
        """Return the five figures added up line by line."""
        return tuple(add_up(self.lines[figure], c) for figure in RATE_FIGURES)

    def _figures_split_by_line(self, c: Context) -> tuple[Any, ...]:
        """Return the figures line by line, per_request as (token-priced part, other part)."""
        upfront, per_update, _, fixed, periodic = self._figures_by_line(c)
        token, other = split_per_request(self.lines["per_request"], c)
        return upfront, per_update, token, other, fixed, periodic

    def _by_line(self, c: Context) -> tuple[Any, ...]:
        """Return the figures added up line by line, then the effort figures."""
        return (*self._figures_by_line(c), self.effort(c))

    def _split_by_line(self, c: Context) -> tuple[Any, ...]:
        """Return the split figures added up line by line, then the effort figures."""
        return (*self._figures_split_by_line(c), self.effort(c))


_PLANS: dict[int, _Plan] = {}


def _plan(strategy: Strategy, s: Any) -> _Plan:
    """Return the strategy's plan for the scenario's switches (cached unless a pricing option is on)."""
    own = strategy.lines(s)
    operations = s.operations is not None
    table = strategy.options_table
    if table is None:
        on = False
    else:
        part = getattr(s, table)
        cached, batch = part.cached_prompt_fraction, part.batch_fraction
        if part.self_host is not None:
            on = True
        elif cached.__class__ is float and batch.__class__ is float:
            on = cached != 0.0 or batch != 0.0 or (s.price_tiers and options_on(strategy, s))
        else:
            on = options_on(strategy, s)  # arrays of Monte Carlo samples
    if on:
        lines = apply_options(strategy, own, s)
        return _Plan(
            group_lines((*lines, *operations_lines(strategy)) if operations else lines),
            True,
            _effort_of(strategy, operations),
        )
    # Each strategy's own lines are a module-level tuple, so its identity names the strategy and its switches.
    key = 2 * id(own) + operations
    found = _PLANS.get(key)
    if found is None:
        found = _Plan(
            group_lines((*own, *operations_lines(strategy)) if operations else own),
            False,
            _effort_of(strategy, operations),
        )
        _PLANS[key] = found
    return found


def _effort_of(strategy: Strategy, operations: bool) -> Callable[[Any], EffortFigures]:
    """Return the function giving the strategy's effort figures (with the operations' terms when it has them)."""
    return operations_effort(strategy) if operations else strategy.effort


def strategy_lines(strategy: Strategy, s: Any) -> dict[str, tuple[CostLine, ...]]:
    """Return the strategy's cost lines for the scenario, grouped by figure, each group in adding order.

    The strategy's own lines, transformed by its pricing options, then the `[operations]`
    lines when the scenario has that table. Amounts are read from a Context.
    """
    return _plan(strategy, s).lines


def _rates(c: Context, strategy: Strategy, split: bool, minimum_on: bool) -> Rates:
    """Return one strategy's Rates from its cost lines (currency units); `split` fills token_part/other_part,
    `minimum_on` says that the vector-DB minimum spend is on."""
    s = c.s
    plan = _plan(strategy, s)
    if split:
        upfront, per_update, token_part, other_part, fixed, periodic = plan.figures_split(c)
        per_request = token_part + other_part
    else:
        upfront, per_update, per_request, fixed, periodic = plan.figures(c)
        token_part = other_part = None
    capacity = _serving(c, strategy).capacity_requests_per_month if plan.options else None
    minimum, usage = minimum_spend(strategy, s) if minimum_on else (0.0, 0.0)
    return Rates(upfront, per_update, per_request, fixed, periodic, minimum, usage, capacity, token_part, other_part)


def strategy_rates(
    s: Scenario,
    maximum: Callable[[Any, Any], Any] = max,
    where: Callable[[Any, Any, Any], Any] = scalar_where,
) -> dict[str, Rates]:
    """Return upfront, per_update, per_request, monthly_fixed and periodic_monthly per strategy.

    Args:
        s: a validated scenario.
        maximum: the `max` of two values; the Monte Carlo evaluator passes `numpy.maximum`
            with numpy arrays in place of the scenario's numbers (see costmodel.analysis.montecarlo).
        where: a three-way choice (`numpy.where` for arrays of samples).

    Returns:
        A dict keyed by the names of the strategies present (registry order), amounts in
        currency units; token_part/other_part are set when prices drift.
    """
    context = rates_context(s, maximum, where)
    rates: dict[str, Rates] = {}
    for strategy in present(s):
        rates[strategy.name] = strategy_rate(context, strategy)
    return rates


class RatesContext(NamedTuple):
    """What every strategy's rates share: the Context, whether prices drift, whether a minimum spend is on."""

    context: Context
    split: bool
    minimum_on: bool


def rates_context(
    s: Scenario,
    maximum: Callable[[Any, Any], Any] = max,
    where: Callable[[Any, Any, Any], Any] = scalar_where,
) -> RatesContext:
    """Return the shared part of `strategy_rates` for a scenario (see `strategy_rate`).

    Sweeps keep it while only values that one strategy reads change, and recompute that
    strategy alone with `strategy_rate`.
    """
    return RatesContext(
        Context(s, maximum, where), is_on(s.price_change_per_year), is_on(s.rag.retrieval_minimum_per_month)
    )


def strategy_rate(shared: RatesContext, strategy: Strategy) -> Rates:
    """Return one strategy's Rates (currency units) from the shared part of its scenario's rates.

    Any serving option result cached for the strategy is worked out again, so a strategy
    whose inputs changed since `shared` was made gets fresh figures.
    """
    shared.context.served.pop(strategy.name, None)
    return _rates(shared.context, strategy, shared.split, shared.minimum_on)


def strategy_efforts(s: Scenario) -> dict[str, Effort]:
    """Return the engineer-days and expert-hours of each strategy present (docs/model.md's `effort`)."""
    c = Context(s)
    return {strategy.name: _effort(c, strategy) for strategy in present(s)}


def _effort(c: Context, strategy: Strategy) -> Effort:
    """Return one strategy's effort, with the operations' additions when the scenario has `[operations]`."""
    return new_effort(_effort_of(strategy, c.s.operations is not None)(c))


def request_tokens(s: Scenario, strategy: str, maximum: Callable[[Any, Any], Any] = max) -> tuple[Any, Any, Any]:
    """Return (prompt, context, output) tokens of one request of `strategy`.

    The fine-tuned strategies' prompt is docs/model.md's max(prompt_tokens - prompt_tokens_saved, 0);
    `maximum` is `max`, or `numpy.maximum` when the scenario holds arrays of samples.
    """
    return BY_NAME[strategy].request_tokens(Context(s, maximum))


def serving(s: Scenario, strategy: str, maximum: Callable[[Any, Any], Any] = max) -> Serving:
    """Return the serving cost of one request of `strategy` under its pricing options (see options.serving)."""
    return _serving(Context(s, maximum), BY_NAME[strategy])


def monthly_topups(r: Rates, served: Sequence[Any], maximum: Callable[[Any, Any], Any] = max) -> list[Any]:
    """Return each month's top-up to the monthly minimum spend (currency units), for months 1..H."""
    return timeline.topups(r.minimum_per_month, r.minimum_usage_per_request, served, maximum)


def capacity_warning(strategy: str, s: Scenario, capacity: float, requests: tuple[float, ...]) -> str | None:
    """Return a warning when demand outgrows an always-on GPU deployment's capacity, else None.

    `capacity` is in requests/month; `requests` holds months 0..H.
    """
    over = [m for m, q in enumerate(requests) if m >= 1 and q > capacity]
    if not over:
        return None
    host = getattr(s, strategy).self_host
    first, peak = over[0], max(requests)
    needed = host.gpu_count * peak / capacity
    return (
        f"{strategy}.self_host: demand outgrows the GPUs from month {first}: {peak:,.0f} requests/month at the "
        f"peak against {capacity:,.0f} that {host.gpu_count} x {host.gpu} serve at "
        f"{host.utilization:.0%} utilization; costs are understated (about {needed:,.1f} GPUs needed, or "
        'billing = "per_use")'
    )


def breakeven_pairs(strategies: dict[str, StrategyEstimate]) -> tuple[Breakeven, ...]:
    """Return, for each ordered pair (a, b) of the strategies given, the first month m >= 1 at which a's
    cumulative cost is at or below b's while it was above it in month m-1 (None when that never happens)."""
    names = tuple(strategies)
    months: dict[tuple[str, str], int | None] = {}
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            months[a, b], months[b, a] = timeline.breakeven_months(strategies[a].cumulative, strategies[b].cumulative)
    return tuple(Breakeven(a, b, months[a, b]) for a in names for b in names if a != b)


def estimate(scenario: Scenario, months: int | None = None, today: date | None = None) -> Estimate:
    """Return the full estimate of a validated scenario.

    Args:
        scenario: the validated scenario.
        months: a horizon overriding `scenario.horizon_months` (1..120), or None.
        today: the caller's date; timeline month 1 is the scenario's `start`, else today's
            month. With neither, availability is not checked and `start` is None.

    Returns:
        An Estimate with every strategy's figures, a month-by-month timeline (currency
        units), break-even months for every ordered pair, the cheapest available strategy
        and warnings.
    """
    horizon = scenario.horizon_months if months is None else months
    if not 1 <= horizon <= 120:
        raise ValueError(f"months must be 1..120, got {horizon}")
    w = scenario.workload
    requests, served, total_requests = timeline.monthly_demand(w.requests_per_month, w.monthly_growth, horizon)
    updates = scenario.knowledge.updates_per_month
    drift = scenario.price_change_per_year
    factors = timeline.drift_factors(drift, horizon) if drift else None
    first = None if scenario.start is None and today is None else start_month(scenario, today)
    c = Context(scenario)
    strategies: dict[str, StrategyEstimate] = {}
    extra_warnings: list[str] = []
    minimum_on = is_on(scenario.rag.retrieval_minimum_per_month)
    token = other = None
    capacity = because = None
    topups: list[Any] | None = None
    for strategy in present(scenario):
        name = strategy.name
        plan = _plan(strategy, scenario)
        if factors is None:
            upfront, per_update, per_request, fixed, periodic, effort = plan.evaluate(c)
        else:
            upfront, per_update, token, other, fixed, periodic, effort = plan.evaluate_split(c)
            per_request = token + other
        if plan.options:
            capacity = _serving(c, strategy).capacity_requests_per_month
        if minimum_on:
            minimum, usage = minimum_spend(strategy, scenario)
            topups = timeline.topups(minimum, usage, served) if minimum else None
        # cost(m) = monthly_fixed + periodic_monthly + updates * per_update + requests(m) * per_request,
        # summed left to right exactly as docs/model.md writes it.
        costs, cumulative = timeline.run(
            upfront, fixed + periodic + updates * per_update, per_request, served, factors, token, other, topups
        )
        total = cumulative[-1]
        if first is not None:
            because = unavailable_because(strategy, scenario, first, horizon)
        strategies[name] = _new_strategy_estimate(
            (
                name,
                upfront,
                per_update,
                per_request,
                fixed,
                periodic,
                total,
                1000 * (total - upfront) / total_requests if total_requests else None,
                new_effort(effort),
                costs,
                cumulative,
                sum(topups) if topups is not None else 0.0,
                capacity,
                because is None,
                because,
            )
        )
        if capacity is not None:
            warning = capacity_warning(name, scenario, capacity, requests)
            if warning:
                extra_warnings.append(warning)
            capacity = None
        if because is not None:
            extra_warnings.append(f"{strategy.info.label} is not available: {because}")
    # cheapest_of, inlined: `strategies` is in registry order, so the first of equal totals wins.
    chosen: StrategyEstimate | None = None
    for s in strategies.values():
        if s.available and (chosen is None or s.total < chosen.total):
            chosen = s
    none_available = chosen is None
    cheapest = cheapest_of(strategies)[0] if chosen is None else chosen.name
    if none_available:
        extra_warnings.append(
            "no strategy is available over the whole horizon; the cheapest is picked among all of them"
        )
    warnings: tuple[str, ...] = () if scenario.fine_tune.retrain_on_update else (STALE_WARNING,)
    if extra_warnings:
        warnings += tuple(extra_warnings)
    result: Estimate = object.__new__(Estimate)
    # A frozen dataclass's __init__ sets each field through object.__setattr__; filling the
    # instance dict at once gives the same object in a fraction of the time (an estimate is made
    # thousands of times a second by sweeps and the solver). `dataclasses.replace` still works.
    result.__dict__.update(
        scenario=scenario.name,
        currency=scenario.currency,
        horizon_months=horizon,
        requests=requests,
        strategies=strategies,
        cheapest=cheapest,
        warnings=warnings,
        start=first.isoformat()[:7] if first is not None else None,
    )
    return result


def cheapest_of(strategies: dict[str, StrategyEstimate]) -> tuple[str, bool]:
    """Return (the available strategy with the lowest total, True when none is available and all were compared).

    A tie goes to the first in registry order (rag, fine_tune, hybrid, long_context).
    """
    names = [name for name in ALL_STRATEGIES if name in strategies]
    available = [name for name in names if strategies[name].available]
    return min(available or names, key=lambda name: strategies[name].total), not available


def breakdown(s: Scenario) -> dict[str, dict[str, list[Part]]]:
    """Return, per strategy present and per figure, the parts that add up to it (currency units).

    Figures are `upfront`, `per_update`, `per_request`, `monthly_fixed` and
    `periodic_monthly` (plus `minimum_topup` when a minimum spend is on); each part is
    one cost line, and the parts of a figure add up to the engine's figure.
    """
    c = Context(s)
    parts: dict[str, dict[str, list[Part]]] = {}
    for strategy in present(s):
        lines = strategy_lines(strategy, s)
        parts[strategy.name] = {
            figure: [Part(line.label, line.value(c), line.formula) for line in lines[figure]] for figure in RATE_FIGURES
        }
        minimum, _ = minimum_spend(strategy, s)
        if minimum:
            parts[strategy.name]["minimum_topup"] = [
                Part(
                    "vector-DB minimum: the most it adds to a month (at zero traffic)",
                    minimum,
                    "max(retrieval_minimum_per_month - requests × retrieval_per_1k_requests / 1000, 0) per month",
                )
            ]
    return parts
