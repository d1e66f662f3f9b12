"""Every regular expression that reads user text runs in linear time: 100 kB of adversarial text in well under 1 s.

The one timed test of the suite: the bound is generous (quadratic backtracking on these
inputs takes minutes), so a slow shared machine does not make it flaky.
"""

from __future__ import annotations

import contextlib
import time

import pytest

from costmodel.analysis import guardrails, sweeps
from costmodel.files import fasttoml
from costmodel.files.reading import parse_toml
from costmodel.files.tomltext import key_lines
from costmodel.model.errors import CostmodelError

N = 100_000
BOUND = 1.0

ADVERSARIAL = {
    "spaces then junk": " " * N + "x",
    "digits then junk": "1" * N + "x",
    "digits and commas": "1," * (N // 2) + "x",
    "digits and underscores": "1_" * (N // 2) + "x",
    "open bracket and spaces": "[" + " " * N + "x",
    "dotted keys": "[" + "a." * (N // 2),
    "dotted key with a value": "a." * (N // 2) + "b = 1",
    "key then spaces": "a" + " " * N + "=" + " " * N,
    "range-like": "1" * (N // 2) + ":" + "1" * (N // 2) + ":",
    "exponents": "1e" * (N // 2),
}


def _timed(call, text: str) -> float:
    start = time.perf_counter()
    with contextlib.suppress(CostmodelError, ValueError):
        call(text)
    return time.perf_counter() - start


@pytest.mark.parametrize("name", sorted(ADVERSARIAL))
def test_patterns_are_linear(name):
    text = ADVERSARIAL[name]
    calls = {
        "guardrails._AMOUNT": lambda t: guardrails._AMOUNT.fullmatch(t.strip()),
        "parse_amount": guardrails.parse_amount,
        "sweeps._RANGE": lambda t: sweeps._RANGE.fullmatch(t),
        "parse_spec": sweeps.parse_spec,
        "fasttoml._LINES": lambda t: fasttoml._LINES.findall(t),
        "loads_fast": fasttoml.loads_fast,
        "key_lines": key_lines,
        "key_lines in a multi-line string": lambda t: key_lines('d = """\n' + t + '\n"""\n[x]\n'),
        "parse_toml": lambda t: parse_toml(t, "adversarial.toml"),
    }
    for label, call in calls.items():
        assert _timed(call, text) < BOUND, f"{label} on {name}"
