"""The report's charts, drawn with matplotlib onto axes that any format lays out.

matplotlib is an optional extra (`pip install 'costmodel[report]'`) and is imported only
inside the functions here, never when this module is imported: the CLI's estimate path and
the terminal UI never load it. Figures are built with `matplotlib.figure.Figure` (no pyplot,
no global backend state). Amounts on the axes are in the scenario's currency.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from costmodel.model.errors import CostmodelError
from costmodel.model.money import format_amount
from costmodel.report.contents import Report, Segment, clean_text, label, short_label

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = [
    "CHARTS",
    "INSTALL_HINT",
    "LIGHT",
    "SENTINEL",
    "Chart",
    "Theme",
    "chart_svg",
    "draw_breakdown",
    "draw_cumulative",
    "draw_monthly",
    "draw_tornado",
    "ensure_matplotlib",
    "grouped_segments",
    "inline_svg",
    "mpl_settings",
    "mpl_text",
    "new_figure",
    "strategy_colour",
]

INSTALL_HINT = "pip install 'costmodel[report]'"

# Strategy colours by position in the estimate's order: readable on white and on a dark page.
_STRATEGY_COLOURS = ("#3b76d6", "#e0801a", "#2f9e62", "#a35bc8", "#c94c5a", "#6c8a99")
# Cost-line colours for the stacked bars, by first appearance.
_LINE_COLOURS = (
    "#4e79a7",
    "#f28e2b",
    "#59a14f",
    "#e15759",
    "#76b7b2",
    "#edc948",
    "#b07aa1",
    "#ff9da7",
    "#9c755f",
    "#86bcb6",
    "#d4a6c8",
    "#8cd17d",
)
_OTHER_COLOUR = "#a0a4a8"
_SMALL_SHARE = 0.03  # lines below this share of the largest total are merged into "other lines"


@dataclass(frozen=True, slots=True)
class Theme:
    """Colours of text, axes and grid lines (hex); the strategy and cost-line colours do not change."""

    fg: str
    muted: str
    grid: str


LIGHT = Theme(fg="#1f2328", muted="#5c636b", grid="#d8dce0")
"""The theme of PNG, PDF and SVG pages (a white page)."""
SENTINEL = Theme(fg="#010203", muted="#040506", grid="#070809")
"""Unlikely colours that the HTML page swaps for CSS variables, so that charts follow light and dark mode."""
SENTINEL_VARS: dict[str, str] = {
    SENTINEL.fg: "var(--fg)",
    SENTINEL.muted: "var(--muted)",
    SENTINEL.grid: "var(--grid)",
}


def ensure_matplotlib() -> None:
    """Import matplotlib or raise CostmodelError (exit 2) naming the exact install command."""
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        raise CostmodelError(f"charts need matplotlib, an optional extra: {INSTALL_HINT}") from None


def mpl_text(text: str) -> str:
    """Return scenario text for matplotlib: control characters removed (drawing happens under
    `mpl_settings`, which switches mathtext off, so `$` is shown as it is)."""
    return clean_text(text)


def strategy_colour(report: Report, name: str) -> str:
    """Return the hex colour of strategy `name`, by its position in the report's strategies."""
    return _STRATEGY_COLOURS[report.strategies.index(name) % len(_STRATEGY_COLOURS)]


def _money_axis(ax: Axes, theme: Theme, axis: str = "y") -> None:
    """Format an axis's ticks as whole amounts with separators and style the axes with `theme`."""
    from matplotlib.ticker import FuncFormatter

    formatter = FuncFormatter(lambda value, _pos: _short_amount(value))
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(formatter)
    _style(ax, theme)


def _short_amount(value: float) -> str:
    """Return an axis amount compactly: `1.2M`, `250k`, `900`."""
    size = abs(value)
    if size >= 1e6:
        return f"{value / 1e6:,.1f}M".replace(".0M", "M")
    if size >= 1e3:
        return f"{value / 1e3:,.0f}k"
    return f"{value:,.0f}"


def _style(ax: Axes, theme: Theme) -> None:
    """Give axes the theme's colours, a light grid and no top or right spine."""
    ax.set_facecolor("none")
    ax.tick_params(colors=theme.muted, labelcolor=theme.fg, labelsize=9)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_color(theme.grid)
    ax.grid(True, color=theme.grid, linewidth=0.6)
    ax.set_axisbelow(True)
    ax.xaxis.label.set_color(theme.muted)
    ax.yaxis.label.set_color(theme.muted)


def _legend(ax: Axes, theme: Theme, **kwargs: Any) -> None:
    """Draw a frameless legend in the theme's text colour."""
    legend = ax.legend(frameon=False, fontsize=9, **kwargs)
    for text in legend.get_texts():
        text.set_color(theme.fg)


def draw_cumulative(ax: Axes, report: Report, theme: Theme) -> None:
    """Draw each strategy's cumulative cost by month (0..H), break-even months marked, P10–P90 bands
    when the report has a Monte Carlo, and the baseline's lines dashed when comparing."""
    est = report.estimate
    months = list(range(est.horizon_months + 1))
    bands = report.uncertainty.bands if report.uncertainty is not None else {}
    for name, s in est.strategies.items():
        colour = strategy_colour(report, name)
        ax.plot(months, s.cumulative, color=colour, linewidth=2, label=label(name))
        if name in bands:
            low, high = bands[name]
            ax.fill_between(months, low, high, color=colour, alpha=0.18, linewidth=0)
    if report.comparison is not None:
        base = report.comparison.baseline
        for name, s in base.strategies.items():
            if name in est.strategies and len(s.cumulative) == len(months):
                ax.plot(months, s.cumulative, color=strategy_colour(report, name), linewidth=1, linestyle="--")
    for b in est.breakeven:
        if b.month is None:
            continue
        y = est.strategies[b.a].cumulative[b.month]
        ax.plot([b.month], [y], marker="o", markersize=6, color=theme.fg, zorder=5)
        ax.annotate(
            f"{short_label(b.a)} = {short_label(b.b)}, month {b.month}",
            (b.month, y),
            xytext=(6, -12),
            textcoords="offset points",
            fontsize=8,
            color=theme.fg,
        )
    title = f"Cumulative cost over {est.horizon_months} months ({est.currency})"
    if bands:
        title += ", P10–P90 shaded"
    if report.comparison is not None:
        title += "; dashed: scenario A"
    ax.set_title(title, fontsize=11, loc="left", color=theme.fg)
    ax.set_xlabel("month")
    ax.set_xlim(0, est.horizon_months)
    _money_axis(ax, theme)
    _legend(ax, theme, loc="best")


def draw_monthly(ax: Axes, report: Report, theme: Theme) -> None:
    """Draw each strategy's cost in each month 1..H (the run rate; the upfront build is left out)."""
    est = report.estimate
    months = list(range(1, est.horizon_months + 1))
    for name, s in est.strategies.items():
        ax.plot(months, s.monthly_cost[1:], color=strategy_colour(report, name), linewidth=2, label=label(name))
    ax.set_title(
        f"Monthly cost, months 1–{est.horizon_months} ({est.currency})", fontsize=11, loc="left", color=theme.fg
    )
    ax.set_xlabel("month")
    ax.set_xlim(1, max(est.horizon_months, 2))
    ax.set_ylim(bottom=0)
    _money_axis(ax, theme)
    _legend(ax, theme, loc="best")


def grouped_segments(report: Report) -> dict[str, list[Segment]]:
    """Return each strategy's segments with lines below 3 % of the largest total merged into `other lines`."""
    largest = max((s.total for s in report.estimate.strategies.values()), default=0.0)
    out: dict[str, list[Segment]] = {}
    for name, segments in report.contributions.items():
        kept = [seg for seg in segments if abs(seg.amount) >= _SMALL_SHARE * largest]
        rest = sum(seg.amount for seg in segments if abs(seg.amount) < _SMALL_SHARE * largest)
        out[name] = kept + ([Segment("other lines", rest)] if rest else [])
    return out


def draw_breakdown(ax: Axes, report: Report, theme: Theme) -> None:
    """Draw one horizontal stacked bar per strategy: its total over the horizon split by cost line."""
    groups = grouped_segments(report)
    names = list(report.strategies)
    colours: dict[str, str] = {}
    for segments in groups.values():
        for seg in segments:
            if seg.label not in colours:
                colours[seg.label] = (
                    _OTHER_COLOUR
                    if seg.label == "other lines"
                    else _LINE_COLOURS[len([c for c in colours if c != "other lines"]) % len(_LINE_COLOURS)]
                )
    shown: set[str] = set()
    for row, name in enumerate(reversed(names)):
        left = 0.0
        for seg in groups[name]:
            first = seg.label not in shown
            shown.add(seg.label)
            ax.barh(
                row,
                seg.amount,
                left=left,
                color=colours[seg.label],
                edgecolor="none",
                height=0.6,
                label=mpl_text(seg.label) if first else None,
            )
            left += seg.amount
        ax.annotate(
            format_amount(report.estimate.strategies[name].total),
            (left, row),
            xytext=(4, 0),
            textcoords="offset points",
            va="center",
            fontsize=9,
            color=theme.fg,
        )
    ax.set_yticks(range(len(names)), [label(n) for n in reversed(names)])
    est = report.estimate
    ax.set_title(
        f"Total over {est.horizon_months} months by cost line ({est.currency})", fontsize=11, loc="left", color=theme.fg
    )
    _money_axis(ax, theme, axis="x")
    ax.grid(False, axis="y")
    ax.margins(x=0.12)
    _legend(ax, theme, loc="upper center", bbox_to_anchor=(0.45, -0.1), ncol=2)


def draw_tornado(ax: Axes, report: Report, theme: Theme) -> None:
    """Draw the tornado of the cheapest strategy's total: the inputs that move it most, each swung
    low to high; inputs that can change the cheapest strategy are marked ⇄."""
    result = report.sensitivity
    est = report.estimate
    if result is None or result.cheapest not in result.strategies:
        ax.set_axis_off()
        ax.text(0, 0.5, "no sensitivity analysis", color=theme.muted, fontsize=10)
        return
    name = result.cheapest
    base = result.base_totals[name]
    rows = [s for s in result.strategies[name] if s.swing > 0][: report.top_inputs]
    _money_axis(ax, theme, axis="x")
    ax.set_title(f"What moves {label(name)}'s total most ({est.currency})", fontsize=11, loc="left", color=theme.fg)
    if not rows:
        ax.text(0.5, 0.5, "no input moves this total", color=theme.muted, transform=ax.transAxes, ha="center")
        return
    for row, swing in enumerate(reversed(rows)):
        for total, colour in ((swing.total_low, "#2a9fb5"), (swing.total_high, "#c2458a")):
            ax.barh(row, total - base, left=base, color=colour, height=0.6, edgecolor="none")
    ax.axvline(base, color=theme.fg, linewidth=0.8)
    ticks = [s.input + (" ⇄" if s.input in result.flips else "") for s in reversed(rows)]
    ax.set_yticks(range(len(rows)), [mpl_text(t) for t in ticks], fontsize=8)
    ax.grid(False, axis="y")
    from matplotlib.patches import Patch

    handles = [Patch(color="#2a9fb5", label="input at its low"), Patch(color="#c2458a", label="input at its high")]
    legend = ax.legend(handles=handles, frameon=False, fontsize=8, loc="lower right")
    for text in legend.get_texts():
        text.set_color(theme.fg)


@dataclass(frozen=True, slots=True)
class Chart:
    """One chart of a report page: how it is drawn, its size on its own (inches) and its margins
    (left, bottom, right, top as fractions of the figure), fixed so that no layout pass is needed."""

    draw: Callable[[Axes, Report, Theme], None]
    size: tuple[float, float]
    margins: tuple[float, float, float, float]


CHARTS: dict[str, Chart] = {
    "cumulative": Chart(draw_cumulative, (9.0, 4.2), (0.08, 0.12, 0.98, 0.91)),
    "monthly": Chart(draw_monthly, (9.0, 3.4), (0.08, 0.15, 0.98, 0.89)),
    "breakdown": Chart(draw_breakdown, (9.0, 5.2), (0.12, 0.40, 0.94, 0.93)),
    "tornado": Chart(draw_tornado, (9.0, 3.8), (0.30, 0.12, 0.98, 0.90)),
}
"""The charts of a report page, by name."""


@contextmanager
def mpl_settings(salt: str) -> Iterator[None]:
    """Within the block, matplotlib reads no `$...$` as mathtext and writes SVG text as text (searchable,
    small) with ids stable for `salt`. PDF keeps matplotlib's Type 3 fonts: their text extracts, and
    they write three times faster than embedded TrueType."""
    ensure_matplotlib()
    import matplotlib

    settings: dict[str, Any] = {"svg.fonttype": "none", "svg.hashsalt": salt, "text.parse_math": False}
    with matplotlib.rc_context(settings):  # type: ignore[arg-type]
        yield


def new_figure(size: tuple[float, float]) -> Figure:
    """Return an empty matplotlib Figure of `size` inches with a transparent background."""
    ensure_matplotlib()
    from matplotlib.figure import Figure

    figure = Figure(figsize=size)
    figure.patch.set_alpha(0)
    return figure


_SVG_HEAD = re.compile(r"\A.*?(?=<svg)", re.S)
_SVG_METADATA = re.compile(r"<metadata>.*?</metadata>\s*", re.S)
_SVG_SIZE = re.compile(r'<svg([^>]*?) width="[^"]*" height="[^"]*"')


def inline_svg(text: str, title: str, prefix: str) -> str:
    """Return matplotlib's SVG ready to inline in HTML: no XML prolog, DOCTYPE or metadata, fluid width,
    every id (and every reference to one) prefixed with `prefix` so that several charts share a page,
    sentinel colours swapped for the page's CSS variables, and an accessible title."""
    text = _SVG_METADATA.sub("", _SVG_HEAD.sub("", text, count=1))
    text = text.replace(' id="', f' id="{prefix}-').replace("url(#", f"url(#{prefix}-")
    text = text.replace('xlink:href="#', f'xlink:href="#{prefix}-').replace(' href="#', f' href="#{prefix}-')
    text = _SVG_SIZE.sub(r'<svg\1 width="100%" role="img"', text, count=1)
    for colour, var in SENTINEL_VARS.items():
        text = text.replace(colour, var)
    from html import escape

    return text.replace(">", f"><title>{escape(title)}</title>", 1)


def chart_svg(report: Report, name: str) -> str:
    """Return chart `name` of CHARTS as inline SVG text for the HTML page (themed by CSS variables)."""
    chart = CHARTS[name]
    figure = new_figure(chart.size)
    left, bottom, right, top = chart.margins
    with mpl_settings(name):
        chart.draw(figure.add_axes((left, bottom, right - left, top - bottom)), report, SENTINEL)
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    return inline_svg(buffer.getvalue(), f"{name} chart", f"chart-{name}")
