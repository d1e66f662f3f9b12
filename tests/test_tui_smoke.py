"""Random key presses, as an impatient person makes them, never crash the UI or break the estimate."""

from __future__ import annotations

import asyncio
import random
from pathlib import Path

import pytest

from costmodel import estimate
from costmodel.tui.app import CostmodelApp
from costmodel.tui.state import Document

pytestmark = pytest.mark.tui

# Everything but the keys that write files or quit.
KEYS = [
    "down",
    "up",
    "left",
    "right",
    "shift+right",
    "shift+left",
    "enter",
    "escape",
    "space",
    "r",
    "u",
    "s",
    "b",
    "f",
    "w",
    "c",
    "ctrl+z",
    "ctrl+y",
    "tab",
    "shift+tab",
    "f1",
    "ctrl+g",
    "ctrl+o",
    "1",
    "2",
    "0",
    "full_stop",
    "backspace",
    "pagedown",
    "pageup",
    "home",
    "end",
    "h",
    "j",
    "k",
    "l",
    "minus",
    "plus",
    "e",
    "x",
]


@pytest.mark.parametrize(("seed", "size"), [(1, (80, 24)), (2, (140, 45))])
def test_random_keys_leave_a_running_app_that_shows_the_engines_figures(
    seed: int, size: tuple[int, int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # a prompt that takes typed text never points at the project
    monkeypatch.setenv("COSTMODEL_TODAY", "2026-11-25")
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))  # recovery files
    rng = random.Random(seed)
    app = CostmodelApp(Document.open("support-assistant"))

    async def body() -> None:
        async with app.run_test(size=size) as pilot:
            for _ in range(80):
                await pilot.press(rng.choice(KEYS))
            await pilot.pause()
            assert app.is_running
            assert app.document is not None and app.estimate is not None
            assert app.estimate.strategies["rag"].total == estimate(app.document.scenario).strategies["rag"].total

    asyncio.run(body())
