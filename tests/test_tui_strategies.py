"""Every column, series, marker and label follows `estimate.strategies`: a fourth strategy needs no UI change."""

from __future__ import annotations

import dataclasses

import pytest

from costmodel.files.scenario_io import load_scenario
from costmodel.model.engine import Estimate, estimate
from costmodel.tui.chart_render import chart_data, chart_runs, markers
from costmodel.tui.widgets.totals import totals_rows

pytestmark = pytest.mark.tui


def four_strategies() -> Estimate:
    """The support-assistant estimate with a made-up fourth strategy, `long_context` (a copy of RAG's figures)."""
    est = estimate(load_scenario("support-assistant").model_copy(update={"ranges": {}}))
    strategies = {**est.strategies, "long_context": est.strategies["rag"]._replace(name="long_context")}
    return dataclasses.replace(est, strategies=strategies)


def test_the_totals_have_a_column_per_strategy_in_the_estimates_order() -> None:
    est = four_strategies()
    rows = totals_rows(est, wide=True)
    assert all(len(row.texts) == 4 for row in rows)
    total = next(r for r in rows if r.figure == "total")
    assert total.texts[3] == total.texts[0]  # the copy of RAG's figures, in the fourth column


def test_the_chart_draws_and_names_a_fourth_series() -> None:
    est = four_strategies()
    assert markers(list(est.strategies)) == {"rag": "R", "fine_tune": "F", "hybrid": "H", "long_context": "L"}
    lines = ["".join(t for t, _ in runs) for runs in chart_runs(chart_data(est), 120, 16)]
    assert "L Long context" in lines[0]  # its marker letter and its name (names.py gives the label once it has one)
    roles = {role for runs in chart_runs(chart_data(est), 120, 16) for _, role in runs}
    assert "long_context" in roles
