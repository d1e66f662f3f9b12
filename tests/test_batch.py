"""`costmodel batch`: folders, globs, a broken file (exit 2, others estimated), formats, layering cache."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from costmodel import estimate, load_scenario
from costmodel.files.batch import iter_batch, iter_scenario_files
from costmodel.files.loader import Loader

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "tests" / "data" / "model_example.toml"


def _run(*args, cwd=None):
    return subprocess.run(
        [sys.executable, "-m", "costmodel", "batch", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd or ROOT,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        check=False,
    )


@pytest.fixture
def folder(tmp_path):
    """A folder of scenarios: two self-contained, two extending a shared base, one in a subfolder, one broken."""
    text = EXAMPLE.read_text(encoding="utf-8")
    base = tmp_path / "bases"
    base.mkdir()
    (base / "support.toml").write_text(text, encoding="utf-8")
    runs = tmp_path / "runs"
    (runs / "more").mkdir(parents=True)
    (runs / "a.toml").write_text(text, encoding="utf-8")
    (runs / "b.toml").write_text(text.replace("requests_per_month = 50000", "requests_per_month = 90000"))
    for name, rpm in (("c.toml", 1000), ("more/d.toml", 2000)):
        rel = "../bases/support.toml" if "/" not in name else "../../bases/support.toml"
        (runs / name).write_text(f'extends = "{rel}"\nname = "{name}"\n[workload]\nrequests_per_month = {rpm}\n')
    (runs / "broken.toml").write_text(text.replace("changed_fraction = 0.02", "changed_fraction = 1.5"))
    (runs / "notes.txt").write_text("not a scenario")
    return tmp_path


def test_folder_with_a_broken_file(folder):
    done = _run(folder / "runs")
    assert done.returncode == 2
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    files = sorted({Path(r["file"]).name for r in rows})
    assert files == ["a.toml", "b.toml", "c.toml", "d.toml"]
    assert len(rows) == 12 and {r["strategy"] for r in rows} == {"rag", "fine_tune", "hybrid"}
    assert str(folder / "runs" / "broken.toml") in done.stderr
    assert "knowledge.changed_fraction" in done.stderr and "<= 1" in done.stderr
    assert "4 scenarios estimated, 1 failed" in done.stderr
    first = next(r for r in rows if r["file"].endswith("a.toml") and r["strategy"] == "rag")
    assert float(first["total"]) == estimate(load_scenario(EXAMPLE)).strategies["rag"].total
    assert first["cheapest"] == "yes"
    assert list(rows[0])[:10] == [
        "file", "scenario", "strategy", "upfront", "per_update", "per_request",
        "monthly_fixed", "periodic_monthly", "total", "cost_per_1k_requests",
    ]  # fmt: skip


def test_globs_and_jsonl(folder):
    done = _run("runs/**/[a-d].toml", "--format", "jsonl", cwd=folder)
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert [Path(d["file"]).name for d in lines] == ["a.toml", "b.toml", "c.toml", "d.toml"]
    model_keys = {"scenario", "currency", "horizon_months", "strategies", "cheapest", "breakeven"}
    assert all(model_keys <= set(d) for d in lines)
    assert lines[2]["scenario"] == "c.toml"
    expected = estimate(load_scenario(folder / "runs" / "c.toml")).to_dict()
    assert lines[2]["strategies"] == expected["strategies"]
    nothing = _run("runs/*.nope", cwd=folder)
    assert nothing.returncode == 2 and "no file matches" in nothing.stderr


def test_json_markdown_and_output_file(folder):
    out = folder / "out.json"
    done = _run(folder / "runs" / "a.toml", folder / "runs" / "c.toml", "-f", "json", "-o", out)
    assert done.returncode == 0 and done.stdout == ""
    data = json.loads(out.read_text())
    assert [Path(d["file"]).name for d in data] == ["a.toml", "c.toml"]
    md = _run(folder / "runs" / "a.toml", "-f", "markdown")
    assert "| File | Scenario | Cheapest |" in md.stdout and "USD 42,176" in md.stdout


def test_missing_path_is_reported_and_others_run(folder):
    done = _run(folder / "runs" / "a.toml", folder / "nope.toml")
    assert done.returncode == 2
    assert "nope.toml: no such file or folder" in done.stderr
    assert done.stdout.count("a.toml") == 3


def test_loader_equals_load_scenario_and_caches_the_base(folder):
    loader = Loader(cache=True)
    for path in (folder / "runs" / "c.toml", folder / "runs" / "more" / "d.toml", folder / "runs" / "a.toml"):
        assert loader.load(path).scenario == load_scenario(path)
    assert len(loader._files) == 1


def test_errors_of_bases_and_cycles(tmp_path):
    (tmp_path / "x.toml").write_text('extends = "y.toml"\n')
    (tmp_path / "y.toml").write_text('extends = "x.toml"\n')
    (tmp_path / "z.toml").write_text('extends = "missing.toml"\n')
    (tmp_path / "bad.toml").write_text("[workload\n")
    items = list(iter_batch([str(tmp_path)]))
    errors = {Path(i.path).name: str(i.error) for i in items}
    assert "round in a circle" in errors["x.toml"] and "round in a circle" in errors["y.toml"]
    assert "missing.toml: no such file" in errors["z.toml"]
    assert "bad.toml:1" in errors["bad.toml"] and "TOML syntax error" in errors["bad.toml"]


def test_paths_stream_in_order(tmp_path):
    for name in ("b.toml", "a.toml", ".hidden.toml", "sub/c.toml"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text("")
    found = list(iter_scenario_files([str(tmp_path)]))
    assert [Path(p).name for p in found] == ["a.toml", "b.toml", "c.toml"]


def test_ranges_in_a_variant_and_in_a_base(tmp_path):
    """A range `{ low, high }` in place of a number is read as `load_scenario` reads it (median + ranges)."""
    text = EXAMPLE.read_text(encoding="utf-8")
    (tmp_path / "base.toml").write_text(
        text.replace("corpus_tokens = 20000000", "corpus_tokens = { low = 1e7, high = 4e7 }"), encoding="utf-8"
    )
    (tmp_path / "plain.toml").write_text('extends = "base.toml"\n[workload]\nrequests_per_month = 7\n')
    (tmp_path / "ranged.toml").write_text(
        'extends = "base.toml"\n[workload]\nrequests_per_month = { low = 1000, high = 9000 }\n'
    )
    (tmp_path / "self.toml").write_text(text.replace("epochs = 3", "epochs = { low = 2, high = 4 }"))
    loader = Loader(cache=True)
    for name in ("plain.toml", "ranged.toml", "self.toml", "base.toml"):
        loaded = loader.load(tmp_path / name).scenario
        assert loaded == load_scenario(tmp_path / name)
        assert loaded.ranges


def test_parallel_output_equals_serial(tmp_path):
    """With workers (-j 2, 300 files) stdout, stderr and the exit code are those of one process (-j 1)."""
    text = EXAMPLE.read_text(encoding="utf-8")
    (tmp_path / "base.toml").write_text(text, encoding="utf-8")
    runs = tmp_path / "runs"
    runs.mkdir()
    catalog = next((ROOT / "presets" / "pricing").glob("*.toml"))
    (runs / "catalog.toml").write_text(catalog.read_text(encoding="utf-8"), encoding="utf-8")  # skipped
    for i in range(300):
        if i % 37 == 5:
            body = text.replace("changed_fraction = 0.02", "changed_fraction = 1.5")  # invalid
        elif i % 53 == 7:
            body = "[workload\n"  # a syntax error
        elif i % 41 == 3:
            body = 'extends = "missing.toml"\n'
        elif i % 2:
            body = text.replace("requests_per_month = 50000", f"requests_per_month = {1000 + 37 * i}")
        else:
            body = f'extends = "../base.toml"\nname = "v{i}"\n[workload]\nrequests_per_month = {100 * i + 1}\n'
        (runs / f"s{i:03d}.toml").write_text(body, encoding="utf-8")
    for fmt in ("jsonl", "csv", "json", "markdown"):
        args = (runs, tmp_path / "nope.toml", "-f", fmt)
        serial, parallel = _run(*args, "-j", "1"), _run(*args, "-j", "2")
        assert serial.returncode == parallel.returncode == 2
        assert parallel.stdout == serial.stdout and parallel.stderr == serial.stderr
        assert "failed (exit code 2)" in serial.stderr and "nope.toml: no such file" in serial.stderr
    assert serial.stdout.count("| ") > 250


def test_chunk_bounds_cover_the_items_with_smaller_chunks_at_the_end():
    from costmodel.files.parallel import chunk_bounds

    for count, jobs, chunk in ((2000, 2, 32), (1000, 3, 100), (7, 4, 32), (1, 1, 1), (256, 8, 1)):
        bounds = chunk_bounds(count, jobs, chunk)
        assert [start for start, _ in bounds] == [0] + [end for _, end in bounds[:-1]] and bounds[-1][1] == count
        sizes = [end - start for start, end in bounds]
        assert max(sizes) <= chunk and sizes == sorted(sizes, reverse=True)
    assert chunk_bounds(0, 2, 32) == []
    sizes = [end - start for start, end in chunk_bounds(2000, 2, 32)]
    assert sizes[:58] == [32] * 58 and sizes[-1] == 4


def test_ordered_chunks_keeps_order_and_reports_a_failure():
    from costmodel.files.parallel import WorkerError, chunk_bounds, ordered_chunks

    items = list(range(1000))

    def squares(chunk):
        return [x * x for x in chunk], b"".join(b"%d;" % x for x in chunk)

    results = list(ordered_chunks(squares, items, 2, 7))
    assert [x for value, _ in results for x in value] == [x * x for x in items]
    assert b"".join(blob for _, blob in results) == b"".join(b"%d;" % x for x in items)
    sizes = list(ordered_chunks(lambda chunk: (len(chunk), b""), items, 3, 100))
    assert [size for size, _ in sizes] == [end - start for start, end in chunk_bounds(1000, 3, 100)]

    def uneven(chunk):  # the first chunks take longest: later ones finish first, elsewhere
        time.sleep(0.05 if chunk[0] < 100 else 0)
        return list(chunk), b"x" * len(chunk)

    results = list(ordered_chunks(uneven, items, 2, 10))
    assert [x for value, _ in results for x in value] == items and sum(len(b) for _, b in results) == 1000

    def fails(chunk):
        if 500 in chunk:
            raise ValueError("boom")
        return list(chunk), b""

    with pytest.raises(WorkerError, match="boom"):
        list(ordered_chunks(fails, items, 2, 7))
    stopped = ordered_chunks(lambda chunk: (list(chunk), bytes(1 << 16)), items, 2, 7)
    assert next(stopped) == (list(range(7)), bytes(1 << 16))
    stopped.close()  # workers still running (blocked on a full pipe) are stopped

    def killed(chunk):
        if 500 in chunk:
            os.kill(os.getpid(), signal.SIGKILL)
        return list(chunk), b""

    with pytest.raises(WorkerError, match="ended unexpectedly"):
        list(ordered_chunks(killed, items, 2, 7))


def test_kept_fit_advice_prints_as_fresh_advice():
    """Batch keeps the fit object of inputs met before: it must be the one fit_to_dict gives, byte for byte."""
    import orjson

    from costmodel.analysis.fit import fit_advice, fit_to_dict
    from costmodel.cli.commands.batch import _fit

    base = load_scenario(Path(__file__).parent / "data" / "model_example.toml")
    variants = [base]
    for field, values in (
        ("updates_per_month", (4.0, 0.5, 0.0, -0.0)),
        ("changed_fraction", (0.02, 0.0, -0.0)),
        ("corpus_tokens", (2e7, 0.0, -0.0)),
    ):
        for value in values:
            knowledge = base.knowledge.model_copy(update={field: value})
            variants.append(base.model_copy(update={"knowledge": knowledge}))
    for scenario in variants + variants:  # the second round meets every input again
        assert orjson.dumps(_fit(scenario)) == orjson.dumps(fit_to_dict(scenario, fit_advice(scenario)))


def test_price_warnings_read_nothing_outside_their_key():
    """Batch keeps price warnings and sources per `price_key`: the fields it leaves out must not change them.

    For every pair of bundled presets (a, b), a takes all of b's fields outside the key; its price
    warnings and sources must stay a's own.
    """
    from datetime import date

    from costmodel.files.presets import list_presets
    from costmodel.files.pricing import price_key, price_sources, price_warning_list
    from costmodel.model.schema import Scenario

    in_key = {"horizon_months", "start", "knowledge", "rag", "fine_tune", "hybrid", "long_context"}
    in_key |= {"operations", "price_tiers", "cache_writes", "models", "gpus"}
    outside = [name for name in Scenario.model_fields if name not in in_key]
    scenarios = [load_scenario(info.path) for info in list_presets() if info.origin == "bundled"]
    today = date(2026, 12, 1)
    checked = 0
    for a in scenarios:
        if price_key(a) is None:
            continue
        for b in scenarios:
            update = {name: getattr(b, name) for name in outside}
            if (b.knowledge.updates_per_month > 0) == (a.knowledge.updates_per_month > 0):
                update["knowledge"] = b.knowledge  # the key holds only whether updates happen
            mixed = a.model_copy(update=update)
            assert price_key(mixed) == price_key(a)
            for cheapest in ("rag", "hybrid"):
                assert price_warning_list(mixed, today, 12, cheapest) == price_warning_list(a, today, 12, cheapest)
            assert price_sources(mixed) == price_sources(a)
            checked += 1
    assert checked >= 25


def test_batch_writes_to_a_stdout_without_a_binary_layer():
    """Called in process with stdout redirected to a StringIO, batch still writes its output there, as text;
    a character cut between two writes comes out whole."""
    import contextlib

    from costmodel.cli.main import main
    from costmodel.files.output import _TextSink

    caught = io.StringIO()
    with contextlib.redirect_stdout(caught):
        code = main(["batch", str(Path(__file__).parent / "data" / "model_example.toml"), "-f", "jsonl"])
    assert code == 0 and json.loads(caught.getvalue())["scenario"]
    sink_text = io.StringIO()
    sink = _TextSink(sink_text)
    data = "coût ✓".encode()
    for i in range(len(data)):
        sink.write(data[i : i + 1])
    assert sink_text.getvalue() == "coût ✓"


def test_csv_rows_are_what_the_csv_module_writes_for_the_whole_row():
    """Batch writes each scenario's prices and warnings cells once and ends every row with them; the bytes
    must be those of csv.writer given the full rows, whatever the cells hold (quotes, commas, line breaks)."""
    from datetime import date

    from costmodel.cli.commands.batch import CSV_COLUMNS, Extras, _csv_cells, _price_text, _Writer, extras_for
    from costmodel.model.engine import estimate

    scenario = load_scenario(Path(__file__).parent / "data" / "model_example.toml")
    est = estimate(scenario, today=date(2026, 12, 1))
    kept = extras_for(scenario, est, (date(2026, 12, 1), 18))
    odd_prices = [{**kept.prices[0], "source": 'a "quoted", source\nover two lines'}]
    cases = [
        kept,
        kept,  # the same objects again: the kept end of row
        Extras(['a warning, with "quotes"', "line\nbreak", "plain"], kept.details, odd_prices, kept.fit),
        Extras([], [], [], kept.fit),
    ]
    writer = _Writer(None, "csv")
    for extras in cases:
        got = writer.text("dir/s 1.toml", est, extras)
        expected = io.StringIO()
        plain = csv.writer(expected, lineterminator="\n")
        for row in csv.reader(io.StringIO(got.decode())):
            assert len(row) == len(CSV_COLUMNS)
        prices, warnings = _price_text(extras.prices), " | ".join(extras.warnings)
        for name, s in est.strategies.items():
            plain.writerow((*_csv_cells("dir/s 1.toml", est, name, s, extras), prices, warnings))
        assert got == expected.getvalue().encode()
