"""Estimate many scenario files (files, folders, globs) and stream one result per scenario.

A file that cannot be estimated is reported on stderr with its path and reason; the
others are still estimated and the exit code is 2 at the end.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import os
import sys
import tempfile
from collections.abc import Iterator
from typing import Any, TextIO

from costmodel.cli.commands.common import months_arg
from costmodel.files.batch import BatchItem, count_scenario_files, iter_batch
from costmodel.model.engine import FIGURES, Estimate
from costmodel.model.errors import CostmodelError
from costmodel.model.names import ALL_STRATEGIES, STRATEGY_LABELS

HELP = "estimate many scenario files (files, folders, globs) into one CSV/JSON/JSONL/Markdown stream"
FORMATS = ("csv", "json", "jsonl", "markdown")
CSV_COLUMNS = ("file", "scenario", "strategy", *FIGURES, "currency", "horizon_months", "cheapest")
PROGRESS_MIN_FILES = 200


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
        help="progress bar on stderr: auto shows it for large batches when stderr is a terminal",
    )


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
            self.out.write(f"| File | Scenario | Cheapest | {totals} | Horizon |\n|---|---|---|{rule}---:|\n")

    def write(self, path: str, est: Estimate) -> None:
        """Write one scenario's result."""
        self.count += 1
        if self._csv is not None:
            rows = []  # csv writes floats as repr() does: unrounded, round-tripping
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
                    )
                )
            self._csv.writerows(rows)
        elif self.fmt in ("json", "jsonl"):
            assert isinstance(est, Estimate)
            data: dict[str, Any] = {"file": path, **est.to_dict()}
            text = json.dumps(data, allow_nan=False, separators=(",", ":"))
            if self.fmt == "jsonl":
                self.out.write(text + "\n")
            else:
                self.out.write(("\n" if self.count == 1 else ",\n") + text)
        else:
            from costmodel.report.render import format_money

            totals = [
                format_money(est.strategies[n].total, est.currency) if n in est.strategies else "-"
                for n in ALL_STRATEGIES
            ]
            cells = [_md(path), _md(est.scenario), STRATEGY_LABELS[est.cheapest], *totals, str(est.horizon_months)]
            self.out.write("| " + " | ".join(cells) + " |\n")

    def finish(self) -> None:
        """Close what `start` opened (JSON's closing bracket)."""
        if self.fmt == "json":
            self.out.write("\n]\n" if self.count else "]\n")


def _md(text: str) -> str:
    """Return `text` safe inside a Markdown table cell."""
    return text.replace("|", "\\|").replace("\n", " ")


def _error_text(item: BatchItem) -> str:
    """Return the error of an item, prefixed by its path unless the message already names it."""
    message = str(item.error)
    return message if message.startswith(item.path) else f"{item.path}: {message}"


def _progress_wanted(mode: str, paths: list[str]) -> int:
    """Return the number of files for a progress bar, or 0 when no bar is to be shown."""
    if mode == "never" or (mode == "auto" and not sys.stderr.isatty()):
        return 0
    total = count_scenario_files(paths)
    return total if mode == "always" or total >= PROGRESS_MIN_FILES else 0


def _with_progress(items: Iterator[BatchItem], total: int) -> Iterator[BatchItem]:
    """Yield `items` while a rich progress bar on stderr counts them."""
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


@contextlib.contextmanager
def _open_output(path: str | None) -> Iterator[TextIO]:
    """Yield the stream to write to: stdout, or a temp file renamed onto `path` when all went well."""
    if path is None or path == "-":
        yield sys.stdout
        sys.stdout.flush()
        return
    folder = os.path.dirname(os.path.abspath(path))
    try:
        fd, tmp = tempfile.mkstemp(prefix=".costmodel-batch.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise CostmodelError(f"{path}: cannot write: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            yield handle
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def run(args: argparse.Namespace) -> int:
    """Estimate every file, streaming results; return 2 when any file failed, else 0."""
    total = _progress_wanted(args.progress, args.paths)
    items = iter_batch(args.paths, months=args.months)
    if total:
        items = _with_progress(items, total)
    failed = 0
    with _open_output(args.output) as out:
        writer = _Writer(out, args.format)
        writer.start()
        for item in items:
            if item.estimate is not None:
                writer.write(item.path, item.estimate)
            else:
                failed += 1
                sys.stderr.write(f"costmodel: {_error_text(item)}\n")
        writer.finish()
    if failed:
        done = writer.count
        sys.stderr.write(
            f"costmodel: {done:,} scenario{'s' if done != 1 else ''} estimated, {failed:,} failed (exit code 2)\n"
        )
        return 2
    if writer.count == 0:
        sys.stderr.write("costmodel: no scenario files found\n")
        return 2
    return 0
