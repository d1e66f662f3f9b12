"""Properties of the decision explained and the staffing check over the whole input space (hypothesis)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_properties import scenarios

from costmodel.analysis.decision import explain_decision
from costmodel.analysis.staffing import staffing
from costmodel.model.engine import estimate
from costmodel.model.inputs import replace_values
from costmodel.model.schema import Scenario

SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(scenarios())
def test_the_lines_add_up_to_the_margin_and_the_winner_is_cheapest(s: Scenario) -> None:
    est = estimate(s)
    d = explain_decision(s, est)
    totals = {n: x.total for n, x in est.strategies.items()}
    assert d.winner == est.cheapest and all(totals[d.winner] <= t for t in totals.values())
    assert d.runner_up is not None and d.runner_up != d.winner
    assert d.margin is not None and d.margin >= 0
    assert d.margin == totals[d.runner_up] - totals[d.winner]
    assert all(totals[d.runner_up] <= t for n, t in totals.items() if n != d.winner)
    scale = max(abs(t) for t in totals.values()) + 1.0
    assert abs(sum(c.amount for c in d.lines) + d.margin) <= 1e-9 * scale
    # MODEL.md v1 figures are the cost lines exactly: nothing is left over.
    assert d.remainder == 0.0
    assert len(d.named) <= 3 and all(c in d.lines for c in d.named)
    assert d.sentence.startswith(("RAG", "Fine-tuning", "Hybrid"))


@SETTINGS
@given(scenarios(), st.floats(0, 20))
def test_staffing_is_non_negative_and_warns_exactly_when_short(s: Scenario, engineers: float) -> None:
    s = replace_values(s, {("team", "engineers"): engineers})
    result = staffing(s, estimate(s))
    for x in result.strategies.values():
        assert x.build_fte >= 0 and x.running_fte >= 0 and x.expert_hours_per_month >= 0
        assert x.short == (max(x.build_fte, x.running_fte) > engineers)
    assert len(result.warnings) == sum(x.short for x in result.strategies.values())
