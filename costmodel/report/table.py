"""The rich side-by-side table of an Estimate, for terminals."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from costmodel.analysis.decision import Decision
from costmodel.analysis.staffing import Staffing
from costmodel.model.engine import Estimate
from costmodel.report.render import (
    RANGE_LABEL,
    STRATEGY_LABELS,
    breakeven_sentences,
    column_label,
    fit_sentences,
    staffing_note,
    table_rows,
)

__all__ = ["estimate_table", "render_plain"]


def estimate_table(
    est: Estimate,
    uncertainty: dict[str, Any] | None = None,
    fit: dict[str, Any] | None = None,
    warnings: Sequence[str] | None = None,
    decision: Decision | None = None,
    staffing: Staffing | None = None,
) -> RenderableType:
    """Return a renderable with the strategies side by side, the cheapest marked, and notes below.

    The options are those of costmodel.report.render.to_markdown (`decision` puts its sentence under the table).
    """
    table = Table(
        title=f"{est.scenario}: {est.horizon_months}-month estimate",
        title_justify="left",
        header_style="bold",
        show_edge=False,
        pad_edge=False,
    )
    table.add_column("", style="dim", no_wrap=True)
    rows = table_rows(est, uncertainty, fit, staffing)
    for index, (name, s) in enumerate(est.strategies.items()):
        label = column_label(est, name, unavailable=" ✗")
        # A figure is never cut short: a column is at least as wide as its widest figure, and a
        # narrow terminal wraps the heading (and the "Available" reasons) instead.
        widest = max((len(values[index]) for row, values in rows if row != "Available"), default=0)
        if name == est.cheapest and s.available:
            heading, column_style = Text(label, style="bold green"), "green"
        elif not s.available:
            heading, column_style = Text(label, style="dim strike"), "dim"
        else:
            heading, column_style = Text(label), ""
        table.add_column(heading, justify="right", style=column_style, no_wrap=False, min_width=widest)
    for i, (label, values) in enumerate(rows):
        style = "bold" if label.startswith("Total") else None
        following = rows[i + 1][0] if i + 1 < len(rows) else ""
        ends = label.startswith(("Total", "Per 1k", "P(cheapest)")) or (
            label == RANGE_LABEL and "Total" in rows[i - 1][0]
        )
        end_section = ends and following not in (RANGE_LABEL, "P(cheapest)")
        table.add_row(label, *values, style=style, end_section=end_section)
    notes: list[RenderableType] = [table, Text("")]
    if not est.strategies[est.cheapest].available:
        notes.append(Text(f"no strategy is available; lowest total: {STRATEGY_LABELS[est.cheapest]}", style="yellow"))
    elif decision is not None:
        notes.append(Text(f"★ {decision.sentence}", style="green"))
    else:
        notes.append(Text(f"★ cheapest available over the horizon: {STRATEGY_LABELS[est.cheapest]}", style="green"))
    notes += [Text(f"• {s}") for s in breakeven_sentences(est)]
    if not breakeven_sentences(est):
        notes.append(Text("• no strategy catches up with another within the horizon", style="dim"))
    notes += [Text(f"⚠ {w}", style="yellow") for w in (est.warnings if warnings is None else warnings)]
    if uncertainty is not None:
        notes.append(
            Text(
                f"P10–P90 from {uncertainty['samples']:,} samples (seed {uncertainty['seed']}) "
                f"over {len(uncertainty['ranged_inputs'])} ranged inputs",
                style="dim",
            )
        )
    if staffing is not None:
        notes.append(Text(staffing_note(staffing), style="dim"))
    if fit is not None:
        notes += [Text(f"• {s}", style="cyan") for s in fit_sentences(fit)]
    return Group(*notes)


def render_plain(
    est: Estimate,
    width: int = 120,
    uncertainty: dict[str, Any] | None = None,
    fit: dict[str, Any] | None = None,
    warnings: Sequence[str] | None = None,
    decision: Decision | None = None,
    staffing: Staffing | None = None,
) -> str:
    """Return the table as plain text (no colours), for files; the options as for `estimate_table`."""
    from rich.console import Console

    console = Console(width=width, no_color=True, color_system=None, record=True, file=io.StringIO())
    console.print(estimate_table(est, uncertainty, fit, warnings, decision, staffing))
    return console.export_text()
