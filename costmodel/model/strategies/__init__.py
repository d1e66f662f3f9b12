"""The ordered registry of strategies: every face and the engine read strategies from here.

The order is docs/model.md's (rag, fine_tune, hybrid, then the optional ones), which is
also the tie order for `cheapest`. To add a strategy, see docs/architecture.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from costmodel.model.names import ALL_STRATEGIES
from costmodel.model.strategies.base import ModelRef, PriceNeed, Strategy
from costmodel.model.strategies.fine_tune import FINE_TUNE
from costmodel.model.strategies.hybrid import HYBRID
from costmodel.model.strategies.long_context import LONG_CONTEXT
from costmodel.model.strategies.rag import RAG

if TYPE_CHECKING:
    from costmodel.model.schema import Scenario

__all__ = ["BY_NAME", "REGISTRY", "ModelRef", "PriceNeed", "Strategy", "present", "strategy"]

REGISTRY: tuple[Strategy, ...] = (RAG, FINE_TUNE, HYBRID, LONG_CONTEXT)
BY_NAME: dict[str, Strategy] = {s.name: s for s in REGISTRY}

if tuple(BY_NAME) != ALL_STRATEGIES:  # names.py is the registry's light half: the two must agree
    raise ImportError(f"costmodel.model.names lists {ALL_STRATEGIES}, the registry {tuple(BY_NAME)}")


_ALWAYS = tuple(x for x in REGISTRY if not x.info.optional)
_OPTIONAL = tuple(x for x in REGISTRY if x.info.optional)


def present(s: Scenario) -> tuple[Strategy, ...]:
    """Return the strategies the scenario has, in registry order (the optional ones come last)."""
    found = _ALWAYS
    for optional in _OPTIONAL:
        if optional.present(s):
            found = (*found, optional)
    return found


def strategy(name: str) -> Strategy:
    """Return the registered strategy called `name`; raise KeyError naming the known ones otherwise."""
    try:
        return BY_NAME[name]
    except KeyError:
        raise KeyError(f"unknown strategy {name!r}; expected one of {', '.join(BY_NAME)}") from None
