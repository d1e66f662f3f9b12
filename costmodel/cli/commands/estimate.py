"""Estimate one scenario: the three strategies side by side, as a table, JSON, CSV or Markdown."""

from __future__ import annotations

import argparse
import sys

from costmodel.cli.commands.common import (
    add_price_age_arguments,
    add_scenario_arguments,
    estimate_from_args,
    located,
    months_arg,
    run_date,
    warning_set,
    whole_number_arg,
    write_output,
)
from costmodel.model.engine import Estimate
from costmodel.model.errors import CostmodelError
from costmodel.model.names import ALL_STRATEGIES

HELP = "estimate a scenario file or preset"
FORMATS = ("table", "json", "csv", "markdown")
# Samples drawn by default when the scenario has ranges (fixed seed: the same file prints the same figures).
DEFAULT_SAMPLES = 10_000


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the estimate command's arguments."""
    add_scenario_arguments(parser)
    parser.add_argument("--format", "-f", choices=FORMATS, default="table", help="output format (default: table)")
    parser.add_argument("--months", type=months_arg, default=None, help="horizon in months, overriding the file's")
    parser.add_argument("--output", "-o", default=None, metavar="FILE", help="write to FILE instead of stdout")
    add_price_age_arguments(parser)
    parser.add_argument(
        "--samples",
        type=whole_number_arg,
        default=None,
        metavar="N",
        help="Monte Carlo over the scenario's ranges with N samples: adds P10–P90 and `uncertainty` to JSON "
        f"(default: {DEFAULT_SAMPLES:,} samples with seed 0 when the scenario has ranges; 0: none)",
    )
    parser.add_argument(
        "--seed",
        type=whole_number_arg,
        default=None,
        metavar="S",
        help="random seed for --samples (same seed, same numbers)",
    )
    guard = parser.add_argument_group("guardrails (for CI)")
    guard.add_argument(
        "--max-total",
        default=None,
        metavar="AMOUNT",
        help="exit with code 3 when the strategy's total over the horizon exceeds AMOUNT (e.g. 50000, 50k, 1.5M)",
    )
    guard.add_argument(
        "--strategy",
        choices=("cheapest", *ALL_STRATEGIES),
        default=None,
        help="the strategy --max-total checks (default: the cheapest one); needs --max-total",
    )


def run(args: argparse.Namespace) -> int:
    """Print the estimate in the chosen format; return the exit code (3 when a guardrail trips)."""
    limit = None
    if getattr(args, "max_total", None) is not None:
        from costmodel.analysis.guardrails import parse_amount

        limit = parse_amount(args.max_total)
    elif getattr(args, "strategy", None) is not None:
        raise CostmodelError("--strategy names the strategy --max-total checks: give --max-total AMOUNT too")
    est = _print(args)
    if limit is None:
        return 0
    from costmodel.cli.commands.guard import report_max_total

    strategy = args.strategy
    return report_max_total(est, limit, None if strategy in (None, "cheapest") else strategy)


def _print(args: argparse.Namespace) -> Estimate:
    """Print the estimate in the chosen format; return the Estimate printed."""
    from costmodel.analysis.decision import explain_decision
    from costmodel.analysis.fit import fit_advice, fit_to_dict
    from costmodel.analysis.staffing import staffing

    doc, est = estimate_from_args(args)
    scenario = doc.scenario
    today = run_date(args)
    decision = explain_decision(scenario, est)
    staff = staffing(scenario, est)
    staff_rows = staff if scenario.team.engineers is not None else None
    fit = fit_to_dict(scenario, fit_advice(scenario))
    uncertainty = None
    samples, seed = args.samples, args.seed
    if samples is None and scenario.ranges and args.format != "csv":  # CSV has no place for percentiles
        samples, seed = DEFAULT_SAMPLES, 0 if seed is None else seed
    if samples:
        from costmodel.analysis.montecarlo import simulate  # numpy is imported only here

        uncertainty = located(
            doc, args.overrides, lambda: simulate(scenario, samples, seed, args.months, today=today).to_dict()
        )
    elif seed is not None and samples is None:
        raise CostmodelError("--seed needs --samples N (the number of Monte Carlo samples)")
    from costmodel.model.notices import render_all, to_dicts

    ranked = warning_set(scenario, [*est.warnings, *staff.warnings], est.cheapest, args)
    warnings = render_all(ranked)
    if args.format == "table":
        from costmodel.report import table as report_table

        if args.output in (None, "-"):
            from rich.console import Console

            Console().print(report_table.estimate_table(est, uncertainty, fit, warnings, decision, staff_rows))
        else:
            text = report_table.render_plain(
                est, uncertainty=uncertainty, fit=fit, warnings=warnings, decision=decision, staffing=staff_rows
            )
            write_output(text, args.output)
        return est
    from costmodel.files.pricing import price_sources
    from costmodel.report import render as report

    if args.format == "json":
        extra: dict[str, object] = {
            "warnings": warnings,
            "warning_details": to_dicts(ranked),
            "prices": price_sources(scenario),
            "fit": fit,
            "decision": decision.to_dict(),
            "staffing": staff.to_dict(),
        }
        if uncertainty is not None:
            extra["uncertainty"] = uncertainty
        text = report.to_json(est, extra)
    elif args.format == "markdown":
        text = report.to_markdown(est, uncertainty, fit, warnings, decision, staff_rows)
    else:
        text = report.to_csv(est)
        for warning in warnings:
            print(f"costmodel: warning: {warning}", file=sys.stderr)
    write_output(text, args.output)
    return est
