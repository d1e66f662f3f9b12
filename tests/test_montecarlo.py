"""Monte Carlo: reproducible, exact for points, right percentiles for a single range, same formulas as the engine."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from uncertainty_support import EXAMPLE, example

from costmodel.analysis.montecarlo import evaluate, sample_inputs, simulate
from costmodel.model.engine import estimate
from costmodel.model.errors import CostmodelError
from costmodel.model.inputs import replace_values
from costmodel.model.schema import STRATEGIES
from costmodel.model.validation import validate_scenario

KEYS = {"p5", "p10", "p50", "p90", "p95", "mean"}


def _ranged() -> dict:
    data = example(
        workload={"prompt_tokens": {"low": 300, "high": 1200}, "monthly_growth": {"low": -0.02, "high": 0.1}},
        knowledge={"changed_fraction": {"low": 0.01, "mode": 0.02, "high": 0.2}},
        fine_tune={"prompt_tokens_saved": {"low": 100, "high": 900}},
        team={"engineer_day_rate": {"low": 500, "mode": 700, "high": 1200}},
    )
    data["models"]["gpt-4.1-mini"]["ft_input_per_mtok"] = {"low": 0.5, "high": 1.5}
    return data


def test_same_seed_same_numbers_other_seed_other_numbers() -> None:
    s = validate_scenario(_ranged())
    a, b, c = simulate(s, 5000, seed=7), simulate(s, 5000, seed=7), simulate(s, 5000, seed=8)
    assert a.to_dict() == b.to_dict()
    assert a.to_dict()["strategies"] != c.to_dict()["strategies"]
    assert set(a.strategies["rag"]) == {"upfront", "total", "per_request"}
    assert set(a.strategies["hybrid"]["total"]) == KEYS
    assert sum(a.p_cheapest.values()) == pytest.approx(1.0)


def test_unseeded_runs_report_their_seed_so_they_can_be_repeated() -> None:
    s = validate_scenario(_ranged())
    first = simulate(s, 2000)
    assert simulate(s, 2000, seed=first.seed).to_dict() == first.to_dict()


def test_with_only_points_every_percentile_is_the_point_estimate() -> None:
    s = validate_scenario(EXAMPLE)
    u = simulate(s, 500, seed=1)
    est = estimate(s)
    for name in STRATEGIES:
        for figure in ("upfront", "total", "per_request"):
            expected = getattr(est.strategies[name], figure)
            assert {u.strategies[name][figure][k] for k in KEYS - {"mean"}} == {expected}
            assert u.strategies[name][figure]["mean"] == pytest.approx(expected, rel=1e-12)
    assert u.p_cheapest[est.cheapest] == 1.0


def test_a_single_lognormal_range_on_a_linear_input_maps_its_percentiles() -> None:
    s = validate_scenario(example(rag={"build_days": {"low": 10, "high": 40}}))
    u = simulate(s, 100_000, seed=3)
    at = {x: estimate(replace_values(s, {("rag", "build_days"): x})).strategies["rag"].total for x in (10, 20, 40)}
    total = u.strategies["rag"]["total"]
    assert total["p5"] == pytest.approx(at[10], rel=0.01)
    assert total["p50"] == pytest.approx(at[20], rel=0.01)
    assert total["p95"] == pytest.approx(at[40], rel=0.01)
    assert u.strategies["fine_tune"]["total"]["p5"] == u.strategies["fine_tune"]["total"]["p95"]


def test_vectorized_formulas_match_the_engine_sample_by_sample() -> None:
    s = validate_scenario(_ranged())
    values = sample_inputs(s, 64, seed=11)
    arrays = evaluate(s, values, 64)
    for i in range(0, 64, 9):
        point = replace_values(s, {k: float(v[i]) for k, v in values.items()})
        est = estimate(point)
        for name in STRATEGIES:
            assert arrays[name].total[i] == est.strategies[name].total
            assert arrays[name].per_request[i] == est.strategies[name].per_request


def test_draws_respect_field_bounds_and_do_not_depend_on_other_ranges() -> None:
    s = validate_scenario(_ranged())
    values = sample_inputs(s, 20_000, seed=5)
    fraction = values[("knowledge", "changed_fraction")]
    assert fraction.min() >= 0.01 and fraction.max() <= 0.2
    assert values[("workload", "monthly_growth")].min() > -1
    alone = validate_scenario(example(workload={"prompt_tokens": {"low": 300, "high": 1200}}))
    np.testing.assert_array_equal(
        sample_inputs(alone, 20_000, seed=5)[("workload", "prompt_tokens")], values[("workload", "prompt_tokens")]
    )


def test_breakeven_month_distribution_agrees_with_the_engine_for_points() -> None:
    s = validate_scenario(example(rag={"build_days": 200}))
    est = estimate(s)
    u = simulate(s, 10, seed=0)
    for b in est.breakeven:
        got = u.breakeven_month[b.a][b.b]
        if b.month is None:
            assert got["probability"] == 0.0 and got["p50"] is None
        else:
            assert got["probability"] == 1.0 and got["p50"] == b.month


@pytest.mark.parametrize(("samples", "seed"), [(0, 1), (2_000_000, 1), (10, -1)])
def test_bad_sample_counts_and_seeds_are_user_errors(samples: int, seed: int) -> None:
    with pytest.raises(CostmodelError):
        simulate(validate_scenario(EXAMPLE), samples, seed)


def test_cli_estimate_with_samples(tmp_path: Path) -> None:
    from costmodel.files.scenario_io import save_scenario

    path = tmp_path / "r.toml"
    save_scenario(validate_scenario(_ranged()), path)
    cmd = [sys.executable, "-m", "costmodel", "estimate", str(path), "--samples", "3000", "--seed", "4"]
    runs = [subprocess.run([*cmd, "-f", "json"], capture_output=True, text=True, timeout=60) for _ in range(2)]
    assert runs[0].returncode == 0, runs[0].stderr
    assert runs[0].stdout == runs[1].stdout
    unc = json.loads(runs[0].stdout)["uncertainty"]
    assert unc["samples"] == 3000 and unc["seed"] == 4
    assert set(unc["strategies"]["fine_tune"]["total"]) == KEYS
    assert set(unc["p_cheapest"]) == set(STRATEGIES)
    assert set(unc["breakeven_month"]["rag"]) == {"fine_tune", "hybrid"}
    table = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    assert table.returncode == 0 and "P10–P90" in table.stdout and "P(cheapest)" in table.stdout
    # A scenario with ranges shows P10–P90 by default (10,000 samples, seed 0; --seed picks another).
    default = json.loads(subprocess.run([*cmd[:5], "-f", "json"], capture_output=True, text=True, timeout=60).stdout)
    assert (default["uncertainty"]["samples"], default["uncertainty"]["seed"]) == (10_000, 0)
    seeded = subprocess.run([*cmd[:5], "--seed", "4", "-f", "json"], capture_output=True, text=True, timeout=60)
    assert json.loads(seeded.stdout)["uncertainty"]["seed"] == 4
    off = subprocess.run([*cmd[:5], "--samples", "0", "-f", "json"], capture_output=True, text=True, timeout=60)
    assert "uncertainty" not in json.loads(off.stdout)
    # Without ranges there is nothing to sample: --seed alone is an error.
    plain = tmp_path / "plain.toml"
    save_scenario(validate_scenario(EXAMPLE), plain)
    bad = subprocess.run([*cmd[:4], str(plain), "--seed", "4"], capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2 and "--seed needs --samples" in bad.stderr
