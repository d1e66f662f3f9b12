"""`costmodel pricing import`: LiteLLM's price map to a catalog, exactly (in-process).

tests/data/litellm_prices_sample.json holds 42 entries copied unchanged from
`model_prices_and_context_window_backup.json` in the litellm 1.110.2 wheel on PyPI
(downloaded 2026-12-01): chat and embedding entries, cache reads and writes, batch prices,
200K / 272K / 32K+256K tiers, a deprecation date, rerank, image, audio, moderation and
container entries, zero-priced and unpriced ones, and `sample_spec`.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

from costmodel.cli.main import main
from costmodel.files.litellm import convert, per_mtok
from costmodel.files.scenario_io import load_catalog, load_scenario
from costmodel.model.engine import estimate

SAMPLE = Path(__file__).parent / "data" / "litellm_prices_sample.json"
MAP = json.loads(SAMPLE.read_text(encoding="utf-8"))


@pytest.fixture(autouse=True)
def _env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """An empty user presets folder and a fixed today."""
    monkeypatch.setenv("COSTMODEL_PRESETS_DIR", str(tmp_path / "user"))
    monkeypatch.setenv("COSTMODEL_TODAY", "2026-12-01")


def run(capsys: pytest.CaptureFixture[str], *args: str, code: int = 0) -> tuple[str, str]:
    """Run the command line in-process; check the exit code; return stdout and stderr."""
    assert main(list(args)) == code
    captured = capsys.readouterr()
    return captured.out, captured.err


def imported(tmp_path: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> dict:
    """Import the sample into a catalog file; return its parsed TOML."""
    target = tmp_path / "imported.toml"
    run(
        capsys,
        "pricing",
        "import",
        str(SAMPLE),
        "--from",
        "litellm",
        "-o",
        str(target),
        "--as-of",
        "2026-12-01",
        *extra,
    )
    return tomllib.loads(target.read_text(encoding="utf-8"))


def test_per_mtok_is_exact() -> None:
    """Per-token prices become per-1M prices with no binary rounding error."""
    assert per_mtok(3e-06) == 3.0
    assert per_mtok(1.25e-07) == 0.125
    assert per_mtok(2.5e-08) == 0.025
    assert per_mtok(1.886e-07) == 0.1886
    assert per_mtok(0.0000011) == 1.1
    assert 1.886e-07 * 1e6 != 0.1886  # the naive product is off; the conversion is not


def test_sample_prices_exactly(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A sample of prices equals the map's per-token figures x 1e6, exactly."""
    models = imported(tmp_path, capsys)["models"]
    mini = models["gpt-4.1-mini"]
    assert (mini["input_per_mtok"], mini["output_per_mtok"], mini["cached_input_per_mtok"]) == (0.4, 1.6, 0.1)
    assert (mini["batch_input_per_mtok"], mini["batch_output_per_mtok"]) == (0.2, 0.8)
    assert mini["context_window"] == 1047576
    assert mini["available_until"].isoformat() == "2027-01-14"
    haiku = models["claude-haiku-4-5"]
    assert (haiku["input_per_mtok"], haiku["cache_write_per_mtok"], haiku["cached_input_per_mtok"]) == (1.0, 1.25, 0.1)
    assert haiku["output_per_mtok"] == 5.0
    assert models["gpt-5"]["cached_input_per_mtok"] == 0.125
    assert models["voyage/voyage-3.5"] == {
        "input_per_mtok": 0.06,
        "context_window": 32000,
        "unconfirmed": ["input_per_mtok"],
        "source": models["voyage/voyage-3.5"]["source"],
        "as_of": "2026-12-01",
    }
    assert "output_per_mtok" not in models["text-embedding-3-large"]  # embeddings: no output price
    assert models["text-embedding-3-large"]["batch_input_per_mtok"] == 0.065
    assert models["kyma/qwen3.7-flash"]["input_per_mtok"] == 0.0435
    for name, entry in MAP.items():  # every imported input price: the map's figure x 1e6, in its shortest form
        if name in models and "input_per_mtok" in models[name]:
            value = models[name]["input_per_mtok"]
            assert value == round(entry["input_cost_per_token"] * 1e6, 9), name
            assert len(repr(value)) <= len(repr(entry["input_cost_per_token"])) + 2, name


def test_tiers(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`_above_<N>k_tokens` prices become above_tokens and the above_* prices; only the lowest tier is kept."""
    models = imported(tmp_path, capsys)["models"]
    gpt55 = models["gpt-5.5"]
    assert gpt55["above_tokens"] == 272000
    assert (gpt55["above_input_per_mtok"], gpt55["above_output_per_mtok"]) == (10.0, 45.0)
    assert gpt55["above_cached_input_per_mtok"] == 1.0
    bedrock = models["anthropic.claude-sonnet-4-5-20250929-v1:0"]
    assert bedrock["above_tokens"] == 200000
    assert bedrock["above_cache_write_per_mtok"] == 7.5 and bedrock["above_cached_input_per_mtok"] == 0.6
    assert (bedrock["above_input_per_mtok"], bedrock["above_output_per_mtok"]) == (6.0, 22.5)
    pro = models["gemini/gemini-2.5-pro"]
    assert (pro["above_tokens"], pro["above_input_per_mtok"], pro["above_output_per_mtok"]) == (200000, 2.5, 15.0)
    assert models["kyma/qwen3.7-flash"]["above_tokens"] == 32000
    assert "above_tokens" not in models["gpt-4.1"]


def test_missing_prices_are_listed_never_zero(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Entries without a per-token price are left out and listed on stderr; nothing is written as 0."""
    target = tmp_path / "x.toml"
    _, err = run(capsys, "pricing", "import", str(SAMPLE), "-o", str(target), "--as-of", "2026-12")
    models = tomllib.loads(target.read_text(encoding="utf-8"))["models"]
    for gone in ("rerank-v3.5", "cloudflare/@cf/google/gemma-2b-it-lora", "azure/container", "sample_spec"):
        assert gone not in models
    for gone in ("gpt-image-1", "whisper-1", "tts-1", "omni-moderation-latest", "gemini/gemma-3-27b-it"):
        assert gone not in models
        assert gone in err
    assert "no per-token price" in err and "rerank-v3.5" in err
    assert "further price tier above 256,000" in err
    assert all(v != 0 for m in models.values() for k, v in m.items() if k.endswith("_per_mtok"))
    considered = {n for n in MAP if n != "sample_spec"}
    listed = {n for n in considered if n in err}
    assert considered == set(models) | listed  # every entry is imported or named on stderr


def test_only_patterns(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--only keeps the models matching any of its shell patterns."""
    models = imported(tmp_path, capsys, "--only", "gpt-4.1*", "--only", "claude-haiku-*")["models"]
    assert set(models) == {"gpt-4.1", "gpt-4.1-mini", "gpt-4.1-nano", "claude-haiku-4-5"}
    out, err = run(capsys, "pricing", "import", str(SAMPLE), "-o", str(tmp_path / "n.toml"), "--only", "nope*", code=2)
    assert "no model with a per-token price matches nope*" in err and not out


def test_base_merges_training_prices(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--base keeps a base model's training and fine-tuned prices, and its models the map lacks."""
    data = imported(
        tmp_path, capsys, "--only", "gpt-4.1-mini", "--only", "gemini/gemini-2.5-pro", "--base", "openai-2026"
    )
    mini = data["models"]["gpt-4.1-mini"]
    assert mini["training_per_mtok"] == 5.0 and mini["ft_input_per_mtok"] == 0.8
    assert mini["training_until"].isoformat() == "2027-01-06"
    assert "training_per_mtok" in mini["withdrawn"] and "training_per_mtok" in mini["unconfirmed"]
    assert mini["input_per_mtok"] == 0.4 and "openai-2026" in mini["source"]
    assert mini["as_of"] == "2026-12-01"
    assert "gpt-5.4" in data["models"]  # a base model the import left alone
    assert "gemini/gemini-2.5-pro" in data["models"]


def test_imported_catalog_works_in_a_scenario(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A scenario with `pricing = "imported.toml"` loads and estimates."""
    imported(tmp_path, capsys, "--only", "gpt-4.1*", "--only", "text-embedding-3-small", "--base", "openai-2026")
    scenario = tmp_path / "mine.toml"
    scenario.write_text(
        'extends = "support-assistant"\npricing = "imported.toml"\nname = "Imported"\n', encoding="utf-8"
    )
    s = load_scenario(scenario)
    assert s.models["gpt-4.1"].input_per_mtok == 2.0
    result = estimate(s)
    assert result.strategies["rag"].total > 0
    out, _ = run(capsys, "estimate", str(scenario), "-f", "json")
    assert json.loads(out)["scenario"] == "Imported"
    assert load_catalog(tmp_path / "imported.toml").catalog.as_of == "2026-12-01"


def test_as_of_defaults_to_the_file_date(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Without --as-of the prices are dated by the file's modification date."""
    import os
    from datetime import datetime

    copy = tmp_path / "map.json"
    copy.write_text(SAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    stamp = datetime(2026, 7, 24, 12).timestamp()
    os.utime(copy, (stamp, stamp))
    run(capsys, "pricing", "import", str(copy), "-o", str(tmp_path / "c.toml"), "--only", "gpt-5")
    data = tomllib.loads((tmp_path / "c.toml").read_text(encoding="utf-8"))
    assert data["models"]["gpt-5"]["as_of"] == "2026-07-24" and data["catalog"]["as_of"] == "2026-07-24"
    assert "map.json" in data["models"]["gpt-5"]["source"]


def test_bad_input_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Broken JSON names file and line; no FILE and no litellm installed is exit 2; bad fields are listed."""
    broken = tmp_path / "broken.json"
    broken.write_text('{\n  "a": {\n    "input_cost_per_token": 1e-6,\n  }\n}\n', encoding="utf-8")
    _, err = run(capsys, "pricing", "import", str(broken), "-o", str(tmp_path / "o.toml"), code=2)
    assert f"{broken}:4: not valid JSON" in err
    _, err = run(capsys, "pricing", "import", str(tmp_path / "none.json"), "-o", str(tmp_path / "o.toml"), code=2)
    assert "no such file" in err  # the one reader says so for every missing file
    _, err = run(capsys, "pricing", "import", str(SAMPLE), "-o", str(tmp_path / "o.toml"), "--as-of", "soon", code=2)
    assert "--as-of" in err
    monkeypatch.setattr("costmodel.files.litellm.installed_price_map", lambda: None)
    _, err = run(capsys, "pricing", "import", "-o", str(tmp_path / "o.toml"), code=2)
    assert "no litellm package is installed" in err
    result = convert(
        {"x": {"input_cost_per_token": "cheap", "output_cost_per_token": 2e-6}, "y": [1]}, source="s", as_of="2026-12"
    )
    assert result.models["x"] == {
        "output_per_mtok": 2.0,
        "unconfirmed": ["output_per_mtok"],
        "source": "s",
        "as_of": "2026-12",
    }
    assert any("input_cost_per_token: expected a number" in n.reason for n in result.notes)
    assert [s.name for s in result.skipped] == ["y"]


def test_reads_the_installed_litellm_map(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without FILE the map of an installed litellm package is read and its version named."""
    package = tmp_path / "site" / "litellm"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("raise ImportError('must not be imported')\n", encoding="utf-8")
    (package / "model_prices_and_context_window_backup.json").write_text(
        SAMPLE.read_text(encoding="utf-8"), encoding="utf-8"
    )
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    _, err = run(capsys, "pricing", "import", "-o", str(tmp_path / "c.toml"), "--only", "gpt-5.4", "--as-of", "2026-12")
    assert "litellm" in err and str(package) in err
    data = tomllib.loads((tmp_path / "c.toml").read_text(encoding="utf-8"))
    assert data["models"]["gpt-5.4"]["input_per_mtok"] == 2.5


def test_fine_tuned_inference_prices_come_from_ft_entries(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """With --base, the map's `ft:MODEL-DATE` prices become MODEL's ft_* prices (training stays the base's)."""
    data = imported(tmp_path, capsys, "--only", "gpt-4.1", "--only", "ft:gpt-4.1-*", "--base", "openai-2026")
    model = data["models"]["gpt-4.1"]
    entry = MAP["ft:gpt-4.1-2025-04-14"]
    assert model["ft_input_per_mtok"] == per_mtok(entry["input_cost_per_token"]) == 3.0
    assert model["ft_output_per_mtok"] == per_mtok(entry["output_cost_per_token"]) == 12.0
    assert model["training_per_mtok"] == 25.0 and "ft:gpt-4.1-2025-04-14" in model["source"]
    assert "ft_input_per_mtok" in model["unconfirmed"]
    assert (
        "ft_input_per_mtok" not in data["models"]["gpt-4.1-mini"]
        or data["models"]["gpt-4.1-mini"]["ft_input_per_mtok"] == 0.8
    )


def test_two_entries_for_one_base_model_are_reported() -> None:
    """When `gemini/x` and `x` both match base model x, the first is kept and the second is listed."""
    from costmodel.files.scenario_io import load_catalog as catalog

    price_map = {
        "gemini/gemini-2.5-pro": {"input_cost_per_token": 1.25e-06, "output_cost_per_token": 1e-05, "mode": "chat"},
        "gemini-2.5-pro": {"input_cost_per_token": 2e-06, "output_cost_per_token": 1e-05, "mode": "chat"},
    }
    result = convert(price_map, source="s", as_of="2026-12", base=catalog("google-2026"), base_name="google-2026")
    assert result.models["gemini-2.5-pro"]["input_per_mtok"] == 1.25
    assert [n.name for n in result.notes] == ["gemini-2.5-pro"]
