"""With every pricing option at its default, each docs/model.md figure is bit for bit v1's.

Three references: the hand-worked literals of test_worked_example.py, a plain
transcription of docs/model.md's v1 formulas written here, and the same scenario with every
option written out at its default value.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from costmodel.files.presets import bundled_dir
from costmodel.files.scenario_io import load_scenario
from costmodel.model.engine import estimate, strategy_rates
from costmodel.model.schema import Scenario
from tests.test_worked_example import FIGURES

EXAMPLE = Path(__file__).parent / "data" / "model_example.toml"
DEFAULTS = [
    "rag.cached_prompt_fraction=0",
    "rag.batch_fraction=0",
    "rag.retrieval_minimum_per_month=0",
    "fine_tune.cached_prompt_fraction=0",
    "fine_tune.batch_fraction=0",
    "hybrid.cached_prompt_fraction=0",
    "hybrid.batch_fraction=0",
]
# MODEL.md v2's [operations] (presets carry one) at its defaults: every operations line is 0, as in v1.
OPERATIONS_OFF = [
    "operations.per_request_fee=0",
    "operations.review_fraction=0",
    "operations.eval_set_hours=0",
    "operations.eval_days_per_release=0",
    "operations.eval_cost_per_release=0",
    "operations.releases_per_month=0",
    "operations.migration_every_months=0",
]
FIGURE_NAMES = ("upfront", "per_update", "per_request", "monthly_fixed", "periodic_monthly")


def v1_rates(s: Scenario) -> dict[str, tuple[float, float, float, float, float]]:
    """Return docs/model.md v1's five figures per strategy, transcribed expression by expression."""
    R, K, T, rag, ft, hy = s.workload, s.knowledge, s.team, s.rag, s.fine_tune, s.hybrid
    M = s.models
    F = M[ft.model]

    def p(x: float | None) -> float:
        return x / 1e6  # type: ignore[operator]

    hour = T.engineer_day_rate / 8

    def training_run(n: float) -> float:
        return n * ft.tokens_per_example * ft.epochs * p(F.training_per_mtok)

    def curation(n: float) -> float:
        return n * ft.curation_minutes_per_example / 60 * T.expert_hour_rate

    def embed(tokens: float) -> float:
        return tokens * p(M[rag.embedding_model].input_per_mtok)

    fee = rag.retrieval_per_1k_requests / 1000
    rag_up = rag.build_days * T.engineer_day_rate + embed(K.corpus_tokens)
    rag_upd = embed(K.changed_fraction * K.corpus_tokens) + rag.update_hours * hour
    rag_req = (
        (R.prompt_tokens + rag.retrieved_tokens) * p(M[rag.model].input_per_mtok)
        + R.output_tokens * p(M[rag.model].output_per_mtok)
        + fee
    )
    rag_fix = rag.hosting_per_month + rag.maintenance_days_per_month * T.engineer_day_rate
    ft_up = ft.build_days * T.engineer_day_rate + curation(ft.examples) + training_run(ft.examples)
    ft_upd = (
        curation(ft.examples * ft.changed_examples_fraction)
        + training_run(ft.examples)
        + ft.retrain_days * T.engineer_day_rate
        if ft.retrain_on_update
        else 0.0
    )
    ft_req = max(R.prompt_tokens - ft.prompt_tokens_saved, 0) * p(F.ft_input_per_mtok) + R.output_tokens * p(
        F.ft_output_per_mtok
    )
    ft_fix = ft.hosting_per_hour * 730 + ft.maintenance_days_per_month * T.engineer_day_rate
    hy_up = rag_up + hy.build_days * T.engineer_day_rate + curation(hy.examples) + training_run(hy.examples)
    hy_req = (
        (max(R.prompt_tokens - ft.prompt_tokens_saved, 0) + rag.retrieved_tokens) * p(F.ft_input_per_mtok)
        + R.output_tokens * p(F.ft_output_per_mtok)
        + fee
    )
    hy_fix = rag_fix + ft.hosting_per_hour * 730 + hy.maintenance_days_per_month * T.engineer_day_rate
    hy_per = (
        hy.retrains_per_year
        / 12
        * (
            training_run(hy.examples)
            + curation(hy.examples * ft.changed_examples_fraction)
            + ft.retrain_days * T.engineer_day_rate
        )
    )
    return {
        "rag": (rag_up, rag_upd, rag_req, rag_fix, 0.0),
        "fine_tune": (ft_up, ft_upd, ft_req, ft_fix, 0.0),
        "hybrid": (hy_up, rag_upd, hy_req, hy_fix, hy_per),
    }


SCENARIOS = [
    str(EXAMPLE),
    *sorted(p.stem for p in bundled_dir().glob("*.toml") if "-h100" not in p.stem and "-l40s" not in p.stem),
]


@pytest.mark.parametrize("ref", SCENARIOS)
def test_figures_equal_v1_bit_for_bit(ref: str) -> None:
    """Every figure equals docs/model.md v1's expression exactly (==, not approx), with the options off.

    A preset may switch an option on (support-assistant caches its style guide): its figures
    are compared with the options written out at their defaults."""
    s = load_scenario(ref, [*DEFAULTS, *OPERATIONS_OFF])
    got = strategy_rates(s)
    for name, figures in v1_rates(s).items():
        assert tuple(getattr(got[name], f) for f in FIGURE_NAMES) == figures, name


@pytest.mark.parametrize("ref", SCENARIOS)
def test_options_written_at_defaults_change_nothing(ref: str) -> None:
    """The whole estimate (JSON form) is identical with every option written out at its default."""
    s = load_scenario(ref)
    if any(getattr(getattr(s, table), key) for table, key in (k.split("=")[0].split(".") for k in DEFAULTS)):
        pytest.skip("the preset switches a pricing option on")
    assert estimate(load_scenario(ref, DEFAULTS)).to_dict() == estimate(load_scenario(ref)).to_dict()


def test_worked_example_literals_still_hold() -> None:
    """The hand-worked literals of docs/model.md hold with every option written out at its default."""
    est = estimate(load_scenario(EXAMPLE, DEFAULTS))
    for name, figures in FIGURES.items():
        for figure, value in figures.items():
            assert getattr(est.strategies[name], figure) == pytest.approx(value, rel=1e-12, abs=0.0)
    assert est.warnings == ()
