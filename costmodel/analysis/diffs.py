"""Compare two scenarios: which inputs differ and how each strategy's figures move.

`diff(a, b)` estimates both and returns a DiffResult (pydantic): the changed inputs by
dotted path (old -> new), per strategy the change in upfront, per-update, per-request,
monthly (month 1) and total cost, and whether the cheapest strategy flips.
"""

from __future__ import annotations

import math
from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict

from costmodel.model.engine import Estimate
from costmodel.model.finite import finite_estimate
from costmodel.model.inputs import field_kind
from costmodel.model.paths import format_path
from costmodel.model.schema import Scenario

__all__ = ["DIFF_FIGURES", "DiffResult", "FigureChange", "InputChange", "StrategyDiff", "diff", "flatten_inputs"]

DIFF_FIGURES: tuple[str, ...] = ("upfront", "per_update", "per_request", "monthly", "total")


class _Result(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class InputChange(_Result):
    """One input that differs: its dotted path, the old and the new value (None when absent on that side)."""

    path: str
    old: Any = None
    new: Any = None


class FigureChange(_Result):
    """One figure before and after, in the scenario's currency; `percent` is None when `old` is 0."""

    old: float
    new: float
    delta: float
    percent: float | None


class StrategyDiff(_Result):
    """How one strategy's figures move: upfront, per update, per request, monthly (month 1) and total."""

    upfront: FigureChange
    per_update: FigureChange
    per_request: FigureChange
    monthly: FigureChange
    total: FigureChange
    old_available: bool = True
    new_available: bool = True


class DiffResult(_Result):
    """The difference between scenario A (old) and B (new)."""

    old_name: str
    new_name: str
    old_currency: str
    new_currency: str
    old_horizon_months: int
    new_horizon_months: int
    changes: list[InputChange]
    strategies: dict[str, StrategyDiff]
    old_cheapest: str
    new_cheapest: str
    cheapest_flipped: bool
    warnings: list[str]


def flatten_inputs(scenario: Scenario) -> dict[str, Any]:
    """Return every input of a scenario by dotted path (e.g. `models."gpt-4.1-mini".input_per_mtok`).

    An optional table that is not set (`fine_tune.self_host`, `needs`) has no entry: the
    values of a table present on one side of a diff only then show as absent on the other.
    """
    out: dict[str, Any] = {}

    def walk(prefix: tuple[str, ...], value: Any) -> None:
        if isinstance(value, BaseModel):
            for name, info in type(value).model_fields.items():
                child = getattr(value, name)
                if child is None and field_kind(info)[0] == "table":
                    continue
                walk((*prefix, name), child)
        elif isinstance(value, dict):
            for key, child in value.items():
                walk((*prefix, key), child)
        else:
            out[format_path(prefix)] = value

    walk((), scenario)
    return out


def _change(old: float, new: float) -> FigureChange:
    """Return the FigureChange from `old` to `new` (delta in currency units, percent of old)."""
    delta = new - old
    percent = (100 * delta / old) if old else None
    if percent is not None and not math.isfinite(percent):
        percent = None  # a change too large to state as a share of a tiny figure
    return FigureChange(old=old, new=new, delta=delta, percent=percent)


def _strategy_figures(est: Estimate, name: str) -> dict[str, float]:
    """Return the DIFF_FIGURES of one strategy; `monthly` is the cost of month 1 (all 0 when it is absent)."""
    s = est.strategies.get(name)
    if s is None:
        return dict.fromkeys(DIFF_FIGURES, 0.0)
    return {
        "upfront": s.upfront,
        "per_update": s.per_update,
        "per_request": s.per_request,
        "monthly": s.monthly_cost[1],
        "total": s.total,
    }


def diff(old: Scenario, new: Scenario, months: int | None = None, today: date | None = None) -> DiffResult:
    """Return how scenario `new` differs from `old`: changed inputs and every strategy's figures.

    Args:
        old: scenario A, the baseline.
        new: scenario B, the proposal.
        months: a horizon for both (1..120), or None to use each scenario's own.
        today: the caller's date, for availability when a scenario has no `start`.

    Returns:
        A DiffResult; amounts in the scenarios' currency, `monthly` the cost of month 1,
        `total` over each scenario's horizon. Raises FigureOverflowError when either
        scenario's figures overflow.
    """
    a, b = flatten_inputs(old), flatten_inputs(new)
    changes = []
    for path in [*a, *(p for p in b if p not in a)]:
        va, vb = a.get(path), b.get(path)
        if path not in a or path not in b or va != vb:
            changes.append(InputChange(path=path, old=va, new=vb))
    ea, eb = finite_estimate(old, months, today), finite_estimate(new, months, today)
    strategies = {}
    for name in [*ea.strategies, *(n for n in eb.strategies if n not in ea.strategies)]:
        fa, fb = _strategy_figures(ea, name), _strategy_figures(eb, name)
        strategies[name] = StrategyDiff(
            **{k: _change(fa[k], fb[k]) for k in fa},
            old_available=name in ea.strategies and ea.strategies[name].available,
            new_available=name in eb.strategies and eb.strategies[name].available,
        )
    warnings = []
    if ea.currency != eb.currency:
        warnings.append(f"the currencies differ ({ea.currency} -> {eb.currency}): the changes mix currencies")
    if ea.horizon_months != eb.horizon_months:
        warnings.append(
            f"the horizons differ ({ea.horizon_months} -> {eb.horizon_months} months): totals cover different periods"
        )
    for w in eb.warnings:
        if w not in ea.warnings:
            warnings.append(f"new: {w}")
    return DiffResult(
        old_name=ea.scenario,
        new_name=eb.scenario,
        old_currency=ea.currency,
        new_currency=eb.currency,
        old_horizon_months=ea.horizon_months,
        new_horizon_months=eb.horizon_months,
        changes=changes,
        strategies=strategies,
        old_cheapest=ea.cheapest,
        new_cheapest=eb.cheapest,
        cheapest_flipped=ea.cheapest != eb.cheapest,
        warnings=warnings,
    )
