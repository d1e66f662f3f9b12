"""Sweeps: SPEC parsing (hand-checked ranges), validation of varied values, figures equal to estimate()."""

from __future__ import annotations

from pathlib import Path

import pytest

from costmodel import SweepError, SweepResult, estimate, load_scenario, sweep
from costmodel.analysis.sweeps import parse_spec, plan_sweep
from costmodel.files.scenario_io import load_document

EXAMPLE = Path(__file__).parent / "data" / "model_example.toml"


@pytest.fixture(scope="module")
def scenario():
    return load_scenario(EXAMPLE)


def test_log_range_hand_checked():
    assert parse_spec("1000:1000000:4:log") == [1000.0, 10000.0, 100000.0, 1000000.0]
    assert parse_spec("1:100:3:log") == [1.0, 10.0, 100.0]
    assert parse_spec("1e3:1e6:7:log") == [1000.0, 3162.27766017, 10000.0, 31622.7766017, 100000.0, 316227.766017, 1e6]


def test_linear_range_hand_checked():
    assert parse_spec("0:30:4") == [0.0, 10.0, 20.0, 30.0]
    assert parse_spec("0:30:4:lin") == [0.0, 10.0, 20.0, 30.0]
    assert parse_spec("0:1:11") == [0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0]
    assert parse_spec("10:-10:3") == [10.0, 0.0, -10.0]
    assert parse_spec("5:9:1") == [5.0]


def test_lists_read_toml_values_and_names():
    assert parse_spec("0,1,4,30") == [0, 1, 4, 30]
    assert parse_spec("true, false") == [True, False]
    assert parse_spec("gpt-4.1-mini,0.5") == ["gpt-4.1-mini", 0.5]


@pytest.mark.parametrize(
    ("spec", "words"),
    [("0:10:3:log", "above 0"), ("1,,2", "empty item"), ("", "empty SPEC"), ("1:2:0", "at least 1")],
)
def test_bad_specs(spec, words):
    with pytest.raises(SweepError) as info:
        parse_spec(spec)
    assert words in str(info.value)


def test_sweep_figures_hand_checked(scenario):
    """RAG total = upfront + H*(fixed + updates*per_update) + per_request * sum of requests (docs/model.md)."""
    result = sweep(
        scenario, {"workload.requests_per_month": "1000:1000000:4:log", "knowledge.updates_per_month": "0,4"}
    )
    assert isinstance(result, SweepResult)
    assert len(result.points) == 8
    growth_sum = (1.05**24 - 1) / 0.05  # sum of 1.05**(m-1), m = 1..24
    for point in result.points:
        rpm = point.inputs["workload.requests_per_month"]
        updates = point.inputs["knowledge.updates_per_month"]
        # rag: upfront 15*800 + 20e6*0.02/1e6; per_update 0.02*20e6*0.02/1e6 + 0.5*800/8; fixed 70 + 800
        # per_request (600+2000)*0.4/1e6 + 300*1.6/1e6 + 0.5/1000 = 0.00202
        expected = 12000.4 + 24 * (870 + updates * 50.008) + 0.00202 * rpm * growth_sum
        assert point.strategies["rag"].total == pytest.approx(expected, rel=1e-9)
    assert [p.inputs["workload.requests_per_month"] for p in result.points[::2]] == [1e3, 1e4, 1e5, 1e6]
    first = result.points[1].strategies["rag"]  # 1,000 requests/month, 4 updates/month
    assert first.total == pytest.approx(37771.0623, rel=1e-8)


@pytest.mark.parametrize(
    "vary",
    [
        {"workload.requests_per_month": "1000:1000000:5:log", "workload.prompt_tokens": "100,600,3000"},
        {"fine_tune.retrain_on_update": "true,false", "fine_tune.retrain_days": "0,2,10"},
        {"knowledge.changed_fraction": "0:1:3", "workload.monthly_growth": "-0.1,0,0.2"},
        {"horizon_months": "1,12,120", "hybrid.retrains_per_year": "0,12"},
        {'models."gpt-4.1-mini".ft_input_per_mtok': "0.1,0.8,5", "team.engineer_day_rate": "0,800"},
    ],
)
def test_sweep_equals_estimate(scenario, vary):
    """Every point's figures equal estimate() of the same inputs (closed form: rel 1e-12)."""
    result = sweep(scenario, vary)
    base = load_document(EXAMPLE).raw
    for point in result.points:
        overrides = [f"{path}={_toml(value)}" for path, value in point.inputs.items()]
        est = estimate(load_scenario(EXAMPLE, overrides))
        assert point.cheapest == est.cheapest
        for name, figures in point.strategies.items():
            s = est.strategies[name]
            for field in ("upfront", "per_update", "per_request", "monthly_fixed", "periodic_monthly"):
                assert getattr(figures, field) == getattr(s, field)
            assert figures.total == pytest.approx(s.total, rel=1e-12)
            assert figures.cost_per_1k_requests == pytest.approx(s.cost_per_1k_requests, rel=1e-12)
    assert base  # the file itself is untouched


def _toml(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    return repr(value)


def test_months_override(scenario):
    result = sweep(scenario, {"knowledge.updates_per_month": "1"}, months=6)
    assert result.horizon_months == 6
    est = estimate(
        scenario.model_copy(update={"knowledge": scenario.knowledge.model_copy(update={"updates_per_month": 1})}), 6
    )
    assert result.points[0].strategies["hybrid"].total == pytest.approx(est.strategies["hybrid"].total, rel=1e-12)


@pytest.mark.parametrize(
    ("vary", "message"),
    [
        ({"knowledge.changed_fraction": "0,1.5"}, "knowledge.changed_fraction"),
        ({"knowledge.changed_fraction": "0,1.5"}, "<= 1"),
        ({"workload.monthly_growth": "-1"}, "> -1"),
        ({"horizon_months": "0,12"}, "horizon_months"),
        ({"fine_tune.epochs": "0.5"}, ">= 1"),
        ({"knowledge.nope": "1"}, "has no field 'nope'"),
        ({"workload": "1"}, "is a table"),
        ({'models."no-such".input_per_mtok': "1"}, "no entry 'no-such'"),
        ({"rag.model": "no-such-model"}, "rag.model"),
        ({"workload.prompt_tokens": "many"}, "expected a number"),
    ],
)
def test_varied_values_are_validated(scenario, vary, message):
    with pytest.raises(SweepError) as info:
        plan_sweep(scenario, vary)
    assert message in str(info.value)


def test_cheapest_grid(scenario):
    result = sweep(
        scenario,
        {
            "workload.requests_per_month": "1000,1000000",
            "knowledge.updates_per_month": "0,30",
            "hybrid.examples": "1,2",
        },
    )
    grid = result.cheapest_grid()
    assert len(grid) == 2 and len(grid[0]) == 2
    # huge traffic and no updates favour the fine-tune's cheaper requests; many updates favour RAG
    assert grid == [["rag", "rag"], ["fine_tune", "rag"]]


def test_cli_style_vary_strings(scenario):
    plan = plan_sweep(scenario, ["workload.requests_per_month=1000:1000000:4:log", "knowledge.updates_per_month=0,4"])
    assert plan.size == 8
    with pytest.raises(SweepError, match=r"dotted\.path=SPEC"):
        plan_sweep(scenario, ["workload.requests_per_month"])
    with pytest.raises(SweepError, match="twice"):
        plan_sweep(scenario, ["knowledge.updates_per_month=1", "knowledge.updates_per_month=2"])
