"""Panels you can act on: the sensitivity list jumps to an input, the solver's answer applies, exports write."""

from __future__ import annotations

import asyncio
import csv
from pathlib import Path

import pytest
from textual.pilot import Pilot

from costmodel.files.scenario_io import load_scenario, save_scenario
from costmodel.tui.app import CostmodelApp
from costmodel.tui.panels import round_sensibly
from costmodel.tui.screens.confirm import ConfirmScreen
from costmodel.tui.screens.picker import PickerScreen
from costmodel.tui.state import Document
from costmodel.tui.widgets.input_grid import InputGrid

pytestmark = [pytest.mark.tui, pytest.mark.usefixtures("ui_environment")]

DATA = Path(__file__).parent / "data"


@pytest.fixture
def app(tmp_path: Path) -> CostmodelApp:
    path = tmp_path / "scenario.toml"
    save_scenario(load_scenario(DATA / "model_example.toml"), path)
    return CostmodelApp(Document.open(path))


def run(app: CostmodelApp, body) -> None:  # type: ignore[no-untyped-def]
    async def main() -> None:
        async with app.run_test(size=(140, 45)) as pilot:
            await pilot.pause()
            await body(app, pilot)

    asyncio.run(main())


async def wait_for(pilot: Pilot[int], condition) -> None:  # type: ignore[no-untyped-def]
    for _ in range(100):
        if condition():
            return
        await pilot.pause(0.02)
    raise AssertionError("the condition never held")


def test_round_sensibly() -> None:
    assert round_sensibly(120_437.2) == 120_000
    assert round_sensibly(0.017342) == 0.0173
    assert round_sensibly(-3.14159) == -3.14


def test_the_sensitivity_list_shows_low_and_high_values_and_enter_jumps_to_the_input(app: CostmodelApp) -> None:
    async def body(app: CostmodelApp, pilot: Pilot[int]) -> None:
        await pilot.press("s")
        await wait_for(pilot, lambda: isinstance(app.screen, PickerScreen))
        choices = app.screen._choices  # type: ignore[attr-defined]
        top = choices[0]
        path = top.split(" — ", 1)[0]
        assert " → " in top and "±" in top  # its low and high values, and how far each total moves
        await pilot.press("enter")
        await wait_for(pilot, lambda: not isinstance(app.screen, PickerScreen))
        assert app.query_one(InputGrid).current_spec.path == path

    run(app, body)


def test_the_solver_answer_is_applied_with_enter() -> None:
    from costmodel.analysis.solver import solve

    before = Document.open("support-assistant").scenario

    async def body(app: CostmodelApp, pilot: Pilot[int]) -> None:
        assert app.focus_field("workload.requests_per_month")
        await pilot.press("b")
        await wait_for(pilot, lambda: isinstance(app.screen, PickerScreen))
        await pilot.press("enter")  # the highlighted input
        await wait_for(pilot, lambda: isinstance(app.screen, PickerScreen) and "strategies" in app.screen._title)  # type: ignore[attr-defined]
        await pilot.press(*"rag vs hybrid", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("enter")  # Apply it
        await wait_for(pilot, lambda: len(app.screen_stack) == 1)
        crossing = solve(before, "workload.requests_per_month", "rag", "hybrid").crossings[0].value
        assert app.document.scenario.workload.requests_per_month == round_sensibly(crossing)  # three digits
        assert app.document.undo_stack  # an ordinary, undoable edit

    run(CostmodelApp(Document.open("support-assistant")), body)


def test_the_timeline_exports_as_csv(app: CostmodelApp, tmp_path: Path) -> None:
    async def body(app: CostmodelApp, pilot: Pilot[int]) -> None:
        app._export_csv()
        await wait_for(pilot, lambda: isinstance(app.screen, PickerScreen))
        await pilot.press("enter")  # the suggested timeline.csv in the working folder
        await wait_for(pilot, lambda: (tmp_path / "timeline.csv").exists())

    run(app, body)
    rows = list(csv.DictReader((tmp_path / "timeline.csv").open()))
    est = app.estimate
    assert len(rows) == est.horizon_months + 1
    assert float(rows[-1]["rag_cumulative"]) == est.strategies["rag"].total


def test_the_report_is_written_from_the_ui(app: CostmodelApp, tmp_path: Path) -> None:
    async def body(app: CostmodelApp, pilot: Pilot[int]) -> None:
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: isinstance(app.screen, PickerScreen))
        box = app.screen.query_one("#picker-input")
        box.value = str(tmp_path / "report.md")  # Markdown: no charting library needed
        await pilot.press("enter")
        await wait_for(pilot, lambda: (tmp_path / "report.md").exists())

    run(app, body)
    text = (tmp_path / "report.md").read_text()
    assert app.document.scenario.name in text


def test_f1_shows_the_keys_with_the_glossary_and_f1_again_hides_them(app: CostmodelApp) -> None:
    from textual.widgets import HelpPanel, KeyPanel, Static

    from costmodel.tui.widgets.glossary import GLOSSARY

    async def body(app: CostmodelApp, pilot: Pilot[int]) -> None:
        await pilot.press("f1")
        await pilot.pause()
        panel = app.screen.query_one(HelpPanel)
        assert panel.query_one(KeyPanel)  # the keys are there, under the glossary
        text = str(panel.query_one("#glossary", Static).content)
        lines = text.splitlines()
        assert lines[0] == "Glossary"
        assert "d engineer-days (a day: 8 engineer hours)" in lines
        assert "h expert-hours (a domain expert's time)" in lines
        all_in = "all-in per 1,000 requests served: the total less the upfront build"
        assert any(line.startswith(all_in) for line in lines)
        assert {term for term, _ in GLOSSARY} >= {"d", "h", "all-in", "Δ"}
        assert not app._notifications  # in the panel itself, not in a notification
        await pilot.press("question_mark")
        await pilot.pause()
        assert not app.screen.query(HelpPanel)

    run(app, body)
