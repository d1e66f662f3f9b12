"""The long_context strategy of shared/MODEL.md v2, against figures worked out by hand.

Base: tests/data/long_context_example.toml, MODEL.md's v1 example plus its v2
`[long_context]` block (claude-sonnet-4-5: input 3.00, output 15.00, cache read 0.30,
cache write 3.75 per 1M tokens, window 200,000). With prompt 600, output 300, a pack of
120,000 tokens, h = 0.9, engineer-day 800 (hour 100):

    upfront      = 4 × 800 = 3,200
    per_update   = 1 × 100 = 100
    per_request  = 600 × 3e-6 + 120,000 × (0.1 × 3.75e-6 + 0.9 × 0.30e-6) + 300 × 15e-6
                 = 0.0018 + 0.0774 + 0.0045 = 0.0837
    monthly_fixed = 0 + 0.5 × 800 = 400;  periodic_monthly = 0
    cost(1)      = 400 + 4 × 100 + 50,000 × 0.0837 = 4,985
    Σ requests   = 50,000 × (1.05^24 − 1) / 0.05 = 2,225,099.9437137
    total        = 3,200 + 24 × 800 + 0.0837 × 2,225,099.9437137 = 208,640.865288837
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from costmodel.analysis.diffs import diff
from costmodel.analysis.fit import fit_advice
from costmodel.analysis.montecarlo import simulate
from costmodel.analysis.sensitivity import sensitivity
from costmodel.analysis.solver import solve
from costmodel.analysis.sweeps import sweep
from costmodel.cli.main import main
from costmodel.files.scenario_io import load_scenario
from costmodel.model.engine import breakdown, cheapest_of, estimate
from costmodel.model.errors import ScenarioValidationError

DATA = Path(__file__).parent / "data"
LC = DATA / "long_context_example.toml"
V1 = DATA / "model_example.toml"
SONNET = "models.claude-sonnet-4-5"  # format_path quotes a name only when it holds a dot
REL = 1e-12


def lc(*overrides: str):
    """Return the long_context estimate of the example with `overrides` applied."""
    return estimate(load_scenario(LC, list(overrides))).strategies["long_context"]


def test_figures_match_the_hand_worked_example() -> None:
    s = lc()
    assert s.upfront == 3200.0
    assert s.per_update == 100.0
    assert s.per_request == pytest.approx(0.0837, rel=REL)
    assert s.monthly_fixed == 400.0
    assert s.periodic_monthly == 0.0
    assert s.monthly_cost[1] == pytest.approx(4985.0, rel=REL)
    assert s.total == pytest.approx(208640.865288837, rel=1e-12)
    assert s.cost_per_1k_requests == pytest.approx(1000 * (208640.865288837 - 3200) / 2225099.9437137, rel=1e-12)


def test_effort() -> None:
    e = lc().effort
    assert e == (4.0, 0.0, 0.125, 0.0, 0.5, 0.0)


def test_no_cache_bills_the_pack_at_the_input_price_even_with_a_write_price() -> None:
    """h = 0: 600 × 3e-6 + 120,000 × 3e-6 + 300 × 15e-6 = 0.3663 (no cache write, no read)."""
    assert lc("long_context.cache_hit_fraction=0").per_request == pytest.approx(0.3663, rel=REL)


def test_every_request_hits_the_cache() -> None:
    """h = 1: 0.0018 + 120,000 × 0.30e-6 + 0.0045 = 0.0423."""
    assert lc("long_context.cache_hit_fraction=1").per_request == pytest.approx(0.0423, rel=REL)


def test_unset_write_price_writes_at_the_input_price(tmp_path: Path) -> None:
    """w = input 3.00: 0.0018 + 120,000 × (0.1 × 3e-6 + 0.9 × 0.3e-6) + 0.0045 = 0.0747."""
    text = LC.read_text().replace("cache_write_per_mtok = 3.75\n", "")
    path = tmp_path / "no-write.toml"
    path.write_text(text)
    assert estimate(load_scenario(path)).strategies["long_context"].per_request == pytest.approx(0.0747, rel=REL)


def test_only_present_with_its_table_and_v1_figures_unchanged() -> None:
    v1, v2 = estimate(load_scenario(V1)), estimate(load_scenario(LC))
    assert list(v1.strategies) == ["rag", "fine_tune", "hybrid"]
    assert list(v2.strategies) == ["rag", "fine_tune", "hybrid", "long_context"]
    for name in v1.strategies:
        assert v2.strategies[name].total == v1.strategies[name].total
    assert len(v1.breakeven) == 6 and len(v2.breakeven) == 12
    assert {(b.a, b.b) for b in v2.breakeven} == {(a, b) for a in v2.strategies for b in v2.strategies if a != b}


def test_breakeven_against_long_context() -> None:
    """RAG (upfront 12,000.40) starts dearer than long context (3,200) and catches up in month 3."""
    est = estimate(load_scenario(LC))
    months = {(b.a, b.b): b.month for b in est.breakeven}
    rag, ctx = est.strategies["rag"].cumulative, est.strategies["long_context"].cumulative
    first = next(m for m in range(1, 25) if rag[m] <= ctx[m])
    assert rag[first - 1] > ctx[first - 1]
    assert months["rag", "long_context"] == first == 3
    assert months["long_context", "rag"] is None


def test_cheapest_tie_goes_to_the_first_in_registry_order() -> None:
    est = estimate(load_scenario(LC))
    same = {name: s._replace(total=1.0) for name, s in reversed(list(est.strategies.items()))}
    assert cheapest_of(same) == ("rag", False)
    only = {name: s._replace(total=1.0) for name, s in est.strategies.items() if name != "rag"}
    assert cheapest_of(only) == ("fine_tune", False)


@pytest.mark.parametrize(("context", "fits"), [(199100, True), (199101, False)])
def test_context_window(context: int, fits: bool) -> None:
    """600 + context + 300 against 200,000: equal fits, one more token does not."""
    overrides = [f"long_context.context_tokens={context}"]
    if fits:
        assert lc(*overrides).upfront == 3200.0
        return
    with pytest.raises(ScenarioValidationError) as info:
        load_scenario(LC, overrides)
    assert "long_context.context_tokens" in str(info.value) and "context_window" in str(info.value)


def test_window_error_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["estimate", str(LC), "--set", "long_context.context_tokens=250000"]) == 2
    assert "long_context.context_tokens" in capsys.readouterr().err


def test_a_hit_fraction_needs_the_cached_price(tmp_path: Path) -> None:
    text = LC.read_text().replace("cached_input_per_mtok = 0.30\n", "")
    path = tmp_path / "no-read.toml"
    path.write_text(text)
    with pytest.raises(ScenarioValidationError) as info:
        load_scenario(path)
    assert f"{SONNET}.cached_input_per_mtok" in str(info.value)
    assert load_scenario(path, ["long_context.cache_hit_fraction=0"]).long_context is not None


@pytest.mark.parametrize("override", ["long_context.cache_hit_fraction=1.5", "long_context.cache_hit_fraction=-0.1"])
def test_hit_fraction_bounds(override: str) -> None:
    with pytest.raises(ScenarioValidationError) as info:
        load_scenario(LC, [override])
    assert "long_context.cache_hit_fraction" in str(info.value)


def test_model_and_context_are_required(tmp_path: Path) -> None:
    path = tmp_path / "bare.toml"
    path.write_text(LC.read_text().replace("context_tokens = 120000\n", ""))
    with pytest.raises(ScenarioValidationError) as info:
        load_scenario(path)
    assert "long_context.context_tokens" in str(info.value)


def test_breakdown_lines_add_up() -> None:
    parts = breakdown(load_scenario(LC))["long_context"]
    assert [p.label for p in parts["per_request"]] == ["prompt", "knowledge pack (cache writes and reads)", "output"]
    assert sum(p.amount for p in parts["per_request"]) == pytest.approx(0.0837, rel=REL)
    assert parts["upfront"][0].amount == 3200.0


def test_every_face_shows_it(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    scenario = load_scenario(LC)
    assert main(["estimate", str(LC), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["strategies"]["long_context"]["per_request"] == pytest.approx(0.0837, rel=REL)
    for fmt, text in (("table", "Long context"), ("markdown", "Long context"), ("csv", "long_context_cost")):
        assert main(["estimate", str(LC), "--format", fmt]) == 0
        assert text in capsys.readouterr().out
    assert main(["batch", str(LC), "--format", "csv", "--progress", "never"]) == 0
    assert "long_context" in capsys.readouterr().out
    point = sweep(scenario, {"workload.requests_per_month": [50000.0]}).points[0]
    assert point.strategies["long_context"].total == pytest.approx(208640.865288837, rel=1e-12)
    assert "long_context" in diff(load_scenario(V1), scenario).strategies
    assert "long_context" in sensitivity(scenario).base_totals
    sol = solve(scenario, "workload.requests_per_month", "rag", "long_context", 100.0, 100000.0)
    assert sol.found
    u = simulate(scenario, 10, seed=1)
    assert u.strategies["long_context"]["total"]["p50"] == pytest.approx(208640.865288837, rel=1e-12)
    assert set(fit_advice(scenario)) == {"rag", "fine_tune", "hybrid", "long_context"}


def test_policy_handbook_preset_is_won_by_long_context() -> None:
    est = estimate(load_scenario("policy-handbook"))
    assert est.cheapest == "long_context"
    fit = fit_advice(load_scenario("policy-handbook"))["long_context"]
    assert fit.verdict == "good"
