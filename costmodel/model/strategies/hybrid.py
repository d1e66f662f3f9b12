"""Hybrid (`hybrid`): RAG for knowledge plus a light fine-tune for tone and format (docs/model.md, "Hybrid").

Its RAG parts are the v1 RAG lines (before operations), shared with costmodel.model.strategies.rag.
"""

from __future__ import annotations

from operator import attrgetter
from typing import TYPE_CHECKING, Any

from costmodel.model.lines import Amount, CostLine, EffortFigures
from costmodel.model.names import INFO
from costmodel.model.options import SHARE_OPTIONS, serving_needs
from costmodel.model.price_needs import PriceNeed
from costmodel.model.strategies.base import GpuRef, ModelRef, StrategyBase
from costmodel.model.strategies.fine_tune import DEPLOYMENT, FINE_TUNE, FINE_TUNED_OUTPUT, TRAINING_PRICE, TRAINS_ON
from costmodel.model.strategies.rag import (
    EMBEDDING_MODEL,
    EMBEDDING_PRICE,
    RAG,
    RAG_FIXED,
    RAG_UPDATE,
    RAG_UPFRONT,
    RETRIEVAL_FEE,
)

if TYPE_CHECKING:
    from costmodel.model.context import Context
    from costmodel.model.schema import Scenario

__all__ = ["HYBRID", "Hybrid"]

_LINES: tuple[CostLine, ...] = (
    *RAG_UPFRONT,
    CostLine(
        "upfront",
        "behaviour fine-tune build",
        "hybrid.build_days × engineer_day_rate",
        lambda c: c.hy.build_days * c.day,
    ),
    CostLine(
        "upfront",
        "curating examples",
        "hybrid.examples × curation minutes / 60 × expert_hour_rate",
        attrgetter("hy_curation"),
    ),
    CostLine(
        "upfront",
        "training run",
        "hybrid.examples × tokens_per_example × epochs × training price",
        attrgetter("hy_run"),
    ),
    *RAG_UPDATE,
    CostLine(
        "per_request",
        "prompt and retrieved context",
        "(prompt after saved instructions + retrieved_tokens) × fine-tuned input price",
        lambda c: (c.ft_prompt + c.rag.retrieved_tokens) * (c.m[c.ft.model].ft_input_per_mtok / 1e6),
        token_priced=True,
        key="tokens",
    ),
    FINE_TUNED_OUTPUT,
    RETRIEVAL_FEE,
    *RAG_FIXED,
    DEPLOYMENT,
    CostLine(
        "monthly_fixed",
        "fine-tune maintenance",
        "hybrid.maintenance_days_per_month × engineer_day_rate",
        lambda c: c.hy.maintenance_days_per_month * c.day,
    ),
    CostLine(
        "periodic_monthly",
        "behaviour retraining",
        "retrains_per_year / 12 × (training run of hybrid.examples + re-curation of hybrid.examples × "
        "changed_examples_fraction + retrain_days × engineer_day_rate)",
        lambda c: c.hy.retrains_per_year / 12 * c.hy_retraining,
    ),
)


_SHARED = (EMBEDDING_PRICE, TRAINING_PRICE)


class Hybrid(StrategyBase):
    """The hybrid strategy: RAG's index and fees, a behaviour fine-tune retrained a few times a year."""

    info = INFO["hybrid"]
    own_lines = _LINES
    name: str = info.name
    models_called: tuple[ModelRef, ...] = (("fine_tune", "model"), EMBEDDING_MODEL)
    embedding_models: tuple[ModelRef, ...] = (EMBEDDING_MODEL,)
    gpus_rented: tuple[GpuRef, ...] = (("hybrid", "self_host"), TRAINS_ON)
    options_table: str | None = "hybrid"
    option_fields: tuple[str, ...] = SHARE_OPTIONS
    serving_model: ModelRef = ("fine_tune", "model")
    serving_prefix = "ft_"
    migration_terms: tuple[Amount, Amount, Amount] = (
        attrgetter("hy_retraining"),
        attrgetter("ft.retrain_days"),
        attrgetter("hy_recuration_hours"),
    )

    def retrains(self, c: Context) -> Any:
        """Return retrains(s), retrainings per month."""
        return c.hy.retrains_per_year / 12

    def effort(self, c: Context) -> EffortFigures:
        """Return the engineer-days and expert-hours it needs (docs/model.md's `effort`), in EFFORT_FIELDS order."""
        rag, hy, ft = c.rag, c.hy, c.ft
        return (
            rag.build_days + hy.build_days,
            hy.examples * ft.curation_minutes_per_example / 60,
            rag.update_hours / 8,
            0.0,
            rag.maintenance_days_per_month
            + hy.maintenance_days_per_month
            + hy.retrains_per_year / 12 * ft.retrain_days,
            hy.retrains_per_year
            / 12
            * hy.examples
            * ft.changed_examples_fraction
            * ft.curation_minutes_per_example
            / 60,
        )

    def price_needs(self, s: Scenario) -> list[PriceNeed]:
        """Return the fine-tuned serving prices of fine_tune.model (per the hybrid's pricing options)."""
        return serving_needs(self, s)

    def prices_billed(self, s: Scenario) -> list[PriceNeed]:
        """Return its own needs, then the embedding price RAG lists and the training price fine-tuning lists.

        Its RAG lines embed with rag.embedding_model and its training runs train fine_tune.model,
        so it bills those prices whenever the strategy listing them needs them.
        """
        shared = [need for need in (*RAG.price_needs(s), *FINE_TUNE.price_needs(s)) if need in _SHARED]
        return [*self.price_needs(s), *shared]

    def retrains_within(self, s: Scenario) -> bool:
        """Return True when the hybrid retrains at all (retrains_per_year > 0)."""
        return s.hybrid.retrains_per_year > 0

    def request_tokens(self, c: Context) -> tuple[Any, Any, Any]:
        """Return (max(prompt_tokens - prompt_tokens_saved, 0), retrieved_tokens, output_tokens)."""
        return c.ft_prompt, c.rag.retrieved_tokens, c.R.output_tokens


HYBRID = Hybrid()
