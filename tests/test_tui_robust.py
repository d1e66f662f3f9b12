"""The UI never crashes and never loses work: the palette's paging bug, overflowing figures, crash recovery.

Pilot tests (headless); the tmux test that SIGKILLs the real process is in test_tui_tmux.py.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from textual import events
from textual.command import CommandList, CommandPalette
from textual.pilot import Pilot
from textual.widgets import Static
from textual.widgets.option_list import Option

from costmodel.files.scenario_io import load_scenario, save_scenario
from costmodel.model.errors import ScenarioError
from costmodel.tui.app import CostmodelApp
from costmodel.tui.recovery import differences, read_recovery, recovery_path
from costmodel.tui.screens.confirm import ConfirmScreen
from costmodel.tui.state import Document, EditError
from costmodel.tui.widgets.input_grid import InputGrid

pytestmark = [pytest.mark.tui, pytest.mark.usefixtures("ui_environment")]

DATA = Path(__file__).parent / "data"


@pytest.fixture
def scenario_file(tmp_path: Path) -> Path:
    path = tmp_path / "scenario.toml"
    save_scenario(load_scenario(DATA / "model_example.toml"), path)
    return path


def run(app: CostmodelApp, body, size: tuple[int, int] = (100, 30)) -> None:  # type: ignore[no-untyped-def]
    async def main() -> None:
        async with app.run_test(size=size) as pilot:
            await body(app, pilot)

    asyncio.run(main())


# --- the command palette's PageDown (KeyError inside Textual's option list) ------------------


def test_page_down_in_a_palette_list_not_yet_drawn_does_nothing() -> None:
    """The bug itself: options added and PageDown pressed before the list is drawn (no lines yet)."""

    async def body(app: CostmodelApp, pilot: Pilot[int]) -> None:
        await pilot.press("ctrl+p")
        await pilot.pause()
        commands = app.screen.query_one(CommandList)
        commands.clear_options()
        commands.add_options([Option(f"command {i}") for i in range(30)])
        commands.highlighted = 0
        commands.action_page_down()  # raised KeyError: 0 before the fix
        commands.action_page_up()
        await pilot.pause()
        commands.action_page_down()  # once drawn, paging works as before
        assert app.is_running

    run(CostmodelApp(Document.open("support-assistant")), body, (80, 24))


@pytest.mark.parametrize("delay", [0.0, 0.02])
def test_ctrl_p_then_page_down_at_once_keeps_the_app_running(delay: float) -> None:
    """Replays the key sequence as a terminal delivers it: ctrl+p, then PageDown before the palette is drawn."""

    async def body(app: CostmodelApp, pilot: Pilot[int]) -> None:
        app.post_message(events.Key("ctrl+p", None))
        await asyncio.sleep(delay)
        for _ in range(3):
            app.post_message(events.Key("pagedown", None))
        await pilot.pause(0.2)
        await pilot.press("pagedown", "pageup", "escape")
        await pilot.pause()
        assert not isinstance(app.screen, CommandPalette)

    app = CostmodelApp(Document.open("support-assistant"))
    run(app, body, (80, 24))
    assert app.return_code is None  # not ended by an exception


# --- figures that overflow -------------------------------------------------------------------


def test_a_value_whose_figures_overflow_is_refused_inline(scenario_file: Path) -> None:
    async def body(app: CostmodelApp, pilot: Pilot[int]) -> None:
        assert app.focus_field("workload.requests_per_month")
        await pilot.press(*"1e308", "enter")
        await pilot.pause()
        assert app.document.scenario.workload.requests_per_month == 50_000
        help_text = str(app.query_one("#field-help", Static).content)
        assert "refused" in help_text and "overflow" in help_text and "requests_per_month" in help_text
        await pilot.press("escape", "shift+right", "ctrl+z")
        assert app.is_running

    run(CostmodelApp(Document.open(scenario_file)), body)


def test_the_document_refuses_an_overflow_and_a_file_that_overflows_does_not_open(tmp_path: Path) -> None:
    doc = Document.open(DATA / "model_example.toml")
    with pytest.raises(EditError, match="overflow"):
        doc.set_text(doc.spec("workload.requests_per_month"), "1e308")
    scenario = load_scenario(DATA / "model_example.toml")
    huge = scenario.model_copy(update={"workload": scenario.workload.model_copy(update={"requests_per_month": 1e308})})
    path = tmp_path / "huge.toml"
    save_scenario(huge, path)
    with pytest.raises(ScenarioError, match="overflow"):
        Document.open(path)


# --- crash recovery --------------------------------------------------------------------------


def test_unsaved_edits_are_kept_offered_again_and_removed_by_a_save(scenario_file: Path) -> None:
    async def edit(app: CostmodelApp, pilot: Pilot[int]) -> None:
        assert app.focus_field("workload.requests_per_month")
        await pilot.press(*"120k", "enter")
        await pilot.pause()
        # The write is scheduled about a second later (on a slow machine it may have run already) ...
        assert app._recovery_timer is not None or read_recovery(scenario_file) is not None
        app._write_recovery()  # ... and done now, as the timer would

    run(CostmodelApp(Document.open(scenario_file)), edit)
    # The session "crashed": the app ended without a save or a quit.
    kept = read_recovery(scenario_file)
    assert kept is not None and kept.workload.requests_per_month == 120_000
    assert recovery_path(scenario_file).is_relative_to(Path.cwd() / "state")
    assert differences(load_scenario(scenario_file), kept) == ["workload.requests_per_month: 50,000 → 120,000"]

    async def restore(app: CostmodelApp, pilot: Pilot[int]) -> None:
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert "workload.requests_per_month: 50,000 → 120,000" in str(app.screen.query_one("#confirm-message").content)
        await pilot.press("r")
        await pilot.pause()
        assert app.document.scenario.workload.requests_per_month == 120_000
        assert app.document.modified
        assert app.query_one(InputGrid).shown_value("workload.requests_per_month") == "120,000"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not app.document.modified

    run(CostmodelApp(Document.open(scenario_file)), restore)
    assert load_scenario(scenario_file).workload.requests_per_month == 120_000
    assert not recovery_path(scenario_file).exists()


def test_discarding_the_offer_or_quitting_removes_the_recovery_file(scenario_file: Path) -> None:
    async def edit_and_quit(app: CostmodelApp, pilot: Pilot[int]) -> None:
        assert app.focus_field("workload.requests_per_month")
        await pilot.press("right")
        app._write_recovery()
        assert recovery_path(scenario_file).exists()
        await pilot.press("ctrl+q")
        await pilot.pause()
        await pilot.press("d")  # discard and quit
        await pilot.pause()

    run(CostmodelApp(Document.open(scenario_file)), edit_and_quit)
    assert not recovery_path(scenario_file).exists()

    async def edit(app: CostmodelApp, pilot: Pilot[int]) -> None:
        assert app.focus_field("workload.requests_per_month")
        await pilot.press("right")
        app._write_recovery()

    run(CostmodelApp(Document.open(scenario_file)), edit)

    async def discard(app: CostmodelApp, pilot: Pilot[int]) -> None:
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("d")
        await pilot.pause()
        assert not app.document.modified

    run(CostmodelApp(Document.open(scenario_file)), discard)
    assert not recovery_path(scenario_file).exists()


# --- opening never freezes -------------------------------------------------------------------


def test_a_fifo_is_explained_at_once_instead_of_freezing_on_opening(tmp_path: Path) -> None:
    import os

    fifo = tmp_path / "scenario.toml"
    os.mkfifo(fifo)

    async def body(app: CostmodelApp, pilot: Pilot[int]) -> None:
        for _ in range(50):
            await pilot.pause(0.05)
            if isinstance(app.screen, ConfirmScreen):
                break
        assert isinstance(app.screen, ConfirmScreen)
        assert "not a regular file" in str(app.screen.query_one("#confirm-message").content)
        await pilot.press("q")

    app = CostmodelApp(ref=fifo)
    run(app, body)
    assert app.return_code == 2


def test_a_read_that_hangs_gives_up_after_the_time_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    from costmodel.tui import opening

    release = threading.Event()
    monkeypatch.setattr(Document, "open", classmethod(lambda cls, ref: release.wait(5)))
    try:
        with pytest.raises(ScenarioError, match="gave up"):
            asyncio.run(opening.open_document("support-assistant", timeout=0.05))
    finally:
        release.set()


def test_the_palette_shows_each_command_with_its_key() -> None:
    async def body(app: CostmodelApp, pilot: Pilot[int]) -> None:
        titles = [str(c.title) for c in app.get_system_commands(app.screen)]
        assert "Sensitivity  · s" in titles and "Search fields…  · /" in titles and "Save  · ctrl+s" in titles
        await pilot.press("ctrl+p", *"sensitiv")
        await pilot.pause(0.3)
        prompts = [str(o.prompt) for o in app.screen.query_one(CommandList).options]
        assert any("· s" in p for p in prompts), prompts

    run(CostmodelApp(Document.open("support-assistant")), body, (80, 24))
