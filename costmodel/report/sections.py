"""The texts and table rows of a report page that every format shares (plain text; formats escape it).

Pure functions of a Report; amounts formatted as the CLI formats them (costmodel.model.money).
"""

from __future__ import annotations

from typing import Any

from costmodel.model.money import format_money, format_per_request
from costmodel.model.notices import Severity
from costmodel.report.contents import Report, clean_text, label, unavailable
from costmodel.report.render import breakeven_sentences

__all__ = [
    "breakeven_lines",
    "comparison_lines",
    "comparison_rows",
    "contribution_rows",
    "fit_lines",
    "flipper_lines",
    "format_input",
    "input_value",
    "price_rows",
    "strategy_heading",
    "warning_groups",
]

_DIFF_FIGURES = (
    ("upfront", "Upfront"),
    ("per_request", "Per request"),
    ("monthly", "Monthly, month 1"),
    ("total", "Total"),
)


def strategy_heading(report: Report, name: str) -> str:
    """Return a column heading: the label, ★ before the cheapest, `(unavailable)` after one the engine rules out."""
    text = ("★ " if name == report.estimate.cheapest else "") + label(name)
    return text + (" (unavailable)" if name in unavailable(report.estimate) else "")


def format_input(value: Any) -> str:
    """Return an input value as a reader expects it: numbers with separators, booleans lower-case."""
    if value is None:
        return "(absent)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        if float(value).is_integer() and abs(value) < 1e15:
            return f"{int(value):,}"
        return f"{value:,.6g}"
    return str(value)


def input_value(value: Any) -> str:
    """Return an input value as `format_input` does, its text cleaned (costmodel.report.contents.clean_text)."""
    return clean_text(format_input(value))


def breakeven_lines(report: Report) -> list[str]:
    """Return one sentence per break-even within the horizon, or one saying there is none."""
    lines = breakeven_sentences(report.estimate)
    return lines or ["No strategy catches up with another within the horizon."]


def contribution_rows(report: Report) -> list[list[str]]:
    """Return one row per cost line: its label, then its contribution to each strategy's total (or `-`)."""
    cur = report.estimate.currency
    order: list[str] = []
    by_line: dict[str, dict[str, float]] = {}
    for name, segments in report.contributions.items():
        for seg in segments:
            if seg.label not in by_line:
                order.append(seg.label)
                by_line[seg.label] = {}
            by_line[seg.label][name] = seg.amount
    rows = [
        [line, *[format_money(by_line[line][n], cur) if n in by_line[line] else "-" for n in report.strategies]]
        for line in order
    ]
    rows.append(["Total", *[format_money(report.estimate.strategies[n].total, cur) for n in report.strategies]])
    return rows


def flipper_lines(report: Report) -> list[str]:
    """Return the decision flippers (inputs whose swing can change the cheapest strategy), or why there are none."""
    result = report.sensitivity
    if result is None:
        return []
    if not result.decision_flippers:
        return [
            f"No single input, swung over its range (or ±20 %), makes another strategy cheaper than "
            f"{label(result.cheapest)}."
        ]
    return [
        f"⇄ {path}: {', '.join(label(n) for n in result.flips[path])} becomes cheapest somewhere in its range"
        for path in result.decision_flippers
    ]


_SEVERITY_TITLES = {
    Severity.DECISION: "Changes what can be chosen",
    Severity.COST: "A cost is understated",
    Severity.AGE: "Prices to check",
}


def warning_groups(report: Report) -> list[tuple[str, list[str]]]:
    """Return the warnings by severity, most serious first: strategies ruled out, then what changes the
    choice, what understates a cost, and the prices to check (costmodel.model.notices); each in full."""
    groups = []
    missing = [
        f"{label(n)} is not available over the horizon" + (f": {why}" if why else "")
        for n, why in unavailable(report.estimate).items()
    ]
    if missing:
        groups.append(("Not available", missing))
    for severity, title in _SEVERITY_TITLES.items():
        items = [clean_text(w.full_text()) for w in report.warnings if w.severity == severity]
        if items:
            groups.append((title, items))
    return groups


def fit_lines(report: Report) -> list[str]:
    """Return one line per strategy with its fit verdict and reasons (fit advice never changes a cost)."""
    strategies = report.fit.get("strategies", {})
    return [f"{label(n)}: {clean_text(strategies[n]['summary'])}" for n in report.strategies if n in strategies]


def price_rows(report: Report) -> list[list[str]]:
    """Return one row per price used: `kind name`, fields, users, source and date (`unknown` when not given)."""
    return [
        [
            f"{p['kind']} {clean_text(str(p['name']))}",
            ", ".join(p["fields"]),
            ", ".join(p["used_by"]),
            clean_text(str(p["source"])) if p.get("source") else "unknown",
            str(p["as_of"]) if p.get("as_of") else "unknown",
        ]
        for p in report.prices
    ]


def _delta(figure: str, delta: float, percent: float | None, currency: str) -> str:
    """Return a signed change such as `+USD 1,200 (+4.8%)`, or `no change`."""
    if delta == 0:
        return "no change"
    sign = "+" if delta > 0 else "-"
    amount = format_per_request(abs(delta), currency) if figure == "per_request" else format_money(abs(delta), currency)
    share = f" ({percent:+.1f}%)" if percent is not None else ""
    return f"{sign}{amount}{share}"


def comparison_lines(report: Report, inputs_shown: int = 8) -> list[str]:
    """Return the comparison in short lines: the verdict, each strategy's total A → B, the inputs
    that differ (the first `inputs_shown`, then how many more); empty when not comparing."""
    comp = report.comparison
    if comp is None:
        return []
    d = comp.diff
    if d.cheapest_flipped:
        lines = [f"The cheapest strategy flips: {label(d.old_cheapest)} → {label(d.new_cheapest)}."]
    else:
        lines = [f"The cheapest strategy stays {label(d.old_cheapest)}."]
    lines += [f"{row[0] or ''} total: {row[2]} → {row[3]} ({row[4]})" for row in _totals_only(report)]
    changed = [f"{c.path}: {input_value(c.old)} → {input_value(c.new)}" for c in d.changes[:inputs_shown]]
    more = len(d.changes) - inputs_shown
    lines.append("Inputs changed: " + ("; ".join(changed) or "none") + (f"; … {more} more" if more > 0 else ""))
    return lines + [clean_text(w) for w in d.warnings]


def _totals_only(report: Report) -> list[list[str]]:
    """Return the comparison rows of the totals, each with its strategy's label in front."""
    rows, current = [], ""
    for row in comparison_rows(report):
        current = row[0] or current
        if row[1] == "Total":
            rows.append([current, *row[1:]])
    return rows


def comparison_rows(report: Report) -> list[list[str]]:
    """Return the comparison's rows: strategy, figure, A, B, change (empty when not comparing)."""
    comp = report.comparison
    if comp is None:
        return []
    d = comp.diff
    rows = []
    for name in report.strategies:
        if name not in d.strategies:
            continue
        for i, (figure, text) in enumerate(_DIFF_FIGURES):
            change = getattr(d.strategies[name], figure)
            money = format_per_request if figure == "per_request" else format_money
            rows.append(
                [
                    label(name) if i == 0 else "",
                    text,
                    money(change.old, d.old_currency),
                    money(change.new, d.new_currency),
                    _delta(figure, change.delta, change.percent, d.new_currency),
                ]
            )
    return rows
