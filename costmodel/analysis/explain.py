"""What a shown figure is made of: the parts behind a strategy's total or one month's cost.

The engine's `breakdown` explains the per-strategy rates (upfront, per update, ...); this
module explains the figures built from them over the timeline. Pure functions, no I/O.
"""

from __future__ import annotations

from costmodel.model.engine import Estimate, Part, breakdown
from costmodel.model.schema import Scenario

__all__ = ["figure_parts", "month_parts", "total_parts"]


def month_parts(scenario: Scenario, est: Estimate, strategy: str, month: int) -> list[Part]:
    """Return the parts of `strategy`'s cost in `month` (>= 1), in currency units; they sum to that month's cost."""
    s = est.strategies[strategy]
    updates = scenario.knowledge.updates_per_month
    requests = est.requests[month]
    parts = [
        Part("fixed costs", s.monthly_fixed, "monthly_fixed"),
        Part("periodic work", s.periodic_monthly, "periodic_monthly"),
        Part(f"knowledge updates ({updates:g} × per update)", updates * s.per_update, "updates_per_month × per_update"),
        Part(f"requests ({requests:,.0f} × per request)", requests * s.per_request, "requests(m) × per_request"),
    ]
    topup = s.monthly_cost[month] - (
        s.monthly_fixed + s.periodic_monthly + updates * s.per_update + requests * s.per_request
    )
    if s.minimum_topup_total and abs(topup) > 1e-9:
        parts.append(Part("minimum-spend top-up", topup, "minimum_per_month - usage, when usage is below it"))
    return [p for p in parts if p.amount or p.label.startswith("requests")]


def total_parts(scenario: Scenario, est: Estimate, strategy: str) -> list[Part]:
    """Return the parts of `strategy`'s total over the horizon, in currency units; they sum to the total."""
    s = est.strategies[strategy]
    h = est.horizon_months
    updates = scenario.knowledge.updates_per_month
    served = sum(est.requests[1:])
    parts = [
        Part("upfront build", s.upfront, "upfront (month 0)"),
        Part(f"fixed costs, {h} months", h * s.monthly_fixed, "horizon × monthly_fixed"),
        Part(f"periodic work, {h} months", h * s.periodic_monthly, "horizon × periodic_monthly"),
        Part(
            f"knowledge updates ({h * updates:,.1f} × per update)",
            h * updates * s.per_update,
            "horizon × updates_per_month × per_update",
        ),
        Part(f"requests ({served:,.0f} × per request)", served * s.per_request, "Σ requests(m) × per_request"),
    ]
    if s.minimum_topup_total:
        parts.append(Part("minimum-spend top-ups", s.minimum_topup_total, "Σ monthly top-ups to the minimum spend"))
    return [p for p in parts if p.amount or p.label.startswith("requests")]


def figure_parts(scenario: Scenario, est: Estimate, strategy: str, figure: str) -> list[Part]:
    """Return the parts of one shown figure (currency units).

    `figure` is a rate of the engine (`upfront`, `per_update`, `per_request`,
    `monthly_fixed`, `periodic_monthly`), `total`, or `month:N` for month N's cost.
    Raises KeyError for a figure that has no breakdown.
    """
    if figure == "total":
        return total_parts(scenario, est, strategy)
    if figure.startswith("month:"):
        return month_parts(scenario, est, strategy, int(figure.split(":", 1)[1]))
    return list(breakdown(scenario)[strategy][figure])
