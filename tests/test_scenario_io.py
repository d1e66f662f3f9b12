"""Reading, layering, overriding and saving scenario files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from costmodel.files.scenario_io import load_document, load_scenario, parse_override, save_scenario
from costmodel.model.errors import NotFoundError, ScenarioError, ScenarioSyntaxError, ScenarioValidationError
from costmodel.model.schema import Scenario


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_syntax_error_names_file_line_and_column(tmp_path: Path) -> None:
    bad = _write(tmp_path / "bad.toml", 'name = "x"\n[workload\n')
    with pytest.raises(ScenarioSyntaxError) as info:
        load_scenario(bad)
    assert info.value.line == 2
    assert str(info.value).startswith(f"{bad}:2:")


def test_validation_error_names_path_and_line(tmp_path: Path, data_dir: Path) -> None:
    text = (data_dir / "simple.toml").read_text().replace("epochs = 2", "epochs = 0")
    bad = _write(tmp_path / "s.toml", text)
    with pytest.raises(ScenarioValidationError) as info:
        load_scenario(bad)
    (issue,) = info.value.issues
    assert issue.path == "fine_tune.epochs"
    assert ">= 1" in issue.message
    assert issue.line == text.splitlines().index("epochs = 0") + 1


def test_unknown_key_is_an_error(tmp_path: Path, data_dir: Path) -> None:
    text = (data_dir / "simple.toml").read_text().replace("epochs = 2", "epochs = 2\nepocs = 3")
    with pytest.raises(ScenarioValidationError, match=r"fine_tune\.epocs: unknown key"):
        load_scenario(_write(tmp_path / "s.toml", text))


@pytest.mark.parametrize("value", ["nan", "inf", "-inf"])
def test_non_finite_numbers_are_rejected(tmp_path: Path, data_dir: Path, value: str) -> None:
    text = (data_dir / "simple.toml").read_text().replace("build_days = 10", f"build_days = {value}")
    with pytest.raises(ScenarioValidationError, match=r"rag\.build_days"):
        load_scenario(_write(tmp_path / "s.toml", text))


def test_missing_model_and_missing_price(tmp_path: Path, data_dir: Path) -> None:
    text = (data_dir / "simple.toml").read_text()
    with pytest.raises(ScenarioValidationError, match=r"rag\.embedding_model: model 'nope' is not in \[models\]"):
        load_scenario(_write(tmp_path / "a.toml", text.replace('embedding_model = "e"', 'embedding_model = "nope"')))
    with pytest.raises(ScenarioValidationError, match=r"models\.m\.training_per_mtok: .*needs training_per_mtok"):
        load_scenario(_write(tmp_path / "b.toml", text.replace("training_per_mtok = 10\n", "")))


def test_missing_file_folder_binary_and_non_utf8(tmp_path: Path) -> None:
    with pytest.raises(NotFoundError):
        load_scenario(tmp_path / "missing.toml")
    with pytest.raises(ScenarioError, match="is a folder"):
        load_scenario(tmp_path)
    garbage = tmp_path / "garbage.toml"
    garbage.write_bytes(b"\x00\x01\x02binary")
    with pytest.raises(ScenarioSyntaxError, match="binary"):
        load_scenario(garbage)
    latin = tmp_path / "latin.toml"
    latin.write_bytes('name = "caf\xe9"\n'.encode("latin-1"))
    with pytest.raises(ScenarioSyntaxError, match="not UTF-8") as info:
        load_scenario(latin)
    assert info.value.line == 1


def test_extends_overrides_key_by_key(tmp_path: Path, data_dir: Path) -> None:
    base = _write(tmp_path / "base.toml", (data_dir / "simple.toml").read_text())
    child = _write(
        tmp_path / "child.toml",
        'extends = "base.toml"\nname = "Child"\n[workload]\nrequests_per_month = 5000\n'
        "[models.m]\ninput_per_mtok = 3\n",
    )
    parent, loaded = load_scenario(base), load_document(child)
    s = loaded.scenario
    assert s.name == "Child"
    assert s.workload.requests_per_month == 5000
    assert s.workload.prompt_tokens == parent.workload.prompt_tokens  # kept from the base
    assert s.models["m"].input_per_mtok == 3 and s.models["m"].output_per_mtok == 2
    assert loaded.layers == (base, child)


def test_extends_cycle_is_an_error(tmp_path: Path) -> None:
    _write(tmp_path / "a.toml", 'extends = "b.toml"\n')
    _write(tmp_path / "b.toml", 'extends = "a.toml"\n')
    with pytest.raises(ScenarioError, match="circle"):
        load_scenario(tmp_path / "a.toml")


def test_pricing_catalog_layer(tmp_path: Path, data_dir: Path) -> None:
    (tmp_path / "cat.toml").write_text(
        '[catalog]\nname = "Test"\nsource = "hand"\nas_of = "2026-01"\n'
        "[models.m]\ninput_per_mtok = 7\noutput_per_mtok = 8\ntraining_per_mtok = 9\n"
        'ft_input_per_mtok = 1\nft_output_per_mtok = 1\nsource = "hand"\nas_of = "2026-01"\n'
    )
    text = (data_dir / "simple.toml").read_text()
    text = 'pricing = "cat.toml"\n' + text[: text.index("[models.m]")] + "[models.e]\ninput_per_mtok = 0.1\n"
    s = load_scenario(_write(tmp_path / "s.toml", text))
    assert s.models["m"].input_per_mtok == 7 and s.models["m"].source == "hand"


def test_overrides(data_dir: Path) -> None:
    s = load_scenario(
        data_dir / "simple.toml",
        ["workload.requests_per_month=2500", "models.m.input_per_mtok=1.5", "fine_tune.retrain_on_update=false"],
    )
    assert s.workload.requests_per_month == 2500
    assert s.models["m"].input_per_mtok == 1.5
    assert s.fine_tune.retrain_on_update is False
    assert parse_override('models."gpt-4.1-mini".input_per_mtok=0.4') == (
        ("models", "gpt-4.1-mini", "input_per_mtok"),
        0.4,
    )
    assert parse_override("name=Plain text") == (("name",), "Plain text")
    with pytest.raises(ScenarioError, match=r"expected dotted\.path=value"):
        parse_override("workload.requests_per_month")
    with pytest.raises(ScenarioValidationError, match=r"workload\.requests: unknown key"):
        load_scenario(data_dir / "simple.toml", ["workload.requests=3"])


def test_save_is_atomic_and_round_trips(tmp_path: Path, simple: Scenario) -> None:
    target = tmp_path / "out" / "saved.toml"
    save_scenario(simple, target)
    assert load_scenario(target) == simple
    os.chmod(target, 0o640)
    save_scenario(simple.model_copy(update={"name": "Renamed"}), target)
    assert load_scenario(target).name == "Renamed"
    assert (target.stat().st_mode & 0o777) == 0o640
    assert sorted(p.name for p in target.parent.iterdir()) == ["saved.toml"]  # no temp file left behind
