"""RAG (`rag`): a base model answering with retrieved context (docs/model.md, "RAG")."""

from __future__ import annotations

from operator import attrgetter
from typing import TYPE_CHECKING, Any

from costmodel.model.lines import CostLine, EffortFigures
from costmodel.model.names import INFO
from costmodel.model.options import SHARE_OPTIONS, serving_needs
from costmodel.model.price_needs import PriceNeed
from costmodel.model.strategies.base import GpuRef, ModelRef, StrategyBase, output_line

if TYPE_CHECKING:
    from costmodel.model.context import Context
    from costmodel.model.schema import Scenario

__all__ = [
    "EMBEDDING_MODEL",
    "EMBEDDING_PRICE",
    "RAG",
    "RAG_FIXED",
    "RAG_UPDATE",
    "RAG_UPFRONT",
    "RETRIEVAL_FEE",
    "Rag",
]

EMBEDDING_MODEL: ModelRef = ("rag", "embedding_model")
"""The model the corpus is embedded with (RAG's and the hybrid's)."""
EMBEDDING_PRICE = PriceNeed(*EMBEDDING_MODEL, "input_per_mtok")
"""The embedding price: RAG needs it, and the hybrid's RAG lines bill it too."""

# The v1 RAG figures, which the hybrid builds on (shared lines, defined once).
RAG_UPFRONT: tuple[CostLine, ...] = (
    CostLine("upfront", "retrieval build", "rag.build_days × engineer_day_rate", lambda c: c.rag.build_days * c.day),
    CostLine(
        "upfront",
        "corpus embedding",
        "corpus_tokens × embedding price",
        lambda c: c.K.corpus_tokens * c.emb_price,
    ),
)
RAG_UPDATE: tuple[CostLine, ...] = (
    CostLine(
        "per_update",
        "re-embedding changed documents",
        "changed_fraction × corpus_tokens × embedding price",
        lambda c: c.K.changed_fraction * c.K.corpus_tokens * c.emb_price,
    ),
    CostLine(
        "per_update", "update work", "rag.update_hours × engineer_day_rate / 8", lambda c: c.rag.update_hours * c.hour
    ),
)
RETRIEVAL_FEE = CostLine(
    "per_request", "retrieval fee", "retrieval_per_1k_requests / 1000", attrgetter("retrieval_fee"), key="retrieval"
)
RAG_FIXED: tuple[CostLine, ...] = (
    CostLine("monthly_fixed", "vector DB and serving", "rag.hosting_per_month", attrgetter("rag.hosting_per_month")),
    CostLine(
        "monthly_fixed",
        "retrieval maintenance",
        "rag.maintenance_days_per_month × engineer_day_rate",
        lambda c: c.rag.maintenance_days_per_month * c.day,
    ),
)


_LINES: tuple[CostLine, ...] = (
    *RAG_UPFRONT,
    *RAG_UPDATE,
    CostLine(
        "per_request",
        "prompt and retrieved context",
        "(prompt_tokens + retrieved_tokens) × input price",
        lambda c: (c.R.prompt_tokens + c.rag.retrieved_tokens) * (c.m[c.rag.model].input_per_mtok / 1e6),
        token_priced=True,
        key="tokens",
    ),
    output_line(lambda c: c.R.output_tokens * (c.m[c.rag.model].output_per_mtok / 1e6)),
    RETRIEVAL_FEE,
    *RAG_FIXED,
)


class Rag(StrategyBase):
    """The RAG strategy: retrieval build and index, base-model tokens, vector-DB fees."""

    info = INFO["rag"]
    own_lines = _LINES
    name: str = info.name
    models_called: tuple[ModelRef, ...] = (("rag", "model"), EMBEDDING_MODEL)
    embedding_models: tuple[ModelRef, ...] = (EMBEDDING_MODEL,)
    gpus_rented: tuple[GpuRef, ...] = (("rag", "self_host"),)
    options_table: str | None = "rag"
    option_fields: tuple[str, ...] = ("retrieval_minimum_per_month", *SHARE_OPTIONS)
    serving_model: ModelRef = ("rag", "model")

    def effort(self, c: Context) -> EffortFigures:
        """Return the engineer-days and expert-hours it needs (docs/model.md's `effort`), in EFFORT_FIELDS order."""
        return (
            c.rag.build_days,
            0.0,
            c.rag.update_hours / 8,
            0.0,
            c.rag.maintenance_days_per_month,
            0.0,
        )

    def price_needs(self, s: Scenario) -> list[PriceNeed]:
        """Return rag.model's serving prices (per its pricing options) and rag.embedding_model's input price."""
        return [*serving_needs(self, s), EMBEDDING_PRICE]

    def request_tokens(self, c: Context) -> tuple[Any, Any, Any]:
        """Return (prompt_tokens, retrieved_tokens, output_tokens)."""
        return c.R.prompt_tokens, c.rag.retrieved_tokens, c.R.output_tokens


RAG = Rag()
