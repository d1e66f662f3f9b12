"""What a step does on the UI thread: the point figures at once, the ranges' Monte Carlo once a
burst of steps pauses, the notes a frame later, and only the lines that changed are drawn again."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from textual.geometry import Region
from textual.pilot import Pilot

from costmodel.tui.app import CostmodelApp
from costmodel.tui.state import Document
from costmodel.tui.widgets.chart import TimelineChart
from costmodel.tui.widgets.totals import TotalsTable

pytestmark = [pytest.mark.tui, pytest.mark.usefixtures("ui_environment")]

FIELD = "workload.requests_per_month"


def run(body: Any, ranges: bool = True) -> None:
    """Open support-assistant (with its ranges, or without) at 140x45 and run `body(app, pilot)`."""
    opened = Document.open("support-assistant")
    scenario = opened.scenario if ranges else opened.scenario.model_copy(update={"ranges": {}})
    app = CostmodelApp(Document(scenario, opened.path, opened.read_only))

    async def main() -> None:
        async with app.run_test(size=(140, 45)) as pilot:
            await pilot.pause()
            await wait(pilot, lambda: app.settled)
            await body(app, pilot)

    asyncio.run(main())


async def wait(pilot: Pilot[int], condition: Any) -> None:
    for _ in range(200):
        if condition():
            return
        await pilot.pause(0.02)
    raise AssertionError("the condition never held")


def test_a_burst_of_steps_runs_the_monte_carlo_once_after_it(monkeypatch: pytest.MonkeyPatch) -> None:
    runs: list[object] = []
    simulate = CostmodelApp._update_uncertainty

    def counted(self: CostmodelApp) -> None:
        runs.append(self.document.scenario)
        simulate(self)

    monkeypatch.setattr(CostmodelApp, "_update_uncertainty", counted)
    # A pause long enough that five key presses fit in it on a loaded machine too.
    monkeypatch.setattr("costmodel.tui.app.UNCERTAINTY_DELAY", 1.0)

    async def body(app: CostmodelApp, pilot: Pilot[int]) -> None:
        assert app.focus_field(FIELD)
        runs.clear()
        before = app.uncertainty
        for _ in range(5):
            await pilot.press("right")  # each a frame or so apart, inside the pause
        assert not runs and app.uncertainty is before  # the point figures moved, P10–P90 wait
        assert not app.settled
        totals = {r.figure: r.texts for r in app.query_one(TotalsTable).rows}
        assert totals["total"][0].endswith(f"{round(app.estimate.strategies['rag'].total):,}")
        await wait(pilot, lambda: app.settled)
        assert runs == [app.document.scenario]  # once, for the last step
        assert app.uncertainty is not before

    run(body)


def test_the_estimate_of_an_edit_is_worked_out_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """The edit's overflow check estimates the scenario for the UI's date: the totals show that estimate."""
    import costmodel.model.engine as engine

    calls: list[object] = []
    real = engine.estimate

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(args[0])
        return real(*args, **kwargs)

    async def body(app: CostmodelApp, pilot: Pilot[int]) -> None:
        assert app.focus_field(FIELD)
        monkeypatch.setattr(engine, "estimate", counted)
        monkeypatch.setattr("costmodel.model.finite.estimate", counted)
        await pilot.press("right")
        await wait(pilot, lambda: app.settled)
        assert calls == [app.document.scenario]
        assert app.estimate == real(app.document.scenario, today=app._run_date())

    run(body, ranges=False)


def test_a_step_redraws_only_the_lines_that_changed(monkeypatch: pytest.MonkeyPatch) -> None:
    async def body(app: CostmodelApp, pilot: Pilot[int]) -> None:
        assert app.focus_field(FIELD)
        refreshed: dict[str, list[tuple[Region, ...]]] = {"totals": [], "chart": []}
        for name, widget in (("totals", app.query_one(TotalsTable)), ("chart", app.query_one(TimelineChart))):
            real = widget.refresh

            def record(*regions: Region, _name: str = name, _real: Any = real, **kwargs: Any) -> Any:
                refreshed[_name].append(regions)
                return _real(*regions, **kwargs)

            monkeypatch.setattr(widget, "refresh", record)
        await pilot.press("right")
        await wait(pilot, lambda: app.settled)
        table = app.query_one(TotalsTable)
        lines = [region for regions in refreshed["totals"] for region in regions]
        assert refreshed["totals"] and all(regions for regions in refreshed["totals"])  # no whole repaint
        assert all(region.height == 1 for region in lines)
        upfront = next(i for i, r in enumerate(table.rows) if r.figure == "upfront")
        assert upfront + 1 not in {region.y for region in lines}  # requests move no upfront cost
        assert all(regions for regions in refreshed["chart"])

    run(body, ranges=False)


def test_the_ranges_figures_arrive_behind_a_dialog_opened_in_the_pause() -> None:
    """A panel opened right after a step covers the main screen when the Monte Carlo's timer fires:
    the figures still reach the totals under it, and nothing fails."""
    from costmodel.tui.screens.text import TextScreen

    async def body(app: CostmodelApp, pilot: Pilot[int]) -> None:
        assert app.focus_field(FIELD)
        before = app.uncertainty
        await pilot.press("right", "w")
        assert isinstance(app.screen, TextScreen)
        await wait(pilot, lambda: app.settled)
        assert app.uncertainty is not before and app.uncertainty is not None
        await pilot.press("escape")
        rows = app.query_one(TotalsTable).rows
        assert any(r.label.strip() == "P10–P90" for r in rows)

    run(body)
