"""The staffing check: how many engineers each strategy keeps busy, against the team's head count.

Effort rows are the engine's (`StrategyEstimate.effort`, engineer-days). Two phases:

- the build: the upfront engineer-days, spread over `build_months` calendar months
  (default 2, an assumption within the 2 weeks to 3 months reported for production RAG
  builds), FTE = upfront_engineer_days / (build_months x working days per month);
- running, every month of the horizon: FTE = (monthly_engineer_days +
  updates_per_month x per_update_engineer_days) / working days per month.

A working month has 230 / 12 = 19.17 engineer-days (the 230 working days a year behind
the loaded day rate (docs/decision.md)). The engineers a strategy needs is the
larger of the two phases (the build comes before month 1, so they do not overlap). With
`team.engineers` set, a strategy that needs more than the team has gets a warning.
Expert-hours are shown beside the engineers, never counted as engineers. Pure functions.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from costmodel.model.engine import Estimate
from costmodel.model.names import STRATEGY_LABELS
from costmodel.model.schema import Scenario

__all__ = ["BUILD_MONTHS", "WORKING_DAYS_PER_MONTH", "Staffing", "StrategyStaffing", "staffing"]

WORKING_DAYS_PER_MONTH = 230 / 12
BUILD_MONTHS = 2.0


class StrategyStaffing(NamedTuple):
    """One strategy's people: engineer-days and full-time engineers (FTE) per phase, expert-hours a month."""

    build_engineer_days: float
    build_fte: float
    running_engineer_days_per_month: float
    running_fte: float
    expert_hours_per_month: float
    short: bool

    @property
    def needed_fte(self) -> float:
        """Return the engineers the strategy needs at its busiest phase (FTE)."""
        return max(self.build_fte, self.running_fte)

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form (engineer-days, FTE, expert-hours a month, whether the team is short)."""
        return {
            "build_engineer_days": self.build_engineer_days,
            "build_fte": self.build_fte,
            "running_engineer_days_per_month": self.running_engineer_days_per_month,
            "running_fte": self.running_fte,
            "needed_fte": self.needed_fte,
            "expert_hours_per_month": self.expert_hours_per_month,
            "short": self.short,
        }


class Staffing(NamedTuple):
    """Engineers needed per strategy, the team's head count (None: not checked) and the warnings."""

    engineers: float | None
    working_days_per_month: float
    build_months: float
    strategies: dict[str, StrategyStaffing]
    warnings: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form: `engineers`, the stated working days and build months, per strategy, warnings."""
        return {
            "engineers": self.engineers,
            "working_days_per_month": self.working_days_per_month,
            "build_months": self.build_months,
            "strategies": {name: s.to_dict() for name, s in self.strategies.items()},
            "warnings": list(self.warnings),
        }


def _warning(name: str, s: StrategyStaffing, engineers: float, build_months: float) -> str:
    """Return the sentence that a strategy needs more engineers than the team has."""
    label = STRATEGY_LABELS.get(name, name)
    if s.build_fte >= s.running_fte:
        why = f"{s.build_engineer_days:,.4g} engineer-days of build over {build_months:g} months"
    else:
        why = f"{s.running_engineer_days_per_month:,.3g} engineer-days of upkeep, updates and releases a month"
    return f"{label} needs {s.needed_fte:.2f} engineers ({why}), but the team has {engineers:g}"


def staffing(
    scenario: Scenario,
    est: Estimate,
    build_months: float = BUILD_MONTHS,
    working_days_per_month: float = WORKING_DAYS_PER_MONTH,
) -> Staffing:
    """Return the engineers each strategy needs (FTE) and a warning for each one the team cannot staff.

    Args:
        scenario: the validated scenario (its `knowledge.updates_per_month` and `team.engineers`).
        est: its estimate (the effort rows).
        build_months: calendar months the upfront build is spread over (> 0).
        working_days_per_month: engineer-days in one working month of one engineer (> 0).

    Returns:
        A Staffing: per strategy engineer-days and FTE of the build and of a running month,
        expert-hours a month, and whether it needs more than `team.engineers`.
    """
    if build_months <= 0 or working_days_per_month <= 0:
        raise ValueError("build_months and working_days_per_month must be above 0")
    engineers = scenario.team.engineers
    updates = scenario.knowledge.updates_per_month
    rows: dict[str, StrategyStaffing] = {}
    warnings: list[str] = []
    for name, s in est.strategies.items():
        e = s.effort
        build_fte = e.upfront_engineer_days / (build_months * working_days_per_month)
        running_days = e.monthly_engineer_days + updates * e.per_update_engineer_days
        running_fte = running_days / working_days_per_month
        experts = e.monthly_expert_hours + updates * e.per_update_expert_hours
        short = engineers is not None and max(build_fte, running_fte) > engineers
        rows[name] = StrategyStaffing(e.upfront_engineer_days, build_fte, running_days, running_fte, experts, short)
        if short:
            assert engineers is not None
            warnings.append(_warning(name, rows[name], engineers, build_months))
    return Staffing(engineers, working_days_per_month, build_months, rows, tuple(warnings))
