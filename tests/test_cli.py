"""The real command through a subprocess: outputs, exit codes, and one clear message for bad input."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from costmodel.files.pricing import today_from_env
from costmodel.files.scenario_io import load_scenario
from costmodel.model.engine import estimate


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run `python -m costmodel ARGS` and return the finished process (text output)."""
    return subprocess.run(
        [sys.executable, "-m", "costmodel", *args], capture_output=True, text=True, cwd=cwd, timeout=60
    )


def test_json_matches_the_engine_exactly(data_dir: Path) -> None:
    path = data_dir / "model_example.toml"
    done = run("estimate", str(path), "--format", "json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data.pop("fit")["strategies"].keys() == {"rag", "fine_tune", "hybrid"}  # extra keys are welcome
    assert data.pop("decision")["winner"] == "rag"
    assert data.pop("staffing")["strategies"].keys() == {"rag", "fine_tune", "hybrid"}
    # The command line dates the timeline with today's month (or $COSTMODEL_TODAY), as the engine does when told.
    expected = json.loads(json.dumps(estimate(load_scenario(path), today=today_from_env()).to_dict()))
    # Every engine key is there unchanged; faces rank the engine's warnings with the price warnings
    # (`warnings`, `warning_details`) and add a `prices` list.
    assert {k: v for k, v in data.items() if k not in ("warnings", "warning_details", "prices")} == {
        k: v for k, v in expected.items() if k != "warnings"
    }
    assert set(expected["warnings"]) <= set(data["warnings"])
    assert len(data["warning_details"]) == len(data["warnings"])


def test_table_csv_markdown_and_months(data_dir: Path) -> None:
    path = str(data_dir / "simple.toml")
    table = run("estimate", path)
    assert table.returncode == 0 and "★ RAG" in table.stdout and "USD 10,712" in table.stdout
    assert "Engineer-days up front" in table.stdout
    rows = list(csv.DictReader(io.StringIO(run("estimate", path, "-f", "csv", "--months", "5").stdout)))
    assert [r["month"] for r in rows] == ["0", "1", "2", "3", "4", "5"]
    assert float(rows[1]["rag_cost"]) == pytest.approx(904.02)
    md = run("estimate", path, "-f", "markdown").stdout
    assert md.startswith("### Simple") and "| Total over 3 months | **USD 10,712** |" in md


def test_stale_warning_in_every_format(data_dir: Path) -> None:
    path = str(data_dir / "simple.toml")
    for fmt in ("table", "markdown"):
        out = run("estimate", path, "-f", fmt, "--set", "fine_tune.retrain_on_update=false").stdout
        assert "stale" in out
    data = json.loads(run("estimate", path, "-f", "json", "--set", "fine_tune.retrain_on_update=false").stdout)
    assert any("stale" in w for w in data["warnings"])


def test_output_file(tmp_path: Path, data_dir: Path) -> None:
    out = tmp_path / "e.json"
    done = run("estimate", str(data_dir / "simple.toml"), "-f", "json", "-o", str(out))
    assert done.returncode == 0 and done.stdout == ""
    assert json.loads(out.read_text())["cheapest"] == "rag"


def _bad(tmp_path: Path, data_dir: Path, old: str, new: str) -> str:
    path = tmp_path / "bad.toml"
    path.write_text((data_dir / "simple.toml").read_text().replace(old, new, 1), encoding="utf-8")
    return str(path)


BAD_EDITS = {
    "syntax": ("[workload]", "[workload", ["TOML syntax error", "bad.toml:7:10:"]),
    "unknown key": ("epochs = 2", "epochs = 2\nepoch = 2", ["fine_tune.epoch", "unknown key"]),
    "nan": ("epochs = 2", "epochs = nan", ["fine_tune.epochs", "finite"]),
    "negative": ("prompt_tokens = 1000", "prompt_tokens = -5", ["workload.prompt_tokens", ">= 0"]),
    "missing model": ('model = "m"\nexamples', 'model = "x"\nexamples', ["fine_tune.model", "'x' is not in [models]"]),
    "fraction": ("changed_fraction = 0.1", "changed_fraction = 1.5", ["knowledge.changed_fraction", "<= 1"]),
    "wrong type": ("output_tokens = 500", 'output_tokens = "lots"', ["workload.output_tokens", "number"]),
}


@pytest.mark.parametrize("case", sorted(BAD_EDITS))
def test_bad_scenarios_exit_2_with_one_clear_message(tmp_path: Path, data_dir: Path, case: str) -> None:
    old, new, expected = BAD_EDITS[case]
    path = _bad(tmp_path, data_dir, old, new)
    done = run("estimate", path, "-f", "json")
    assert done.returncode == 2
    assert done.stdout == ""
    assert "Traceback" not in done.stderr
    assert done.stderr.startswith(f"costmodel: {path}")
    for text in expected:
        assert text in done.stderr


def test_bad_files_and_arguments(tmp_path: Path, data_dir: Path) -> None:
    garbage = tmp_path / "garbage.toml"
    garbage.write_bytes(bytes(range(256)) * 4)
    latin = tmp_path / "latin.toml"
    latin.write_bytes('name = "Déjà"\n'.encode("latin-1"))
    cases = [
        (["estimate", str(tmp_path / "missing.toml")], "no such file"),
        (["estimate", "no-such-preset"], "no file or preset named 'no-such-preset'"),
        (["estimate", str(tmp_path)], "is a folder"),
        (["estimate", str(garbage)], "garbage.toml"),
        (["estimate", str(latin)], "not UTF-8"),
        (["estimate", str(data_dir / "simple.toml"), "--months", "0"], "1..120"),
        (["estimate", str(data_dir / "simple.toml"), "--set", "nonsense"], "expected dotted.path=value"),
        (["estimate", str(data_dir / "simple.toml"), "--format", "xml"], "invalid choice"),
        (["estimate", str(data_dir / "simple.toml"), "--set", "workload.requests_per_month=-1"], ">= 0"),
    ]
    for args, message in cases:
        done = run(*args)
        assert done.returncode == 2, (args, done.stderr)
        assert done.stdout == "", args
        assert "Traceback" not in done.stderr
        assert message in done.stderr, (args, done.stderr)
        assert len(done.stderr.strip().splitlines()) <= 3, done.stderr


def test_version_and_help() -> None:
    assert run("--version").stdout.startswith("costmodel ")
    help_text = run("--help").stdout
    for command in ("estimate", "presets", "tui"):
        assert command in help_text


def test_import_hygiene_estimate_path_never_imports_textual(data_dir: Path) -> None:
    code = (
        "import sys, io, contextlib\n"
        "import costmodel\n"
        "from costmodel.cli.main import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    assert main(['estimate', {str(data_dir / 'simple.toml')!r}, '-f', 'json']) == 0\n"
        f"    assert main(['estimate', {str(data_dir / 'simple.toml')!r}]) == 0\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('textual', 'matplotlib')]\n"
        "assert not bad, bad\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr


def test_json_path_stays_lean(data_dir: Path) -> None:
    code = (
        "import sys, io, contextlib\n"
        "from costmodel.cli.main import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    assert main(['estimate', {str(data_dir / 'simple.toml')!r}, '-f', 'json']) == 0\n"
        "heavy = [m for m in ('textual', 'rich', 'numpy') if m in sys.modules]\n"
        "assert not heavy, heavy\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr


def test_command_line_skips_pydantic_plugin_lookup_unless_asked(data_dir: Path) -> None:
    """With plugins off (the command line's default) pydantic's plugin loader is a stand-in and package
    metadata is never read; with PYDANTIC_DISABLE_PLUGINS set empty the real loader runs."""
    import os

    code = (
        "import sys, io, contextlib\n"
        "from costmodel.cli.main import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    assert main(['batch', {str(data_dir / 'simple.toml')!r}, '-f', 'jsonl']) == 0\n"
        "import pydantic.plugin._loader as loader\n"
        "real = getattr(loader, '__file__', None) is not None\n"
        "print('importlib.metadata' in sys.modules, real, list(loader.get_plugins()))\n"
    )
    for setting, expected in ((None, "False False []"), ("", "True True []")):
        env = {k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
        if setting is not None:
            env["PYDANTIC_DISABLE_PLUGINS"] = setting
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, env=env)
        assert done.returncode == 0, done.stderr
        assert done.stdout.strip() == expected


def test_presets_list_and_show() -> None:
    listing = json.loads(run("presets", "list", "--format", "json").stdout)
    names = {p["name"] for p in listing}
    assert {"default", "support-assistant", "internal-kb", "narrow-classifier", "regulated-qa"} <= names
    assert all(p["origin"] in ("user", "bundled") for p in listing)
    shown = run("presets", "show", "internal-kb")
    assert shown.returncode == 0 and "[workload]" in shown.stdout
    missing = run("presets", "show", "nope")
    assert missing.returncode == 2 and "no file or preset named 'nope'" in missing.stderr


def test_estimate_on_a_preset_by_name() -> None:
    done = run("estimate", "support-assistant", "-f", "json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["scenario"].startswith("Support assistant")
