"""Diff: changed inputs, hand-checked changes of each strategy's figures, cheapest flips, the faces."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import BaseModel

from costmodel import DiffResult, diff, load_scenario

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "tests" / "data" / "model_example.toml"
GROWTH_SUM = (1.05**24 - 1) / 0.05  # sum over 24 months of 1.05**(m-1)


def test_diff_hand_checked():
    old = load_scenario(EXAMPLE)
    new = load_scenario(EXAMPLE, ["workload.requests_per_month=100000", "rag.hosting_per_month=170"])
    result = diff(old, new)
    assert isinstance(result, DiffResult) and isinstance(result, BaseModel)
    assert [(c.path, c.old, c.new) for c in result.changes] == [
        ("workload.requests_per_month", 50000.0, 100000.0),
        ("rag.hosting_per_month", 70.0, 170.0),
    ]
    rag = result.strategies["rag"]
    assert rag.upfront.delta == 0 and rag.per_request.delta == 0
    # month 1: +100 hosting and +50,000 requests at 0.00202 each
    assert rag.monthly.delta == pytest.approx(100 + 50000 * 0.00202, rel=1e-12)
    # total: 24 months of +100 and 50,000 more requests growing 5 % a month
    assert rag.total.delta == pytest.approx(24 * 100 + 0.00202 * 50000 * GROWTH_SUM, rel=1e-9)
    assert rag.total.old == pytest.approx(42175.87, abs=0.01)
    assert rag.total.percent == pytest.approx(100 * rag.total.delta / rag.total.old)
    ft = result.strategies["fine_tune"]
    # fine-tune per request: (600-200)*0.8/1e6 + 300*3.2/1e6 = 0.00128
    assert ft.total.delta == pytest.approx(0.00128 * 50000 * GROWTH_SUM, rel=1e-9)
    assert ft.monthly.delta == pytest.approx(0.00128 * 50000, rel=1e-12)
    assert not result.cheapest_flipped and result.old_cheapest == result.new_cheapest == "rag"


def test_diff_detects_a_flip_and_identical_inputs():
    old = load_scenario(EXAMPLE)
    new = load_scenario(EXAMPLE, ["knowledge.updates_per_month=0", "workload.requests_per_month=1000000"])
    result = diff(old, new)
    assert result.cheapest_flipped and (result.old_cheapest, result.new_cheapest) == ("rag", "fine_tune")
    same = diff(old, old)
    assert same.changes == [] and all(s.total.delta == 0 for s in same.strategies.values())


def _run(*args):
    return subprocess.run(
        [sys.executable, "-m", "costmodel", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "COLUMNS": "120"},
        check=False,
    )


def test_diff_cli_markdown_and_fail_on_flip():
    done = _run(
        "diff", str(EXAMPLE), str(EXAMPLE), "--set", "knowledge.updates_per_month=0",
        "--set", "workload.requests_per_month=1000000", "--format", "markdown", "--fail-on-flip",
    )  # fmt: skip
    assert done.returncode == 3, done.stderr
    out = done.stdout
    assert "**The cheapest strategy flips: RAG -> Fine-tuning**" in out
    assert "| Strategy | Figure | Before | After | Change |" in out
    assert "| `workload.requests_per_month` | 50,000 | 1,000,000 |" in out
    assert "| `knowledge.updates_per_month` | 4 | 0 |" in out
    assert "| RAG | Upfront | USD 12,000 | USD 12,000 | no change |" in out
    assert "flips from RAG to Fine-tuning" in done.stderr


def test_diff_cli_json_and_table():
    done = _run("diff", str(EXAMPLE), str(EXAMPLE), "--set", "rag.hosting_per_month=170", "-f", "json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["changes"] == [{"path": "rag.hosting_per_month", "old": 70.0, "new": 170.0}]
    assert data["strategies"]["rag"]["total"]["delta"] == pytest.approx(2400.0)
    assert data["cheapest_flipped"] is False
    table = _run("diff", str(EXAMPLE), str(EXAMPLE), "--set", "rag.hosting_per_month=170")
    assert table.returncode == 0
    assert "rag.hosting_per_month" in table.stdout and "+USD 2,400" in table.stdout
    assert "The cheapest strategy stays RAG" in table.stdout
