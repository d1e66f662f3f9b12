"""Estimate one scenario: the three strategies side by side, as a table, JSON, CSV or Markdown."""

from __future__ import annotations

import argparse

from costmodel.commands.common import add_scenario_arguments, load_from_args, months_arg, write_output
from costmodel.engine import estimate

HELP = "estimate a scenario file or preset"
FORMATS = ("table", "json", "csv", "markdown")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the estimate command's arguments."""
    add_scenario_arguments(parser)
    parser.add_argument("--format", "-f", choices=FORMATS, default="table", help="output format (default: table)")
    parser.add_argument("--months", type=months_arg, default=None, help="horizon in months, overriding the file's")
    parser.add_argument("--output", "-o", default=None, metavar="FILE", help="write to FILE instead of stdout")


def run(args: argparse.Namespace) -> int:
    """Print the estimate in the chosen format; return the exit code."""
    est = estimate(load_from_args(args), months=args.months)
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
