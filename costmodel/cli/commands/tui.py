"""Open the spreadsheet-style terminal UI on a scenario file or preset."""

from __future__ import annotations

import argparse

HELP = "open the terminal UI (the default when no command is given)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the optional scenario argument."""
    parser.add_argument(
        "scenario",
        nargs="?",
        default=None,
        metavar="FILE_OR_PRESET",
        help="scenario to open (default: the default preset)",
    )
    parser.add_argument(
        "other",
        nargs="?",
        default=None,
        metavar="OTHER",
        help="a second scenario to compare side by side (the same figures as `costmodel diff A B`)",
    )


def run(args: argparse.Namespace) -> int:
    """Run the UI until the user quits; return its exit code."""
    from costmodel.tui import run as run_tui  # Textual is imported only here

    return run_tui(args.scenario, other=args.other)
