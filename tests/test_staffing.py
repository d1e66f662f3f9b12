"""The staffing check, by hand on shared/MODEL.md's example (effort rows from docs/model.md)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_cli import run

from costmodel.analysis.staffing import WORKING_DAYS_PER_MONTH, staffing
from costmodel.model.engine import estimate
from costmodel.model.inputs import replace_values
from costmodel.model.schema import Scenario

MONTH = 230 / 12  # engineer-days in one working month


def test_fte_by_hand(example: Scenario) -> None:
    result = staffing(example, estimate(example))
    assert round(WORKING_DAYS_PER_MONTH, 4) == 19.1667
    assert result.engineers is None and result.warnings == ()
    rag, ft, hy = (result.strategies[n] for n in ("rag", "fine_tune", "hybrid"))
    # Build over 2 months: rag 15 days, fine_tune 10, hybrid 15 + 3 = 18.
    assert rag.build_fte == pytest.approx(15 / (2 * MONTH))  # 0.3913
    assert ft.build_fte == pytest.approx(10 / (2 * MONTH))
    assert hy.build_fte == pytest.approx(18 / (2 * MONTH))  # 0.4696
    # Running: monthly days + 4 updates × per-update days.
    assert rag.running_engineer_days_per_month == pytest.approx(1 + 4 * 0.5 / 8)  # 1.25
    assert ft.running_engineer_days_per_month == pytest.approx(1 + 4 * 2)  # 9
    assert hy.running_engineer_days_per_month == pytest.approx(1 + 0.5 + 2 / 12 * 2 + 4 * 0.0625)
    assert ft.running_fte == pytest.approx(9 / MONTH)  # 0.4696
    assert ft.expert_hours_per_month == pytest.approx(4 * 2000 * 0.1 * 4 / 60)  # 53.33
    assert hy.expert_hours_per_month == pytest.approx(2 / 12 * 300 * 0.1 * 4 / 60)
    assert rag.needed_fte == pytest.approx(rag.build_fte) and ft.needed_fte == pytest.approx(ft.running_fte)
    assert not any(s.short for s in result.strategies.values())


def test_warning_when_the_team_is_too_small(example: Scenario) -> None:
    s = replace_values(example, {("team", "engineers"): 0.4})
    result = staffing(s, estimate(s))
    assert [n for n, x in result.strategies.items() if x.short] == ["fine_tune", "hybrid"]
    assert result.warnings == (
        "Fine-tuning needs 0.47 engineers (9 engineer-days of upkeep, updates and releases a month), "
        "but the team has 0.4",
        "Hybrid needs 0.47 engineers (18 engineer-days of build over 2 months), but the team has 0.4",
    )
    data = result.to_dict()
    assert data["engineers"] == 0.4 and data["strategies"]["rag"]["short"] is False
    assert data["strategies"]["hybrid"]["needed_fte"] == pytest.approx(18 / (2 * MONTH))


def test_stated_build_months_and_working_days(example: Scenario) -> None:
    result = staffing(example, estimate(example), build_months=1, working_days_per_month=20)
    assert result.strategies["hybrid"].build_fte == pytest.approx(18 / 20)
    assert result.strategies["fine_tune"].running_fte == pytest.approx(9 / 20)
    with pytest.raises(ValueError):
        staffing(example, estimate(example), build_months=0)


def test_cli_shows_staffing_and_warns(data_dir: Path) -> None:
    path = str(data_dir / "model_example.toml")
    done = run("estimate", path, "--set", "team.engineers=0.4", "-f", "json")
    data = json.loads(done.stdout)
    assert data["staffing"]["engineers"] == 0.4
    assert any(w.startswith("Fine-tuning needs 0.47 engineers") for w in data["warnings"])
    markdown = run("estimate", path, "--set", "team.engineers=0.4", "-f", "markdown").stdout
    assert "| Engineers a month (FTE) | 0.07 | 0.47 ! | 0.11 |" in markdown
    table = run("estimate", path, "--set", "team.engineers=0.4", "-o", "-").stdout
    assert "Engineers, build (FTE)" in table and "⚠ Hybrid needs 0.47 engineers" in table
    # Without a head count: no rows, no warning, but the JSON still has the figures.
    plain = run("estimate", path, "-f", "markdown").stdout
    assert "Engineers a month" not in plain and "needs" not in plain
    assert json.loads(run("estimate", path, "-f", "json").stdout)["staffing"]["engineers"] is None
