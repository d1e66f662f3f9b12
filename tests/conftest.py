"""Shared fixtures: the hand-checkable scenarios in tests/data/."""

from __future__ import annotations

from pathlib import Path

import pytest

from costmodel.files.scenario_io import load_scenario
from costmodel.model.schema import Scenario

DATA = Path(__file__).parent / "data"


@pytest.fixture
def data_dir() -> Path:
    """Return the folder of test scenario files."""
    return DATA


@pytest.fixture
def simple() -> Scenario:
    """Return tests/data/simple.toml, whose figures are worked out by hand in test_engine.py."""
    return load_scenario(DATA / "simple.toml")


@pytest.fixture
def example() -> Scenario:
    """Return the scenario of docs/model.md's example block."""
    return load_scenario(DATA / "model_example.toml")


# Markers (registered in pyproject.toml): `tui` for every test of the terminal UI (the files
# test_tui_*.py), `slow` for the ones that start real terminals or processes (tmux, start-up
# timing), `property` for hypothesis properties (`fuzz` is the long fuzz run, excluded by
# default). `pytest -m "not tui"` runs everything else.
_SLOW_MODULES = {"test_tui_tmux", "test_tui_startup"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark each collected test by the file it lives in and by whether hypothesis drives it."""
    for item in items:
        module = item.path.stem
        if module.startswith("test_tui_"):
            item.add_marker(pytest.mark.tui)
        if module in _SLOW_MODULES:
            item.add_marker(pytest.mark.slow)
        function = getattr(item, "function", None)
        if function is not None and getattr(function, "is_hypothesis_test", False):
            item.add_marker(pytest.mark.property)


@pytest.fixture
def ui_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Fix today's date (price warnings, availability), hide user presets, keep recovery files in
    tmp_path/state, and work in tmp_path (save-as suggestions). UI test modules use it for every test."""
    monkeypatch.setenv("COSTMODEL_TODAY", "2026-11-25")
    monkeypatch.setenv("COSTMODEL_PRESETS_DIR", str(tmp_path / "user-presets"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.chdir(tmp_path)
