"""The cost engine: pure functions from a validated Scenario to an Estimate.

Every formula is shared/MODEL.md's, evaluated in the order written there so that the
figures match an independent implementation bit for bit. Nothing here reads files,
prints or keeps state. Amounts are in the scenario's currency; prices are per 1M tokens.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property
from itertools import accumulate
from typing import Any, NamedTuple

from costmodel.model.schema import STRATEGIES, ModelPrice, Scenario

__all__ = [
    "FIGURES",
    "HOURS_PER_MONTH",
    "Breakeven",
    "Effort",
    "Estimate",
    "Part",
    "Rates",
    "Serving",
    "StrategyEstimate",
    "breakdown",
    "capacity_warning",
    "estimate",
    "monthly_topups",
    "request_tokens",
    "serving",
    "strategy_rates",
]

HOURS_PER_MONTH = 730
# The headline figures of a strategy, in the order every table and CSV lists them.
FIGURES: tuple[str, ...] = (
    "upfront",
    "per_update",
    "per_request",
    "monthly_fixed",
    "periodic_monthly",
    "total",
    "cost_per_1k_requests",
)
STALE_WARNING = (
    "fine_tune.retrain_on_update is false: knowledge updates do not retrain the fine-tuned "
    "model, so its answers go stale (per_update is 0)"
)


class Effort(NamedTuple):
    """People needed by one strategy, in engineer-days and expert-hours."""

    upfront_engineer_days: float
    upfront_expert_hours: float
    per_update_engineer_days: float
    per_update_expert_hours: float
    monthly_engineer_days: float
    monthly_expert_hours: float


class Rates(NamedTuple):
    """The five per-strategy figures that drive the timeline (currency units).

    The trailing fields belong to the pricing options of docs/pricing.md and are off by
    default: a monthly minimum spend (a month's `minimum_usage_per_request` × requests is
    topped up to `minimum_per_month`) and the requests/month an always-on GPU deployment
    can serve (None when not self-hosted on always-on GPUs).
    """

    upfront: float
    per_update: float
    per_request: float
    monthly_fixed: float
    periodic_monthly: float
    minimum_per_month: float = 0.0
    minimum_usage_per_request: float = 0.0
    capacity_requests_per_month: float | None = None


class StrategyEstimate(NamedTuple):
    """One strategy's costs over the horizon.

    `monthly_cost[m]` and `cumulative[m]` are indexed by month; index 0 holds the upfront build.
    """

    name: str
    upfront: float
    per_update: float
    per_request: float
    monthly_fixed: float
    periodic_monthly: float
    total: float
    cost_per_1k_requests: float
    effort: Effort
    monthly_cost: tuple[float, ...]
    cumulative: tuple[float, ...]
    minimum_topup_total: float = 0.0
    capacity_requests_per_month: float | None = None

    def run_rate(self, month: int) -> float:
        """Return the cost of month `month` (>= 1) in currency units."""
        return self.monthly_cost[month]


class Breakeven(NamedTuple):
    """The first month at which strategy `a`'s cumulative cost falls to or below `b`'s, or None."""

    a: str
    b: str
    month: int | None


@dataclass(frozen=True)
class Estimate:
    """The engine's answer for one scenario: every strategy, break-evens and warnings.

    `breakeven` is worked out on first access: sweeps and simulations that need only the
    figures do not pay for it.
    """

    scenario: str
    currency: str
    horizon_months: int
    requests: tuple[float, ...]
    strategies: dict[str, StrategyEstimate]
    cheapest: str
    warnings: tuple[str, ...]

    @cached_property
    def breakeven(self) -> tuple[Breakeven, ...]:
        """Return the break-even month of every ordered pair of strategies (None when never)."""
        return breakeven_pairs(self.strategies)

    def timeline(self, strategy: str) -> list[dict[str, float | int]]:
        """Return MODEL.md's timeline entries (month, requests, cost, cumulative) for a strategy."""
        est = self.strategies[strategy]
        return [
            {"month": m, "requests": r, "cost": c, "cumulative": cum}
            for m, (r, c, cum) in enumerate(zip(self.requests, est.monthly_cost, est.cumulative, strict=True))
        ]

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON shape of shared/MODEL.md (plus `warnings`), numbers unrounded."""
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
                "effort": {
                    "upfront_engineer_days": est.effort.upfront_engineer_days,
                    "upfront_expert_hours": est.effort.upfront_expert_hours,
                    "per_update_engineer_days": est.effort.per_update_engineer_days,
                    "per_update_expert_hours": est.effort.per_update_expert_hours,
                    "monthly_engineer_days": est.effort.monthly_engineer_days,
                    "monthly_expert_hours": est.effort.monthly_expert_hours,
                },
                "timeline": self.timeline(name),
            }
            if est.minimum_topup_total:
                strategies[name]["minimum_topup_total"] = est.minimum_topup_total
            if est.capacity_requests_per_month is not None:
                strategies[name]["capacity_requests_per_month"] = est.capacity_requests_per_month
        return {
            "scenario": self.scenario,
            "currency": self.currency,
            "horizon_months": self.horizon_months,
            "strategies": strategies,
            "cheapest": self.cheapest,
            "breakeven": [{"a": b.a, "b": b.b, "month": b.month} for b in self.breakeven],
            "warnings": list(self.warnings),
        }


def _p(price: float | None) -> float:
    """Return a per-1M-token price as a price per token.

    The schema guarantees every price a figure uses is set; a price left unset is NaN here
    only in a figure that a pricing option replaces (a model served or trained on own GPUs).
    """
    return price / 1e6 if price is not None else math.nan


_NO_PRICES = ModelPrice()


def strategy_rates(s: Scenario, maximum: Callable[[Any, Any], Any] = max) -> dict[str, Rates]:
    """Return upfront, per_update, per_request, monthly_fixed and periodic_monthly per strategy.

    Args:
        s: a validated scenario.
        maximum: the `max` of two values; the Monte Carlo evaluator passes `numpy.maximum`
            with numpy arrays in place of the scenario's numbers (see costmodel.analysis.montecarlo).

    Returns:
        A dict keyed by strategy name (`rag`, `fine_tune`, `hybrid`), amounts in currency units.
    """
    R, K, T, rag, ft, hy = s.workload, s.knowledge, s.team, s.rag, s.fine_tune, s.hybrid
    models = s.models
    F: ModelPrice = models.get(ft.model, _NO_PRICES)
    rag_m: ModelPrice = models.get(rag.model, _NO_PRICES)
    emb: ModelPrice = models[rag.embedding_model]
    day = T.engineer_day_rate
    hour = day / 8
    train_price = _p(F.training_per_mtok) if ft.self_train is None else _gpu_training_price(s)
    emb_price = _p(emb.input_per_mtok)
    ft_in = _p(F.ft_input_per_mtok)
    ft_out = _p(F.ft_output_per_mtok)
    retrieval_fee = rag.retrieval_per_1k_requests / 1000

    def training_run(n: float) -> float:
        return n * ft.tokens_per_example * ft.epochs * train_price

    def curation(n: float) -> float:
        return n * ft.curation_minutes_per_example / 60 * T.expert_hour_rate

    rag_upfront = rag.build_days * day + K.corpus_tokens * emb_price
    rag_per_update = K.changed_fraction * K.corpus_tokens * emb_price + rag.update_hours * hour
    rag_per_request = (
        (R.prompt_tokens + rag.retrieved_tokens) * _p(rag_m.input_per_mtok)
        + R.output_tokens * _p(rag_m.output_per_mtok)
        + retrieval_fee
    )
    rag_fixed = rag.hosting_per_month + rag.maintenance_days_per_month * day

    ft_upfront = ft.build_days * day + curation(ft.examples) + training_run(ft.examples)
    if ft.retrain_on_update:
        ft_per_update = (
            curation(ft.examples * ft.changed_examples_fraction) + training_run(ft.examples) + ft.retrain_days * day
        )
    else:
        ft_per_update = 0.0
    ft_prompt = maximum(R.prompt_tokens - ft.prompt_tokens_saved, 0)
    ft_per_request = ft_prompt * ft_in + R.output_tokens * ft_out
    ft_hosting = ft.hosting_per_hour * HOURS_PER_MONTH
    ft_fixed = ft_hosting + ft.maintenance_days_per_month * day

    hy_upfront = rag_upfront + hy.build_days * day + curation(hy.examples) + training_run(hy.examples)
    hy_per_request = (ft_prompt + rag.retrieved_tokens) * ft_in + R.output_tokens * ft_out + retrieval_fee
    hy_fixed = rag_fixed + ft_hosting + hy.maintenance_days_per_month * day
    hy_periodic = (
        hy.retrains_per_year
        / 12
        * (training_run(hy.examples) + curation(hy.examples * ft.changed_examples_fraction) + ft.retrain_days * day)
    )
    rates = {
        "rag": Rates(rag_upfront, rag_per_update, rag_per_request, rag_fixed, 0.0),
        "fine_tune": Rates(ft_upfront, ft_per_update, ft_per_request, ft_fixed, 0.0),
        "hybrid": Rates(hy_upfront, rag_per_update, hy_per_request, hy_fixed, hy_periodic),
    }
    return _with_pricing_options(s, rates, rag_fixed, maximum) if _has_pricing_options(s) else rates


# --- Pricing options (docs/pricing.md). Each replaces a MODEL.md expression only when it is
# switched on, so with every option at its default the figures above stand bit for bit.


def _has_pricing_options(s: Scenario) -> bool:
    """Return True when any serving option (caching, batch, own GPUs) or the retrieval minimum is on."""
    parts = (s.rag, s.fine_tune, s.hybrid)
    try:
        return bool(
            s.rag.retrieval_minimum_per_month
            or any(p.self_host is not None or p.cached_prompt_fraction or p.batch_fraction for p in parts)
        )
    except ValueError:  # an option holds Monte Carlo samples (a numpy array has no single truth value)
        return True


def _on(value: Any) -> bool:
    """Return True when an option's share or amount switches it on.

    That is a non-zero number, or for an array of Monte Carlo samples any non-zero sample:
    the option's formula then runs on every sample, and at a sample of 0 it gives exactly
    the figure the option-off formula gives (it adds 0.0 or multiplies by 1.0).
    """
    any_sample = getattr(value, "any", None)
    return bool(any_sample()) if any_sample is not None else bool(value)


def _gpu_training_price(s: Scenario) -> float:
    """Return what one training token for one epoch costs on own GPUs (currency per token).

    That is GPU-hours per epoch per 1M tokens × the GPU's hourly price / 1e6.
    """
    train = s.fine_tune.self_train
    assert train is not None
    return train.gpu_hours_per_mtok * s.gpus[train.gpu].per_hour / 1e6


@dataclass(frozen=True, slots=True)
class Serving:
    """How one strategy's requests are served: token counts and the prices of its serving option."""

    prompt: float
    context: float
    output: float
    token_cost: float
    gpu_monthly: float
    capacity_requests_per_month: float | None


def request_tokens(s: Scenario, strategy: str, maximum: Callable[[Any, Any], Any] = max) -> tuple[float, float, float]:
    """Return (prompt, retrieved context, output) tokens of one request of `strategy`.

    The fine-tuned strategies' prompt is MODEL.md's max(prompt_tokens - prompt_tokens_saved, 0);
    `maximum` is `max`, or `numpy.maximum` when the scenario holds arrays of samples.
    """
    R = s.workload
    if strategy == "rag":
        return R.prompt_tokens, s.rag.retrieved_tokens, R.output_tokens
    prompt = maximum(R.prompt_tokens - s.fine_tune.prompt_tokens_saved, 0)
    context = s.rag.retrieved_tokens if strategy == "hybrid" else 0.0
    return prompt, context, R.output_tokens


def serving(s: Scenario, strategy: str, maximum: Callable[[Any, Any], Any] = max) -> Serving:
    """Return the serving cost of one request of `strategy` under its pricing options.

    `token_cost` is the per-request cost of tokens or GPU time (currency, without the
    retrieval fee); `gpu_monthly` is the always-on GPU rent (currency/month); the capacity
    is in requests/month (None unless served on always-on GPUs, and None when the scenario
    holds arrays of Monte Carlo samples: capacity only feeds `estimate()`'s warning).
    `maximum` is `max`, or `numpy.maximum` for arrays of samples.
    """
    part = getattr(s, strategy)
    prompt, ctx, out = request_tokens(s, strategy, maximum)
    host = part.self_host
    if host is not None:
        gpu_hour = host.gpu_count * s.gpus[host.gpu].per_hour
        tokens_per_hour = host.tokens_per_second * host.utilization * 3600
        tokens = prompt + ctx + out if host.throughput_tokens == "all" else out
        if host.billing == "per_use":
            return Serving(prompt, ctx, out, tokens * (gpu_hour / tokens_per_hour), 0.0, None)
        if isinstance(tokens, int | float):
            capacity = tokens_per_hour * HOURS_PER_MONTH / tokens if tokens else None
        else:
            capacity = None
        return Serving(prompt, ctx, out, 0.0, gpu_hour * HOURS_PER_MONTH, capacity)
    m = s.models[s.rag.model if strategy == "rag" else s.fine_tune.model]
    pre = "" if strategy == "rag" else "ft_"
    price_in = _p(getattr(m, f"{pre}input_per_mtok"))
    price_out = _p(getattr(m, f"{pre}output_per_mtok"))
    c, b = part.cached_prompt_fraction, part.batch_fraction
    if _on(c):
        cached = _p(getattr(m, f"{pre}cached_input_per_mtok"))
        interactive = (prompt * (1 - c) + ctx) * price_in + prompt * c * cached + out * price_out
    else:
        interactive = (prompt + ctx) * price_in + out * price_out
    if _on(b):
        batch_in = _p(getattr(m, f"{pre}batch_input_per_mtok"))
        batch_out = _p(getattr(m, f"{pre}batch_output_per_mtok"))
        token_cost = (1 - b) * interactive + b * ((prompt + ctx) * batch_in + out * batch_out)
    else:
        token_cost = interactive
    return Serving(prompt, ctx, out, token_cost, 0.0, None)


def _with_pricing_options(
    s: Scenario, rates: dict[str, Rates], rag_fixed: float, maximum: Callable[[Any, Any], Any] = max
) -> dict[str, Rates]:
    """Return `rates` with the figures that a switched-on pricing option changes replaced (currency units).

    `rag_fixed` is MODEL.md's rag.monthly_fixed (without GPUs serving rag.model), which the
    hybrid builds on; `maximum` is `max`, or `numpy.maximum` for arrays of samples.
    """
    rag, ft, hy = s.rag, s.fine_tune, s.hybrid
    day = s.team.engineer_day_rate
    fee = rag.retrieval_per_1k_requests / 1000
    out = dict(rates)
    minimum = rag.retrieval_minimum_per_month
    for name, part in (("rag", rag), ("fine_tune", ft), ("hybrid", hy)):
        r = rates[name]
        per_request, fixed, capacity = r.per_request, r.monthly_fixed, None
        if part.self_host is not None or _on(part.cached_prompt_fraction) or _on(part.batch_fraction):
            served = serving(s, name, maximum)
            capacity = served.capacity_requests_per_month
            per_request = served.token_cost + fee if name != "fine_tune" else served.token_cost
            if part.self_host is not None:
                # Own GPUs replace the provider's deployment: no fine_tune.hosting_per_hour.
                if name == "rag":
                    fixed = rag_fixed + served.gpu_monthly
                elif name == "fine_tune":
                    fixed = served.gpu_monthly + ft.maintenance_days_per_month * day
                else:
                    fixed = rag_fixed + served.gpu_monthly + hy.maintenance_days_per_month * day
        has_minimum = _on(minimum) and name != "fine_tune"
        out[name] = Rates(
            r.upfront,
            r.per_update,
            per_request,
            fixed,
            r.periodic_monthly,
            minimum if has_minimum else 0.0,
            fee if has_minimum else 0.0,
            capacity,
        )
    return out


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


def _efforts(s: Scenario) -> dict[str, Effort]:
    """Return the engineer-days and expert-hours of each strategy (MODEL.md's `effort`)."""
    rag, ft, hy = s.rag, s.fine_tune, s.hybrid
    minutes = ft.curation_minutes_per_example
    if ft.retrain_on_update:
        ft_update_days = ft.retrain_days
        ft_update_hours = ft.examples * ft.changed_examples_fraction * minutes / 60
    else:
        ft_update_days = ft_update_hours = 0.0
    return {
        "rag": Effort(rag.build_days, 0.0, rag.update_hours / 8, 0.0, rag.maintenance_days_per_month, 0.0),
        "fine_tune": Effort(
            ft.build_days,
            ft.examples * minutes / 60,
            ft_update_days,
            ft_update_hours,
            ft.maintenance_days_per_month,
            0.0,
        ),
        "hybrid": Effort(
            rag.build_days + hy.build_days,
            hy.examples * minutes / 60,
            rag.update_hours / 8,
            0.0,
            rag.maintenance_days_per_month
            + hy.maintenance_days_per_month
            + hy.retrains_per_year / 12 * ft.retrain_days,
            hy.retrains_per_year / 12 * hy.examples * ft.changed_examples_fraction * minutes / 60,
        ),
    }


def monthly_requests(requests_per_month: float, monthly_growth: float, months: int) -> tuple[float, ...]:
    """Return requests per month for months 0..months (month 0 has none), compounding growth."""
    q = 1 + monthly_growth
    return (0.0, *[requests_per_month * q**exponent for exponent in range(months)])


def monthly_topups(r: Rates, served: Sequence[Any], maximum: Callable[[Any, Any], Any] = max) -> list[Any]:
    """Return each month's top-up to the monthly minimum spend (currency units), for months 1..H.

    `served` holds requests(m) for months 1..H; a month's top-up is
    max(minimum_per_month - requests(m) × minimum_usage_per_request, 0). `maximum` is `max`,
    or `numpy.maximum` when the rates or requests are arrays of Monte Carlo samples.
    """
    minimum, usage = r.minimum_per_month, r.minimum_usage_per_request
    return [maximum(minimum - q * usage, 0.0) for q in served]


def _first_catch_up(a_at_or_below_b: bytes) -> int | None:
    """Return the first month m >= 1 whose flag is 1 while month m-1's is 0, or None.

    `a_at_or_below_b[m]` is 1 when cumulative_a(m) <= cumulative_b(m); the search runs in C.
    """
    index = a_at_or_below_b.find(b"\x00\x01")
    return None if index < 0 else index + 1


def breakeven_pairs(strategies: dict[str, StrategyEstimate]) -> tuple[Breakeven, ...]:
    """Return, for each ordered pair (a, b), the first month m >= 1 at which a's cumulative cost
    is at or below b's while it was above it in month m-1 (None when that never happens)."""
    months: dict[tuple[str, str], int | None] = {}
    for i, a in enumerate(STRATEGIES):
        for b in STRATEGIES[i + 1 :]:
            ca, cb = strategies[a].cumulative, strategies[b].cumulative
            diff = list(map(operator.sub, ca, cb))  # its sign is exact: <= 0 exactly when ca <= cb
            low, high = min(diff), max(diff)
            months[a, b] = _first_catch_up(bytes(map(operator.le, ca, cb))) if low <= 0 < high else None
            months[b, a] = _first_catch_up(bytes(map(operator.ge, ca, cb))) if low < 0 <= high else None
    return tuple(Breakeven(a, b, months[a, b]) for a in STRATEGIES for b in STRATEGIES if a != b)


def estimate(scenario: Scenario, months: int | None = None) -> Estimate:
    """Return the full estimate of a validated scenario.

    Args:
        scenario: the validated scenario.
        months: a horizon overriding `scenario.horizon_months` (1..120), or None.

    Returns:
        An Estimate with every strategy's figures, a month-by-month timeline (currency
        units), break-even months for every ordered pair, the cheapest strategy and warnings.
    """
    horizon = scenario.horizon_months if months is None else months
    if not 1 <= horizon <= 120:
        raise ValueError(f"months must be 1..120, got {horizon}")
    requests = monthly_requests(scenario.workload.requests_per_month, scenario.workload.monthly_growth, horizon)
    served = requests[1:]
    total_requests = sum(served)
    updates = scenario.knowledge.updates_per_month
    efforts = _efforts(scenario)
    strategies: dict[str, StrategyEstimate] = {}
    extra_warnings: list[str] = []
    for name, r in strategy_rates(scenario).items():
        # cost(m) = monthly_fixed + periodic_monthly + updates * per_update + requests(m) * per_request,
        # summed left to right exactly as MODEL.md writes it.
        base = r.monthly_fixed + r.periodic_monthly + updates * r.per_update
        per_request = r.per_request
        costs = (r.upfront, *[base + q * per_request for q in served])
        topup_total = 0.0
        if r.minimum_per_month:
            topups = monthly_topups(r, served)
            costs = (r.upfront, *[c + t for c, t in zip(costs[1:], topups, strict=True)])
            topup_total = sum(topups)
        cumulative = tuple(accumulate(costs))
        total = cumulative[-1]
        per_1k = 1000 * (total - r.upfront) / total_requests if total_requests else 0.0
        strategies[name] = StrategyEstimate(
            name,
            r.upfront,
            r.per_update,
            per_request,
            r.monthly_fixed,
            r.periodic_monthly,
            total,
            per_1k,
            efforts[name],
            costs,
            cumulative,
            topup_total,
            r.capacity_requests_per_month,
        )
        if r.capacity_requests_per_month is not None:
            warning = capacity_warning(name, scenario, r.capacity_requests_per_month, requests)
            if warning:
                extra_warnings.append(warning)
    cheapest = min(STRATEGIES, key=lambda n: strategies[n].total)
    warnings = () if scenario.fine_tune.retrain_on_update else (STALE_WARNING,)
    if extra_warnings:
        warnings += tuple(extra_warnings)
    return Estimate(scenario.name, scenario.currency, horizon, requests, strategies, cheapest, warnings)


@dataclass(frozen=True, slots=True)
class Part:
    """One named part of a figure, with the formula that gives it (currency units)."""

    label: str
    amount: float
    formula: str


def breakdown(s: Scenario) -> dict[str, dict[str, list[Part]]]:
    """Return, per strategy and per figure, the parts that add up to it.

    Figures are `upfront`, `per_update`, `per_request`, `monthly_fixed` and
    `periodic_monthly`; the parts of each sum to the engine's figure (up to float rounding).
    """
    R, K, T, rag, ft, hy = s.workload, s.knowledge, s.team, s.rag, s.fine_tune, s.hybrid
    F = s.models.get(ft.model, _NO_PRICES)
    rag_m = s.models.get(rag.model, _NO_PRICES)
    emb = s.models[rag.embedding_model]
    day = T.engineer_day_rate
    hour = day / 8

    train_price = _p(F.training_per_mtok) if ft.self_train is None else _gpu_training_price(s)
    price_text = "training price" if ft.self_train is None else "GPU-hours per 1M tokens × GPU price"

    def train(n: float) -> float:
        return n * ft.tokens_per_example * ft.epochs * train_price

    def curate(n: float) -> float:
        return n * ft.curation_minutes_per_example / 60 * T.expert_hour_rate

    ft_prompt = max(R.prompt_tokens - ft.prompt_tokens_saved, 0)
    rag_upfront = [
        Part("retrieval build", rag.build_days * day, "rag.build_days × engineer_day_rate"),
        Part("corpus embedding", K.corpus_tokens * _p(emb.input_per_mtok), "corpus_tokens × embedding price"),
    ]
    rag_update = [
        Part(
            "re-embedding changed documents",
            K.changed_fraction * K.corpus_tokens * _p(emb.input_per_mtok),
            "changed_fraction × corpus_tokens × embedding price",
        ),
        Part("update work", rag.update_hours * hour, "rag.update_hours × engineer_day_rate / 8"),
    ]
    retrieval = Part("retrieval fee", rag.retrieval_per_1k_requests / 1000, "retrieval_per_1k_requests / 1000")
    rag_fixed = [
        Part("vector DB and serving", rag.hosting_per_month, "rag.hosting_per_month"),
        Part(
            "retrieval maintenance",
            rag.maintenance_days_per_month * day,
            "rag.maintenance_days_per_month × engineer_day_rate",
        ),
    ]
    ft_hosting = Part("fine-tuned deployment", ft.hosting_per_hour * HOURS_PER_MONTH, "hosting_per_hour × 730")
    if ft.retrain_on_update:
        ft_update = [
            Part(
                "re-curating examples",
                curate(ft.examples * ft.changed_examples_fraction),
                "examples × changed_examples_fraction × curation minutes / 60 × expert_hour_rate",
            ),
            Part("retraining run", train(ft.examples), f"examples × tokens_per_example × epochs × {price_text}"),
            Part("retraining work", ft.retrain_days * day, "retrain_days × engineer_day_rate"),
        ]
    else:
        ft_update = [Part("no retraining (answers go stale)", 0.0, "retrain_on_update = false")]
    parts: dict[str, dict[str, list[Part]]] = {
        "rag": {
            "upfront": rag_upfront,
            "per_update": rag_update,
            "per_request": [
                Part(
                    "prompt and retrieved context",
                    (R.prompt_tokens + rag.retrieved_tokens) * _p(rag_m.input_per_mtok),
                    "(prompt_tokens + retrieved_tokens) × input price",
                ),
                Part("output", R.output_tokens * _p(rag_m.output_per_mtok), "output_tokens × output price"),
                retrieval,
            ],
            "monthly_fixed": rag_fixed,
            "periodic_monthly": [],
        },
        "fine_tune": {
            "upfront": [
                Part("fine-tune build", ft.build_days * day, "fine_tune.build_days × engineer_day_rate"),
                Part("curating examples", curate(ft.examples), "examples × curation minutes / 60 × expert_hour_rate"),
                Part("training run", train(ft.examples), f"examples × tokens_per_example × epochs × {price_text}"),
            ],
            "per_update": ft_update,
            "per_request": [
                Part(
                    "prompt (after saved instructions)",
                    ft_prompt * _p(F.ft_input_per_mtok),
                    "max(prompt_tokens - prompt_tokens_saved, 0) × fine-tuned input price",
                ),
                Part("output", R.output_tokens * _p(F.ft_output_per_mtok), "output_tokens × fine-tuned output price"),
            ],
            "monthly_fixed": [
                ft_hosting,
                Part(
                    "fine-tune maintenance",
                    ft.maintenance_days_per_month * day,
                    "fine_tune.maintenance_days_per_month × engineer_day_rate",
                ),
            ],
            "periodic_monthly": [],
        },
        "hybrid": {
            "upfront": [
                *rag_upfront,
                Part("behaviour fine-tune build", hy.build_days * day, "hybrid.build_days × engineer_day_rate"),
                Part(
                    "curating examples",
                    curate(hy.examples),
                    "hybrid.examples × curation minutes / 60 × expert_hour_rate",
                ),
                Part(
                    "training run", train(hy.examples), f"hybrid.examples × tokens_per_example × epochs × {price_text}"
                ),
            ],
            "per_update": rag_update,
            "per_request": [
                Part(
                    "prompt and retrieved context",
                    (ft_prompt + rag.retrieved_tokens) * _p(F.ft_input_per_mtok),
                    "(prompt after saved instructions + retrieved_tokens) × fine-tuned input price",
                ),
                Part("output", R.output_tokens * _p(F.ft_output_per_mtok), "output_tokens × fine-tuned output price"),
                retrieval,
            ],
            "monthly_fixed": [
                *rag_fixed,
                ft_hosting,
                Part(
                    "fine-tune maintenance",
                    hy.maintenance_days_per_month * day,
                    "hybrid.maintenance_days_per_month × engineer_day_rate",
                ),
            ],
            "periodic_monthly": [
                Part(
                    "behaviour retraining runs",
                    hy.retrains_per_year / 12 * train(hy.examples),
                    "retrains_per_year / 12 × training run of hybrid.examples",
                ),
                Part(
                    "re-curating examples",
                    hy.retrains_per_year / 12 * curate(hy.examples * ft.changed_examples_fraction),
                    "retrains_per_year / 12 × re-curation",
                ),
                Part(
                    "retraining work",
                    hy.retrains_per_year / 12 * (ft.retrain_days * day),
                    "retrains_per_year / 12 × retrain_days × engineer_day_rate",
                ),
            ],
        },
    }
    if _has_pricing_options(s):
        _option_parts(s, parts, retrieval)
    return parts


def _option_parts(s: Scenario, parts: dict[str, dict[str, list[Part]]], retrieval: Part) -> None:
    """Replace, in `parts`, the per-request and fixed parts that a switched-on pricing option changes."""
    rates = strategy_rates(s)
    for name in STRATEGIES:
        part = getattr(s, name)
        fee = [retrieval] if name != "fine_tune" else []
        host = part.self_host
        if host is not None:
            served = serving(s, name)
            gpus = f"{host.gpu_count} × {host.gpu}"
            if host.billing == "per_use":
                parts[name]["per_request"] = [
                    Part(
                        f"GPU time on {gpus} (per use)",
                        served.token_cost,
                        "tokens per request (per throughput_tokens) × gpu_count × GPU price"
                        " / (tokens_per_second × utilization × 3600)",
                    ),
                    *fee,
                ]
            else:
                parts[name]["per_request"] = [*fee]
            gpu_part = Part(f"GPUs always on ({gpus})", served.gpu_monthly, "gpu_count × GPU price per hour × 730")
            # Own GPUs replace the provider's deployment; their rent sits before the strategy's maintenance.
            fixed = [p for p in parts[name]["monthly_fixed"] if p.label != "fine-tuned deployment"]
            if host.billing == "always_on":
                fixed.insert(len(fixed) - 1, gpu_part)
            parts[name]["monthly_fixed"] = fixed
        elif part.cached_prompt_fraction or part.batch_fraction:
            served = serving(s, name)
            c, b = part.cached_prompt_fraction, part.batch_fraction
            label = " and ".join(x for x, on in (("prompt caching", c), ("batch API", b)) if on)
            parts[name]["per_request"] = [
                Part(
                    f"tokens with {label}",
                    served.token_cost,
                    "(1 - batch_fraction) × (uncached prompt + context at input price + cached prompt at cached "
                    "price + output at output price) + batch_fraction × tokens at batch prices",
                ),
                *fee,
            ]
        r = rates[name]
        if r.minimum_per_month:
            parts[name]["minimum_topup"] = [
                Part(
                    "vector-DB minimum: the most it adds to a month (at zero traffic)",
                    r.minimum_per_month,
                    "max(retrieval_minimum_per_month - requests × retrieval_per_1k_requests / 1000, 0) per month",
                )
            ]
