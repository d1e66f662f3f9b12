"""Estimate one scenario: the three strategies side by side, as a table, JSON, CSV or Markdown."""

from __future__ import annotations

import argparse

from costmodel.commands.common import add_scenario_arguments, load_from_args, months_arg, write_output
from costmodel.engine import Estimate, estimate

HELP = "estimate a scenario file or preset"
FORMATS = ("table", "json", "csv", "markdown")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the estimate command's arguments."""
    add_scenario_arguments(parser)
    parser.add_argument("--format", "-f", choices=FORMATS, default="table", help="output format (default: table)")
    parser.add_argument("--months", type=months_arg, default=None, help="horizon in months, overriding the file's")
    parser.add_argument("--output", "-o", default=None, metavar="FILE", help="write to FILE instead of stdout")
    guard = parser.add_argument_group("guardrails (for CI)")
    guard.add_argument(
        "--max-total",
        default=None,
        metavar="AMOUNT",
        help="exit with code 3 when the strategy's total over the horizon exceeds AMOUNT (e.g. 50000, 50k, 1.5M)",
    )
    guard.add_argument(
        "--strategy",
        choices=("cheapest", "rag", "fine_tune", "hybrid"),
        default="cheapest",
        help="the strategy --max-total checks (default: the cheapest one)",
    )


def run(args: argparse.Namespace) -> int:
    """Print the estimate in the chosen format; return the exit code (3 when a guardrail trips)."""
    limit = None
    if getattr(args, "max_total", None) is not None:
        from costmodel.guardrails import parse_amount

        limit = parse_amount(args.max_total)
    est = estimate(load_from_args(args), months=args.months)
    code = _print(args, est)
    if limit is not None:
        from costmodel.commands.guard import report_max_total

        code = code or report_max_total(est, limit, None if args.strategy == "cheapest" else args.strategy)
    return code


def _print(args: argparse.Namespace, est: Estimate) -> int:
    """Print the estimate in the chosen format; return the exit code."""
    if args.format == "table":
        from costmodel import report_table

        if args.output in (None, "-"):
            from rich.console import Console

            Console().print(report_table.estimate_table(est))
        else:
            write_output(report_table.render_plain(est), args.output)
        return 0
    from costmodel import report

    renderers = {"json": report.to_json, "csv": report.to_csv, "markdown": report.to_markdown}
    write_output(renderers[args.format](est), args.output)
    return 0
