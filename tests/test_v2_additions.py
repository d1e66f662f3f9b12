"""shared/MODEL.md v2 additions, each against figures worked out by hand.

Base: tests/data/model_example.toml (MODEL.md's v1 example; its v1 figures are in
test_worked_example.py). Shared hand figures: engineer-day 800, hour 100, expert-hour 60;
training_run(2000) = 2000 × 800 × 3 × 5e-6 = 24; curation(200) = 200 × 4 / 60 × 60 = 800;
one fine_tune retraining = 24 + 800 + 2 × 800 = 2,424; training_run(300) = 3.6,
curation(30) = 120, one hybrid retraining = 3.6 + 120 + 1,600 = 1,723.6;
S = Σ requests(m) over 24 months = 50,000 × (1.05^24 − 1) / 0.05 = 2,225,099.9437137.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from costmodel.cli.main import main
from costmodel.files.scenario_io import load_scenario
from costmodel.model.engine import Estimate, estimate
from costmodel.model.errors import ScenarioValidationError

EXAMPLE = Path(__file__).parent / "data" / "model_example.toml"
MINI = 'models."gpt-4.1-mini"'
EMBED = 'models."text-embedding-3-small"'
REL = 1e-12
S = 2225099.9437137
V1 = {"rag": 42175.869886301676, "fine_tune": 270776.12792795355, "hybrid": 65300.00580975229}


def run(*overrides: str, today: date | None = None, path: Path = EXAMPLE) -> Estimate:
    """Return the estimate of the worked example (or the file at `path`) with `overrides` applied."""
    return estimate(load_scenario(path, list(overrides)), today=today)


# --- fine_tune.updates_per_retrain -----------------------------------------------------------


def test_updates_per_retrain_divides_fine_tunes_per_update() -> None:
    """n = 4: per_update 2,424 / 4 = 606; total 270,776.128 − 24 × 4 × (2,424 − 606) = 96,248.128."""
    est = run("fine_tune.updates_per_retrain=4")
    ft = est.strategies["fine_tune"]
    assert ft.per_update == pytest.approx(606.0, rel=REL)
    assert ft.total == pytest.approx(V1["fine_tune"] - 96 * 1818, rel=REL)
    assert ft.effort.per_update_engineer_days == pytest.approx(0.5, rel=REL)  # 2 / 4
    assert ft.effort.per_update_expert_hours == pytest.approx(200 * 4 / 60 / 4, rel=REL)  # 13.33 / 4
    assert est.strategies["hybrid"].total == V1["hybrid"]  # hybrid is unaffected
    assert est.strategies["rag"].total == V1["rag"]


def test_updates_per_retrain_does_nothing_without_retraining() -> None:
    stale = run("fine_tune.retrain_on_update=false")
    batched = run("fine_tune.retrain_on_update=false", "fine_tune.updates_per_retrain=4")
    assert batched.to_dict() == stale.to_dict()


@pytest.mark.parametrize("value", ["0", "1.5", "-1"])
def test_updates_per_retrain_is_a_whole_number_from_1(value: str) -> None:
    with pytest.raises(ScenarioValidationError) as info:
        load_scenario(EXAMPLE, [f"fine_tune.updates_per_retrain={value}"])
    assert "fine_tune.updates_per_retrain" in str(info.value)


# --- [operations] ----------------------------------------------------------------------------

OPERATIONS = Path(__file__).parent / "data" / "operations_example.toml"  # the example below, as a file
# review = 0.02 × 3 / 60 × 120 = 0.12 a request; gate = 0.5 × 800 + 50 = 450 a release;
# eval set 40 × 60 = 2,400 upfront; moves = 1/12 a month; a move = 3 × 800 + 450 = 2,850 (+ retraining).
OPS_FIGURES = {
    # upfront, per_request, periodic_monthly
    "rag": (12000.4 + 2400, 0.00202 + 0.001 + 0.12, 1 * 450 + 2850 / 12),  # 687.5
    "fine_tune": (16024 + 2400, 0.00128 + 0.121, (1 + 4) * 450 + (2850 + 2424) / 12),  # 2,689.5
    "hybrid": (15604 + 2400, 0.00338 + 0.121, 2 / 12 * 1723.6 + (1 + 2 / 12) * 450 + (2850 + 1723.6) / 12),  # 1,193.4
}
OPS_EFFORT = {
    # upfront_expert_hours, monthly_engineer_days, monthly_expert_hours
    "rag": (40, 1 + 1 * 0.5 + (3 + 0.5) / 12, 0),
    "fine_tune": (2000 * 4 / 60 + 40, 1 + 5 * 0.5 + (3 + 0.5 + 2) / 12, (2000 * 0.1 * 4 / 60) / 12),
    "hybrid": (300 * 4 / 60 + 40, 1 + 0.5 + 2 / 12 * 2 + (7 / 6) * 0.5 + (3 + 0.5 + 2) / 12, 2 / 12 * 2 + 2 / 12),
}


@pytest.mark.parametrize("name", sorted(OPS_FIGURES))
def test_operations_figures(name: str) -> None:
    s = run(path=OPERATIONS).strategies[name]
    upfront, per_request, periodic = OPS_FIGURES[name]
    assert s.upfront == pytest.approx(upfront, rel=REL)
    assert s.per_request == pytest.approx(per_request, rel=REL)
    assert s.periodic_monthly == pytest.approx(periodic, rel=REL)
    v1 = run().strategies[name]
    assert s.per_update == v1.per_update and s.monthly_fixed == v1.monthly_fixed
    expected_total = V1[name] + 2400 + 24 * (periodic - v1.periodic_monthly) + 0.121 * S
    assert s.total == pytest.approx(expected_total, rel=1e-11)


def test_operations_hand_totals() -> None:
    """rag: 42,175.87 + 2,400 + 24 × 687.5 + 0.121 × S = 330,312.963."""
    assert run(path=OPERATIONS).strategies["rag"].total == pytest.approx(330312.96307565947, rel=1e-12)


@pytest.mark.parametrize("name", sorted(OPS_EFFORT))
def test_operations_effort(name: str) -> None:
    e = run(path=OPERATIONS).strategies[name].effort
    hours, days, monthly_hours = OPS_EFFORT[name]
    assert e.upfront_expert_hours == pytest.approx(hours, rel=REL)
    assert e.monthly_engineer_days == pytest.approx(days, rel=REL)
    assert e.monthly_expert_hours == pytest.approx(monthly_hours, rel=REL, abs=1e-15)


def test_batched_retrains_count_as_releases() -> None:
    """With updates_per_retrain = 4, fine_tune releases 1 + 4 / 4 = 2 times a month: 2 × 450."""
    s = run("fine_tune.updates_per_retrain=4", path=OPERATIONS).strategies["fine_tune"]
    assert s.periodic_monthly == pytest.approx(2 * 450 + (2850 + 2424) / 12, rel=REL)


def test_an_empty_operations_table_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "ops.toml"
    path.write_text(EXAMPLE.read_text() + "\n[operations]\n")
    assert estimate(load_scenario(path)).to_dict() == run().to_dict()


@pytest.mark.parametrize(
    "override",
    ["operations.review_fraction=1.5", "operations.migration_every_months=1.5", "operations.per_request_fee=-1"],
)
def test_operations_bounds(override: str) -> None:
    with pytest.raises(ScenarioValidationError) as info:
        load_scenario(EXAMPLE, [override])
    assert override.split("=")[0] in str(info.value)


# --- price_change_per_year -------------------------------------------------------------------


def test_token_prices_drift_month_by_month() -> None:
    """-20 % a year: g(13) = 0.8. rag month 13 = 870 + 4 × 50.008 + q13 × (0.00152 × 0.8 + 0.0005)."""
    est = run("price_change_per_year=-0.2")
    rag, ft = est.strategies["rag"], est.strategies["fine_tune"]
    q13 = 50000 * 1.05**12
    assert rag.per_request == pytest.approx(0.00202, rel=REL)  # month 1's
    assert rag.monthly_cost[1] == pytest.approx(870 + 200.032 + 50000 * 0.00202, rel=REL)
    assert rag.monthly_cost[13] == pytest.approx(870 + 200.032 + q13 * (0.00152 * 0.8 + 0.0005), rel=REL)
    # fine_tune's per_request is all tokens: it drifts whole; its per_update (training) does not.
    assert ft.monthly_cost[13] == pytest.approx(800 + 4 * 2424 + q13 * 0.00128 * 0.8, rel=REL)
    g = [0.8 ** ((m - 1) / 12) for m in range(1, 25)]
    q = [50000 * 1.05 ** (m - 1) for m in range(1, 25)]
    expected = 12000.4 + sum(1070.032 + qm * (0.00152 * gm + 0.0005) for qm, gm in zip(q, g, strict=True))
    assert rag.total == pytest.approx(expected, rel=REL)
    assert est.to_dict()["strategies"]["rag"]["per_request"] == pytest.approx(0.00202, rel=REL)


def test_fees_and_review_do_not_drift() -> None:
    est = run("price_change_per_year=-0.5", "operations.per_request_fee=0.01")
    q13 = 50000 * 1.05**12
    rag = est.strategies["rag"]
    assert rag.monthly_cost[13] == pytest.approx(1070.032 + q13 * (0.00152 * 0.5 + 0.0005 + 0.01), rel=REL)


def test_price_change_is_above_minus_one() -> None:
    with pytest.raises(ScenarioValidationError):
        load_scenario(EXAMPLE, ["price_change_per_year=-1"])


# --- availability ----------------------------------------------------------------------------

START = 'start="2027-01"'  # month 1 = 2027-01; 24 months end on 2028-12-31


def test_start_defaults_to_the_callers_month_and_is_in_the_json() -> None:
    assert run(today=date(2026, 12, 1)).to_dict()["start"] == "2026-12"
    assert run(START, today=date(2026, 12, 1)).to_dict()["start"] == "2027-01"
    assert run().start is None
    data = run(today=date(2026, 12, 1)).to_dict()
    assert all(s["available"] is True and s["unavailable_because"] is None for s in data["strategies"].values())


def test_fine_tuning_that_ends_within_the_horizon() -> None:
    est = run(START, f"{MINI}.training_until=2027-01-06")
    assert [n for n, s in est.strategies.items() if not s.available] == ["fine_tune", "hybrid"]
    because = est.strategies["hybrid"].unavailable_because or ""
    assert "gpt-4.1-mini" in because and "training_until" in because and "2027-01-06" in because
    assert est.cheapest == "rag"


def test_fine_tuning_that_ended_before_the_start() -> None:
    est = run(START, f"{MINI}.training_until=2026-12-31")
    because = est.strategies["fine_tune"].unavailable_because or ""
    # Both rules apply: no first training job at the start, and no retraining within the horizon.
    assert "before the start 2027-01" in because and because.count("; ") == 1
    assert not est.strategies["hybrid"].available


def test_no_retraining_means_training_until_only_needs_the_start() -> None:
    base = [
        START,
        f"{MINI}.training_until=2027-06-01",
        "fine_tune.retrain_on_update=false",
        "hybrid.retrains_per_year=0",
    ]
    assert all(s.available for s in run(*base).strategies.values())
    moved = run(*base, "operations.migration_every_months=24")  # a move within the horizon retrains
    assert not moved.strategies["fine_tune"].available and not moved.strategies["hybrid"].available
    late = run(*base, "operations.migration_every_months=25")
    assert all(s.available for s in late.strategies.values())


@pytest.mark.parametrize(("until", "available"), [("2028-12-30", False), ("2028-12-31", True)])
def test_a_withdrawn_model_before_the_horizon_ends(until: str, available: bool) -> None:
    """The horizon ends on 2028-12-31: a model callable until that day is available, one day less is not."""
    est = run(START, f"{EMBED}.available_until={until}")
    assert est.strategies["rag"].available is available
    assert est.strategies["hybrid"].available is available  # the hybrid embeds with it too
    assert est.strategies["fine_tune"].available


def test_reasons_are_joined() -> None:
    est = run(START, f"{EMBED}.available_until=2027-06-30", f"{MINI}.training_until=2027-06-30")
    because = est.strategies["hybrid"].unavailable_because or ""
    assert because.count("; ") == 1 and "text-embedding-3-small" in because and "training_until" in because


def test_none_available_picks_among_all_with_a_warning() -> None:
    est = run(START, f"{EMBED}.available_until=2027-06-30", f"{MINI}.training_until=2027-06-30")
    assert not any(s.available for s in est.strategies.values())
    assert est.cheapest == "rag"
    assert any("no strategy is available" in w for w in est.warnings)


def test_the_cheapest_available_is_starred(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """Acceptance: support-assistant with fine-tuning ending in the horizon: Hybrid (the lowest total)
    is marked not available and RAG, the cheapest available, gets the star."""
    monkeypatch.setenv("COSTMODEL_TODAY", "2026-12-01")
    args = ["estimate", "support-assistant", "--set", f"{MINI}.training_until=2027-01-06"]
    assert main([*args, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["start"] == "2026-12"
    assert data["strategies"]["hybrid"]["available"] is False
    assert data["strategies"]["hybrid"]["total"] < data["strategies"]["rag"]["total"]
    assert data["cheapest"] == "rag"
    assert main(args) == 0
    table = capsys.readouterr().out
    assert "★ RAG" in table and "Hybrid ✗" in table
    assert "not available: fine-tuning of gpt-4.1-mini ends 2027-01-06" in " ".join(table.split())
    assert main([*args, "--format", "markdown"]) == 0
    markdown = capsys.readouterr().out
    assert "RAG (cheapest)" in markdown and "Hybrid (not available)" in markdown
    assert "not available: fine-tuning of gpt-4.1-mini ends 2027-01-06" in markdown


def test_cli_today_option_dates_the_timeline(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["estimate", str(EXAMPLE), "--format", "json", "--today", "2027-03-15"]) == 0
    assert json.loads(capsys.readouterr().out)["start"] == "2027-03"


def test_no_requests_gives_null_cost_per_1k_in_json() -> None:
    data = run("workload.requests_per_month=0").to_dict()
    assert all(s["cost_per_1k_requests"] is None for s in data["strategies"].values())


# --- sweeps: strategies recomputed one at a time, availability per point ----------------------


def test_sweep_points_equal_estimates_when_each_value_moves_one_strategy() -> None:
    """A price only RAG reads, a count only the hybrid reads and a switch of fine-tuning, swept
    together: every point equals estimate() with those values (each strategy is recomputed only
    when a value it read changes)."""
    from costmodel.analysis.sweeps import sweep

    scenario = load_scenario(EXAMPLE, [START, f"{MINI}.training_until=2027-06-30"])
    vary = {
        f"{MINI}.input_per_mtok": [0.2, 0.4, 3.0],
        "hybrid.examples": [100.0, 300.0],
        "fine_tune.retrain_on_update": [True, False],
    }
    result = sweep(scenario, vary, today=date(2026, 12, 1))
    for point in result.points:
        price, examples, retrain = point.inputs.values()
        est = run(
            START,
            f"{MINI}.training_until=2027-06-30",
            f"{MINI}.input_per_mtok={price}",
            f"hybrid.examples={examples}",
            f"fine_tune.retrain_on_update={'true' if retrain else 'false'}",
        )
        assert point.cheapest == est.cheapest
        for name, s in est.strategies.items():
            assert point.strategies[name].total == pytest.approx(s.total, rel=1e-12)
            assert point.strategies[name].available is s.available
    # Fine-tuning that retrains after its training ends is never the cheapest of a point.
    assert all(
        p.strategies["fine_tune"].available is (not p.inputs["fine_tune.retrain_on_update"]) for p in result.points
    )


def test_monte_carlo_runs_the_v2_lines_sample_by_sample() -> None:
    """Ranges on price drift, releases and the cache-hit share: each sample's totals are estimate()'s."""
    from costmodel.analysis.montecarlo import evaluate, sample_inputs
    from costmodel.model.inputs import replace_values

    lc_example = Path(__file__).parent / "data" / "long_context_example.toml"
    ranged = [
        "price_change_per_year={ low = -0.5, high = 0.3 }",
        "operations.releases_per_month={ low = 0, high = 4 }",
        "operations.eval_days_per_release=1",
        "long_context.cache_hit_fraction={ low = 0, mode = 0.8, high = 1 }",
        "fine_tune.updates_per_retrain=3",
    ]
    scenario = load_scenario(lc_example, ranged)
    values = sample_inputs(scenario, 6, seed=5)
    values["long_context", "cache_hit_fraction"][0] = 0.0  # h = 0 bills the pack at the input price
    arrays = evaluate(scenario, values, 6)
    point = scenario.model_copy(update={"ranges": {}})
    for i in range(6):
        est = estimate(replace_values(point, {k: float(v[i]) for k, v in values.items()}))
        for name, s in est.strategies.items():
            assert float(arrays[name].total[i]) == pytest.approx(s.total, rel=1e-12), (i, name)
