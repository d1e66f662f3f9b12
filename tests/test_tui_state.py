"""The TUI's Document (no Textual): typed numbers, edits, steps, undo/redo, saving, exporting."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from costmodel.files.presets import bundled_dir, find_preset
from costmodel.files.scenario_io import load_scenario, save_scenario, scenario_data
from costmodel.model.schema import Scenario
from costmodel.model.validation import validate_scenario
from costmodel.tui.state import ChangedOnDisk, Document, EditError, NeedsPath, parse_number

pytestmark = pytest.mark.tui

DATA = Path(__file__).parent / "data"
EXAMPLE: Scenario = load_scenario(DATA / "model_example.toml")


@pytest.fixture(autouse=True)
def _no_user_presets(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Keep the user's own presets folder out of the way: preset names resolve to bundled files."""
    monkeypatch.setenv("COSTMODEL_PRESETS_DIR", str(tmp_path / "user-presets"))


@pytest.fixture
def path(tmp_path: Path) -> Path:
    """Return a writable copy of tests/data/model_example.toml."""
    target = tmp_path / "scenario.toml"
    save_scenario(EXAMPLE, target)
    return target


@pytest.fixture
def doc(path: Path) -> Document:
    """Return a Document on the writable copy of the example scenario."""
    return Document.open(path)


# --- parse_number ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("50000", 50_000),
        ("50,000", 50_000),
        ("50_000", 50_000),
        (" 50 000 ", 50_000),
        ("5e4", 50_000),
        ("12k", 12_000),
        ("12K", 12_000),
        ("1.5M", 1_500_000),
        ("2b", 2_000_000_000),
        ("3%", 0.03),
        ("7%", 0.07),
        ("0.1%", 0.001),
        ("-0.5", -0.5),
    ],
)
def test_parse_number(text: str, expected: float) -> None:
    assert parse_number(text) == expected


@pytest.mark.parametrize("text", ["nan", "NaN", "inf", "-inf", "1e999", "", "   ", "abc", "12kk", "1..2"])
def test_parse_number_refuses_what_is_not_a_finite_number(text: str) -> None:
    with pytest.raises(EditError, match="expected"):
        parse_number(text)


def test_parse_number_whole() -> None:
    assert parse_number("12", whole=True) == 12
    assert type(parse_number("12", whole=True)) is int
    assert parse_number("1.5k", whole=True) == 1500
    with pytest.raises(EditError, match="whole number"):
        parse_number("12.5", whole=True)
    with pytest.raises(EditError, match="whole number"):
        parse_number("50%", whole=True)


# --- set_text -------------------------------------------------------------------------------


def test_set_text_applies_a_typed_number(doc: Document) -> None:
    spec = doc.spec("workload.requests_per_month")
    new = doc.set_text(spec, "120k")
    assert new.workload.requests_per_month == 120_000
    assert doc.scenario is new
    assert doc.value(spec) == 120_000
    assert doc.edit_text(spec) == "120000"
    assert doc.undo_stack == [EXAMPLE]


def test_set_text_whole_flag_and_model(doc: Document) -> None:
    doc.set_text(doc.spec("horizon_months"), "36")
    assert doc.scenario.horizon_months == 36
    with pytest.raises(EditError, match="whole number"):
        doc.set_text(doc.spec("horizon_months"), "36.5")
    doc.set_text(doc.spec("fine_tune.retrain_on_update"), "no")
    assert doc.scenario.fine_tune.retrain_on_update is False
    with pytest.raises(EditError, match="yes or no"):
        doc.set_text(doc.spec("fine_tune.retrain_on_update"), "maybe")
    with pytest.raises(EditError, match=r"not in \[models\]"):
        doc.set_text(doc.spec("rag.model"), "no-such-model")
    assert doc.scenario.rag.model == "gpt-4.1-mini"


def test_an_invalid_edit_names_the_bound_and_applies_nothing(doc: Document) -> None:
    spec = doc.spec("fine_tune.epochs")
    with pytest.raises(EditError, match=">= 1") as caught:
        doc.set_text(spec, "0")
    assert "fine_tune.epochs" in str(caught.value)
    assert doc.scenario == EXAMPLE
    assert doc.value(spec) == 3
    assert doc.undo_stack == []
    assert not doc.modified


def test_a_negative_token_count_is_refused(doc: Document) -> None:
    with pytest.raises(EditError, match=">= 0"):
        doc.set_text(doc.spec("workload.prompt_tokens"), "-5")
    assert doc.scenario.workload.prompt_tokens == 600


# --- ranges ---------------------------------------------------------------------------------


def test_a_typed_range_becomes_a_scenario_range(doc: Document) -> None:
    spec = doc.spec("workload.requests_per_month")
    doc.set_text(spec, "10 .. 40")
    r = doc.scenario.ranges["workload.requests_per_month"]
    assert (r.low, r.mode, r.high) == (10, None, 40)
    # A lognormal 90 % interval: its median is the geometric mean sqrt(10 * 40) = 20.
    assert doc.value(spec) == pytest.approx(20)
    assert doc.edit_text(spec) == "10 .. 40"
    assert doc.range_text(spec) == "10 .. 40 (median 20)"


def test_a_typed_three_point_range_is_pert(doc: Document) -> None:
    spec = doc.spec("workload.requests_per_month")
    doc.set_text(spec, "10 .. 15 .. 40")
    r = doc.scenario.ranges["workload.requests_per_month"]
    assert (r.low, r.mode, r.high) == (10, 15, 40)
    # PERT(10, 15, 40): alpha 5/3, beta 13/3; median ~ (alpha - 1/3) / (alpha + beta - 2/3) = 1/4 of the way.
    assert doc.value(spec) == pytest.approx(17.5, abs=0.2)
    assert doc.edit_text(spec) == "10 .. 15 .. 40"


def test_ranges_with_suffixes_and_words(doc: Document) -> None:
    spec = doc.spec("workload.requests_per_month")
    doc.set_text(spec, "10k to 40k")
    r = doc.scenario.ranges["workload.requests_per_month"]
    assert (r.low, r.high) == (10_000, 40_000)
    with pytest.raises(EditError):
        doc.set_text(doc.spec("horizon_months"), "12 .. 24")  # whole numbers take no range


def test_ranges_survive_save_and_load(doc: Document, path: Path) -> None:
    doc.set_text(doc.spec("workload.requests_per_month"), "10 .. 40")
    doc.set_text(doc.spec("rag.retrieved_tokens"), "1000 .. 2000 .. 4000")
    doc.save()
    again = load_scenario(path)
    assert again == doc.scenario
    assert set(again.ranges) == {"workload.requests_per_month", "rag.retrieved_tokens"}
    assert Document.open(path).range_text(doc.spec("workload.requests_per_month")) == "10 .. 40 (median 20)"


def test_raw_data_validates_back_to_the_scenario(doc: Document) -> None:
    doc.set_text(doc.spec("rag.retrieved_tokens"), "1000 .. 2000 .. 4000")
    assert validate_scenario(scenario_data(doc.scenario)) == doc.scenario


# --- steps ----------------------------------------------------------------------------------


def test_step_a_quantity(doc: Document) -> None:
    spec = doc.spec("workload.requests_per_month")
    assert spec.step == "quantity"
    doc.step(spec, +1)
    assert doc.value(spec) == 52_500  # 5 % grid steps of 2,500 around 50,000
    doc.step(spec, +1)
    assert doc.value(spec) == 55_000
    doc.step(spec, -1)
    doc.step(spec, -1)
    assert doc.value(spec) == 50_000
    doc.step(spec, +1, big=True)
    assert doc.value(spec) == 75_000


def test_step_a_fraction(doc: Document) -> None:
    spec = doc.spec("knowledge.changed_fraction")
    assert spec.step == "fraction"
    doc.step(spec, +1)
    assert doc.value(spec) == 0.03
    doc.step(spec, +1, big=True)
    assert doc.value(spec) == 0.13
    doc.set_text(spec, "1")
    before = len(doc.undo_stack)
    doc.step(spec, +1)  # already at the top bound: nothing changes and nothing is recorded
    assert doc.value(spec) == 1
    assert len(doc.undo_stack) == before


def test_step_a_count(doc: Document) -> None:
    epochs = doc.spec("fine_tune.epochs")
    assert epochs.step == "count"
    doc.step(epochs, +1)
    assert doc.value(epochs) == 4
    doc.step(epochs, -1, big=True)
    assert doc.value(epochs) == 1  # ten down from 4 is clamped at the lower bound 1
    horizon = doc.spec("horizon_months")
    doc.step(horizon, +1)
    assert doc.value(horizon) == 25
    assert type(doc.value(horizon)) is int


def test_a_step_on_a_range_shifts_the_whole_range(doc: Document) -> None:
    spec = doc.spec("workload.requests_per_month")
    doc.set_text(spec, "10k .. 40k")  # median 20,000
    doc.step(spec, +1)  # a quantity: low, high and median move by the same ratio (5 %)
    r = doc.scenario.ranges["workload.requests_per_month"]
    assert (r.low, r.high) == (10_500, 42_000)
    assert doc.value(spec) == pytest.approx(21_000)
    growth = doc.spec("workload.monthly_growth")
    doc.set_text(growth, "0.01 .. 0.05 .. 0.09")  # a fraction shifts by the same amount (0.01)
    doc.step(growth, -1)
    r = doc.scenario.ranges["workload.monthly_growth"]
    assert (r.low, r.mode, r.high) == (0.0, 0.04, 0.08)


def test_shift_widens_and_narrows_a_range_around_its_median(doc: Document) -> None:
    spec = doc.spec("workload.requests_per_month")
    doc.set_text(spec, "10k .. 40k")
    median = doc.value(spec)
    doc.widen(spec, +1)
    r = doc.scenario.ranges["workload.requests_per_month"]
    assert r.low < 10_000 and r.high > 40_000
    assert doc.value(spec) == pytest.approx(median, rel=1e-3)
    doc.widen(spec, -1)
    doc.widen(spec, -1)
    r = doc.scenario.ranges["workload.requests_per_month"]
    assert 10_000 < r.low < r.high < 40_000
    with pytest.raises(EditError, match="not a range"):
        doc.widen(doc.spec("workload.prompt_tokens"), +1)


def test_a_typed_minus_is_a_negative_number(doc: Document) -> None:
    growth = doc.spec("workload.monthly_growth")
    doc.set_text(growth, "-0.02")
    assert doc.value(growth) == -0.02


def test_steps_of_one_burst_are_one_undo_step(doc: Document) -> None:
    spec = doc.spec("workload.requests_per_month")
    for i in range(5):
        doc.step(spec, +1, now=100.0 + 0.03 * i)  # a held key: 30 ms apart
    assert len(doc.undo_stack) == 1
    doc.step(spec, +1, now=110.0)  # later: a step of its own
    assert len(doc.undo_stack) == 2
    doc.step(doc.spec("workload.prompt_tokens"), +1, now=110.1)  # another field: its own step too
    assert len(doc.undo_stack) == 3
    doc.undo()
    doc.undo()
    doc.undo()
    assert doc.value(spec) == 50_000


def test_undo_and_redo_say_what_they_changed() -> None:
    doc = Document.open("support-assistant")
    spec = doc.spec("fine_tune.model")
    doc.set_text(spec, "gpt-4.1-nano")
    assert doc.undo()
    assert doc.last_change == "fine_tune.model: gpt-4.1-nano → gpt-4.1-mini"
    assert doc.redo()
    assert doc.last_change == "fine_tune.model: gpt-4.1-mini → gpt-4.1-nano"


# --- history --------------------------------------------------------------------------------


def test_undo_and_redo_go_back_and_forth_in_order(doc: Document) -> None:
    prompt, output, epochs = (
        doc.spec(p) for p in ("workload.prompt_tokens", "workload.output_tokens", "fine_tune.epochs")
    )
    doc.set_text(prompt, "700")
    doc.set_text(output, "400")
    doc.set_text(epochs, "5")
    assert doc.undo()
    assert (doc.value(prompt), doc.value(output), doc.value(epochs)) == (700, 400, 3)
    assert doc.undo()
    assert (doc.value(prompt), doc.value(output), doc.value(epochs)) == (700, 300, 3)
    assert doc.redo()
    assert (doc.value(prompt), doc.value(output), doc.value(epochs)) == (700, 400, 3)
    assert doc.redo()
    assert doc.value(epochs) == 5
    assert not doc.redo()
    assert doc.undo() and doc.undo() and doc.undo()
    assert doc.scenario == EXAMPLE
    assert not doc.undo()


def test_a_new_edit_clears_redo(doc: Document) -> None:
    spec = doc.spec("workload.prompt_tokens")
    doc.set_text(spec, "700")
    doc.set_text(spec, "800")
    doc.undo()
    assert doc.redo_stack
    doc.set_text(spec, "900")
    assert not doc.redo()
    assert doc.value(spec) == 900
    doc.undo()
    assert doc.value(spec) == 700


def test_an_edit_to_the_same_value_records_nothing(doc: Document) -> None:
    doc.set_text(doc.spec("workload.prompt_tokens"), "600")
    assert doc.undo_stack == []


def test_reset_returns_the_loaded_value(doc: Document) -> None:
    spec = doc.spec("workload.requests_per_month")
    doc.set_text(spec, "120000")
    doc.step(spec, +1)
    doc.reset(spec)
    assert doc.value(spec) == 50_000
    assert doc.scenario == EXAMPLE
    assert len(doc.undo_stack) == 3  # the reset is one more undoable step


def test_reset_puts_a_loaded_range_back(doc: Document, path: Path) -> None:
    spec = doc.spec("rag.retrieved_tokens")
    doc.set_text(spec, "1000 .. 4000")
    doc.save()
    ranged = Document.open(path)
    ranged.set_text(spec, "2500")
    assert not ranged.scenario.ranges
    ranged.reset(spec)
    assert ranged.scenario.ranges["rag.retrieved_tokens"].high == 4000
    assert ranged.scenario == ranged.loaded


def test_modified_and_the_title_marker(doc: Document) -> None:
    assert not doc.modified
    assert doc.title == "scenario.toml"
    doc.set_text(doc.spec("workload.prompt_tokens"), "700")
    assert doc.modified
    assert doc.title == "scenario.toml ●"
    doc.undo()
    assert not doc.modified  # back to what is on disk
    assert doc.title == "scenario.toml"
    preset = Document.open("support-assistant")
    assert preset.read_only
    assert preset.title == "support-assistant.toml (preset, read-only)"


# --- saving ---------------------------------------------------------------------------------


def test_save_to_its_own_file(doc: Document, path: Path) -> None:
    doc.set_text(doc.spec("workload.prompt_tokens"), "700")
    assert doc.save() == path
    assert load_scenario(path) == doc.scenario
    assert load_scenario(path).workload.prompt_tokens == 700
    assert not doc.modified
    assert doc.title == "scenario.toml"
    doc.set_text(doc.spec("workload.prompt_tokens"), "800")
    doc.save()  # our own save is not a change "by someone else"
    assert load_scenario(path).workload.prompt_tokens == 800


def test_a_bundled_preset_needs_a_path() -> None:
    preset = find_preset("support-assistant")
    before = preset.read_bytes()
    doc = Document.open("support-assistant")
    doc.set_text(doc.spec("workload.prompt_tokens"), "700")
    with pytest.raises(NeedsPath):
        doc.save()
    with pytest.raises(NeedsPath):
        doc.save(preset)  # not even by naming the preset's own file
    with pytest.raises(NeedsPath):
        doc.export(bundled_dir() / "copy.toml")
    assert preset.read_bytes() == before
    assert not (bundled_dir() / "copy.toml").exists()
    assert doc.modified


def test_changed_on_disk_is_not_overwritten_unless_forced(doc: Document, path: Path) -> None:
    doc.set_text(doc.spec("workload.prompt_tokens"), "700")
    outside = path.read_text(encoding="utf-8").replace('name = "Support assistant"', 'name = "Edited elsewhere"')
    path.write_text(outside, encoding="utf-8")
    assert doc.changed_on_disk()
    with pytest.raises(ChangedOnDisk):
        doc.save()
    assert path.read_text(encoding="utf-8") == outside
    assert doc.modified
    doc.save(force=True)
    assert load_scenario(path) == doc.scenario
    assert load_scenario(path).name == "Support assistant"
    assert not doc.changed_on_disk()


def test_a_removed_file_counts_as_changed_on_disk(doc: Document, path: Path) -> None:
    path.unlink()
    with pytest.raises(ChangedOnDisk):
        doc.save()
    doc.save(force=True)
    assert load_scenario(path) == doc.scenario


def test_save_as_moves_the_document(doc: Document, path: Path, tmp_path: Path) -> None:
    original = path.read_bytes()
    doc.set_text(doc.spec("workload.prompt_tokens"), "700")
    target = tmp_path / "sub" / "other.toml"
    assert doc.save(target) == target
    assert doc.path == target
    assert doc.title == "other.toml"
    assert load_scenario(target) == doc.scenario
    assert path.read_bytes() == original
    doc.set_text(doc.spec("workload.prompt_tokens"), "800")
    doc.save()
    assert load_scenario(target).workload.prompt_tokens == 800
    assert path.read_bytes() == original


def test_save_as_of_a_preset(tmp_path: Path) -> None:
    doc = Document.open("support-assistant")
    doc.set_text(doc.spec("workload.prompt_tokens"), "700")
    target = tmp_path / "mine.toml"
    doc.save(target)
    assert doc.path == target
    assert not doc.read_only
    assert doc.title == "mine.toml"
    assert load_scenario(target) == doc.scenario


def test_export_keeps_the_documents_own_file(doc: Document, path: Path, tmp_path: Path) -> None:
    original = path.read_bytes()
    doc.set_text(doc.spec("workload.requests_per_month"), "10k .. 40k")
    copy = tmp_path / "copy.toml"
    assert doc.export(copy) == copy
    assert doc.path == path
    assert doc.modified  # an export is not a save
    assert load_scenario(copy) == doc.scenario
    assert path.read_bytes() == original


# --- properties -----------------------------------------------------------------------------

STEPPED = (
    "horizon_months",
    "workload.requests_per_month",
    "workload.monthly_growth",
    "knowledge.changed_fraction",
    "team.engineer_day_rate",
    "fine_tune.epochs",
    "hybrid.maintenance_days_per_month",
)
steps = st.lists(st.tuples(st.sampled_from(STEPPED), st.sampled_from([1, -1]), st.booleans()), max_size=12)


@settings(max_examples=40, deadline=None)
@given(steps)
def test_steps_then_undo_all_return_the_original(moves: list[tuple[str, int, bool]]) -> None:
    doc = Document(EXAMPLE)
    for path, direction, big in moves:
        doc.step(doc.spec(path), direction, big)
    final = doc.scenario
    while doc.undo():
        pass
    assert doc.scenario == EXAMPLE
    assert not doc.modified
    while doc.redo():
        pass
    assert doc.scenario == final


def test_edited_paths_name_the_rows_that_differ_from_the_loaded_scenario(doc: Document) -> None:
    assert doc.edited_paths() == set()
    doc.step(doc.spec("workload.requests_per_month"), 1)
    doc.set_text(doc.spec("team.engineer_day_rate"), "700 .. 900")
    assert doc.edited_paths() == {"workload.requests_per_month", "team.engineer_day_rate"}
    doc.undo()
    doc.undo()
    assert doc.edited_paths() == set()


def test_cycling_a_model_skips_the_ones_the_scenario_cannot_use() -> None:
    doc = Document.open("support-assistant")
    spec = doc.spec("rag.model")
    seen = []
    for _ in range(len(spec.choices) + 2):
        doc.cycle(spec, 1)
        seen.append(doc.value(spec))
    assert not any(name.startswith("text-embedding") for name in seen)
    assert len(set(seen)) > 1
