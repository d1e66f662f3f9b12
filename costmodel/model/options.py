"""Pricing options (docs/pricing.md) as transforms of a strategy's cost lines.

Prompt caching, the batch API and serving on own GPUs replace the strategy's token-priced
per-request lines (key "tokens") by one serving line; always-on GPUs replace the
provider's fine-tuned deployment line (key "deployment"), or add their rent when the
strategy has none. A monthly minimum spend on the vector DB is not a line: it tops each
month up (see costmodel.model.timeline.topups). With every option off nothing is
transformed, so docs/model.md's figures stand bit for bit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

from costmodel.model.context import HOURS_PER_MONTH, Context, per_token
from costmodel.model.lines import CostLine
from costmodel.model.price_needs import PriceNeed

if TYPE_CHECKING:
    from costmodel.model.schema import Scenario
    from costmodel.model.strategies.base import Strategy

__all__ = [
    "SHARE_OPTIONS",
    "Serving",
    "apply_options",
    "is_on",
    "minimum_spend",
    "options_on",
    "serving",
    "serving_needs",
    "tiered",
]


SHARE_OPTIONS: tuple[str, ...] = ("cached_prompt_fraction", "batch_fraction")
"""The serving options given as a share of requests (off at 0) that every options table has."""


def is_on(value: Any) -> bool:
    """Return True when an option's share or amount switches it on.

    That is a non-zero number, or for an array of Monte Carlo samples any non-zero sample:
    the option's formula then runs on every sample, and at a sample of 0 it gives exactly
    the figure the option-off formula gives (it adds 0.0 or multiplies by 1.0).
    """
    if value.__class__ is float or value.__class__ is int:
        return value != 0
    any_sample = getattr(value, "any", None)
    return bool(any_sample()) if any_sample is not None else bool(value)


class Serving(NamedTuple):
    """How one strategy's requests are served: token counts and the prices of its serving option."""

    prompt: float
    context: float
    output: float
    token_cost: float
    gpu_monthly: float
    capacity_requests_per_month: float | None


def options_on(strategy: Strategy, s: Any) -> bool:
    """Return True when a serving option (own GPUs, prompt caching, batch API) is on for `strategy`."""
    table = strategy.options_table
    if table is None:
        return False
    part = getattr(s, table)
    if part.self_host is not None:
        return True
    cached, batch = part.cached_prompt_fraction, part.batch_fraction
    if cached.__class__ is float and batch.__class__ is float:
        if cached != 0.0 or batch != 0.0:
            return True
    elif is_on(cached) or is_on(batch):
        return True
    return s.price_tiers and _tiered_model(strategy, s) is not None


def _tiered_model(strategy: Strategy, s: Any) -> Any:
    """Return the base model that serves `strategy` when it has a price tier (`above_tokens`), else None.

    Fine-tuned serving prices (prefix `ft_`) have no tiers.
    """
    if strategy.serving_prefix:
        return None
    table, field = strategy.serving_model
    model = s.models.get(getattr(getattr(s, table), field))
    return model if model is not None and model.above_tokens is not None else None


def tiered(c: Context, model: Any, tokens_in: Any, base: Any, above: Any) -> Any:
    """Return the per-1M price a request of `tokens_in` input tokens pays: `above` past the model's
    `above_tokens` when the scenario says `price_tiers = true` and the tier has that price, else `base`."""
    if not c.s.price_tiers or model.above_tokens is None or above is None:
        return base
    return c.where(tokens_in > model.above_tokens, above, base)


def serving(c: Context, strategy: Strategy) -> Serving:
    """Return the serving cost of one request of `strategy` under its pricing options (worked out once per Context).

    `token_cost` is the per-request cost of tokens or GPU time (currency, without the
    retrieval fee); `gpu_monthly` is the always-on GPU rent (currency/month); the capacity
    is in requests/month (None unless served on always-on GPUs, and None when the Context
    holds arrays of Monte Carlo samples: capacity only feeds `estimate()`'s warning).
    """
    found = c.served.get(strategy.name)
    if found is not None:
        return found
    s = c.s
    assert strategy.options_table is not None
    part = getattr(s, strategy.options_table)
    prompt, ctx, out = strategy.request_tokens(c)
    host = part.self_host
    if host is not None:
        gpu_hour = host.gpu_count * s.gpus[host.gpu].per_hour
        tokens_per_hour = host.tokens_per_second * host.utilization * 3600
        tokens = prompt + ctx + out if host.throughput_tokens == "all" else out
        if host.billing == "per_use":
            result = Serving(prompt, ctx, out, tokens * (gpu_hour / tokens_per_hour), 0.0, None)
        else:
            if isinstance(tokens, int | float):
                capacity = tokens_per_hour * HOURS_PER_MONTH / tokens if tokens else None
            else:
                capacity = None
            result = Serving(prompt, ctx, out, 0.0, gpu_hour * HOURS_PER_MONTH, capacity)
    else:
        table, field = strategy.serving_model
        m = c.model(getattr(getattr(s, table), field))
        pre = strategy.serving_prefix
        size = prompt + ctx  # input tokens of one request, for a price tier
        price_in = per_token(tiered(c, m, size, getattr(m, f"{pre}input_per_mtok"), m.above_input_per_mtok))
        price_out = per_token(tiered(c, m, size, getattr(m, f"{pre}output_per_mtok"), m.above_output_per_mtok))
        cached_share, batch_share = part.cached_prompt_fraction, part.batch_fraction
        if is_on(cached_share):
            cached = per_token(
                tiered(c, m, size, getattr(m, f"{pre}cached_input_per_mtok"), m.above_cached_input_per_mtok)
            )
            if s.cache_writes and not pre and m.cache_write_per_mtok is not None:
                # A request that misses the cache writes its prompt into it, at the cache-write price.
                write = per_token(tiered(c, m, size, m.cache_write_per_mtok, m.above_cache_write_per_mtok))
                interactive = (
                    prompt * (1 - cached_share) * write
                    + ctx * price_in
                    + prompt * cached_share * cached
                    + out * price_out
                )
            else:
                interactive = (
                    (prompt * (1 - cached_share) + ctx) * price_in + prompt * cached_share * cached + out * price_out
                )
        else:
            interactive = (prompt + ctx) * price_in + out * price_out
        if is_on(batch_share):
            batch_in = per_token(getattr(m, f"{pre}batch_input_per_mtok"))
            batch_out = per_token(getattr(m, f"{pre}batch_output_per_mtok"))
            token_cost = (1 - batch_share) * interactive + batch_share * ((prompt + ctx) * batch_in + out * batch_out)
        else:
            token_cost = interactive
        result = Serving(prompt, ctx, out, token_cost, 0.0, None)
    c.served[strategy.name] = result
    return result


def apply_options(strategy: Strategy, lines: tuple[CostLine, ...], s: Scenario) -> tuple[CostLine, ...]:
    """Return `lines` with the lines a switched-on serving option replaces replaced (unchanged when none is on)."""
    if not options_on(strategy, s):
        return lines
    assert strategy.options_table is not None
    part = getattr(s, strategy.options_table)
    host = part.self_host
    served_line: CostLine | None
    gpu_line: CostLine | None = None
    if host is not None:
        gpus = f"{host.gpu_count} × {host.gpu}"
        if host.billing == "per_use":
            served_line = CostLine(
                "per_request",
                f"GPU time on {gpus} (per use)",
                "tokens per request (per throughput_tokens) × gpu_count × GPU price"
                " / (tokens_per_second × utilization × 3600)",
                lambda c: serving(c, strategy).token_cost,
                key="tokens",
            )
        else:
            served_line = None
            gpu_line = CostLine(
                "monthly_fixed",
                f"GPUs always on ({gpus})",
                "gpu_count × GPU price per hour × 730",
                lambda c: serving(c, strategy).gpu_monthly,
                key="gpus",
            )
    else:
        shown = " and ".join(
            x
            for x, on in (
                ("prompt caching", is_on(part.cached_prompt_fraction)),
                ("cache writes", s.cache_writes and is_on(part.cached_prompt_fraction) and not strategy.serving_prefix),
                ("batch API", is_on(part.batch_fraction)),
                ("price tiers", s.price_tiers and _tiered_model(strategy, s) is not None),
            )
            if on
        )
        served_line = CostLine(
            "per_request",
            f"tokens with {shown}",
            "(1 - batch_fraction) × (uncached prompt + context at input price + cached prompt at cached "
            "price + output at output price) + batch_fraction × tokens at batch prices",
            lambda c: serving(c, strategy).token_cost,
            token_priced=True,
            key="tokens",
        )
    out: list[CostLine] = []
    placed = False
    for line in lines:
        if line.key == "tokens":
            if not placed and served_line is not None:
                out.append(served_line)
            placed = True
        elif line.key == "deployment" and host is not None:
            if gpu_line is not None:
                out.append(gpu_line)
                gpu_line = None
        else:
            out.append(line)
    if gpu_line is not None:
        index = max((i for i, line in enumerate(out) if line.figure == "monthly_fixed"), default=len(out) - 1)
        out.insert(index + 1, gpu_line)
    return tuple(out)


def minimum_spend(strategy: Strategy, s: Any) -> tuple[Any, Any]:
    """Return (minimum per month, usage per request counted toward it) of the vector-DB minimum (currency).

    (0.0, 0.0) for a strategy that does not retrieve, or when the minimum is off.
    """
    minimum = s.rag.retrieval_minimum_per_month
    if strategy.info.retrieves and is_on(minimum):
        return minimum, s.rag.retrieval_per_1k_requests / 1000
    return 0.0, 0.0


_SERVING_NEEDS: dict[tuple[str, bool, bool, bool], tuple[PriceNeed, ...]] = {}


def serving_needs(strategy: Strategy, s: Any) -> list[PriceNeed]:
    """Return the prices serving `strategy`'s requests needs: none on own GPUs; input and output prices,
    and the cached or batch prices a share above 0 bills at."""
    table = strategy.options_table
    if table is None:
        key = (strategy.name, False, False, False)
    else:
        part = getattr(s, table)
        key = (strategy.name, part.self_host is not None, bool(part.cached_prompt_fraction), bool(part.batch_fraction))
    found = _SERVING_NEEDS.get(key)
    if found is None:
        found = _SERVING_NEEDS[key] = tuple(_serving_needs(strategy, *key[1:]))
    return list(found)


def _serving_needs(strategy: Strategy, self_host: bool, cached: bool, batch: bool) -> list[PriceNeed]:
    """Return serving_needs' answer for a strategy and its switches (own GPUs, a cached share, a batch share)."""
    table = strategy.options_table
    ref = strategy.serving_model
    prefix = strategy.serving_prefix
    if self_host:
        return []
    needs = [PriceNeed(*ref, f"{prefix}{kind}_per_mtok") for kind in ("input", "output")]
    if cached:
        needs.append(PriceNeed(*ref, f"{prefix}cached_input_per_mtok", f"{table}.cached_prompt_fraction"))
    if batch:
        needs.extend(
            PriceNeed(*ref, f"{prefix}batch_{kind}_per_mtok", f"{table}.batch_fraction") for kind in ("input", "output")
        )
    return needs
