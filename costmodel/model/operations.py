"""Operations (`[operations]`, shared/MODEL.md v2): costs every strategy carries, as cost lines.

With O = operations (every key 0 when the table is absent):
review = review_fraction × review_minutes / 60 × reviewer_hour_rate (per request);
gate = eval_days_per_release × engineer_day_rate + eval_cost_per_release (per release);
releases(s) = releases_per_month + retrains(s); moves(s) = 1 / migration_every_months
(0 when never); migration(s) = migration_days × engineer_day_rate + gate + the strategy's
retraining on the new model. Each strategy gains: upfront += eval_set_hours ×
expert_hour_rate; per_request += per_request_fee + review; periodic_monthly +=
releases(s) × gate + moves(s) × migration(s); and the matching effort.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from costmodel.model.lines import CostLine, Effort

if TYPE_CHECKING:
    from costmodel.model.context import Context
    from costmodel.model.strategies.base import Strategy

__all__ = ["gate", "migration", "moves", "operations_effort", "operations_lines", "releases", "review"]


def review(c: Context) -> Any:
    """Return the human review of one request (currency per request)."""
    ops = c.ops
    return ops.review_fraction * ops.review_minutes / 60 * ops.reviewer_hour_rate


def gate(c: Context) -> Any:
    """Return the evaluation gate of one release (currency per release)."""
    ops = c.ops
    return ops.eval_days_per_release * c.day + ops.eval_cost_per_release


def releases(c: Context, strategy: Strategy) -> Any:
    """Return the releases per month of `strategy`: releases_per_month + its retrainings per month."""
    return c.ops.releases_per_month + strategy.retrains_per_month(c)


def moves(c: Context) -> float:
    """Return the moves onto a new model per month: 1 / migration_every_months, 0 when never."""
    every = c.ops.migration_every_months
    return 1 / every if every > 0 else 0.0


def migration(c: Context, strategy: Strategy) -> Any:
    """Return the cost of moving `strategy` onto a new model once (currency): the move, its gate, any retraining."""
    return c.ops.migration_days * c.day + gate(c) + strategy.migration_retraining(c)[0]


_CACHE: dict[str, tuple[CostLine, ...]] = {}


def operations_lines(strategy: Strategy) -> tuple[CostLine, ...]:
    """Return the operations lines `strategy` carries when the scenario has an `[operations]` table."""
    found = _CACHE.get(strategy.name)
    if found is None:
        scope = {"releases": releases, "gate": gate, "moves": moves, "migration": migration, "review": review}
        scope["strategy"] = strategy
        found = (
            CostLine(
                "upfront",
                "golden evaluation set",
                "operations.eval_set_hours × expert_hour_rate",
                "c.ops.eval_set_hours * c.T.expert_hour_rate",
                key="operations",
            ),
            CostLine(
                "per_request",
                "per-request fee (guardrails, observability)",
                "operations.per_request_fee",
                "c.ops.per_request_fee",
                key="operations",
            ),
            CostLine(
                "per_request",
                "human review",
                "review_fraction × review_minutes / 60 × reviewer_hour_rate",
                "review(c)",
                scope=scope,
                key="operations",
            ),
            CostLine(
                "periodic_monthly",
                "evaluation gate per release",
                "(releases_per_month + retrainings per month) × (eval_days_per_release × engineer_day_rate "
                "+ eval_cost_per_release)",
                "releases(c, strategy) * gate(c)",
                scope=scope,
                key="operations",
            ),
            CostLine(
                "periodic_monthly",
                "model migration",
                "1 / migration_every_months × (migration_days × engineer_day_rate + evaluation gate + retraining)",
                "moves(c) * migration(c, strategy)",
                scope=scope,
                key="operations",
            ),
        )
        _CACHE[strategy.name] = found
    return found


def operations_effort(c: Context, strategy: Strategy, effort: Effort) -> Effort:
    """Return `effort` with the operations' engineer-days and expert-hours added."""
    ops = c.ops
    per_month = moves(c)
    _, retrain_days, recuration_hours = strategy.migration_retraining(c)
    return Effort(
        effort.upfront_engineer_days,
        effort.upfront_expert_hours + ops.eval_set_hours,
        effort.per_update_engineer_days,
        effort.per_update_expert_hours,
        effort.monthly_engineer_days
        + releases(c, strategy) * ops.eval_days_per_release
        + per_month * (ops.migration_days + ops.eval_days_per_release + retrain_days),
        effort.monthly_expert_hours + per_month * recuration_hours,
    )
