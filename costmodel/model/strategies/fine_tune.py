"""Fine-tuning (`fine_tune`): facts and behaviour in the weights (docs/model.md, "Fine-tuning")."""

from __future__ import annotations

from operator import attrgetter
from typing import TYPE_CHECKING, Any

from costmodel.model.context import HOURS_PER_MONTH
from costmodel.model.lines import Amount, CostLine, EffortFigures, zero
from costmodel.model.names import INFO
from costmodel.model.options import SHARE_OPTIONS, serving_needs
from costmodel.model.price_needs import PriceNeed
from costmodel.model.strategies.base import GpuRef, ModelRef, StrategyBase, output_line

if TYPE_CHECKING:
    from costmodel.model.context import Context
    from costmodel.model.schema import Scenario

__all__ = ["DEPLOYMENT", "FINE_TUNE", "FINE_TUNED_OUTPUT", "STALE_WARNING", "TRAINING_PRICE", "TRAINS_ON", "FineTune"]


DEPLOYMENT = CostLine(
    "monthly_fixed",
    "fine-tuned deployment",
    "hosting_per_hour × 730",
    lambda c: c.ft.hosting_per_hour * HOURS_PER_MONTH,
    key="deployment",
)

FINE_TUNED_OUTPUT = output_line(
    lambda c: c.R.output_tokens * (c.m[c.ft.model].ft_output_per_mtok / 1e6), "fine-tuned output price"
)
"""Output tokens at the fine-tuned variant's price (fine-tuning and the hybrid)."""

TRAINING_PRICE = PriceNeed("fine_tune", "model", "training_per_mtok")
"""The training price of fine_tune.model: fine-tuning needs it, and the hybrid's training runs bill it too."""
TRAINS_ON: GpuRef = ("fine_tune", "self_train")
"""The own-GPU training setup, which every training run (fine-tuning's and the hybrid's) rents when set."""

_COMMON: tuple[CostLine, ...] = (
    CostLine(
        "upfront", "fine-tune build", "fine_tune.build_days × engineer_day_rate", lambda c: c.ft.build_days * c.day
    ),
    CostLine(
        "upfront",
        "curating examples",
        "examples × curation minutes / 60 × expert_hour_rate",
        attrgetter("ft_curation"),
    ),
    CostLine(
        "upfront",
        "training run",
        "examples × tokens_per_example × epochs × training price",
        attrgetter("ft_run"),
    ),
    CostLine(
        "per_request",
        "prompt (after saved instructions)",
        "max(prompt_tokens - prompt_tokens_saved, 0) × fine-tuned input price",
        lambda c: c.ft_prompt * (c.m[c.ft.model].ft_input_per_mtok / 1e6),
        token_priced=True,
        key="tokens",
    ),
    FINE_TUNED_OUTPUT,
    DEPLOYMENT,
    CostLine(
        "monthly_fixed",
        "fine-tune maintenance",
        "fine_tune.maintenance_days_per_month × engineer_day_rate",
        lambda c: c.ft.maintenance_days_per_month * c.day,
    ),
)

# Retraining at knowledge updates, gathered `updates_per_retrain` at a time (the v1 figure / n).
_RETRAIN: tuple[CostLine, ...] = (
    CostLine(
        "per_update",
        "re-curating examples",
        "examples × changed_examples_fraction × curation minutes / 60 × expert_hour_rate / updates_per_retrain",
        lambda c: c.ft_recuration / c.ft.updates_per_retrain,
    ),
    CostLine(
        "per_update",
        "retraining run",
        "examples × tokens_per_example × epochs × training price / updates_per_retrain",
        lambda c: c.ft_run / c.ft.updates_per_retrain,
    ),
    CostLine(
        "per_update",
        "retraining work",
        "retrain_days × engineer_day_rate / updates_per_retrain",
        lambda c: c.ft.retrain_days * c.day / c.ft.updates_per_retrain,
    ),
)
_STALE = (CostLine("per_update", "no retraining (answers go stale)", "retrain_on_update = false", zero),)

STALE_WARNING = (
    "fine_tune.retrain_on_update is false: knowledge updates do not retrain the fine-tuned "
    "model, so its answers go stale (per_update is 0)"
)
"""The engine's warning for a scenario whose knowledge updates do not retrain (the `_STALE` line's reason)."""

_RETRAINING_LINES = (*_COMMON, *_RETRAIN)
_STALE_LINES = (*_COMMON, *_STALE)


class FineTune(StrategyBase):
    """The fine-tuning strategy: a curated training set, training runs, fine-tuned tokens."""

    info = INFO["fine_tune"]
    name: str = info.name
    models_called: tuple[ModelRef, ...] = (("fine_tune", "model"),)
    embedding_models: tuple[ModelRef, ...] = ()
    gpus_rented: tuple[GpuRef, ...] = (("fine_tune", "self_host"), TRAINS_ON)
    options_table: str | None = "fine_tune"
    option_fields: tuple[str, ...] = SHARE_OPTIONS
    serving_model: ModelRef = ("fine_tune", "model")
    serving_prefix = "ft_"
    migration_terms: tuple[Amount, Amount, Amount] = (
        attrgetter("ft_retraining"),
        attrgetter("ft.retrain_days"),
        attrgetter("ft_recuration_hours"),
    )

    def lines(self, s: Scenario) -> tuple[CostLine, ...]:
        """Return fine-tuning's cost lines: with retraining lines, or a zero line when updates do not retrain."""
        return _RETRAINING_LINES if s.fine_tune.retrain_on_update else _STALE_LINES

    def retrains(self, c: Context) -> Any:
        """Return retrains(s), retrainings per month."""
        return c.K.updates_per_month / c.ft.updates_per_retrain if c.ft.retrain_on_update else 0.0

    def effort(self, c: Context) -> EffortFigures:
        """Return the engineer-days and expert-hours it needs (docs/model.md's `effort`), in EFFORT_FIELDS order."""
        ft = c.ft
        retrains = ft.retrain_on_update
        return (
            ft.build_days,
            ft.examples * ft.curation_minutes_per_example / 60,
            ft.retrain_days / ft.updates_per_retrain if retrains else 0.0,
            c.ft_recuration_hours / ft.updates_per_retrain if retrains else 0.0,
            ft.maintenance_days_per_month,
            0.0,
        )

    def price_needs(self, s: Scenario) -> list[PriceNeed]:
        """Return fine_tune.model's training price (unless trained on own GPUs) and its fine-tuned serving prices."""
        needs = [] if s.fine_tune.self_train is not None else [TRAINING_PRICE]
        return [*needs, *serving_needs(self, s)]

    def retrains_within(self, s: Scenario) -> bool:
        """Return True when knowledge updates retrain and there are any."""
        return bool(s.fine_tune.retrain_on_update and s.knowledge.updates_per_month > 0)

    def request_tokens(self, c: Context) -> tuple[Any, Any, Any]:
        """Return (max(prompt_tokens - prompt_tokens_saved, 0), 0, output_tokens)."""
        return c.ft_prompt, 0.0, c.R.output_tokens


FINE_TUNE = FineTune()
