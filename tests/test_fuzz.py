"""Fuzzing: mutated scenario text and option values either give finite figures or the project's own located error.

Every mutated file is loaded and estimated twice, by `estimate`'s path (load_document +
finite_estimate) and by `batch`'s (iter_batch): both succeed with the same finite figures,
or both fail with a CostmodelError. The default run is short; `pytest -m fuzz` runs the
long one (docs/reliability.md).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from costmodel.cli.main import main
from costmodel.files.batch import iter_batch
from costmodel.files.loader import estimate_document, load_document
from costmodel.model.errors import CostmodelError
from costmodel.model.finite import first_non_finite

ROOT = Path(__file__).resolve().parent.parent
TEXTS = [
    (ROOT / "tests" / "data" / "model_example.toml").read_text(encoding="utf-8"),
    (ROOT / "presets" / "support-assistant.toml").read_text(encoding="utf-8"),
]
ODD_VALUES = [
    "1e308",
    "-1",
    "0",
    "true",
    '"x"',
    '"80000"',
    "1" * 5000,
    "[" * 50 + "]" * 50,
    "{ low = 1, high = 1e308 }",
    "{ low = 5, high = 1 }",
    "nan",
    "inf",
    "1.5",
    '"\\u001b[2J"',
    "[]",
    "{}",
    "2026-01-01",
]
SHORT = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
LONG = settings(max_examples=20_000, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@st.composite
def mutated(draw) -> bytes:
    """Return a valid scenario's bytes with a few structural or byte-level mutations."""
    text = draw(st.sampled_from(TEXTS))
    lines = text.split("\n")
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["value", "drop", "dup", "swap", "byte", "insert", "header"]))
        i = draw(st.integers(0, len(lines) - 1))
        if kind == "value" and "=" in lines[i]:
            lines[i] = lines[i].split("=", 1)[0] + "= " + draw(st.sampled_from(ODD_VALUES))
        elif kind == "drop":
            del lines[i]
        elif kind == "dup":
            lines.insert(i, lines[i])
        elif kind == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif kind == "insert":
            lines.insert(i, draw(st.text(max_size=30)))
        elif kind == "header":
            lines.insert(i, "[" + draw(st.sampled_from(["workload", "models.x", "rag.self_host", "needs", "x"])) + "]")
        if not lines:
            lines = [""]
    data = bytearray("\n".join(lines).encode("utf-8"))
    if draw(st.booleans()) and data:
        for _ in range(draw(st.integers(1, 3))):
            data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
    return bytes(data)


def _outcome_estimate(path: Path):
    try:
        return estimate_document(load_document(path))
    except CostmodelError as exc:
        assert str(exc).strip(), "an error without a message"
        return exc


def _check(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "fuzz.toml"
    path.write_bytes(data)
    est = _outcome_estimate(path)
    (item,) = list(iter_batch([str(path)]))
    if isinstance(est, CostmodelError):
        assert item.error is not None, "estimate failed where batch succeeded"
        assert str(path) in str(est) or "--set" in str(est) or "preset" in str(est), f"error without a place: {est}"
    else:
        assert item.error is None, f"batch failed where estimate succeeded: {item.error}"
        assert item.estimate == est
        assert first_non_finite(est) is None


@SHORT
@given(mutated())
def test_mutated_files(tmp_path, data):
    _check(tmp_path, data)


@pytest.mark.fuzz
@LONG
@given(mutated())
def test_mutated_files_long(tmp_path, data):
    _check(tmp_path, data)


OPTION_VALUES = st.one_of(
    st.sampled_from(["0", "-1", "1e308", "1e999", "nan", "abc", "1" * 5000, "", "120", "121", "1.5", "\x1b[2J"]),
    st.text(max_size=20),
)


def _run_options(capsys, argv: list[str]) -> None:
    try:
        code = main(argv)
    except SystemExit as exc:  # argparse's usage errors
        code = exc.code
    out, err = capsys.readouterr()
    assert code in (0, 2, 3), err  # 3: the --max-total guardrail tripped
    assert "Traceback" not in err and (code != 2 or len(err.splitlines()) <= 8)
    if code != 2:
        for word in ("inf", "nan", "Infinity"):
            assert f",{word}" not in out and f" {word}" not in out


@SHORT
@given(st.sampled_from(["--months", "--samples", "--max-total", "--set", "--max-price-age", "--today"]), OPTION_VALUES)
def test_option_values(capsys, option, value):
    example = str(ROOT / "tests" / "data" / "model_example.toml")
    extra = ["workload.requests_per_month=" + value] if option == "--set" else [value]
    _run_options(capsys, ["estimate", example, option, *extra, "-f", "csv"])
