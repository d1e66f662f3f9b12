"""Pricing options (docs/pricing.md), each checked against figures worked out by hand.

Base: tests/data/model_example.toml (docs/model.md's example). Its docs/model.md figures are in
test_worked_example.py; here one option at a time is switched on with `--set` overrides.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from costmodel.files.pricing import age_in_months
from costmodel.files.scenario_io import load_scenario
from costmodel.model.engine import breakdown, estimate, strategy_rates
from costmodel.model.errors import ScenarioValidationError
from costmodel.model.schema import STRATEGIES, Scenario

EXAMPLE = Path(__file__).parent / "data" / "model_example.toml"
MINI = 'models."gpt-4.1-mini"'
REL = 1e-12
H100 = ["gpus.h100.per_hour=3.6", 'gpus.h100.source="test"', 'gpus.h100.as_of="2026-09"']


def scenario(*overrides: str) -> Scenario:
    """Return the worked example with `overrides` applied."""
    return load_scenario(EXAMPLE, list(overrides))


def rates(*overrides: str) -> dict:
    """Return the engine's rates of the worked example with `overrides` applied."""
    return strategy_rates(scenario(*overrides))


# --- prompt caching -------------------------------------------------------------------


def test_rag_prompt_caching() -> None:
    """(600×0.5 + 2000) × 0.40 + 600×0.5 × 0.10 + 300 × 1.60 per 1M tokens, + 0.0005 = 0.00193."""
    r = rates("rag.cached_prompt_fraction=0.5", f"{MINI}.cached_input_per_mtok=0.10")
    assert r["rag"].per_request == pytest.approx(0.00193, rel=REL)
    assert r["fine_tune"].per_request == pytest.approx(0.00128, rel=REL)  # untouched


def test_fine_tune_prompt_caching() -> None:
    """Remaining prompt 400: 200 × 0.80 + 200 × 0.20 + 300 × 3.20 per 1M tokens = 0.00116."""
    r = rates("fine_tune.cached_prompt_fraction=0.5", f"{MINI}.ft_cached_input_per_mtok=0.20")
    assert r["fine_tune"].per_request == pytest.approx(0.00116, rel=REL)


def test_retrieved_context_is_never_cached() -> None:
    """Caching all of the prompt still bills the 2,000 retrieved tokens at the full input price."""
    r = rates("rag.cached_prompt_fraction=1", f"{MINI}.cached_input_per_mtok=0")
    assert r["rag"].per_request == pytest.approx(2000 * 0.40e-6 + 300 * 1.60e-6 + 0.0005, rel=REL)


# --- batch API ------------------------------------------------------------------------


def test_rag_batch_share() -> None:
    """0.75 × 0.00152 + 0.25 × (2600 × 0.20 + 300 × 0.80) / 1e6 + 0.0005 = 0.00183."""
    r = rates("rag.batch_fraction=0.25", f"{MINI}.batch_input_per_mtok=0.20", f"{MINI}.batch_output_per_mtok=0.80")
    assert r["rag"].per_request == pytest.approx(0.00183, rel=REL)


def test_hybrid_caching_and_batch_together() -> None:
    """Interactive 0.00276, batch 0.00144, half each, + 0.0005 = 0.0026."""
    r = rates(
        "hybrid.cached_prompt_fraction=0.5",
        "hybrid.batch_fraction=0.5",
        f"{MINI}.ft_cached_input_per_mtok=0.20",
        f"{MINI}.ft_batch_input_per_mtok=0.40",
        f"{MINI}.ft_batch_output_per_mtok=1.60",
    )
    assert r["hybrid"].per_request == pytest.approx(0.0026, rel=REL)
    assert r["rag"].per_request == pytest.approx(0.00202, rel=REL)


@pytest.mark.parametrize(
    ("override", "field"),
    [
        ("rag.cached_prompt_fraction=0.5", "cached_input_per_mtok"),
        ("rag.batch_fraction=0.5", "batch_input_per_mtok"),
        ("fine_tune.cached_prompt_fraction=0.5", "ft_cached_input_per_mtok"),
        ("hybrid.batch_fraction=0.1", "ft_batch_input_per_mtok"),
    ],
)
def test_missing_option_price_is_an_error_naming_it(override: str, field: str) -> None:
    """A share above 0 without the price it bills at is an error naming both, never a silent 0."""
    with pytest.raises(ScenarioValidationError) as info:
        scenario(override)
    text = str(info.value)
    assert f'models."gpt-4.1-mini".{field}' in text
    assert override.split("=")[0] in text


@pytest.mark.parametrize(
    ("override", "expected"),
    [
        ("rag.cached_prompt_fraction=1.5", "<= 1"),
        ("fine_tune.batch_fraction=-0.1", ">= 0"),
        ("rag.retrieval_minimum_per_month=-5", ">= 0"),
    ],
)
def test_option_bounds(override: str, expected: str) -> None:
    """Fractions are 0..1 and amounts >= 0, with the field named."""
    with pytest.raises(ScenarioValidationError) as info:
        scenario(override)
    assert override.split("=")[0] in str(info.value) and expected in str(info.value)


# --- self-hosting ---------------------------------------------------------------------

HOST = [
    *H100,
    'fine_tune.self_host.gpu="h100"',
    "fine_tune.self_host.gpu_count=2",
    "fine_tune.self_host.tokens_per_second=2000",
    "fine_tune.self_host.utilization=0.5",
    "fine_tune.hosting_per_hour=1.0",
]


def test_self_hosted_per_use_cost_per_request() -> None:
    """2 GPUs × 3.6 / (2000 tok/s × 0.5 × 3600 s) = 2e-6 per token; 700 tokens (400 + 300) = 0.0014."""
    r = rates(*HOST, 'fine_tune.self_host.billing="per_use"')
    assert r["fine_tune"].per_request == pytest.approx(0.0014, rel=REL)
    # Own GPUs replace the provider's hourly deployment: only maintenance (1 day × 800) stays.
    assert r["fine_tune"].monthly_fixed == 800.0
    assert r["fine_tune"].capacity_requests_per_month is None
    # The hybrid still uses the API and pays the deployment: 870 + 730 + 0.5 × 800.
    assert r["hybrid"].monthly_fixed == pytest.approx(870 + 730 + 400, rel=REL)


def test_self_hosted_output_only_throughput() -> None:
    """Counting output tokens only: 300 × 2e-6 = 0.0006 per request."""
    r = rates(*HOST, 'fine_tune.self_host.billing="per_use"', 'fine_tune.self_host.throughput_tokens="output"')
    assert r["fine_tune"].per_request == pytest.approx(0.0006, rel=REL)


def test_self_hosted_always_on_fixed_cost_and_capacity() -> None:
    """2 × 3.6 × 730 = 5,256 a month + 800 maintenance; capacity 2000 × 0.5 × 3600 × 730 / 700 requests."""
    r = rates(*HOST)
    assert r["fine_tune"].per_request == 0.0
    assert r["fine_tune"].monthly_fixed == pytest.approx(6056.0, rel=REL)
    assert r["fine_tune"].capacity_requests_per_month == pytest.approx(2_628_000_000 / 700, rel=REL)


def test_self_hosted_rag_keeps_its_retrieval_fee_and_hybrid_its_base() -> None:
    """Self-hosted RAG: per request is the 0.0005 fee; fixed 870 + 5,256; the hybrid's fixed is untouched."""
    r = rates(
        *H100,
        'rag.self_host.gpu="h100"',
        "rag.self_host.gpu_count=2",
        "rag.self_host.tokens_per_second=2000",
        "rag.self_host.utilization=0.5",
    )
    assert r["rag"].per_request == pytest.approx(0.0005, rel=REL)
    assert r["rag"].monthly_fixed == pytest.approx(870 + 5256, rel=REL)
    assert r["hybrid"].monthly_fixed == pytest.approx(1270.0, rel=REL)


def test_capacity_warning_when_demand_outgrows_the_gpus() -> None:
    """3.75 M requests/month fit; 4 M in month 1 do not, and the engine says so."""
    est = estimate(scenario(*HOST, "workload.requests_per_month=4000000"))
    assert any("fine_tune.self_host" in w and "month 1" in w for w in est.warnings)
    assert not [w for w in estimate(scenario(*HOST)).warnings if "self_host" in w]


def test_self_training_on_gpus() -> None:
    """0.1 GPU-h per 1M tokens × 3.6 = 0.36 per 1M; 2000 × 800 × 3 tokens = 1.728; upfront 8,000 + 8,000 + 1.728."""
    r = rates(*H100, 'fine_tune.self_train.gpu="h100"', "fine_tune.self_train.gpu_hours_per_mtok=0.1")
    assert r["fine_tune"].upfront == pytest.approx(16_001.728, rel=REL)
    assert r["fine_tune"].per_update == pytest.approx(800 + 1.728 + 1600, rel=REL)


def test_open_model_needs_no_token_prices_when_trained_and_served_on_gpus() -> None:
    """A fine_tune.model absent from [models] is fine when nothing bills its tokens."""
    host = [x.replace("fine_tune.self_host", "hybrid.self_host") for x in HOST if "hosting_per_hour" not in x]
    s = scenario(
        *HOST,
        *host[3:],
        'fine_tune.model="llama"',
        'fine_tune.self_train.gpu="h100"',
        "fine_tune.self_train.gpu_hours_per_mtok=0.1",
    )
    result = estimate(s)
    assert all(v.total == v.total for v in result.strategies.values())  # no NaN
    with pytest.raises(ScenarioValidationError, match=r"fine_tune\.model"):
        scenario(*HOST, 'fine_tune.model="llama"')  # the hybrid still needs its API prices


@pytest.mark.parametrize(
    ("override", "expected"),
    [
        ("fine_tune.self_host.utilization=0", "> 0"),
        ("fine_tune.self_host.utilization=1.2", "<= 1"),
        ("fine_tune.self_host.tokens_per_second=0", "> 0"),
        ("fine_tune.self_host.gpu_count=0", ">= 1"),
        ('fine_tune.self_host.gpu="b200"', "not in [gpus]"),
        ("fine_tune.batch_fraction=0.5", "self_host"),
    ],
)
def test_self_host_validation(override: str, expected: str) -> None:
    """Self-hosting inputs are bounded, and API-only options are refused on a self-hosted strategy."""
    with pytest.raises(ScenarioValidationError) as info:
        scenario(*HOST, override)
    assert expected in str(info.value)


# --- minimum monthly spend ------------------------------------------------------------


def test_vector_db_minimum_top_ups() -> None:
    """Fees 25 × 1.05^(m-1) stay under 50 in months 1..15: top-ups 750 - 500 × (1.05^15 - 1)."""
    base = estimate(scenario())
    est = estimate(scenario("rag.retrieval_minimum_per_month=50"))
    topups = 750 - 500 * (1.05**15 - 1)
    assert est.strategies["rag"].minimum_topup_total == pytest.approx(topups, rel=1e-9)
    assert est.strategies["rag"].monthly_cost[1] == pytest.approx(1_171.032 + 25, rel=REL)
    assert est.strategies["rag"].monthly_cost[16] == base.strategies["rag"].monthly_cost[16]
    for name in ("rag", "hybrid"):
        assert est.strategies[name].total == pytest.approx(base.strategies[name].total + topups, rel=1e-9)
    assert est.strategies["fine_tune"].total == base.strategies["fine_tune"].total
    assert est.to_dict()["strategies"]["rag"]["minimum_topup_total"] == est.strategies["rag"].minimum_topup_total


# --- breakdown stays in sync ------------------------------------------------------------

ALL_ON = [
    *H100,
    "rag.cached_prompt_fraction=0.5",
    "rag.batch_fraction=0.25",
    f"{MINI}.cached_input_per_mtok=0.10",
    f"{MINI}.batch_input_per_mtok=0.20",
    f"{MINI}.batch_output_per_mtok=0.80",
    "rag.retrieval_minimum_per_month=50",
    'fine_tune.self_train.gpu="h100"',
    "fine_tune.self_train.gpu_hours_per_mtok=0.1",
    *HOST[3:],
    'hybrid.self_host.gpu="h100"',
    "hybrid.self_host.tokens_per_second=3000",
    "hybrid.self_host.utilization=0.7",
    'hybrid.self_host.billing="per_use"',
]


@pytest.mark.parametrize("strategy", STRATEGIES)
@pytest.mark.parametrize("figure", ["upfront", "per_update", "per_request", "monthly_fixed", "periodic_monthly"])
def test_breakdown_parts_add_up_with_options(strategy: str, figure: str) -> None:
    """With every option on, each figure's parts still sum to the engine's figure."""
    s = scenario(*ALL_ON)
    parts = breakdown(s)[strategy][figure]
    assert sum(p.amount for p in parts) == pytest.approx(getattr(strategy_rates(s)[strategy], figure), abs=1e-12)
    assert all(p.label and p.formula for p in parts)


# --- price age and withdrawn prices -----------------------------------------------------


def test_age_in_months() -> None:
    """Month-only dates count calendar months; full dates count a month once its day is reached."""
    assert age_in_months("2025-09", date(2026, 11, 25)) == 14
    assert age_in_months("2025-11-30", date(2026, 11, 25)) == 11
    assert age_in_months("2025-11-25", date(2026, 11, 25)) == 12
    assert age_in_months("2027-01", date(2026, 11, 25)) == -2


# The price-warning rules themselves are tested in tests/test_price_warnings.py.


@pytest.mark.parametrize("name", ["support-assistant", "support-assistant-h100", "support-assistant-azure"])
def test_saved_scenarios_with_options_load_back_equal(name: str, tmp_path: Path) -> None:
    """Self-hosting tables, GPU prices and withdrawn prices survive a save; options left off are not written."""
    from costmodel.files.scenario_io import dump_scenario, save_scenario

    s = load_scenario(name)
    save_scenario(s, tmp_path / "s.toml")
    assert load_scenario(tmp_path / "s.toml") == s
    assert "batch_fraction" not in dump_scenario(s)  # support-assistant caches its style guide, batches nothing
