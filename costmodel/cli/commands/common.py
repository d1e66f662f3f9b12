"""Argument helpers shared by commands: scenario loading with overrides, output writing."""

from __future__ import annotations

import argparse
import sys
from datetime import date

from costmodel.files.scenario_io import load_document
from costmodel.model.errors import CostmodelError
from costmodel.model.schema import Scenario

__all__ = [
    "add_price_age_arguments",
    "add_scenario_arguments",
    "add_set_argument",
    "load_from_args",
    "months_arg",
    "positive_number_arg",
    "price_check",
    "whole_number_arg",
    "write_output",
]


def months_arg(text: str) -> int:
    """Return a horizon in months parsed from text, 1..120, or raise an argparse error."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number of months, got {text!r}") from None
    if not 1 <= value <= 120:
        raise argparse.ArgumentTypeError(f"expected 1..120 months, got {value}")
    return value


def whole_number_arg(text: str, minimum: int = 0) -> int:
    """Return a whole number >= `minimum` parsed from text (e.g. `100000` or `100_000`), or raise an argparse error."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < minimum:
        raise argparse.ArgumentTypeError(f"expected a whole number >= {minimum}, got {value}")
    return value


def positive_number_arg(text: str) -> int:
    """Return a whole number >= 1 parsed from text, or raise an argparse error."""
    return whole_number_arg(text, minimum=1)


def add_set_argument(parser: argparse.ArgumentParser, help_text: str) -> None:
    """Add the repeatable `--set dotted.path=value` option (into `args.overrides`)."""
    parser.add_argument("--set", dest="overrides", action="append", default=[], metavar="PATH=VALUE", help=help_text)


def add_scenario_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the SCENARIO positional and the repeatable `--set dotted.path=value` option."""
    parser.add_argument("scenario", metavar="FILE_OR_PRESET", help="a scenario .toml file or a preset name")
    add_set_argument(parser, "override one input, e.g. --set workload.requests_per_month=80000 (repeatable)")


def add_price_age_arguments(parser: argparse.ArgumentParser) -> None:
    """Add `--max-price-age MONTHS` and `--today DATE`, which age the scenario's prices."""
    parser.add_argument(
        "--max-price-age",
        default=None,
        metavar="MONTHS",
        help="warn about prices older than MONTHS (default: $COSTMODEL_MAX_PRICE_AGE, else 12; 0 = never)",
    )
    parser.add_argument(
        "--today",
        default=None,
        metavar="YYYY-MM-DD",
        help="the date prices are aged against (default: $COSTMODEL_TODAY, else today), to reproduce a run",
    )


def run_date(args: argparse.Namespace) -> date:
    """Return the date of this run: --today when the command has it, else $COSTMODEL_TODAY, else today.

    It dates prices (their age) and the timeline (month 1 is the scenario's `start`, else
    this date's month, for availability).
    """
    from costmodel.files.pricing import parse_date, today_from_env

    given = getattr(args, "today", None)
    if given is None:
        return today_from_env()
    try:
        return parse_date(given)
    except ValueError as exc:
        raise CostmodelError(f"--today: {exc}") from None


def price_check(scenario: Scenario, args: argparse.Namespace) -> list[str]:
    """Return the price warnings (age, withdrawn prices, left-out fees) for the parsed arguments."""
    from costmodel.files.pricing import max_age_from_env, parse_max_age, price_warnings

    given = args.max_price_age
    max_age = max_age_from_env() if given is None else parse_max_age(given, "--max-price-age")
    return price_warnings(scenario, run_date(args), max_age)


def load_from_args(args: argparse.Namespace) -> Scenario:
    """Return the scenario named by the parsed arguments, overrides applied."""
    return load_document(args.scenario, args.overrides).scenario


def write_output(text: str, path: str | None = None) -> None:
    """Write `text` to stdout, or atomically-enough to `path` when given."""
    if path is None or path == "-":
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return
    try:
        with open(path, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
    except OSError as exc:
        raise CostmodelError(f"{path}: cannot write: {exc.strerror or exc}") from None
