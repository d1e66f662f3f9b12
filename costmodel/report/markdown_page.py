"""The report as GitHub Markdown: the same sections as the HTML page, with tables for the charts.

Markdown cannot carry a chart without a second file, so the cost lines and the tornado are
tables here; no matplotlib is needed. Scenario text is cleaned of terminal escape sequences
and escaped for Markdown and HTML (`|`, `<`, `>`, `&`, backticks, emphasis marks).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from costmodel.model.money import format_amount
from costmodel.report.contents import Report, clean_text, label
from costmodel.report.sections import (
    breakeven_lines,
    comparison_rows,
    contribution_rows,
    fit_lines,
    flipper_lines,
    input_value,
    price_rows,
    strategy_heading,
    warning_groups,
)

__all__ = ["md_text", "render_markdown"]

_MD_SPECIAL = re.compile(r"([\\`*_\[\]|#~])")


def md_text(text: object) -> str:
    """Return text safe inside Markdown: control characters removed, HTML and Markdown marks escaped,
    newlines turned into spaces (a table cell is one line)."""
    cleaned = clean_text(str(text)).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", cleaned).replace("\r", " ").replace("\n", " ")


def _table(head: Sequence[str], rows: Iterable[Sequence[str]], numeric_from: int = 1) -> list[str]:
    """Return the lines of a Markdown table; columns from `numeric_from` on are right-aligned."""
    aligns = ["---:" if i >= numeric_from else "---" for i in range(len(head))]
    lines = ["| " + " | ".join(md_text(h) for h in head) + " |", "|" + "|".join(aligns) + "|"]
    lines += ["| " + " | ".join(md_text(c) for c in row) + " |" for row in rows]
    return lines


def _bullets(items: Iterable[str]) -> list[str]:
    """Return one Markdown bullet per item."""
    return [f"- {md_text(i)}" for i in items]


def render_markdown(report: Report) -> bytes:
    """Return the report as UTF-8 Markdown bytes."""
    est = report.estimate
    heads = ["", *[strategy_heading(report, n) for n in report.strategies]]
    lines = [
        f"# {md_text(report.title)}",
        "",
        f"{est.horizon_months}-month estimate in {md_text(est.currency)} · scenario `{md_text(report.source)}`",
        "",
    ]
    description = clean_text(report.scenario.description or "").strip()
    if description:
        lines += [md_text(description), ""]
    lines += [f"**{md_text(report.decision)}**", ""]
    comp = report.comparison
    if comp is not None:
        d = comp.diff
        verdict = (
            f"The cheapest strategy flips: {label(d.old_cheapest)} → {label(d.new_cheapest)}."
            if d.cheapest_flipped
            else f"The cheapest strategy stays {label(d.old_cheapest)}."
        )
        lines += [
            "## What changed from scenario A",
            "",
            f"A: `{md_text(comp.baseline_source)}` · B: `{md_text(report.source)}`",
            "",
            verdict,
            "",
        ]
        lines += _table(["Strategy", "Figure", "A", "B", "Change"], comparison_rows(report), numeric_from=2)
        lines += ["", f"<details><summary>{len(d.changes)} inputs changed</summary>", ""]
        lines += _table(["Input", "A", "B"], [(c.path, input_value(c.old), input_value(c.new)) for c in d.changes])
        lines += ["", "</details>", ""]
        lines += _bullets(d.warnings)
    lines += ["## Side by side", ""]
    rows = [(row_label.strip(), *values) for row_label, values in report.rows]
    lines += _table(heads, rows)
    lines += ["", *_bullets(breakeven_lines(report)), ""]
    if report.uncertainty is not None:
        u = report.uncertainty
        lines += [f"P10–P90 from {u.samples:,} samples (seed {u.seed}) over {len(u.ranged)} ranged inputs.", ""]
    lines += ["## What the totals are made of", ""]
    lines += _table(["Cost line", *[label(n) for n in report.strategies]], contribution_rows(report))
    lines.append("")
    result = report.sensitivity
    if result is not None:
        name = result.cheapest
        swings = [s for s in result.strategies[name] if s.swing > 0][: report.top_inputs]
        lines += [f"## Which guesses matter: {label(name)}'s total", ""]
        lines += _table(
            ["Input", "Low → high", "Total at low → high", "Swing"],
            [
                (
                    s.input + (" ⇄" if s.input in result.flips else ""),
                    f"{input_value(s.low)} → {input_value(s.high)}",
                    f"{format_amount(s.total_low)} → {format_amount(s.total_high)}",
                    format_amount(s.swing),
                )
                for s in swings
            ],
        )
        lines += ["", *_bullets(flipper_lines(report)), ""]
    for title, items in warning_groups(report):
        lines += [f"## Warnings: {md_text(title.lower())}", "", *_bullets(items), ""]
    lines += ["## Fit (not a cost)", "", *_bullets(fit_lines(report)), ""]
    lines += ["## Prices used", ""]
    lines += _table(["Price", "Fields", "Used by", "Source", "As of"], price_rows(report), numeric_from=99)
    inputs = [(path, input_value(value)) for path, value in report.inputs.items()]
    lines += ["", f"<details><summary>The scenario's inputs ({len(inputs)})</summary>", ""]
    lines += _table(["Input", "Value"], inputs)
    lines += ["", "</details>", ""]
    lines.append(
        f"costmodel {md_text(report.version)} · {report.generated.isoformat()} · regenerate with "
        f"`{clean_text(report.command).replace('`', '')}`"
    )
    return ("\n".join(lines) + "\n").encode("utf-8")
