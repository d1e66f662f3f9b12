"""costmodel.analysis.explain: the parts behind a shown figure add up to the engine's figure."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from costmodel.analysis.explain import figure_parts, month_parts, total_parts
from costmodel.files.presets import list_presets
from costmodel.files.scenario_io import load_scenario
from costmodel.model.engine import Estimate, Part, estimate
from costmodel.model.schema import STRATEGIES, Scenario

PRESETS = [p for p in list_presets() if p.origin == "bundled"]
RATES = ("upfront", "per_update", "per_request", "monthly_fixed", "periodic_monthly")


def _case(scenario: Scenario) -> tuple[Scenario, Estimate]:
    return scenario, estimate(scenario)


def _sum(parts: Sequence[Part]) -> float:
    return sum(p.amount for p in parts)


@pytest.fixture(params=[p.path for p in PRESETS], ids=[p.name for p in PRESETS])
def preset(request: pytest.FixtureRequest) -> tuple[Scenario, Estimate]:
    """Return each bundled preset with its estimate."""
    return _case(load_scenario(request.param))


@pytest.fixture(
    params=[
        ["rag.retrieval_minimum_per_month=5000"],  # every month below the minimum
        ["rag.retrieval_minimum_per_month=300", "workload.monthly_growth=0.2"],  # growth crosses it
    ],
    ids=["always-topped-up", "topped-up-early"],
)
def with_minimum(request: pytest.FixtureRequest) -> tuple[Scenario, Estimate]:
    """Return support-assistant with a retrieval minimum spend, so some months carry a top-up."""
    return _case(load_scenario("support-assistant", request.param))


def test_presets_are_found() -> None:
    assert {"default", "support-assistant"} <= {p.name for p in PRESETS}


def _check_all_figures(scenario: Scenario, est: Estimate) -> None:
    for name in STRATEGIES:
        s = est.strategies[name]
        assert _sum(total_parts(scenario, est, name)) == pytest.approx(s.total, rel=1e-6)
        assert _sum(figure_parts(scenario, est, name, "total")) == pytest.approx(s.total, rel=1e-6)
        for month in range(1, est.horizon_months + 1):
            assert _sum(month_parts(scenario, est, name, month)) == pytest.approx(
                s.monthly_cost[month], rel=1e-9, abs=1e-9
            ), f"{name} month {month}"
        last = est.horizon_months
        assert _sum(figure_parts(scenario, est, name, f"month:{last}")) == pytest.approx(s.monthly_cost[last])
        assert _sum(figure_parts(scenario, est, name, "upfront")) == pytest.approx(s.upfront, rel=1e-9, abs=1e-9)
        for rate in RATES:
            assert _sum(figure_parts(scenario, est, name, rate)) == pytest.approx(
                getattr(s, rate), rel=1e-9, abs=1e-9
            ), f"{name} {rate}"


def test_parts_sum_to_the_figures_of_every_preset(preset: tuple[Scenario, Estimate]) -> None:
    _check_all_figures(*preset)


def test_parts_sum_with_minimum_spend_top_ups(with_minimum: tuple[Scenario, Estimate]) -> None:
    scenario, est = with_minimum
    assert est.strategies["rag"].minimum_topup_total > 0
    labels = [p.label for p in total_parts(scenario, est, "rag")]
    assert "minimum-spend top-ups" in labels
    _check_all_figures(scenario, est)


def test_parts_are_labelled_and_requests_are_always_listed(preset: tuple[Scenario, Estimate]) -> None:
    scenario, est = preset
    for name in STRATEGIES:
        parts = total_parts(scenario, est, name)
        assert any(p.label.startswith("requests") for p in parts)
        assert all(p.label and p.formula for p in parts)
        assert any(p.label.startswith("requests") for p in month_parts(scenario, est, name, 1))


def test_an_unknown_figure_has_no_breakdown(preset: tuple[Scenario, Estimate]) -> None:
    scenario, est = preset
    with pytest.raises(KeyError):
        figure_parts(scenario, est, "rag", "no_such_figure")
