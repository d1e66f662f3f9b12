"""The decision explained, checked by hand on shared/MODEL.md's example (docs/model.md's worked example)."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest
from test_cli import run

from costmodel.analysis.decision import MINUS, available_ranking, explain_decision
from costmodel.files.scenario_io import load_scenario
from costmodel.model.engine import estimate
from costmodel.model.inputs import replace_values
from costmodel.model.schema import Scenario

# S = 50,000 × (1.05^24 − 1) / 0.05, the requests of the 24 months (docs/model.md).
S = 2_225_099.943713


def test_example_by_hand(example: Scenario) -> None:
    # Totals (docs/model.md): rag 42,175.869886, hybrid 65,300.005810, fine_tune 270,776.127928.
    d = explain_decision(example)
    assert (d.winner, d.runner_up, d.horizon_months) == ("rag", "hybrid", 24)
    assert d.margin == pytest.approx(65_300.005810 - 42_175.869886, abs=1e-5)
    assert d.margin_fraction == pytest.approx(23_124.135924 / 65_300.005810, rel=1e-8)
    by_label = {c.label: c.amount for c in d.lines}
    # RAG minus hybrid, line by line over 24 months; lines both carry (retrieval build,
    # corpus embedding, updates, retrieval fee, vector DB, retrieval maintenance) cancel.
    assert by_label == pytest.approx(
        {
            "fine-tune maintenance": -0.5 * 800 * 24,  # -9,600
            # The hybrid's periodic retraining is one cost line (MODEL.md's one term): retrains_per_year / 12
            # × (training run 3.6 + re-curation 120 + retrain_days 2 × 800) = 2 / 12 × 1,723.6 a month.
            "behaviour retraining": -2 / 12 * (3.6 + 120 + 2 * 800) * 24,  # -6,894.4
            "per-request tokens": -(0.00288 - 0.00152) * S,  # -3,026.135923
            "behaviour fine-tune build": -3 * 800,  # -2,400
            "curating examples": -1_200.0,
            "training run": -3.6,
        },
        abs=1e-6,
    )
    assert [c.label for c in d.lines[:3]] == ["fine-tune maintenance", "behaviour retraining", "per-request tokens"]
    assert sum(by_label.values()) == pytest.approx(-d.margin, abs=1e-6)
    assert d.remainder == 0.0
    assert d.sentence == (
        "RAG is cheapest, USD 23,124 (35 %) below Hybrid over 24 months; the difference comes mostly from "
        f"fine-tune maintenance ({MINUS}9,600), behaviour retraining ({MINUS}6,894) and "
        f"per-request tokens ({MINUS}3,026)"
    )


def test_costs_against_savings_and_the_horizon_of_the_estimate(example: Scenario) -> None:
    # Prompts of 3,000 tokens of which 2,800 are saved by the fine-tune: the hybrid's requests
    # cost (200 + 2,000) × 0.8e-6 + 300 × 3.2e-6 = 0.00272 against RAG's
    # (3,000 + 2,000) × 0.4e-6 + 300 × 1.6e-6 = 0.00248, so RAG still wins; over a 12-month
    # horizon every line counts 12 months.
    s = replace_values(example, {("workload", "prompt_tokens"): 3000.0, ("fine_tune", "prompt_tokens_saved"): 2800.0})
    est = estimate(s, months=12)
    d = explain_decision(s, est)
    assert d.horizon_months == 12 and d.winner == "rag"
    served = sum(est.requests[1:])
    by_label = {c.label: c.amount for c in d.lines}
    assert by_label["per-request tokens"] == pytest.approx((0.00248 - 0.00272) * served)
    assert by_label["fine-tune maintenance"] == pytest.approx(-400 * 12)


def test_a_saving_against_a_cost(example: Scenario) -> None:
    # 1,500 prompt tokens and 1,400 saved: hybrid per request (100 + 2,000) × 0.8e-6 + 300 × 3.2e-6
    # = 0.00264 + 0.0005 fee; RAG (1,500 + 2,000) × 0.4e-6 + 0.00048 = 0.00188 + fee. With 2M
    # requests a month and no growth RAG stays cheaper: its tokens save 0.00076 × 48M = 36,480.
    s = replace_values(
        example,
        {
            ("workload", "prompt_tokens"): 1500.0,
            ("fine_tune", "prompt_tokens_saved"): 1400.0,
            ("workload", "requests_per_month"): 2_000_000.0,
            ("workload", "monthly_growth"): 0.0,
            ("models", "gpt-4.1-mini", "ft_input_per_mtok"): 0.5,
        },
    )
    # Fine-tuned input at 0.5: hybrid tokens (2,100 × 0.5 + 300 × 3.2) / 1e6 = 0.00201 against RAG's 0.00188.
    d = explain_decision(s)
    assert (d.winner, d.runner_up) == ("rag", "hybrid")
    by_label = {c.label: c.amount for c in d.lines}
    assert by_label["per-request tokens"] == pytest.approx((0.00188 - 0.00201) * 48_000_000)
    # A cheaper fine-tuned output makes the hybrid win on tokens against its fine-tune costs.
    s2 = replace_values(s, {("models", "gpt-4.1-mini", "ft_output_per_mtok"): 1.0})
    d2 = explain_decision(s2)
    # Hybrid tokens (2,100 × 0.5 + 300 × 1.0) / 1e6 = 0.00135: 0.00053 × 48M = 25,440 below RAG's.
    assert (d2.winner, d2.runner_up) == ("hybrid", "rag")
    by_label = {c.label: c.amount for c in d2.lines}
    assert by_label["per-request tokens"] == pytest.approx((0.00135 - 0.00188) * 48_000_000)
    assert f"per-request tokens ({MINUS}25,440) against fine-tune maintenance (+9,600)" in d2.sentence


def test_minimum_top_ups_are_an_item_of_their_own(example: Scenario) -> None:
    # A vector-DB minimum of 900 a month: RAG and the hybrid both pay the top-ups, fine_tune none.
    s = replace_values(
        example, {("rag", "retrieval_minimum_per_month"): 900.0, ("hybrid", "maintenance_days_per_month"): 0.0}
    )
    est = estimate(s)
    d = explain_decision(s, est)
    assert est.strategies["rag"].minimum_topup_total > 0
    total = sum(c.amount for c in d.lines)
    assert total == pytest.approx(est.strategies[d.winner].total - est.strategies[d.runner_up].total, abs=1e-6)
    topups = [c for c in d.lines if c.figure == "topup"]
    expected = est.strategies[d.winner].minimum_topup_total - est.strategies[d.runner_up].minimum_topup_total
    assert [c.amount for c in topups] == ([pytest.approx(expected)] if expected else [])


def test_remainder_is_never_hidden(example: Scenario) -> None:
    # An estimate whose hybrid total is 1,000 above its cost lines (as price drift or a
    # timeline effect would make it): the 1,000 shows as an item and in the sentence.
    est = estimate(example)
    hybrid = est.strategies["hybrid"]._replace(total=est.strategies["hybrid"].total + 1000.0)
    rag = est.strategies["rag"]._replace(total=est.strategies["rag"].total - 500.0)
    changed = type(est)(
        est.scenario,
        est.currency,
        est.horizon_months,
        est.requests,
        {**est.strategies, "hybrid": hybrid, "rag": rag},
        est.cheapest,
        est.warnings,
    )
    d = explain_decision(example, changed)
    assert d.remainder == pytest.approx(-1500.0)
    assert any(c.figure == "remainder" and c.amount == pytest.approx(-1500.0) for c in d.lines)
    assert d.sentence.endswith(f"with {MINUS}1,500 not in the cost lines")


def test_available_ranking_skips_unavailable_strategies() -> None:
    est = SimpleNamespace(
        strategies={
            "rag": SimpleNamespace(total=30.0, available=True),
            "fine_tune": SimpleNamespace(total=10.0, available=False),
            "hybrid": SimpleNamespace(total=20.0, available=True),
        }
    )
    assert available_ranking(est) == ["hybrid", "rag", "fine_tune"]  # type: ignore[arg-type]
    for s in est.strategies.values():
        s.available = False
    assert available_ranking(est) == ["fine_tune", "hybrid", "rag"]  # type: ignore[arg-type]


def test_json_form(example: Scenario) -> None:
    data = explain_decision(example).to_dict()
    assert data["winner"] == "rag" and data["runner_up"] == "hybrid"
    assert data["named"] == ["fine-tune maintenance", "behaviour retraining", "per-request tokens"]
    assert {"label", "figure", "amount", "winner", "runner_up"} == set(data["lines"][0])
    assert data["sentence"].startswith("RAG is cheapest")


def test_every_face_shows_the_decision(data_dir: Path) -> None:
    path = str(data_dir / "model_example.toml")
    sentence = explain_decision(load_scenario(path)).sentence
    assert json.loads(run("estimate", path, "-f", "json").stdout)["decision"]["sentence"] == sentence
    assert f"**{sentence}.**" in run("estimate", path, "-f", "markdown").stdout
    table = " ".join(run("estimate", path, "-o", "-").stdout.split())
    assert f"★ {sentence}" in table


def test_an_unavailable_strategy_is_never_the_winner(example: Scenario, monkeypatch: pytest.MonkeyPatch) -> None:
    # RAG is cheapest by total; marked unavailable (as the engine does for a retired model), the
    # hybrid (65,300.01) wins against fine-tuning (270,776.13) and RAG is named as not available.
    import costmodel.analysis.decision as decision

    monkeypatch.setattr(decision, "is_available", lambda s: s.name != "rag")
    d = decision.explain_decision(example)
    assert (d.winner, d.runner_up, d.unavailable) == ("hybrid", "fine_tune", ("rag",))
    assert d.margin == pytest.approx(270_776.127928 - 65_300.005810, abs=1e-5)
    assert d.sentence.startswith("Hybrid is cheapest, USD 205,476 (76 %) below Fine-tuning over 24 months")
    # What availability costs: RAG would be 65,300.005810 − 42,175.869886 = 23,124.14 cheaper.
    assert "(RAG would cost USD 23,124 less but is not available)" in d.sentence
    assert [(n, round(total, 2)) for n, total, _ in d.cheaper_unavailable] == [("rag", 42_175.87)]
    # Only one strategy available: no runner-up, no margin.
    monkeypatch.setattr(decision, "is_available", lambda s: s.name == "fine_tune")
    d = decision.explain_decision(example)
    assert (d.winner, d.runner_up, d.margin) == ("fine_tune", None, None)
    assert d.sentence == (
        "Fine-tuning is the only available strategy; it costs USD 270,776 over 24 months "
        "(RAG would cost USD 228,600 less but is not available)"
    )
    assert [n for n, _, _ in d.cheaper_unavailable] == ["rag", "hybrid"]


def test_price_drift_weighs_the_token_lines(example: Scenario) -> None:
    # Prices falling 20 % a year: the token lines count requests(m) × 0.8^((m − 1) / 12).
    s = replace_values(example, {("price_change_per_year",): -0.2})
    est = estimate(s)
    weighted = sum(50_000 * 1.05 ** (m - 1) * 0.8 ** ((m - 1) / 12) for m in range(1, 25))
    by_label = {c.label: c.amount for c in explain_decision(s, est).lines}
    assert by_label["per-request tokens"] == pytest.approx((0.00152 - 0.00288) * weighted, rel=1e-9)
    # The items still add up to the difference of the totals, whatever the engine does with drift.
    d = explain_decision(s, est)
    assert sum(c.amount for c in d.lines) == pytest.approx(-d.margin, abs=1e-6)
