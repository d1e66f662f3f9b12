"""The protocol every strategy module implements, and what they share.

A strategy is an object (one per module) with its light metadata (`info`, from
costmodel.model.names), its cost lines, its effort, the prices it needs and the models it
calls. The engine, the pricing options, operations, availability and every face read
strategies only through this protocol.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from costmodel.model.lines import Amount, CostLine, EffortFigures, zero
from costmodel.model.names import StrategyInfo
from costmodel.model.price_needs import PriceNeed

if TYPE_CHECKING:
    from costmodel.model.context import Context
    from costmodel.model.schema import Scenario

__all__ = ["GpuRef", "ModelRef", "PriceNeed", "Strategy", "StrategyBase", "output_line"]

ModelRef = tuple[str, str]
"""Where a scenario names a model: (table, field), e.g. ("rag", "embedding_model")."""

GpuRef = tuple[str, str]
"""Where a scenario may set a GPU setup: (table, field), e.g. ("fine_tune", "self_train")."""


class Strategy(Protocol):
    """One way to build the system, as the engine and every face see it.

    `options_table` names the table holding its pricing options (self_host,
    cached_prompt_fraction, batch_fraction), None when it has none; `serving_model` is the
    reference of the model its requests are billed at and the price prefix of that billing
    ("" for base prices, "ft_" for a fine-tuned variant's).

    The people side and the operations hooks are functions of a Context `c`, like the
    amounts of cost lines: `effort(c)` gives docs/model.md's six effort figures
    (engineer-days and expert-hours, a plain tuple in EFFORT_FIELDS order); `retrains(c)` is retrains(s),
    retrainings per month (0.0 for a strategy that never trains); `migration_terms` is
    what a move onto a new model adds besides the move itself (currency, engineer-days,
    expert-hours): a fine-tuned strategy retrains on the new model, the others add nothing.
    """

    info: StrategyInfo
    name: str
    """The strategy's name (a key of the JSON's `strategies`), `info.name`."""
    options_table: str | None
    serving_model: ModelRef
    serving_prefix: str
    migration_terms: tuple[Amount, Amount, Amount]
    models_called: tuple[ModelRef, ...]
    """The model references the strategy calls when it answers (for availability)."""
    embedding_models: tuple[ModelRef, ...]
    """The references of `models_called` it only embeds with: a model with an output price does not fit them."""
    gpus_rented: tuple[GpuRef, ...]
    """The GPU setups whose GPUs the strategy's figures bill when the scenario sets them (for price sources)."""
    option_fields: tuple[str, ...]
    """The pricing options of `options_table` that are off at 0 (a saved file leaves them out then)."""

    def present(self, s: Scenario) -> bool:
        """Return True when the scenario has this strategy."""
        ...

    def lines(self, s: Scenario) -> tuple[CostLine, ...]:
        """Return the strategy's own cost lines for the scenario's switches (amounts read a Context)."""
        ...

    def retrains(self, c: Context) -> Any:
        """Return retrains(s): retrainings per month (0.0 for a strategy that never trains)."""
        ...

    def effort(self, c: Context) -> EffortFigures:
        """Return the engineer-days and expert-hours the strategy needs, without operations (EFFORT_FIELDS order)."""
        ...

    def price_needs(self, s: Scenario) -> list[PriceNeed]:
        """Return the model prices the strategy's lines use (with no pricing option on)."""
        ...

    def prices_billed(self, s: Scenario) -> list[PriceNeed]:
        """Return the required prices its figures bill: its own `price_needs(s)` and any another strategy lists."""
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


class StrategyBase:
    """Defaults of the Strategy protocol that most strategies share; a module overrides the rest.

    Present in every scenario, the same lines whatever the switches (`own_lines`), no
    retraining, no rule of its own, base prices, billing only the prices it needs.
    """

    serving_prefix: str = ""
    migration_terms: tuple[Amount, Amount, Amount] = (zero, zero, zero)
    own_lines: tuple[CostLine, ...] = ()
    price_needs: Callable[[Scenario], list[PriceNeed]]
    """Each strategy module's own `price_needs(s)` (the defaults below read it)."""

    def present(self, s: Scenario) -> bool:
        """Return True: the strategy is in every scenario."""
        return True

    def lines(self, s: Scenario) -> tuple[CostLine, ...]:
        """Return the strategy's cost lines (`own_lines`, the same for every scenario)."""
        return self.own_lines

    def retrains(self, c: Context) -> Any:
        """Return 0.0: the strategy never retrains."""
        return 0.0

    def prices_billed(self, s: Scenario) -> list[PriceNeed]:
        """Return the strategy's own `price_needs(s)`: it bills no price only another strategy lists."""
        return self.price_needs(s)

    def retrains_within(self, s: Scenario) -> bool:
        """Return False: the strategy never retrains."""
        return False

    def check(self, s: Scenario) -> list[tuple[str, str]]:
        """Return no issues: the schema's field rules are all this strategy has."""
        return []


def output_line(amount: Amount, shown: str = "output price") -> CostLine:
    """Return the per-request line of output tokens; `amount` is output_tokens × p(M.price) of the model billed.

    Token-priced (it drifts with price_change_per_year); `shown` names the price in the formula.
    """
    return CostLine("per_request", "output", f"output_tokens × {shown}", amount, token_priced=True, key="tokens")
