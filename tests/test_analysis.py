"""Sensitivity (checked by hand on tests/data/simple.toml), the break-even solver, and fit advice."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from uncertainty_support import example

from costmodel.analysis.fit import fit_advice
from costmodel.analysis.sensitivity import sensitivity
from costmodel.analysis.solver import solve
from costmodel.files.scenario_io import load_scenario
from costmodel.model.engine import estimate
from costmodel.model.errors import CostmodelError
from costmodel.model.schema import Scenario
from costmodel.model.validation import validate_scenario


def _with(s: Scenario, table: str, key: str, value: float) -> Scenario:
    """Return s with one value changed, validated from scratch (the way a user would write it)."""
    data = s.model_dump()
    data[table][key] = value
    return validate_scenario(data)


def test_sensitivity_ranking_by_hand(simple: Scenario) -> None:
    # simple.toml, RAG: total = 8000.1 + 3 * (500 + 2 * 200.01) + 3000 * 0.004 = 10,712.16.
    # engineer_day_rate 800 -> 640..960 moves 10 build days + 3 * (2 updates * 2 h / 8 + 0.5 days) = 13 per unit.
    # build_days 10 -> 8..12 moves 800 per day; updates_per_month 2 -> 1.6..2.4 moves 3 * 200.01 per update.
    rows = sensitivity(simple).strategies["rag"]
    top = [(r.input, r.low, r.high, r.total_low, r.total_high, r.swing) for r in rows[:3]]
    assert top[0][:3] == ("team.engineer_day_rate", 640.0, 960.0)
    assert top[0][3:] == pytest.approx((8632.16, 12792.16, 4160.0))
    assert top[1][:3] == ("rag.build_days", 8.0, 12.0)
    assert top[1][3:] == pytest.approx((9112.16, 12312.16, 3200.0))
    assert top[2][0] == "knowledge.updates_per_month" and top[2][5] == pytest.approx(480.024)
    assert {r.input for r in rows[3:5]} == {"rag.maintenance_days_per_month", "rag.update_hours"}
    assert [r.swing for r in rows[3:5]] == pytest.approx([480.0, 480.0])
    assert rows[5].input == "rag.hosting_per_month" and rows[5].swing == pytest.approx(120.0)
    untouched = {r.input: r.swing for r in rows}
    assert untouched["fine_tune.examples"] == 0.0 and untouched["hybrid.build_days"] == 0.0


def test_fractions_stay_within_bounds_and_ranges_are_used_as_given(simple: Scenario) -> None:
    s = _with(simple, "knowledge", "changed_fraction", 0.9)
    rows = {r.input: r for r in sensitivity(s).strategies["rag"]}
    assert (rows["knowledge.changed_fraction"].low, rows["knowledge.changed_fraction"].high) == pytest.approx(
        (0.72, 1.0)
    )
    data = simple.model_dump()
    data["rag"]["build_days"] = {"low": 5, "high": 30}
    rows = {r.input: r for r in sensitivity(validate_scenario(data)).strategies["rag"]}
    assert (rows["rag.build_days"].low, rows["rag.build_days"].high) == (5.0, 30.0)


def test_decision_flippers(simple: Scenario) -> None:
    # RAG (10,712.16) stays cheapest for +-20 % swings; fine-tuning (17,239) wins once
    # rag.build_days passes 10 + 6,526.84 / 800 = 18.15855 days, inside a 5..30 range.
    assert sensitivity(simple).decision_flippers == []
    data = simple.model_dump()
    data["rag"]["build_days"] = {"low": 5, "high": 30}
    result = sensitivity(validate_scenario(data))
    assert result.decision_flippers == ["rag.build_days"]
    assert result.flips == {"rag.build_days": ["fine_tune"]}


def test_solver_finds_the_hand_computed_break_even_and_it_substitutes_back(simple: Scenario) -> None:
    sol = solve(simple, "rag.build_days", "rag", "fine_tune", 0, 100)
    assert len(sol.crossings) == 1
    c = sol.crossings[0]
    assert c.value == pytest.approx(18.15855, rel=1e-12)
    assert (c.cheaper_below, c.cheaper_above) == ("rag", "fine_tune")
    back = estimate(_with(simple, "rag", "build_days", c.value))
    assert back.strategies["rag"].total == pytest.approx(back.strategies["fine_tune"].total, rel=1e-12)


def test_solver_on_a_nonlinear_input_substitutes_back(simple: Scenario) -> None:
    base = _with(simple, "workload", "monthly_growth", 0.0)
    sol = solve(base, "workload.requests_per_month", "rag", "fine_tune", 0, 1e7)
    for c in sol.crossings:
        back = estimate(_with(base, "workload", "requests_per_month", c.value))
        assert back.strategies["rag"].total == pytest.approx(back.strategies["fine_tune"].total, rel=1e-9)
    # Over 120 months, fast enough growth makes fine-tuning's cheaper requests pay for its retraining.
    grow = solve(simple, "workload.monthly_growth", "rag", "fine_tune", -0.5, 0.2, months=120)
    assert grow.crossings
    for c in grow.crossings:
        back = estimate(_with(simple, "workload", "monthly_growth", c.value), months=120)
        assert back.strategies["rag"].total == pytest.approx(back.strategies["fine_tune"].total, rel=1e-9)


def test_solver_says_when_there_is_none_and_refuses_bad_input(simple: Scenario) -> None:
    sol = solve(simple, "rag.build_days", "rag", "fine_tune", 0, 15)
    assert not sol.found and sol.diff_low < 0 and sol.diff_high < 0
    with pytest.raises(CostmodelError, match="not a numeric input"):
        solve(simple, "rag.nope", "rag", "fine_tune")
    with pytest.raises(CostmodelError, match="out of this field's bounds"):
        solve(simple, "knowledge.changed_fraction", "rag", "fine_tune", 0, 2)
    with pytest.raises(CostmodelError, match="two different strategies"):
        solve(simple, "rag.build_days", "rag", "rag")
    with pytest.raises(CostmodelError, match="must be below"):
        solve(simple, "rag.build_days", "rag", "hybrid", 5, 5)


def test_fit_advice_follows_the_comparison_table() -> None:
    knowledge_heavy = validate_scenario(example(needs={"citations": True, "new_facts": True}))
    fits = fit_advice(knowledge_heavy)
    assert (fits["rag"].verdict, fits["fine_tune"].verdict, fits["hybrid"].verdict) == ("good", "poor", "good")
    assert "cannot cite sources" in fits["fine_tune"].summary
    behaviour = fit_advice(
        validate_scenario(example(needs={"strict_format": True}, knowledge={"updates_per_month": 0}))
    )
    assert (behaviour["rag"].verdict, behaviour["fine_tune"].verdict) == ("mixed", "good")
    assert any(r.text.startswith("the knowledge does not change") for r in behaviour["fine_tune"].reasons)
    stale = fit_advice(validate_scenario(example(fine_tune={"retrain_on_update": False})))
    assert stale["fine_tune"].verdict == "poor" and "answers go stale" in stale["fine_tune"].summary
    churn = fit_advice(validate_scenario(example()))  # 4 updates a month, retraining each time
    assert churn["fine_tune"].verdict == "mixed" and "retrains 4x a month" in churn["fine_tune"].summary


def test_fit_never_changes_a_cost() -> None:
    plain = estimate(validate_scenario(example()))
    needy = estimate(validate_scenario(example(needs={"citations": True, "brand_voice": True})))
    assert plain.to_dict() == needy.to_dict()


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "costmodel", *args], capture_output=True, text=True, timeout=60)


def test_cli_sensitivity_and_solve(data_dir: Path) -> None:
    path = str(data_dir / "simple.toml")
    done = _cli("sensitivity", path, "--format", "json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    first = data["strategies"]["rag"][0]
    assert set(first) == {"input", "low", "high", "total_low", "total_high", "swing"}
    assert first["input"] == "team.engineer_day_rate" and data["decision_flippers"] == []
    table = _cli("sensitivity", path, "--top", "3")
    assert table.returncode == 0 and "team.engineer_day_rate" in table.stdout
    solved = _cli("solve", path, "--vary", "rag.build_days", "--between", "rag", "fine_tune", "--max", "100")
    assert solved.returncode == 0 and "break-even at 18.15855 engineer-days" in solved.stdout
    none = _cli("solve", path, "--vary", "rag.build_days", "--between", "rag", "fine_tune", "--max", "15")
    assert none.returncode == 0 and "no break-even in range" in none.stdout
    bad = _cli("solve", path, "--vary", "rag.nope", "--between", "rag", "fine_tune")
    assert bad.returncode == 2 and "rag.nope" in bad.stderr
    fit = json.loads(_cli("estimate", path, "-f", "json").stdout)["fit"]
    assert set(fit["strategies"]) == {"rag", "fine_tune", "hybrid"}
    assert load_scenario(data_dir / "simple.toml").needs is None
