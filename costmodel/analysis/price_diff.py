"""What changed between two pricing catalogs: models added and removed, prices up or down.

Pure: takes two validated catalogs, returns typed rows; the command renders them.
"""

from __future__ import annotations

from dataclasses import dataclass

from costmodel.model.catalog import Catalog
from costmodel.model.schema import PRICE_FIELDS, ModelPrice

__all__ = ["CatalogDiff", "PriceChange", "catalog_diff"]

_DATES = ("available_until", "training_until")


@dataclass(frozen=True, slots=True)
class PriceChange:
    """One field of one model that differs: old and new value (None = not set).

    `percent` is the relative change of a price in percent, None when either side is
    unset or the old price is 0; dates and other fields carry their text in `old`/`new`.
    """

    model: str
    field: str
    old: float | str | None
    new: float | str | None
    percent: float | None


@dataclass(frozen=True, slots=True)
class CatalogDiff:
    """Models only in the new catalog, only in the old one, and the changed fields of the rest."""

    added: tuple[str, ...]
    removed: tuple[str, ...]
    changes: tuple[PriceChange, ...]

    def to_dict(self) -> dict[str, object]:
        """Return the diff as plain data for JSON (prices in USD per 1M tokens, percent as a number)."""
        return {
            "added": list(self.added),
            "removed": list(self.removed),
            "changes": [
                {"model": c.model, "field": c.field, "old": c.old, "new": c.new, "percent": c.percent}
                for c in self.changes
            ],
        }


def _field_changes(name: str, a: ModelPrice, b: ModelPrice) -> list[PriceChange]:
    """Return the price fields, dates and flags of one model that differ between `a` and `b`."""
    out = []
    for f in PRICE_FIELDS:
        old, new = getattr(a, f), getattr(b, f)
        if old == new:
            continue
        percent = (new - old) / old * 100 if old and new is not None else None
        out.append(PriceChange(name, f, old, new, percent))
    for f in ("above_tokens", "context_window", "ft_hosting_per_hour"):
        old, new = getattr(a, f), getattr(b, f)
        if old != new:
            percent = (new - old) / old * 100 if old and new is not None else None
            out.append(PriceChange(name, f, old, new, percent))
    for f in _DATES:
        old, new = getattr(a, f), getattr(b, f)
        if old != new:
            out.append(PriceChange(name, f, old and old.isoformat(), new and new.isoformat(), None))
    for f in ("withdrawn", "unconfirmed"):
        old, new = set(getattr(a, f)), set(getattr(b, f))
        if old != new:
            out.append(PriceChange(name, f, ", ".join(sorted(old)) or None, ", ".join(sorted(new)) or None, None))
    return out


def catalog_diff(a: Catalog, b: Catalog) -> CatalogDiff:
    """Return what changed from catalog `a` (old) to `b` (new): models, then GPUs (`per_hour`).

    Entries are listed in `b`'s order, removed ones in `a`'s.
    """
    added = [m for m in b.models if m not in a.models] + [g for g in b.gpus if g not in a.gpus]
    removed = [m for m in a.models if m not in b.models] + [g for g in a.gpus if g not in b.gpus]
    changes = [c for m in b.models if m in a.models for c in _field_changes(m, a.models[m], b.models[m])]
    for g, new in b.gpus.items():
        old = a.gpus.get(g)
        if old is not None and old.per_hour != new.per_hour:
            percent = (new.per_hour - old.per_hour) / old.per_hour * 100 if old.per_hour else None
            changes.append(PriceChange(g, "per_hour", old.per_hour, new.per_hour, percent))
    return CatalogDiff(tuple(added), tuple(removed), tuple(changes))
