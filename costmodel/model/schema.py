"""Pydantic models of a scenario, named as docs/model.md and docs/scenario-format.md name them.

Every model forbids unknown keys and non-finite numbers. Each field's unit is kept in
`json_schema_extra["unit"]` so that faces (the TUI grid, docs) can show it.
"""

# No `from __future__ import annotations` here, unlike every other module: pydantic then reads
# each field's type as an object instead of evaluating its text, which makes importing the schema
# (building every model) ~8 M instructions cheaper. A model named before it is defined is quoted.
import re
from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from costmodel.model.names import STRATEGIES
from costmodel.model.paths import format_path
from costmodel.model.price_needs import PriceNeed
from costmodel.model.strategies import present

__all__ = [
    "STRATEGIES",
    "FineTune",
    "GpuPrice",
    "Hybrid",
    "Knowledge",
    "LongContext",
    "ModelPrice",
    "Needs",
    "Operations",
    "PriceNeed",
    "Rag",
    "Range",
    "Scenario",
    "SelfHost",
    "SelfTrain",
    "Team",
    "Workload",
    "checked_as_of",
    "required_prices",
]


def _num(unit: str, doc: str, **bounds: Any) -> Any:
    """Return a pydantic Field for a number with a unit and bounds (finite: every `_Table` refuses NaN and inf)."""
    return Field(description=doc, json_schema_extra={"unit": unit}, **bounds)


def _checked_date(value: Any) -> Any:
    """Return a TOML local date, or a "YYYY-MM-DD" string, as a date; leave other values to pydantic's error."""
    if isinstance(value, datetime):
        raise PydanticCustomError(
            "date", "expected a date (YYYY-MM-DD) without a time, got {value}", {"value": str(value)}
        )
    if isinstance(value, date) or value is None:
        return value
    if isinstance(value, str):
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            try:
                return date.fromisoformat(value)
            except ValueError:
                pass
        raise PydanticCustomError("date", "expected a date YYYY-MM-DD, got {value}", {"value": repr(value[:40])})
    raise PydanticCustomError("date", "expected a date YYYY-MM-DD, got {value}", {"value": type(value).__name__})


class _Table(BaseModel):
    """Base of every table: unknown keys are errors, values immutable, numbers finite, types strict.

    Strict: `true` or `"80000"` is not a number and `1` or `"yes"` not a flag; a whole
    number is still a number (strict floats take ints).
    """

    model_config = ConfigDict(
        extra="forbid", frozen=True, allow_inf_nan=False, validate_default=True, strict=True, defer_build=False
    )


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
    updates_per_month: float = _num(
        "updates/month",
        "Knowledge updates per month; an update is one batch of document changes that is re-indexed together "
        "(for fine_tune also counted toward its next retraining, see fine_tune.updates_per_retrain).",
        ge=0,
    )
    changed_fraction: float = _num("fraction", "Share of the corpus that changes in one update.", ge=0, le=1)


class Team(_Table):
    """What people cost."""

    engineer_day_rate: float = _num("currency/day", "Cost of one engineer-day.", ge=0)
    expert_hour_rate: float = _num("currency/hour", "Cost of one hour of a subject expert.", ge=0)
    engineers: float | None = _num(
        "engineers",
        "Head count of engineers on the project, for the staffing check (unset: not checked).",
        ge=0,
        default=None,
    )


# --- Pricing options (issue 5; docs/pricing.md). Each defaults to "off", leaving docs/model.md's formulas as written.


def _share(doc: str) -> Any:
    """Return a Field for a fraction 0..1 that defaults to 0 (the option is off)."""
    return _num("fraction", doc, ge=0, le=1, default=0.0)


_BATCH_DOC = "Share of requests sent through the provider's batch API at its batch prices."
_FT_CACHED_DOC = "Share of the remaining prompt billed at the fine-tuned model's cached-input price."


class SelfHost(_Table):
    """Serving a strategy's model on rented GPUs instead of a provider's per-token API."""

    gpu: str = Field(description="GPU type; a key into [gpus], which holds its hourly price.", min_length=1)
    gpu_count: int = Field(
        default=1, ge=1, le=100_000, description="GPUs of the deployment.", json_schema_extra={"unit": "GPUs"}
    )
    tokens_per_second: float = _num(
        "tokens/s",
        "Sustained throughput of the whole deployment, in the tokens throughput_tokens names, per second.",
        gt=0,
    )
    utilization: float = _num(
        "fraction", "Target utilization: the share of that throughput used on average (headroom for peaks).", gt=0, le=1
    )
    throughput_tokens: Literal["all", "output"] = Field(
        default="all",
        description="Which tokens tokens_per_second counts: all (prompt, context and output; vLLM's total "
        "token throughput) or output only (generated tokens, as MLPerf reports) at a similar input/output mix.",
    )
    billing: Literal["always_on", "per_use"] = Field(
        default="always_on",
        description="always_on: the GPUs run 730 h a month (a monthly fixed cost, limited capacity); "
        "per_use: only the GPU-hours requests need at the target utilization (a per-request cost).",
    )


class SelfTrain(_Table):
    """Training the fine-tune on rented GPUs instead of a provider's per-token fine-tuning price."""

    gpu: str = Field(description="GPU type; a key into [gpus], which holds its hourly price.", min_length=1)
    gpu_hours_per_mtok: float = _num("GPU-hours/1M tokens", "GPU-hours one epoch takes per 1M training tokens.", gt=0)


class GpuPrice(_Table):
    """The rental price of one GPU type, with where and when it was read."""

    per_hour: float = _num("currency/GPU-hour", "On-demand price of one GPU for one hour.", ge=0)
    provider: str = Field(default="", description="Who rents it out.")
    source: str | None = Field(default=None, description="Where the price comes from.")
    as_of: str | None = Field(default=None, description="When the price was read: YYYY-MM or YYYY-MM-DD.")
    unconfirmed: bool = Field(
        default=False, description="True when the price was not read from the provider's own page (warned about)."
    )

    @field_validator("as_of")
    @classmethod
    def _check_as_of(cls, value: str | None) -> str | None:
        return checked_as_of(value)


def _check_api_only(table: str, host: SelfHost | None, shares: dict[str, float]) -> None:
    """Raise when a per-token API option is set on a strategy served on its own GPUs."""
    if host is None:
        return
    for name, value in shares.items():
        if value:
            raise PydanticCustomError(
                "self_hosted_api_option",
                "{table}.{name} is {value}, but {table}.self_host serves on GPUs: API caching and batch "
                "prices do not apply (set it to 0, or remove self_host)",
                {"path": f"{table}.{name}", "table": table, "name": name, "value": value},
            )


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
    retrieval_minimum_per_month: float = _num(
        "currency/month",
        "Minimum monthly bill of the vector-DB plan: a month's retrieval fees below it are topped up to it.",
        ge=0,
        default=0.0,
    )
    cached_prompt_fraction: float = _share("Share of prompt_tokens billed at the model's cached-input price.")
    batch_fraction: float = _share(_BATCH_DOC)
    self_host: SelfHost | None = Field(default=None, description="Serve rag.model on rented GPUs instead of an API.")


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
    updates_per_retrain: int = Field(
        default=1,
        ge=1,
        le=1_000_000,
        description="Knowledge updates gathered into one retraining: the model is retrained once every n updates.",
        json_schema_extra={"unit": "updates"},
    )
    prompt_tokens_saved: float = _num("tokens", "Instruction tokens no longer needed per request.", ge=0, default=0.0)
    hosting_per_hour: float = _num(
        "currency/hour", "Dedicated fine-tuned deployment, if the provider bills one.", ge=0, default=0.0
    )
    maintenance_days_per_month: float = _num(
        "engineer-days/month", "Upkeep of the fine-tuned model.", ge=0, default=0.0
    )
    cached_prompt_fraction: float = _share(_FT_CACHED_DOC)
    batch_fraction: float = _share(_BATCH_DOC)
    self_host: SelfHost | None = Field(
        default=None, description="Serve the fine-tuned model on rented GPUs instead of an API."
    )
    self_train: SelfTrain | None = Field(
        default=None, description="Train on rented GPUs instead of paying training_per_mtok (also the hybrid's runs)."
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
    cached_prompt_fraction: float = _share(_FT_CACHED_DOC)
    batch_fraction: float = _share(_BATCH_DOC)
    self_host: SelfHost | None = Field(
        default=None, description="Serve the hybrid's fine-tuned model on rented GPUs instead of an API."
    )


class LongContext(_Table):
    """Long context: a curated knowledge pack in every prompt, read from the provider's prompt cache."""

    model: str = Field(description="Answering model; a key into [models].", min_length=1)
    context_tokens: float = _num("tokens", "Knowledge tokens placed in every prompt.", ge=0)
    cache_hit_fraction: float = _num(
        "fraction", "Share of requests that read the knowledge pack from the prompt cache.", ge=0, le=1, default=0.0
    )
    build_days: float = _num(
        "engineer-days", "Engineering days to assemble the pack and the prompt.", ge=0, default=0.0
    )
    update_hours: float = _num("engineer-hours", "Human work per knowledge update.", ge=0, default=0.0)
    hosting_per_month: float = _num("currency/month", "Fixed serving cost per month.", ge=0, default=0.0)
    maintenance_days_per_month: float = _num(
        "engineer-days/month", "Upkeep of the knowledge pack and prompt.", ge=0, default=0.0
    )


class Operations(_Table):
    """Costs every strategy carries: per-request fees, human review, evaluation, model migration."""

    per_request_fee: float = _num(
        "currency/request", "Guardrails, moderation, observability per request.", ge=0, default=0.0
    )
    review_fraction: float = _num("fraction", "Share of answers a person reviews.", ge=0, le=1, default=0.0)
    review_minutes: float = _num("minutes", "Minutes per reviewed answer.", ge=0, default=0.0)
    reviewer_hour_rate: float = _num("currency/hour", "Cost of one reviewer hour.", ge=0, default=0.0)
    eval_set_hours: float = _num(
        "expert-hours", "Expert-hours to build the golden evaluation set, once.", ge=0, default=0.0
    )
    eval_days_per_release: float = _num(
        "engineer-days", "Engineer-days to run and read the evaluation before a release.", ge=0, default=0.0
    )
    eval_cost_per_release: float = _num(
        "currency/release", "Judge-model tokens and tooling per release.", ge=0, default=0.0
    )
    releases_per_month: float = _num(
        "releases/month", "Prompt or pipeline releases per month, for every strategy.", ge=0, default=0.0
    )
    migration_every_months: int = Field(
        default=0,
        ge=0,
        le=10_000,
        description="Whole months between moves onto a new model (0 = never).",
        json_schema_extra={"unit": "months"},
    )
    migration_days: float = _num(
        "engineer-days", "Engineer-days to move one strategy onto the new model.", ge=0, default=0.0
    )


_START = re.compile(r"\d{4}-(0[1-9]|1[0-2])")


_AS_OF = re.compile(r"\d{4}-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?")


def checked_as_of(value: str | None) -> str | None:
    """Return `value` when it is None or a YYYY-MM[-DD] date; raise a located error otherwise."""
    if value is not None and not _AS_OF.fullmatch(value):
        raise PydanticCustomError(
            "as_of", "expected a date as YYYY-MM or YYYY-MM-DD, got {value}", {"value": repr(value)}
        )
    return value


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
    cached_input_per_mtok: float | None = _num(
        "USD/1M tokens", "Input price of prompt tokens read from the provider's prompt cache.", ge=0, default=None
    )
    batch_input_per_mtok: float | None = _num("USD/1M tokens", "Input price through the batch API.", ge=0, default=None)
    batch_output_per_mtok: float | None = _num(
        "USD/1M tokens", "Output price through the batch API.", ge=0, default=None
    )
    ft_cached_input_per_mtok: float | None = _num(
        "USD/1M tokens", "Cached-input price of the fine-tuned variant.", ge=0, default=None
    )
    ft_batch_input_per_mtok: float | None = _num(
        "USD/1M tokens", "Input price of the fine-tuned variant through the batch API.", ge=0, default=None
    )
    ft_batch_output_per_mtok: float | None = _num(
        "USD/1M tokens", "Output price of the fine-tuned variant through the batch API.", ge=0, default=None
    )
    ft_hosting_per_hour: float | None = _num(
        "USD/hour",
        "Hourly fee of a deployed fine-tuned model, if the provider bills one (a check on fine_tune.hosting_per_hour).",
        ge=0,
        default=None,
    )
    cache_write_per_mtok: float | None = _num(
        "USD/1M tokens",
        "Price of writing prompt tokens into the provider's prompt cache; unset means a write costs input_per_mtok.",
        ge=0,
        default=None,
    )
    context_window: int | None = Field(
        default=None, ge=1, description="Largest prompt plus output the model takes, in tokens (unset: not checked)."
    )
    above_tokens: int | None = Field(
        default=None,
        ge=1,
        description="Input tokens of one request above which the model's above_* prices apply to the whole request.",
    )
    above_input_per_mtok: float | None = _num(
        "USD/1M tokens", "Input price of a request larger than above_tokens.", ge=0, default=None
    )
    above_output_per_mtok: float | None = _num(
        "USD/1M tokens", "Output price of a request larger than above_tokens.", ge=0, default=None
    )
    above_cached_input_per_mtok: float | None = _num(
        "USD/1M tokens", "Cache-read price of a request larger than above_tokens.", ge=0, default=None
    )
    above_cache_write_per_mtok: float | None = _num(
        "USD/1M tokens", "Cache-write price of a request larger than above_tokens.", ge=0, default=None
    )
    available_until: date | None = Field(
        default=None, description='The last day the model can be called (a TOML date or "YYYY-MM-DD").'
    )
    training_until: date | None = Field(
        default=None,
        description='The last day a new fine-tuning job can be started on the model (a TOML date or "YYYY-MM-DD").',
    )
    source: str | None = Field(default=None, description="Where the prices come from.")
    as_of: str | None = Field(default=None, description="When the prices were read: YYYY-MM or YYYY-MM-DD.")
    unconfirmed: tuple[str, ...] = Field(
        default=(),
        strict=False,
        description="Price fields not confirmed from the provider's own page (warned about when used).",
    )
    withdrawn: tuple[str, ...] = Field(
        default=(),
        strict=False,
        description="Price fields the provider no longer sells to new customers (warned about when used).",
    )
    withdrawn_note: str = Field(default="", description="Why and since when those prices are no longer on sale.")

    @field_validator("as_of")
    @classmethod
    def _check_as_of(cls, value: str | None) -> str | None:
        return checked_as_of(value)

    @field_validator("available_until", "training_until", mode="before")
    @classmethod
    def _check_date(cls, value: Any) -> Any:
        return _checked_date(value)

    @field_validator("withdrawn", "unconfirmed")
    @classmethod
    def _check_withdrawn(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for name in value:
            if name not in PRICE_FIELDS:
                raise PydanticCustomError(
                    "withdrawn",
                    "{name} is not a price field (expected some of: {known})",
                    {"name": repr(name), "known": ", ".join(PRICE_FIELDS)},
                )
        return value


# The per-token price fields of a model, in the order faces list them.
PRICE_FIELDS: tuple[str, ...] = (
    "input_per_mtok",
    "output_per_mtok",
    "cached_input_per_mtok",
    "batch_input_per_mtok",
    "batch_output_per_mtok",
    "training_per_mtok",
    "ft_input_per_mtok",
    "ft_output_per_mtok",
    "ft_cached_input_per_mtok",
    "ft_batch_input_per_mtok",
    "ft_batch_output_per_mtok",
    "cache_write_per_mtok",
    "above_input_per_mtok",
    "above_output_per_mtok",
    "above_cached_input_per_mtok",
    "above_cache_write_per_mtok",
)


def required_prices(s: "Scenario") -> list[PriceNeed]:
    """Return every model price the scenario's strategies use, in the order they are checked.

    With no pricing option set this is REQUIRED_PRICES; serving on own GPUs drops the
    API prices, training on own GPUs drops `training_per_mtok`, and a cached or batch
    share above 0 adds the cached or batch prices it bills at. Each strategy of the
    registry that the scenario has says what it needs.
    """
    return [need for strategy in present(s) for need in strategy.price_needs(s)]


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
    def _check_order(self) -> "Range":
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

    schema_version: Literal[1, 2] = Field(default=1, description="Version of the scenario format (1 or 2).")
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
    long_context: LongContext | None = Field(
        default=None, description="The long-context strategy; present only when the scenario has this table."
    )
    operations: Operations | None = Field(
        default=None, description="Costs every strategy carries; every key 0 when absent."
    )
    price_tiers: bool = Field(
        default=False,
        description="Price a request whose input tokens exceed its model's above_tokens at the above_* prices "
        "(long-context tiers; base models only, fine-tuned prices have no tiers).",
        json_schema_extra={"unit": "yes/no"},
    )
    cache_writes: bool = Field(
        default=False,
        description="Bill the uncached share of a cached prompt (cached_prompt_fraction) at the model's "
        "cache_write_per_mtok instead of its input price (base models only; long_context always does).",
        json_schema_extra={"unit": "yes/no"},
    )
    price_change_per_year: float = _num(
        "fraction/year", "Yearly drift of model token prices (negative: prices fall).", gt=-1, default=0.0
    )
    start: str | None = Field(
        default=None, description="Calendar month of timeline month 1, YYYY-MM (unset: the current month)."
    )
    models: dict[str, ModelPrice] = Field(default_factory=dict, description="Prices by model name.")
    gpus: dict[str, GpuPrice] = Field(
        default_factory=dict, description="Hourly GPU prices by name, for self_host and self_train."
    )
    needs: Needs | None = Field(default=None, description="What the answers must do (fit advice only).")
    ranges: dict[str, Range] = Field(
        default_factory=dict,
        description="Uncertain inputs by dotted path; each path's point value is the range's median. "
        "Files write a range in place of its number, never this table.",
    )

    @field_validator("schema_version", mode="before")
    @classmethod
    def _check_version(cls, value: Any) -> Any:
        if value not in (1, 2) or isinstance(value, bool):
            raise PydanticCustomError(
                "schema_version", "this costmodel reads schema_version 1 or 2, got {value}", {"value": repr(value)}
            )
        return value

    @field_validator("start")
    @classmethod
    def _check_start(cls, value: str | None) -> str | None:
        if value is not None and not _START.fullmatch(value):
            raise PydanticCustomError("start", "expected a month as YYYY-MM, got {value}", {"value": repr(value[:40])})
        return value

    @model_validator(mode="after")
    def _check_model_references(self) -> "Scenario":
        problems: list[PydanticCustomError] = []
        strategies = present(self)
        for strategy in strategies:
            table = strategy.options_table
            if table is None:
                continue
            part = getattr(self, table)
            try:
                _check_api_only(
                    table,
                    part.self_host,
                    {"cached_prompt_fraction": part.cached_prompt_fraction, "batch_fraction": part.batch_fraction},
                )
            except PydanticCustomError as exc:
                problems.append(exc)
        unknown: set[tuple[str, str, str]] = set()
        for need in required_prices(self):
            table, field, price = need.table, need.field, need.price
            name = getattr(getattr(self, table), field)
            model = self.models.get(name)
            if model is None:
                if (table, field, name) in unknown:
                    continue
                unknown.add((table, field, name))
                known = ", ".join(sorted(self.models)) or "none"
                problems.append(
                    PydanticCustomError(
                        "unknown_model",
                        "model '{name}' is not in [models] (known: {known})",
                        {"path": f"{table}.{field}", "name": name, "known": known},
                    )
                )
                continue
            if getattr(model, price) is None:
                if need.because:
                    value = getattr(getattr(self, need.because.split(".")[0]), need.because.split(".")[1])
                    message = "{because} is {value}, so {table}.{field} '{name}' needs {price} (USD per 1M tokens)"
                else:
                    value = None
                    message = "{table}.{field} uses '{name}', which needs {price} (USD per 1M tokens)"
                problems.append(
                    PydanticCustomError(
                        "missing_price",
                        message,
                        {
                            "path": format_path(("models", name, price)),
                            "table": table,
                            "field": field,
                            "name": name,
                            "price": price,
                            "because": need.because,
                            "value": value,
                        },
                    )
                )
        for strategy in strategies:
            for path, message in strategy.check(self):
                problems.append(PydanticCustomError("strategy_rule", "{message}", {"path": path, "message": message}))
        for where, part in (
            ("rag.self_host", self.rag.self_host),
            ("fine_tune.self_host", self.fine_tune.self_host),
            ("fine_tune.self_train", self.fine_tune.self_train),
            ("hybrid.self_host", self.hybrid.self_host),
        ):
            if part is not None and part.gpu not in self.gpus:
                known = ", ".join(sorted(self.gpus)) or "none"
                problems.append(
                    PydanticCustomError(
                        "unknown_gpu",
                        "GPU '{name}' is not in [gpus] (known: {known}); add [gpus.\"{name}\"] per_hour = ... "
                        'or take a GPU catalog such as pricing = [..., "gpus-2026"]',
                        {"path": f"{where}.gpu", "name": part.gpu, "known": known},
                    )
                )
        _raise_all(problems)
        return self


def _raise_all(problems: list[PydanticCustomError]) -> None:
    """Raise the one problem found, or all of them as one `several` error whose ctx lists (path, message)."""
    if len(problems) == 1:
        raise problems[0]
    if problems:
        issues = [(str((p.context or {}).get("path", "")), p.message()) for p in problems]
        raise PydanticCustomError("several", "{count} problems", {"count": len(issues), "issues": issues})
