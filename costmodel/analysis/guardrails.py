"""CI guardrails: compare an estimate with a budget and say by how much it is exceeded."""

from __future__ import annotations

import re
from dataclasses import dataclass

from costmodel.model.engine import Estimate
from costmodel.model.errors import CostmodelError

__all__ = ["GuardrailResult", "check_max_total", "parse_amount"]

_AMOUNT = re.compile(r"^\s*([0-9][0-9_,]*(?:\.[0-9]+)?|\.[0-9]+)(?:[eE]([-+]?[0-9]+))?\s*([kKmM]?)\s*$")
_SUFFIX = {"": 1.0, "k": 1e3, "m": 1e6}


def parse_amount(text: str) -> float:
    """Return a budget amount in currency units from text such as `50000`, `50,000`, `50_000`, `50k` or `1.5M`.

    Raises CostmodelError for anything else, including negative amounts.
    """
    match = _AMOUNT.match(text)
    if not match:
        raise CostmodelError(f"--max-total {text!r}: expected an amount such as 50000, 50,000, 50k or 1.5M")
    number = float(match[1].replace(",", "").replace("_", ""))
    if match[2]:
        number *= 10 ** int(match[2])
    return number * _SUFFIX[match[3].lower()]


@dataclass(frozen=True, slots=True)
class GuardrailResult:
    """The outcome of a --max-total check; amounts in the scenario's currency."""

    strategy: str
    total: float
    limit: float

    @property
    def exceeded(self) -> bool:
        """Return True when the strategy's total is above the limit."""
        return self.total > self.limit

    @property
    def excess(self) -> float:
        """Return how far the total is above the limit (negative when within it), in currency units."""
        return self.total - self.limit


def check_max_total(est: Estimate, limit: float, strategy: str | None = None) -> GuardrailResult:
    """Return the check of `strategy`'s total (default: the cheapest strategy) against `limit`."""
    name = strategy or est.cheapest
    return GuardrailResult(name, est.strategies[name].total, limit)
