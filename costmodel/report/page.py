"""The report as one matplotlib page: the same charts and tables as the HTML, for PNG, PDF and SVG.

One figure 12.8 inches wide (1280 px at 100 dpi) laid out top to bottom: title, decision,
the side-by-side totals, the four charts two by two, then break-evens, decision flippers,
warnings, fit, prices and the footer. Everything is placed at fixed positions computed here
(no layout engine), so a page renders in a fraction of a second. matplotlib is imported
only inside these functions.
"""

from __future__ import annotations

import io
import textwrap
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

from costmodel.report.charts import CHARTS, LIGHT, mpl_settings, mpl_text, new_figure, strategy_colour
from costmodel.report.contents import Report
from costmodel.report.sections import (
    breakeven_lines,
    comparison_lines,
    fit_lines,
    flipper_lines,
    price_rows,
    strategy_heading,
    warning_groups,
)

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["PAGE_DPI", "PAGE_WIDTH", "page_figure", "render_page"]

PAGE_WIDTH = 12.8
"""Inches; at PAGE_DPI the PNG is 1280 px wide."""
PAGE_DPI = 100
_MARGIN = 0.45  # inches, left and right
_LINE = 0.24  # inches per line of 10-point text
_CHART_HEIGHT = 4.0  # inches per row of charts
_WRAP = 150  # characters per line of 10-point text across the page


@dataclass
class _Block:
    """A piece of the page: its height in inches and how it draws itself at a top edge (inches from the top)."""

    height: float
    kind: str
    payload: object = None
    extra: dict[str, object] = field(default_factory=dict)


def _wrapped(text: str, width: int = _WRAP) -> list[str]:
    """Return `text` cleaned and wrapped to lines of at most `width` characters."""
    return textwrap.wrap(mpl_text(text), width) or [""]


def _blocks(report: Report) -> list[_Block]:
    """Return the page's blocks from top to bottom."""
    est = report.estimate
    blocks = [
        _Block(0.5, "title", report.title),
        _Block(_LINE, "meta", f"{est.horizon_months}-month estimate in {est.currency} · scenario {report.source}"),
    ]
    decision = _wrapped(report.decision, 120)
    blocks.append(_Block(0.3 * len(decision) + 0.25, "decision", decision))
    changes = [line for item in comparison_lines(report) for line in _wrapped("• " + item)]
    if changes:
        heading = "What changed from scenario A"
        blocks.append(_Block(_LINE * (len(changes) + 1.9), "notes", heading, {"lines": changes}))
    blocks.append(_Block(_LINE * (len(report.rows) + 1.6), "totals"))
    blocks.append(_Block(_CHART_HEIGHT, "charts", ("cumulative", "monthly")))
    blocks.append(_Block(_CHART_HEIGHT + 1.8, "charts", ("breakdown", "tornado")))
    notes: list[tuple[str, list[str]]] = [("Break-even", breakeven_lines(report))]
    flippers = flipper_lines(report)
    if flippers:
        notes.append(("Decision flippers", flippers))
    notes += warning_groups(report)
    notes.append(("Fit (not a cost)", fit_lines(report)))
    prices = [f"{r[0]} ({r[2]}): source {r[3]}, as of {r[4]}" for r in price_rows(report)]
    if prices:
        notes.append(("Prices used", prices))
    for heading, items in notes:
        lines = [line for item in items for line in _wrapped("• " + item)]
        blocks.append(_Block(_LINE * (len(lines) + 1.3), "notes", heading, {"lines": lines}))
    footer = _wrapped(
        f"costmodel {report.version} · {report.generated.isoformat()} · regenerate with: {report.command}"
    )
    blocks.append(_Block(_LINE * (len(footer) + 0.8), "footer", footer))
    return blocks


def _draw_totals(fig: Figure, report: Report, top: float, page_height: float) -> None:
    """Draw the side-by-side rows as text columns, the cheapest column in its strategy colour."""
    names = report.strategies
    label_width = 3.2
    column = (PAGE_WIDTH - 2 * _MARGIN - label_width) / max(len(names), 1)

    def y(inches: float) -> float:
        return 1 - inches / page_height

    def x(inches: float) -> float:
        return inches / PAGE_WIDTH

    def column_text(i: int, baseline: float, text: str, fontsize: float, fontweight: str, color: str) -> None:
        """Draw `text` right-aligned in column `i` (0 is the first strategy) on the line at `baseline` inches."""
        fig.text(
            x(_MARGIN + label_width + column * (i + 1)),
            y(baseline),
            text,
            ha="right",
            va="baseline",
            fontsize=fontsize,
            fontweight=fontweight,
            color=color,
        )

    row_top = top + _LINE * 0.8
    for i, name in enumerate(names):
        cheapest = name == report.estimate.cheapest
        colour = strategy_colour(report, name) if cheapest else LIGHT.fg
        column_text(i, row_top, strategy_heading(report, name), 10.5, "bold", colour)
    for r, (row_label, values) in enumerate(report.rows, start=1):
        baseline = row_top + r * _LINE
        bold = "bold" if row_label.startswith("Total") else "normal"
        fig.text(x(_MARGIN), y(baseline), row_label.strip(), va="baseline", fontsize=10, color=LIGHT.muted)
        for i, value in enumerate(values):
            if row_label == "Available":  # the reasons, too long for a column, are listed under "Not available"
                value = "no" if value.startswith("not available") else value
            column_text(i, baseline, value, 10, bold, LIGHT.fg)


def page_figure(report: Report) -> Figure:
    """Return the whole report as one matplotlib Figure PAGE_WIDTH inches wide, on white."""
    blocks = _blocks(report)
    page_height = sum(b.height for b in blocks) + 0.5
    fig = new_figure((PAGE_WIDTH, page_height))
    fig.patch.set_alpha(1)
    fig.patch.set_facecolor("white")
    top = 0.3

    def y(inches: float) -> float:
        return 1 - inches / page_height

    left = _MARGIN / PAGE_WIDTH
    for block in blocks:
        if block.kind == "title":
            fig.text(left, y(top + 0.38), mpl_text(str(block.payload)), fontsize=18, fontweight="bold", color=LIGHT.fg)
        elif block.kind == "meta":
            fig.text(left, y(top + 0.17), mpl_text(str(block.payload)), fontsize=10, color=LIGHT.muted)
        elif block.kind == "decision":
            for i, line in enumerate(cast("list[str]", block.payload)):
                fig.text(left, y(top + 0.3 + 0.3 * i), line, fontsize=12.5, color=LIGHT.fg)
        elif block.kind == "totals":
            _draw_totals(fig, report, top, page_height)
        elif block.kind == "charts":
            width = (PAGE_WIDTH - 2 * _MARGIN) / 2
            for i, name in enumerate(cast("list[str]", block.payload)):
                chart = CHARTS[name]
                m_left, _, m_right, _ = chart.margins
                x0 = _MARGIN + i * width
                box_left = x0 + width * m_left * (1.45 if name == "tornado" else 0.85)
                box_width = x0 + width * m_right - box_left - 0.2
                bottom_pad = 2.1 if name == "breakdown" else 0.55
                box_bottom = top + block.height - bottom_pad
                box_height = block.height - bottom_pad - 0.45
                ax = fig.add_axes(
                    (box_left / PAGE_WIDTH, y(box_bottom), box_width / PAGE_WIDTH, box_height / page_height)
                )
                chart.draw(ax, report, LIGHT)
        elif block.kind == "notes":
            fig.text(left, y(top + _LINE), str(block.payload), fontsize=10.5, fontweight="bold", color=LIGHT.fg)
            for i, line in enumerate(cast("list[str]", block.extra["lines"])):
                fig.text(left, y(top + _LINE * (i + 2)), line, fontsize=9.5, color=LIGHT.fg)
        elif block.kind == "footer":
            for i, line in enumerate(cast("list[str]", block.payload)):
                fig.text(left, y(top + _LINE * (i + 1)), line, fontsize=8.5, color=LIGHT.muted)
        top += block.height
    return fig


def render_page(report: Report, fmt: str) -> bytes:
    """Return the report page as `fmt` bytes: `png` (1280 px wide), `pdf` (one page) or `svg` (text kept as text).

    PNG and PDF carry the decision and every total in their metadata (Title, Description or
    Subject), so a reader, an indexer or a test finds the figures without OCR.
    """
    if fmt not in ("png", "pdf", "svg"):
        raise ValueError(f"page formats are png, pdf and svg, got {fmt!r}")
    with mpl_settings(f"page-{fmt}"):
        fig = page_figure(report)
        buffer = io.BytesIO()
        title = f"{report.title}: costmodel report"
        summary = f"{report.decision} Totals: {report.totals_line}"
        metadata: dict[str, Any]
        if fmt == "png":
            metadata = {"Title": title, "Description": summary, "Software": f"costmodel {report.version}"}
        elif fmt == "pdf":
            metadata = {"Title": title, "Subject": summary, "Creator": f"costmodel {report.version}"}
        else:
            metadata = {"Title": title, "Description": summary, "Date": None}
        fig.savefig(buffer, format=fmt, dpi=PAGE_DPI, metadata=metadata, facecolor="white")
    if fmt == "png":
        return _palette_png(buffer.getvalue(), metadata)
    return buffer.getvalue()


def _palette_png(data: bytes, metadata: dict[str, str]) -> bytes:
    """Return a PNG re-encoded with a 256-colour palette (about a third of the size; the page has
    few colours) with the same text metadata."""
    from PIL import Image, PngImagePlugin

    info = PngImagePlugin.PngInfo()
    for key, value in metadata.items():
        info.add_itxt(key, value)
    with Image.open(io.BytesIO(data)) as image:
        palette = image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
    out = io.BytesIO()
    palette.save(out, format="png", pnginfo=info)
    return out.getvalue()
