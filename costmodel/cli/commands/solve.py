"""Find the value of one input at which two strategies cost the same over the horizon (bracketing + bisection)."""

from __future__ import annotations

import argparse
import json
import math

from costmodel.cli.commands.common import (
    add_scenario_arguments,
    estimate_from_args,
    months_arg,
    run_date,
    write_output,
)
from costmodel.model.names import ALL_STRATEGIES

HELP = "find the input value where two strategies break even"


def _number(text: str) -> float:
    """Return a finite number parsed from text."""
    try:
        value = float(text.replace("_", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"expected a finite number, got {text!r}")
    return value


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the solve command's arguments."""
    add_scenario_arguments(parser)
    parser.add_argument(
        "--vary", required=True, metavar="DOTTED.PATH", help="the input to vary, e.g. workload.requests_per_month"
    )
    parser.add_argument(
        "--between",
        nargs=2,
        required=True,
        choices=ALL_STRATEGIES,
        metavar=("A", "B"),
        help=f"two strategies: {', '.join(ALL_STRATEGIES)}",
    )
    parser.add_argument(
        "--min", dest="low", type=_number, default=None, help="lowest value searched (default: the field's minimum)"
    )
    parser.add_argument(
        "--max", dest="high", type=_number, default=None, help="highest value searched (default: 10x the value)"
    )
    parser.add_argument("--months", type=months_arg, default=None, help="horizon in months, overriding the file's")
    parser.add_argument("--format", "-f", choices=("text", "json"), default="text", help="output format")
    parser.add_argument("--output", "-o", default=None, metavar="FILE", help="write to FILE instead of stdout")


def run(args: argparse.Namespace) -> int:
    """Print the break-even value(s) or say there is none in range; return the exit code (0 either way)."""
    from costmodel.analysis.solver import solve

    a, b = args.between
    doc, _ = estimate_from_args(args)
    sol = solve(doc.scenario, args.vary, a, b, args.low, args.high, args.months, today=run_date(args))
    if args.format == "json":
        write_output(json.dumps(sol.to_dict(), indent=2, allow_nan=False), args.output)
    else:
        from costmodel.report.analysis import solution_text

        write_output(solution_text(sol), args.output)
    return 0
