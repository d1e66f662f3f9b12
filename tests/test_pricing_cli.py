"""The pricing and presets commands, and price warnings in every estimate face (in-process, fast)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from costmodel.cli.main import main


@pytest.fixture(autouse=True)
def _user_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Point the user presets folder at an empty temporary one and pin today's date."""
    folder = tmp_path / "user"
    monkeypatch.setenv("COSTMODEL_PRESETS_DIR", str(folder))
    monkeypatch.setenv("COSTMODEL_TODAY", "2026-11-25")
    monkeypatch.delenv("COSTMODEL_MAX_PRICE_AGE", raising=False)
    return folder


def out(capsys: pytest.CaptureFixture[str], *args: str, code: int = 0) -> str:
    """Run the command line in-process; check its exit code and return stdout (stderr when failing)."""
    assert main(list(args)) == code
    captured = capsys.readouterr()
    return captured.out if code == 0 else captured.err


def test_pricing_list_shows_source_and_as_of(capsys: pytest.CaptureFixture[str]) -> None:
    rows = json.loads(out(capsys, "pricing", "list", "-f", "json"))
    by_name = {r["name"]: r for r in rows}
    assert {"openai-2025", "gpus-2026", "azure-openai-2026"} <= set(by_name)
    assert by_name["openai-2025"]["as_of"] == "2025-09" and by_name["openai-2025"]["age_months"] == 14
    assert all(r["source"] and r["origin"] == "bundled" for r in rows)
    assert "openai-2025" in out(capsys, "pricing", "list")


def test_pricing_show_lists_every_price_with_provenance(capsys: pytest.CaptureFixture[str]) -> None:
    data = json.loads(out(capsys, "pricing", "show", "openai-2025", "-f", "json"))
    mini = data["models"]["gpt-4.1-mini"]
    assert mini["cached_input_per_mtok"] == 0.10 and mini["as_of"] == "2025-09" and mini["source"]
    assert "training_per_mtok" in mini["withdrawn"]
    gpus = json.loads(out(capsys, "pricing", "show", "gpus-2026", "-f", "json"))["gpus"]
    assert gpus["h100-runpod-secure"]["per_hour"] == 3.49 and gpus["h100-runpod-secure"]["as_of"] == "2026-09"
    assert "Rented GPUs" in out(capsys, "pricing", "show", "gpus-2026")
    assert "no pricing catalog named 'nope'" in out(capsys, "pricing", "show", "nope", code=2)


def test_presets_new_copies_into_the_user_folder(capsys: pytest.CaptureFixture[str], _user_dir: Path) -> None:
    assert "created" in out(capsys, "presets", "new", "mine", "--from", "internal-kb")
    assert (_user_dir / "mine.toml").is_file()
    rows = {r["name"]: r for r in json.loads(out(capsys, "presets", "list", "-f", "json"))}
    assert rows["mine"]["origin"] == "user" and rows["internal-kb"]["origin"] == "bundled"
    assert "already exists" in out(capsys, "presets", "new", "mine", "--from", "internal-kb", code=2)
    out(capsys, "presets", "new", "internal-kb", "--from", "internal-kb")
    rows = {r["name"]: r for r in json.loads(out(capsys, "presets", "list", "-f", "json"))}
    assert rows["internal-kb"]["origin"] == "user" and rows["internal-kb"]["shadows"]
    assert json.loads(out(capsys, "estimate", "mine", "-f", "json"))["scenario"] == "Internal knowledge base"
    assert "letters, digits" in out(capsys, "presets", "new", "../evil", code=2)


def test_pricing_new_copies_a_catalog(capsys: pytest.CaptureFixture[str], _user_dir: Path) -> None:
    out(capsys, "pricing", "new", "my-openai", "--from", "openai-2025")
    assert (_user_dir / "pricing" / "my-openai.toml").is_file()
    rows = {r["name"]: r for r in json.loads(out(capsys, "pricing", "list", "-f", "json"))}
    assert rows["my-openai"]["origin"] == "user"


def test_estimate_json_carries_price_warnings_and_sources(capsys: pytest.CaptureFixture[str]) -> None:
    data = json.loads(out(capsys, "estimate", "support-assistant", "-f", "json"))
    assert any("14 months old" in w for w in data["warnings"])
    assert any("no longer sells" in w for w in data["warnings"])
    assert {p["name"] for p in data["prices"]} == {"gpt-4.1", "text-embedding-3-small", "gpt-4.1-mini"}
    quiet = json.loads(out(capsys, "estimate", "support-assistant", "-f", "json", "--max-price-age", "0"))
    assert not [w for w in quiet["warnings"] if "months old" in w]
    early = json.loads(out(capsys, "estimate", "support-assistant", "-f", "json", "--today", "2026-01-15"))
    assert not [w for w in early["warnings"] if "months old" in w]


def test_price_warnings_in_table_and_markdown(capsys: pytest.CaptureFixture[str]) -> None:
    assert "months old" in out(capsys, "estimate", "support-assistant", "-o", "-", "-f", "markdown")
    assert "GPU capacity" in out(capsys, "estimate", "support-assistant-l40s", "-f", "markdown")


def test_bad_price_age_options(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    assert "--max-price-age" in out(capsys, "estimate", "support-assistant", "--max-price-age", "x", code=2)
    assert "--today" in out(capsys, "estimate", "support-assistant", "--today", "soon", code=2)
    monkeypatch.setenv("COSTMODEL_MAX_PRICE_AGE", "-3")
    assert "COSTMODEL_MAX_PRICE_AGE" in out(capsys, "estimate", "support-assistant", code=2)
