"""Side-by-side totals: RAG, Fine-tuning and Hybrid, every headline figure of the engine's Estimate.

Nothing is computed here: each cell formats a figure of the Estimate. Selecting a money
cell (Enter or a click) asks for its breakdown.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import DataTable

from costmodel.engine import Estimate, StrategyEstimate
from costmodel.report import STRATEGY_LABELS, format_amount, format_per_request
from costmodel.schema import STRATEGIES
from costmodel.tui.chart_render import compact_amount

__all__ = ["TotalsRow", "TotalsTable", "totals_rows"]

# Below this width amounts drop their currency code (the header names it once) and labels shorten.
_WIDE = 66
_SHORT_LABELS = {"rag": "RAG", "fine_tune": "FT", "hybrid": "Hybrid"}


@dataclass(frozen=True, slots=True)
class TotalsRow:
    """One row: its label, one text per strategy, and the figure a selection explains (or None)."""

    label: str
    texts: tuple[str, str, str]
    figure: str | None = None
    strong: bool = False


def _days_hours(days: float, hours: float, wide: bool) -> str:
    def short(x: float) -> str:
        text = f"{x:,.1f}".rstrip("0").rstrip(".")
        return text if text not in ("", "-0") else "0"

    return f"{short(days)} d · {short(hours)} h" if wide else f"{short(days)}d {short(hours)}h"


def _interval(p: dict[str, float], money: bool, currency: str) -> str:
    """Return P10–P90 compactly (`87.6k–201k`), or the one value when the figure is certain."""
    if money:
        low, high = compact_amount(p["p10"]), compact_amount(p["p90"])
    else:
        low, high = (format_per_request(p[k], currency).removeprefix(currency).strip() for k in ("p10", "p90"))
    return low if low == high else f"{low}–{high}"


def totals_rows(est: Estimate, wide: bool, uncertainty: dict[str, Any] | None = None) -> list[TotalsRow]:
    """Return the rows of the totals table for `est`; `wide` puts the currency code on every amount
    and spells labels out (narrow terminals get short labels).

    `uncertainty` (Monte Carlo's JSON object) adds P10–P90 rows under total, upfront and per request.
    """
    cur = est.currency
    h = est.horizon_months
    s: list[StrategyEstimate] = [est.strategies[n] for n in STRATEGIES]

    def money(x: float) -> str:
        return f"{cur} {format_amount(x)}" if wide else format_amount(x)

    def small(x: float) -> str:
        text = format_per_request(x, cur)
        return text if wide else text.removeprefix(cur).strip()

    def three(fn: Any) -> tuple[str, str, str]:
        return tuple(fn(x) for x in s)  # type: ignore[return-value]

    def band(figure: str, is_money: bool) -> TotalsRow | None:
        if uncertainty is None:
            return None
        texts = tuple(_interval(uncertainty["strategies"][n][figure], is_money, cur) for n in STRATEGIES)
        return TotalsRow("  P10–P90", texts)  # type: ignore[arg-type]

    rows: list[TotalsRow | None] = [
        TotalsRow("Upfront", three(lambda x: money(x.upfront)), "upfront"),
        band("upfront", True),
        TotalsRow("Per update", three(lambda x: money(x.per_update)), "per_update"),
        TotalsRow("Per request", three(lambda x: small(x.per_request)), "per_request"),
        band("per_request", False),
        TotalsRow("Per 1k requests" if wide else "Per 1k req", three(lambda x: small(x.cost_per_1k_requests))),
        TotalsRow("Month 1", three(lambda x: money(x.monthly_cost[1])), "month:1"),
        TotalsRow(f"Month {h}", three(lambda x: money(x.monthly_cost[h])), f"month:{h}"),
        TotalsRow(f"Total {h} mo", three(lambda x: money(x.total)), "total", strong=True),
        band("total", True),
    ]
    if uncertainty is not None:
        p = uncertainty["p_cheapest"]
        rows.append(TotalsRow("P(cheapest)", tuple(f"{100 * p[n]:.0f} %" for n in STRATEGIES)))  # type: ignore[arg-type]
    rows += [
        TotalsRow(
            "Effort upfront" if wide else "Effort up",
            three(lambda x: _days_hours(x.effort.upfront_engineer_days, x.effort.upfront_expert_hours, wide)),
        ),
        TotalsRow(
            "Effort/update" if wide else "Effort/upd",
            three(lambda x: _days_hours(x.effort.per_update_engineer_days, x.effort.per_update_expert_hours, wide)),
        ),
        TotalsRow(
            "Effort/month" if wide else "Effort/mo",
            three(lambda x: _days_hours(x.effort.monthly_engineer_days, x.effort.monthly_expert_hours, wide)),
        ),
    ]
    return [r for r in rows if r is not None]


class TotalsTable(DataTable[Any]):
    """The strategies side by side; the cheapest column is marked ★ and coloured."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("enter", "explain", "Breakdown")]

    class Explain(Message):
        """The person asked what makes up `figure` of `strategy`."""

        def __init__(self, strategy: str, figure: str, label: str):
            super().__init__()
            self.strategy = strategy
            self.figure = figure
            self.label = label

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(cursor_type="cell", zebra_stripes=False, show_cursor=True, **kwargs)
        self._rows: list[TotalsRow] = []
        self._signature: tuple[Any, ...] = ()

    def show(self, est: Estimate, uncertainty: dict[str, Any] | None = None) -> None:
        """Show `est` (and P10–P90 rows when `uncertainty` is given), touching only cells that changed."""
        wide = self.size.width >= _WIDE or self.size.width == 0
        rows = totals_rows(est, wide, uncertainty)
        signature = (est.cheapest, est.currency, wide, tuple(r.label for r in rows))
        if signature != self._signature:
            self._rebuild(est, rows, wide)
            self._signature = signature
        else:
            for i, (old, new) in enumerate(zip(self._rows, rows, strict=True)):
                for j, (a, b) in enumerate(zip(old.texts, new.texts, strict=True)):
                    if a != b:
                        self.update_cell_at((i, j + 1), self._cell(new, STRATEGIES[j], est.cheapest))
        self._rows = rows

    @staticmethod
    def _cell(row: TotalsRow, strategy: str, cheapest: str) -> Text:
        text = row.texts[STRATEGIES.index(strategy)]
        style = "bold green" if strategy == cheapest and row.strong else ("bold" if row.strong else "")
        return Text(text, style=style, justify="right")

    def _rebuild(self, est: Estimate, rows: list[TotalsRow], wide: bool) -> None:
        coordinate = self.cursor_coordinate
        self.clear(columns=True)
        first = "" if wide else est.currency
        self.add_column(Text(first, style="dim"), key="label")
        for name in STRATEGIES:
            label = STRATEGY_LABELS[name] if wide else _SHORT_LABELS[name]
            header = Text(f"★ {label}", style="bold green") if name == est.cheapest else Text(label, style="bold")
            self.add_column(header, key=name)
        for row in rows:
            label = Text(row.label, style="bold" if row.strong else "dim")
            self.add_row(label, *(self._cell(row, n, est.cheapest) for n in STRATEGIES))
        if self.row_count:
            self.move_cursor(row=min(coordinate.row, self.row_count - 1), column=max(1, coordinate.column))

    def on_resize(self) -> None:
        # The currency code comes and goes with the width: force a rebuild on the next show.
        self._signature = ()

    def action_explain(self) -> None:
        """Ask for the breakdown of the selected figure."""
        row, column = self.cursor_coordinate
        if not 0 <= row < len(self._rows) or column < 1:
            return
        entry = self._rows[row]
        if entry.figure is not None:
            self.post_message(self.Explain(STRATEGIES[column - 1], entry.figure, entry.label))

    def on_data_table_cell_selected(self, event: DataTable.CellSelected) -> None:
        """A click on a cell explains it too."""
        event.stop()
        self.action_explain()
