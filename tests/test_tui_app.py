"""The terminal UI used as a person uses it: keys, mouse and dialogs, checked on the model and on screen.

Each test drives a CostmodelApp headless (Textual's pilot) and asserts both on the model
(the Document's scenario, the app's Estimate, files on disk) and on something visible (a
grid or totals cell, the help line, the title in the header, a dialog on the screen).
The project has no async pytest plugin: each test runs its pilot code with asyncio.run.
"""

from __future__ import annotations

import asyncio
import io
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from rich.console import Console
from textual.pilot import Pilot
from textual.widgets import Input, Label, Static

from costmodel.analysis.explain import total_parts
from costmodel.files.presets import find_preset
from costmodel.files.scenario_io import load_scenario, save_scenario
from costmodel.model.engine import estimate
from costmodel.model.schema import STRATEGIES
from costmodel.report.render import format_amount
from costmodel.tui.app import WIDE_LAYOUT, CostmodelApp
from costmodel.tui.fields import format_number
from costmodel.tui.screens.confirm import ConfirmScreen
from costmodel.tui.screens.picker import PickerScreen
from costmodel.tui.screens.text import TextScreen
from costmodel.tui.state import Document
from costmodel.tui.widgets.chart import TimelineChart
from costmodel.tui.widgets.input_grid import InputGrid
from costmodel.tui.widgets.slider import FloatSlider
from costmodel.tui.widgets.totals import TotalsTable

pytestmark = [pytest.mark.tui, pytest.mark.usefixtures("ui_environment")]

DATA = Path(__file__).parent / "data"
SIZE = (120, 40)
Body = Callable[[CostmodelApp, Pilot[int]], Awaitable[None]]


@pytest.fixture
def scenario_file(tmp_path: Path) -> Path:
    """Return a writable copy of tests/data/model_example.toml (requests 50,000, prompt 600 tokens)."""
    path = tmp_path / "scenario.toml"
    save_scenario(load_scenario(DATA / "model_example.toml"), path)
    return path


def drive(ref: str | Path, body: Body) -> CostmodelApp:
    """Open `ref` in the app, run `body` with the pilot, and return the app (after it stopped)."""
    app = CostmodelApp(Document.open(ref))

    async def run() -> None:
        async with app.run_test(size=SIZE) as pilot:
            await body(app, pilot)

    asyncio.run(run())
    return app


# --- what is on screen ----------------------------------------------------------------------


def grid_cell(app: CostmodelApp, path: str) -> str:
    """Return the text of the value column in the row of `path`."""
    return app.query_one(InputGrid).shown_value(path)


def totals_cell(app: CostmodelApp, label: str, strategy: str) -> str:
    """Return the text of the totals table's cell in the row starting with `label`."""
    for row in app.query_one(TotalsTable).rows:
        if row.label.startswith(label):
            return row.texts[STRATEGIES.index(strategy)]
    raise AssertionError(f"no totals row {label!r}")


def help_line(app: CostmodelApp) -> str:
    return str(app.query_one("#field-help", Static).content)


def notes(app: CostmodelApp) -> str:
    return str(app.query_one("#notes", Static).content)


def header(app: CostmodelApp) -> str:
    """Return the title line the header shows."""
    return str(app.query_one("#title-bar", Static).content)


def editor(app: CostmodelApp) -> Input:
    return app.query_one("#editor", Input)


def current_path(app: CostmodelApp) -> str | None:
    spec = app.query_one(InputGrid).current_spec
    return spec.path if spec is not None else None


def assert_shows_estimate(app: CostmodelApp) -> None:
    """The app's Estimate is the engine's for the document, and the totals row shows its totals."""
    expected = estimate(app.document.scenario)
    for name in STRATEGIES:
        assert app.estimate.strategies[name].total == expected.strategies[name].total
        assert totals_cell(app, "Total ", name).endswith(format_amount(expected.strategies[name].total))


async def go_to(app: CostmodelApp, pilot: Pilot[int], path: str) -> None:
    """Move the grid's cursor to `path` (what ctrl+g does once a field is picked)."""
    assert app.focus_field(path)
    await pilot.pause()


# --- editing --------------------------------------------------------------------------------


def test_edit_a_value_found_with_go_to(scenario_file: Path) -> None:
    """ctrl+g, type a fuzzy part of the field's path, Enter; type 120k (the first digit opens the editor), Enter."""

    async def body(app: CostmodelApp, pilot: Pilot[int]) -> None:
        before = app.estimate.strategies["rag"].total
        await pilot.press("ctrl+g")
        assert isinstance(app.screen, PickerScreen)
        await pilot.press(*"reqpm", "enter")  # fuzzy: workload.REQuests_Per_Month
        await pilot.pause()
        assert current_path(app) == "workload.requests_per_month"
        assert str(app.query_one("#editor-label", Label).content) == "workload.requests_per_month"
        assert grid_cell(app, "workload.requests_per_month") == "50,000"
        assert help_line(app).startswith("[requests/month]")
        await pilot.press(*"120k")
        assert app.focused is editor(app)
        assert editor(app).value == "120k"
        await pilot.press("enter")
        assert app.document.scenario.workload.requests_per_month == 120_000
        assert app.estimate.strategies["rag"].total > before
        assert_shows_estimate(app)
        assert grid_cell(app, "workload.requests_per_month") == "120,000"
        assert isinstance(app.focused, InputGrid)
        assert header(app).startswith("costmodel · scenario.toml ●")

    drive(scenario_file, body)


def test_keys_move_between_rows_step_values_and_ctrl_z_undoes_a_step(scenario_file: Path) -> None:
    async def body(app: CostmodelApp, pilot: Pilot[int]) -> None:
        await go_to(app, pilot, "start")  # the last row of the first section
        await pilot.press("down")
        assert current_path(app) == "workload.requests_per_month"  # the "Workload" heading is skipped
        assert str(app.query_one("#editor-label", Label).content) == "workload.requests_per_month"
        assert help_line(app).startswith("[requests/month]")
        await pilot.press("k")
        assert current_path(app) == "start"
        await pilot.press("j", "right", "right")
        assert app.document.scenario.workload.requests_per_month == 55_000  # 50,000 + 2 x 2,500
        assert grid_cell(app, "workload.requests_per_month") == "55,000"
        await pilot.press("shift+right")
        assert app.document.scenario.workload.requests_per_month == 80_000  # ten steps
        await pilot.press("left")
        assert app.document.scenario.workload.requests_per_month == 77_500
        assert_shows_estimate(app)
        assert len(app.document.undo_stack) == 1  # the steps came in one burst: one undo step
        await pilot.press("ctrl+z")
        assert app.document.scenario.workload.requests_per_month == 50_000
        assert app.last_history_message == "undid workload.requests_per_month: 77,500 → 50,000"
        assert grid_cell(app, "workload.requests_per_month") == "50,000"
        assert_shows_estimate(app)

    drive(scenario_file, body)


def test_dragging_the_slider_changes_the_value_and_records_one_undo_step(scenario_file: Path) -> None:
    async def body(app: CostmodelApp, pilot: Pilot[int]) -> None:
        await go_to(app, pilot, "workload.requests_per_month")
        slider = app.query_one(FloatSlider)
        assert slider.display and slider.value == 50_000
        await pilot.mouse_down("#slider", offset=(6, 0))
        await pilot.hover("#slider", offset=(12, 0))
        assert slider.dragging
        # The value follows the pointer live, under the one undo step the drag began.
        assert app.document.scenario.workload.requests_per_month == slider.value != 50_000
        assert len(app.document.undo_stack) == 1
        await pilot.hover("#slider", offset=(20, 0))
        await pilot.mouse_up("#slider", offset=(20, 0))
        await pilot.pause()
        dragged = app.document.scenario.workload.requests_per_month
        assert dragged == slider.value
        assert dragged > 50_000
        assert len(app.document.undo_stack) == 1  # the whole drag is one step
        assert grid_cell(app, "workload.requests_per_month") == format_number(dragged)
        assert_shows_estimate(app)
        assert header(app).startswith("costmodel · scenario.toml ●")

        await pilot.click("#slider", offset=(4, 0))
        await pilot.pause()
        clicked = app.document.scenario.workload.requests_per_month
        assert clicked < dragged
        assert len(app.document.undo_stack) == 2

        await pilot.press("ctrl+z")
        assert app.document.scenario.workload.requests_per_month == dragged
        await pilot.press("ctrl+z")
        assert app.document.scenario.workload.requests_per_month == 50_000
        assert not app.document.undo_stack
        assert grid_cell(app, "workload.requests_per_month") == "50,000"
        assert header(app).startswith("costmodel · scenario.toml —")

    drive(scenario_file, body)


def test_invalid_input_shows_an_error_and_keeps_the_editor_open(scenario_file: Path) -> None:
    async def body(app: CostmodelApp, pilot: Pilot[int]) -> None:
        await go_to(app, pilot, "workload.prompt_tokens")
        await pilot.press("enter")
        assert app.focused is editor(app)
        assert editor(app).value == "600"
        await pilot.press("ctrl+u", "minus", "5", "enter")
        assert help_line(app).startswith("✗ ")
        assert ">= 0" in help_line(app)
        assert app.query_one("#field-help").has_class("error")
        assert app.document.scenario.workload.prompt_tokens == 600
        assert not app.document.modified
        assert app.focused is editor(app)
        assert editor(app).value == "-5"
        assert grid_cell(app, "workload.prompt_tokens") == "600"

        await pilot.press("escape")
        assert isinstance(app.focused, InputGrid)
        assert editor(app).disabled
        assert editor(app).value == "600"
        assert not help_line(app).startswith("✗")
        assert help_line(app).startswith("[tokens]")
        assert app.document.scenario.workload.prompt_tokens == 600
        assert not app.document.undo_stack

    drive(scenario_file, body)


def test_undo_and_redo(scenario_file: Path) -> None:
    async def body(app: CostmodelApp, pilot: Pilot[int]) -> None:
        await go_to(app, pilot, "workload.prompt_tokens")
        await pilot.press("right")  # 600 -> 625
        app.document._burst = None  # as if a moment passed: the next step is an undo step of its own
        await pilot.press("shift+right")  # 625 -> 875 (ten steps of 25)
        shown = []
        for key in ("ctrl+z", "ctrl+z", "ctrl+y", "ctrl+y", "ctrl+y"):
            await pilot.press(key)
            doc = app.document
            marked = "workload.prompt_tokens" in app.query_one(InputGrid).edited
            shown.append((doc.scenario.workload.prompt_tokens, grid_cell(app, "workload.prompt_tokens"), marked))
        assert shown == [
            (625, "625", True),
            (600, "600", False),
            (625, "625", True),
            (875, "875", True),
            (875, "875", True),
        ]
        assert_shows_estimate(app)
        assert header(app).startswith("costmodel · scenario.toml ●")

    drive(scenario_file, body)


def test_reset_and_typed_range(scenario_file: Path) -> None:
    """A typed `1..4` becomes a range (the first digit opens the editor); `r` puts the loaded value back."""

    async def body(app: CostmodelApp, pilot: Pilot[int]) -> None:
        await go_to(app, pilot, "workload.output_tokens")
        await pilot.press(*"1..4", "enter")
        assert app.document.scenario.ranges["workload.output_tokens"].high == 4
        assert grid_cell(app, "workload.output_tokens").startswith("1 .. 4")
        assert editor(app).value == "1 .. 4 (median 2)"  # the formula bar shows the focused value in full
        assert app.document.range_text(app.document.spec("workload.output_tokens")) == "1 .. 4 (median 2)"
        await pilot.press("r")
        assert app.document.scenario.workload.output_tokens == 300
        assert not app.document.scenario.ranges
        assert grid_cell(app, "workload.output_tokens") == "300"

    drive(scenario_file, body)


# --- files ----------------------------------------------------------------------------------


def test_save_of_a_preset_asks_for_a_path(tmp_path: Path) -> None:
    """A name that fuzzily matches the suggested path must not be replaced by it."""
    preset = find_preset("support-assistant")
    original = preset.read_bytes()
    target = tmp_path / "s.toml"

    async def body(app: CostmodelApp, pilot: Pilot[int]) -> None:
        await go_to(app, pilot, "workload.prompt_tokens")
        await pilot.press("right")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)
        prompt = app.screen.query_one("#picker-input", Input)
        assert prompt.value == str(tmp_path / "support-assistant.toml")
        await pilot.press("ctrl+u", *"s.toml", "enter")
        await pilot.pause()
        assert app.screen is app.screen_stack[0]
        assert app.document.path == target
        assert load_scenario(target) == app.document.scenario
        assert header(app).startswith("costmodel · s.toml —")

    drive("support-assistant", body)
    assert not (tmp_path / "support-assistant.toml").exists()
    assert preset.read_bytes() == original


def test_ctrl_s_saves_and_asks_before_overwriting_a_change_on_disk(scenario_file: Path) -> None:
    async def body(app: CostmodelApp, pilot: Pilot[int]) -> None:
        await go_to(app, pilot, "workload.prompt_tokens")
        await pilot.press("right")
        assert header(app).startswith("costmodel · scenario.toml ●")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert load_scenario(scenario_file) == app.document.scenario
        assert load_scenario(scenario_file).workload.prompt_tokens == 625
        assert not app.document.modified
        assert header(app).startswith("costmodel · scenario.toml —")

        await pilot.press("right")  # 650, then someone else edits the file
        text = scenario_file.read_text(encoding="utf-8")
        outside = text.replace('name = "Support assistant"', 'name = "Outside"')
        scenario_file.write_text(outside, encoding="utf-8")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert str(app.screen.query_one(".dialog-title", Label).content) == "The file changed on disk"
        await pilot.press("c")  # Cancel
        await pilot.pause()
        assert app.screen is app.screen_stack[0]
        assert scenario_file.read_text(encoding="utf-8") == outside
        assert header(app).startswith("costmodel · scenario.toml ●")

        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("o")  # Overwrite
        await pilot.pause()
        saved = load_scenario(scenario_file)
        assert saved == app.document.scenario
        assert saved.name == "Support assistant" and saved.workload.prompt_tokens == 650
        assert header(app).startswith("costmodel · scenario.toml —")

    drive(scenario_file, body)


# --- quitting -------------------------------------------------------------------------------


def test_quit_without_edits_exits(scenario_file: Path) -> None:
    async def body(app: CostmodelApp, pilot: Pilot[int]) -> None:
        await pilot.press("q")
        await pilot.pause()
        assert len(app.screen_stack) == 1  # no question asked

    assert drive(scenario_file, body).return_code == 0


def test_quit_with_unsaved_edits_asks(scenario_file: Path) -> None:
    original = scenario_file.read_bytes()

    async def body(app: CostmodelApp, pilot: Pilot[int]) -> None:
        await go_to(app, pilot, "workload.prompt_tokens")
        await pilot.press("right", "ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert str(app.screen.query_one("#confirm-message", Label).content).startswith("scenario.toml has edits")
        buttons = [str(b.label) for b in app.screen.query("Button").results()]
        assert buttons == ["Save", "Discard and quit", "Cancel"]
        await pilot.press("c")
        await pilot.pause()
        assert app.screen is app.screen_stack[0]
        assert app.return_code is None  # still running
        assert app.document.modified

        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.click("#answer-discard")
        await pilot.pause()

    app = drive(scenario_file, body)
    assert app.return_code == 0
    assert scenario_file.read_bytes() == original


def test_quit_and_save(scenario_file: Path) -> None:
    async def body(app: CostmodelApp, pilot: Pilot[int]) -> None:
        await go_to(app, pilot, "workload.prompt_tokens")
        await pilot.press("right", "q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("s")
        await pilot.pause()

    app = drive(scenario_file, body)
    assert app.return_code == 0
    assert load_scenario(scenario_file) == app.document.scenario
    assert load_scenario(scenario_file).workload.prompt_tokens == 625


def test_quit_and_save_a_preset_asks_for_a_path_then_exits(tmp_path: Path) -> None:
    async def body(app: CostmodelApp, pilot: Pilot[int]) -> None:
        await go_to(app, pilot, "workload.prompt_tokens")
        await pilot.press("right", "q")
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)
        await pilot.press("enter")  # the suggested path in the working folder
        await pilot.pause()

    app = drive("support-assistant", body)
    assert app.return_code == 0
    assert app.document.path == tmp_path / "support-assistant.toml"
    assert load_scenario(tmp_path / "support-assistant.toml") == app.document.scenario


# --- results --------------------------------------------------------------------------------


def test_space_toggles_retrain_on_update_and_the_warnings_follow(scenario_file: Path) -> None:
    stale = "fine_tune.retrain_on_update is false"

    async def body(app: CostmodelApp, pilot: Pilot[int]) -> None:
        await go_to(app, pilot, "fine_tune.retrain_on_update")
        assert not any(w.startswith(stale) for w in app.warnings())
        assert grid_cell(app, "fine_tune.retrain_on_update") == "yes"
        per_update = app.estimate.strategies["fine_tune"].per_update
        assert per_update > 0
        await pilot.press("space")
        assert app.document.scenario.fine_tune.retrain_on_update is False
        assert grid_cell(app, "fine_tune.retrain_on_update") == "no"
        assert app.estimate.strategies["fine_tune"].per_update == 0
        assert app.warnings()[0].startswith(stale)
        assert f"⚠ {stale}" in notes(app)
        await pilot.press("w")
        assert isinstance(app.screen, TextScreen)
        assert stale in str(app.screen.query_one("#text-content", Static).content)
        await pilot.press("escape", "space")
        assert app.document.scenario.fine_tune.retrain_on_update is True
        assert stale not in notes(app)

    drive(scenario_file, body)


def test_enter_on_a_total_shows_its_breakdown_and_c_toggles_the_chart(scenario_file: Path) -> None:
    async def body(app: CostmodelApp, pilot: Pilot[int]) -> None:
        table = app.query_one(TotalsTable)
        table.focus()
        row = next(i for i, r in enumerate(table.rows) if r.label.startswith("Total "))
        table.select(row, "rag")
        await pilot.press("enter")
        assert isinstance(app.screen, TextScreen)
        assert str(app.screen.query_one(".dialog-title", Label).content) == "RAG · Total 24 mo: what makes it up"
        console = Console(width=160, file=io.StringIO(), record=True)
        console.print(app.screen.query_one("#text-content", Static).content)
        text = console.export_text()
        rag = app.estimate.strategies["rag"]
        assert f"Total 24 mo = ${format_amount(rag.total)}" in text.splitlines()[0]  # the tree's root
        for part in total_parts(app.document.scenario, app.estimate, "rag"):
            assert part.label in text
        assert "retrieval build" in text and "15 × 800" in text  # a rate's own lines, numbers in its formula
        await pilot.press("escape")
        assert app.screen is app.screen_stack[0]

        chart = app.query_one(TimelineChart)
        assert chart.mode == "cumulative"
        assert chart.render_line(0).text.startswith("Cumulative")
        await pilot.press("c")
        assert chart.mode == "monthly"
        assert chart.render_line(0).text.startswith("Monthly")
        await pilot.press("c")
        assert chart.mode == "cumulative"
        await pilot.click("#chart", offset=(20, 5))
        assert app.focused is chart and chart.cursor is not None  # a click puts the month cursor there
        await pilot.press("home", "right")
        assert chart.cursor == 1
        readout = chart.render_line(1).text
        assert readout.startswith("m1 R ") and " F " in readout  # short at this width: marker letters name them
        assert not app.document.modified  # a view, not an edit

    drive(scenario_file, body)


def test_the_layout_follows_a_resize(scenario_file: Path) -> None:
    """The unit column comes and goes with the width at once (not one resize late)."""

    async def body(app: CostmodelApp, pilot: Pilot[int]) -> None:
        grid = app.query_one(InputGrid)
        assert not grid.show_units and not app.screen.has_class("wide")
        await pilot.resize_terminal(WIDE_LAYOUT + 10, 40)
        await pilot.pause()
        assert grid.show_units and app.screen.has_class("wide")
        assert "Unit" in grid.render_line(0).text
        await pilot.resize_terminal(WIDE_LAYOUT - 20, 40)
        await pilot.pause()
        assert not grid.show_units and not app.screen.has_class("wide")
        assert "Unit" not in grid.render_line(0).text

    drive(scenario_file, body)


def test_the_totals_columns_stay_aligned_when_one_figure_grows_wider() -> None:
    """Lines whose figures did not change are drawn again when another row widens their column."""

    async def body(app: CostmodelApp, pilot: Pilot[int]) -> None:
        table = app.query_one(TotalsTable)
        scenario = app.document.scenario
        wider = scenario.model_copy(
            update={"fine_tune": scenario.fine_tune.model_copy(update={"examples": scenario.fine_tune.examples * 7})}
        )
        for shown in (scenario, wider):
            table.show(estimate(shown))
            await pilot.pause()
            assert estimate(shown).cheapest == estimate(scenario).cheapest
            ends = {len(table.render_line(y).text.rstrip()) for y in range(len(table.rows) + 1)}
            assert len(ends) == 1, ends

    drive("support-assistant", body)


def test_enter_that_overtakes_keys_typed_ahead_of_it_waits_for_them(scenario_file: Path) -> None:
    """Keys typed in one burst reach the grid; Enter may reach the editor before the app has them all.

    The grid's edit requests travel through its own queue, the editor's Enter straight to the app:
    the edit is applied once every typed key is in, with the whole number.
    """

    async def body(app: CostmodelApp, pilot: Pilot[int]) -> None:
        assert app.focus_field("workload.requests_per_month")
        await pilot.pause()
        grid = app.query_one(InputGrid)
        grid.capturing = True
        grid._request("edit", text="1")  # as on_key does for each key of the burst: the first opens the editor
        await pilot.pause()
        for character in "20000":
            grid._request("edit", text=character)
        app.post_message(Input.Submitted(editor(app), editor(app).value))  # Enter, ahead of the grid's requests
        await pilot.pause()
        await pilot.pause()
        assert app.document.scenario.workload.requests_per_month == 120_000
        assert grid_cell(app, "workload.requests_per_month") == "120,000"
        assert grid.pending_edits == 0

    drive(scenario_file, body)
