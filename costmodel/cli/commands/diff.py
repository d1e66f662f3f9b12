"""Compare two scenarios: the inputs that differ (old -> new), how each strategy's costs move,
and whether the cheapest strategy flips. The Markdown format is made for a pull-request comment.
"""

from __future__ import annotations

import argparse
from typing import Any

from costmodel.analysis.diffs import DiffResult, FigureChange, diff
from costmodel.cli.commands.common import (
    add_price_age_arguments,
    add_set_argument,
    located,
    months_arg,
    open_output,
    run_date,
    write_output,
)
from costmodel.cli.exit_codes import EXIT_GUARDRAIL, EXIT_OK
from costmodel.files.loader import load_document
from costmodel.model.finite import finite_estimate
from costmodel.model.schema import Scenario
from costmodel.report.render import STRATEGY_LABELS, format_amount, format_money, format_per_request
from costmodel.report.sections import format_input

HELP = "compare two scenarios: changed inputs and the change in every strategy's costs"
FORMATS = ("table", "markdown", "json")
FIGURE_LABELS = {
    "upfront": "Upfront",
    "per_update": "Per knowledge update",
    "per_request": "Per request",
    "monthly": "Monthly (month 1)",
    "total": "Total",
}
SHOWN_FIGURES = ("upfront", "per_request", "monthly", "total")
MAX_INPUT_ROWS = 60


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the diff command's arguments."""
    parser.add_argument("old", metavar="A", help="the baseline scenario (file or preset)")
    parser.add_argument("new", metavar="B", help="the proposed scenario (file or preset)")
    add_set_argument(
        parser, "override an input of B only, e.g. `diff a.toml a.toml --set workload.requests_per_month=1e6`"
    )
    parser.add_argument("--format", "-f", choices=FORMATS, default="table", help="output format (default: table)")
    parser.add_argument("--months", type=months_arg, default=None, help="horizon in months for both scenarios")
    parser.add_argument("--all-figures", action="store_true", help="also show the per-update figure")
    parser.add_argument(
        "--fail-on-flip", action="store_true", help="exit with code 3 when the cheapest strategy flips (for CI)"
    )
    parser.add_argument("--output", "-o", default=None, metavar="FILE", help="write to FILE instead of stdout")
    add_price_age_arguments(parser)


def _figure(name: str, value: float, currency: str) -> str:
    return format_per_request(value, currency) if name == "per_request" else format_money(value, currency)


def format_delta(name: str, change: FigureChange, currency: str, percent: bool = True) -> str:
    """Return a signed change such as `+USD 1,200 (+4.8%)`, or `no change`."""
    if change.delta == 0:
        return "no change"
    sign = "+" if change.delta > 0 else "-"
    if name == "per_request":
        amount = format_per_request(abs(change.delta), currency)
    else:
        if format_amount(abs(change.delta)) == "0":
            amount = f"{currency} <1"
        else:
            amount = format_money(abs(change.delta), currency)
    share = f" ({change.percent:+.1f}%)" if percent and change.percent is not None else ""
    return f"{sign}{amount}{share}"


def _figures(args: argparse.Namespace) -> tuple[str, ...]:
    return tuple(FIGURE_LABELS) if args.all_figures else SHOWN_FIGURES


def _label(result: DiffResult, figure: str) -> str:
    if figure != "total":
        return FIGURE_LABELS[figure]
    a, b = result.old_horizon_months, result.new_horizon_months
    return f"Total ({a} months)" if a == b else f"Total ({a} -> {b} months)"


def _verdict(result: DiffResult) -> str:
    old, new = STRATEGY_LABELS[result.old_cheapest], STRATEGY_LABELS[result.new_cheapest]
    if result.cheapest_flipped:
        return f"The cheapest strategy flips: {old} -> {new}"
    return f"The cheapest strategy stays {old}"


def to_markdown(result: DiffResult, figures: tuple[str, ...] = SHOWN_FIGURES) -> str:
    """Return the diff as GitHub Markdown for a pull-request comment."""
    cur = result.new_currency
    title = result.new_name if result.old_name == result.new_name else f"{result.old_name} -> {result.new_name}"
    verdict = _verdict(result)
    lines = [f"### costmodel diff: {title}", "", f"**{verdict}**" if result.cheapest_flipped else verdict, ""]
    lines += ["| Strategy | Figure | Before | After | Change |", "|---|---|---:|---:|---:|"]
    for name, sd in result.strategies.items():
        marks = ("*" if name == result.old_cheapest else ""), ("*" if name == result.new_cheapest else "")
        for i, figure in enumerate(figures):
            change: FigureChange = getattr(sd, figure)
            strategy = STRATEGY_LABELS[name] if i == 0 else ""
            before = _figure(figure, change.old, result.old_currency) + (marks[0] if figure == "total" else "")
            after = _figure(figure, change.new, cur) + (marks[1] if figure == "total" else "")
            delta = format_delta(figure, change, cur)
            if figure == "total" and change.delta != 0:
                delta = f"**{delta}**"
            lines.append(f"| {strategy} | {_label(result, figure)} | {before} | {after} | {delta} |")
    lines += ["", "\\* cheapest", ""]
    if result.changes:
        count = len(result.changes)
        lines.append(f"<details><summary>{count} input{'s' if count != 1 else ''} changed</summary>")
        lines += ["", "| Input | Before | After |", "|---|---:|---:|"]
        for change in result.changes[:MAX_INPUT_ROWS]:
            old, new = _md(format_input(change.old)), _md(format_input(change.new))
            lines.append(f"| `{change.path}` | {old} | {new} |")
        if count > MAX_INPUT_ROWS:
            lines.append(f"| … {count - MAX_INPUT_ROWS} more | | |")
        lines += ["", "</details>"]
    else:
        lines.append("No input differs.")
    if result.warnings:
        lines.append("")
        lines += [f"- Warning: {w}" for w in result.warnings]
    return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_table(result: DiffResult, figures: tuple[str, ...] = SHOWN_FIGURES) -> Any:
    """Return a rich renderable: changed inputs, then each strategy's figures before and after."""
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    cur = result.new_currency
    inputs = Table(title="Inputs that differ", show_edge=False, header_style="bold", title_justify="left")
    inputs.add_column("input")
    inputs.add_column("before", justify="right")
    inputs.add_column("after", justify="right")
    for change in result.changes:
        inputs.add_row(change.path, format_input(change.old), Text(format_input(change.new), style="bold"))
    costs = Table(title="Costs", show_edge=False, header_style="bold", title_justify="left")
    for column, justify in (("strategy", "left"), ("figure", "left"), ("before", "right"), ("after", "right")):
        costs.add_column(column, justify=justify)  # type: ignore[arg-type]
    costs.add_column("change", justify="right")
    costs.add_column("%", justify="right")
    for name, sd in result.strategies.items():
        for i, figure in enumerate(figures):
            change: FigureChange = getattr(sd, figure)
            style = "" if change.delta == 0 else ("red" if change.delta > 0 else "green")
            costs.add_row(
                STRATEGY_LABELS[name] if i == 0 else "",
                _label(result, figure),
                _figure(figure, change.old, result.old_currency),
                _figure(figure, change.new, cur),
                Text(format_delta(figure, change, cur, percent=False), style=style),
                Text(f"{change.percent:+.1f}%" if change.percent is not None and change.delta else "", style=style),
                end_section=i == len(figures) - 1,
            )
    verdict = Text(_verdict(result), style="bold yellow" if result.cheapest_flipped else "bold")
    parts: list[Any] = [inputs if result.changes else Text("No input differs."), Text(""), costs, Text(""), verdict]
    parts += [Text(f"⚠ {w}", style="yellow") for w in result.warnings]
    return Group(*parts)


def _with_price_warnings(result: DiffResult, new: Scenario, args: argparse.Namespace) -> DiffResult:
    """Return `result` with B's ranked warnings (the engine's, availability included, and the prices') added
    after the diff's own: the lines `estimate B` shows."""
    from costmodel.cli.commands.common import warning_set
    from costmodel.model.notices import render_all

    est = finite_estimate(new, args.months, run_date(args))
    lines = render_all(w for w in warning_set(new, est.warnings, est.cheapest, args))
    return result.model_copy(update={"warnings": [*result.warnings, *(w for w in lines if w not in result.warnings)]})


def run(args: argparse.Namespace) -> int:
    """Print the diff; return 3 when --fail-on-flip is set and the cheapest strategy flips, else 0."""
    old_doc = load_document(args.old)
    new_doc = load_document(args.new, args.overrides)
    today = run_date(args)
    located(old_doc, [], lambda: finite_estimate(old_doc.scenario, args.months, today))
    located(new_doc, args.overrides, lambda: finite_estimate(new_doc.scenario, args.months, today))
    result = diff(old_doc.scenario, new_doc.scenario, months=args.months, today=today)
    result = _with_price_warnings(result, new_doc.scenario, args)
    figures = _figures(args)
    if args.format == "json":
        write_output(result.model_dump_json(indent=2), args.output)
    elif args.format == "markdown":
        write_output(to_markdown(result, figures), args.output)
    else:
        from rich.console import Console

        if args.output in (None, "-"):
            Console().print(render_table(result, figures))
        else:
            with open_output(args.output) as handle:
                Console(file=handle, width=100, color_system=None).print(render_table(result, figures))
    if args.fail_on_flip and result.cheapest_flipped:
        import sys

        old_label, new_label = STRATEGY_LABELS[result.old_cheapest], STRATEGY_LABELS[result.new_cheapest]
        sys.stderr.write(f"costmodel: guardrail: the cheapest strategy flips from {old_label} to {new_label}\n")
        return EXIT_GUARDRAIL
    return EXIT_OK
