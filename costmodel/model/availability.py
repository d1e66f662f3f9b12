"""Availability over the horizon (docs/model.md v2): which strategies can run, and why not.

Pure: the caller passes the month the timeline starts (the scenario's `start`, or the
current month, which only the caller knows). Dates are `datetime.date`.
"""

from __future__ import annotations

import calendar
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from costmodel.model.schema import Scenario
    from costmodel.model.strategies.base import Strategy

__all__ = ["horizon_end", "parse_month", "start_month", "unavailable_because"]


def parse_month(text: str) -> date:
    """Return the first day of a "YYYY-MM" month."""
    year, month = text.split("-")
    return date(int(year), int(month), 1)


def start_month(s: Scenario, today: date | None) -> date | None:
    """Return the first day of timeline month 1: the scenario's `start`, else `today`'s month, else None."""
    if s.start is not None:
        return parse_month(s.start)
    if today is not None:
        return date(today.year, today.month, 1)
    return None


@lru_cache(maxsize=256)  # every strategy of every estimate asks it, mostly for the same few months
def horizon_end(start: date, horizon: int) -> date:
    """Return the last day of month `horizon` of a timeline whose month 1 begins on `start`."""
    index = start.year * 12 + start.month - 1 + horizon - 1
    year, month = divmod(index, 12)
    return date(year, month + 1, calendar.monthrange(year, month + 1)[1])


def unavailable_because(strategy: Strategy, s: Scenario, start: date, horizon: int) -> str | None:
    """Return why `strategy` cannot run over the horizon (every reason, joined by "; "), or None when it can.

    A model it calls that is withdrawn (`available_until`) before the horizon ends; for a
    strategy that trains, fine-tuning that ends (`training_until`) before the start, or
    before the horizon ends when it retrains within the horizon.
    """
    end = horizon_end(start, horizon)
    reasons: list[str] = []
    seen: set[str] = set()
    for table, field in strategy.models_called:
        name = getattr(getattr(s, table), field)
        model = s.models.get(name)
        if name in seen or model is None:
            continue
        seen.add(name)
        until = model.available_until
        if until is not None and until < end:
            reasons.append(
                f'{name} can be called until {until.isoformat()} (models."{name}".available_until), '
                f"before the horizon ends on {end.isoformat()}"
            )
    if strategy.info.trains:
        name = s.fine_tune.model
        model = s.models.get(name)
        until = model.training_until if model is not None else None
        every = s.operations.migration_every_months if s.operations is not None else 0
        retrains = strategy.retrains_within(s) or 0 < every <= horizon
        if until is not None and until < start:
            reasons.append(
                f'fine-tuning of {name} ended {until.isoformat()} (models."{name}".training_until), '
                f"before the start {start.isoformat()[:7]}"
            )
        if until is not None and retrains and until < end:
            reasons.append(
                f'fine-tuning of {name} ends {until.isoformat()} (models."{name}".training_until), '
                f"before the horizon ends on {end.isoformat()}, and it retrains within the horizon"
            )
    return "; ".join(reasons) if reasons else None
