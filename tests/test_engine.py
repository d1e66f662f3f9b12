"""Every formula of docs/model.md, per strategy, against figures worked out by hand on tests/data/simple.toml.

Hand work (hour = 800 / 8 = 100; p(x) = x / 1e6):
- training_run(1000) = 1000 * 1000 * 2 * 10e-6 = 20; training_run(100) = 2
- curation(1000) = 1000 * 3 / 60 * 50 = 2500; curation(200) = 500; curation(100) = 250; curation(20) = 50
"""

from __future__ import annotations

import pytest

from costmodel.model.engine import Breakeven, breakdown, estimate, strategy_rates
from costmodel.model.schema import Scenario

approx = pytest.approx


def _with(s: Scenario, table: str, **update: object) -> Scenario:
    return s.model_copy(update={table: getattr(s, table).model_copy(update=update)})


def test_rag_figures(simple: Scenario) -> None:
    r = strategy_rates(simple)["rag"]
    assert r.upfront == approx(8000.1)  # 10 * 800 + 1e6 * 0.1e-6
    assert r.per_update == approx(200.01)  # 0.1 * 1e6 * 0.1e-6 + 2 * 100
    assert r.per_request == approx(0.004)  # 2000 * 1e-6 + 500 * 2e-6 + 1 / 1000
    assert r.monthly_fixed == approx(500)  # 100 + 0.5 * 800
    assert r.periodic_monthly == 0


def test_fine_tune_figures(simple: Scenario) -> None:
    r = strategy_rates(simple)["fine_tune"]
    assert r.upfront == approx(6520)  # 5 * 800 + 2500 + 20
    assert r.per_update == approx(1320)  # 500 + 20 + 1 * 800
    assert r.per_request == approx(0.003)  # (1000 - 500) * 2e-6 + 500 * 4e-6
    assert r.monthly_fixed == approx(930)  # 1 * 730 + 0.25 * 800
    assert r.periodic_monthly == 0


def test_hybrid_figures(simple: Scenario) -> None:
    r = strategy_rates(simple)["hybrid"]
    assert r.upfront == approx(9852.1)  # 8000.1 + 2 * 800 + 250 + 2
    assert r.per_update == approx(200.01)  # RAG's
    assert r.per_request == approx(0.006)  # (500 + 1000) * 2e-6 + 500 * 4e-6 + 0.001
    assert r.monthly_fixed == approx(1630)  # 500 + 730 + 0.5 * 800
    assert r.periodic_monthly == approx(852)  # 12 / 12 * (2 + 50 + 800)


def test_timeline_totals_and_per_1k(simple: Scenario) -> None:
    est = estimate(simple)
    rag, ft, hy = (est.strategies[n] for n in ("rag", "fine_tune", "hybrid"))
    assert est.requests == (0.0, 1000.0, 1000.0, 1000.0)
    assert rag.monthly_cost == approx((8000.1, 904.02, 904.02, 904.02))  # 500 + 2 * 200.01 + 1000 * 0.004
    assert rag.cumulative == approx((8000.1, 8904.12, 9808.14, 10712.16))
    assert rag.total == approx(10712.16)
    assert rag.cost_per_1k_requests == approx(904.02)  # 1000 * 2712.06 / 3000
    assert ft.monthly_cost[1] == approx(3573)  # 930 + 2 * 1320 + 3
    assert ft.total == approx(17239)  # 6520 + 3 * 3573
    assert ft.cost_per_1k_requests == approx(3573)
    assert hy.monthly_cost[1] == approx(2888.02)  # 1630 + 852 + 400.02 + 6
    assert hy.total == approx(18516.16)
    assert est.cheapest == "rag"


def test_growth_compounds(simple: Scenario) -> None:
    est = estimate(_with(simple, "workload", monthly_growth=0.1))
    assert est.requests == approx((0, 1000, 1100, 1210))
    rag = est.strategies["rag"]
    assert rag.monthly_cost[1:] == approx((904.02, 904.42, 904.86))
    assert rag.total == approx(10713.4)
    assert rag.cost_per_1k_requests == approx(1000 * 2713.3 / 3310)


def test_breakeven_every_ordered_pair(simple: Scenario) -> None:
    est = estimate(simple)
    # rag starts above fine_tune (8000.1 > 6520) and is below it from month 1 on.
    assert est.breakeven == (
        Breakeven("rag", "fine_tune", 1),
        Breakeven("rag", "hybrid", None),
        Breakeven("fine_tune", "rag", None),
        Breakeven("fine_tune", "hybrid", None),
        Breakeven("hybrid", "rag", None),
        Breakeven("hybrid", "fine_tune", None),
    )


def test_effort(simple: Scenario) -> None:
    est = estimate(simple)
    rag, ft, hy = (est.strategies[n].effort for n in ("rag", "fine_tune", "hybrid"))
    assert (rag.upfront_engineer_days, rag.per_update_engineer_days, rag.monthly_engineer_days) == (10, 0.25, 0.5)
    assert (rag.upfront_expert_hours, rag.per_update_expert_hours, rag.monthly_expert_hours) == (0, 0, 0)
    assert ft.upfront_engineer_days == 5 and ft.upfront_expert_hours == 50  # 1000 * 3 / 60
    assert ft.per_update_engineer_days == 1 and ft.per_update_expert_hours == approx(10)  # 1000 * 0.2 * 3 / 60
    assert ft.monthly_engineer_days == 0.25 and ft.monthly_expert_hours == 0
    assert hy.upfront_engineer_days == 12 and hy.upfront_expert_hours == 5  # 100 * 3 / 60
    assert hy.per_update_engineer_days == 0.25 and hy.per_update_expert_hours == 0
    assert hy.monthly_engineer_days == approx(2)  # 0.5 + 0.5 + 12 / 12 * 1
    assert hy.monthly_expert_hours == approx(1)  # 12 / 12 * 100 * 0.2 * 3 / 60


def test_no_retrain_on_update_goes_stale(simple: Scenario) -> None:
    est = estimate(_with(simple, "fine_tune", retrain_on_update=False))
    ft = est.strategies["fine_tune"]
    assert ft.per_update == 0
    assert ft.effort.per_update_engineer_days == 0 and ft.effort.per_update_expert_hours == 0
    assert any("stale" in w for w in est.warnings)
    assert est.to_dict()["warnings"] == list(est.warnings)
    assert not estimate(simple).warnings


def test_prompt_tokens_saved_never_goes_negative(simple: Scenario) -> None:
    r = strategy_rates(_with(simple, "fine_tune", prompt_tokens_saved=5000))["fine_tune"]
    assert r.per_request == approx(500 * 4e-6)


def test_months_override_and_bounds(simple: Scenario) -> None:
    est = estimate(simple, months=12)
    assert est.horizon_months == 12 and len(est.strategies["rag"].cumulative) == 13
    with pytest.raises(ValueError):
        estimate(simple, months=0)


def test_zero_requests_has_no_per_1k(simple: Scenario) -> None:
    """MODEL.md v2: cost_per_1k_requests is null when the horizon has no requests."""
    est = estimate(_with(simple, "workload", requests_per_month=0))
    assert est.strategies["rag"].cost_per_1k_requests is None
    assert est.to_dict()["strategies"]["rag"]["cost_per_1k_requests"] is None


def test_json_shape(simple: Scenario) -> None:
    data = estimate(simple).to_dict()
    assert set(data) >= {"scenario", "currency", "horizon_months", "strategies", "cheapest", "breakeven"}
    for name in ("rag", "fine_tune", "hybrid"):
        s = data["strategies"][name]
        assert set(s) >= {
            "upfront", "per_update", "per_request", "monthly_fixed", "periodic_monthly",
            "total", "cost_per_1k_requests", "effort", "timeline",
        }  # fmt: skip
        assert s["timeline"][0] == {"month": 0, "requests": 0.0, "cost": s["upfront"], "cumulative": s["upfront"]}
        assert [e["month"] for e in s["timeline"]] == [0, 1, 2, 3]
    assert data["breakeven"][0] == {"a": "rag", "b": "fine_tune", "month": 1}


@pytest.mark.parametrize("strategy", ["rag", "fine_tune", "hybrid"])
@pytest.mark.parametrize("figure", ["upfront", "per_update", "per_request", "monthly_fixed", "periodic_monthly"])
def test_breakdown_parts_add_up(example: Scenario, simple: Scenario, strategy: str, figure: str) -> None:
    for s in (example, simple):
        parts = breakdown(s)[strategy][figure]
        assert sum(p.amount for p in parts) == approx(getattr(strategy_rates(s)[strategy], figure), abs=1e-12)
        assert all(p.label and p.formula for p in parts)
