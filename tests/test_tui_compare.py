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


def _changed_requests(tmp_path: Path) -> CostmodelApp:
    path = tmp_path / "scenario.toml"
    save_scenario(load_scenario(DATA / "model_example.toml"), path)
    return CostmodelApp(Document.open(path))


def test_d_shows_a_delta_column_beside_each_strategy_against_the_file_as_loaded(tmp_path: Path) -> None:
    async def body(app: CostmodelApp, pilot: Pilot[int]) -> None:
        table = app.query_one(TotalsTable)
        assert not any(r.deltas for r in table.rows)
        assert app.focus_field("workload.requests_per_month")
        await pilot.press(*"100000", "enter", "d")
        await pilot.pause()
        expected = diff(app.document.loaded, app.document.scenario)
        by_figure = {r.figure: r for r in table.rows if r.figure is not None}
        assert all(len(r.deltas) == len(table.strategies) for r in table.rows)  # every row, one cell per strategy
        assert not [r for r in table.rows if r.label.startswith("  Δ")]  # a column, no extra rows
        for i, name in enumerate(table.strategies):
            change = expected.strategies[name]
            # Signed, formatted as the table's amounts (the short forms drop the code: the header names it).
            for figure, moved in (("total", change.total), ("month:1", change.monthly)):
                assert by_figure[figure].deltas[i] in (
                    f"+USD {format_amount(moved.delta)}",
                    f"+{format_amount(moved.delta)}",
                )
            assert by_figure["upfront"].deltas[i] == "—"  # requests move no upfront cost
            assert by_figure["effort:upfront"].deltas[i] == "—"
        assert by_figure["per_1k"].deltas[0].startswith("-")  # more requests share the fixed costs
        header = table.render_line(0).text
        assert header.count("Δ") == len(table.strategies)  # beside each strategy, all in sight at 160x50
        assert table.shown_strategies == table.strategies
        await pilot.press("d")
        await pilot.pause()
        assert not any(r.deltas for r in table.rows) and "Δ" not in table.render_line(0).text

    run(_changed_requests(tmp_path), body)


def test_at_80x24_the_delta_columns_scroll_with_a_hint(tmp_path: Path) -> None:
    async def body(app: CostmodelApp, pilot: Pilot[int]) -> None:
        assert app.focus_field("workload.requests_per_month")
        await pilot.press(*"100000", "enter", "d")
        await pilot.pause()
        table = app.query_one(TotalsTable)
        shown = table.shown_strategies
        assert 0 < len(shown) < len(table.strategies)
        header = table.render_line(0).text
        assert f"▶{len(table.strategies) - len(shown)} more →" in header and "Δ" in header
        per_1k = next(i for i, r in enumerate(table.rows) if r.figure == "per_1k")
        row = table.render_line(per_1k + 1).text
        assert row.rstrip().endswith(" " + table.rows[per_1k].deltas[0])  # the value and its Δ, uncut
        assert table.rows[per_1k].texts[0] in row
        table.focus()
        for _ in table.strategies:
            await pilot.press("right")
        await pilot.pause()
        assert table.shown_strategies[-1] == table.strategies[-1]
        assert "◀" in table.render_line(0).text

    run(_changed_requests(tmp_path), body, size=(80, 24))


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
