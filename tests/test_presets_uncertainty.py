"""Bundled scenario presets carry their uncertainty: ranges, [needs], [operations], prompt caching, a head count,
and docs/presets.md says where each default comes from."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from costmodel.files.presets import bundled_dir
from costmodel.files.scenario_io import load_scenario
from costmodel.model.schema import Operations

PRESETS = bundled_dir()
NAMES = sorted(p.stem for p in PRESETS.glob("*.toml"))
DOC = (Path(__file__).parents[1] / "docs" / "presets.md").read_text(encoding="utf-8")
CACHE_MINIMUM = 1024  # OpenAI caches prompt prefixes of 1,024 tokens or more


@pytest.fixture(autouse=True)
def _no_user_presets(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Only bundled presets are found."""
    monkeypatch.setenv("COSTMODEL_PRESETS_DIR", str(tmp_path / "none"))


@pytest.mark.parametrize("name", NAMES)
def test_preset_has_ranges_needs_operations_and_a_head_count(name: str) -> None:
    s = load_scenario(name)
    assert len(s.ranges) >= 6, sorted(s.ranges)
    assert s.needs is not None and all(v is not None for v in s.needs.model_dump().values())
    assert s.operations is not None and s.operations != Operations()
    ops = s.operations
    assert ops.per_request_fee > 0 and ops.review_fraction > 0 and ops.eval_set_hours > 0
    assert ops.releases_per_month > 0 and ops.migration_every_months > 0
    assert s.team.engineers is not None and s.team.engineers >= 1
    for path, r in s.ranges.items():
        assert r.low < r.high, path


@pytest.mark.parametrize("name", NAMES)
def test_preset_uses_prompt_caching_where_the_provider_offers_it(name: str) -> None:
    s = load_scenario(name)
    rag = s.rag
    if rag.self_host is None and s.models[rag.model].cached_input_per_mtok is not None:
        fixed = rag.cached_prompt_fraction * s.workload.prompt_tokens
        if s.workload.prompt_tokens >= CACHE_MINIMUM:
            assert rag.cached_prompt_fraction > 0 and fixed >= CACHE_MINIMUM, name
        else:
            assert rag.cached_prompt_fraction == 0, name


def test_story_files_state_caching_explicitly() -> None:
    for path in sorted(PRESETS.glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        if "rag" in data and "workload" in data:
            assert "cached_prompt_fraction" in data["rag"], path.name


def test_docs_say_where_each_default_comes_from() -> None:
    for name in NAMES:
        assert f"`{name}`" in DOC, name
    for key in Operations.model_fields:
        assert f"`{key}`" in DOC, key
    assert "assumption" in DOC.lower()
