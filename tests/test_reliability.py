"""The guarantees of docs/reliability.md, one test each: finite figures, located errors, safe reading and writing."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
import tomli_w
from hypothesis import given, settings
from hypothesis import strategies as st

from costmodel.cli.main import main
from costmodel.files.batch import iter_batch
from costmodel.files.loader import load_document
from costmodel.files.output import OutputError, open_output, write_output
from costmodel.files.presets import bundled_dir, list_presets
from costmodel.files.reading import MAX_FILE_BYTES, read_text
from costmodel.files.scenario_io import load_scenario, save_scenario
from costmodel.files.tomltext import key_lines
from costmodel.model.engine import estimate
from costmodel.model.errors import CostmodelError, ScenarioError, ScenarioValidationError
from costmodel.model.finite import FigureOverflowError, finite_estimate
from costmodel.model.paths import format_path, split_path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "tests" / "data" / "model_example.toml"


def _with(tmp_path: Path, name: str, old: str, new: str) -> Path:
    path = tmp_path / name
    path.write_text(EXAMPLE.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    return path


# --- finite figures


def test_overflow_is_a_located_error_naming_input_figure_and_months():
    doc = load_document(EXAMPLE, ["workload.monthly_growth=1000"])
    with pytest.raises(FigureOverflowError) as info:
        finite_estimate(doc.scenario, 120)
    assert "workload.monthly_growth" in str(info.value) and "months 1-120" in str(info.value)


def test_overflow_in_a_file_names_its_line(tmp_path, capsys):
    path = _with(tmp_path, "big.toml", "requests_per_month = 50000", "requests_per_month = 1e308")
    assert main(["estimate", str(path), "-f", "csv"]) == 2
    err = capsys.readouterr().err
    assert f"{path}:8: workload.requests_per_month" in err and "overflow" in err


def test_finite_scenarios_are_unchanged(example):
    assert finite_estimate(example) == estimate(example)


# --- located errors, strict types, all problems together


def test_bad_value_in_base_names_the_base_and_its_line(tmp_path):
    _with(tmp_path, "base.toml", "epochs = 3", "epochs = 0")
    (tmp_path / "top.toml").write_text('extends = "base.toml"\nname = "top"\n', encoding="utf-8")
    with pytest.raises(ScenarioValidationError) as info:
        load_scenario(tmp_path / "top.toml")
    assert f"{tmp_path / 'base.toml'}:36: fine_tune.epochs" in str(info.value)


@pytest.mark.parametrize("ref", ["no-such-preset", "nowhere/x.toml"])
def test_bad_extends_names_the_line_that_says_it(tmp_path, ref):
    (tmp_path / "s.toml").write_text(f'name = "x"\nextends = "{ref}"\n', encoding="utf-8")
    with pytest.raises(CostmodelError, match=r"s\.toml:2: extends: "):
        load_scenario(tmp_path / "s.toml")


def test_every_reference_problem_is_reported_together(tmp_path):
    path = _with(tmp_path, "two.toml", 'model = "gpt-4.1-mini"', 'model = "nope1"')
    path.write_text(path.read_text().replace('model = "gpt-4.1-mini"', 'model = "nope2"', 1))
    with pytest.raises(ScenarioValidationError) as info:
        load_scenario(path)
    assert "nope1" in str(info.value) and "nope2" in str(info.value)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("requests_per_month = 50000", "requests_per_month = true"),
        ("requests_per_month = 50000", 'requests_per_month = "80000"'),
        ("retrain_on_update = true", 'retrain_on_update = "yes"'),
        ("retrain_on_update = true", "retrain_on_update = 1"),
    ],
)
def test_types_are_strict(tmp_path, old, new):
    with pytest.raises(ScenarioValidationError):
        load_scenario(_with(tmp_path, "s.toml", old, new))


def test_strict_set_and_int_for_float():
    with pytest.raises(ScenarioValidationError, match="from --set"):
        load_scenario(EXAMPLE, ["horizon_months=true"])
    assert load_scenario(EXAMPLE, ["workload.monthly_growth=0"]).workload.monthly_growth == 0.0


# --- no hang: refused at once


def test_fifo_device_and_huge_files_are_refused(tmp_path):
    fifo = tmp_path / "f.toml"
    os.mkfifo(fifo)
    for path, reason in ((fifo, "FIFO"), (Path("/dev/zero"), "device")):
        with pytest.raises(ScenarioError, match=reason):
            read_text(path)
    huge = tmp_path / "huge.toml"
    with open(huge, "wb") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)
    with pytest.raises(ScenarioError, match="MB limit"):
        read_text(huge)


def test_bom_accepted_and_symlink_loop_named(tmp_path):
    bom = tmp_path / "bom.toml"
    bom.write_bytes(b"\xef\xbb\xbf" + EXAMPLE.read_bytes())
    assert load_scenario(bom) == load_scenario(EXAMPLE)
    loop = tmp_path / "loop.toml"
    os.symlink(loop, loop)
    with pytest.raises(ScenarioError, match="symlink loop"):
        load_scenario(loop)


# --- one writer, atomic saves


def test_writer_refuses_folders_and_missing_folders(tmp_path):
    with pytest.raises(OutputError, match="is a folder"):
        write_output("x", str(tmp_path))
    with pytest.raises(OutputError, match="does not exist"):
        write_output("x", str(tmp_path / "missing" / "x.txt"))


def test_writer_follows_symlinks_keeps_modes_and_uses_umask(tmp_path):
    target = tmp_path / "target.txt"
    target.write_text("old")
    os.chmod(target, 0o640)
    link = tmp_path / "link.txt"
    os.symlink(target, link)
    write_output("new", str(link))
    assert link.is_symlink() and target.read_text() == "new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    old = os.umask(0o022)
    try:
        write_output("fresh", str(tmp_path / "fresh.txt"))
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "fresh.txt").stat().st_mode) == 0o644


def test_writer_writes_devices_and_leaves_nothing_on_failure(tmp_path):
    write_output("x", "/dev/null")
    out = tmp_path / "out.txt"
    out.write_text("kept")
    with pytest.raises(RuntimeError), open_output(str(out)) as handle:
        handle.write("half")
        raise RuntimeError
    assert out.read_text() == "kept" and sorted(p.name for p in tmp_path.iterdir()) == ["out.txt"]


def test_save_through_a_symlink_writes_the_target_with_umask_mode(tmp_path, example):
    target = tmp_path / "real.toml"
    link = tmp_path / "link.toml"
    os.symlink(target, link)
    old = os.umask(0o022)
    try:
        save_scenario(example, link)
    finally:
        os.umask(old)
    assert link.is_symlink() and load_scenario(target) == example
    assert stat.S_IMODE(target.stat().st_mode) == 0o644


# --- ranges on any model name: paths and key lines round-trip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(min_size=1, max_size=12), min_size=1, max_size=4))
def test_split_path_undoes_format_path(keys):
    assert split_path(format_path(keys)) == tuple(keys)


@settings(max_examples=200, deadline=None)
@given(st.text(min_size=1, max_size=12).filter(lambda k: "\r" not in k))
def test_key_lines_finds_keys_tomli_w_escapes(name):
    text = tomli_w.dumps({"models": {name: {"input_per_mtok": 1.0}}})
    assert ("models", name, "input_per_mtok") in key_lines(text)


def test_range_on_a_model_name_with_a_quote(tmp_path, capsys):
    text = EXAMPLE.read_text(encoding="utf-8").replace('"gpt-4.1-mini"', '"gpt\\"q"')
    text = text.replace("input_per_mtok = 0.40", "input_per_mtok = { low = 0.2, high = 0.6 }")
    path = tmp_path / "q.toml"
    path.write_text(text, encoding="utf-8")
    assert main(["estimate", str(path), "--samples", "100", "--seed", "1", "-f", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["uncertainty"]["ranged_inputs"] == ['models."gpt\\"q".input_per_mtok']
    save_scenario(load_scenario(path), tmp_path / "saved.toml")
    assert load_scenario(tmp_path / "saved.toml") == load_scenario(path)


# --- batch continues, and agrees with estimate


def test_batch_gives_estimates_figures_on_every_bundled_preset():
    presets = [p for p in list_presets() if p.origin == "bundled"]
    items = list(iter_batch([str(p.path) for p in presets]))
    assert len(items) == len(presets) >= 8
    for preset, item in zip(presets, items, strict=True):
        assert item.error is None, item.error
        assert item.estimate == estimate(load_scenario(preset.path))
    assert str(bundled_dir())


def test_batch_keeps_going_and_writes_the_good_results(tmp_path, capsys):
    (tmp_path / "a.toml").write_text(EXAMPLE.read_text(encoding="utf-8"))
    (tmp_path / "b.toml").write_text("x = = 1\n")
    _with(tmp_path, "c.toml", "requests_per_month = 50000", "requests_per_month = 1e308")
    out = tmp_path / "out" / "all.jsonl"
    out.parent.mkdir()
    assert (
        main(
            [
                "batch",
                str(tmp_path / "a.toml"),
                str(tmp_path / "b.toml"),
                str(tmp_path / "c.toml"),
                "-f",
                "jsonl",
                "-o",
                str(out),
            ]
        )
        == 2
    )
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [Path(r["file"]).name for r in rows] == ["a.toml"]
    assert {"warnings", "prices", "fit"} <= rows[0].keys()
    err = capsys.readouterr().err
    assert "b.toml:1" in err and "c.toml:8" in err and "1 scenario estimated, 2 failed" in err


def test_batch_reports_symlink_loops_and_links_out_of_the_folder(tmp_path):
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / "a.toml").write_text(EXAMPLE.read_text(encoding="utf-8"))
    os.symlink(tree, tree / "again")
    outside = tmp_path / "outside.toml"
    outside.write_text(EXAMPLE.read_text(encoding="utf-8"))
    os.symlink(outside, tree / "link.toml")
    items = list(iter_batch([str(tree)]))
    errors = [str(i.error) for i in items if i.error is not None]
    assert [Path(i.path).name for i in items if i.error is None] == ["a.toml"]
    assert any("loop" in e for e in errors) and any("outside" in e for e in errors)


def test_batch_progress_lines_in_a_log(tmp_path, capsys):
    (tmp_path / "a.toml").write_text(EXAMPLE.read_text(encoding="utf-8"))
    assert main(["batch", str(tmp_path), "--progress", "always", "-o", str(tmp_path / "out.csv")]) == 0
    assert "costmodel: progress: 1 of 1 files done" in capsys.readouterr().err


# --- memory and size limits


def test_monte_carlo_in_chunks_gives_the_same_numbers(monkeypatch):
    from costmodel.analysis import montecarlo

    scenario = load_scenario(ROOT / "examples" / "plan.toml")
    whole = montecarlo.simulate(scenario, 500, seed=3, months=36, with_bands=True)
    monkeypatch.setattr(montecarlo, "CHUNK", 64)
    chunked = montecarlo.simulate(scenario, 500, seed=3, months=36, with_bands=True)
    assert chunked.to_dict() == whole.to_dict() and chunked.bands == whole.bands


def test_sweeps_refuse_more_than_the_stated_cap(example):
    from costmodel.analysis.sweeps import MAX_COMBINATIONS, SweepError, plan_sweep

    vary = {"workload.requests_per_month": "1:1e6:2000", "knowledge.updates_per_month": "0:30:1000"}
    with pytest.raises(SweepError, match=f"{MAX_COMBINATIONS:,}"):
        plan_sweep(example, vary)


# --- command-line manners and presets


def test_mistyped_command_and_strategy_without_budget(capsys):
    assert main(["estimat", str(EXAMPLE)]) == 2
    assert "did you mean `costmodel estimate`" in capsys.readouterr().err
    assert main(["estimate", str(EXAMPLE), "--strategy", "rag"]) == 2
    assert "--max-total" in capsys.readouterr().err
    assert main(["estimate", str(EXAMPLE), "--max-total", "1e999"]) == 2


def test_presets_new_refuses_a_copy_that_would_extend_itself(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("COSTMODEL_PRESETS_DIR", str(tmp_path))
    assert main(["presets", "new", "support-assistant"]) == 2
    assert "extend itself" in capsys.readouterr().err
    (tmp_path / "support-assistant.toml").write_text('extends = "support-assistant"\n')
    assert main(["presets", "new", "support-assistant", "--from", "support-assistant", "--force"]) == 0
    assert load_scenario("support-assistant") == load_scenario(bundled_dir() / "support-assistant.toml")


def test_messages_are_short_and_escaped(capsys):
    long_value = 'workload.requests_per_month="' + "a" * 5000
    assert main(["estimate", str(EXAMPLE), "--set", "name=1", "--set", long_value]) == 2
    err = capsys.readouterr().err
    assert len(err) < 1000 and len(err.splitlines()) <= 8
    assert main(["estimate", str(EXAMPLE), "--set", "x\x1b[2J=1"]) == 2
    assert "\x1b" not in capsys.readouterr().err
