"""Shared reporting of CI guardrails (not a subcommand): the verdict goes to stderr."""

from __future__ import annotations

import sys

from costmodel.analysis.guardrails import check_max_total
from costmodel.cli.exit_codes import EXIT_GUARDRAIL
from costmodel.model.engine import Estimate
from costmodel.report.render import STRATEGY_LABELS, format_money

__all__ = ["EXIT_GUARDRAIL", "report_max_total"]


def report_max_total(est: Estimate, limit: float, strategy: str | None) -> int:
    """Write the --max-total verdict on stderr; return 3 when the total exceeds the limit, else 0."""
    result = check_max_total(est, limit, strategy)
    cur = est.currency
    which = STRATEGY_LABELS[result.strategy] + (" (cheapest)" if strategy is None else "")
    total = format_money(result.total, cur)
    budget = format_money(limit, cur)
    if result.exceeded:
        share = f", {100 * result.excess / limit:.1f}% over" if limit > 0 else ""
        sys.stderr.write(
            f"costmodel: guardrail tripped: {which} total over {est.horizon_months} months is {total}, "
            f"above --max-total {budget} by {format_money(result.excess, cur)}{share}\n"
        )
        return EXIT_GUARDRAIL
    sys.stderr.write(
        f"costmodel: guardrail ok: {which} total over {est.horizon_months} months is {total}, "
        f"{format_money(-result.excess, cur)} under --max-total {budget}\n"
    )
    return 0
