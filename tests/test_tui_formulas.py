"""The formula bar's formulas: the scenario's numbers in the engine's formulas, token counts with their unit."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from costmodel.files.scenario_io import load_scenario
from costmodel.model.engine import estimate
from costmodel.model.names import ALL_STRATEGIES
from costmodel.tui import formulas
from costmodel.tui.formulas import TOKEN_UNIT, figure_formula, figure_lines

pytestmark = pytest.mark.tui

DATA = Path(__file__).parent / "data"


def _example() -> tuple[object, object]:
    scenario = load_scenario(DATA / "model_example.toml").model_copy(update={"ranges": {}})
    return scenario, estimate(scenario)


def test_a_per_request_formula_gives_token_counts_their_unit() -> None:
    scenario, est = _example()
    # (prompt_tokens + retrieved_tokens) × input price + output_tokens × output price + retrieval_per_1k / 1000
    assert figure_formula(scenario, est, "rag", "per_request") == (
        f"(600 + 2,000) {TOKEN_UNIT} × $0.40/M + 300 {TOKEN_UNIT} × $1.60/M + 0.5 / 1000 = $0.00202"
    )


def test_token_counts_outside_a_bracket_carry_the_unit_each() -> None:
    scenario, est = _example()
    formula = figure_formula(scenario, est, "fine_tune", "per_request")
    assert formula.startswith(f"max(600 {TOKEN_UNIT} - 200 {TOKEN_UNIT}, 0) × $0.80/M + 300 {TOKEN_UNIT} × $3.20/M")
    upfront = figure_formula(scenario, est, "rag", "upfront")
    assert f"20,000,000 {TOKEN_UNIT} × $0.02/M" in upfront
    assert "15 × 800" in upfront  # days and day rates are no tokens


def test_no_marks_are_left_in_any_breakdown_line() -> None:
    scenario, est = _example()

    def walk(line: formulas.CostLine) -> None:
        assert "\x00" not in line.formula and "\x01" not in line.formula
        for child in line.children:
            walk(child)

    for name in est.strategies:
        for figure in ("upfront", "per_update", "per_request", "monthly_fixed", "total", "per_1k", "month:1"):
            walk(figure_lines(scenario, est, name, figure))


def test_formulas_name_no_strategy_by_a_literal() -> None:
    """The shared tables (retrieval, fine-tuning) come from the registry's roles, not from strings."""
    tree = ast.parse(Path(formulas.__file__).read_text())
    literals = {node.value for node in ast.walk(tree) if isinstance(node, ast.Constant) and isinstance(node.value, str)}
    assert not literals & set(ALL_STRATEGIES)
