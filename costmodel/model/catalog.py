"""Pydantic models of a pricing catalog file: `[catalog]` metadata, model and GPU prices, vector-DB plans.

Apart from costmodel.model.schema so that estimating a scenario that takes no catalog does not
build these models (building a pydantic model is most of what importing a schema costs).
A catalog's `[models]` and `[gpus]` tables are the schema's ModelPrice and GpuPrice.
"""

from __future__ import annotations

from pydantic import Field, field_validator

from costmodel.model.schema import GpuPrice, ModelPrice, _num, _Table, checked_as_of

__all__ = ["Catalog", "CatalogInfo", "VectorDbPlan"]


class CatalogInfo(_Table):
    """What a pricing catalog is and where its figures come from."""

    name: str = Field(description="Human-readable catalog name.")
    provider: str = Field(default="", description="Who sells these models.")
    description: str = Field(default="", description="Free text.")
    source: str = Field(default="", description="Where the prices were read.")
    as_of: str = Field(default="", description="When the prices were read: YYYY-MM or YYYY-MM-DD.")
    notes: str = Field(default="", description="Caveats a reader must know.")


class VectorDbPlan(_Table):
    """A vector-database plan's prices, as reference data a scenario's `[rag]` figures can cite.

    Not billed from here: a scenario carries them in rag.retrieval_per_1k_requests,
    rag.hosting_per_month and rag.retrieval_minimum_per_month (see docs/pricing.md).
    """

    provider: str = Field(default="", description="Who sells the plan, and where (cloud and region).")
    storage_per_gb_month: float | None = _num("USD/GB-month", "Storage price.", ge=0, default=None)
    read_per_million_units: float | None = _num("USD/1M read units", "Price of read units.", ge=0, default=None)
    write_per_million_units: float | None = _num("USD/1M write units", "Price of write units.", ge=0, default=None)
    flat_per_month: float | None = _num("USD/month", "Fixed monthly fee of the plan.", ge=0, default=None)
    minimum_per_month: float | None = _num(
        "USD/month", "Monthly minimum spend: usage below it is billed up to it.", ge=0, default=None
    )
    included: str = Field(default="", description="What the plan includes for free, in words.")
    notes: str = Field(default="", description="Caveats.")
    source: str | None = Field(default=None, description="Where the prices come from.")
    as_of: str | None = Field(default=None, description="When the prices were read: YYYY-MM or YYYY-MM-DD.")
    confirmed: bool = Field(default=False, description="True when read from the vendor's own page.")

    @field_validator("as_of")
    @classmethod
    def _check_as_of(cls, value: str | None) -> str | None:
        return checked_as_of(value)


class Catalog(_Table):
    """A pricing catalog file: `[catalog]` metadata, `[models.NAME]` and `[gpus.NAME]` prices, vector-DB plans."""

    catalog: CatalogInfo
    models: dict[str, ModelPrice] = Field(default_factory=dict)
    gpus: dict[str, GpuPrice] = Field(default_factory=dict)
    vector_dbs: dict[str, VectorDbPlan] = Field(
        default_factory=dict, description="Vector-database plans by name (reference data; scenarios cite them)."
    )
