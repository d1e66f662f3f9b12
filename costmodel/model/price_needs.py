"""PriceNeed: a model price a scenario's strategies use (checked by the schema, listed by faces)."""

from __future__ import annotations

from typing import NamedTuple

__all__ = ["PriceNeed"]


class PriceNeed(NamedTuple):
    """A price a scenario needs: the model reference (table.field), the price field, and the input needing it.

    A NamedTuple (immutable, hashed and compared in C): price warnings put every need of
    every strategy of each scenario in sets, thousands of times in a batch.
    """

    table: str
    field: str
    price: str
    because: str | None = None
