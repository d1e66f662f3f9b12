"""The engine must reproduce the worked example of docs/model.md, figure by figure.

The expected literals were computed by hand from docs/model.md's formulas (exact
fractions, see docs/model.md), never taken from the engine.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from costmodel.files.scenario_io import load_scenario
from costmodel.model.engine import Estimate, estimate

EXAMPLE = Path(__file__).parent / "data" / "model_example.toml"
REL = 1e-12

# Per strategy: the five rates, total and cost per 1,000 requests (currency units).
FIGURES: dict[str, dict[str, float]] = {
    "rag": {
        "upfront": 12_000.40,
        "per_update": 50.008,
        "per_request": 0.00202,
        "monthly_fixed": 870.0,
        "periodic_monthly": 0.0,
        "total": 42_175.869886301676,
        "cost_per_1k_requests": 13.56139977961561,
    },
    "fine_tune": {
        "upfront": 16_024.0,
        "per_update": 2_424.0,
        "per_request": 0.00128,
        "monthly_fixed": 800.0,
        "periodic_monthly": 0.0,
        "total": 270_776.12792795355,
        "cost_per_1k_requests": 114.49019566409737,
    },
    "hybrid": {
        "upfront": 15_604.0,
        "per_update": 50.008,
        "per_request": 0.00338,
        "monthly_fixed": 1_270.0,
        "periodic_monthly": 1_723.6 / 6,
        "total": 65_300.00580975231,
        "cost_per_1k_requests": 22.334280287118023,
    },
}

# Effort: (value, exact?) — thirds are not exact in binary floats.
EFFORT: dict[str, dict[str, tuple[float, bool]]] = {
    "rag": {
        "upfront_engineer_days": (15.0, True),
        "upfront_expert_hours": (0.0, True),
        "per_update_engineer_days": (0.0625, True),
        "per_update_expert_hours": (0.0, True),
        "monthly_engineer_days": (1.0, True),
        "monthly_expert_hours": (0.0, True),
    },
    "fine_tune": {
        "upfront_engineer_days": (10.0, True),
        "upfront_expert_hours": (400 / 3, False),
        "per_update_engineer_days": (2.0, True),
        "per_update_expert_hours": (40 / 3, False),
        "monthly_engineer_days": (1.0, True),
        "monthly_expert_hours": (0.0, True),
    },
    "hybrid": {
        "upfront_engineer_days": (18.0, True),
        "upfront_expert_hours": (20.0, True),
        "per_update_engineer_days": (0.0625, True),
        "per_update_expert_hours": (0.0, True),
        "monthly_engineer_days": (11 / 6, False),
        "monthly_expert_hours": (1 / 3, False),
    },
}

REQUESTS = {0: 0.0, 1: 50_000.0, 2: 52_500.0, 24: 153_576.18779589047}

# Timeline entries (month -> (cost, cumulative)), currency units.
TIMELINE: dict[str, dict[int, tuple[float, float]]] = {
    "rag": {
        0: (12_000.40, 12_000.40),
        1: (1_171.032, 13_171.432),
        2: (1_176.082, 14_347.514),
        24: (1_380.2558993476987, 42_175.869886301676),
    },
    "fine_tune": {
        0: (16_024.0, 16_024.0),
        1: (10_560.0, 26_584.0),
        2: (10_563.2, 37_147.2),
        24: (10_692.57752037874, 270_776.12792795355),
    },
    "hybrid": {
        0: (15_604.0, 15_604.0),
        1: (1_926.2986666666666, 17_530.298666666666),
        2: (1_934.7486666666666, 19_465.047333333332),
        24: (2_276.3861814167763, 65_300.00580975231),
    },
}


@pytest.fixture(scope="module")
def est() -> Estimate:
    """Return the engine's estimate of the worked example."""
    return estimate(load_scenario(EXAMPLE))


@pytest.mark.parametrize(("strategy", "figure"), [(s, f) for s, figures in FIGURES.items() for f in figures])
def test_figure(est: Estimate, strategy: str, figure: str) -> None:
    """Each money figure of each strategy equals the hand computation."""
    got = getattr(est.strategies[strategy], figure)
    assert got == pytest.approx(FIGURES[strategy][figure], rel=REL, abs=0.0)


@pytest.mark.parametrize(("strategy", "field"), [(s, f) for s, fields in EFFORT.items() for f in fields])
def test_effort(est: Estimate, strategy: str, field: str) -> None:
    """Each effort field equals the hand computation (exactly where the value is exact)."""
    expected, exact = EFFORT[strategy][field]
    got = getattr(est.strategies[strategy].effort, field)
    if exact:
        assert got == expected
    else:
        assert got == pytest.approx(expected, rel=REL)


@pytest.mark.parametrize(("strategy", "month"), [(s, m) for s in TIMELINE for m in TIMELINE[s]])
def test_timeline_entry(est: Estimate, strategy: str, month: int) -> None:
    """Months 0, 1, 2 and 24 of every timeline match: requests, cost and cumulative."""
    entry = est.timeline(strategy)[month]
    cost, cumulative = TIMELINE[strategy][month]
    assert entry["month"] == month
    assert entry["requests"] == pytest.approx(REQUESTS[month], rel=REL, abs=0.0)
    assert entry["cost"] == pytest.approx(cost, rel=REL, abs=0.0)
    assert entry["cumulative"] == pytest.approx(cumulative, rel=REL, abs=0.0)


def test_timeline_length(est: Estimate) -> None:
    """The timeline has months 0..24 and its last cumulative is the total."""
    for name, strategy in est.strategies.items():
        timeline = est.timeline(name)
        assert [e["month"] for e in timeline] == list(range(25))
        assert timeline[-1]["cumulative"] == strategy.total


def test_cheapest_and_breakeven(est: Estimate) -> None:
    """RAG is cheapest and no strategy ever catches up with another (all break-evens null)."""
    assert est.cheapest == "rag"
    pairs = {(b.a, b.b): b.month for b in est.breakeven}
    assert pairs == {
        ("rag", "fine_tune"): None,
        ("rag", "hybrid"): None,
        ("fine_tune", "rag"): None,
        ("fine_tune", "hybrid"): None,
        ("hybrid", "rag"): None,
        ("hybrid", "fine_tune"): None,
    }
    assert est.warnings == ()


def test_json_shape_matches(est: Estimate) -> None:
    """The JSON form carries the same hand-checked totals."""
    data = est.to_dict()
    assert data["scenario"] == "Support assistant"
    assert data["currency"] == "USD"
    assert data["horizon_months"] == 24
    for name, figures in FIGURES.items():
        assert data["strategies"][name]["total"] == pytest.approx(figures["total"], rel=REL)


def test_no_requests_gives_no_cost_per_1k() -> None:
    """With no requests at all, cost_per_1k_requests is null (MODEL.md v2) rather than a division by zero."""
    result = estimate(load_scenario(EXAMPLE, ["workload.requests_per_month=0"]))
    for strategy in result.strategies.values():
        assert strategy.cost_per_1k_requests is None
