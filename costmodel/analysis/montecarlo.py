"""Monte Carlo over a scenario's ranges: percentiles of each strategy's costs, P(cheapest), break-even months.

Every ranged input is drawn independently from its distribution (see costmodel.model.ranges),
clamped to its field's bounds; the other inputs keep their point values. The engine's
own cost lines (`engine.strategy_rates`) run once on numpy arrays of shape (samples,), and
the engine's timeline kernel accumulates them month by month, so with no ranges every
percentile equals the point estimate bit for bit.

Each input draws from its own stream, seeded by (seed, the input's dotted path): the same
seed gives the same numbers, and adding a range to one input leaves the others' draws as
they were.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np

from costmodel.model import timeline
from costmodel.model.engine import estimate, monthly_requests, monthly_topups, strategy_rates
from costmodel.model.errors import CostmodelError, FieldIssue
from costmodel.model.finite import FigureOverflowError, overflow_error
from costmodel.model.inputs import field_bounds, find_field, replace_values
from costmodel.model.names import STRATEGY_LABELS
from costmodel.model.paths import split_path
from costmodel.model.ranges import lognormal_params, normal_params, pert_params, range_kind
from costmodel.model.schema import Range, Scenario
from costmodel.model.strategies import present

__all__ = [
    "MAX_SAMPLES",
    "PERCENTILES",
    "StrategyArrays",
    "Uncertainty",
    "cumulative_bands",
    "draw",
    "evaluate",
    "sample_inputs",
    "simulate",
    "summarize",
]

PERCENTILES: tuple[int, ...] = (5, 10, 50, 90, 95)
MAX_SAMPLES = 1_000_000
# Samples evaluated at once: the month-by-month timeline of one chunk takes about
# 3 strategies x (horizon + 1) x CHUNK x 8 bytes (about 150 MB at 120 months), whatever --samples is.
CHUNK = 50_000


@dataclass(frozen=True, slots=True)
class StrategyArrays:
    """One strategy's figures per sample (currency units), and its cumulative cost month by month."""

    upfront: np.ndarray
    per_request: np.ndarray
    total: np.ndarray
    cumulative: list[np.ndarray]


@dataclass(frozen=True)
class Uncertainty:
    """What the Monte Carlo found: sample arrays per strategy and the JSON's `uncertainty` summaries."""

    samples: int
    seed: int
    ranged: tuple[str, ...]
    strategies: dict[str, dict[str, dict[str, float]]]
    p_cheapest: dict[str, float]
    breakeven_month: dict[str, dict[str, dict[str, float | None]]]
    totals: dict[str, np.ndarray] = field(repr=False, default_factory=dict)
    bands: dict[str, tuple[list[float], list[float]]] = field(repr=False, default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON `uncertainty` object: samples, seed, ranged inputs, percentiles, p_cheapest, break-evens."""
        return {
            "samples": self.samples,
            "seed": self.seed,
            "ranged_inputs": list(self.ranged),
            "strategies": self.strategies,
            "p_cheapest": self.p_cheapest,
            "breakeven_month": self.breakeven_month,
        }


def _stream_key(path: str) -> int:
    """Return a stable 64-bit number for a dotted path (part of that input's random stream seed)."""
    return int.from_bytes(hashlib.sha256(path.encode("utf-8")).digest()[:8], "little")


def draw(r: Range, rng: np.random.Generator, n: int) -> np.ndarray:
    """Return `n` draws from a range's distribution (lognormal, normal, PERT or a constant), unclamped."""
    kind = range_kind(r)
    if kind == "point":
        return np.full(n, r.low)
    if kind == "lognormal":
        mu, sigma = lognormal_params(r)
        return np.exp(mu + sigma * rng.standard_normal(n))
    if kind == "normal":
        mean, sd = normal_params(r)
        return mean + sd * rng.standard_normal(n)
    alpha, beta = pert_params(r)
    return r.low + (r.high - r.low) * rng.beta(alpha, beta, n)


def sample_inputs(scenario: Scenario, samples: int, seed: int) -> dict[tuple[str, ...], np.ndarray]:
    """Return `samples` draws of every ranged input, keyed by key path, clamped to each field's bounds."""
    values: dict[tuple[str, ...], np.ndarray] = {}
    for path, r in scenario.ranges.items():
        keys = split_path(path)
        info = find_field(keys)
        rng = np.random.default_rng([seed, _stream_key(path)])
        values[keys] = draw(r, rng, samples)
        if info is not None:
            bounds = field_bounds(info)
            np.clip(values[keys], bounds.lowest, bounds.highest, out=values[keys])
    return values


def evaluate(
    scenario: Scenario, values: dict[tuple[str, ...], Any], samples: int, months: int | None = None
) -> dict[str, StrategyArrays]:
    """Return each strategy's upfront, per_request, total and cumulative timeline with `values` substituted.

    `values` maps key paths to arrays of shape (samples,) (or floats); the engine's cost
    lines run on them unchanged, and the one timeline kernel (costmodel.model.timeline)
    adds up the months as `estimate()` does, top-ups to a monthly minimum spend and price
    drift included. Amounts are in the scenario's currency.
    """
    horizon = scenario.horizon_months if months is None else months
    proxy = replace_values(scenario, values)
    rates = strategy_rates(proxy, maximum=np.maximum, where=np.where)
    w = proxy.workload
    if np.ndim(w.requests_per_month) == 0 and np.ndim(w.monthly_growth) == 0:
        requests: list[Any] = list(monthly_requests(float(w.requests_per_month), float(w.monthly_growth), horizon))
    else:
        requests = list(monthly_requests(w.requests_per_month, np.asarray(w.monthly_growth, dtype=float), horizon))
    served = requests[1:]
    updates = proxy.knowledge.updates_per_month
    drift = proxy.price_change_per_year
    factors = timeline.drift_factors(drift, horizon) if np.any(drift) else None
    shape = (samples,)
    out: dict[str, StrategyArrays] = {}
    for name, r in rates.items():
        base = r.monthly_fixed + r.periodic_monthly + updates * r.per_update
        upfront = np.broadcast_to(np.asarray(r.upfront, dtype=float), shape)
        topups = monthly_topups(r, served, np.maximum) if np.any(r.minimum_per_month) else None
        _, cumulative = timeline.run(upfront, base, r.per_request, served, factors, r.token_part, r.other_part, topups)
        out[name] = StrategyArrays(
            upfront,
            np.broadcast_to(np.asarray(r.per_request, dtype=float), shape),
            np.broadcast_to(cumulative[-1], shape),
            list(cumulative),
        )
    return out


def summarize(values: np.ndarray) -> dict[str, float]:
    """Return p5, p10, p50, p90, p95 and the mean of an array of samples (in the samples' unit)."""
    points = np.percentile(values, PERCENTILES)
    summary = {f"p{p}": float(v) for p, v in zip(PERCENTILES, points, strict=True)}
    summary["mean"] = float(np.mean(values))
    return summary


def _month_summary(months: np.ndarray, samples: int) -> dict[str, float | None]:
    """Return the probability of a break-even within the horizon and the percentiles of its month."""
    hit = months[months > 0]
    summary: dict[str, float | None] = {"probability": hit.size / samples}
    if hit.size:
        summary.update(summarize(hit.astype(float)))
    else:
        summary.update({f"p{p}": None for p in PERCENTILES} | {"mean": None})
    return summary


def cumulative_bands(arrays: dict[str, StrategyArrays], samples: int) -> dict[str, tuple[list[float], list[float]]]:
    """Return, per strategy, the P10 and P90 of the cumulative cost for every month 0..horizon (currency units)."""
    bands: dict[str, tuple[list[float], list[float]]] = {}
    for name, a in arrays.items():
        stacked = np.stack([np.broadcast_to(c, (samples,)) for c in a.cumulative])
        low, high = np.percentile(stacked, (10, 90), axis=1)
        bands[name] = (low.tolist(), high.tolist())
    return bands


def collapse(scenario: Scenario) -> Scenario:
    """Return `scenario` with its ranges dropped: every input at its point value (a range's median)."""
    return scenario.model_copy(update={"ranges": {}}) if scenario.ranges else scenario


def simulate(
    scenario: Scenario,
    samples: int,
    seed: int | None = None,
    months: int | None = None,
    with_bands: bool = False,
    today: date | None = None,
) -> Uncertainty:
    """Return the Monte Carlo summaries of a scenario: percentiles of upfront, total and per_request per strategy,
    the probability that each strategy is cheapest, and the distribution of break-even months per ordered pair.

    Amounts are in the scenario's currency, months are 1..horizon. `seed` None draws a
    fresh seed, reported in the result so the run can be repeated. `today` dates the
    timeline as `estimate()` does; only available strategies count as cheapest.

    Samples are evaluated CHUNK at a time, so memory stays bounded at any horizon.
    Raises CostmodelError when `samples` is not 1..MAX_SAMPLES or `seed` is negative,
    FigureOverflowError (naming the ranged inputs) when any sample's figures overflow.
    """
    if isinstance(samples, bool) or not isinstance(samples, int) or not 1 <= samples <= MAX_SAMPLES:
        raise CostmodelError(f"--samples must be a whole number from 1 to {MAX_SAMPLES:,}, got {samples!r}")
    if seed is None:
        seed = secrets.randbits(32)
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise CostmodelError(f"--seed must be a whole number >= 0, got {seed!r}")
    values = sample_inputs(scenario, samples, seed)
    names = tuple(x.name for x in present(scenario))
    upfront: dict[str, list[np.ndarray]] = {name: [] for name in names}
    per_request: dict[str, list[np.ndarray]] = {name: [] for name in names}
    total: dict[str, list[np.ndarray]] = {name: [] for name in names}
    crossings: dict[tuple[str, str], list[np.ndarray]] = {}
    month_columns: dict[str, list[np.ndarray]] = {name: [] for name in names}
    for start in range(0, samples, CHUNK):
        size = min(CHUNK, samples - start)
        chunk = {k: v[start : start + size] for k, v in values.items()}
        try:
            with np.errstate(over="ignore", invalid="ignore"):
                arrays = evaluate(scenario, chunk, size, months)
        except OverflowError:
            raise overflow_error(scenario, "the requests per month", months) from None
        _check_finite(scenario, arrays)
        for name, a in arrays.items():
            upfront[name].append(np.array(a.upfront))
            per_request[name].append(np.array(a.per_request))
            total[name].append(np.array(a.total))
            if with_bands:
                month_columns[name].append(np.stack([np.broadcast_to(c, (size,)) for c in a.cumulative]))
        for i, one in enumerate(names):
            for other in names[i + 1 :]:
                with np.errstate(over="ignore", invalid="ignore"):
                    down, up = timeline.breakeven_months(arrays[one].cumulative, arrays[other].cumulative)
                crossings.setdefault((one, other), []).append(np.broadcast_to(down, (size,)))
                crossings.setdefault((other, one), []).append(np.broadcast_to(up, (size,)))
        del arrays
    joined = {
        name: (np.concatenate(upfront[name]), np.concatenate(per_request[name]), np.concatenate(total[name]))
        for name in names
    }
    strategies = {
        name: {"upfront": summarize(u), "total": summarize(t), "per_request": summarize(p)}
        for name, (u, p, t) in joined.items()
    }
    # Availability does not depend on sampled numbers: the strategies the point estimate
    # finds available compete for "cheapest" (all of them when none is available).
    point = estimate(collapse(scenario), months, today)
    competing = point.available or names
    totals = np.stack([joined[name][2] for name in competing])
    counts = np.bincount(np.argmin(totals, axis=0), minlength=len(competing))
    p_cheapest = {name: 0.0 for name in names}
    p_cheapest.update({name: float(counts[i]) / samples for i, name in enumerate(competing)})
    breakeven: dict[str, dict[str, dict[str, float | None]]] = {name: {} for name in names}
    for (one, other), parts in crossings.items():
        breakeven[one][other] = _month_summary(np.concatenate(parts), samples)
    bands: dict[str, tuple[list[float], list[float]]] = {}
    if with_bands:
        for name, columns in month_columns.items():
            low, high = np.percentile(np.concatenate(columns, axis=1), (10, 90), axis=1)
            bands[name] = (low.tolist(), high.tolist())
    return Uncertainty(
        samples,
        seed,
        tuple(scenario.ranges),
        strategies,
        p_cheapest,
        breakeven,
        {name: joined[name][2] for name in names},
        bands,
    )


def _check_finite(scenario: Scenario, arrays: dict[str, StrategyArrays]) -> None:
    """Raise FigureOverflowError naming the ranged inputs when any sample's figures overflow."""
    for name, a in arrays.items():
        if np.isfinite(a.total).all() and np.isfinite(a.upfront).all() and np.isfinite(a.per_request).all():
            continue
        what = f"the {STRATEGY_LABELS[name]} total in some Monte Carlo samples"
        ranged = [
            FieldIssue(path, f"its range up to {r.high:g} makes {what} overflow (beyond 1.8e308); narrow the range")
            for path, r in scenario.ranges.items()
        ]
        raise FigureOverflowError(None, ranged) if ranged else overflow_error(scenario, what)
