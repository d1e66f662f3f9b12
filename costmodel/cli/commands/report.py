"""Write a one-page report for people who never open a terminal: HTML, PNG, SVG, PDF or Markdown.

The page gives the decision in one sentence, the strategies side by side, the cumulative and
monthly cost charts (break-even months marked, P10–P90 bands when the scenario has ranges),
each total by cost line, the inputs that matter, warnings, fit advice, the prices used and the
scenario's inputs. With two scenarios, `report A B` reports on B and shows what changed from A.
Charts need the optional extra: pip install 'costmodel[report]'.
"""

from __future__ import annotations

import argparse
import sys

from costmodel.cli.commands.common import (
    add_price_age_arguments,
    add_set_argument,
    months_arg,
    price_age_options,
    whole_number_arg,
)
from costmodel.model.errors import CostmodelError
from costmodel.report.formats import REPORT_FORMATS

HELP = "write a one-page report (html, png, svg, pdf, md) with charts"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the report command's arguments."""
    parser.add_argument(
        "scenarios",
        nargs="+",
        metavar="FILE_OR_PRESET",
        help="the scenario (file or preset); with two, the first is the baseline A and the report is on B",
    )
    parser.add_argument(
        "--output", "-o", required=True, metavar="OUT", help="the file to write; its suffix names the format"
    )
    parser.add_argument(
        "--format",
        "-f",
        choices=tuple(REPORT_FORMATS),
        default=None,
        help="output format (default: from OUT's suffix): "
        + "; ".join(f"{f.name}: {f.description}" for f in REPORT_FORMATS.values()),
    )
    parser.add_argument("--months", type=months_arg, default=None, help="horizon in months, overriding the file's")
    add_set_argument(parser, "override one input of the (last) scenario, e.g. --set workload.requests_per_month=80000")
    add_price_age_arguments(parser)
    parser.add_argument(
        "--samples",
        type=whole_number_arg,
        default=None,
        metavar="N",
        help="Monte Carlo samples for the P10–P90 rows and bands (default 2,000 when the scenario has ranges)",
    )
    parser.add_argument(
        "--seed", type=whole_number_arg, default=None, metavar="S", help="random seed for --samples (default 0)"
    )


def run(args: argparse.Namespace) -> int:
    """Write the report file; print its path on stderr; return the exit code (0, or 2 for bad input)."""
    from costmodel.report.export import regenerate_command, write_report

    if len(args.scenarios) > 2:
        raise CostmodelError(f"report takes one scenario, or two to compare (A B), got {len(args.scenarios)}")
    today, max_age = price_age_options(args)
    *base, target = args.scenarios
    command = regenerate_command(
        args.scenarios, args.output, args.format, args.months, args.overrides, args.samples, args.seed
    )
    written = write_report(
        target,
        args.output,
        args.format,
        months=args.months,
        overrides=args.overrides,
        samples=args.samples,
        seed=args.seed,
        baseline=base[0] if base else None,
        today=today,
        max_price_age=max_age or 0,  # None from the options means no limit; 0 says so to write_report
        command=command,
    )
    print(f"costmodel: wrote {written}", file=sys.stderr)
    return 0
