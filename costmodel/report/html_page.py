"""The report as one self-contained HTML file: charts inline as SVG, styles inline, no request of any kind.

No script, no web font, no link, no image file: the page opens offline and can be forwarded
as one file. It follows the reader's light or dark colour scheme and prints on paper
(`@media print`). Every text that comes from a scenario is cleaned of terminal escape
sequences and HTML-escaped.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape
from typing import Any

from costmodel.report.charts import chart_svg
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

__all__ = ["STYLE", "render_html"]

STYLE = """
:root { color-scheme: light dark; --bg: #ffffff; --fg: #1f2328; --muted: #5c636b; --grid: #d8dce0;
  --panel: #f5f7f9; --accent: #1f7a4d; --warn: #9a6700; }
@media (prefers-color-scheme: dark) {
  :root { --bg: #15181c; --fg: #e6e8ea; --muted: #a4abb3; --grid: #3a4048; --panel: #1e2227;
    --accent: #5fd39a; --warn: #e3b341; }
}
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 64rem; padding: 1.5rem; background: var(--bg); color: var(--fg);
  font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; }
h2 { font-size: 1.15rem; margin: 1.8rem 0 .5rem; border-bottom: 1px solid var(--grid); padding-bottom: .2rem; }
p.meta, footer, .muted { color: var(--muted); }
p.decision { font-size: 1.1rem; background: var(--panel); border-left: 4px solid var(--accent);
  padding: .7rem 1rem; margin: 1rem 0; }
table { border-collapse: collapse; width: 100%; margin: .3rem 0; font-variant-numeric: tabular-nums; }
th, td { padding: .25rem .5rem; border-bottom: 1px solid var(--grid); vertical-align: top; }
th { text-align: left; font-weight: 600; }
td.num, th.num { text-align: right; white-space: nowrap; }
tr.total td { font-weight: 700; }
th.cheapest, td.cheapest { color: var(--accent); }
.chart svg { display: block; width: 100%; height: auto; }
ul { padding-left: 1.2rem; margin: .3rem 0; }
li.warn { color: var(--warn); }
details { margin: .5rem 0; }
summary { cursor: pointer; font-weight: 600; }
code { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: .9em; }
footer { margin-top: 2rem; border-top: 1px solid var(--grid); padding-top: .5rem; font-size: .85rem; }
@media print {
  :root { --bg: #ffffff; --fg: #000000; --muted: #444444; --grid: #bbbbbb; --panel: #f2f2f2; --accent: #1f7a4d; }
  body { max-width: none; padding: 0; font-size: 11pt; }
  .chart, table, p.decision { break-inside: avoid; }
  h2 { break-after: avoid; }
}
"""


def _t(text: object) -> str:
    """Return scenario or figure text cleaned of control characters and HTML-escaped."""
    return escape(clean_text(str(text)), quote=True)


def _table(head: Sequence[str], rows: Iterable[Sequence[str]], numeric_from: int = 1) -> str:
    """Return an HTML table; cells from column `numeric_from` on are right-aligned; every cell escaped."""
    out = ["<table><thead><tr>"]
    out += [f"<th{' class=num' if i >= numeric_from else ''}>{_t(h)}</th>" for i, h in enumerate(head)]
    out.append("</tr></thead><tbody>")
    for row in rows:
        out.append(
            "<tr>"
            + "".join(f"<td{' class=num' if i >= numeric_from else ''}>{_t(c)}</td>" for i, c in enumerate(row))
            + "</tr>"
        )
    out.append("</tbody></table>")
    return "".join(out)


def _totals(report: Report) -> str:
    """Return the side-by-side table: the rows of `costmodel estimate`, cheapest column marked ★."""
    cheapest = report.estimate.cheapest
    head = ["<table><thead><tr><th></th>"]
    for name in report.strategies:
        cls = "num cheapest" if name == cheapest else "num"
        head.append(f'<th class="{cls}">{_t(strategy_heading(report, name))}</th>')
    head.append("</tr></thead><tbody>")
    for row_label, values in report.rows:
        cls = ' class="total"' if row_label.startswith("Total") else ""
        cells = "".join(
            f'<td class="num{" cheapest" if n == cheapest else ""}">{_t(v)}</td>'
            for n, v in zip(report.strategies, values, strict=True)
        )
        head.append(f"<tr{cls}><th>{_t(row_label.strip())}</th>{cells}</tr>")
    head.append("</tbody></table>")
    return "".join(head)


def _list(items: Iterable[str], cls: str = "") -> str:
    """Return an HTML list of escaped items (empty text when there are none)."""
    attr = f' class="{cls}"' if cls else ""
    entries = "".join(f"<li{attr}>{_t(i)}</li>" for i in items)
    return f"<ul>{entries}</ul>" if entries else ""


def _chart(report: Report, name: str) -> str:
    """Return one chart as an inline SVG figure."""
    return f'<div class="chart">{chart_svg(report, name)}</div>'


def _comparison(report: Report) -> str:
    """Return the section comparing scenario A with B: verdict, figure changes, changed inputs (collapsed)."""
    comp = report.comparison
    if comp is None:
        return ""
    d = comp.diff
    verdict = (
        f"The cheapest strategy flips: {label(d.old_cheapest)} → {label(d.new_cheapest)}."
        if d.cheapest_flipped
        else f"The cheapest strategy stays {label(d.old_cheapest)}."
    )
    parts = [
        "<h2>What changed from scenario A</h2>",
        f'<p class="meta">A: {_t(d.old_name)} ({_t(comp.baseline_source)}) · '
        f"B: {_t(d.new_name)} ({_t(report.source)})</p>",
        f"<p><strong>{_t(verdict)}</strong></p>",
        _table(["Strategy", "Figure", "A", "B", "Change"], comparison_rows(report), numeric_from=2),
    ]
    if d.changes:
        count = len(d.changes)
        rows = [(f"{c.path}", input_value(c.old), input_value(c.new)) for c in d.changes]
        parts.append(
            f"<details><summary>{count} input{'s' if count != 1 else ''} changed</summary>"
            + _table(["Input", "A", "B"], rows)
            + "</details>"
        )
    else:
        parts.append('<p class="muted">No input differs.</p>')
    parts.append(_list(d.warnings, "warn"))
    return "".join(parts)


def _head_meta(report: Report) -> str:
    """Return the line under the title: horizon, currency, where the scenario came from."""
    est = report.estimate
    return f"{est.horizon_months}-month estimate in {est.currency} · scenario {report.source}"


def render_html(report: Report) -> bytes:
    """Return the report page as UTF-8 HTML bytes: one self-contained file that makes no request."""
    description = clean_text(report.scenario.description or "").strip()
    body: list[str] = [
        f"<header><h1>{_t(report.title)}</h1>",
        f'<p class="meta">{_t(_head_meta(report))}</p>',
        f"<p>{_t(description)}</p>" if description else "",
        "</header>",
        f'<p class="decision">{_t(report.decision)}</p>',
        _comparison(report),
        "<h2>Side by side</h2>",
        _totals(report),
        _list(breakeven_lines(report)),
    ]
    if report.uncertainty is not None:
        u = report.uncertainty
        body.append(
            f'<p class="muted">P10–P90 from {u.samples:,} samples (seed {u.seed}) '
            f"over {len(u.ranged)} ranged inputs.</p>"
        )
    body += ["<h2>Cost over time</h2>", _chart(report, "cumulative"), _chart(report, "monthly")]
    body += ["<h2>What the totals are made of</h2>", _chart(report, "breakdown")]
    body.append(
        "<details><summary>Every cost line over the horizon</summary>"
        + _table(["Cost line", *[label(n) for n in report.strategies]], contribution_rows(report))
        + "</details>"
    )
    if report.sensitivity is not None:
        body += ["<h2>Which guesses matter</h2>", _chart(report, "tornado"), _list(flipper_lines(report))]
    groups = warning_groups(report)
    if groups:
        body.append("<h2>Warnings</h2>")
        for title, items in groups:
            body += [f"<p><strong>{_t(title)}</strong></p>", _list(items, "warn")]
    body += ["<h2>Fit (not a cost)</h2>", _list(fit_lines(report))]
    body += ["<h2>Prices used</h2>", _table(["Price", "Fields", "Used by", "Source", "As of"], price_rows(report), 99)]
    inputs = [(path, input_value(value)) for path, value in report.inputs.items()]
    ranges = [(path, _range_text(r)) for path, r in report.scenario.ranges.items()]
    body.append(
        f"<details><summary>The scenario's inputs ({len(inputs)})</summary>"
        + _table(["Input", "Value"], inputs)
        + (_table(["Ranged input", "Range"], ranges) if ranges else "")
        + "</details>"
    )
    body.append(
        f"<footer>costmodel {_t(report.version)} · {report.generated.isoformat()} · regenerate with "
        f"<code>{_t(report.command)}</code></footer>"
    )
    page = (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_t(report.title)} · costmodel report</title><style>{STYLE}</style></head>"
        f"<body>{''.join(body)}</body></html>\n"
    )
    return page.encode("utf-8")


def _range_text(r: Any) -> str:
    """Return a range as `low … high` (or `low … mode … high` for a PERT)."""
    points = [r.low, r.mode, r.high] if r.mode is not None else [r.low, r.high]
    return " … ".join(input_value(p) for p in points)
