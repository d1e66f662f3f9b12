"""Ranges in place of numbers: medians, validation errors with paths, TOML round trip, layering."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from uncertainty_support import EXAMPLE, example

from costmodel.files.scenario_io import dump_scenario, load_scenario, save_scenario
from costmodel.model.engine import estimate
from costmodel.model.errors import ScenarioValidationError
from costmodel.model.ranges import range_kind, range_median, regularized_beta
from costmodel.model.schema import Range
from costmodel.model.validation import validate_scenario


def test_a_range_becomes_its_median_and_is_recorded() -> None:
    s = validate_scenario(example(workload={"prompt_tokens": {"low": 400, "high": 900}}))
    assert s.workload.prompt_tokens == 600.0  # sqrt(400 * 900)
    assert s.ranges == {"workload.prompt_tokens": Range(low=400, high=900)}
    assert range_kind(s.ranges["workload.prompt_tokens"]) == "lognormal"


def test_medians_of_each_kind() -> None:
    assert range_median(Range(low=0, high=10)) == 5.0  # normal when low <= 0
    assert range_kind(Range(low=-1, high=3)) == "normal"
    assert range_median(Range(low=7, high=7)) == 7.0
    assert range_median(Range(low=10, mode=20, high=30)) == 20.0  # symmetric PERT
    # PERT with the mode at low is Beta(1, 5): median 1 - 0.5 ** (1 / 5)
    assert range_median(Range(low=0, mode=0, high=1)) == pytest.approx(1 - 0.5 ** (1 / 5), abs=1e-14)
    assert regularized_beta(2.0, 3.0, 0.3) == pytest.approx(0.3483, abs=1e-12)  # 6x^2 - 8x^3 + 3x^4 at 0.3


def test_point_estimate_uses_the_median() -> None:
    ranged = validate_scenario(example(rag={"build_days": {"low": 10, "high": 40}}))
    point = validate_scenario(example(rag={"build_days": 20}))
    assert estimate(ranged).strategies["rag"].total == estimate(point).strategies["rag"].total


@pytest.mark.parametrize(
    ("bad", "words"),
    [
        ({"low": 5, "high": 1}, "range low (5.0) is above high (1.0)"),
        ({"low": 1, "mode": 7, "high": 5}, "range mode (7.0) is outside low..high"),
        ({"low": math.inf, "high": 5}, "expected a finite number"),
        ({"low": math.nan, "high": 5}, "expected a finite number"),
        ({"low": -1, "high": 5}, "out of this field's bounds (>= 0)"),
        ({"low": 1}, "needs both low and high"),
        ({"low": 1, "hi": 2}, "unknown key 'hi'"),
        ({"low": "a", "high": 2}, "expected a number"),
    ],
)
def test_bad_ranges_name_the_field(bad: dict, words: str) -> None:
    with pytest.raises(ScenarioValidationError) as info:
        validate_scenario(example(workload={"prompt_tokens": bad}))
    assert "workload.prompt_tokens" in str(info.value) and words in str(info.value)


def test_fraction_range_beyond_one_and_whole_number_fields_are_refused() -> None:
    with pytest.raises(ScenarioValidationError, match=r"knowledge.changed_fraction: range high \(1.5\)"):
        validate_scenario(example(knowledge={"changed_fraction": {"low": 0.1, "high": 1.5}}))
    with pytest.raises(ScenarioValidationError, match="horizon_months: this field cannot be a range"):
        validate_scenario(example(horizon_months={"low": 12, "high": 24}))


def test_save_then_load_is_identity_and_ranges_stay_in_place(tmp_path: Path) -> None:
    data = example(
        workload={"prompt_tokens": {"low": 400, "high": 900}},
        fine_tune={"examples": {"low": 1000, "mode": 1500, "high": 4000}},
        needs={"citations": True},
    )
    data["models"]["gpt-4.1-mini"]["input_per_mtok"] = {"low": 0.3, "high": 0.55}
    s = validate_scenario(data)
    text = dump_scenario(s)
    assert "prompt_tokens = { low = 400, high = 900 }" in text
    assert "examples = { low = 1000, mode = 1500, high = 4000 }" in text
    assert "input_per_mtok = { low = 0.3, high = 0.55 }" in text
    assert "ranges" not in text
    path = tmp_path / "s.toml"
    save_scenario(s, path)
    assert load_scenario(path) == s
    assert validate_scenario(s.model_dump()) == s  # the in-memory `ranges` table is read back too


def test_a_range_replaces_a_base_value_whole_when_layering(tmp_path: Path) -> None:
    base = validate_scenario(example(workload={"prompt_tokens": {"low": 100, "mode": 150, "high": 400}}))
    save_scenario(base, tmp_path / "base.toml")
    (tmp_path / "top.toml").write_text('extends = "base.toml"\n[workload]\nprompt_tokens = { low = 200, high = 800 }\n')
    top = load_scenario(tmp_path / "top.toml")
    assert top.ranges["workload.prompt_tokens"] == Range(low=200, high=800)  # no mode inherited
    (tmp_path / "point.toml").write_text('extends = "base.toml"\n[workload]\nprompt_tokens = 500\n')
    point = load_scenario(tmp_path / "point.toml")
    assert point.ranges == {} and point.workload.prompt_tokens == 500


def test_set_override_accepts_a_range_and_errors_carry_the_line(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    save_scenario(validate_scenario(EXAMPLE), path)
    s = load_scenario(path, ["rag.build_days={ low = 5, high = 20 }"])
    assert s.rag.build_days == 10.0
    text = path.read_text().replace("build_days = 15", "build_days = { low = 30, high = 20 }", 1)
    path.write_text(text)
    with pytest.raises(ScenarioValidationError) as info:
        load_scenario(path)
    line = text.splitlines().index("build_days = { low = 30, high = 20 }") + 1
    assert f"s.toml:{line}: rag.build_days: range low (30.0) is above high (20.0)" in str(info.value)
