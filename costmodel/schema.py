"""Pydantic models of a scenario, exactly as shared/MODEL.md names them.

Every model forbids unknown keys and non-finite numbers. Each field's unit is kept in
`json_schema_extra["unit"]` so that faces (the TUI grid, docs) can show it.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from costmodel.paths import format_path

__all__ = [
    "STRATEGIES",
    "Catalog",
    "CatalogInfo",
    "FineTune",
    "Hybrid",
    "Knowledge",
    "ModelPrice",
    "Needs",
    "Rag",
    "Range",
    "Scenario",
    "Team",
    "Workload",
]

STRATEGIES: tuple[str, ...] = ("rag", "fine_tune", "hybrid")


def _num(unit: str, doc: str, **bounds: Any) -> Any:
    """Return a pydantic Field for a finite number with a unit and bounds."""
    return Field(description=doc, json_schema_extra={"unit": unit}, allow_inf_nan=False, **bounds)


class _Table(BaseModel):
    """Base of every table: unknown keys are errors, values immutable, numbers finite."""

    model_config = ConfigDict(
        extra="forbid", frozen=True, allow_inf_nan=False, validate_default=True, strict=False, defer_build=False
    )


Count = Annotated[float, Field(ge=0, allow_inf_nan=False)]


class Workload(_Table):
    """How many requests arrive and how big they are."""

    requests_per_month: float = _num("requests/month", "Requests in month 1.", ge=0)
    monthly_growth: float = _num(
        "fraction/month", "Compounding monthly growth of requests; may be negative.", gt=-1, default=0.0
    )
    prompt_tokens: float = _num("tokens", "Prompt tokens per request, without retrieved context.", ge=0)
    output_tokens: float = _num("tokens", "Output tokens per request.", ge=0)


class Knowledge(_Table):
    """The document corpus and how often it changes."""

    corpus_tokens: float = _num("tokens", "Size of the document corpus.", ge=0)
    updates_per_month: float = _num("updates/month", "Knowledge-update events per month.", ge=0)
    changed_fraction: float = _num("fraction", "Share of the corpus that changes in one update.", ge=0, le=1)


class Team(_Table):
    """What people cost."""

    engineer_day_rate: float = _num("currency/day", "Cost of one engineer-day.", ge=0)
    expert_hour_rate: float = _num("currency/hour", "Cost of one hour of a subject expert.", ge=0)


class Rag(_Table):
    """Retrieval-augmented generation: a base model answering with retrieved context."""

    model: str = Field(description="Answering model; a key into [models].", min_length=1)
    embedding_model: str = Field(description="Embedding model; a key into [models].", min_length=1)
    build_days: float = _num("engineer-days", "Engineering days to build and tune retrieval.", ge=0)
    retrieved_tokens: float = _num("tokens", "Context tokens added to every request.", ge=0)
    retrieval_per_1k_requests: float = _num(
        "currency/1k requests", "Vector-DB reads and reranking per 1,000 requests.", ge=0, default=0.0
    )
    hosting_per_month: float = _num("currency/month", "Vector DB and serving, fixed per month.", ge=0, default=0.0)
    maintenance_days_per_month: float = _num(
        "engineer-days/month", "Upkeep of the retrieval pipeline.", ge=0, default=0.0
    )
    update_hours: float = _num("engineer-hours", "Human work per knowledge update.", ge=0, default=0.0)


class FineTune(_Table):
    """A fine-tuned model that carries knowledge and behaviour in its weights."""

    model: str = Field(description="Base model that is fine-tuned; a key into [models].", min_length=1)
    examples: float = _num("examples", "Curated training examples.", ge=0)
    tokens_per_example: float = _num("tokens", "Tokens in one training example.", ge=0)
    epochs: float = _num("epochs", "Passes over the training set per training run.", ge=1)
    curation_minutes_per_example: float = _num("expert-minutes", "Expert time to curate one example.", ge=0)
    build_days: float = _num("engineer-days", "Engineering days to build the fine-tune.", ge=0)
    retrain_days: float = _num("engineer-days", "Engineering days per retraining.", ge=0)
    changed_examples_fraction: float = _num("fraction", "Share of examples re-curated for a retraining.", ge=0, le=1)
    retrain_on_update: bool = Field(
        default=True,
        description="Each knowledge update retrains (facts live in the weights); false means answers go stale.",
        json_schema_extra={"unit": "yes/no"},
    )
    prompt_tokens_saved: float = _num("tokens", "Instruction tokens no longer needed per request.", ge=0, default=0.0)
    hosting_per_hour: float = _num(
        "currency/hour", "Dedicated fine-tuned deployment, if the provider bills one.", ge=0, default=0.0
    )
    maintenance_days_per_month: float = _num(
        "engineer-days/month", "Upkeep of the fine-tuned model.", ge=0, default=0.0
    )


class Hybrid(_Table):
    """RAG for knowledge plus a light fine-tune for tone and format."""

    examples: float = _num("examples", "Curated examples for the behaviour fine-tune.", ge=0)
    build_days: float = _num("engineer-days", "Engineering days on top of the RAG build.", ge=0)
    retrains_per_year: float = _num(
        "retrains/year", "Behaviour refreshes; knowledge updates never retrain.", ge=0, default=0.0
    )
    maintenance_days_per_month: float = _num(
        "engineer-days/month", "Upkeep of the fine-tune on top of RAG's.", ge=0, default=0.0
    )


_AS_OF = re.compile(r"\d{4}-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?")


class ModelPrice(_Table):
    """Prices of one model in USD per 1,000,000 tokens; a price a strategy needs must be set."""

    input_per_mtok: float | None = _num("USD/1M tokens", "Input (prompt) price.", ge=0, default=None)
    output_per_mtok: float | None = _num("USD/1M tokens", "Output price.", ge=0, default=None)
    training_per_mtok: float | None = _num("USD/1M tokens", "Fine-tuning price per training token.", ge=0, default=None)
    ft_input_per_mtok: float | None = _num(
        "USD/1M tokens", "Input price of the fine-tuned variant.", ge=0, default=None
    )
    ft_output_per_mtok: float | None = _num(
        "USD/1M tokens", "Output price of the fine-tuned variant.", ge=0, default=None
    )
    source: str | None = Field(default=None, description="Where the prices come from.")
    as_of: str | None = Field(default=None, description="When the prices were read: YYYY-MM or YYYY-MM-DD.")

    @field_validator("as_of")
    @classmethod
    def _check_as_of(cls, value: str | None) -> str | None:
        if value is not None and not _AS_OF.fullmatch(value):
            raise PydanticCustomError(
                "as_of", "expected a date as YYYY-MM or YYYY-MM-DD, got {value}", {"value": repr(value)}
            )
        return value


# Which prices each model reference needs: (table, field) -> price fields.
REQUIRED_PRICES: dict[tuple[str, str], tuple[str, ...]] = {
    ("rag", "model"): ("input_per_mtok", "output_per_mtok"),
    ("rag", "embedding_model"): ("input_per_mtok",),
    ("fine_tune", "model"): ("training_per_mtok", "ft_input_per_mtok", "ft_output_per_mtok"),
}


class Range(BaseModel):
    """An uncertain number written in place of a point value (see docs/uncertainty.md).

    `{low, high}` is a 90 % interval: lognormal with low and high at the 5th and 95th
    percentiles, or normal when low <= 0. `{low, mode, high}` is a PERT distribution.
    The scenario's point value at the same path is the distribution's median.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    low: float = Field(description="5th percentile (interval) or minimum (PERT).", allow_inf_nan=False)
    high: float = Field(description="95th percentile (interval) or maximum (PERT).", allow_inf_nan=False)
    mode: float | None = Field(default=None, description="Most likely value; makes the range a PERT.")

    @model_validator(mode="after")
    def _check_order(self) -> Range:
        if self.low > self.high:
            raise PydanticCustomError(
                "range_order", "range low ({low}) is above high ({high})", {"low": self.low, "high": self.high}
            )
        if self.mode is not None and not self.low <= self.mode <= self.high:
            raise PydanticCustomError(
                "range_mode",
                "range mode ({mode}) is outside low..high ({low}..{high})",
                {"mode": self.mode, "low": self.low, "high": self.high},
            )
        return self


class Needs(_Table):
    """What the answers must do. Drives the fit advice beside the costs; never changes a cost."""

    citations: bool | None = Field(default=None, description="Answers must cite the documents they rest on.")
    fresh_knowledge: bool | None = Field(
        default=None, description="Answers must reflect documents soon after they change."
    )
    strict_format: bool | None = Field(
        default=None, description="Output must follow a strict structure, such as a JSON schema."
    )
    brand_voice: bool | None = Field(default=None, description="Answers must keep a consistent tone or brand voice.")
    new_facts: bool | None = Field(
        default=None, description="Answers need private or new facts the base model was never trained on."
    )


class Scenario(_Table):
    """A whole scenario: workload, knowledge, team, the three strategies and model prices."""

    schema_version: Literal[1] = Field(default=1, description="Version of the scenario format.")
    name: str = Field(default="Untitled scenario", description="Shown in every output.")
    description: str = Field(default="", description="Free text.")
    currency: str = Field(default="USD", description="Currency of every amount.", min_length=1)
    horizon_months: int = Field(
        default=24, ge=1, le=120, description="Months projected.", json_schema_extra={"unit": "months"}
    )
    workload: Workload
    knowledge: Knowledge
    team: Team
    rag: Rag
    fine_tune: FineTune
    hybrid: Hybrid
    models: dict[str, ModelPrice] = Field(default_factory=dict, description="Prices by model name.")
    needs: Needs | None = Field(default=None, description="What the answers must do (fit advice only).")
    ranges: dict[str, Range] = Field(
        default_factory=dict,
        description="Uncertain inputs by dotted path; each path's point value is the range's median. "
        "Files write a range in place of its number, never this table.",
    )

    @field_validator("schema_version", mode="before")
    @classmethod
    def _check_version(cls, value: Any) -> Any:
        if value != 1 or isinstance(value, bool):
            raise PydanticCustomError(
                "schema_version", "this costmodel reads schema_version 1, got {value}", {"value": repr(value)}
            )
        return value

    @model_validator(mode="after")
    def _check_model_references(self) -> Scenario:
        for (table, field), prices in REQUIRED_PRICES.items():
            name = getattr(getattr(self, table), field)
            model = self.models.get(name)
            if model is None:
                known = ", ".join(sorted(self.models)) or "none"
                raise PydanticCustomError(
                    "unknown_model",
                    "model '{name}' is not in [models] (known: {known})",
                    {"path": f"{table}.{field}", "name": name, "known": known},
                )
            for price in prices:
                if getattr(model, price) is None:
                    raise PydanticCustomError(
                        "missing_price",
                        "{table}.{field} uses '{name}', which needs {price} (USD per 1M tokens)",
                        {
                            "path": format_path(("models", name, price)),
                            "table": table,
                            "field": field,
                            "name": name,
                            "price": price,
                        },
                    )
        return self


class CatalogInfo(_Table):
    """What a pricing catalog is and where its figures come from."""

    name: str = Field(description="Human-readable catalog name.")
    provider: str = Field(default="", description="Who sells these models.")
    description: str = Field(default="", description="Free text.")
    source: str = Field(default="", description="Where the prices were read.")
    as_of: str = Field(default="", description="When the prices were read: YYYY-MM or YYYY-MM-DD.")
    notes: str = Field(default="", description="Caveats a reader must know.")


class Catalog(_Table):
    """A pricing catalog file: `[catalog]` metadata and `[models.NAME]` prices."""

    catalog: CatalogInfo
    models: dict[str, ModelPrice] = Field(default_factory=dict)
