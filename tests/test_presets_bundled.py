"""Every bundled preset loads and estimates, every catalog is sourced and dated,
and each story's cheapest strategy is the one its description promises."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from costmodel.files.presets import bundled_dir
from costmodel.files.scenario_io import load_catalog, load_scenario
from costmodel.model.engine import estimate
from costmodel.model.schema import STRATEGIES

PRESETS = bundled_dir()
PRESET_NAMES = sorted(p.stem for p in PRESETS.glob("*.toml"))
CATALOG_NAMES = sorted(p.stem for p in (PRESETS / "pricing").glob("*.toml"))
AS_OF = re.compile(r"\d{4}-(0[1-9]|1[0-2])(-\d{2})?")

# The strategy each story says wins.
STORIES = {
    "support-assistant": "hybrid",
    "default": "hybrid",
    "internal-kb": "rag",
    "narrow-classifier": "fine_tune",
    "regulated-qa": "rag",
    "support-assistant-azure": "rag",
    "support-assistant-h100": "rag",
    "support-assistant-l40s": "hybrid",
    "policy-handbook": "long_context",
}


@pytest.fixture(autouse=True)
def _no_user_presets(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Point the user presets folder at an empty one so only bundled files are found."""
    monkeypatch.setenv("COSTMODEL_PRESETS_DIR", str(tmp_path / "none"))


def test_expected_files_are_bundled() -> None:
    """The four stories, `default` and the three catalogs exist."""
    assert set(STORIES) <= set(PRESET_NAMES)
    assert {"openai-2025", "anthropic-voyage-2025", "open-models-2025", "gpus-2026", "azure-openai-2026"} <= set(
        CATALOG_NAMES
    )
    assert {
        "openai-2026",
        "anthropic-voyage-2026",
        "google-2026",
        "open-models-2026",
        "gpus-2026-11",
        "vector-dbs-2026",
    } <= set(CATALOG_NAMES)


@pytest.mark.parametrize("name", PRESET_NAMES)
def test_preset_loads_and_estimates(name: str) -> None:
    """A preset loads by name, estimates, and its figures are finite and non-negative."""
    scenario = load_scenario(name)
    assert scenario.name and scenario.description
    result = estimate(scenario)
    assert set(STRATEGIES) <= set(result.strategies)
    for strategy in result.strategies.values():
        assert 0 <= strategy.upfront <= strategy.total < float("inf")


@pytest.mark.parametrize(("name", "winner"), sorted(STORIES.items()))
def test_story_winner(name: str, winner: str) -> None:
    """The cheapest strategy is the one the preset's description names as the winner."""
    scenario = load_scenario(name)
    assert f"expected winner: {winner}." in " ".join(scenario.description.lower().split())
    assert estimate(scenario).cheapest == winner


def test_default_is_the_support_assistant() -> None:
    """`default` tells the support-assistant story."""
    assert load_scenario("default") == load_scenario("support-assistant")


@pytest.mark.parametrize("name", [n for n in PRESET_NAMES if n != "default"])
def test_story_takes_prices_from_a_catalog(name: str) -> None:
    """A story takes its prices from `pricing`; a model no catalog has may be added, sourced and dated."""
    data = tomllib.loads((PRESETS / f"{name}.toml").read_text(encoding="utf-8"))
    assert "pricing" in data
    catalogs = [data["pricing"]] if isinstance(data["pricing"], str) else data["pricing"]
    in_catalogs = {model for catalog in catalogs for model in load_catalog(catalog).models}
    for model_name, model in data.get("models", {}).items():
        assert model_name not in in_catalogs, model_name
        assert model.get("source") and AS_OF.fullmatch(model.get("as_of", "")), model_name


@pytest.mark.parametrize("name", CATALOG_NAMES)
def test_catalog_validates_with_sources(name: str) -> None:
    """A catalog validates and every model and GPU in it carries a source and a YYYY-MM[-DD] date."""
    catalog = load_catalog(name)
    assert catalog.catalog.name and catalog.catalog.source and catalog.catalog.notes
    assert AS_OF.fullmatch(catalog.catalog.as_of), name
    assert catalog.models or catalog.gpus or catalog.vector_dbs
    for plan_name, plan in catalog.vector_dbs.items():
        assert plan.source and plan.as_of and AS_OF.fullmatch(plan.as_of), plan_name
    for model_name, model in catalog.models.items():
        assert model.source, model_name
        assert model.as_of and AS_OF.fullmatch(model.as_of), model_name
    for gpu_name, gpu in catalog.gpus.items():
        assert gpu.source, gpu_name
        assert gpu.as_of and AS_OF.fullmatch(gpu.as_of), gpu_name


def test_every_bundled_price_is_sourced_and_dated() -> None:
    """Across presets/, every [models] and [gpus] entry, in catalogs or presets, has source and as_of."""
    for path in sorted(PRESETS.rglob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        for table in ("models", "gpus"):
            for entry_name, entry in data.get(table, {}).items():
                assert entry.get("source"), (path.name, entry_name)
                assert AS_OF.fullmatch(entry.get("as_of", "")), (path.name, entry_name)


def test_openai_fine_tuning_prices_are_withdrawn() -> None:
    """OpenAI's fine-tuning prices are marked as no longer sold, with the reason."""
    catalog = load_catalog("openai-2025")
    for name, model in catalog.models.items():
        if model.training_per_mtok is not None:
            assert "training_per_mtok" in model.withdrawn, name
            assert "no longer accepts new fine-tuning customers" in model.withdrawn_note, name


def test_openai_catalog_says_fine_tuning_is_closed() -> None:
    """The OpenAI catalog warns that new fine-tuning customers are no longer accepted."""
    notes = load_catalog("openai-2025").catalog.notes
    assert "no longer accepts new fine-tuning customers" in " ".join(notes.split())


@pytest.mark.parametrize(
    "name", ["anthropic-voyage-2025", "open-models-2025", "anthropic-voyage-2026", "open-models-2026", "google-2026"]
)
def test_unconfirmed_fine_tune_prices_left_out(name: str) -> None:
    """Catalogs without confirmed fine-tuning prices carry none."""
    for model in load_catalog(name).models.values():
        assert model.training_per_mtok is None
        assert model.ft_input_per_mtok is None
        assert model.ft_output_per_mtok is None


def test_openai_2026_fine_tuning_ends_and_is_unconfirmed() -> None:
    """OpenAI 2026: fine-tunable models stop training on 2027-01-06; no 2026 training price is confirmed."""
    catalog = load_catalog("openai-2026")
    tunable = {n: m for n, m in catalog.models.items() if m.training_per_mtok is not None}
    assert set(tunable) == {"gpt-4.1", "gpt-4.1-mini", "gpt-4.1-nano", "gpt-4o-mini"}
    for name, model in tunable.items():
        assert "training_per_mtok" in model.withdrawn and "training_per_mtok" in model.unconfirmed, name
        expected = "2026-10-23" if name == "gpt-4.1-nano" else "2027-01-06"
        assert model.training_until is not None and model.training_until.isoformat() == expected, name
    assert catalog.models["gpt-4.1-nano"].available_until.isoformat() == "2026-10-23"
    assert catalog.models["gpt-5.4"].above_tokens == 272000 and catalog.models["gpt-5.4"].above_input_per_mtok == 5.0
    assert not catalog.models["gpt-5.4"].unconfirmed or "input_per_mtok" not in catalog.models["gpt-5.4"].unconfirmed


def test_anthropic_2026_cache_writes_tiers_and_retirement() -> None:
    """Claude prices carry cache writes (1.25x input), Sonnet 4.5 its >200K tier, claude-sonnet-4 its retirement."""
    models = load_catalog("anthropic-voyage-2026").models
    for name, model in models.items():
        if name.startswith("claude-"):
            assert model.cache_write_per_mtok == pytest.approx(1.25 * model.input_per_mtok), name
            assert model.cached_input_per_mtok == pytest.approx(0.1 * model.input_per_mtok), name
            assert model.context_window, name
    sonnet = models["claude-sonnet-4-5"]
    assert (sonnet.above_tokens, sonnet.above_input_per_mtok, sonnet.above_output_per_mtok) == (200000, 6.0, 22.5)
    assert (sonnet.above_cached_input_per_mtok, sonnet.above_cache_write_per_mtok) == (0.6, 7.5)
    assert models["claude-sonnet-4"].available_until.isoformat() == "2026-06-15"
    assert {"claude-haiku-4-5", "claude-sonnet-4-6", "claude-sonnet-5", "claude-opus-4-5"} <= set(models)


def test_map_only_figures_are_unconfirmed() -> None:
    """A price whose only source is LiteLLM's map or a secondary page is listed in `unconfirmed`."""
    for name in ("openai-2026", "anthropic-voyage-2026", "google-2026", "open-models-2026"):
        for model_name, model in load_catalog(name).models.items():
            source = model.source or ""
            if source.startswith("LiteLLM price map") and "platform.claude.com" not in source:
                prices = [f for f in ("input_per_mtok", "output_per_mtok") if getattr(model, f) is not None]
                assert set(prices) <= set(model.unconfirmed), (name, model_name)


@pytest.mark.parametrize("name", [n for n in PRESET_NAMES if n != "default"])
def test_story_uses_2026_catalogs(name: str) -> None:
    """Every bundled story takes its prices from catalogs of 2026."""
    data = tomllib.loads((PRESETS / f"{name}.toml").read_text(encoding="utf-8"))
    refs = data["pricing"] if isinstance(data["pricing"], list) else [data["pricing"]]
    assert all(ref.endswith(("-2026", "-2026-11")) for ref in refs), refs


def test_vector_db_plans() -> None:
    """Pinecone Standard's unit prices and minimum, and the plan tiers, are recorded with their sources."""
    plans = load_catalog("vector-dbs-2026").vector_dbs
    standard = plans["pinecone-standard"]
    assert (standard.storage_per_gb_month, standard.read_per_million_units, standard.write_per_million_units) == (
        0.33,
        16.0,
        4.0,
    )
    assert standard.minimum_per_month == 50.0 and not standard.confirmed
    assert plans["pinecone-builder"].flat_per_month == 20.0 and plans["pinecone-enterprise"].minimum_per_month == 500
