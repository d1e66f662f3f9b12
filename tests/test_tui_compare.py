"""The baseline Δ rows (d) and two scenarios side by side (`costmodel tui A B`): figures of `costmodel diff`."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from textual.pilot import Pilot

from costmodel.analysis.diffs import diff
from costmodel.files.scenario_io import load_scenario, save_scenario
from costmodel.model.money import format_amount
from costmodel.tui.app import CostmodelApp
from costmodel.tui.state import Document
from costmodel.tui.widgets.input_grid import InputGrid
from costmodel.tui.widgets.totals import TotalsTable

pytestmark = [pytest.mark.tui, pytest.mark.usefixtures("ui_environment")]

DATA = Path(__file__).parent / "data"


def rows(app: CostmodelApp) -> dict[str, tuple[str, ...]]:
    return {r.label: r.texts for r in app.query_one(TotalsTable).rows}


def run(app: CostmodelApp, body, size: tuple[int, int] = (160, 50)) -> None:  # type: ignore[no-untyped-def]
    async def main() -> None:
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            await body(app, pilot)

    asyncio.run(main())


def test_d_shows_how_each_figure_moved_from_the_file_as_loaded(tmp_path: Path) -> None:
    path = tmp_path / "scenario.toml"
    save_scenario(load_scenario(DATA / "model_example.toml"), path)

    async def body(app: CostmodelApp, pilot: Pilot[int]) -> None:
        assert "  Δ vs file" not in rows(app)
        assert app.focus_field("workload.requests_per_month")
        await pilot.press(*"100000", "enter", "d")
        await pilot.pause()
        expected = diff(app.document.loaded, app.document.scenario)
        texts = [r for r in app.query_one(TotalsTable).rows if r.label == "  Δ vs file"]
        assert len(texts) == 5  # upfront, per update, per request, month 1, total
        total_delta = expected.strategies["rag"].total.delta
        assert texts[-1].texts[0].startswith(f"+{format_amount(total_delta)}")
        assert texts[0].texts == ("=", "=", "=")  # requests move no upfront cost
        await pilot.press("d")
        assert "  Δ vs file" not in rows(app)

    run(CostmodelApp(Document.open(path)), body)


def test_two_scenarios_side_by_side_give_the_figures_of_costmodel_diff() -> None:
    a, b = Document.open("support-assistant"), Document.open("support-assistant-h100")

    async def body(app: CostmodelApp, pilot: Pilot[int]) -> None:
        expected = diff(a.scenario, b.scenario)
        shown = app.query_one(TotalsTable).rows
        total = next(i for i, r in enumerate(shown) if r.label.startswith("Total"))
        other, delta = shown[total + 1], shown[total + 2]
        assert other.label == "  …ssistant-h100"  # the second scenario, named by the end of its file name
        assert delta.label == "  Δ"
        for i, name in enumerate(app.estimate.strategies):
            change = expected.strategies[name].total
            assert other.texts[i] == f"USD {format_amount(change.new)}"
            sign = "+" if change.delta > 0 else "-"
            assert (
                delta.texts[i] == "="
                if change.delta == 0
                else delta.texts[i].startswith(sign + format_amount(abs(change.delta)))
            )
        title = str(app.query_one("#title-bar").content)
        assert "support-assistant.toml" in title and "support-assistant-h100.toml" in title
        different = app.query_one(InputGrid)._different
        assert {c.path for c in expected.changes} == different
        assert "name" in different

    run(CostmodelApp(a, other=b), body)


def test_a_second_scenario_can_be_opened_from_the_ui_and_closed_again() -> None:
    from costmodel.tui.screens.picker import PickerScreen

    async def body(app: CostmodelApp, pilot: Pilot[int]) -> None:
        app.action_compare()
        for _ in range(50):
            if isinstance(app.screen, PickerScreen):
                break
            await pilot.pause(0.02)
        await pilot.press(*"support-assistant-h100", "enter")
        for _ in range(100):
            if app.other is not None and app.diff is not None:
                break
            await pilot.pause(0.02)
        assert app.other is not None and app.other.scenario.name != app.document.scenario.name
        assert "vs support-assistant-h100.toml" in str(app.query_one("#title-bar").content)
        app.action_compare()  # again: stop comparing
        await pilot.pause()
        assert app.other is None and app.diff is None

    run(CostmodelApp(Document.open("support-assistant")), body)
