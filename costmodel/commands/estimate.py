"""Estimate one scenario: the three strategies side by side, as a table, JSON, CSV or Markdown."""

from __future__ import annotations

import argparse
import sys

from costmodel.commands.common import (
    add_price_age_arguments,
    add_scenario_arguments,
    load_from_args,
    months_arg,
    price_check,
    write_output,
)
from costmodel.engine import estimate

HELP = "estimate a scenario file or preset"
FORMATS = ("table", "json", "csv", "markdown")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the estimate command's arguments."""
    add_scenario_arguments(parser)
    parser.add_argument("--format", "-f", choices=FORMATS, default="table", help="output format (default: table)")
    parser.add_argument("--months", type=months_arg, default=None, help="horizon in months, overriding the file's")
    parser.add_argument("--output", "-o", default=None, metavar="FILE", help="write to FILE instead of stdout")
    add_price_age_arguments(parser)


def run(args: argparse.Namespace) -> int:
    """Print the estimate in the chosen format, with price warnings; return the exit code."""
    scenario = load_from_args(args)
    est = estimate(scenario, months=args.months)
    price_warnings = price_check(scenario, args)
    warnings = [*est.warnings, *price_warnings]
    if args.format == "table":
        from costmodel import report_table

        if args.output in (None, "-"):
            from rich.console import Console

            Console().print(report_table.estimate_table(est, warnings))
        else:
            write_output(report_table.render_plain(est, warnings=warnings), args.output)
        return 0
    from costmodel import report
    from costmodel.pricing import price_sources

    if args.format == "json":
        text = report.to_json(est, {"warnings": warnings, "prices": price_sources(scenario)})
    elif args.format == "markdown":
        text = report.to_markdown(est, warnings)
    else:
        text = report.to_csv(est)
        for warning in warnings:
            print(f"costmodel: warning: {warning}", file=sys.stderr)
    write_output(text, args.output)
    return 0
