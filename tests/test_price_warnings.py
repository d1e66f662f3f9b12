"""Price warnings: every rule, their ranking, grouping and one-line rendering, in every face."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from costmodel.cli.main import main
from costmodel.files.pricing import price_warning_list, price_warnings, used_prices
from costmodel.files.scenario_io import load_scenario
from costmodel.model.engine import STALE_WARNING, estimate
from costmodel.model.notices import WIDTH, CostWarning, Severity, fit_items, from_engine, rank, render, render_all
from costmodel.model.schema import Scenario

TODAY = date(2026, 12, 1)
BUNDLED = ["support-assistant", "internal-kb", "narrow-classifier", "regulated-qa", "support-assistant-azure"]


@pytest.fixture(autouse=True)
def _env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No user presets; today is 2026-12-01; the default age limit."""
    monkeypatch.setenv("COSTMODEL_PRESETS_DIR", str(tmp_path / "user"))
    monkeypatch.setenv("COSTMODEL_TODAY", "2026-12-01")
    monkeypatch.delenv("COSTMODEL_MAX_PRICE_AGE", raising=False)


def with_model(s: Scenario, name: str, **changes: Any) -> Scenario:
    """Return `s` with fields of one model's prices changed."""
    return s.model_copy(update={"models": {**s.models, name: s.models[name].model_copy(update=changes)}})


def codes(warnings: list[CostWarning]) -> list[str]:
    """Return the warnings' codes in order."""
    return [w.code for w in warnings]


# --- rendering and ranking -----------------------------------------------------------------


def test_fit_items_shortens_a_list_to_the_room() -> None:
    assert fit_items(["a", "bb", "ccc"], 20) == "a, bb, ccc"
    assert fit_items(["alpha", "beta", "gamma", "delta"], 16) == "alpha, … +3"
    assert fit_items(["a-very-long-model-name"], 5) == "a-very-long-model-name"


def test_render_is_one_line_within_the_width() -> None:
    """Strategies lead, the list shrinks to fit, the hint goes when there is no room, and nothing passes 78."""
    w = CostWarning(
        Severity.AGE, "stale", "4 prices are 15 months old: {items}", ("rag", "hybrid"), ("gpt-4.1",) * 4, "see x"
    )
    line = render(w)
    assert line.startswith("rag, hybrid: 4 prices are 15 months old: gpt-4.1") and line.endswith(" — see x")
    crowded = CostWarning(Severity.AGE, "stale", "{items}", ("rag",), tuple(f"model-{i}" for i in range(30)), "hint")
    assert len(render(crowded)) <= WIDTH and "… +" in render(crowded)
    long = CostWarning(Severity.DECISION, "retired", "x" * 200)
    assert len(render(long)) == WIDTH and render(long).endswith("…")
    assert w.full_text().endswith("gpt-4.1, gpt-4.1, gpt-4.1, gpt-4.1 — see x")


def test_rank_puts_decisions_first_and_drops_duplicates() -> None:
    age = CostWarning(Severity.AGE, "stale", "old")
    cost = CostWarning(Severity.COST, "engine", "understated")
    decision = CostWarning(Severity.DECISION, "retired", "gone")
    assert rank([age, cost, decision, age]) == [decision, cost, age]


def test_engine_sentences_keep_their_words() -> None:
    """The engine's warnings become COST warnings, word for word, tied to the strategy they name."""
    [w] = from_engine([STALE_WARNING])
    assert w.severity == Severity.COST and w.strategies == ("fine_tune",) and render(w) == STALE_WARNING


# --- the rules ----------------------------------------------------------------------------------


def test_no_age_warning_for_2026_catalogs_and_at_most_two_age_lines() -> None:
    """On 2026-12-01 every bundled preset's used prices are at most 12 months old."""
    for name in [*BUNDLED, "support-assistant-h100", "support-assistant-l40s", "default"]:
        s = load_scenario(name)
        for u in used_prices(s):
            assert u.as_of is not None
            from costmodel.files.pricing import age_in_months

            assert age_in_months(u.as_of, TODAY) <= 12, (name, u.name)
        assert not [w for w in price_warning_list(s, TODAY) if w.code in ("stale", "undated", "future")]


def test_stale_prices_are_one_grouped_line() -> None:
    """Old prices make one AGE line naming the models, ages given as a span."""
    s = load_scenario("support-assistant")
    s = with_model(s, "gpt-4.1", as_of="2025-09")
    s = with_model(s, "text-embedding-3-small", as_of="2025-11")
    [stale] = [w for w in price_warning_list(s, TODAY) if w.code == "stale"]
    assert stale.severity == Severity.AGE
    assert stale.items == ("gpt-4.1", "text-embedding-3-small")
    assert stale.strategies == ("rag", "hybrid")
    assert render(stale).startswith("rag, hybrid: 2 prices are 13-15 months old (limit 12): gpt-4.1")
    assert not [w for w in price_warning_list(s, TODAY, 24) if w.code == "stale"]
    assert not [w for w in price_warning_list(s, TODAY, None) if w.code == "stale"]


def layered(tmp_path: Path, pricing: str, *lines: str) -> Scenario:
    """Return support-assistant with another `pricing` line (and more lines) from a small file."""
    path = tmp_path / "s.toml"
    path.write_text("\n".join(['extends = "support-assistant"', f"pricing = {pricing}", *lines]) + "\n")
    return load_scenario(path)


def test_the_old_catalog_gives_at_most_one_age_line(tmp_path: Path) -> None:
    """A scenario still on openai-2025 gets one age line for its three models, not three."""
    s = layered(tmp_path, '"openai-2025"')
    lines = [w for w in price_warnings(s, TODAY) if "months old" in w]
    assert len(lines) == 1 and lines[0].startswith("rag, fine_tune, hybrid: 3 prices are 15 months old")


def test_undated_and_future_prices() -> None:
    s = load_scenario("support-assistant")
    s = with_model(s, "gpt-4.1", as_of=None)
    s = with_model(s, "gpt-4.1-mini", as_of="2027-02")
    found = {w.code: w for w in price_warning_list(s, TODAY)}
    assert found["undated"].items == ("gpt-4.1",) and "no as_of date" in render(found["undated"])
    assert found["future"].items == ("gpt-4.1-mini",) and "after today (2026-12-01)" in render(found["future"])


def test_retired_model_within_the_horizon() -> None:
    """available_until before the horizon ends is a DECISION warning on the strategies calling the model."""
    s = load_scenario("support-assistant")
    soon = with_model(s, "gpt-4.1", available_until=date(2027, 3, 31))
    [w] = [w for w in price_warning_list(soon, TODAY) if w.code == "retired"]
    assert w.severity == Severity.DECISION and w.strategies == ("rag",)
    assert render(w).startswith("rag: gpt-4.1 retires 2027-03-31, within the horizon")
    gone = with_model(s, "text-embedding-3-small", available_until=date(2026, 10, 23))
    [w] = [w for w in price_warning_list(gone, TODAY) if w.code == "retired"]
    assert w.strategies == ("rag", "hybrid") and "was retired on 2026-10-23" in render(w)
    later = with_model(s, "gpt-4.1", available_until=date(2029, 1, 1))
    assert "retired" not in codes(price_warning_list(later, TODAY))


def test_claude_sonnet_4_is_retired(tmp_path: Path) -> None:
    """claude-sonnet-4 of the 2026 catalog warns that it was retired on 2026-06-15."""
    s = layered(tmp_path, '["anthropic-voyage-2026", "openai-2026"]', "[rag]", 'model = "claude-sonnet-4"')
    [w] = [w for w in price_warning_list(s, TODAY) if w.code == "retired"]
    assert render(w) == "rag: claude-sonnet-4 was retired on 2026-06-15 — `costmodel pricing check`"


def test_fine_tuning_ending_within_the_horizon() -> None:
    """training_until before the horizon ends warns the strategies that still retrain."""
    s = load_scenario("support-assistant")
    found = [w for w in price_warning_list(s, TODAY) if w.code == "training_ends"]
    assert [w.strategies for w in found] == [("fine_tune", "hybrid")]
    assert "gpt-4.1-mini fine-tuning ends 2027-01-06; no retrains after" in render(found[0])
    no_moves = "operations.migration_every_months=0"  # a move onto a new model retrains too
    quiet = load_scenario(
        "support-assistant", ["fine_tune.retrain_on_update=false", "hybrid.retrains_per_year=0", no_moves]
    )
    assert "training_ends" not in codes(price_warning_list(quiet, TODAY))
    only_hybrid = load_scenario("support-assistant", ["fine_tune.retrain_on_update=false", no_moves])
    [w] = [w for w in price_warning_list(only_hybrid, TODAY) if w.code == "training_ends"]
    assert w.strategies == ("hybrid",)
    closed = with_model(s, "gpt-4.1-mini", training_until=date(2026, 7, 2))
    [w] = [w for w in price_warning_list(closed, TODAY) if w.code == "training_ends"]
    assert w.strategies == ("fine_tune", "hybrid") and "ended 2026-07-02, before the start" in render(w)


def test_withdrawn_fine_tuning() -> None:
    s = load_scenario("support-assistant")
    [w] = [w for w in price_warning_list(s, TODAY) if w.code == "withdrawn"]
    assert w.severity == Severity.DECISION and w.strategies == ("fine_tune", "hybrid")
    assert render(w).startswith("fine_tune, hybrid: gpt-4.1-mini fine-tuning not sold to new customers")


def test_unconfirmed_prices_rank_by_the_winner() -> None:
    """Unconfirmed prices on the cheapest strategy are a DECISION warning; on the others an AGE one."""
    s = load_scenario("support-assistant")
    found = [w for w in price_warning_list(s, TODAY, cheapest="hybrid") if w.code == "unconfirmed"]
    assert [(w.severity, w.strategies) for w in found] == [(Severity.DECISION, ("hybrid",)), (Severity.AGE, ("rag",))]
    assert render(found[0]).startswith("hybrid: 4 unconfirmed prices on the winner: ")
    assert set(found[0].items) == {"text-embedding-3-small", "gpt-4.1-mini"}
    nobody = [w for w in price_warning_list(s, TODAY) if w.code == "unconfirmed"]
    assert [w.severity for w in nobody] == [Severity.AGE]
    confirmed = load_scenario("support-assistant", ['rag.model="gpt-5.4"'])
    rag_only = [w for w in price_warning_list(confirmed, TODAY, cheapest="rag") if w.code == "unconfirmed"]
    assert [w.items for w in rag_only if w.severity == Severity.DECISION] == [("text-embedding-3-small",)]


def test_left_out_deployment_fee() -> None:
    """A catalog's ft_hosting_per_hour above fine_tune.hosting_per_hour is a COST warning; setting it silences it."""
    s = load_scenario("support-assistant-azure", ["fine_tune.hosting_per_hour=0"])
    [w] = [w for w in price_warning_list(s, TODAY) if w.code == "fee_left_out"]
    assert w.severity == Severity.COST and w.strategies == ("fine_tune", "hybrid")
    assert render(w) == "fine_tune, hybrid: 1.7/hour deployment fee not in fine_tune.hosting_per_hour"
    assert "fee_left_out" not in codes(price_warning_list(load_scenario("support-assistant-azure"), TODAY))


@pytest.mark.parametrize("name", BUNDLED)
def test_every_line_fits_80_columns(name: str) -> None:
    """Every price warning of a bundled preset is one line that fits 80 columns with the table's marker."""
    s = load_scenario(name)
    for line in price_warnings(s, TODAY, 12, estimate(s).cheapest):
        assert len("⚠ " + line) <= 80, line


# --- the faces show the same ranked set -----------------------------------------------------


def run(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    """Run the command line in-process and return stdout."""
    assert main(list(args)) == 0
    return capsys.readouterr().out


def test_acceptance_support_assistant_has_at_most_two_age_lines(capsys: pytest.CaptureFixture[str]) -> None:
    text = run(capsys, "estimate", "support-assistant")
    age_lines = [line for line in text.splitlines() if "months old" in line or "as_of" in line]
    assert len(age_lines) <= 2
    warnings = [line for line in text.splitlines() if line.startswith("⚠")]
    assert warnings and all(len(line) <= 80 for line in warnings)


def test_faces_show_the_same_ranked_warnings(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Table, Markdown and JSON carry the same lines in the same order; JSON adds their details."""
    monkeypatch.setenv("COLUMNS", "400")  # the availability warnings are longer than 80 columns: no wrapping
    s = load_scenario("support-assistant")
    # The command line dates the timeline with $COSTMODEL_TODAY (MODEL.md v2 availability): fine-tuning
    # of gpt-4.1-mini ends 2027-01-06, within the horizon, so the engine warns that Hybrid is not available.
    est = estimate(s, today=TODAY)
    expected = render_all([*from_engine(est.warnings), *price_warning_list(s, TODAY, 12, est.cheapest)])
    data = json.loads(run(capsys, "estimate", "support-assistant", "-f", "json"))
    assert data["warnings"] == expected
    # Strategies that cannot be bought rank first (one warning naming both), then what else changes the decision.
    codes = [d["code"] for d in data["warning_details"]]
    assert codes[:3] == ["unavailable", "training_ends", "withdrawn"]
    assert all(d["severity"] == "decision" for d in data["warning_details"][:3])
    assert data["warning_details"][0]["strategies"] == ["fine_tune", "hybrid"]
    assert expected[0] == "fine_tune, hybrid: not available: fine-tuning of gpt-4.1-mini ends 2027-01-06"
    table = [line[2:] for line in run(capsys, "estimate", "support-assistant").splitlines() if line.startswith("⚠ ")]
    assert table == expected
    markdown = run(capsys, "estimate", "support-assistant", "-f", "markdown")
    assert [line for line in markdown.splitlines() if line.startswith("- Warning: ")] == [
        f"- Warning: {w}" for w in expected
    ]


def test_batch_sweep_and_diff_show_the_same_warnings(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Batch (JSONL, Markdown, CSV on stderr), sweep and diff show the estimate's ranked lines."""
    monkeypatch.setenv("COLUMNS", "400")  # the availability warnings are longer than 80 columns: no wrapping
    from costmodel.files.presets import find_preset

    path = str(find_preset("support-assistant"))
    expected = json.loads(run(capsys, "estimate", path, "-f", "json"))["warnings"]
    line = json.loads(run(capsys, "batch", path, "-f", "jsonl").splitlines()[0])
    assert line["warnings"] == expected and len(line["warning_details"]) == len(expected)
    markdown = run(capsys, "batch", path, "-f", "markdown")
    row = markdown.splitlines()[2]
    assert row.rstrip(" |").rsplit(" | ", 1)[1].split("<br>") == [w.replace("|", "\\|") for w in expected]
    rows = list(csv.DictReader(io.StringIO(run(capsys, "batch", path, "-f", "csv"))))
    assert {r["warnings"] for r in rows} == {" | ".join(expected)}
    sweep = run(capsys, "sweep", path, "--vary", "workload.requests_per_month=1000,2000")
    assert [x[2:] for x in sweep.splitlines() if x.startswith("⚠ ")] == expected
    diff = json.loads(run(capsys, "diff", "internal-kb", path, "-f", "json"))
    assert [w for w in diff["warnings"] if w in expected] == expected


def test_unconfirmed_gpu_prices_warn(tmp_path: Path) -> None:
    """A GPU price from an aggregator (unconfirmed) is named in the unconfirmed warning of the strategies it bills."""
    path = tmp_path / "h200.toml"
    path.write_text(
        'extends = "support-assistant-h100"\npricing = ["openai-2026", "gpus-2026-11"]\n'
        '[fine_tune.self_host]\ngpu = "h200-runpod"\n[fine_tune.self_train]\ngpu = "h200-runpod"\n',
        encoding="utf-8",
    )
    s = load_scenario(path)
    found = [w for w in price_warning_list(s, TODAY, cheapest="rag") if w.code == "unconfirmed"]
    other = [w for w in found if w.severity == Severity.AGE]
    assert other and "h200-runpod" in other[0].items and set(other[0].strategies) >= {"fine_tune", "hybrid"}
    confirmed = load_scenario("support-assistant-h100")
    assert not any("h100-runpod-secure" in w.items for w in price_warning_list(confirmed, TODAY))


def test_the_horizon_starts_at_the_scenario_start(tmp_path: Path) -> None:
    """With `start` the horizon is counted from that month: a fine-tune starting after training_until cannot train."""
    s = layered(tmp_path, '"openai-2026"', 'start = "2027-02"')
    [w] = [w for w in price_warning_list(s, TODAY) if w.code == "training_ends"]
    assert w.strategies == ("fine_tune", "hybrid")
    assert render(w) == "fine_tune, hybrid: gpt-4.1-mini fine-tuning ends 2027-01-06, before the start"
    from costmodel.files.pricing import horizon_dates

    assert horizon_dates(s, TODAY) == (date(2027, 2, 1), date(2029, 1, 31))
