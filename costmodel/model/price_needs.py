"""PriceNeed: a model price a scenario's strategies use (checked by the schema, listed by faces)."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["PriceNeed"]


@dataclass(frozen=True, slots=True)
class PriceNeed:
    """A price a scenario needs: the model reference (table.field), the price field, and the input needing it."""

    table: str
    field: str
    price: str
    because: str | None = None
