"""Estimate many scenario files (files, folders, globs) and stream one result per scenario.

A file that cannot be estimated is reported on stderr with its path and reason; the
others are still estimated and the exit code is 2 at the end.
"""

from __future__ import annotations

import argparse
import csv
import io
import itertools
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date
from typing import Any, BinaryIO, NamedTuple, TypeVar

import orjson

from costmodel.analysis.fit import fit_document, fit_inputs, keepable
from costmodel.cli.commands.common import (
    add_price_age_arguments,
    months_arg,
    open_output,
    price_age_options,
    whole_number_arg,
)
from costmodel.cli.exit_codes import EXIT_BAD_INPUT, EXIT_OK
from costmodel.cli.messages import error_lines
from costmodel.files.batch import BatchItem, PathProblem, batch_item, count_scenario_files, iter_scenario_files
from costmodel.files.loader import Loader
from costmodel.files.parallel import Blob, available_cores, fork_available, ordered_chunks
from costmodel.files.pricing import price_key, price_sources, price_warning_list, used_prices, with_engine_warnings
from costmodel.model.engine import FIGURES, Estimate, StrategyEstimate
from costmodel.model.names import ALL_STRATEGIES, STRATEGY_LABELS
from costmodel.model.notices import CostWarning, render_all, to_dicts
from costmodel.model.schema import Scenario, required_prices
from costmodel.model.text import clean, decodable, shorten

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
PARALLEL_MIN_FILES = 256  # fewer files are estimated in this process: forking workers would not pay
PARALLEL_CHUNK = 32  # files a worker estimates before sending their output back
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
    parser.add_argument(
        "--jobs",
        "-j",
        type=_jobs_arg,
        default=None,
        metavar="N",
        help="worker processes for batches of 256 files or more (default: the cores available; 1 = this process only)",
    )
    add_price_age_arguments(parser)


class Extras(NamedTuple):
    """What `estimate -f json` adds beside the figures, for one scenario: warnings, prices and fit.

    `warnings` are the ranked warnings rendered a line each, `details` the same as JSON data.
    """

    warnings: list[str]
    details: list[dict[str, object]]
    prices: list[dict[str, Any]]
    fit: dict[str, Any]


class _PriceAnswer(NamedTuple):
    """A scenario's price warnings and price sources, and its warnings as shown: per tuple of the engine's
    warnings, (rendered lines, JSON details) of the engine's and the price warnings ranked together."""

    warnings: list[CostWarning]
    sources: list[dict[str, Any]]
    shown: dict[tuple[str, ...], tuple[list[str], list[dict[str, object]]]]


ANSWERS_KEPT = 256  # fit advice and price checks of distinct inputs kept in a batch (then the store starts afresh)
_FITS: dict[object, dict[str, Any]] = {}
_PRICES: dict[object, _PriceAnswer] = {}
V = TypeVar("V")


def _kept(store: dict[object, V], key: object, make: Callable[[], V]) -> V:
    """Return `store[key]`, made by `make()` when the store does not hold it (a full store is emptied first).

    A kept answer is shared by every file that meets its key: callers never change it.
    """
    found = store.get(key)
    if found is None:
        if len(store) >= ANSWERS_KEPT:
            store.clear()
        found = store[key] = make()
    return found


def _fit(scenario: Scenario) -> dict[str, Any]:
    """Return the JSON fit object of a scenario (costmodel.analysis.fit).

    The advice depends on a few inputs only (`fit_inputs`), which the files of a batch mostly
    share, so it is kept per inputs (unless a zero that may print as -0 is among them).
    """
    inputs = fit_inputs(scenario)
    if not keepable(inputs):
        return fit_document(inputs)
    return _kept(_FITS, inputs, lambda: fit_document(inputs))


def _prices(scenario: Scenario, cheapest: str, ages: tuple[date, int | None]) -> _PriceAnswer:
    """Return the price warnings (aged at `ages` = (today, max age in months)) and price sources of a scenario.

    Both depend on part of it only (`price_key`), which the files of a batch mostly share, so
    they are kept per key (unless `price_key` says they read more).
    """

    def make() -> _PriceAnswer:
        needs = required_prices(scenario)  # worked out once for the warnings and the price sources
        used = used_prices(scenario, needs)
        return _PriceAnswer(
            price_warning_list(scenario, *ages, cheapest, needs, used), price_sources(scenario, used), {}
        )

    part = price_key(scenario)
    return make() if part is None else _kept(_PRICES, (*part, *ages, cheapest), make)


def extras_for(scenario: Scenario, est: Estimate, ages: tuple[date, int | None]) -> Extras:
    """Return the ranked warnings (the engine's and the prices', aged at `ages` = (today, max age in months)),
    price sources and fit advice of one scenario.
    """
    prices = _prices(scenario, est.cheapest, ages)

    def show() -> tuple[list[str], list[dict[str, object]]]:
        ranked = with_engine_warnings(est.warnings, prices.warnings)
        return render_all(ranked), to_dicts(ranked)

    warnings, details = _kept(prices.shown, est.warnings, show)
    return Extras(warnings, details, prices.sources, _fit(scenario))


def _csv_cells(path: str, est: Estimate, name: str, s: StrategyEstimate, extras: Extras) -> tuple[Any, ...]:
    """Return the cells of a strategy's CSV row up to its fit summary (CSV_COLUMNS without prices and warnings)."""
    return (
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
    )


def _price_text(prices: list[dict[str, Any]]) -> str:
    """Return price sources for one CSV cell: `model gpt-4.1-mini (2025-04; source)`, `; `-separated."""
    parts = []
    for p in prices:
        when = p["as_of"] or "undated"
        parts.append(f"{p['kind']} {p['name']} ({when}{'; ' + p['source'] if p['source'] else ''})")
    return "; ".join(parts)


class _Writer:
    """Streams results in one format: `text` formats one scenario's output as UTF-8 bytes, `emit` writes it in
    order to a binary stream."""

    def __init__(self, out: BinaryIO | None, fmt: str) -> None:
        self.out = out
        self.fmt = fmt
        self.count = 0
        self._buffer = io.StringIO()
        self._csv = csv.writer(self._buffer, lineterminator="\n") if fmt == "csv" else None
        # (prices, warnings, the end of a row with their cells) by the ids of the two: see `_csv_tail`.
        self._tails: dict[tuple[int, int], tuple[object, object, str]] = {}

    def start(self) -> None:
        """Write the header (CSV columns, JSON's opening bracket, Markdown's table head)."""
        assert self.out is not None
        if self._csv is not None:
            self._csv.writerow(CSV_COLUMNS)
            self.out.write(self._take())
        elif self.fmt == "json":
            self.out.write(b"[")
        elif self.fmt == "markdown":
            totals = " | ".join(f"{STRATEGY_LABELS[n]} total" for n in ALL_STRATEGIES)
            rule = "---:|" * len(ALL_STRATEGIES)
            self.out.write(
                f"| File | Scenario | Cheapest | {totals} | Horizon | Fit | Warnings |\n"
                f"|---|---|---|{rule}---:|---|---|\n".encode()
            )

    def _csv_tail(self, extras: Extras) -> str:
        """Return the end of each CSV row of a scenario: a comma, its prices and warnings cells, the line break.

        Those two cells are the same on every row of a scenario and are shared by many scenarios
        (kept answers): they are written as CSV once instead of being scanned for quoting on
        every row. Tails are kept per (prices, warnings) objects.
        """
        key = (id(extras.prices), id(extras.warnings))
        entry = self._tails.get(key)
        if entry is not None and entry[0] is extras.prices and entry[1] is extras.warnings:
            return entry[2]
        assert self._csv is not None
        self._csv.writerow((_price_text(extras.prices), " | ".join(extras.warnings)))
        tail = "," + self._take().decode()
        if len(self._tails) >= ANSWERS_KEPT:
            self._tails.clear()
        self._tails[key] = (extras.prices, extras.warnings, tail)
        return tail

    def _take(self) -> bytes:
        """Return what the CSV writer wrote into the buffer as UTF-8, emptying it."""
        text = self._buffer.getvalue()
        self._buffer.seek(0)
        self._buffer.truncate()
        return text.encode()

    def text(self, path: str, est: Estimate, extras: Extras) -> bytes:
        """Return one scenario's output with its warnings, prices and fit, in UTF-8 (JSON without its separator)."""
        # A file name can hold control characters, which JSON escapes itself, and bytes that are not UTF-8.
        path = decodable(path) if self.fmt == "json" or self.fmt == "jsonl" else clean(path)
        if self._csv is not None:
            # csv writes floats as repr() does: unrounded, round-tripping. Each row's line break
            # gives way to the scenario's last two cells.
            tail = self._csv_tail(extras)
            buffer, row = self._buffer, self._csv.writerow
            for name, s in est.strategies.items():
                row(_csv_cells(path, est, name, s, extras))
                buffer.seek(buffer.tell() - 1)
                buffer.write(tail)
            return self._take()
        if self.fmt in ("json", "jsonl"):
            data: dict[str, Any] = {"file": path, **est.to_dict()}
            data["warnings"] = extras.warnings
            data["warning_details"] = extras.details
            data["prices"] = extras.prices
            data["fit"] = extras.fit
            # orjson: the same values as json.dumps (floats round-trip, shortest form), several times faster.
            return orjson.dumps(data, option=orjson.OPT_APPEND_NEWLINE) if self.fmt == "jsonl" else orjson.dumps(data)
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
        return ("| " + " | ".join(cells) + " |\n").encode()

    def piece(self, text: bytes) -> bytes:
        """Return one scenario's output (as `text` returned it) as its piece of the stream.

        In JSON it is preceded by its separator; `emit` turns the first separator of the
        stream into a plain line break.
        """
        return b",\n" + text if self.fmt == "json" else text

    def emit(self, text: bytes | memoryview, count: int = 1) -> None:
        """Write the output of `count` consecutive scenarios: their pieces (`piece`), joined."""
        assert self.out is not None
        if self.fmt == "json" and self.count == 0:
            text = text[1:]  # the stream's first separator: a line break without the comma
        self.count += count
        self.out.write(text)

    def finish(self) -> None:
        """Close what `start` opened (JSON's closing bracket)."""
        assert self.out is not None
        if self.fmt == "json":
            self.out.write(b"\n]\n" if self.count else b"]\n")


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


Run = tuple[bool, bytes | memoryview | str, int]
"""Output of consecutive files: (ok, their output in UTF-8, how many files), or (False, one file's error lines, 1);
see `_unpacked`."""


def _with_progress(runs: Iterator[Run], total: int) -> Iterator[Run]:
    """Yield `runs` while a rich progress bar on stderr counts their files (plain lines when stderr is no terminal)."""
    if not sys.stderr.isatty():
        yield from _with_progress_lines(runs, total, sys.stderr.write)
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    columns = (TextColumn("estimating"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task("batch", total=total)
        for run in runs:
            yield run
            progress.advance(task, run[2])


def _with_progress_lines(
    runs: Iterator[Run], total: int, write: Callable[[str], Any], every: float = 2.0
) -> Iterator[Run]:
    """Yield `runs`, writing `costmodel: progress: N of TOTAL files (P%)` lines (every `every` s, and at the end)."""
    done = 0
    last = time.monotonic()
    for run in runs:
        yield run
        done += run[2]
        now = time.monotonic()
        if now - last >= every:
            last = now
            write(f"costmodel: progress: {done:,} of {total:,} files ({100 * done / max(total, 1):.0f}%)\n")
    write(f"costmodel: progress: {done:,} of {total:,} files done\n")


class _Results:
    """Turns entries of `iter_scenario_files` into output: (True, the scenario's text) or (False, the error lines).

    One instance serves a whole batch (serially, or in each forked worker): its loader
    caches the shared bases and catalogs.
    """

    def __init__(self, fmt: str, named: set[str], months: int | None, ages: tuple[date, int | None]) -> None:
        self.formatter = _Writer(None, fmt)
        self.loader = Loader(cache=True)
        self.named = named
        self.months = months
        self.ages = ages

    def one(self, entry: str | PathProblem) -> tuple[bool, bytes | str] | None:
        """Return the output of one entry, or None for a pricing catalog found in a folder (skipped)."""
        named = isinstance(entry, str) and entry in self.named
        item = batch_item(self.loader, entry, named, self.months, self.ages[0])
        if item is None:
            return None
        if item.estimate is not None and item.scenario is not None:
            extras = extras_for(item.scenario, item.estimate, self.ages)
            return True, self.formatter.text(item.path, item.estimate, extras)
        lines = error_lines(_error_text(item), PROBLEM_LINES_PER_FILE)
        return False, "\n".join([f"costmodel: {lines[0]}", *lines[1:]]) + "\n"

    def chunk(self, entries: Sequence[str | PathProblem]) -> tuple[list[tuple[int, int, str]], list[bytes]]:
        """Return the outputs of a chunk of entries: its runs (consecutive scenarios, or one file's error) as a
        list of (count, size in bytes, error lines) per run (size 0 and the lines for an error, else ""), and
        the outputs of the scenarios in order, each as `_Writer.piece` gives it (a worker sends them without
        joining them); `_unpacked` turns them back into runs. Skipped catalogs are left out.
        """
        shape: list[tuple[int, int, str]] = []
        pieces: list[bytes] = []
        count = size = 0
        for result in map(self.one, entries):
            if result is None:
                continue
            text = result[1]
            if isinstance(text, bytes):
                piece = self.formatter.piece(text)
                pieces.append(piece)
                count += 1
                size += len(piece)
                continue
            if count:
                shape.append((count, size, ""))
                count = size = 0
            shape.append((1, 0, text))
        if count:
            shape.append((count, size, ""))
        return shape, pieces


def _unpacked(chunks: Iterable[tuple[list[tuple[int, int, str]], Blob]]) -> Iterator[Run]:
    """Yield the runs of chunks as `_Results.chunk` made them, each output a view into its chunk's bytes."""
    for shape, blob in chunks:
        view = memoryview(blob)
        cursor = 0
        for count, size, error in shape:
            if error:
                yield False, error, count
            else:
                yield True, view[cursor : cursor + size], count
                cursor += size


def _jobs_arg(text: str) -> int:
    """Return a worker count parsed from text (1 or more), or raise an argparse error."""
    return whole_number_arg(text, minimum=1)


def _outputs(paths: list[str], results: _Results, jobs: int) -> tuple[Iterator[Run], Callable[[], None]]:
    """Return the outputs of every entry in order as runs (`_unpacked`), and a function stopping the workers
    (a no-op when serial).

    With `jobs` above 1 and at least PARALLEL_MIN_FILES entries, the entries are shared
    among `jobs` forked workers in chunks (forked here, before any thread starts); the
    outputs are the same, in the same order, as one process gives.
    """
    entries = iter_scenario_files(paths)
    if jobs > 1 and fork_available():
        head = list(itertools.islice(entries, PARALLEL_MIN_FILES))
        if len(head) == PARALLEL_MIN_FILES:
            listed = head + list(entries)
            chunk = max(1, min(PARALLEL_CHUNK, len(listed) // (4 * jobs)))
            ordered = ordered_chunks(results.chunk, listed, jobs, chunk)
            return _unpacked(ordered), ordered.close
        entries = iter(head)
    chunks = (results.chunk(chunk) for chunk in iter(lambda: list(itertools.islice(entries, PARALLEL_CHUNK)), []))
    return _unpacked((shape, b"".join(pieces)) for shape, pieces in chunks), lambda: None


def run(args: argparse.Namespace) -> int:
    """Estimate every file, streaming results; return 2 when any file failed, else 0."""
    total = _progress_wanted(args.progress, args.paths)
    ages = price_age_options(args)
    jobs = args.jobs if args.jobs is not None else available_cores()
    # The run's date (--today, else $COSTMODEL_TODAY, else today) dates every timeline as `estimate` does
    # (availability, cheapest among the available) and ages the prices.
    results = _Results(args.format, set(args.paths), args.months, ages)
    failed = 0
    with open_output(args.output, binary=True) as out:
        outputs, stop = _outputs(list(args.paths), results, jobs)
        try:
            if total:
                outputs = _with_progress(outputs, total)
            writer = _Writer(out, args.format)
            writer.start()
            live = out.isatty()  # on a terminal each result shows as it comes, between the errors on stderr
            for _, text, count in outputs:
                if isinstance(text, str):  # a file's error lines
                    failed += 1
                    sys.stderr.write(text)
                else:
                    writer.emit(text, count)
                    if live:
                        out.flush()
            writer.finish()
        finally:
            stop()
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
