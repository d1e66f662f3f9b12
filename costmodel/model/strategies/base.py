"""The protocol every strategy module implements, and what they share.

A strategy is an object (one per module) with its light metadata (`info`, from
costmodel.model.names), its cost lines, its effort, the prices it needs and the models it
calls. The engine, the pricing options, operations, availability and every face read
strategies only through this protocol.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from costmodel.model.lines import CostLine
from costmodel.model.names import StrategyInfo
from costmodel.model.price_needs import PriceNeed

if TYPE_CHECKING:
    from costmodel.model.context import Context
    from costmodel.model.schema import Scenario

__all__ = ["ModelRef", "PriceNeed", "Strategy"]

ModelRef = tuple[str, str]
"""Where a scenario names a model: (table, field), e.g. ("rag", "embedding_model")."""


class Strategy(Protocol):
    """One way to build the system, as the engine and every face see it.

    `options_table` names the table holding its pricing options (self_host,
    cached_prompt_fraction, batch_fraction), None when it has none; `serving_model` is the
    reference of the model its requests are billed at and the price prefix of that billing
    ("" for base prices, "ft_" for a fine-tuned variant's).

    The people side and the operations hooks are expressions over a Context `c`, like the
    amounts of cost lines: `effort_terms` gives MODEL.md's six effort figures
    (EFFORT_FIELDS order: engineer-days and expert-hours); `retrains` is retrains(s),
    retrainings per month ("0.0" for a strategy that never trains); `migration_terms` is
    what a move onto a new model adds besides the move itself (currency, engineer-days,
    expert-hours): a fine-tuned strategy retrains on the new model, the others add nothing.
    """

    info: StrategyInfo
    name: str
    """The strategy's name (a key of the JSON's `strategies`), `info.name`."""
    options_table: str | None
    serving_model: ModelRef
    serving_prefix: str
    effort_terms: tuple[str, ...]
    retrains: str
    migration_terms: tuple[str, str, str]

    def present(self, s: Scenario) -> bool:
        """Return True when the scenario has this strategy."""
        ...

    def lines(self, s: Scenario) -> tuple[CostLine, ...]:
        """Return the strategy's own cost lines for the scenario's switches (amounts read a Context)."""
        ...

    def price_needs(self, s: Scenario) -> list[PriceNeed]:
        """Return the model prices the strategy's lines use (with no pricing option on)."""
        ...

    def models_called(self, s: Scenario) -> tuple[ModelRef, ...]:
        """Return the model references the strategy calls when it answers (for availability)."""
        ...

    def retrains_within(self, s: Scenario) -> bool:
        """Return True when the strategy retrains within the horizon without a model migration."""
        ...

    def request_tokens(self, c: Context) -> tuple[Any, Any, Any]:
        """Return (prompt, context, output) tokens of one request, for the serving options."""
        ...

    def check(self, s: Scenario) -> list[tuple[str, str]]:
        """Return the strategy's own rules the scenario breaks, as (dotted path, message); empty when none."""
        ...
