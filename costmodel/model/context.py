"""The Context the cost lines read: a scenario and docs/model.md's shared pieces, worked out once.

A Context holds plain floats for `estimate()`, or numpy arrays of samples for the Monte
Carlo (which passes `numpy.maximum` and `numpy.where` as `maximum` and `where`): every
cost line's formula runs unchanged on either. No I/O; no pydantic at run time.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from costmodel.model.schema import ModelPrice, Operations, Scenario

__all__ = ["HOURS_PER_MONTH", "NO_OPERATIONS", "Context", "per_token", "scalar_where"]

HOURS_PER_MONTH = 730


def per_token(price: Any) -> Any:
    """Return a per-1M-token price as a price per token (docs/model.md's p(x) = x / 1e6).

    The schema guarantees every price a figure uses is set; a price left unset is NaN here
    only in a figure that a pricing option replaces (a model served or trained on own GPUs).
    """
    return price / 1e6 if price is not None else math.nan


def scalar_where(condition: Any, if_true: Any, if_false: Any) -> Any:
    """Return `if_true` when `condition` holds, else `if_false` (numpy.where for plain numbers)."""
    return if_true if condition else if_false


class _NoOperations:
    """`[operations]` when the scenario has none: every key 0."""

    per_request_fee = 0.0
    review_fraction = 0.0
    review_minutes = 0.0
    reviewer_hour_rate = 0.0
    eval_set_hours = 0.0
    eval_days_per_release = 0.0
    eval_cost_per_release = 0.0
    releases_per_month = 0.0
    migration_every_months = 0
    migration_days = 0.0


NO_OPERATIONS: Any = _NoOperations()


class _NoPrices:
    """The prices of a model the scenario does not name (every price unset)."""

    def __getattr__(self, name: str) -> None:
        return None


_NO_PRICES: Any = _NoPrices()


class Context:
    """A scenario with docs/model.md's shared pieces (prices per token, day and hour rates) worked out.

    Attributes are in the scenario's currency per unit: `day` per engineer-day, `hour`
    per engineer-hour, `*_price` per token; `retrieval_fee` per request; with `[operations]`,
    `review` per request, `gate` per release and `moves` (moves onto a new model per month). `m` is the
    scenario's `[models]` (a cost line reads a price as `c.m[c.rag.model].input_per_mtok`
    only where the schema guarantees it).
    """

    __slots__ = (
        "K",
        "R",
        "T",
        "day",
        "emb_price",
        "eval_set",
        "ft",
        "ft_curation",
        "ft_prompt",
        "ft_recuration",
        "ft_recuration_hours",
        "ft_retraining",
        "ft_run",
        "gate",
        "hour",
        "hy",
        "hy_curation",
        "hy_recuration",
        "hy_recuration_hours",
        "hy_retraining",
        "hy_run",
        "lc",
        "m",
        "maximum",
        "moves",
        "ops",
        "rag",
        "retrieval_fee",
        "review",
        "s",
        "served",
        "train_price",
        "train_text",
        "untrained_gates",
        "untrained_migrations",
        "where",
    )

    def __init__(
        self,
        s: Scenario,
        maximum: Callable[[Any, Any], Any] = max,
        where: Callable[[Any, Any, Any], Any] = scalar_where,
    ) -> None:
        self.s = s
        self.m = models = s.models
        workload, team, rag, ft, ops = s.workload, s.team, s.rag, s.fine_tune, s.operations
        self.R, self.K, self.T = workload, s.knowledge, team
        self.ops: Operations = ops if ops is not None else NO_OPERATIONS
        self.rag, self.ft, self.hy, self.lc = rag, ft, s.hybrid, s.long_context
        self.day = day = team.engineer_day_rate
        self.hour = day / 8
        self.maximum = maximum
        self.where = where
        train = ft.self_train
        if train is None:
            model = models.get(ft.model)
            price = model.training_per_mtok if model is not None else None
            self.train_price = price / 1e6 if price is not None else math.nan
            self.train_text = "training price"
        else:
            self.train_price = train.gpu_hours_per_mtok * s.gpus[train.gpu].per_hour / 1e6
            self.train_text = "GPU-hours per 1M tokens × GPU price"
        embedding = models.get(rag.embedding_model)
        price = embedding.input_per_mtok if embedding is not None else None
        self.emb_price = price / 1e6 if price is not None else math.nan
        self.retrieval_fee = rag.retrieval_per_1k_requests / 1000
        self.ft_prompt = maximum(workload.prompt_tokens - ft.prompt_tokens_saved, 0)
        # The training pieces of fine-tuning and the hybrid, which several of their lines and the
        # operations' migrations read: each worked out once here rather than once per line.
        self.ft_run, self.ft_curation, self.ft_recuration, self.ft_recuration_hours, self.ft_retraining = (
            self._training_pieces(ft.examples)
        )
        self.hy_run, self.hy_curation, self.hy_recuration, self.hy_recuration_hours, self.hy_retraining = (
            self._training_pieces(s.hybrid.examples)
        )
        self.served: dict[str, Any] = {}
        if ops is None:
            self.review = self.gate = self.moves = self.eval_set = 0.0
            self.untrained_gates = self.untrained_migrations = 0.0
        else:
            # [operations]' shared pieces (docs/model.md v2): review per request, the gate per release,
            # moves onto a new model per month, the golden evaluation set; and the gates and migrations
            # of a strategy that never retrains (retrains(s) = 0.0 and no retraining on the new model,
            # still added so that each is the same float as the general formula).
            self.review = ops.review_fraction * ops.review_minutes / 60 * ops.reviewer_hour_rate
            self.gate = gate = ops.eval_days_per_release * day + ops.eval_cost_per_release
            every = ops.migration_every_months
            self.moves = moves = 1 / every if every > 0 else 0.0
            self.eval_set = ops.eval_set_hours * team.expert_hour_rate
            self.untrained_gates = (ops.releases_per_month + 0.0) * gate
            self.untrained_migrations = moves * (ops.migration_days * day + gate + 0.0)

    def model(self, name: str) -> ModelPrice:
        """Return the prices of model `name` (every price unset when `[models]` lacks it)."""
        found = self.s.models.get(name)
        return found if found is not None else _NO_PRICES

    def _training_pieces(self, n: Any) -> tuple[Any, Any, Any, Any, Any]:
        """Return docs/model.md's training pieces of a fine-tune over `n` examples.

        That is (training_run(n), curation(n), curation(n × changed_examples_fraction),
        the expert-hours of that re-curation, and one retraining: training_run(n) + the
        re-curation + retrain_days × engineer_day_rate), in currency except the hours.
        Written out in one function: each call of a method costs as much as its arithmetic.
        """
        ft = self.ft
        minutes = ft.curation_minutes_per_example
        rate = self.T.expert_hour_rate
        changed = n * ft.changed_examples_fraction
        run = n * ft.tokens_per_example * ft.epochs * self.train_price  # training_run(n)
        recuration = changed * minutes / 60 * rate  # curation(changed): changed × minutes / 60 × hour rate
        return (
            run,
            n * minutes / 60 * rate,
            recuration,
            changed * minutes / 60,
            run + recuration + ft.retrain_days * self.day,
        )
