"""Estimate many scenario files (files, folders, globs) and stream one result per scenario.

A file that cannot be estimated is reported on stderr with its path and reason; the
others are still estimated and the exit code is 2 at the end.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any, TextIO

from pydantic_core import to_json

from costmodel.cli.commands.common import add_price_age_arguments, months_arg, open_output, price_age_options
from costmodel.cli.exit_codes import EXIT_BAD_INPUT, EXIT_OK
from costmodel.cli.messages import error_lines
from costmodel.files.batch import BatchItem, count_scenario_files, iter_batch
from costmodel.model.engine import FIGURES, Estimate
from costmodel.model.names import ALL_STRATEGIES, STRATEGY_LABELS
from costmodel.model.notices import CostWarning, render_all, to_dicts
from costmodel.model.schema import Scenario
from costmodel.model.text import clean, shorten

HELP = "estimate many scenario files (files, folders, globs) into one CSV/JSON/JSONL/Markdown stream"
FORMATS = ("csv", "json", "jsonl", "markdown")
CSV_COLUMNS = (
    "file",
    "scenario",
    "strategy",
    *FIGURES,
    "currency",
    "horizon_months",
    "cheapest",
    "available",
    "unavailable_because",
    "fit",
    "prices",
    "warnings",
)
PROGRESS_MIN_FILES = 200
PROBLEM_LINES_PER_FILE = 3  # a file's problems beyond these are counted, not listed (`estimate FILE` lists all)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the batch command's arguments."""
    parser.add_argument(
        "paths",
        nargs="+",
        metavar="PATH",
        help="scenario files, folders (every *.toml inside, recursively) or quoted globs such as 'runs/**/*.toml'",
    )
    parser.add_argument("--format", "-f", choices=FORMATS, default="csv", help="output format (default: csv)")
    parser.add_argument("--months", type=months_arg, default=None, help="horizon in months for every scenario")
    parser.add_argument("--output", "-o", default=None, metavar="FILE", help="write to FILE instead of stdout")
    parser.add_argument(
        "--progress",
        choices=("auto", "always", "never"),
        default="auto",
        help="progress on stderr: auto shows a bar for large batches when stderr is a terminal; "
        "always shows it (as plain lines when stderr is not a terminal, e.g. a CI log)",
    )
    add_price_age_arguments(parser)


class Extras:
    """What `estimate -f json` adds beside the figures, for one scenario: warnings, prices and fit."""

    __slots__ = ("details", "fit", "prices", "warnings")

    def __init__(self, warnings: list[CostWarning], prices: list[dict[str, Any]], fit: dict[str, Any]) -> None:
        self.warnings = render_all(warnings)
        self.details = to_dicts(warnings)
        self.prices = prices
        self.fit = fit


def extras_for(scenario: Scenario, est: Estimate, ages: tuple[date, int | None]) -> Extras:
    """Return the ranked warnings (the engine's and the prices', aged at `ages` = (today, max age in months)),
    price sources and fit advice of one scenario.
    """
    from costmodel.analysis.fit import fit_advice, fit_to_dict
    from costmodel.files.pricing import price_sources, ranked_warnings

    warnings = ranked_warnings(scenario, est.warnings, est.cheapest, *ages)
    return Extras(warnings, price_sources(scenario), fit_to_dict(scenario, fit_advice(scenario)))


def _price_text(prices: list[dict[str, Any]]) -> str:
    """Return price sources for one CSV cell: `model gpt-4.1-mini (2025-04; source)`, `; `-separated."""
    parts = []
    for p in prices:
        when = p["as_of"] or "undated"
        parts.append(f"{p['kind']} {p['name']} ({when}{'; ' + p['source'] if p['source'] else ''})")
    return "; ".join(parts)


class _Writer:
    """Streams items in one format; each `write` emits one scenario's output immediately."""

    def __init__(self, out: TextIO, fmt: str) -> None:
        self.out = out
        self.fmt = fmt
        self.count = 0
        self._csv = csv.writer(out, lineterminator="\n") if fmt == "csv" else None

    def start(self) -> None:
        """Write the header (CSV columns, JSON's opening bracket, Markdown's table head)."""
        if self._csv is not None:
            self._csv.writerow(CSV_COLUMNS)
        elif self.fmt == "json":
            self.out.write("[")
        elif self.fmt == "markdown":
            totals = " | ".join(f"{STRATEGY_LABELS[n]} total" for n in ALL_STRATEGIES)
            rule = "---:|" * len(ALL_STRATEGIES)
            self.out.write(
                f"| File | Scenario | Cheapest | {totals} | Horizon | Fit | Warnings |\n"
                f"|---|---|---|{rule}---:|---|---|\n"
            )

    def write(self, path: str, est: Estimate, extras: Extras) -> None:
        """Write one scenario's result with its warnings, prices and fit."""
        self.count += 1
        if self.fmt != "json" and self.fmt != "jsonl":
            path = clean(path)  # a file name can hold control characters; JSON escapes them itself
        if self._csv is not None:
            rows = []  # csv writes floats as repr() does: unrounded, round-tripping
            prices = _price_text(extras.prices)
            warnings = " | ".join(extras.warnings)
            for name, s in est.strategies.items():
                rows.append(
                    (
                        path,
                        est.scenario,
                        name,
                        s.upfront,
                        s.per_update,
                        s.per_request,
                        s.monthly_fixed,
                        s.periodic_monthly,
                        s.total,
                        s.cost_per_1k_requests,
                        est.currency,
                        est.horizon_months,
                        "yes" if name == est.cheapest else "no",
                        "yes" if s.available else "no",
                        s.unavailable_because or "",
                        extras.fit["strategies"][name]["summary"],
                        prices,
                        warnings,
                    )
                )
            self._csv.writerows(rows)
        elif self.fmt in ("json", "jsonl"):
            assert isinstance(est, Estimate)
            data: dict[str, Any] = {"file": path, **est.to_dict()}
            data["warnings"] = extras.warnings
            data["warning_details"] = extras.details
            data["prices"] = extras.prices
            data["fit"] = extras.fit
            # pydantic-core's encoder: the same values as json.dumps (floats round-trip), several times faster.
            text = to_json(data).decode("utf-8")
            if self.fmt == "jsonl":
                self.out.write(text + "\n")
            else:
                self.out.write(("\n" if self.count == 1 else ",\n") + text)
        else:
            from costmodel.report.render import format_money

            totals = [
                _md_total(est, n, format_money(est.strategies[n].total, est.currency)) if n in est.strategies else "-"
                for n in ALL_STRATEGIES
            ]
            fit = ", ".join(f"{STRATEGY_LABELS[n]}: {extras.fit['strategies'][n]['verdict']}" for n in est.strategies)
            cells = [
                _md(path),
                _md(est.scenario),
                STRATEGY_LABELS[est.cheapest],
                *totals,
                str(est.horizon_months),
                _md(fit),
                "<br>".join(_md(w) for w in extras.warnings) or "none",  # one warning a line in the cell
            ]
            self.out.write("| " + " | ".join(cells) + " |\n")

    def finish(self) -> None:
        """Close what `start` opened (JSON's closing bracket)."""
        if self.fmt == "json":
            self.out.write("\n]\n" if self.count else "]\n")


def _md_total(est: Estimate, name: str, money: str) -> str:
    """Return a strategy's total for a Markdown cell, marked "(not available)" when it is not available."""
    return money if est.strategies[name].available else f"{money} (not available)"


def _md(text: str) -> str:
    """Return `text` safe inside a Markdown table cell."""
    return text.replace("|", "\\|").replace("\n", " ")


def _error_text(item: BatchItem) -> str:
    """Return the error of an item, prefixed by its path unless the message already names it."""
    message = str(item.error)
    path = shorten(item.path, 200)
    return message if message.startswith(path) else f"{path}: {message}"


def _progress_wanted(mode: str, paths: list[str]) -> int:
    """Return the number of files for progress, or 0 when no progress is to be shown."""
    if mode == "never" or (mode == "auto" and not sys.stderr.isatty()):
        return 0
    total = count_scenario_files(paths)
    return total if mode == "always" or total >= PROGRESS_MIN_FILES else 0


def _with_progress(items: Iterator[BatchItem], total: int) -> Iterator[BatchItem]:
    """Yield `items` while a rich progress bar on stderr counts them (plain lines when stderr is no terminal)."""
    if not sys.stderr.isatty():
        yield from _with_progress_lines(items, total, sys.stderr.write)
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    columns = (TextColumn("estimating"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task("batch", total=total)
        pending = 0
        for item in items:
            yield item
            pending += 1
            if pending == 64:
                progress.advance(task, pending)
                pending = 0
        progress.advance(task, pending)


def _with_progress_lines(
    items: Iterator[BatchItem], total: int, write: Callable[[str], Any], every: float = 2.0
) -> Iterator[BatchItem]:
    """Yield `items`, writing `costmodel: progress: N of TOTAL files (P%)` lines (every `every` s, and at the end)."""
    done = 0
    last = time.monotonic()
    for item in items:
        yield item
        done += 1
        now = time.monotonic()
        if now - last >= every:
            last = now
            write(f"costmodel: progress: {done:,} of {total:,} files ({100 * done / max(total, 1):.0f}%)\n")
    write(f"costmodel: progress: {done:,} of {total:,} files done\n")


def run(args: argparse.Namespace) -> int:
    """Estimate every file, streaming results; return 2 when any file failed, else 0."""
    total = _progress_wanted(args.progress, args.paths)
    ages = price_age_options(args)
    # The run's date (--today, else $COSTMODEL_TODAY, else today) dates every timeline as `estimate` does
    # (availability, cheapest among the available) and ages the prices.
    items = iter_batch(args.paths, months=args.months, today=ages[0])
    if total:
        items = _with_progress(items, total)
    failed = 0
    with open_output(args.output) as out:
        writer = _Writer(out, args.format)
        writer.start()
        for item in items:
            if item.estimate is not None and item.scenario is not None:
                writer.write(item.path, item.estimate, extras_for(item.scenario, item.estimate, ages))
            else:
                failed += 1
                lines = error_lines(_error_text(item), PROBLEM_LINES_PER_FILE)
                sys.stderr.write("\n".join([f"costmodel: {lines[0]}", *lines[1:]]) + "\n")
        writer.finish()
    if failed:
        done = writer.count
        sys.stderr.write(
            f"costmodel: {done:,} scenario{'s' if done != 1 else ''} estimated, {failed:,} failed (exit code 2)\n"
        )
        return EXIT_BAD_INPUT
    if writer.count == 0:
        sys.stderr.write("costmodel: no scenario files found\n")
        return EXIT_BAD_INPUT
    return EXIT_OK
