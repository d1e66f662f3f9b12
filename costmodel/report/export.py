"""Write a report file in one call: what `costmodel report` does, for the terminal UI and for scripts.

`write_report(scenario_or_path, out_path, fmt)` loads (when given a path or preset), builds the
Report, renders it and writes the file atomically (a temporary file beside it, then a rename).
It reads scenario files and price catalogs through costmodel.files, imported when called.
"""

from __future__ import annotations

import shlex
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TypedDict, Unpack

from costmodel import __version__
from costmodel.model.errors import CostmodelError
from costmodel.model.schema import Scenario
from costmodel.report.contents import Report, build_report
from costmodel.report.formats import format_for_path

__all__ = ["ReportOptions", "regenerate_command", "report_for", "write_bytes", "write_report"]

UNSAVED = "(unsaved scenario)"


class ReportOptions(TypedDict, total=False):
    """The keyword options of `write_report`, passed on to `report_for` (which holds their defaults)."""

    months: int | None
    overrides: Sequence[str]
    samples: int | None
    seed: int | None
    baseline: Scenario | str | Path | None
    today: date | None
    max_price_age: int | None
    command: str | None


def regenerate_command(
    sources: Sequence[str],
    out_path: str | Path,
    fmt: str | None = None,
    months: int | None = None,
    overrides: Sequence[str] = (),
    samples: int | None = None,
    seed: int | None = None,
) -> str:
    """Return the shell command that writes the same report again, quoted for a POSIX shell."""
    words = ["costmodel", "report", *sources, "-o", str(out_path)]
    if fmt is not None:
        words += ["--format", fmt]
    if months is not None:
        words += ["--months", str(months)]
    for assignment in overrides:
        words += ["--set", assignment]
    if samples is not None:
        words += ["--samples", str(samples)]
    if seed is not None:
        words += ["--seed", str(seed)]
    return shlex.join(words)


def _load(ref: Scenario | str | Path, overrides: Sequence[str]) -> tuple[Scenario, str]:
    """Return the scenario `ref` names (a Scenario is taken as it is) and how the page names its source."""
    if isinstance(ref, Scenario):
        if overrides:
            raise CostmodelError("overrides apply to a scenario file or preset, not to a scenario object")
        return ref, UNSAVED
    from costmodel.files.loader import estimate_document, load_document

    doc = load_document(ref, overrides)
    estimate_document(doc, overrides=overrides)  # figures that overflow: a located error before any page is built
    return doc.scenario, str(ref)


def report_for(
    ref: Scenario | str | Path,
    *,
    out_path: str | Path,
    fmt: str | None = None,
    months: int | None = None,
    overrides: Sequence[str] = (),
    samples: int | None = None,
    seed: int | None = None,
    baseline: Scenario | str | Path | None = None,
    today: date | None = None,
    max_price_age: int | None = None,
    command: str | None = None,
) -> Report:
    """Return the Report of `ref` (a file path, a preset name or a Scenario), compared with `baseline` when given.

    `overrides` (`--set PATH=VALUE` texts) apply to `ref` only. `today` (default: $COSTMODEL_TODAY,
    else today) dates the page and ages the prices; `max_price_age` in months, 0 for no limit
    (default $COSTMODEL_MAX_PRICE_AGE, else 12). `command` replaces the regenerating command shown in
    the footer (default: built from these arguments).
    """
    from costmodel.files.pricing import max_age_from_env, price_sources, price_warning_list, today_from_env

    scenario, source = _load(ref, overrides)
    base_scenario, base_source = (None, "") if baseline is None else _load(baseline, ())
    day = today_from_env() if today is None else today
    age = max_age_from_env() if max_price_age is None else (max_price_age or None)
    if command is None:
        sources = [base_source, source] if baseline is not None else [source]
        command = regenerate_command(sources, out_path, fmt, months, overrides, samples, seed)
    return build_report(
        scenario,
        source=source,
        version=__version__,
        generated=day,
        command=command,
        months=months,
        samples=samples,
        seed=seed,
        price_check=lambda cheapest: price_warning_list(scenario, day, age, cheapest),
        prices=price_sources(scenario),
        baseline=base_scenario,
        baseline_source=base_source,
        today=day,
    )


def write_bytes(data: bytes, out_path: str | Path) -> None:
    """Write `data` to `out_path` through the one output writer (costmodel.files.output): atomically, a
    symlink's target written, an existing file's mode kept, a new one with the umask's; `-` and devices work.

    Raises CostmodelError (exit 2) naming the path when it cannot be written.
    """
    from costmodel.files.output import open_output

    with open_output(str(out_path), binary=True) as stream:
        stream.write(data)


def write_report(
    ref: Scenario | str | Path,
    out_path: str | Path,
    fmt: str | None = None,
    **options: Unpack[ReportOptions],
) -> Path:
    """Write the report of `ref` (a file path, preset name or Scenario) to `out_path`; return the path written.

    `fmt` is a name of costmodel.report.formats.REPORT_FORMATS, or None to take it from the
    file's suffix (.html, .png, .svg, .pdf, .md). The keyword arguments (ReportOptions) are those of
    `report_for`, with its defaults. Raises CostmodelError (exit 2) for bad input, an unwritable path, or a
    charted format without matplotlib (the message names `pip install 'costmodel[report]'`).
    """
    chosen = format_for_path(out_path, fmt)
    if chosen.charts:
        from costmodel.report.charts import ensure_matplotlib

        ensure_matplotlib()
    report = report_for(ref, out_path=out_path, fmt=fmt, **options)
    write_bytes(chosen.render(report), out_path)
    return Path(out_path)
