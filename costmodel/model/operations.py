"""Operations (`[operations]`, shared/MODEL.md v2): costs every strategy carries, as cost lines.

With O = operations (every key 0 when the table is absent):
review = review_fraction × review_minutes / 60 × reviewer_hour_rate (per request);
gate = eval_days_per_release × engineer_day_rate + eval_cost_per_release (per release);
releases(s) = releases_per_month + retrains(s); moves(s) = 1 / migration_every_months
(0 when never); migration(s) = migration_days × engineer_day_rate + gate + the strategy's
retraining on the new model. Each strategy gains: upfront += eval_set_hours ×
expert_hour_rate; per_request += per_request_fee + review; periodic_monthly +=
releases(s) × gate + moves(s) × migration(s); and the matching effort.

review, gate and moves are worked out once per estimate by the Context
(costmodel.model.context); the other formulas are written once below as expressions over
a Context `c`; a strategy supplies its retrains(s) and its retraining on a new model as
expressions (`retrains`, `migration_terms`), and the lines and effort terms are put
together from both.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from costmodel.model.lines import EFFORT_FIELDS, CostLine

if TYPE_CHECKING:
    from costmodel.model.strategies.base import Strategy

__all__ = ["GATE", "MOVES", "REVIEW", "operations_effort_terms", "operations_lines"]

REVIEW = "c.review"
"""Human review of one request (currency per request): review_fraction × review_minutes / 60 × reviewer_hour_rate."""
GATE = "c.gate"
"""The evaluation gate of one release (currency): eval_days_per_release × engineer_day_rate + eval_cost_per_release."""
MOVES = "c.moves"
"""Moves onto a new model per month: 1 / migration_every_months, 0 when never."""


def _releases(strategy: Strategy) -> str:
    """Return releases(s) = releases_per_month + retrains(s) as an expression (releases per month)."""
    return f"(c.ops.releases_per_month + {strategy.retrains})"


def _migration(strategy: Strategy) -> str:
    """Return migration(s), one move onto a new model with its gate and retraining, as an expression (currency)."""
    return f"(c.ops.migration_days * c.day + {GATE} + {strategy.migration_terms[0]})"


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
                REVIEW,
                key="operations",
            ),
            CostLine(
                "periodic_monthly",
                "evaluation gate per release",
                "(releases_per_month + retrainings per month) × (eval_days_per_release × engineer_day_rate "
                "+ eval_cost_per_release)",
                f"{_releases(strategy)} * {GATE}",
                key="operations",
            ),
            CostLine(
                "periodic_monthly",
                "model migration",
                "1 / migration_every_months × (migration_days × engineer_day_rate + evaluation gate + retraining)",
                f"{MOVES} * {_migration(strategy)}",
                key="operations",
            ),
        )
        _CACHE[strategy.name] = found
    return found


def operations_effort_terms(strategy: Strategy, terms: tuple[str, ...]) -> tuple[str, ...]:
    """Return the strategy's six effort expressions (EFFORT_FIELDS order) with the operations' effort added.

    upfront_expert_hours += eval_set_hours; monthly_engineer_days += releases(s) ×
    eval_days_per_release + moves(s) × (migration_days + eval_days_per_release + the
    retraining's engineer-days); monthly_expert_hours += moves(s) × its re-curation hours.
    """
    _, retrain_days, recuration_hours = strategy.migration_terms
    added = dict(zip(EFFORT_FIELDS, terms, strict=True))
    added["upfront_expert_hours"] = f"({added['upfront_expert_hours']}) + c.ops.eval_set_hours"
    added["monthly_engineer_days"] = (
        f"({added['monthly_engineer_days']}) + {_releases(strategy)} * c.ops.eval_days_per_release"
        f" + {MOVES} * (c.ops.migration_days + c.ops.eval_days_per_release + {retrain_days})"
    )
    added["monthly_expert_hours"] = f"({added['monthly_expert_hours']}) + {MOVES} * {recuration_hours}"
    return tuple(added[field] for field in EFFORT_FIELDS)
