"""`estimate --max-total`: exit code 3 and by how much, through a subprocess; amounts parsed."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from costmodel.analysis.guardrails import parse_amount
from costmodel.model.errors import CostmodelError

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = str(ROOT / "tests" / "data" / "model_example.toml")
# Hand-checked totals of the example over 24 months: RAG 42,175.87 (cheapest), fine-tuning 270,775.7
RAG_TOTAL = 12000.4 + 24 * (870 + 4 * 50.008) + 0.00202 * 50000 * (1.05**24 - 1) / 0.05


def _estimate(*args):
    return subprocess.run(
        [sys.executable, "-m", "costmodel", "estimate", EXAMPLE, *args],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        check=False,
    )


def test_over_budget_exits_3_and_still_prints():
    done = _estimate("--format", "json", "--max-total", "40000")
    assert done.returncode == 3
    assert json.loads(done.stdout)["strategies"]["rag"]["total"] == pytest.approx(RAG_TOTAL, rel=1e-9)
    assert "RAG (cheapest) total over 24 months is USD 42,176" in done.stderr
    assert "above --max-total USD 40,000 by USD 2,176" in done.stderr


def test_within_budget_exits_0():
    done = _estimate("--format", "json", "--max-total", "50k")
    assert done.returncode == 0, done.stderr
    assert "guardrail ok" in done.stderr and "USD 7,824 under" in done.stderr


def test_named_strategy():
    done = _estimate("--format", "csv", "--max-total", "100,000", "--strategy", "fine_tune")
    assert done.returncode == 3
    assert "Fine-tuning total over 24 months is USD 270,776" in done.stderr
    assert _estimate("-f", "csv", "--max-total", "300000", "--strategy", "fine_tune").returncode == 0


def test_bad_amount_is_bad_input():
    done = _estimate("--max-total", "lots")
    assert done.returncode == 2 and done.stdout == ""
    assert "--max-total 'lots'" in done.stderr


@pytest.mark.parametrize(
    ("text", "amount"), [("50000", 50000), ("50,000", 50000), ("50_000.5", 50000.5), ("50k", 50000), ("1.5M", 1.5e6)]
)
def test_parse_amount(text, amount):
    assert parse_amount(text) == amount


@pytest.mark.parametrize("text", ["-5", "", "5 USD", "1e", "k"])
def test_parse_amount_refuses(text):
    with pytest.raises(CostmodelError):
        parse_amount(text)
