"""Faces of an Estimate for machines and documents: JSON, CSV and Markdown (no computing here).

The rich table lives in `report_table.py` so that the JSON path never imports rich.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from costmodel.model.money import format_amount, format_money, format_per_request, format_small
from costmodel.model.names import STRATEGY_LABELS

if TYPE_CHECKING:
    from costmodel.analysis.decision import Decision
    from costmodel.analysis.staffing import Staffing
    from costmodel.model.engine import Estimate

__all__ = [
    "STRATEGY_LABELS",
    "availability_row",
    "breakeven_sentences",
    "column_label",
    "fit_sentences",
    "format_amount",
    "format_money",
    "format_per_request",
    "option_rows",
    "staffing_note",
    "staffing_rows",
    "summary_rows",
    "table_rows",
    "to_csv",
    "to_json",
    "to_markdown",
]


def _count(value: float) -> str:
    """Return a large count compactly: `23.0M`, `540k`, `950`."""
    if value >= 1e6:
        return f"{value / 1e6:,.1f}M"
    if value >= 1e4:
        return f"{value / 1e3:,.0f}k"
    return f"{value:,.0f}"


def _days(value: float) -> str:
    """Return a count of days or hours with up to two decimals, e.g. `0.06`, `133.33`, `15`."""
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return text if text not in ("", "-0") else "0"


RANGE_LABEL = "  P10–P90"


NOT_AVAILABLE = "not available"


def column_label(est: Estimate, name: str, star: str = "★ ", unavailable: str = " (not available)") -> str:
    """Return a column heading: the label, `star` before the cheapest, `unavailable` after one not available."""
    s = est.strategies[name]
    text = s.label
    if name == est.cheapest and s.available:
        text = f"{star}{text}"
    if not s.available:
        text += unavailable
    return text


def short_reason(because: str) -> str:
    """Return an unavailability reason without its parenthesised details, e.g.
    "fine-tuning of gpt-4.1-mini ends 2027-01-06" (several reasons stay joined by "; ")."""
    return "; ".join(reason.split(" (", 1)[0] for reason in because.split("; "))


def availability_row(est: Estimate) -> tuple[str, list[str]] | None:
    """Return the "Available" row (yes, or "not available: why" per strategy), or None when every strategy is."""
    s = list(est.strategies.values())
    if all(x.available for x in s):
        return None
    return (
        "Available",
        ["yes" if x.available else f"{NOT_AVAILABLE}: {short_reason(x.unavailable_because or '')}" for x in s],
    )


def _interval_row(uncertainty: dict[str, Any], figure: str, per_request: bool) -> list[str]:
    """Return one 'low–high' text per strategy (P10 to P90, without the currency code) for a figure."""
    texts = []
    for name in uncertainty["strategies"]:
        p = uncertainty["strategies"][name][figure]
        if per_request:
            low, high = format_small(p["p10"]), format_small(p["p90"])
        else:
            low, high = format_amount(p["p10"]), format_amount(p["p90"])
        texts.append(f"{low}–{high}")
    return texts


def summary_rows(
    est: Estimate, uncertainty: dict[str, Any] | None = None, fit: dict[str, Any] | None = None
) -> list[tuple[str, list[str]]]:
    """Return the side-by-side rows (label, one text per strategy) shown by every table face.

    With `uncertainty` (the JSON `uncertainty` object) a `P10–P90` row follows the upfront,
    per-request and total rows, and a `P(cheapest)` row ends the costs; with `fit` (the
    JSON `fit` object) a `Fit` row gives each strategy's verdict.
    """
    cur = est.currency
    h = est.horizon_months
    names = tuple(est.strategies)
    s = list(est.strategies.values())
    rows = _point_rows(est, cur, h, s)
    if uncertainty is not None:
        for label, figure, per_request in (
            (f"Total over {h} months", "total", False),
            ("Per request", "per_request", True),
            ("Upfront", "upfront", False),
        ):
            at = next(i for i, row in enumerate(rows) if row[0] == label)
            rows.insert(at + 1, (RANGE_LABEL, _interval_row(uncertainty, figure, per_request)))
        p = uncertainty["p_cheapest"]
        at = next(i for i, row in enumerate(rows) if row[0].startswith("Total")) + 2
        rows.insert(at, ("P(cheapest)", [f"{100 * p.get(name, 0.0):.0f} %" for name in names]))
    if fit is not None:
        rows.append(("Fit (not a cost)", [fit["strategies"][name]["verdict"] for name in names]))
    return rows


def fit_sentences(fit: dict[str, Any]) -> list[str]:
    """Return one sentence per strategy with its fit verdict and the reasons behind it."""
    return [f"Fit of {STRATEGY_LABELS[name]}: {item['summary']}" for name, item in fit["strategies"].items()]


def _point_rows(est: Estimate, cur: str, h: int, s: list[Any]) -> list[tuple[str, list[str]]]:
    """Return the rows of point figures (docs/model.md's estimate), one text per strategy.

    An "Available" row leads when a strategy is not available over the horizon.
    """
    available = availability_row(est)
    return [
        *([available] if available is not None else []),
        ("Upfront", [format_money(x.upfront, cur) for x in s]),
        ("Per knowledge update", [format_money(x.per_update, cur) for x in s]),
        ("Per request", [format_per_request(x.per_request, cur) for x in s]),
        (
            "Per 1k requests (all-in)",
            ["-" if x.cost_per_1k_requests is None else format_per_request(x.cost_per_1k_requests, cur) for x in s],
        ),
        ("Monthly, month 1", [format_money(x.monthly_cost[1], cur) for x in s]),
        (f"Monthly, month {h}", [format_money(x.monthly_cost[h], cur) for x in s]),
        (f"Total over {h} months", [format_money(x.total, cur) for x in s]),
        ("Engineer-days up front", [_days(x.effort.upfront_engineer_days) for x in s]),
        ("Expert-hours up front", [_days(x.effort.upfront_expert_hours) for x in s]),
        ("Engineer-days per update", [_days(x.effort.per_update_engineer_days) for x in s]),
        ("Expert-hours per update", [_days(x.effort.per_update_expert_hours) for x in s]),
        ("Engineer-days per month", [_days(x.effort.monthly_engineer_days) for x in s]),
        ("Expert-hours per month", [_days(x.effort.monthly_expert_hours) for x in s]),
        *option_rows(est),
    ]


def option_rows(est: Estimate) -> list[tuple[str, list[str]]]:
    """Return rows for the pricing options in use (none when every option is off).

    A self-hosted capacity row (requests/month the always-on GPUs serve, `-` for API
    strategies) and a row of vector-DB minimum top-ups over the horizon.
    """
    s = list(est.strategies.values())
    rows: list[tuple[str, list[str]]] = []
    if any(x.capacity_requests_per_month is not None for x in s):
        rows.append(
            (
                "GPU capacity, requests/month",
                ["-" if x.capacity_requests_per_month is None else _count(x.capacity_requests_per_month) for x in s],
            )
        )
    if any(x.minimum_topup_total for x in s):
        rows.append(
            (
                f"Vector-DB minimum top-ups, {est.horizon_months} months",
                [format_money(x.minimum_topup_total, est.currency) for x in s],
            )
        )
    return rows


def staffing_rows(staffing: Staffing) -> list[tuple[str, list[str]]]:
    """Return the engineers each strategy needs, build phase and running month (FTE, one text per strategy).

    A strategy that needs more engineers than `team.engineers` is marked `!`.
    """
    rows = list(staffing.strategies.values())
    team = staffing.engineers

    def fte(value: float) -> str:
        return f"{value:.2f}" + (" !" if team is not None and value > team else "")

    return [
        ("Engineers, build (FTE)", [fte(s.build_fte) for s in rows]),
        ("Engineers a month (FTE)", [fte(s.running_fte) for s in rows]),
    ]


def staffing_note(staffing: Staffing) -> str:
    """Return the sentence that says how the engineers-needed rows are counted and what the team has."""
    team = "not stated" if staffing.engineers is None else f"{staffing.engineers:g}"
    return (
        f"Engineers (FTE): build engineer-days over {staffing.build_months:g} months; monthly engineer-days "
        f"(upkeep, updates, releases) at {staffing.working_days_per_month:.1f} working days a month; "
        f"team: {team} (! = more than the team)"
    )


def breakeven_sentences(est: Estimate) -> list[str]:
    """Return one sentence per ordered pair that breaks even within the horizon."""
    return [
        f"{STRATEGY_LABELS[b.a]} catches up with {STRATEGY_LABELS[b.b]} in month {b.month}"
        for b in est.breakeven
        if b.month is not None
    ]


def to_json(est: Estimate, extra: dict[str, Any] | None = None) -> str:
    """Return The JSON of an estimate (docs/model.md) (unrounded floats), with `extra` keys merged in."""
    data = est.to_dict()
    if extra:
        data.update(extra)
    return json.dumps(data, indent=2, allow_nan=False)


def to_csv(est: Estimate) -> str:
    """Return the timeline as CSV: month, requests, then cost and cumulative per strategy."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    header = ["month", "requests"]
    for name in est.strategies:
        header += [f"{name}_cost", f"{name}_cumulative"]
    writer.writerow(header)
    columns = list(est.strategies.values())
    for month, requests in enumerate(est.requests):
        row: list[Any] = [month, repr(requests)]
        for s in columns:
            row += [repr(s.monthly_cost[month]), repr(s.cumulative[month])]
        writer.writerow(row)
    return buffer.getvalue()


def table_rows(
    est: Estimate,
    uncertainty: dict[str, Any] | None = None,
    fit: dict[str, Any] | None = None,
    staffing: Staffing | None = None,
) -> list[tuple[str, list[str]]]:
    """Return the side-by-side table's rows, the summary then the engineers-needed rows (when `staffing` is given)."""
    return summary_rows(est, uncertainty, fit) + (staffing_rows(staffing) if staffing is not None else [])


def to_markdown(
    est: Estimate,
    uncertainty: dict[str, Any] | None = None,
    fit: dict[str, Any] | None = None,
    warnings: Sequence[str] | None = None,
    decision: Decision | None = None,
    staffing: Staffing | None = None,
) -> str:
    """Return the side-by-side table as GitHub Markdown, cheapest marked, for a README or PR.

    `uncertainty` and `fit` (the JSON objects) add P10–P90 rows and the fit verdicts;
    `warnings` replaces the engine's warnings (faces pass them with the price warnings added);
    `decision` adds its sentence under the table; `staffing` adds the engineers-needed rows.
    """
    labels = [
        column_label(est, n, star="") + (" (cheapest)" if n == est.cheapest and s.available else "")
        for n, s in est.strategies.items()
    ]
    lines = [
        f"### {est.scenario}: {est.horizon_months}-month estimate ({est.currency})",
        "",
        "| | " + " | ".join(labels) + " |",
        "|---|" + "---:|" * len(labels),
    ]
    rows = table_rows(est, uncertainty, fit, staffing)
    for label, values in rows:
        if label.startswith("Total"):
            values = [f"**{v}**" for v in values]
        lines.append(f"| {label.strip()} | " + " | ".join(values) + " |")
    if decision is not None:
        lines += ["", f"**{decision.sentence}.**"]
    shown = est.warnings if warnings is None else warnings
    notes = breakeven_sentences(est) + [f"Warning: {w}" for w in shown]
    if staffing is not None:
        notes.append(staffing_note(staffing))
    if fit is not None:
        notes += fit_sentences(fit)
    if notes:
        lines.append("")
        lines += [f"- {n}" for n in notes]
    return "\n".join(lines) + "\n"
