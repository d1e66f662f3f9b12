"""Invariants that hold for every valid scenario (hypothesis)."""

from __future__ import annotations

import math
import tomllib
from datetime import date

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


# --- shared/MODEL.md v2 additions ------------------------------------------------------------

ops_values = st.fixed_dictionaries(
    {
        "per_request_fee": st.floats(0, 0.1),
        "review_fraction": fraction,
        "review_minutes": st.floats(0, 30),
        "reviewer_hour_rate": money,
        "eval_set_hours": st.floats(0, 500),
        "eval_days_per_release": st.floats(0, 10),
        "eval_cost_per_release": money,
        "releases_per_month": st.floats(0, 30),
        "migration_every_months": st.integers(0, 60),
        "migration_days": days,
    }
)
V2 = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
dates = st.dates(min_value=date(2025, 1, 1), max_value=date(2032, 12, 31))


@st.composite
def v2_scenarios(draw: st.DrawFn) -> Scenario:
    """Draw a scenario with every v2 addition possibly on: operations, batched retraining,
    price drift, a long-context strategy, a start month and model dates."""
    base = draw(scenarios())
    data = base.model_dump(exclude_none=True)
    data["schema_version"] = 2
    # No traffic, or at least one request a month: 1e-300 requests would overflow the per-1k figure.
    data["workload"]["requests_per_month"] = draw(st.one_of(st.just(0.0), st.floats(1, 1e7)))
    if draw(st.booleans()):
        data["operations"] = draw(ops_values)
    data["fine_tune"]["updates_per_retrain"] = draw(st.integers(1, 12))
    data["price_change_per_year"] = draw(st.floats(-0.9, 1.0))
    data["start"] = f"{draw(st.integers(2025, 2030))}-{draw(st.integers(1, 12)):02d}"
    for model in ("m", "e"):
        if draw(st.booleans()):
            data["models"][model]["available_until"] = draw(dates)
        if draw(st.booleans()):
            data["models"][model]["training_until"] = draw(dates)
    if draw(st.booleans()):
        data["models"]["m"]["cached_input_per_mtok"] = draw(st.floats(0, 100))
        data["models"]["m"]["cache_write_per_mtok"] = draw(st.floats(0, 100))
        data["long_context"] = {
            "model": "m",
            "context_tokens": draw(tokens),
            "cache_hit_fraction": draw(fraction),
            "build_days": draw(days),
            "update_hours": draw(days),
            "hosting_per_month": draw(money),
            "maintenance_days_per_month": draw(days),
        }
    return validate_scenario(data)


def _ops(s: Scenario, **values: float) -> Scenario:
    """Return `s` with these `[operations]` values set on top of its own."""
    current = s.operations.model_dump() if s.operations is not None else {}
    return validate_scenario({**s.model_dump(exclude_none=True), "operations": {**current, **values}})


@V2
@given(scenarios())
def test_every_v2_addition_at_its_default_changes_nothing(s: Scenario) -> None:
    data = s.model_dump(exclude_none=True)
    data.update(schema_version=2, operations={}, price_change_per_year=0.0)
    data["fine_tune"]["updates_per_retrain"] = 1
    with_defaults = validate_scenario(data)
    assert estimate(with_defaults).to_dict() == estimate(s).to_dict()
    dated = validate_scenario({**data, "start": "2027-01"}).model_copy(update={"start": None})
    assert estimate(dated, today=date(2027, 1, 15)).to_dict() == {
        **estimate(s).to_dict(),
        "start": "2027-01",
    }


@V2
@given(v2_scenarios(), st.floats(0, 0.1), fraction, st.floats(0, 30), money)
def test_review_and_request_fees_never_lower_a_total(
    s: Scenario, fee: float, share: float, minutes: float, rate: float
) -> None:
    base = estimate(s)
    more = estimate(
        _ops(
            s,
            per_request_fee=(s.operations.per_request_fee if s.operations else 0) + fee,
            review_fraction=max(share, s.operations.review_fraction if s.operations else 0),
            review_minutes=(s.operations.review_minutes if s.operations else 0) + minutes,
            reviewer_hour_rate=(s.operations.reviewer_hour_rate if s.operations else 0) + rate,
        )
    )
    for name, strat in base.strategies.items():
        assert more.strategies[name].total >= strat.total * (1 - 1e-12)


@V2
@given(v2_scenarios())
def test_an_unavailable_strategy_is_never_cheapest_while_another_is_available(s: Scenario) -> None:
    est = estimate(s)
    available = [name for name, strat in est.strategies.items() if strat.available]
    if available:
        assert est.strategies[est.cheapest].available
        assert est.strategies[est.cheapest].total == min(est.strategies[n].total for n in available)
    for strat in est.strategies.values():
        assert strat.available is (strat.unavailable_because is None)


@V2
@given(v2_scenarios())
def test_v2_figures_are_finite_and_never_negative(s: Scenario) -> None:
    est = estimate(s)
    names = list(est.strategies)
    assert len(est.breakeven) == len(names) * (len(names) - 1)
    for strat in est.strategies.values():
        for figure in FIGURES:
            value = getattr(strat, figure)
            assert value >= 0 and math.isfinite(value), figure
        assert all(c >= 0 and math.isfinite(c) for c in strat.monthly_cost)
        assert all(math.isfinite(x) for x in strat.effort)
        per_1k = strat.cost_per_1k_requests
        assert per_1k is None or (per_1k >= 0 and math.isfinite(per_1k))


@V2
@given(v2_scenarios(), st.floats(min_value=1.0, max_value=10.0))
def test_v2_more_requests_never_cost_less(s: Scenario, factor: float) -> None:
    workload = s.workload.model_copy(update={"requests_per_month": s.workload.requests_per_month * factor})
    base, bigger = estimate(s), estimate(s.model_copy(update={"workload": workload}))
    for name in base.strategies:
        assert bigger.strategies[name].total >= base.strategies[name].total * (1 - 1e-12)


def _catch_up_by_definition(ca: list[float], cb: list[float]) -> int | None:
    """The first month m >= 1 with ca(m) <= cb(m) while ca(m-1) > cb(m-1), month by month."""
    for m in range(1, len(ca)):
        if ca[m] <= cb[m] and ca[m - 1] > cb[m - 1]:
            return m
    return None


# Cumulative costs from a small set of values, so that ties and crossings in both directions are common.
_cumulative = st.lists(st.sampled_from([0.0, 1.0, 2.5, 2.5000000000000004, 3.0, 1e308]), min_size=1, max_size=40)


@given(_cumulative, _cumulative)
def test_breakeven_months_follow_their_definition(ca: list[float], cb: list[float]) -> None:
    from costmodel.model.timeline import breakeven_months

    n = min(len(ca), len(cb))
    ca, cb = ca[:n], cb[:n]
    assert breakeven_months(ca, cb) == (_catch_up_by_definition(ca, cb), _catch_up_by_definition(cb, ca))
