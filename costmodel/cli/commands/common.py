"""Argument helpers shared by commands: scenario loading with overrides, the one checked estimate, output."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from datetime import date
from typing import TypeVar

from costmodel.files.loader import LoadedScenario, estimate_document, load_document, raise_located
from costmodel.files.output import open_output, write_output
from costmodel.model.engine import Estimate
from costmodel.model.errors import CostmodelError
from costmodel.model.finite import FigureOverflowError
from costmodel.model.notices import CostWarning
from costmodel.model.schema import Scenario
from costmodel.model.text import shorten

T = TypeVar("T")

__all__ = [
    "add_price_age_arguments",
    "add_scenario_arguments",
    "add_set_argument",
    "estimate_from_args",
    "load_doc_from_args",
    "load_from_args",
    "located",
    "months_arg",
    "open_output",
    "positive_number_arg",
    "price_age_options",
    "price_check",
    "run_date",
    "warning_set",
    "whole_number_arg",
    "write_output",
]


def _shown(text: str) -> str:
    """Return an argument as echoed in an error: quoted, control characters escaped, cut to 60 characters."""
    return shorten(repr(text), 60)


def months_arg(text: str) -> int:
    """Return a horizon in months parsed from text, 1..120, or raise an argparse error."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number of months, got {_shown(text)}") from None
    if not 1 <= value <= 120:
        raise argparse.ArgumentTypeError(f"expected 1..120 months, got {value}")
    return value


def whole_number_arg(text: str, minimum: int = 0) -> int:
    """Return a whole number >= `minimum` parsed from text (e.g. `100000` or `100_000`), or raise an argparse error."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {_shown(text)}") from None
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
        raise CostmodelError(f"--today: {shorten(str(exc), 120)}") from None


def price_age_options(args: argparse.Namespace) -> tuple[date, int | None]:
    """Return today's date and the price-age limit in months (None = off) from the options or the environment."""
    from costmodel.files.pricing import max_age_from_env, parse_max_age

    given = getattr(args, "max_price_age", None)
    max_age = max_age_from_env() if given is None else parse_max_age(given, "--max-price-age")
    return run_date(args), max_age


def warning_set(
    scenario: Scenario, engine_warnings: Sequence[str], cheapest: str | None, args: argparse.Namespace
) -> list[CostWarning]:
    """Return the engine's and the price warnings of one estimate, ranked most serious first.

    Every face renders this one list (`costmodel.model.notices.render_all`), so they show
    the same warnings in the same order.
    """
    from costmodel.files.pricing import ranked_warnings

    ages = getattr(args, "_price_ages", None)
    if ages is None:  # read the options and the environment once per command, not once per scenario
        ages = price_age_options(args)
        args._price_ages = ages
    return ranked_warnings(scenario, engine_warnings, cheapest, *ages)


def price_check(scenario: Scenario, args: argparse.Namespace, cheapest: str | None = None) -> list[str]:
    """Return the price warnings (retired, withdrawn, unconfirmed, age, left-out fees), ranked, one line each."""
    from costmodel.files.pricing import price_warnings

    today, max_age = price_age_options(args)
    return price_warnings(scenario, today, max_age, cheapest)


def load_doc_from_args(args: argparse.Namespace) -> LoadedScenario:
    """Return the loaded scenario named by the parsed arguments (`scenario`, `overrides`), with its provenance."""
    return load_document(args.scenario, args.overrides)


def load_from_args(args: argparse.Namespace) -> Scenario:
    """Return the scenario named by the parsed arguments, overrides applied."""
    return load_doc_from_args(args).scenario


def located(doc: LoadedScenario, overrides: list[str], run: Callable[[], T]) -> T:
    """Return `run()`; figures that overflow inside it are raised located in `doc`'s files and `--set`s."""
    try:
        return run()
    except FigureOverflowError as exc:
        raise_located(exc, doc, overrides)
        raise


def estimate_from_args(args: argparse.Namespace) -> tuple[LoadedScenario, Estimate]:
    """Return the loaded scenario and its estimate: the one place a command gets an estimate.

    Every figure is finite; figures that overflow are a located FigureOverflowError
    (exit code 2) naming the input, the figure and the months.
    """
    doc = load_doc_from_args(args)
    return doc, estimate_document(doc, getattr(args, "months", None), args.overrides, run_date(args))
