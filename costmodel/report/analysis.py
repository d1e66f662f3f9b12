"""Terminal faces of the what-if analyses: the sensitivity tornado and the break-even solver's answer.

Formatting only; the figures come from costmodel.analysis.sensitivity and costmodel.analysis.solver.
"""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from costmodel.analysis.sensitivity import Sensitivity
from costmodel.analysis.solver import Solution
from costmodel.report.render import STRATEGY_LABELS, format_amount, format_money

__all__ = ["BAR_WIDTH", "flipper_lines", "solution_text", "tornado"]

BAR_WIDTH = 24


def _value(x: float) -> str:
    """Return an input value for people: `50,000`, `2,000`, `0.016`, `1e-05` (up to 4 significant digits)."""
    if x == 0:
        return "0"
    if abs(x) >= 1000:
        return f"{x:,.0f}" if abs(x) < 1e15 else f"{x:.3e}"
    return f"{x:.4g}"


def _bar(base: float, low: float, high: float, scale: float, width: int = BAR_WIDTH) -> Text:
    """Return a tornado bar centred on `base`: cyan where the input's low takes the total, magenta for its high."""
    half = width // 2
    left = [" "] * half
    right = [" "] * half
    styles_left = [""] * half
    styles_right = [""] * half
    for total, style in ((low, "cyan"), (high, "magenta")):
        cells = max(1, round(abs(total - base) / scale * half)) if scale > 0 and total != base else 0
        cells = min(cells, half)
        if total < base:
            for k in range(half - cells, half):
                left[k], styles_left[k] = "█", style
        elif total > base:
            for k in range(cells):
                right[k], styles_right[k] = "█", style
    text = Text()
    for char, style in zip(left, styles_left, strict=True):
        text.append(char, style=style or None)
    text.append("│", style="dim")
    for char, style in zip(right, styles_right, strict=True):
        text.append(char, style=style or None)
    return text


def tornado(result: Sensitivity, top: int = 10, width: int = 120) -> RenderableType:
    """Return one tornado chart per strategy (the `top` inputs by swing) and the decision flippers.

    `width` is the terminal's: below 120 columns the inputs' low and high values are left
    out, below 100 the totals too (the bars and swings remain).
    """
    cur = result.currency
    show_values = width >= 120
    show_totals = width >= 100
    bar_width = BAR_WIDTH if show_totals else 20
    parts: list[RenderableType] = []
    for name in result.base_totals:
        base = result.base_totals[name]
        rows = [s for s in result.strategies[name] if s.swing > 0][:top]
        title = f"{STRATEGY_LABELS[name]}: total over {result.horizon_months} months {format_money(base, cur)}"
        if name == result.cheapest:
            title += "  ★ cheapest"
        table = Table(title=title, title_justify="left", header_style="bold", show_edge=False, pad_edge=False)
        table.add_column("input", no_wrap=True, overflow="ellipsis", max_width=40 if show_totals else 36)
        if show_values:
            table.add_column("input low → high", justify="right", no_wrap=True)
        table.add_column(f"{'lower':>{bar_width // 2}}│higher", justify="left", no_wrap=True)
        if show_totals:
            table.add_column("total at low → high", justify="right", no_wrap=True)
        table.add_column("swing", justify="right", no_wrap=True)
        scale = max((max(abs(s.total_low - base), abs(s.total_high - base)) for s in rows), default=0.0)
        for s in rows:
            cells: list[RenderableType] = [s.input + (" ⇄" if s.input in result.flips else "")]
            if show_values:
                cells.append(f"{_value(s.low)} → {_value(s.high)}")
            cells.append(_bar(base, s.total_low, s.total_high, scale, bar_width))
            if show_totals:
                cells.append(f"{format_amount(s.total_low)} → {format_amount(s.total_high)}")
            cells.append(format_amount(s.swing))
            table.add_row(*cells)
        if not rows:
            table.add_row(Text("no input moves this total", style="dim"), *[""] * (len(table.columns) - 1))
        parts += [table, Text("")]
    parts.append(Text("cyan: total with the input at its low; magenta: at its high", style="dim"))
    parts += [Text(line, style="bold yellow" if i == 0 else "") for i, line in enumerate(flipper_lines(result))]
    if any(f.path.endswith("model") for f in result.choice_flips):
        parts.append(Text("Other models are compared on cost only: check that they answer well enough.", style="dim"))
    if not result.decision_flippers and not result.choice_flips:
        parts.append(
            Text(
                f"No single input swung over its range, and no other model or pricing option "
                f"({result.choices_tried} tried), makes another strategy cheaper than "
                f"{STRATEGY_LABELS[result.cheapest]}.",
                style="green",
            )
        )
    return Group(*parts)


def flipper_lines(result: Sensitivity) -> list[str]:
    """Return the decision flippers in sentences: numeric ones with where and which way the win changes,
    then the discrete choices with the new winner's margin. Empty when nothing changes the winner."""
    cur = result.currency
    lines: list[str] = []
    for path in result.decision_flippers:
        points = result.flip_points.get(path, [])
        if points:
            where = "; ".join(
                f"{STRATEGY_LABELS[p.winner]} becomes cheapest {p.direction} {_value(p.value)}" for p in points
            )
        else:
            winners = ", ".join(STRATEGY_LABELS[n] for n in result.flips[path])
            where = f"{winners} becomes cheapest somewhere in its range"
        current = points[0].current if points else None
        now = "" if current is None else f" (now {_value(current)})"
        lines.append(f"  • {path}{now}: {where}")
    for flip in result.choice_flips:
        text = f"  • {flip.label}: {STRATEGY_LABELS[flip.winner]} becomes cheapest"
        if flip.runner_up is not None and flip.margin is not None:
            share = "" if flip.margin_fraction is None else f" ({100 * flip.margin_fraction:.0f} %)"
            text += f", {format_money(flip.margin, cur)}{share} below {STRATEGY_LABELS[flip.runner_up]}"
        lines.append(text)
    if lines:
        lines.insert(0, "⇄ can change which strategy is cheapest:")
    return lines


def solution_text(sol: Solution) -> str:
    """Return the solver's answer in plain sentences: each break-even value, or why there is none."""
    a, b = STRATEGY_LABELS[sol.a], STRATEGY_LABELS[sol.b]
    unit = f" {sol.unit}" if sol.unit else ""
    head = f"{sol.path} (now {_value(sol.current)}{unit}), searched {_value(sol.low)} … {_value(sol.high)}:"
    if not sol.crossings:
        if sol.diff_low == 0 and sol.diff_high == 0:
            return f"{head}\n  {a} and {b} cost the same across the whole interval."
        cheaper = a if sol.diff_low < 0 else b
        dearer = b if cheaper == a else a
        return (
            f"{head}\n  no break-even in range: {cheaper} stays cheaper than {dearer} "
            f"(by {format_money(abs(sol.diff_low), sol.currency)} at {_value(sol.low)}, "
            f"{format_money(abs(sol.diff_high), sol.currency)} at {_value(sol.high)})."
        )
    lines = [head]
    for c in sol.crossings:
        lines.append(
            f"  break-even at {c.value:,.8g}{unit}: both cost {format_money(c.total_a, sol.currency)}; "
            f"{STRATEGY_LABELS[c.cheaper_below]} is cheaper below, {STRATEGY_LABELS[c.cheaper_above]} above."
        )
    return "\n".join(lines)
