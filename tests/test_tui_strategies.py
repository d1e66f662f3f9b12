"""Every column, series, marker and label follows `estimate.strategies`: a fourth strategy needs no UI change."""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import date
from pathlib import Path

import pytest
from textual.widgets import Static

from costmodel.files.scenario_io import load_scenario
from costmodel.model.engine import Estimate, estimate
from costmodel.model.names import INFO
from costmodel.tui.app import CostmodelApp
from costmodel.tui.chart_render import chart_data, chart_runs, markers
from costmodel.tui.state import Document
from costmodel.tui.widgets.chart import TimelineChart
from costmodel.tui.widgets.totals import TotalsTable, totals_rows

pytestmark = pytest.mark.tui


def four_strategies() -> Estimate:
    """The support-assistant estimate with a made-up fourth strategy, `long_context` (a copy of RAG's figures)."""
    est = estimate(load_scenario("support-assistant").model_copy(update={"ranges": {}}))
    strategies = {**est.strategies, "long_context": est.strategies["rag"]._replace(name="long_context")}
    return dataclasses.replace(est, strategies=strategies)


def test_the_totals_have_a_column_per_strategy_in_the_estimates_order() -> None:
    est = four_strategies()
    rows = totals_rows(est, wide=True)
    assert all(len(row.texts) == 4 for row in rows)
    total = next(r for r in rows if r.figure == "total")
    assert total.texts[3] == total.texts[0]  # the copy of RAG's figures, in the fourth column


def test_the_chart_draws_and_names_a_fourth_series() -> None:
    est = four_strategies()
    assert markers(list(est.strategies)) == {"rag": "R", "fine_tune": "F", "hybrid": "H", "long_context": "L"}
    lines = ["".join(t for t, _ in runs) for runs in chart_runs(chart_data(est), 120, 16)]
    assert "L Long context" in lines[0]  # its marker letter and its name (names.py gives the label once it has one)
    roles = {role for runs in chart_runs(chart_data(est), 120, 16) for _, role in runs}
    assert "long_context" in roles


# --- the app, driven headless: availability and a fourth strategy from a preset ------------------


@pytest.fixture
def _dated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Fix the run's date (gpt-4.1-mini's fine-tuning ends 2027-01-06), hide user presets and recovery files."""
    monkeypatch.setenv("COSTMODEL_TODAY", "2026-11-25")
    monkeypatch.setenv("COSTMODEL_PRESETS_DIR", str(tmp_path / "user-presets"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.chdir(tmp_path)


def _drive(ref: str) -> dict[str, object]:
    """Open `ref` in the app at 160x50 and return what its totals, notes and warnings show."""
    app = CostmodelApp(Document.open(ref))
    seen: dict[str, object] = {}

    async def run() -> None:
        async with app.run_test(size=(160, 50)) as pilot:
            await pilot.pause()
            table = app.query_one(TotalsTable)
            seen["names"] = table.strategies
            seen["headers"] = {name: table._header_text(name) for name in table.strategies}
            seen["notes"] = str(app.query_one("#notes", Static).content)
            seen["warnings"] = app.warnings()
            seen["estimate"] = app.estimate

    asyncio.run(run())
    return seen


@pytest.mark.usefixtures("_dated")
def test_an_unavailable_strategy_is_marked_and_the_star_goes_to_the_cheapest_available() -> None:
    seen = _drive("support-assistant")
    est = seen["estimate"]
    assert isinstance(est, Estimate)
    assert est == estimate(load_scenario("support-assistant"), today=date(2026, 11, 25))  # the app dates it
    assert not est.strategies["fine_tune"].available and not est.strategies["hybrid"].available
    headers = seen["headers"]
    assert isinstance(headers, dict)
    assert headers["fine_tune"] == "✗ Fine-tuning" and headers["hybrid"] == "✗ Hybrid"
    assert headers[est.cheapest].startswith("★ ") and est.strategies[est.cheapest].available
    assert sum(h.startswith("★") for h in headers.values()) == 1
    warnings = seen["warnings"]
    assert isinstance(warnings, list)
    note = "✗ Fine-tuning not available: fine-tuning of gpt-4.1-mini ends 2027-01-06"
    assert warnings[0] == note
    assert not [w for w in warnings if " is not available: " in w]  # said once, shortly
    assert "✗" in str(seen["notes"])


@pytest.mark.usefixtures("_dated")
def test_a_long_context_preset_gets_its_column_star_and_series_without_tui_code() -> None:
    seen = _drive("policy-handbook")
    est = seen["estimate"]
    assert isinstance(est, Estimate)
    assert "long_context" in est.strategies
    assert seen["names"] == tuple(est.strategies)
    headers = seen["headers"]
    assert isinstance(headers, dict)
    assert headers["long_context"] == ("★ Long context" if est.cheapest == "long_context" else "Long context")
    assert est.cheapest == "long_context"
    assert "timeline-chart--long-context" in TimelineChart.COMPONENT_CLASSES


def test_a_horizon_without_requests_shows_no_cost_per_1k_and_no_crash() -> None:
    """`cost_per_1k_requests` is None with no requests: the totals show `-`, its breakdown says why."""
    from costmodel.tui.formulas import figure_lines

    scenario = load_scenario("support-assistant", ["workload.requests_per_month=0", "workload.monthly_growth=0"])
    scenario = scenario.model_copy(update={"ranges": {}})
    est = estimate(scenario)
    assert all(s.cost_per_1k_requests is None for s in est.strategies.values())
    row = next(r for r in totals_rows(est, wide=True) if r.figure == "per_1k")
    assert set(row.texts) == {"-"}
    line = figure_lines(scenario, est, "rag", "per_1k")
    assert line.amount == "-" and "no requests" in line.formula


def test_the_chart_legend_marks_an_unavailable_strategy() -> None:
    est = estimate(load_scenario("support-assistant").model_copy(update={"ranges": {}}), today=date(2026, 11, 25))
    legend = "".join(t for t, _ in chart_runs(chart_data(est), 160, 16)[0])
    assert "✗ Fine-tuning" in legend and "✗ Hybrid" in legend and f"★ {INFO[est.cheapest].label}" in legend


def _breakdown_text(ref: str, strategy: str, overrides: tuple[str, ...] = ()) -> tuple[str, str]:
    """Open `ref` at 160x50, press Enter on `strategy`'s total; return the panel's text and the notes."""
    import io

    from rich.console import Console

    from costmodel.tui.screens.text import TextScreen

    scenario = load_scenario(ref, list(overrides))
    app = CostmodelApp(Document(scenario))
    seen: dict[str, str] = {}

    async def run() -> None:
        async with app.run_test(size=(160, 50)) as pilot:
            await pilot.pause()
            seen["notes"] = str(app.query_one("#notes", Static).content)
            table = app.query_one(TotalsTable)
            table.focus()
            table.select(next(i for i, r in enumerate(table.rows) if r.figure == "total"), strategy)
            await pilot.press("enter")
            assert isinstance(app.screen, TextScreen)
            console = Console(width=160, file=io.StringIO(), record=True)
            console.print(app.screen.query_one("#text-content", Static).content)
            seen["panel"] = console.export_text()

    asyncio.run(run())
    return seen["panel"], seen["notes"]


@pytest.mark.usefixtures("_dated")
def test_the_breakdown_of_an_unavailable_strategy_says_why_it_is_not_available() -> None:
    panel, _ = _breakdown_text("support-assistant", "fine_tune")
    lines = panel.splitlines()
    assert lines[0].startswith("Total 24 mo = $")
    assert "✗ not available: fine-tuning of gpt-4.1-mini ends 2027-01-06" in lines[:4]
    available, _ = _breakdown_text("support-assistant", "rag")
    assert "not available" not in available


@pytest.mark.usefixtures("_dated")
def test_the_notes_star_no_strategy_when_none_is_available() -> None:
    withdrawn = ('models."gpt-4.1".available_until=2027-06-30',)  # RAG's model, before the horizon ends
    est = estimate(load_scenario("support-assistant", list(withdrawn)), today=date(2026, 11, 25))
    assert not any(s.available for s in est.strategies.values())
    _, notes = _breakdown_text("support-assistant", "rag", withdrawn)
    assert "★" not in notes
    assert "✗ no strategy is available for the whole 24-month horizon, so none is recommended" in notes
    _, some = _breakdown_text("support-assistant", "rag")
    assert "★" in some and "no strategy is available" not in some
