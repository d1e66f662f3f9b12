"""Warnings as typed objects: what they say, how much they matter, which strategies they touch.

Pure (no I/O, no clock). Producers (the price checks in `costmodel.files.pricing`, the
engine's sentences) build `CostWarning`s; `rank` orders them most serious first and
`render` turns each into one line that fits a terminal, so every face (table, Markdown,
JSON, batch, sweep, diff, TUI) shows the same ranked set in the same words.

Severity, most serious first:
- DECISION: changes what can be chosen: a model retired or fine-tuning ending within the
  horizon, prices no longer sold, unconfirmed figures on the winning strategy.
- COST: a figure is known to be understated (a left-out fee, GPU capacity exceeded,
  answers going stale), as the engine reports them.
- AGE: provenance: prices past the age limit, undated or future-dated, unconfirmed
  figures on strategies that do not win.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from enum import IntEnum
from typing import NamedTuple

__all__ = [
    "WIDTH",
    "CostWarning",
    "Severity",
    "fit_items",
    "from_engine",
    "rank",
    "render",
    "render_all",
    "to_dicts",
]

WIDTH = 78
"""Columns a rendered warning may take: 80 less the table's `⚠ ` marker."""

ITEMS = "{items}"


class Severity(IntEnum):
    """How much a warning matters; lower is more serious."""

    DECISION = 0
    COST = 1
    AGE = 2


class CostWarning(NamedTuple):
    """One warning: its severity, a stable code, its text, and the strategies and names it concerns.

    `text` may hold the placeholder `{items}`, which `render` replaces with as many of
    `items` as fit the width (`a, b, … +3`); `full_text` gives them all. `hint` (where to
    read more, e.g. a command) follows the text when the line has room for it.
    """

    severity: Severity
    code: str
    text: str
    strategies: tuple[str, ...] = ()
    items: tuple[str, ...] = ()
    hint: str = ""

    def full_text(self) -> str:
        """Return the text with every item listed, the strategies in front and the hint after (no width limit)."""
        body = self.text.replace(ITEMS, ", ".join(self.items)) + (f" — {self.hint}" if self.hint else "")
        return f"{', '.join(self.strategies)}: {body}" if self.strategies else body


def fit_items(items: Sequence[str], room: int) -> str:
    """Return `items` joined by ", " within `room` characters, the rest counted as `… +N`.

    At least the first item is always shown, whatever the room.
    """
    joined = ", ".join(items)
    if len(joined) <= room or len(items) <= 1:
        return joined
    for shown in range(len(items) - 1, 0, -1):
        text = f"{', '.join(items[:shown])}, … +{len(items) - shown}"
        if len(text) <= room or shown == 1:
            return text
    return joined


def render(w: CostWarning, width: int = WIDTH) -> str:
    """Return the warning as one line of at most `width` characters (engine sentences are kept whole).

    The strategies it touches come first (`fine_tune, hybrid: ...`); a list of items is
    shortened to fit, the hint is added only when it fits, and a text still too long is
    cut with `…`.
    """
    if w.code == "engine":
        return w.text
    prefix = f"{', '.join(w.strategies)}: " if w.strategies else ""
    hint = f" — {w.hint}" if w.hint else ""
    fixed = len(prefix) + len(w.text) - (len(ITEMS) if ITEMS in w.text else 0)
    with_hint = w.text.replace(ITEMS, fit_items(w.items, width - fixed - len(hint)))
    line = prefix + with_hint + hint
    if len(line) > width:
        line = prefix + w.text.replace(ITEMS, fit_items(w.items, width - fixed))
    if len(line) > width:
        line = line[: width - 1].rstrip() + "…"
    return line


def rank(warnings: Iterable[CostWarning]) -> list[CostWarning]:
    """Return the warnings most serious first (stable within a severity); a warning said again, for the
    same or other strategies, is one warning naming all of them (in the order they came)."""
    merged: dict[tuple[str, str, tuple[str, ...]], CostWarning] = {}
    for w in warnings:
        key = (w.code, w.text, w.items)
        first = merged.get(key)
        if first is None:
            merged[key] = w
        else:
            names = (*first.strategies, *(n for n in w.strategies if n not in first.strategies))
            merged[key] = first._replace(strategies=names)
    return sorted(merged.values(), key=lambda w: int(w.severity))


def render_all(warnings: Iterable[CostWarning], width: int = WIDTH) -> list[str]:
    """Return the ranked warnings rendered one line each (see `render`)."""
    return [render(w, width) for w in rank(warnings)]


def from_engine(texts: Iterable[str]) -> list[CostWarning]:
    """Return the engine's warning sentences as typed warnings.

    "<Label> is not available: <reasons>" is a DECISION warning (code `unavailable`) tied to
    that strategy, shortened to "not available: <first reason>"; any other sentence is a COST
    warning kept word for word, tied to a strategy when it names one of its inputs
    (`fine_tune.`, `rag.`, ...).
    """
    from costmodel.model.names import INFO

    out = []
    for text in texts:
        ruled_out = tuple(name for name, info in INFO.items() if text.startswith(f"{info.label} is not available"))
        if ruled_out:  # a strategy that cannot be bought changes the decision: it ranks first
            # One line: the first reason without its field and horizon details (the strategy's
            # `unavailable_because` keeps them all).
            reason = text.split(": ", 1)[1].split(" (", 1)[0] if ": " in text else text
            out.append(CostWarning(Severity.DECISION, "unavailable", f"not available: {reason}", ruled_out))
            continue
        strategies = tuple(name for name in INFO if text.startswith(f"{name}."))
        out.append(CostWarning(Severity.COST, "engine", text, strategies))
    return out


def to_dicts(warnings: Iterable[CostWarning]) -> list[dict[str, object]]:
    """Return the ranked warnings as plain data for JSON: severity name, code, full text, strategies, items."""
    return [
        {
            "severity": w.severity.name.lower(),
            "code": w.code,
            "text": w.full_text(),
            "strategies": list(w.strategies),
            "items": list(w.items),
        }
        for w in rank(warnings)
    ]
