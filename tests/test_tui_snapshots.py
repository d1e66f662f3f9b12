"""SVG snapshots of the terminal UI (pytest-textual-snapshot): main screen, go-to picker, an edit,
a range with a total's formula, the breakdown tree (and one of a strategy not available), the Δ
columns, the keys panel with its glossary, the maximised monthly chart, the light theme, two
scenarios side by side, the chart's month cursor in ASCII, the unsaved-edits quit dialog, the
sensitivity list, the solver's answer to apply, the edited-fields filter, the report dialog and
the warnings panel, each at 80x24 and 160x50.

Regenerate after an intended change of the UI with
`pytest tests/test_tui_snapshots.py --snapshot-update`, then look at the SVGs in
tests/__snapshots__/test_tui_snapshots/ before committing them.

What keeps them deterministic:
- COSTMODEL_TODAY is fixed (price-age warnings depend on today's date);
- the scenario is the `support-assistant` preset written to `<tmp>/scenario.toml`: the title
  shows only the file's name, so the temporary folder never appears;
- every Input's cursor stops blinking as soon as it is focused (the editor and any picker);
- nothing is saved, so no notification (with a path or a timer) is on screen.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.events import DescendantFocus
from textual.pilot import Pilot
from textual.widgets import Input

from costmodel.files.scenario_io import load_scenario, save_scenario
from costmodel.tui import app as app_module
from costmodel.tui.app import CostmodelApp
from costmodel.tui.screens.confirm import ConfirmScreen
from costmodel.tui.screens.picker import PickerScreen
from costmodel.tui.state import Document
from costmodel.tui.widgets.chart import TimelineChart
from costmodel.tui.widgets.input_grid import InputGrid

pytestmark = pytest.mark.tui

TODAY = "2026-11-25"
PRESET = "support-assistant"
SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((160, 50), id="160x50")]

SnapCompare = Callable[..., bool]


class SnapshotApp(CostmodelApp):
    """The real app, with every text cursor kept steady (a blinking cursor makes screenshots flaky)."""

    # A relative CSS_PATH resolves next to the subclass's module: point at the app's own file.
    CSS_PATH = str(Path(app_module.__file__).with_name("app.tcss"))

    def on_descendant_focus(self, event: DescendantFocus) -> None:
        super().on_descendant_focus(event)
        if isinstance(event.widget, Input):
            event.widget.cursor_blink = False


@pytest.fixture
def scenario_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Return `<tmp>/scenario.toml` holding the preset, with today's date fixed for price warnings."""
    monkeypatch.setenv("COSTMODEL_TODAY", TODAY)
    monkeypatch.delenv("COSTMODEL_MAX_PRICE_AGE", raising=False)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))  # recovery files
    path = tmp_path / "scenario.toml"
    save_scenario(load_scenario(PRESET), path)
    return path


def make_app(path: Path) -> SnapshotApp:
    return SnapshotApp(Document.open(path))


async def wait_until(pilot: Pilot, condition: Callable[[], bool], what: str, timeout: float = 5.0) -> None:
    """Let the app run until `condition()` holds (screens pushed by workers appear a few frames later)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await pilot.pause(0.02)
    await pilot.pause()


async def settle(pilot: Pilot) -> None:
    """Let the first frame finish before the first key, as a person's first key always comes later.

    `run_before` runs before the app has painted once. With the earlier DataTable totals, a dialog
    opened at that instant covered the main screen while its start-up layout was still pending,
    and the totals behind the dialog came out garbled in the SVG; one pause avoids the race. The
    ranges' P10–P90 rows and the notes follow the point figures: they are waited for too.
    """
    await pilot.pause()
    app: Any = pilot.app
    await wait_until(pilot, lambda: app.settled, "the P10–P90 rows and the notes")


async def open_goto(pilot: Pilot, query: str) -> None:
    """Press ctrl+g and type `query` into the picker."""
    await settle(pilot)
    await pilot.press("ctrl+g")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, PickerScreen), "the go-to picker")
    await pilot.press(*query)
    await wait_until(
        pilot, lambda: pilot.app.screen.query_one("#picker-input", Input).value == query, "the typed query"
    )


async def edit_requests(pilot: Pilot, value: str = "120000") -> None:
    """Go to workload.requests_per_month (`req` ranks it first) and type a new value, as a person would."""
    await open_goto(pilot, "req")
    await pilot.press("enter")
    grid = pilot.app.query_one(InputGrid)
    await wait_until(
        pilot,
        lambda: (
            not isinstance(pilot.app.screen, PickerScreen)
            and grid.current_spec is not None
            and grid.current_spec.path == "workload.requests_per_month"
        ),
        "the cursor on requests_per_month",
    )
    await pilot.press(*value, "enter")
    app: Any = pilot.app
    await wait_until(pilot, lambda: app.document.scenario.workload.requests_per_month == int(value), "the edit")
    await wait_until(pilot, lambda: app.settled, "the P10–P90 rows and the notes")


# --- the snapshots ------------------------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES)
def test_main_screen(snap_compare: SnapCompare, scenario_file: Path, size: tuple[int, int]) -> None:
    """The scenario as opened: inputs, totals, notes and the cumulative chart."""
    assert snap_compare(make_app(scenario_file), terminal_size=size, run_before=settle)


@pytest.mark.parametrize("size", SIZES)
def test_goto_picker(snap_compare: SnapCompare, scenario_file: Path, size: tuple[int, int]) -> None:
    """ctrl+g and a typed query: the picker lists the fuzzy matches, best first, the first highlighted."""

    async def run_before(pilot: Pilot) -> None:
        await open_goto(pilot, "req")

    assert snap_compare(make_app(scenario_file), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_after_edit(snap_compare: SnapCompare, scenario_file: Path, size: tuple[int, int]) -> None:
    """requests_per_month set to 120,000: the row, the totals, the chart and the ● in the title follow."""
    assert snap_compare(make_app(scenario_file), terminal_size=size, run_before=edit_requests)


@pytest.mark.parametrize("size", SIZES)
def test_range_and_a_totals_formula(snap_compare: SnapCompare, scenario_file: Path, size: tuple[int, int]) -> None:
    """A range typed on requests (its median shown), P10–P90 rows (the totals scroll, with a hint at 80x24),
    and the formula bar showing the selected total's formula with the scenario's numbers."""

    async def run_before(pilot: Pilot) -> None:
        await edit_requests(pilot, "120000")
        app: Any = pilot.app
        await pilot.press(*"100k .. 160k", "enter")
        await wait_until(pilot, lambda: bool(app.document.scenario.ranges), "the range")
        await wait_until(pilot, lambda: app.settled, "the P10–P90 rows and the notes")
        table = app.query_one("#totals")
        table.focus()
        row = next(i for i, r in enumerate(table.rows) if r.label.startswith("Per request"))
        table.select(row, "rag")
        await pilot.pause()

    assert snap_compare(make_app(scenario_file), terminal_size=size, run_before=run_before)


def open_breakdown(strategy: str) -> Callable[[Pilot], Any]:
    """Return a run_before that selects `strategy`'s total and presses Enter (the breakdown tree)."""

    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        app: Any = pilot.app
        table = app.query_one("#totals")
        table.focus()
        row = next(i for i, r in enumerate(table.rows) if r.label.startswith("Total"))
        table.select(row, strategy)
        await pilot.press("enter")
        await wait_until(pilot, lambda: len(app.screen_stack) > 1, "the breakdown")

    return run_before


@pytest.mark.parametrize("size", SIZES)
def test_breakdown_tree(snap_compare: SnapCompare, scenario_file: Path, size: tuple[int, int]) -> None:
    """Enter on a total: the tree of its cost lines, each with its formula (numbers in) and amount."""
    assert snap_compare(make_app(scenario_file), terminal_size=size, run_before=open_breakdown("rag"))


@pytest.mark.parametrize("size", SIZES)
def test_breakdown_of_an_unavailable_strategy(
    snap_compare: SnapCompare, scenario_file: Path, size: tuple[int, int]
) -> None:
    """Fine-tuning's total on 2026-11-25: its tree says it is not available and why (gpt-4.1-mini's
    fine-tuning ends 2027-01-06, before the horizon does)."""
    assert snap_compare(make_app(scenario_file), terminal_size=size, run_before=open_breakdown("fine_tune"))


@pytest.mark.parametrize("size", SIZES)
def test_delta_columns(snap_compare: SnapCompare, scenario_file: Path, size: tuple[int, int]) -> None:
    """requests_per_month set to 120,000, then `d`: a Δ column beside each strategy's figures (at 80x24
    the columns scroll, the header says how many are out of sight)."""

    async def run_before(pilot: Pilot) -> None:
        await edit_requests(pilot)
        await pilot.press("d")
        app: Any = pilot.app
        await wait_until(pilot, lambda: any(r.deltas for r in app.query_one("#totals").rows), "the Δ columns")

    assert snap_compare(make_app(scenario_file), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_keys_and_glossary(snap_compare: SnapCompare, scenario_file: Path, size: tuple[int, int]) -> None:
    """F1: the keys panel with the glossary (d, h, all-in, Δ and the marks) at its top."""

    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        await pilot.press("f1")
        await wait_until(pilot, lambda: bool(pilot.app.screen.query("#glossary")), "the glossary")
        await settle(pilot)  # the notes follow the narrower window

    assert snap_compare(make_app(scenario_file), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_maximised_monthly_chart(snap_compare: SnapCompare, scenario_file: Path, size: tuple[int, int]) -> None:
    """`m` gives the chart the window, `c` switches it to the monthly cost."""

    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        await pilot.press("m", "c")
        chart = pilot.app.query_one(TimelineChart)
        await wait_until(pilot, lambda: chart.mode == "monthly", "the monthly chart")

    assert snap_compare(make_app(scenario_file), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_light_theme(snap_compare: SnapCompare, scenario_file: Path, size: tuple[int, int]) -> None:
    """The main screen in Textual's light theme (colours must stay readable on white)."""

    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        pilot.app.theme = "textual-light"
        await pilot.pause()

    assert snap_compare(make_app(scenario_file), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_quit_with_unsaved_edits(snap_compare: SnapCompare, scenario_file: Path, size: tuple[int, int]) -> None:
    """ctrl+q after an edit asks: Save, Discard and quit, or Cancel."""

    async def run_before(pilot: Pilot) -> None:
        await edit_requests(pilot)
        await pilot.press("ctrl+q")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, ConfirmScreen), "the quit dialog")

    assert snap_compare(make_app(scenario_file), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_two_scenarios_side_by_side(
    snap_compare: SnapCompare, scenario_file: Path, tmp_path: Path, size: tuple[int, int]
) -> None:
    """`costmodel tui A B`: B's figures and the Δ under each total, `≠` on the inputs that differ."""
    other = tmp_path / "h100.toml"
    save_scenario(load_scenario("support-assistant-h100"), other)
    app = SnapshotApp(Document.open(scenario_file), other=Document.open(other))
    assert snap_compare(app, terminal_size=size, run_before=settle)


@pytest.mark.parametrize("size", SIZES)
def test_chart_month_cursor_in_ascii(snap_compare: SnapCompare, scenario_file: Path, size: tuple[int, int]) -> None:
    """The chart focused and maximised: its month cursor and read-out, drawn in ASCII (no braille)."""

    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        chart = pilot.app.query_one(TimelineChart)
        chart.ascii = True
        chart.focus()
        await pilot.press("m", "right", "right", "right")
        await wait_until(pilot, lambda: chart.cursor == 4, "the cursor at month 4")

    assert snap_compare(make_app(scenario_file), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_sensitivity_panel(snap_compare: SnapCompare, scenario_file: Path, size: tuple[int, int]) -> None:
    """`s`: the inputs that swing the totals most, each with its low and high values (Enter jumps to it)."""

    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        await pilot.press("s")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, PickerScreen), "the sensitivity list", 30.0)
        await pilot.pause()

    assert snap_compare(make_app(scenario_file), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_solver_answer_to_apply(snap_compare: SnapCompare, scenario_file: Path, size: tuple[int, int]) -> None:
    """`b` on requests_per_month, RAG against the hybrid: the break-even value, rounded, offered to apply."""

    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        app: Any = pilot.app
        assert app.focus_field("workload.requests_per_month")
        await pilot.press("b")
        await wait_until(pilot, lambda: isinstance(app.screen, PickerScreen), "the inputs to solve for")
        await pilot.press("enter")
        await wait_until(
            pilot, lambda: isinstance(app.screen, PickerScreen) and "strategies" in app.screen._title, "the pairs"
        )
        await pilot.press(*"rag vs hybrid", "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen), "the answer", 30.0)

    assert snap_compare(make_app(scenario_file), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_edited_fields_only(snap_compare: SnapCompare, scenario_file: Path, size: tuple[int, int]) -> None:
    """After an edit, `E` shows only the edited fields (the section headings stay)."""

    async def run_before(pilot: Pilot) -> None:
        await edit_requests(pilot)
        await pilot.press("E")
        await pilot.pause()

    assert snap_compare(make_app(scenario_file), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_report_export_dialog(snap_compare: SnapCompare, scenario_file: Path, size: tuple[int, int]) -> None:
    """ctrl+r: the report is written to a path you choose (the formats it can take in the title).

    The dialog offers report.html in the working folder, selected; typing a path replaces it (the
    snapshot shows the typed one, as the working folder differs between machines).
    """

    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        await pilot.press("ctrl+r")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, PickerScreen), "the report dialog")
        await pilot.press(*"exports/plan.html")
        box = pilot.app.screen.query_one("#picker-input", Input)
        await wait_until(pilot, lambda: box.value == "exports/plan.html", "the typed path")

    assert snap_compare(make_app(scenario_file), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_warnings_panel(snap_compare: SnapCompare, scenario_file: Path, size: tuple[int, int]) -> None:
    """`w`: every warning, most serious first (the top one is also in the notes line)."""

    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        await pilot.press("w")
        await wait_until(pilot, lambda: len(pilot.app.screen_stack) > 1, "the warnings")
        await pilot.pause()

    assert snap_compare(make_app(scenario_file), terminal_size=size, run_before=run_before)
