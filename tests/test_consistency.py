"""The features agree with each other: every path to a figure gives `estimate()`'s figure.

For every bundled preset and for scenarios with each pricing option switched on (ranges
collapsed to their point values), the batch CSV row, a sweep at the scenario's own value,
a Monte Carlo without ranges, sensitivity's base and a save-then-load all give what
`estimate()` gives; the fast TOML reader reads what tomllib reads. Ranges on the pricing
options' numbers run through the Monte Carlo sample by sample as `estimate()` would.
"""

from __future__ import annotations

import csv
import json
import math
import tomllib
from datetime import date
from pathlib import Path

import pytest

from costmodel.analysis.diffs import diff
from costmodel.analysis.montecarlo import PERCENTILES, evaluate, sample_inputs, simulate
from costmodel.analysis.sensitivity import sensitivity
from costmodel.analysis.solver import solve
from costmodel.analysis.sweeps import FIGURES, sweep
from costmodel.cli.main import main
from costmodel.files.batch import iter_batch
from costmodel.files.fasttoml import loads_fast
from costmodel.files.presets import bundled_dir, list_presets
from costmodel.files.scenario_io import dump_scenario, load_scenario, save_scenario
from costmodel.model.engine import Estimate, estimate
from costmodel.model.errors import ScenarioValidationError
from costmodel.model.inputs import InputError, numeric_inputs, replace_values
from costmodel.model.paths import split_path
from costmodel.model.schema import STRATEGIES, Scenario

EXAMPLE = Path(__file__).parent / "data" / "model_example.toml"
MINI = 'models."gpt-4.1-mini"'
REL = 1e-12
# One run date for the engine and every face compared with it: gpt-4.1-mini's fine-tuning ends
# 2027-01-06, so strategies that retrain it within a preset's horizon are not available.
TODAY = date(2026, 12, 1)
PRESETS = sorted(p.name for p in list_presets() if p.origin == "bundled")
BUNDLED_TOML = sorted(bundled_dir().rglob("*.toml"))

H100 = ["gpus.h100.per_hour=3.6", 'gpus.h100.source="test"', 'gpus.h100.as_of="2026-09"']
CACHED_PRICES = [f"{MINI}.cached_input_per_mtok=0.10", f"{MINI}.ft_cached_input_per_mtok=0.20"]
BATCH_PRICES = [
    f"{MINI}.batch_input_per_mtok=0.20",
    f"{MINI}.batch_output_per_mtok=0.80",
    f"{MINI}.ft_batch_input_per_mtok=0.40",
    f"{MINI}.ft_batch_output_per_mtok=1.60",
]
FT_HOST = [
    'fine_tune.self_host.gpu="h100"',
    "fine_tune.self_host.gpu_count=2",
    "fine_tune.self_host.tokens_per_second=2000",
    "fine_tune.self_host.utilization=0.5",
]
HY_PER_USE = [
    'hybrid.self_host.gpu="h100"',
    "hybrid.self_host.tokens_per_second=3000",
    "hybrid.self_host.utilization=0.7",
    'hybrid.self_host.billing="per_use"',
]
SELF_TRAIN = ['fine_tune.self_train.gpu="h100"', "fine_tune.self_train.gpu_hours_per_mtok=0.1"]

# Each pricing option on its own, all of them together, and ranges on their numbers.
OPTION_SCENARIOS: dict[str, list[str]] = {
    "caching": [
        *CACHED_PRICES,
        "rag.cached_prompt_fraction=0.5",
        "fine_tune.cached_prompt_fraction=0.3",
        "hybrid.cached_prompt_fraction=0.8",
    ],
    "batch": [*BATCH_PRICES, "rag.batch_fraction=0.25", "fine_tune.batch_fraction=0.5", "hybrid.batch_fraction=1"],
    "minimum": ["rag.retrieval_minimum_per_month=50"],
    "minimum-above-all-fees": ["rag.retrieval_minimum_per_month=5000", "workload.monthly_growth=-0.02"],
    "always-on-gpus": [*H100, *FT_HOST, *SELF_TRAIN, "fine_tune.hosting_per_hour=1.0"],
    "always-on-over-capacity": [*H100, *FT_HOST, "fine_tune.self_host.tokens_per_second=20"],
    "per-use-gpus": [
        *H100,
        *HY_PER_USE,
        'rag.self_host.gpu="h100"',
        "rag.self_host.tokens_per_second=2500",
        "rag.self_host.utilization=0.5",
    ],
    "all-on": [
        *H100,
        *CACHED_PRICES,
        *BATCH_PRICES,
        "rag.cached_prompt_fraction=0.5",
        "rag.batch_fraction=0.25",
        "rag.retrieval_minimum_per_month=50",
        *SELF_TRAIN,
        *FT_HOST,
        *HY_PER_USE,
    ],
    "all-on-ranged": [
        *H100,
        *CACHED_PRICES,
        *BATCH_PRICES,
        "rag.cached_prompt_fraction={ low = 0.2, high = 0.6 }",
        "rag.batch_fraction={ low = 0, mode = 0.1, high = 0.5 }",
        "rag.retrieval_minimum_per_month={ low = 10, high = 200 }",
        "fine_tune.cached_prompt_fraction={ low = 0.1, high = 0.9 }",
        *SELF_TRAIN,
        "fine_tune.self_train.gpu_hours_per_mtok={ low = 0.05, high = 0.2 }",
        *HY_PER_USE,
        "hybrid.self_host.tokens_per_second={ low = 1500, high = 4500 }",
        "hybrid.self_host.utilization={ low = 0.3, mode = 0.6, high = 0.9 }",
        "gpus.h100.per_hour={ low = 2, high = 6 }",
        "workload.prompt_tokens={ low = 300, high = 900 }",
        "workload.monthly_growth={ low = -0.02, high = 0.08 }",
    ],
}
RANGED = "all-on-ranged"


def option_scenario(name: str) -> Scenario:
    """Return docs/model.md's example with one OPTION_SCENARIOS entry applied (ranges kept)."""
    return load_scenario(EXAMPLE, OPTION_SCENARIOS[name])


def collapsed(scenario: Scenario) -> Scenario:
    """Return `scenario` with its ranges dropped: every input at its point value (a range's median)."""
    return scenario.model_copy(update={"ranges": {}})


CASES = [*PRESETS, *OPTION_SCENARIOS]


@pytest.fixture(scope="module", params=CASES)
def case(request: pytest.FixtureRequest) -> tuple[str, Scenario, Estimate]:
    """Return (name, point scenario, its estimate) for a bundled preset or an option scenario."""
    name = request.param
    loaded = load_scenario(name) if name in PRESETS else option_scenario(name)
    scenario = collapsed(loaded)
    return name, scenario, estimate(scenario, today=TODAY)


def test_the_cases_cover_every_bundled_preset_and_option() -> None:
    """Every preset named in the brief is bundled, and the option scenarios really switch their options on."""
    assert set(PRESETS) >= {
        "default",
        "internal-kb",
        "narrow-classifier",
        "regulated-qa",
        "support-assistant",
        "support-assistant-azure",
        "support-assistant-h100",
        "support-assistant-l40s",
    }
    assert estimate(option_scenario("minimum")).strategies["rag"].minimum_topup_total > 0
    assert estimate(option_scenario("minimum-above-all-fees")).strategies["hybrid"].minimum_topup_total > 0
    over = estimate(option_scenario("always-on-over-capacity"))
    assert any("outgrows the GPUs" in w for w in over.warnings)
    assert option_scenario(RANGED).ranges


def assert_same_figures(got: dict[str, float], est: Estimate, strategy: str) -> None:
    """Assert that figures named as in sweeps.FIGURES equal the estimate's (relative 1e-12)."""
    s = est.strategies[strategy]
    for figure in FIGURES:
        assert got[figure] == pytest.approx(getattr(s, figure), rel=REL, abs=1e-12), (strategy, figure)


# --- batch ---------------------------------------------------------------------------------


def _fields(figures: object) -> dict[str, float]:
    """Return the FIGURES of a PointFigures as a dict (currency units)."""
    return {figure: getattr(figures, figure) for figure in FIGURES}


def test_batch_csv_rows_equal_estimate(case: tuple[str, Scenario, Estimate], tmp_path: Path) -> None:
    """`costmodel batch` on the saved scenario writes CSV rows whose numbers are estimate()'s."""
    name, scenario, est = case
    path = tmp_path / f"{name}.toml"
    save_scenario(scenario, path)
    out = tmp_path / "out.csv"
    argv = ["batch", str(path), "--format", "csv", "--output", str(out), "--progress", "never"]
    assert main([*argv, "--today", TODAY.isoformat()]) == 0
    rows = list(csv.DictReader(out.read_text(encoding="utf-8").splitlines()))
    assert [r["strategy"] for r in rows] == list(est.strategies)
    for row in rows:
        s = est.strategies[row["strategy"]]
        assert_same_figures({f: float(row[f]) for f in FIGURES}, est, row["strategy"])
        assert row["cheapest"] == ("yes" if row["strategy"] == est.cheapest else "no")
        assert row["available"] == ("yes" if s.available else "no")
        assert row["unavailable_because"] == (s.unavailable_because or "")
    full = next(iter(iter_batch([str(path)], today=TODAY)))
    assert full.estimate is not None and full.estimate.to_dict() == est.to_dict()


def test_the_run_date_makes_some_preset_unavailable() -> None:
    """TODAY is a date at which the comparisons above cover an unavailable strategy and a changed cheapest."""
    ests = [estimate(collapsed(load_scenario(name)), today=TODAY) for name in PRESETS]
    assert any(not s.available for est in ests for s in est.strategies.values())


@pytest.mark.parametrize("dated", ["none", "env", "option"])
def test_batch_dates_like_estimate_on_every_bundled_preset(
    dated: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With no date option, $COSTMODEL_TODAY or --today, batch gives estimate's figures, availability, cheapest."""
    monkeypatch.delenv("COSTMODEL_TODAY", raising=False)
    extra: list[str] = []
    if dated == "env":
        monkeypatch.setenv("COSTMODEL_TODAY", TODAY.isoformat())
    elif dated == "option":
        extra = ["--today", TODAY.isoformat()]
    files = {p.stem: p for p in BUNDLED_TOML}
    out = tmp_path / "batch.jsonl"
    names = [name for name in PRESETS if name in files]
    assert names
    argv = ["batch", *(str(files[n]) for n in names), "-f", "jsonl", "-o", str(out), "--progress", "never"]
    assert main([*argv, *extra]) == 0
    batch = {Path(d["file"]).stem: d for d in map(json.loads, out.read_text(encoding="utf-8").splitlines())}
    for name in names:
        single = tmp_path / f"{name}.json"
        assert main(["estimate", str(files[name]), "-f", "json", "-o", str(single), *extra]) == 0
        want = json.loads(single.read_text(encoding="utf-8"))
        got = batch[name]
        assert got["cheapest"] == want["cheapest"], name
        assert got["start"] == want["start"], name
        assert got["strategies"] == want["strategies"], name


# --- sweeps --------------------------------------------------------------------------------

SWEPT = (
    "workload.requests_per_month",
    "horizon_months",
    "rag.retrieval_minimum_per_month",
    "rag.cached_prompt_fraction",
    "fine_tune.batch_fraction",
    "fine_tune.self_host.tokens_per_second",
    "hybrid.self_host.utilization",
    "fine_tune.self_train.gpu_hours_per_mtok",
)


def _value_at(scenario: Scenario, path: str) -> object | None:
    """Return the value at a dotted path, or None when a table on the way is not set."""
    node: object = scenario
    for key in split_path(path):
        if node is None:
            return None
        node = node[key] if isinstance(node, dict) else getattr(node, key)
    return node


def test_sweep_at_own_value_equals_estimate(case: tuple[str, Scenario, Estimate]) -> None:
    """A sweep holding any input at the scenario's own value gives estimate()'s figures."""
    _, scenario, est = case
    paths = [p for p in SWEPT if _value_at(scenario, p) is not None]
    gpus = [f'gpus."{g}".per_hour' for g in scenario.gpus]
    for path in [*paths, *gpus[:2]]:
        point = sweep(scenario, {path: [_value_at(scenario, path)]}, today=TODAY).points[0]
        for name in est.strategies:
            assert_same_figures(_fields(point.strategies[name]), est, name)
        assert point.cheapest == est.cheapest


@pytest.mark.parametrize(
    ("name", "path", "values"),
    [
        ("minimum", "rag.retrieval_minimum_per_month", [0.0, 20.0, 50.0, 400.0, 5000.0]),
        ("minimum", "workload.requests_per_month", [0.0, 1000.0, 50000.0]),
        ("minimum", "horizon_months", [1, 12, 60]),
        ("all-on", "rag.cached_prompt_fraction", [0.0, 0.5, 1.0]),
        ("all-on", "fine_tune.self_host.tokens_per_second", [100.0, 2000.0]),
        ("all-on", "gpus.h100.per_hour", [0.0, 3.6, 9.0]),
        ("all-on", "workload.prompt_tokens", [100.0, 600.0, 5000.0]),
    ],
)
def test_sweep_points_equal_estimates_at_those_values(name: str, path: str, values: list[float]) -> None:
    """Every sweep point, options on, equals estimate() of the scenario with that value set."""
    scenario = option_scenario(name)
    result = sweep(scenario, {path: values})
    for value, point in zip(values, result.points, strict=True):
        est = estimate(load_scenario(EXAMPLE, [*OPTION_SCENARIOS[name], f"{path}={value}"]))
        for strategy in STRATEGIES:
            assert_same_figures(_fields(point.strategies[strategy]), est, strategy)


# --- Monte Carlo -----------------------------------------------------------------------------


def test_monte_carlo_without_ranges_is_the_estimate(case: tuple[str, Scenario, Estimate]) -> None:
    """With no ranges every percentile is estimate()'s figure bit for bit; break-evens and cheapest agree."""
    _, scenario, est = case
    u = simulate(scenario, 16, seed=7, today=TODAY)
    for name in est.strategies:
        s = est.strategies[name]
        for figure in ("upfront", "total", "per_request"):
            summary = u.strategies[name][figure]
            assert [summary[f"p{p}"] for p in PERCENTILES] == [getattr(s, figure)] * len(PERCENTILES), (name, figure)
            assert summary["mean"] == pytest.approx(getattr(s, figure), rel=REL)
    assert u.p_cheapest[est.cheapest] == 1.0
    for b in est.breakeven:
        month = u.breakeven_month[b.a][b.b]
        assert month["probability"] == (0.0 if b.month is None else 1.0)
        assert month["p50"] == (None if b.month is None else float(b.month))


def test_monte_carlo_cumulative_timeline_is_the_estimates() -> None:
    """Month by month, the simulation's cumulative cost (minimum top-ups included) is estimate()'s."""
    scenario = option_scenario("minimum-above-all-fees")
    est = estimate(scenario)
    arrays = evaluate(scenario, {}, 3)
    for name in STRATEGIES:
        assert [float(c[0]) for c in arrays[name].cumulative] == list(est.strategies[name].cumulative)


def test_ranges_on_pricing_options_run_sample_by_sample_as_estimate() -> None:
    """Each Monte Carlo sample of ranged option fields equals estimate() with those values set."""
    scenario = option_scenario(RANGED)
    samples = 12
    values = sample_inputs(scenario, samples, seed=11)
    assert {split_path(p) for p in scenario.ranges} == set(values)
    # Samples at 0 switch an option off for that sample only: the off formula's figures must come out.
    for keys in (("rag", "batch_fraction"), ("rag", "cached_prompt_fraction"), ("rag", "retrieval_minimum_per_month")):
        values[keys][0] = 0.0
    values["fine_tune", "cached_prompt_fraction"][1] = 0.0
    arrays = evaluate(scenario, values, samples)
    for i in range(samples):
        point = collapsed(replace_values(scenario, {k: float(v[i]) for k, v in values.items()}))
        est = estimate(point)
        for name in STRATEGIES:
            s = est.strategies[name]
            assert float(arrays[name].total[i]) == pytest.approx(s.total, rel=REL), (i, name)
            assert float(arrays[name].per_request[i]) == pytest.approx(s.per_request, rel=REL), (i, name)


@pytest.mark.parametrize(
    "overrides",
    [
        [*CACHED_PRICES, "rag.cached_prompt_fraction={ low = 0.2, high = 0.6 }"],
        [*BATCH_PRICES, "hybrid.batch_fraction={ low = 0, high = 1 }"],
        ["rag.retrieval_minimum_per_month={ low = 10, mode = 40, high = 100 }"],
        [*H100, *FT_HOST, "workload.prompt_tokens={ low = 100, high = 900 }"],
        [*H100, *HY_PER_USE, "fine_tune.prompt_tokens_saved={ low = 0, high = 900 }"],
    ],
)
def test_monte_carlo_accepts_ranges_on_option_fields(overrides: list[str]) -> None:
    """A range on a share, the minimum, or tokens that GPU serving reads gives finite, spread-out totals."""
    scenario = load_scenario(EXAMPLE, overrides)
    u = simulate(scenario, 500, seed=3)
    totals = [u.strategies[name]["total"] for name in STRATEGIES]
    assert all(math.isfinite(t[k]) for t in totals for k in t)
    assert any(t["p95"] > t["p5"] for t in totals)
    assert math.isclose(sum(u.p_cheapest.values()), 1.0)


def test_a_range_on_a_whole_number_or_name_is_refused_naming_its_path() -> None:
    """gpu_count and the GPU name cannot be ranged: the load fails at that path."""
    for override, path in (
        ("fine_tune.self_host.gpu_count={ low = 1, high = 4 }", "fine_tune.self_host.gpu_count"),
        ("fine_tune.self_host.gpu={ low = 1, high = 4 }", "fine_tune.self_host.gpu"),
    ):
        with pytest.raises(ScenarioValidationError) as info:
            load_scenario(EXAMPLE, [*H100, *FT_HOST, override])
        assert path in str(info.value)


# --- sensitivity and the solver ---------------------------------------------------------------


def test_sensitivity_base_equals_estimate(case: tuple[str, Scenario, Estimate]) -> None:
    """Sensitivity's base totals and cheapest strategy are estimate()'s; every swung total is finite."""
    _, scenario, est = case
    result = sensitivity(scenario, today=TODAY)
    assert result.base_totals == {name: s.total for name, s in est.strategies.items()}
    assert result.cheapest == est.cheapest
    for rows in result.strategies.values():
        assert all(math.isfinite(r.total_low) and math.isfinite(r.total_high) for r in rows)


def test_sensitivity_swings_nested_self_host_and_gpu_prices() -> None:
    """GPU throughput, utilization, GPU prices and option shares are swung like any input."""
    scenario = option_scenario("all-on")
    paths = {item.path for item in numeric_inputs(scenario)}
    assert {
        "fine_tune.self_host.tokens_per_second",
        "hybrid.self_host.utilization",
        "fine_tune.self_train.gpu_hours_per_mtok",
        "gpus.h100.per_hour",
        "rag.cached_prompt_fraction",
        "rag.retrieval_minimum_per_month",
    } <= paths
    swings = {r.input: r for r in sensitivity(scenario).strategies["hybrid"]}
    per_use = swings["hybrid.self_host.utilization"]
    assert per_use.total_low > per_use.total_high  # more utilization, cheaper GPU time per request
    assert swings["gpus.h100.per_hour"].swing > 0
    at_high = estimate(replace_values(scenario, {("gpus", "h100", "per_hour"): swings["gpus.h100.per_hour"].high}))
    assert swings["gpus.h100.per_hour"].total_high == at_high.strategies["hybrid"].total


def test_solver_on_gpu_fields_substitutes_back() -> None:
    """A break-even on per-use GPU throughput is found from the default interval and holds in estimate().

    At 5 % utilization, one float above throughput's exclusive minimum of 0 gives GPU-hours
    that underflow to 0: the default search starts a thousandth of the way to the value.
    """
    scenario = load_scenario(EXAMPLE, [*OPTION_SCENARIOS["per-use-gpus"], "hybrid.self_host.utilization=0.05"])
    sol = solve(scenario, "hybrid.self_host.tokens_per_second", "rag", "hybrid")
    assert sol.low == 3000 / 1000 and sol.found
    for crossing in sol.crossings:
        est = estimate(replace_values(scenario, {("hybrid", "self_host", "tokens_per_second"): crossing.value}))
        assert est.strategies["rag"].total == pytest.approx(est.strategies["hybrid"].total, rel=1e-9)


def test_solver_refuses_an_interval_the_schema_refuses() -> None:
    """A cached share on a GPU-served strategy, or one without a cached price, is an error naming the path."""
    with pytest.raises(InputError, match=r"fine_tune\.cached_prompt_fraction: at --max 1 .*self_host"):
        solve(option_scenario("always-on-gpus"), "fine_tune.cached_prompt_fraction", "rag", "fine_tune")
    with pytest.raises(InputError, match="cached_input_per_mtok"):
        solve(load_scenario(EXAMPLE), "rag.cached_prompt_fraction", "rag", "hybrid")


# --- save, load, fast TOML -----------------------------------------------------------------


def test_save_then_load_is_identity(case: tuple[str, Scenario, Estimate], tmp_path: Path) -> None:
    """A saved scenario loads back equal, with the same estimate."""
    _, scenario, est = case
    path = tmp_path / "saved.toml"
    save_scenario(scenario, path)
    again = load_scenario(path)
    assert again == scenario
    assert estimate(again, today=TODAY).to_dict() == est.to_dict()


def test_save_then_load_keeps_ranges_on_option_fields(tmp_path: Path) -> None:
    """Ranges on option shares, self_host and GPU prices survive a save."""
    scenario = option_scenario(RANGED)
    save_scenario(scenario, tmp_path / "ranged.toml")
    assert load_scenario(tmp_path / "ranged.toml") == scenario


@pytest.mark.parametrize("path", BUNDLED_TOML, ids=lambda p: p.name)
def test_fast_toml_reads_bundled_files_as_tomllib(path: Path) -> None:
    """Every bundled preset and catalog reads the same through the fast reader (or it falls back)."""
    text = path.read_text(encoding="utf-8")
    fast = loads_fast(text)
    assert fast is None or fast == tomllib.loads(text)


NEW_TABLES = """\
schema_version = 1
extends = "support-assistant"   # a base scenario
name = "Open model on GPUs"

[rag]
cached_prompt_fraction = 0.4
batch_fraction = 0.1
retrieval_minimum_per_month = 50.0

[fine_tune.self_train]
gpu = "h100-x"
gpu_hours_per_mtok = 1e-1

[fine_tune.self_host]
gpu = 'h100-x'
gpu_count = 2
tokens_per_second = 5_103
utilization = 0.6              # headroom
throughput_tokens = "output"
billing = "always_on"

[fine_tune]
model = "gpt-4.1-mini"

[hybrid.self_host]
gpu = "h100-x"
tokens_per_second = 3000
utilization = 1
billing = "per_use"

[gpus."h100-x"]
per_hour = 3.49
provider = "RunPod"
as_of = "2026-09"
"""


def test_fast_toml_reads_the_new_tables_as_tomllib(case: tuple[str, Scenario, Estimate]) -> None:
    """Files with self_host, self_train, [gpus] and option keys read the same; so do saved scenarios."""
    assert loads_fast(NEW_TABLES) is not None
    assert loads_fast(NEW_TABLES) == tomllib.loads(NEW_TABLES)
    text = dump_scenario(case[1])
    fast = loads_fast(text)
    assert fast is None or fast == tomllib.loads(text)


@pytest.mark.parametrize(
    "text",
    [
        '[fine_tune.self_host]\ngpu = "a"\n[fine_tune.self_host]\ngpu = "b"\n',  # a table twice
        '[fine_tune]\nself_host = 1\n[fine_tune.self_host]\ngpu = "a"\n',  # a value, then a table there
        '[fine_tune.self_host]\ngpu = "a"\n[fine_tune]\nself_host = 1\n',  # a table, then a value there
        "[gpus.h100]\nper_hour = { low = 1, high = 2 }\n",  # an inline table (a range)
    ],
)
def test_fast_toml_falls_back_where_tomllib_decides(text: str) -> None:
    """Text outside the fast subset, or invalid, makes the fast reader give up (tomllib then decides)."""
    assert loads_fast(text) is None


def test_batch_loader_reads_new_tables_like_load_scenario(tmp_path: Path) -> None:
    """A batch over a file using the new tables (fast reader, cached base) estimates as load_scenario does."""
    folder = tmp_path / "runs"
    folder.mkdir()
    for preset in ("support-assistant",):
        save_scenario(load_scenario(preset), folder / f"{preset}.toml")
    (folder / "gpus.toml").write_text(NEW_TABLES.replace('"support-assistant"', '"support-assistant.toml"'))
    items = {Path(item.path).name: item for item in iter_batch([str(folder)])}
    expected = estimate(load_scenario(folder / "gpus.toml"))
    assert items["gpus.toml"].error is None
    assert items["gpus.toml"].estimate.to_dict() == expected.to_dict()


# --- diff ----------------------------------------------------------------------------------------


def test_diff_lists_new_tables_value_by_value() -> None:
    """Adding self_host, self_train and a GPU lists each of their values (absent before), and nothing twice."""
    old, new = load_scenario(EXAMPLE), option_scenario("always-on-gpus")
    changes = {c.path: (c.old, c.new) for c in diff(old, new).changes}
    assert changes["fine_tune.self_host.tokens_per_second"] == (None, 2000.0)
    assert changes["fine_tune.self_host.gpu_count"] == (None, 2)
    assert changes["fine_tune.self_train.gpu"] == (None, "h100")
    assert changes["gpus.h100.per_hour"] == (None, 3.6)
    assert changes["fine_tune.hosting_per_hour"] == (0.0, 1.0)
    assert all(not (a is None and b is None) for a, b in changes.values())
    assert not [p for p in changes if p in ("fine_tune.self_host", "fine_tune.self_train", "gpus")]
    back = {c.path: (c.old, c.new) for c in diff(new, old).changes}
    assert back == {path: (b, a) for path, (a, b) in changes.items()}


def test_diff_of_one_nested_value_is_one_change() -> None:
    """Changing GPU throughput alone is one change, and the figures move as estimate() says."""
    old = option_scenario("per-use-gpus")
    new = load_scenario(EXAMPLE, [*OPTION_SCENARIOS["per-use-gpus"], "hybrid.self_host.tokens_per_second=6000"])
    result = diff(old, new)
    assert [(c.path, c.old, c.new) for c in result.changes] == [("hybrid.self_host.tokens_per_second", 3000.0, 6000.0)]
    assert result.strategies["hybrid"].total.new == estimate(new).strategies["hybrid"].total
    assert result.strategies["rag"].total.delta == 0
