"""The documented Python API: load_scenario, estimate, sweep, diff from the package root."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from pydantic import BaseModel

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "tests" / "data" / "model_example.toml"


def test_public_api_round_trip():
    from costmodel import SweepResult, diff, estimate, load_scenario, sweep

    scenario = load_scenario(EXAMPLE)
    assert isinstance(scenario, BaseModel)
    est = estimate(scenario)
    result = sweep(scenario, {"workload.requests_per_month": [1000, 50000]})
    assert (
        result.points[1].strategies["rag"].total == est.strategies["rag"].total
        or abs(result.points[1].strategies["rag"].total - est.strategies["rag"].total)
        <= 1e-12 * est.strategies["rag"].total
    )
    assert SweepResult.model_validate_json(result.model_dump_json()) == result
    change = diff(scenario, load_scenario(EXAMPLE, ["team.engineer_day_rate=1000"]))
    assert isinstance(change, BaseModel)
    assert change.strategies["rag"].upfront.delta == 15 * 200


def test_core_does_not_import_textual_or_rich():
    code = "import sys, costmodel, costmodel.files.batch; print('textual' in sys.modules, 'rich' in sys.modules)"
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env={"PYTHONPATH": str(ROOT)}, check=True
    )
    assert done.stdout.split() == ["False", "False"]
