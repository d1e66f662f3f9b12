"""Invariants that hold for every valid scenario (hypothesis)."""

from __future__ import annotations

import math
import tomllib

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from costmodel.files.scenario_io import dump_scenario
from costmodel.model.engine import estimate
from costmodel.model.schema import Scenario
from costmodel.model.validation import validate_scenario

money = st.floats(min_value=0, max_value=1e4, allow_nan=False, allow_infinity=False)
tokens = st.floats(min_value=0, max_value=1e5, allow_nan=False, allow_infinity=False)
fraction = st.floats(min_value=0, max_value=1, allow_nan=False, allow_infinity=False)
days = st.floats(min_value=0, max_value=200, allow_nan=False, allow_infinity=False)


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    """Draw a valid scenario over the whole input space (models m and e)."""
    price = st.floats(min_value=0, max_value=100, allow_nan=False, allow_infinity=False)
    data = {
        "name": draw(st.text(max_size=20)),
        "horizon_months": draw(st.integers(1, 120)),
        "workload": {
            "requests_per_month": draw(st.floats(0, 1e7)),
            "monthly_growth": draw(st.floats(-0.5, 0.2)),
            "prompt_tokens": draw(tokens),
            "output_tokens": draw(tokens),
        },
        "knowledge": {
            "corpus_tokens": draw(st.floats(0, 1e10)),
            "updates_per_month": draw(st.floats(0, 60)),
            "changed_fraction": draw(fraction),
        },
        "team": {"engineer_day_rate": draw(money), "expert_hour_rate": draw(money)},
        "rag": {
            "model": "m",
            "embedding_model": "e",
            "build_days": draw(days),
            "retrieved_tokens": draw(tokens),
            "retrieval_per_1k_requests": draw(money),
            "hosting_per_month": draw(money),
            "maintenance_days_per_month": draw(days),
            "update_hours": draw(days),
        },
        "fine_tune": {
            "model": "m",
            "examples": draw(st.floats(0, 1e5)),
            "tokens_per_example": draw(tokens),
            "epochs": draw(st.floats(1, 10)),
            "curation_minutes_per_example": draw(st.floats(0, 60)),
            "build_days": draw(days),
            "retrain_days": draw(days),
            "changed_examples_fraction": draw(fraction),
            "retrain_on_update": draw(st.booleans()),
            "prompt_tokens_saved": draw(tokens),
            "hosting_per_hour": draw(money),
            "maintenance_days_per_month": draw(days),
        },
        "hybrid": {
            "examples": draw(st.floats(0, 1e4)),
            "build_days": draw(days),
            "retrains_per_year": draw(st.floats(0, 52)),
            "maintenance_days_per_month": draw(days),
        },
        "models": {
            "m": {
                "input_per_mtok": draw(price),
                "output_per_mtok": draw(price),
                "training_per_mtok": draw(price),
                "ft_input_per_mtok": draw(price),
                "ft_output_per_mtok": draw(price),
            },
            "e": {"input_per_mtok": draw(price)},
        },
    }
    return validate_scenario(data)


FIGURES = ("upfront", "per_update", "per_request", "monthly_fixed", "periodic_monthly", "total")
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(scenarios())
def test_no_negative_costs(s: Scenario) -> None:
    est = estimate(s)
    for strat in est.strategies.values():
        for figure in FIGURES:
            value = getattr(strat, figure)
            assert value >= 0 and math.isfinite(value), figure
        assert all(c >= 0 for c in strat.monthly_cost)
        assert all(b >= a for a, b in zip(strat.cumulative, strat.cumulative[1:], strict=False))


@FAST
@given(scenarios(), st.floats(min_value=1.0, max_value=10.0))
def test_more_requests_never_cost_less(s: Scenario, factor: float) -> None:
    more = s.model_copy(
        update={
            "workload": s.workload.model_copy(update={"requests_per_month": s.workload.requests_per_month * factor})
        }
    )
    base, bigger = estimate(s), estimate(more)
    for name in base.strategies:
        assert bigger.strategies[name].total >= base.strategies[name].total


@FAST
@given(scenarios())
def test_save_then_load_is_identity(s: Scenario) -> None:
    assert validate_scenario(tomllib.loads(dump_scenario(s))) == s


@FAST
@given(scenarios())
def test_json_keys_always_present(s: Scenario) -> None:
    data = estimate(s).to_dict()
    assert {"scenario", "currency", "horizon_months", "strategies", "cheapest", "breakeven"} <= set(data)
    assert len(data["breakeven"]) == 6
    for strat in data["strategies"].values():
        assert len(strat["timeline"]) == s.horizon_months + 1
        assert set(strat["effort"]) == {
            "upfront_engineer_days", "upfront_expert_hours", "per_update_engineer_days",
            "per_update_expert_hours", "monthly_engineer_days", "monthly_expert_hours",
        }  # fmt: skip
