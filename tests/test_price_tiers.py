"""Cache writes and long-context price tiers as pricing options (docs/pricing.md), each checked by hand.

Both are off by default: every figure of docs/model.md stands as it is until a scenario says
`cache_writes = true` or `price_tiers = true`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from costmodel import estimate, load_scenario

DATA = Path(__file__).parent / "data"

# A model with a tier above 200,000 input tokens (Claude Sonnet 4.5's published shape, USD per 1M tokens).
TIERED = """
[models."tiered"]
input_per_mtok = 3.0
output_per_mtok = 15.0
cached_input_per_mtok = 0.30
cache_write_per_mtok = 3.75
above_tokens = 200000
above_input_per_mtok = 6.0
above_output_per_mtok = 22.5
above_cached_input_per_mtok = 0.60
above_cache_write_per_mtok = 7.5
context_window = 1000000
"""


def scenario(tmp_path: Path, extra: str, top: str = "") -> object:
    """Return the long-context example with RAG and long_context answering from the tiered model."""
    path = tmp_path / "s.toml"
    path.write_text(
        f'extends = "{(DATA / "long_context_example.toml").as_posix()}"\n{top}\n'
        "[workload]\nprompt_tokens = 1000\noutput_tokens = 500\n"
        '[rag]\nmodel = "tiered"\nretrieval_per_1k_requests = 0\n'
        f'{extra}\n[long_context]\nmodel = "tiered"\n{TIERED}',
        encoding="utf-8",
    )
    return load_scenario(path)


def test_cache_writes_bill_the_uncached_prompt_at_the_write_price(tmp_path: Path) -> None:
    # 1,000 prompt tokens, half read from the cache; 2,000 retrieved; 500 out:
    # 500 × 3.75/M + 2,000 × 3/M + 500 × 0.30/M + 500 × 15/M = 0.001875 + 0.006 + 0.00015 + 0.0075 = 0.015525
    on = scenario(tmp_path, "retrieved_tokens = 2000\ncached_prompt_fraction = 0.5", "cache_writes = true")
    assert estimate(on).strategies["rag"].per_request == pytest.approx(0.015525, rel=1e-12)
    # Off (the default) the uncached half pays the input price: 0.0015 + 0.006 + 0.00015 + 0.0075 = 0.01515
    off = scenario(tmp_path, "retrieved_tokens = 2000\ncached_prompt_fraction = 0.5")
    assert estimate(off).strategies["rag"].per_request == pytest.approx(0.01515, rel=1e-12)


def test_a_request_above_the_threshold_pays_the_tier_prices(tmp_path: Path) -> None:
    # RAG with 250,000 retrieved tokens: 251,000 input tokens > 200,000, so
    # 251,000 × 6/M + 500 × 22.5/M = 1.506 + 0.01125 = 1.51725
    big = scenario(tmp_path, "retrieved_tokens = 250000", "price_tiers = true")
    assert estimate(big).strategies["rag"].per_request == pytest.approx(1.51725, rel=1e-12)
    # Below the threshold nothing changes: 3,000 × 3/M + 500 × 15/M = 0.009 + 0.0075 = 0.0165
    small = scenario(tmp_path, "retrieved_tokens = 2000", "price_tiers = true")
    assert estimate(small).strategies["rag"].per_request == pytest.approx(0.0165, rel=1e-12)
    # Without price_tiers the big request pays the base prices: 251,000 × 3/M + 500 × 15/M = 0.753 + 0.0075
    assert estimate(scenario(tmp_path, "retrieved_tokens = 250000")).strategies["rag"].per_request == pytest.approx(
        0.7605, rel=1e-12
    )


def test_long_context_packs_above_the_threshold_pay_the_tier(tmp_path: Path) -> None:
    """The pack of 120,000 tokens (the example's) plus 1,000 prompt tokens stays below; 250,000 goes above."""
    path_top = "price_tiers = true"
    s = scenario(tmp_path, "retrieved_tokens = 2000", path_top)
    lc = s.long_context.model_copy(update={"context_tokens": 250_000.0, "cache_hit_fraction": 0.9})
    above = s.model_copy(update={"long_context": lc})
    # 1,000 × 6/M + 250,000 × (0.1 × 7.5/M + 0.9 × 0.60/M) + 500 × 22.5/M = 0.006 + 0.3225 + 0.01125 = 0.33975
    assert estimate(above).strategies["long_context"].per_request == pytest.approx(0.33975, rel=1e-12)
    base = above.model_copy(update={"price_tiers": False})
    # 1,000 × 3/M + 250,000 × (0.1 × 3.75/M + 0.9 × 0.30/M) + 500 × 15/M = 0.003 + 0.16125 + 0.0075 = 0.17175
    assert estimate(base).strategies["long_context"].per_request == pytest.approx(0.17175, rel=1e-12)


def test_both_options_off_change_nothing(tmp_path: Path) -> None:
    """With the options written out at their defaults every figure is the same, bit for bit."""
    plain = scenario(tmp_path, "retrieved_tokens = 250000")
    written = scenario(tmp_path, "retrieved_tokens = 250000", "price_tiers = false\ncache_writes = false")
    assert estimate(plain).to_dict() == estimate(written).to_dict()
