"""Amounts as people read them: whole currency units with separators, small amounts with enough digits.

Cheap to import (no json, csv or rich): the terminal UI's totals use it before anything else loads.
"""

from __future__ import annotations

__all__ = ["format_amount", "format_money", "format_per_request", "format_small"]


def format_amount(amount: float) -> str:
    """Return `amount` rounded to whole currency units with thousands separators, e.g. `60,234`."""
    rounded = round(amount)
    return f"{rounded:,}" if rounded != 0 else "0"


def format_money(amount: float, currency: str) -> str:
    """Return a whole-unit amount with its currency, e.g. `USD 60,234`."""
    return f"{currency} {format_amount(amount)}"


def format_small(amount: float) -> str:
    """Return a small amount without its currency, with enough decimals to be meaningful (3 significant digits)."""
    if amount == 0:
        return "0"
    if abs(amount) >= 100:
        return f"{amount:,.0f}"
    if abs(amount) >= 1:
        return f"{amount:,.2f}"
    text = f"{amount:.3g}"
    if "e" in text:
        digits = max(3, -int(f"{amount:e}".split("e")[1]) + 2)
        text = f"{amount:.{digits}f}"
    return text


def format_per_request(amount: float, currency: str) -> str:
    """Return a small amount with its currency, e.g. `USD 0.00274` (see format_small)."""
    return f"{currency} {format_small(amount)}"
