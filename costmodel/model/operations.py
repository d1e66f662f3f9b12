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

from operator import attrgetter
from typing import TYPE_CHECKING, Any

from costmodel.model.lines import EFFORT_FIELDS, Amount, CostLine

if TYPE_CHECKING:
    from costmodel.model.strategies.base import Strategy

__all__ = ["GATE", "MOVES", "REVIEW", "operations_effort_terms", "operations_lines"]

REVIEW: Amount = attrgetter("review")
"""Human review of one request (currency per request): review_fraction × review_minutes / 60 × reviewer_hour_rate."""
GATE: Amount = attrgetter("gate")
"""The evaluation gate of one release (currency): eval_days_per_release × engineer_day_rate + eval_cost_per_release."""
MOVES: Amount = attrgetter("moves")
"""Moves onto a new model per month: 1 / migration_every_months, 0 when never."""


def _eval_set(c: Any) -> Any:
    """Return the golden evaluation set (currency): eval_set_hours × expert_hour_rate."""
    return c.ops.eval_set_hours * c.T.expert_hour_rate


def _per_request_fee(c: Any) -> Any:
    """Return the per-request fee (currency per request)."""
    return c.ops.per_request_fee


def _gate_line(strategy: Strategy) -> Amount:
    """Return releases(s) × gate, releases(s) = releases_per_month + retrains(s) (currency per month)."""
    retrains = strategy.retrains

    def gates(c: Any) -> Any:
        return (c.ops.releases_per_month + retrains(c)) * c.gate

    return gates


def _migration_line(strategy: Strategy) -> Amount:
    """Return moves(s) × migration(s), one move onto a new model with its gate and retraining (currency per month)."""
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


_EFFORT_CACHE: dict[tuple[str, tuple[Amount, ...]], tuple[Amount, ...]] = {}


def operations_effort_terms(strategy: Strategy, terms: tuple[Amount, ...]) -> tuple[Amount, ...]:
    """Return the strategy's six effort terms (EFFORT_FIELDS order) with the operations' effort added.

    upfront_expert_hours += eval_set_hours; monthly_engineer_days += releases(s) ×
    eval_days_per_release + moves(s) × (migration_days + eval_days_per_release + the
    retraining's engineer-days); monthly_expert_hours += moves(s) × its re-curation hours.
    The terms are built once per strategy and base terms (the same objects each call).
    """
    key = (strategy.name, terms)
    found = _EFFORT_CACHE.get(key)
    if found is not None:
        return found
    _, retrain_days, recuration_hours = strategy.migration_terms
    retrains = strategy.retrains
    added = dict(zip(EFFORT_FIELDS, terms, strict=True))
    expert_hours, engineer_days, monthly_hours = (
        added["upfront_expert_hours"],
        added["monthly_engineer_days"],
        added["monthly_expert_hours"],
    )

    def upfront_expert_hours(c: Any) -> Any:
        return expert_hours(c) + c.ops.eval_set_hours

    def monthly_engineer_days(c: Any) -> Any:
        ops = c.ops
        return (
            engineer_days(c)
            + (ops.releases_per_month + retrains(c)) * ops.eval_days_per_release
            + c.moves * (ops.migration_days + ops.eval_days_per_release + retrain_days(c))
        )

    def monthly_expert_hours(c: Any) -> Any:
        return monthly_hours(c) + c.moves * recuration_hours(c)

    added["upfront_expert_hours"] = upfront_expert_hours
    added["monthly_engineer_days"] = monthly_engineer_days
    added["monthly_expert_hours"] = monthly_expert_hours
    found = _EFFORT_CACHE[key] = tuple(added[field] for field in EFFORT_FIELDS)
    return found
