"""Sweep inputs of one scenario: estimate every combination of the varied values.

SPEC is a list (`0,1,4,30`, `gpt-4.1-mini,gpt-4.1`) or a range `start:stop:count[:lin|:log]`
(`1000:1000000:25:log`), both ends included. The table format draws a small map of the
cheapest strategy across the first two varied inputs.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from typing import Any, TextIO

from costmodel.analysis.sweeps import FIGURES, SweepPlan, Value, cheapest_grid, plan_sweep
from costmodel.cli.commands.common import (
    add_price_age_arguments,
    add_scenario_arguments,
    estimate_from_args,
    months_arg,
    open_output,
    run_date,
)
from costmodel.model.names import LETTERS, TERMINAL_COLOURS

HELP = "estimate every combination of varied inputs (lists or lin/log ranges)"
FORMATS = ("table", "csv", "jsonl")
SHORT = LETTERS
COLOURS = TERMINAL_COLOURS
TABLE_ROWS = 40


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the sweep command's arguments."""
    add_scenario_arguments(parser)
    parser.add_argument(
        "--vary",
        action="append",
        default=[],
        required=True,
        metavar="PATH=SPEC",
        help="an input and its values: a list 0,1,4,30 or a range start:stop:count[:lin|:log] (repeatable)",
    )
    parser.add_argument("--format", "-f", choices=FORMATS, default="table", help="output format (default: table)")
    parser.add_argument("--months", type=months_arg, default=None, help="horizon in months, overriding the file's")
    parser.add_argument("--output", "-o", default=None, metavar="FILE", help="write to FILE instead of stdout")
    add_price_age_arguments(parser)


def format_value(value: Value) -> str:
    """Return a varied value for display: whole numbers with separators, others to 4 significant digits."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        if abs(value) >= 1000:
            digits = len(str(int(abs(value))))
            return f"{round(value, min(0, 4 - digits)):,.0f}"
        if float(value).is_integer():
            return str(int(value))
        return f"{value:.4g}"
    return str(value)


def _plain(value: Value) -> Any:
    """Return a value for CSV: numbers unrounded (repr), booleans as true/false."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return value


def write_csv(plan: SweepPlan, out: TextIO) -> int:
    """Write one CSV row per combination; return the number of rows (points) written."""
    writer = csv.writer(out, lineterminator="\n")
    names = plan.names
    header = [*plan.labels, "cheapest"]
    for name in names:
        header += [f"{name}_{figure}" for figure in FIGURES]
    writer.writerow(header)
    count = 0
    plain = any(isinstance(v, bool) for values in plan.values for v in values)
    for combo, cheapest, figures in plan.iter_points():
        # csv writes a float as repr() does: unrounded, round-tripping
        row: list[Any] = [_plain(v) for v in combo] if plain else list(combo)
        row.append(cheapest)
        for name in names:
            row += figures[name]
        writer.writerow(row)
        count += 1
    return count


def write_jsonl(plan: SweepPlan, out: TextIO) -> int:
    """Write one JSON object per combination (inputs, cheapest, strategies); return the count."""
    labels = plan.labels
    count = 0
    for combo, cheapest, figures in plan.iter_points():
        data = {
            "inputs": dict(zip(labels, combo, strict=True)),
            "cheapest": cheapest,
            "strategies": {name: dict(zip(FIGURES, values, strict=True)) for name, values in figures.items()},
        }
        out.write(json.dumps(data, allow_nan=False, separators=(",", ":")) + "\n")
        count += 1
    return count


def render_table(plan: SweepPlan, width: int = 100) -> Any:
    """Return a rich renderable: the cheapest-strategy map and the first rows of the sweep."""
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    from costmodel.report.render import STRATEGY_LABELS, format_money

    scenario = plan.scenario
    labels = plan.labels
    values = {label: list(v) for label, v in zip(labels, plan.values, strict=True)}
    points: list[Any] = []
    table = Table(show_edge=False, header_style="bold")
    for parts in plan.paths:
        table.add_column(parts[-1], justify="right")
    table.add_column("cheapest")
    for name in plan.names:
        table.add_column(f"{STRATEGY_LABELS[name]} total", justify="right")
    grid_needed = len(values[labels[0]]) * (len(values[labels[1]]) if len(labels) > 1 else 1)
    stride = 1
    for label in labels[2:]:
        stride *= len(values[label])
    shown = 0
    for index, (combo, cheapest, figures) in enumerate(plan.iter_points()):
        if index < grid_needed * stride:
            points.append(_Cheapest(cheapest))
        if shown < TABLE_ROWS:
            totals = [figures[n][FIGURES.index("total")] for n in plan.names]
            table.add_row(
                *[format_value(v) for v in combo],
                Text(STRATEGY_LABELS[cheapest], style=COLOURS[cheapest]),
                *[format_money(t, scenario.currency) for t in totals],
            )
            shown += 1
    total_points = plan.size
    horizon = plan.months or scenario.horizon_months
    parts: list[Any] = [
        Text(f"{scenario.name}: {total_points:,} combinations, totals over {horizon} months", style="bold"),
        Text(""),
        _map(labels, values, cheapest_grid(values, labels, points), width),
        Text(""),
        table,
    ]
    if total_points > shown:
        parts.append(Text(f"… {total_points - shown:,} more rows: use --format csv or jsonl for all of them"))
    return Group(*parts)


class _Cheapest:
    """A minimal point carrying only `cheapest`, for the map."""

    __slots__ = ("cheapest",)

    def __init__(self, cheapest: str) -> None:
        self.cheapest = cheapest


def _map(labels: list[str], values: dict[str, list[Value]], grid: list[list[str]], width: int) -> Any:
    """Return the map as rich Text: rows are the first input's values, columns the second's."""
    from rich.text import Text

    from costmodel.report.render import STRATEGY_LABELS

    text = Text()
    row_values = values[labels[0]] if len(labels) > 1 else [""]
    row_names = [format_value(v) for v in row_values] if len(labels) > 1 else [""]
    margin = max(len(n) for n in row_names)
    cols = len(grid[0])
    cell = 2 if margin + 3 + 2 * cols <= width else 1
    title = (
        f"Cheapest strategy: rows {labels[0]}, columns {labels[1]}"
        if len(labels) > 1
        else f"Cheapest strategy across {labels[0]}"
    )
    if len(labels) > 2:
        held = ", ".join(f"{label}={format_value(values[label][0])}" for label in labels[2:])
        title += f" (with {held})"
    text.append(title + "\n", style="bold")
    for name, row in zip(row_names, grid, strict=True):
        text.append(f"{name:>{margin}} │ ")
        for strategy in row:
            text.append(SHORT[strategy].ljust(cell), style=f"bold {COLOURS[strategy]}")
        text.append("\n")
    axis_values = values[labels[1]] if len(labels) > 1 else values[labels[0]]
    axis_name = labels[1] if len(labels) > 1 else labels[0]
    first, last = format_value(axis_values[0]), format_value(axis_values[-1])
    span = max(cols * cell, len(first) + len(last) + 2)
    text.append(" " * margin + " └─" + "─" * span + "\n")
    text.append(" " * (margin + 3) + first + " " * (span - len(first) - len(last)) + last + "\n")
    text.append(" " * (margin + 3) + f"{axis_name} →\n")
    legend = "   ".join(f"{SHORT[n]} {STRATEGY_LABELS[n]}" for n in dict.fromkeys(s for row in grid for s in row))
    text.append(" " * (margin + 3) + legend)
    return text


def run(args: argparse.Namespace) -> int:
    """Run the sweep and print it in the chosen format (the base scenario's warnings too); return the exit code."""
    doc, base = estimate_from_args(args)
    scenario = doc.scenario
    plan = plan_sweep(scenario, args.vary, months=args.months, today=run_date(args))
    from costmodel.cli.commands.common import warning_set
    from costmodel.model.notices import render_all

    warnings = render_all(warning_set(scenario, base.warnings, base.cheapest, args))
    if args.format == "table":
        from rich.console import Console
        from rich.text import Text

        notes = [Text(f"⚠ {w}", style="yellow") for w in warnings]
        if args.output in (None, "-"):
            console = Console()
            console.print(render_table(plan, width=console.width))
            for note in notes:
                console.print(note)
        else:
            with open_output(args.output) as handle:
                console = Console(file=handle, width=100, color_system=None)
                console.print(render_table(plan))
                for note in notes:
                    console.print(note)
        return 0
    for w in warnings:
        print(f"costmodel: warning: {w}", file=sys.stderr)
    writer = write_csv if args.format == "csv" else write_jsonl
    with open_output(args.output) as handle:
        writer(plan, handle)
    return 0
