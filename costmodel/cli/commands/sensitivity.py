"""Swing every numeric input over its range (or -20 %/+20 %) and rank inputs by how far each moves each total."""

from __future__ import annotations

import argparse
import json

from costmodel.cli.commands.common import (
    add_scenario_arguments,
    estimate_from_args,
    months_arg,
    positive_number_arg,
    run_date,
    write_output,
)

HELP = "rank inputs by how much they move each strategy's total (tornado chart)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the sensitivity command's arguments."""
    add_scenario_arguments(parser)
    parser.add_argument("--format", "-f", choices=("table", "json"), default="table", help="output format")
    parser.add_argument("--months", type=months_arg, default=None, help="horizon in months, overriding the file's")
    parser.add_argument(
        "--top", type=positive_number_arg, default=10, help="inputs shown per tornado chart (default 10)"
    )
    parser.add_argument("--output", "-o", default=None, metavar="FILE", help="write to FILE instead of stdout")


def run(args: argparse.Namespace) -> int:
    """Print the ranked swings as tornado charts or JSON; return the exit code."""
    from costmodel.analysis.sensitivity import sensitivity

    doc, _ = estimate_from_args(args)
    result = sensitivity(doc.scenario, months=args.months, today=run_date(args))
    if args.format == "json":
        write_output(json.dumps(result.to_dict(), indent=2, allow_nan=False), args.output)
        return 0
    import io

    from rich.console import Console

    from costmodel.report.analysis import tornado

    if args.output in (None, "-"):
        console = Console()
        console.print(tornado(result, args.top, console.width))
    else:
        console = Console(width=140, no_color=True, color_system=None, record=True, file=io.StringIO())
        console.print(tornado(result, args.top, 140))
        write_output(console.export_text(), args.output)
    return 0
