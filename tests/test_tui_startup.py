"""How the UI starts: the window first, then the scenario; a scenario that cannot be opened is explained.

The app module must import without pydantic, the schema or the engine (they load right after
the first frame), and a file or preset that does not exist is refused before the UI starts.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path

import pytest

from costmodel import estimate, load_scenario
from costmodel.tui import run
from costmodel.tui.app import CostmodelApp
from costmodel.tui.screens.confirm import ConfirmScreen
from costmodel.tui.widgets.totals import TotalsTable

pytestmark = pytest.mark.tui

SIZE = (120, 40)


@pytest.fixture(autouse=True)
def _fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COSTMODEL_TODAY", "2026-11-25")


def test_the_app_module_imports_without_pydantic_or_the_engine() -> None:
    code = (
        "import sys, costmodel.tui.app\n"
        "heavy = [m for m in ('pydantic', 'costmodel.model.schema', 'costmodel.model.engine', 'numpy',\n"
        "         'matplotlib')\n"
        "         if m in sys.modules]\n"
        "print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_a_scenario_named_by_ref_opens_after_the_first_frame() -> None:
    app = CostmodelApp(ref="support-assistant")

    async def body() -> None:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            for _ in range(50):
                if app.document is not None:
                    break
                await pilot.pause(0.02)
            assert app.document is not None
            await pilot.pause()
            expected = estimate(load_scenario("support-assistant"))
            assert app.estimate is not None and app.estimate.strategies["rag"].total == expected.strategies["rag"].total
            assert app.query_one(TotalsTable).rows, "the totals are shown"
            assert "support-assistant.toml" in app.title

    asyncio.run(body())


def test_a_file_that_is_not_a_scenario_is_explained_and_quitting_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[workload\nrequests_per_month = 1\n", encoding="utf-8")
    app = CostmodelApp(ref=str(bad))

    async def body() -> None:
        async with app.run_test(size=SIZE) as pilot:
            for _ in range(50):
                if isinstance(app.screen, ConfirmScreen):
                    break
                await pilot.pause(0.02)
            assert isinstance(app.screen, ConfirmScreen)
            await pilot.pause()
            message = str(app.screen.query_one("#confirm-message").render())
            assert "bad.toml:1" in message and "TOML syntax error" in message
            await pilot.press("q")  # the dialog's Quit
            await pilot.pause()

    asyncio.run(body())
    assert app.return_code == 2
    assert app.error_message is not None and "bad.toml:1" in app.error_message


def test_a_missing_file_or_preset_is_refused_before_the_ui_starts(capsys: pytest.CaptureFixture[str]) -> None:
    assert run("no-such-file.toml") == 2
    assert "no-such-file.toml: no such file" in capsys.readouterr().err
    assert run("no-such-preset") == 2
    assert "no-such-preset" in capsys.readouterr().err
