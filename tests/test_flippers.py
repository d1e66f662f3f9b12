"""Decision flippers: discrete choices (other models, pricing options) and where numeric inputs flip the winner."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from costmodel.analysis.sensitivity import OPTION_SHARE, choices, sensitivity
from costmodel.files.scenario_io import load_scenario
from costmodel.model.engine import estimate
from costmodel.model.inputs import replace_values
from costmodel.model.schema import Scenario
from costmodel.model.validation import validate_scenario


@pytest.fixture(autouse=True)
def _no_user_presets(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Only bundled presets are found."""
    monkeypatch.setenv("COSTMODEL_PRESETS_DIR", str(tmp_path / "none"))


def _support() -> Scenario:
    """Return the support assistant as issue 11 tried it (the openai-2025 prices, no caching)."""
    s = load_scenario("support-assistant")
    return replace_values(
        s,
        {
            ("rag", "cached_prompt_fraction"): 0.0,
            ("fine_tune", "cached_prompt_fraction"): 0.0,
            ("hybrid", "cached_prompt_fraction"): 0.0,
            ("rag", "model"): "gpt-4.1",
            ("fine_tune", "model"): "gpt-4.1-mini",
            ("operations",): None,
        },
    )


def test_switching_rag_to_gpt_4_1_mini_is_listed_with_its_margin() -> None:
    s = _support()
    if "gpt-4.1-mini" not in s.models or s.models["gpt-4.1-mini"].input_per_mtok != 0.40:
        pytest.skip("the support assistant no longer prices gpt-4.1-mini at 0.40/1.60")
    result = sensitivity(s)
    assert result.cheapest == "hybrid"
    flip = next(f for f in result.choice_flips if f.label == "rag.model = gpt-4.1-mini")
    assert (flip.winner, flip.runner_up) == ("rag", "hybrid")
    # By hand, RAG on gpt-4.1-mini: per request (2,200 + 2,500) × 0.40e-6 + 350 × 1.60e-6 + 0.3 / 1000
    # = 0.00274; upfront 20 × 850 + 8e6 × 0.02e-6 = 17,000.16; a month's base 70 + 1.5 × 850
    # + 4.33 × (0.02 × 8e6 × 0.02e-6 + 1 × 850 / 8) = 1,805.076356; S = 150,000 × (1.03^24 − 1) / 0.03.
    served = 150_000 * (1.03**24 - 1) / 0.03
    rag_total = 17_000.16 + 24 * 1_805.076356 + served * 0.00274
    if s.operations is not None:
        pytest.skip("operations lines change every total; the margin is checked without them")
    hybrid_total = estimate(s).strategies["hybrid"].total
    assert flip.margin == pytest.approx(hybrid_total - rag_total, rel=1e-9)
    assert flip.margin_fraction == pytest.approx((hybrid_total - rag_total) / hybrid_total, rel=1e-9)
    assert flip.margin_fraction > 0.25


def test_choices_respect_the_roles(example: Scenario) -> None:
    data = example.model_dump()
    data["models"]["text-embedding-3-large"] = {"input_per_mtok": 0.13}
    data["models"]["chat-only"] = {"input_per_mtok": 1.0, "output_per_mtok": 4.0, "cached_input_per_mtok": 0.25}
    s = validate_scenario(data)
    labels = [c.label for c in choices(s)]
    # An embedding model only embeds; a chat model without fine-tuning prices only answers RAG.
    assert labels == [
        "rag.model = chat-only",
        "rag.embedding_model = text-embedding-3-large",
    ]
    # Pricing options are tried when the model has their prices: here none of them.
    data["models"]["gpt-4.1-mini"].update(cached_input_per_mtok=0.1, ft_cached_input_per_mtok=0.2)
    s = validate_scenario(data)
    labels = [c.label for c in choices(s)]
    assert "rag.cached_prompt_fraction = 0.5" in labels and "hybrid.cached_prompt_fraction = 0.5" in labels
    assert not any("batch" in label for label in labels)
    on = next(c for c in choices(s) if c.label == "rag.cached_prompt_fraction = 0.5")
    assert on.scenario.rag.cached_prompt_fraction == OPTION_SHARE
    # An option that is on is tried off.
    data["rag"]["cached_prompt_fraction"] = 0.8
    off = [c for c in choices(validate_scenario(data)) if c.path == "rag.cached_prompt_fraction"]
    assert [c.value for c in off] == [0.0]


def test_a_cheaper_fine_tune_model_flips_the_example(example: Scenario) -> None:
    # The example at 100,000 requests a month, a hybrid without upkeep or refreshes: RAG wins on
    # gpt-4.1-mini. A fine-tunable model at a tenth of its prices ("cheap") makes the hybrid's
    # requests cost (400 + 2,000) × 0.08e-6 + 300 × 0.32e-6 + 0.0005 = 0.000788 against RAG's
    # 0.00202, saving 0.001232 × S, S = 100,000 × (1.05^24 − 1) / 0.05 = 4,450,199.887426, that
    # is 5,482.646261, against the hybrid's extra build 3 × 800 + 1,200 + 300 × 800 × 3 × 0.5e-6
    # = 3,600.36. The hybrid wins by 1,882.286261.
    data = example.model_dump()
    data["workload"]["requests_per_month"] = 100_000
    data["hybrid"].update(maintenance_days_per_month=0, retrains_per_year=0)
    data["models"]["cheap"] = {
        "input_per_mtok": 0.04,
        "output_per_mtok": 0.16,
        "training_per_mtok": 0.5,
        "ft_input_per_mtok": 0.08,
        "ft_output_per_mtok": 0.32,
    }
    result = sensitivity(validate_scenario(data))
    assert result.cheapest == "rag" and result.choices_tried == 2
    (flip,) = result.choice_flips  # RAG on the cheap model stays the winner: not a flip
    assert (flip.label, flip.winner, flip.runner_up) == ("fine_tune.model = cheap", "hybrid", "rag")
    assert flip.margin == pytest.approx(1_882.286261, abs=1e-5)
    rag_total = flip.winner_total + flip.margin
    assert flip.margin_fraction == pytest.approx(1_882.286261 / rag_total, rel=1e-8)


def test_flip_point_of_a_numeric_input(simple: Scenario) -> None:
    # simple.toml: fine-tuning wins once rag.build_days passes 18.15855 (see test_analysis).
    data = simple.model_dump()
    data["rag"]["build_days"] = {"low": 5, "high": 30}
    result = sensitivity(validate_scenario(data))
    (point,) = result.flip_points["rag.build_days"]
    assert (point.winner, point.direction) == ("fine_tune", "above")
    assert point.value == pytest.approx(18.15855, rel=1e-9)
    assert point.current == pytest.approx((5 * 30) ** 0.5)
    # From 17 to 30 days the median (22.6) is past the flip: fine-tuning wins, RAG below 18.16.
    data = simple.model_dump()
    data["rag"]["build_days"] = {"low": 17, "high": 30}
    result = sensitivity(validate_scenario(data))
    assert result.cheapest == "fine_tune"
    (point,) = result.flip_points["rag.build_days"]
    assert (point.winner, point.direction) == ("rag", "below")
    assert point.value == pytest.approx(18.15855, rel=1e-9)


def test_cli_lists_numeric_and_choice_flippers() -> None:
    def cli(*args: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "costmodel", "sensitivity", *args], capture_output=True, text=True, timeout=60
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    data = json.loads(cli("support-assistant", "-f", "json"))
    assert {"choice_flippers", "flip_points", "choices_tried"} <= set(data)
    assert all({"choice", "winner", "margin", "margin_fraction"} <= set(f) for f in data["choice_flippers"])
    table = " ".join(cli("support-assistant").split())
    if data["choice_flippers"]:
        first = data["choice_flippers"][0]
        assert f"• {first['choice']}:" in table and "becomes cheapest" in table
    else:
        assert "no other model or pricing option" in table


def test_a_model_retired_within_the_horizon_is_no_choice(example: Scenario) -> None:
    # The same cheap fine-tunable model as above, but it can only be called until 2027-01-01,
    # before a horizon that starts 2026-12 and ends 2028-11: the hybrid on it is unavailable,
    # so switching to it is tried and never reported.
    data = example.model_dump()
    data["workload"]["requests_per_month"] = 100_000
    data["hybrid"].update(maintenance_days_per_month=0, retrains_per_year=0)
    data["start"] = "2026-12"
    data["models"]["cheap"] = {
        "input_per_mtok": 0.04,
        "output_per_mtok": 0.16,
        "training_per_mtok": 0.5,
        "ft_input_per_mtok": 0.08,
        "ft_output_per_mtok": 0.32,
        "available_until": "2027-01-01",
    }
    result = sensitivity(validate_scenario(data))
    assert result.cheapest == "rag" and result.choices_tried == 2
    assert result.choice_flips == []
