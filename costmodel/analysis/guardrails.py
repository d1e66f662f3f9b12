"""CI guardrails: compare an estimate with a budget and say by how much it is exceeded."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from costmodel.model.engine import Estimate
from costmodel.model.errors import CostmodelError
from costmodel.model.text import shorten

__all__ = ["GuardrailResult", "check_max_total", "parse_amount"]

# Matched against the stripped text with possessive quantifiers: every character is read one way only,
# so text that does not match fails in linear time.
_AMOUNT = re.compile(r"([0-9][0-9_,]*+(?:\.[0-9]++)?+|\.[0-9]++)(?:[eE]([-+]?+[0-9]{1,6}+))?+[ \t]*+([kKmM]?+)")
_SUFFIX = {"": 1.0, "k": 1e3, "m": 1e6}


def parse_amount(text: str) -> float:
    """Return a budget amount in currency units from text such as `50000`, `50,000`, `50_000`, `50k` or `1.5M`.

    Raises CostmodelError for anything else, including negative amounts.
    """
    shown = shorten(repr(text), 60)
    match = _AMOUNT.fullmatch(text.strip())
    if not match:
        raise CostmodelError(f"--max-total {shown}: expected an amount such as 50000, 50,000, 50k or 1.5M")
    mantissa = match[1].replace(",", "").replace("_", "")
    number = float(f"{mantissa}e{match[2]}" if match[2] else mantissa) * _SUFFIX[match[3].lower()]
    if not math.isfinite(number):
        raise CostmodelError(f"--max-total {shown}: too large to compare with a total (at most about 1.8e308)")
    return number


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
