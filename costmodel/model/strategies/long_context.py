"""Long context (`long_context`): a knowledge pack in every prompt, read from the prompt cache.

docs/model.md, "Version 2 additions": present only when the scenario has a
`[long_context]` table. With `h = cache_hit_fraction` and `w` the cache-write price
(input_per_mtok when unset), the pack costs context_tokens × ((1 - h) × p(w) + h × p(cached))
per request; with h = 0 no cache is written or read and the pack is billed at the input price.
"""

from __future__ import annotations

from operator import attrgetter
from typing import TYPE_CHECKING, Any

from costmodel.model.context import per_token
from costmodel.model.lines import CostLine, EffortFigures
from costmodel.model.names import INFO
from costmodel.model.options import tiered
from costmodel.model.price_needs import PriceNeed
from costmodel.model.strategies.base import GpuRef, ModelRef, StrategyBase, output_line

if TYPE_CHECKING:
    from costmodel.model.context import Context
    from costmodel.model.schema import Scenario

__all__ = ["LONG_CONTEXT", "LongContext", "fits_window", "pack_price"]


def pack_price(c: Context) -> Any:
    """Return what one knowledge-pack token costs per request (currency/token), cache writes and reads included.

    (1 - h) × p(w) + h × p(cached_input_per_mtok) when h > 0, else p(input_per_mtok).
    """
    lc = c.lc
    assert lc is not None  # a Context reads long-context lines only when the scenario has the table
    m = c.model(lc.model)
    h = lc.cache_hit_fraction
    size = _size(c)
    price_in = per_token(tiered(c, m, size, m.input_per_mtok, m.above_input_per_mtok))
    if m.cache_write_per_mtok is not None:
        write = per_token(tiered(c, m, size, m.cache_write_per_mtok, m.above_cache_write_per_mtok))
    else:
        write = price_in
    cached = per_token(tiered(c, m, size, m.cached_input_per_mtok, m.above_cached_input_per_mtok))
    if isinstance(h, int | float):
        return (1 - h) * write + h * cached if h > 0 else price_in
    return c.where(h > 0, (1 - h) * write + h * cached, price_in)


def _size(c: Context) -> Any:
    """Return the input tokens of one request (prompt and knowledge pack), which pick a price tier."""
    lc = c.lc
    assert lc is not None
    return c.R.prompt_tokens + lc.context_tokens


def _price(c: Context, base: str) -> Any:
    """Return long_context.model's per-1M price `base` (input or output), or its tier's when `price_tiers` applies."""
    lc = c.lc
    assert lc is not None
    m = c.m[lc.model]
    return tiered(c, m, _size(c), getattr(m, f"{base}_per_mtok"), getattr(m, f"above_{base}_per_mtok"))


_LINES: tuple[CostLine, ...] = (
    CostLine(
        "upfront",
        "knowledge pack and prompt build",
        "long_context.build_days × engineer_day_rate",
        lambda c: c.lc.build_days * c.day,
    ),
    CostLine(
        "per_update",
        "knowledge pack update",
        "long_context.update_hours × engineer_day_rate / 8",
        lambda c: c.lc.update_hours * c.hour,
    ),
    CostLine(
        "per_request",
        "prompt",
        "prompt_tokens × input price",
        lambda c: c.R.prompt_tokens * (_price(c, "input") / 1e6),
        token_priced=True,
        key="tokens",
    ),
    CostLine(
        "per_request",
        "knowledge pack (cache writes and reads)",
        "context_tokens × ((1 - cache_hit_fraction) × cache-write price + cache_hit_fraction × cached-input price)"
        "; input price when cache_hit_fraction = 0",
        lambda c: c.lc.context_tokens * pack_price(c),
        token_priced=True,
        key="tokens",
    ),
    output_line(lambda c: c.R.output_tokens * (_price(c, "output") / 1e6)),
    CostLine("monthly_fixed", "serving", "long_context.hosting_per_month", attrgetter("lc.hosting_per_month")),
    CostLine(
        "monthly_fixed",
        "knowledge pack maintenance",
        "long_context.maintenance_days_per_month × engineer_day_rate",
        lambda c: c.lc.maintenance_days_per_month * c.day,
    ),
)


def fits_window(s: Scenario) -> tuple[bool, float, int | None]:
    """Return (fits, tokens of one request, the model's context window or None).

    One request is prompt_tokens + context_tokens + output_tokens; equal to the window fits.
    """
    lc = s.long_context
    assert lc is not None
    tokens = s.workload.prompt_tokens + lc.context_tokens + s.workload.output_tokens
    model = s.models.get(lc.model)
    window = model.context_window if model is not None else None
    return (window is None or tokens <= window), tokens, window


class LongContext(StrategyBase):
    """The long-context strategy: no index, a cached knowledge pack in every prompt."""

    info = INFO["long_context"]
    own_lines = _LINES
    name: str = info.name
    models_called: tuple[ModelRef, ...] = (("long_context", "model"),)
    embedding_models: tuple[ModelRef, ...] = ()
    gpus_rented: tuple[GpuRef, ...] = ()
    options_table: str | None = None
    option_fields: tuple[str, ...] = ()
    serving_model: ModelRef = ("long_context", "model")

    def present(self, s: Scenario) -> bool:
        """Return True when the scenario has a `[long_context]` table."""
        return s.long_context is not None

    def effort(self, c: Context) -> EffortFigures:
        """Return the engineer-days and expert-hours it needs (docs/model.md's `effort`), in EFFORT_FIELDS order."""
        lc = c.lc
        assert lc is not None
        return (
            lc.build_days,
            0.0,
            lc.update_hours / 8,
            0.0,
            lc.maintenance_days_per_month,
            0.0,
        )

    def price_needs(self, s: Scenario) -> list[PriceNeed]:
        """Return long_context.model's input and output prices, and its cached-input price when h > 0."""
        needs = [PriceNeed("long_context", "model", kind) for kind in ("input_per_mtok", "output_per_mtok")]
        lc = s.long_context
        if lc is not None and lc.cache_hit_fraction > 0:
            needs.append(PriceNeed("long_context", "model", "cached_input_per_mtok", "long_context.cache_hit_fraction"))
        return needs

    def request_tokens(self, c: Context) -> tuple[Any, Any, Any]:
        """Return (prompt_tokens, context_tokens, output_tokens)."""
        lc = c.lc
        assert lc is not None
        return c.R.prompt_tokens, lc.context_tokens, c.R.output_tokens

    def check(self, s: Scenario) -> list[tuple[str, str]]:
        """Return an issue at long_context.context_tokens when one request does not fit the model's context window."""
        fits, tokens, window = fits_window(s)
        if fits:
            return []
        lc = s.long_context
        assert lc is not None
        return [
            (
                "long_context.context_tokens",
                f"prompt_tokens + context_tokens + output_tokens = {tokens:,.0f} tokens do not fit the "
                f"{window:,} tokens of {lc.model}'s context_window",
            )
        ]


LONG_CONTEXT = LongContext()
