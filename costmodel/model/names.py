"""The light half of the strategy registry: names, labels and roles (no dependencies, cheap to import).

The TUI and the report faces import this module before anything else, so it holds plain
data only; the cost lines and effort of each strategy live in costmodel.model.strategies,
whose REGISTRY follows the order of `ALL_STRATEGIES` (checked there at import).
"""

from __future__ import annotations

from typing import NamedTuple

__all__ = [
    "ALL_STRATEGIES",
    "COLOUR_ROLES",
    "INFO",
    "LETTERS",
    "SHORT_LABELS",
    "STRATEGIES",
    "STRATEGY_LABELS",
    "TERMINAL_COLOURS",
    "StrategyInfo",
    "label",
    "short_label",
]


class StrategyInfo(NamedTuple):
    """What faces need to know of a strategy without computing it.

    `colour` is the role a face styles it by (a `.tcss` class suffix such as
    `timeline-chart--long-context`); `terminal` its colour in plain rich output; `letter`
    its one-letter mark in maps (sweeps); `optional` marks a strategy present only when its
    table is in the scenario; `retrieves` a strategy that reads a retrieval index;
    `trains` one that runs fine-tuning jobs.
    """

    name: str
    label: str
    short: str
    letter: str
    colour: str
    terminal: str
    retrieves: bool
    trains: bool
    optional: bool


INFO: dict[str, StrategyInfo] = {
    info.name: info
    for info in (
        StrategyInfo("rag", "RAG", "RAG", "R", "rag", "cyan", retrieves=True, trains=False, optional=False),
        StrategyInfo(
            "fine_tune", "Fine-tuning", "FT", "F", "fine-tune", "magenta", retrieves=False, trains=True, optional=False
        ),
        StrategyInfo("hybrid", "Hybrid", "Hybrid", "H", "hybrid", "green", retrieves=True, trains=True, optional=False),
        StrategyInfo(
            "long_context",
            "Long context",
            "LC",
            "L",
            "long-context",
            "yellow",
            retrieves=False,
            trains=False,
            optional=True,
        ),
    )
}
"""Every strategy, in the registry's order (also the tie order for `cheapest`)."""

ALL_STRATEGIES: tuple[str, ...] = tuple(INFO)
STRATEGIES: tuple[str, ...] = tuple(name for name, info in INFO.items() if not info.optional)
"""The strategies every scenario has; an Estimate's `strategies` may add the optional ones."""

STRATEGY_LABELS: dict[str, str] = {name: info.label for name, info in INFO.items()}
SHORT_LABELS: dict[str, str] = {name: info.short for name, info in INFO.items()}
"""Labels for narrow columns and chart notes."""
COLOUR_ROLES: dict[str, str] = {name: info.colour for name, info in INFO.items()}
LETTERS: dict[str, str] = {name: info.letter for name, info in INFO.items()}
TERMINAL_COLOURS: dict[str, str] = {name: info.terminal for name, info in INFO.items()}


def label(name: str) -> str:
    """Return a strategy's label (its name when it is not a strategy)."""
    return STRATEGY_LABELS.get(name, name)


def short_label(name: str) -> str:
    """Return a strategy's short label for narrow columns (its label, or its name, when it has none)."""
    return SHORT_LABELS.get(name, label(name))
