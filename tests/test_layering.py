"""Saving keeps a file's `extends` and `pricing` and writes only what differs, and always loads back the same."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from costmodel import load_scenario
from costmodel.files.layering import dump_layered, layer_refs
from costmodel.files.scenario_io import save_scenario
from costmodel.model.inputs import numeric_inputs
from costmodel.tui.state import Document

BOT = 'extends = "support-assistant"\nname = "Our bot"\n\n[workload]\nrequests_per_month = 80000\n'


@pytest.fixture
def bot(tmp_path: Path) -> Path:
    path = tmp_path / "bot.toml"
    path.write_text(BOT, encoding="utf-8")
    return path


def test_a_saved_edit_keeps_extends_and_writes_only_what_differs(bot: Path) -> None:
    doc = Document.open(bot)
    doc.set_text(doc.spec("workload.prompt_tokens"), "1500")
    doc.set_text(doc.spec("team.engineer_day_rate"), "700 .. 1000")
    doc.save()
    data = tomllib.loads(bot.read_text(encoding="utf-8"))
    assert data == {
        "schema_version": 1,
        "extends": "support-assistant",
        "name": "Our bot",
        "workload": {"requests_per_month": 80000, "prompt_tokens": 1500},
        "team": {"engineer_day_rate": {"low": 700, "high": 1000}},
    }
    assert load_scenario(bot) == doc.scenario


def test_a_changed_price_is_the_only_model_entry(bot: Path) -> None:
    doc = Document.open(bot)
    doc.set_text(doc.spec('models."gpt-4.1".input_per_mtok'), "1.5")
    doc.save()
    data = tomllib.loads(bot.read_text(encoding="utf-8"))
    assert data["models"] == {"gpt-4.1": {"input_per_mtok": 1.5}}
    assert load_scenario(bot) == doc.scenario


def test_a_preset_saved_elsewhere_keeps_its_pricing_catalog(tmp_path: Path) -> None:
    doc = Document.open("support-assistant")
    doc.set_text(doc.spec("workload.requests_per_month"), "1000")
    target = tmp_path / "copy.toml"
    doc.save(target)
    data = tomllib.loads(target.read_text(encoding="utf-8"))
    assert data["pricing"] == "openai-2026"
    assert "models" not in data
    assert load_scenario(target) == doc.scenario


def test_a_relative_extends_that_does_not_resolve_from_the_new_folder_is_saved_whole(tmp_path: Path) -> None:
    (tmp_path / "base").mkdir()
    (tmp_path / "base" / "support.toml").write_text(
        (Path(__file__).parent / "data" / "model_example.toml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    (tmp_path / "plans").mkdir()
    plan = tmp_path / "plans" / "plan.toml"
    plan.write_text('extends = "../base/support.toml"\n[workload]\nrequests_per_month = 9000\n', encoding="utf-8")
    doc = Document.open(plan)
    elsewhere = tmp_path / "plan-copy.toml"
    doc.save(elsewhere)
    data = tomllib.loads(elsewhere.read_text(encoding="utf-8"))
    assert "extends" not in data and "models" in data
    assert load_scenario(elsewhere) == doc.scenario
    doc.save()  # and in its own folder the layering holds
    assert "extends" in tomllib.loads(plan.read_text(encoding="utf-8"))
    assert load_scenario(plan) == doc.scenario


def test_no_layers_means_no_layered_text(tmp_path: Path) -> None:
    assert dump_layered(load_scenario("support-assistant"), {}, tmp_path) is None
    assert layer_refs("not toml [") == {}
    assert layer_refs('pricing = ["a", "b"]\nx = 1\n') == {"pricing": ["a", "b"]}


_INPUTS = [i for i in numeric_inputs(load_scenario("default")) if i.bounds.highest > 0]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.tuples(st.sampled_from(_INPUTS), st.floats(0, 1, allow_nan=False, allow_infinity=False)),
        min_size=1,
        max_size=4,
    )
)
def test_layered_saves_load_back_to_the_same_scenario(tmp_path: Path, edits: list) -> None:
    path = tmp_path / "plan.toml"
    path.write_text('extends = "default"\n', encoding="utf-8")
    doc = Document.open(path)
    for item, fraction in edits:
        low = max(item.bounds.lowest, 0.0)
        high = min(item.bounds.highest, max(item.value * 3, 1.0))
        value = low + (high - low) * fraction
        try:
            doc.set_value(doc.spec(item.path), value)
        except ValueError:
            continue  # a value another field's rule refuses; nothing applied
    save_scenario(doc.scenario, path, doc.layers)
    assert load_scenario(path) == doc.scenario
