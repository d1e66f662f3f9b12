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
    assert any("fine-tuning not sold to new customers" in w for w in data["warnings"])
    assert not [w for w in data["warnings"] if "months old" in w]  # the 2026 catalog is current
    assert {p["name"] for p in data["prices"]} == {"gpt-4.1", "text-embedding-3-small", "gpt-4.1-mini"}
    late = json.loads(out(capsys, "estimate", "support-assistant", "-f", "json", "--today", "2027-09-15"))
    assert [w for w in late["warnings"] if "months old" in w]
    quiet = json.loads(
        out(capsys, "estimate", "support-assistant", "-f", "json", "--today", "2027-09-15", "--max-price-age", "0")
    )
    assert not [w for w in quiet["warnings"] if "months old" in w]


def test_price_warnings_in_table_and_markdown(capsys: pytest.CaptureFixture[str]) -> None:
    assert "fine-tuning not sold" in out(capsys, "estimate", "support-assistant", "-o", "-", "-f", "markdown")
    assert "months old" in out(capsys, "estimate", "support-assistant", "-f", "markdown", "--today", "2028-01-01")
    assert "GPU capacity" in out(capsys, "estimate", "support-assistant-l40s", "-f", "markdown")


def test_bad_price_age_options(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    assert "--max-price-age" in out(capsys, "estimate", "support-assistant", "--max-price-age", "x", code=2)
    assert "--today" in out(capsys, "estimate", "support-assistant", "--today", "soon", code=2)
    monkeypatch.setenv("COSTMODEL_MAX_PRICE_AGE", "-3")
    assert "COSTMODEL_MAX_PRICE_AGE" in out(capsys, "estimate", "support-assistant", code=2)


# --- pricing check, pricing diff, and 80-column output ---------------------------------------


def test_pricing_check_lists_every_used_price(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every price the scenario uses, with age, confirmation and status; --strict exits 3 when warned."""
    monkeypatch.setenv("COSTMODEL_TODAY", "2026-12-01")
    data = json.loads(out(capsys, "pricing", "check", "support-assistant", "-f", "json"))
    rows = {(r["name"], r["field"]): r for r in data["prices"]}
    assert set(rows) == {
        ("gpt-4.1", "input_per_mtok"),
        ("gpt-4.1", "output_per_mtok"),
        ("gpt-4.1", "cached_input_per_mtok"),  # the preset caches its style guide
        ("text-embedding-3-small", "input_per_mtok"),
        ("gpt-4.1-mini", "training_per_mtok"),
        ("gpt-4.1-mini", "ft_input_per_mtok"),
        ("gpt-4.1-mini", "ft_output_per_mtok"),
    }
    assert data["horizon"] == {"start": "2026-12-01", "end": "2028-11-30"}
    training = rows[("gpt-4.1-mini", "training_per_mtok")]
    assert training["value"] == 5.0 and not training["confirmed"] and training["age_months"] == 4
    assert training["status"] == ["withdrawn", "training until 2027-01-06"]
    assert data["warnings"][0].startswith("fine_tune, hybrid: gpt-4.1-mini fine-tuning ends 2027-01-06")
    assert main(["pricing", "check", "support-assistant", "--strict"]) == 3
    capsys.readouterr()
    text = out(capsys, "pricing", "check", "support-assistant-h100")
    assert "h100-runpod-secure per_hour" in text and "3.49" in text


def test_pricing_check_strict_passes_when_nothing_is_warned(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """A scenario whose prices are confirmed, current and on sale passes --strict."""
    catalog = tmp_path / "mine.toml"
    catalog.write_text(
        '[catalog]\nname = "mine"\n'
        "[models.a]\ninput_per_mtok = 1.0\noutput_per_mtok = 2.0\ncached_input_per_mtok = 0.5\n"
        'source = "me"\nas_of = "2026-11"\n'
        '[models.e]\ninput_per_mtok = 0.1\nsource = "me"\nas_of = "2026-11"\n'
        "[models.f]\ntraining_per_mtok = 3.0\nft_input_per_mtok = 1.0\nft_output_per_mtok = 2.0\n"
        'source = "me"\nas_of = "2026-11"\n',
        encoding="utf-8",
    )
    scenario = tmp_path / "s.toml"
    scenario.write_text(
        'extends = "support-assistant"\npricing = "mine.toml"\n'
        '[rag]\nmodel = "a"\nembedding_model = "e"\n[fine_tune]\nmodel = "f"\n',
        encoding="utf-8",
    )
    assert main(["pricing", "check", str(scenario), "--strict"]) == 0
    assert "no price warnings" in capsys.readouterr().out
    assert main(["pricing", "check", str(scenario), "--strict", "--today", "2028-06-01"]) == 3


def test_pricing_diff_between_catalogs(capsys: pytest.CaptureFixture[str]) -> None:
    """Models added and removed, and price changes in percent."""
    data = json.loads(out(capsys, "pricing", "diff", "open-models-2025", "open-models-2026", "-f", "json"))
    assert data["added"] == [] and "gemini-2.5-flash" in data["removed"]
    change = {(c["model"], c["field"]): c for c in data["changes"]}
    assert change[("mistral-small", "input_per_mtok")]["percent"] == pytest.approx(50.0)
    assert change[("mistral-small", "output_per_mtok")]["percent"] == pytest.approx(100.0)
    gpus = json.loads(out(capsys, "pricing", "diff", "gpus-2026", "gpus-2026-11", "-f", "json"))
    per_hour = {c["model"]: c for c in gpus["changes"]}["h100-runpod-secure"]
    assert (per_hour["old"], per_hour["new"]) == (3.49, 3.99) and per_hour["percent"] == pytest.approx(14.326647564)
    assert "h200-runpod" in gpus["added"]
    text = out(capsys, "pricing", "diff", "openai-2025", "openai-2026")
    assert "added (7): gpt-5.5" in text and "removed (2): gpt-4o, gpt-3.5-turbo" in text
    assert "no pricing catalog named 'nope'" in out(capsys, "pricing", "diff", "nope", "openai-2026", code=2)


@pytest.mark.parametrize(
    "args",
    [
        ("pricing", "list"),
        ("pricing", "show", "openai-2026"),
        ("pricing", "show", "anthropic-voyage-2026"),
        ("pricing", "show", "google-2026"),
        ("pricing", "show", "gpus-2026-11"),
        ("pricing", "show", "vector-dbs-2026"),
        ("pricing", "check", "support-assistant"),
    ],
)
def test_pricing_output_fits_80_columns(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...]
) -> None:
    """At 80 columns no line is wider, and no price is cut short (`0…`)."""
    monkeypatch.setenv("COLUMNS", "80")
    text = out(capsys, *args)
    assert all(len(line) <= 80 for line in text.splitlines())
    assert "…" not in text.replace("… +", "")
    if args[1] == "show":
        catalog = json.loads(out(capsys, "pricing", "show", args[2], "-f", "json"))
        for price in catalog["models"].values():
            for field, value in price.items():
                if field.endswith("_per_mtok"):
                    assert f"{value:g}" in text, (field, value)
