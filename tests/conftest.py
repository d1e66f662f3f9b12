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
