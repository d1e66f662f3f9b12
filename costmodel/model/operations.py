"""Operations (`[operations]`, docs/model.md v2): costs every strategy carries, as cost lines.

With O = operations (every key 0 when the table is absent):
review = review_fraction × review_minutes / 60 × reviewer_hour_rate (per request);
gate = eval_days_per_release × engineer_day_rate + eval_cost_per_release (per release);
releases(s) = releases_per_month + retrains(s); moves(s) = 1 / migration_every_months
(0 when never); migration(s) = migration_days × engineer_day_rate + gate + the strategy's
retraining on the new model. Each strategy gains: upfront += eval_set_hours ×
expert_hour_rate; per_request += per_request_fee + review; periodic_monthly +=
releases(s) × gate + moves(s) × migration(s); and the matching effort.

review, gate and moves are worked out once per estimate by the Context
(costmodel.model.context); the other formulas are written once below as functions of a
Context `c`; a strategy supplies its retrains(s) and its retraining on a new model as
functions (`retrains`, `migration_terms`), and the lines and effort terms are put
together from both.
"""

from __future__ import annotations

from collections.abc import Callable
from operator import attrgetter
from typing import TYPE_CHECKING, Any

from costmodel.model.lines import Amount, CostLine, EffortFigures, zero
from costmodel.model.strategies.base import StrategyBase

if TYPE_CHECKING:
    from costmodel.model.strategies.base import Strategy

__all__ = ["GATE", "MOVES", "REVIEW", "operations_effort", "operations_lines"]

REVIEW: Amount = attrgetter("review")
"""Human review of one request (currency per request): review_fraction × review_minutes / 60 × reviewer_hour_rate."""
GATE: Amount = attrgetter("gate")
"""The evaluation gate of one release (currency): eval_days_per_release × engineer_day_rate + eval_cost_per_release."""
MOVES: Amount = attrgetter("moves")
"""Moves onto a new model per month: 1 / migration_every_months, 0 when never."""


_eval_set: Amount = attrgetter("eval_set")
"""The golden evaluation set (currency): eval_set_hours × expert_hour_rate."""

_per_request_fee: Amount = attrgetter("ops.per_request_fee")
"""The per-request fee (currency per request)."""


def _never_retrains(strategy: Strategy) -> bool:
    """Return True when the strategy keeps StrategyBase's retrains (0.0) and no retraining on a new model."""
    return type(strategy).retrains is StrategyBase.retrains and strategy.migration_terms == (zero, zero, zero)


_gates_without_retraining: Amount = attrgetter("untrained_gates")
"""releases(s) × gate for a strategy that never retrains: (releases_per_month + 0.0) × gate."""
_migrations_without_retraining: Amount = attrgetter("untrained_migrations")
"""moves(s) × migration(s) for a strategy whose move retrains nothing: moves × (migration_days × day + gate + 0.0)."""


def _gate_line(strategy: Strategy) -> Amount:
    """Return releases(s) × gate, releases(s) = releases_per_month + retrains(s) (currency per month)."""
    if _never_retrains(strategy):
        return _gates_without_retraining
    retrains = strategy.retrains

    def gates(c: Any) -> Any:
        return (c.ops.releases_per_month + retrains(c)) * c.gate

    return gates


def _migration_line(strategy: Strategy) -> Amount:
    """Return moves(s) × migration(s), one move onto a new model with its gate and retraining (currency per month)."""
    if _never_retrains(strategy):
        return _migrations_without_retraining
    retraining = strategy.migration_terms[0]

    def migrations(c: Any) -> Any:
        return c.moves * (c.ops.migration_days * c.day + c.gate + retraining(c))

    return migrations


_CACHE: dict[str, tuple[CostLine, ...]] = {}


def operations_lines(strategy: Strategy) -> tuple[CostLine, ...]:
    """Return the operations lines `strategy` carries when the scenario has an `[operations]` table."""
    found = _CACHE.get(strategy.name)
    if found is None:
        found = (
            CostLine(
                "upfront",
                "golden evaluation set",
                "operations.eval_set_hours × expert_hour_rate",
                _eval_set,
                key="operations",
            ),
            CostLine(
                "per_request",
                "per-request fee (guardrails, observability)",
                "operations.per_request_fee",
                _per_request_fee,
                key="operations",
            ),
            CostLine(
                "per_request",
                "human review",
                "review_fraction × review_minutes / 60 × reviewer_hour_rate",
                REVIEW,
                key="operations",
            ),
            CostLine(
                "periodic_monthly",
                "evaluation gate per release",
                "(releases_per_month + retrainings per month) × (eval_days_per_release × engineer_day_rate "
                "+ eval_cost_per_release)",
                _gate_line(strategy),
                key="operations",
            ),
            CostLine(
                "periodic_monthly",
                "model migration",
                "1 / migration_every_months × (migration_days × engineer_day_rate + evaluation gate + retraining)",
                _migration_line(strategy),
                key="operations",
            ),
        )
        _CACHE[strategy.name] = found
    return found


_EFFORT_CACHE: dict[str, Callable[[Any], EffortFigures]] = {}


def operations_effort(strategy: Strategy) -> Callable[[Any], EffortFigures]:
    """Return a function of a Context giving the strategy's effort figures with the operations' effort added.

    upfront_expert_hours += eval_set_hours; monthly_engineer_days += releases(s) ×
    eval_days_per_release + moves(s) × (migration_days + eval_days_per_release + the
    retraining's engineer-days); monthly_expert_hours += moves(s) × its re-curation hours.
    The function is built once per strategy.
    """
    found = _EFFORT_CACHE.get(strategy.name)
    if found is not None:
        return found
    base = strategy.effort
    _, retrain_days, recuration_hours = strategy.migration_terms
    retrains = strategy.retrains

    def effort(c: Any) -> EffortFigures:
        e = base(c)
        ops = c.ops
        moves = c.moves
        return (
            e[0],
            e[1] + ops.eval_set_hours,
            e[2],
            e[3],
            e[4]
            + (ops.releases_per_month + retrains(c)) * ops.eval_days_per_release
            + moves * (ops.migration_days + ops.eval_days_per_release + retrain_days(c)),
            e[5] + moves * recuration_hours(c),
        )

    found = _EFFORT_CACHE[strategy.name] = effort
    return found
