"""Hostile command lines: every one must end in exit 0 with finite output, or exit 2 with a short message.

    .venv/bin/python tests/hostile_cases.py [--inprocess] [-v]

Each case is a command line run against files made in a temporary folder (FIFOs, huge and
deeply nested files, overflowing inputs, escape sequences, symlink loops, unwritable
outputs, adversarial text for every regular expression that reads user text, ...). A case
passes when it ends within 3 s in exit 0 with no `inf`/`nan` in its output, or in exit 2
with at most 8 lines on stderr and no traceback; some cases also name the exit code they
must end in (a strict type is an error, not a coercion). By default each case runs in a
subprocess, as a user would run it; `--inprocess` calls `costmodel.cli.main.main` instead
(what tests/test_hostile.py does, to stay fast). Prints the counts and each failure.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "tests" / "data" / "model_example.toml"
TIME_LIMIT = 3.0
MAX_STDERR_LINES = 8
_NON_FINITE = re.compile(r"\b(?:inf|nan|NaN|Infinity)\b")


@dataclass
class Case:
    """One hostile command line and what it must end in (None: exit 0 or 2 are both fine)."""

    name: str
    argv: list[str]
    exit_code: int | None = None
    finite: bool = True
    no_escape: bool = False
    env: dict[str, str] = field(default_factory=dict)
    check: Callable[[str, str], str | None] | None = None


@dataclass
class Outcome:
    """What a case did: its exit code, output, error output and seconds."""

    code: int
    stdout: str
    stderr: str
    seconds: float


def _write(path: Path, text: str) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return str(path)


def _example(**replace: str) -> str:
    text = EXAMPLE.read_text(encoding="utf-8")
    for old, new in replace.items():
        text = text.replace(old.replace("__", " = "), new)
    return text


def build_cases(tmp: Path) -> list[Case]:
    """Return every hostile case, its files written under `tmp`."""
    ex = str(EXAMPLE)
    cases: list[Case] = []
    add = cases.append
    big = "workload.requests_per_month=1e308"
    # --- Overflow: finite inputs whose figures overflow.
    for fmt in ("table", "json", "csv", "markdown"):
        add(Case(f"overflow estimate {fmt}", ["estimate", ex, "--set", big, "-f", fmt], 2))
        add(
            Case(
                f"growth overflow {fmt}",
                ["estimate", ex, "--set", "workload.monthly_growth=1000", "--months", "120", "-f", fmt],
                2,
            )
        )
    add(Case("huge price", ["estimate", ex, "--set", 'models."gpt-4.1-mini".input_per_mtok=1e308'], None))
    add(Case("huge corpus", ["estimate", ex, "--set", "knowledge.corpus_tokens=1e308", "-f", "json"], None))
    add(
        Case(
            "huge corpus and price",
            [
                "estimate",
                ex,
                "--set",
                "knowledge.corpus_tokens=1e308",
                "--set",
                'models."text-embedding-3-small".input_per_mtok=1e300',
                "-f",
                "csv",
            ],
            2,
        )
    )
    add(Case("max-total 1e999", ["estimate", ex, "--max-total", "1e999"], 2))
    add(Case("max-total inf", ["estimate", ex, "--max-total", "inf"], 2))
    add(Case("max-total huge exponent", ["estimate", ex, "--max-total", "1e99999999999"], 2))
    add(
        Case(
            "solve --max 1e308",
            ["solve", ex, "--vary", "workload.requests_per_month", "--between", "rag", "fine_tune", "--max", "1e308"],
            2,
        )
    )
    add(
        Case(
            "solve --max 1e308 json",
            [
                "solve",
                ex,
                "--vary",
                "workload.requests_per_month",
                "--between",
                "rag",
                "hybrid",
                "--max",
                "1e308",
                "-f",
                "json",
            ],
            2,
        )
    )
    add(
        Case(
            "solve overflowing base",
            ["solve", ex, "--set", big, "--vary", "knowledge.updates_per_month", "--between", "rag", "fine_tune"],
            2,
        )
    )
    for fmt in ("table", "json", "markdown"):
        add(Case(f"diff overflow {fmt}", ["diff", ex, ex, "--set", big, "-f", fmt], 2))
    add(Case("sensitivity overflow", ["sensitivity", ex, "--set", big], 2))
    add(
        Case(
            "sensitivity near overflow json",
            ["sensitivity", ex, "--set", "workload.requests_per_month=1e306", "-f", "json"],
            None,
        )
    )
    for fmt in ("table", "csv", "jsonl"):
        add(
            Case(
                f"sweep overflow {fmt}",
                ["sweep", ex, "--vary", "workload.requests_per_month=1e300:1e308:3", "-f", fmt],
                2,
            )
        )
    add(Case("samples overflow", ["estimate", ex, "--set", big, "--samples", "200", "--seed", "1", "-f", "json"], 2))
    add(
        Case(
            "samples growth overflow",
            [
                "estimate",
                ex,
                "--set",
                "workload.monthly_growth=1000",
                "--months",
                "120",
                "--samples",
                "100",
                "--seed",
                "1",
            ],
            2,
        )
    )
    over = _write(tmp / "over" / "overflow.toml", _example(requests_per_month__50000="requests_per_month = 1e308"))
    add(Case("overflow file csv", ["estimate", over, "-f", "csv"], 2))
    # --- Batch keeps going.
    good = tmp / "mixed"
    _write(good / "a.toml", EXAMPLE.read_text(encoding="utf-8"))
    _write(good / "b.toml", "this is not toml = = =\n")
    _write(good / "c.toml", _example(requests_per_month__50000="requests_per_month = 1e308"))
    _write(good / "d.toml", EXAMPLE.read_text(encoding="utf-8").replace('name = "', 'name = "D ', 1))
    for fmt in ("csv", "json", "jsonl", "markdown"):
        add(
            Case(
                f"batch mixed {fmt}",
                ["batch", str(good), "-f", fmt],
                2,
                check=lambda out, err: None if "a.toml" in out and "d.toml" in out else "good files missing",
            )
        )
    add(Case("batch preset h100", ["batch", str(ROOT / "presets" / "support-assistant-h100.toml")], 0))
    add(Case("batch every preset", ["batch", str(ROOT / "presets")], 0))
    add(Case("batch missing", ["batch", str(tmp / "nowhere")], 2))
    add(Case("batch progress always", ["batch", str(good), "--progress", "always"], 2))
    loop = tmp / "loopdir"
    loop.mkdir()
    _write(loop / "a.toml", EXAMPLE.read_text(encoding="utf-8"))
    with contextlib.suppress(OSError):
        os.symlink(loop, loop / "again")
    add(Case("batch symlinked folder loop", ["batch", str(loop)], None))
    outside = tmp / "outside-tree"
    _write(outside / "x.toml", EXAMPLE.read_text(encoding="utf-8"))
    tree = tmp / "tree"
    _write(tree / "a.toml", EXAMPLE.read_text(encoding="utf-8"))
    with contextlib.suppress(OSError):
        os.symlink(outside / "x.toml", tree / "link.toml")
    add(Case("batch symlinked file outside", ["batch", str(tree)], 2))
    stale = _write(tmp / "stale" / "s.toml", _example(retrain_on_update__true="retrain_on_update = false"))
    for fmt in ("csv", "json", "jsonl", "markdown"):
        add(
            Case(
                f"batch stale warning {fmt}",
                ["batch", stale, "-f", fmt],
                0,
                check=lambda out, err: None if "stale" in out + err else "stale warning dropped",
            )
        )
    # --- No hangs.
    fifo = tmp / "fifo.toml"
    with contextlib.suppress(OSError, AttributeError):
        os.mkfifo(fifo)
    add(Case("fifo scenario", ["estimate", str(fifo)], 2))
    add(Case("fifo extends", ["estimate", _write(tmp / "fx.toml", f'extends = "{fifo}"\n')], 2))
    add(Case("fifo pricing", ["estimate", _write(tmp / "fp.toml", f'extends = "{ex}"\npricing = "{fifo}"\n')], 2))
    fifo_dir = tmp / "fifo-dir"
    _write(fifo_dir / "a.toml", EXAMPLE.read_text(encoding="utf-8"))
    with contextlib.suppress(OSError, AttributeError):
        os.mkfifo(fifo_dir / "b.toml")
    add(Case("fifo in batch folder", ["batch", str(fifo_dir)], 2))
    add(Case("dev zero scenario", ["estimate", "/dev/zero"], 2))
    add(Case("dev zero extends", ["estimate", _write(tmp / "zx.toml", 'extends = "/dev/zero"\n')], 2))
    add(
        Case("dev zero pricing", ["estimate", _write(tmp / "zp.toml", f'extends = "{ex}"\npricing = "/dev/zero"\n')], 2)
    )
    add(Case("dev null scenario", ["estimate", "/dev/null"], 2))
    add(Case("dev stdin diff", ["diff", "/dev/stdin", ex], 2))
    add(Case("batch dev zero", ["batch", "/dev/zero"], 2))
    huge = tmp / "huge.toml"
    with open(huge, "w", encoding="utf-8") as handle:
        handle.write(EXAMPLE.read_text(encoding="utf-8"))
        handle.write(("# " + "x" * 1000 + "\n") * 11_000)
    add(Case("file over 10 MB", ["estimate", str(huge)], 2))
    add(
        Case(
            "sweep cap",
            [
                "sweep",
                ex,
                "--vary",
                "workload.requests_per_month=1:1e6:100000",
                "--vary",
                "knowledge.updates_per_month=0:30:100000",
                "-f",
                "csv",
            ],
            2,
        )
    )
    add(
        Case(
            "sweep cap three",
            [
                "sweep",
                ex,
                "--vary",
                "workload.requests_per_month=1:1e6:1000",
                "--vary",
                "knowledge.updates_per_month=0:30:1000",
                "--vary",
                "workload.output_tokens=1:100:1000",
            ],
            2,
        )
    )
    add(Case("samples too many", ["estimate", ex, "--samples", "100000000"], 2))
    # --- No super-linear regular expressions.
    header = tmp / "header.toml"
    _write(
        header,
        EXAMPLE.read_text(encoding="utf-8").replace(
            'description = "', 'description = """\n[' + " " * 20_000 + '\n"""\nname_x = "', 1
        ),
    )
    add(Case("header regex", ["estimate", str(header)], None))
    bad_header = tmp / "bad_header.toml"
    _write(bad_header, EXAMPLE.read_text(encoding="utf-8") + "\n[" + " " * 50_000 + "x\n[workload]\nfoo = 1\n")
    add(Case("header regex bad file", ["estimate", str(bad_header)], 2))
    lines_file = tmp / "lines.toml"
    _write(lines_file, "[" + "a." * 50_000 + "\n")
    add(Case("fasttoml regex", ["batch", str(lines_file)], 2))
    add(Case("dotted header in estimate", ["estimate", str(lines_file)], 2))
    dotted_key = _write(tmp / "dotted-key.toml", "a." * 50_000 + "b = 1\n")
    add(Case("dotted key", ["estimate", dotted_key], 2))
    lines_file2 = tmp / "lines2.toml"
    _write(lines_file2, "a" + " " * 50_000 + "=" + " " * 50_000 + "\n")
    add(Case("fasttoml regex spaces", ["batch", str(lines_file2)], 2))
    add(Case("sweep range regex", ["sweep", ex, "--vary", "workload.requests_per_month=" + "1" * 50_000 + ":"], 2))
    add(Case("sweep range regex 2", ["sweep", ex, "--vary", "workload.requests_per_month=1:" + "_1" * 30_000 + "x"], 2))
    add(Case("amount regex", ["estimate", ex, "--max-total", "1" * 50_000 + "x"], 2))
    add(Case("amount regex commas", ["estimate", ex, "--max-total", "1," * 30_000 + "x"], 2))
    add(Case("amount long digits", ["estimate", ex, "--max-total", "9" * 5000], 2))
    # --- Odd input.
    deep = tmp / "deep.toml"
    _write(deep, EXAMPLE.read_text(encoding="utf-8") + "\n[extra]\nx = " + "[" * 3000 + "]" * 3000 + "\n")
    add(Case("nesting 3000", ["estimate", str(deep)], 2))
    deep2 = tmp / "deep2.toml"
    _write(deep2, "x = " + "{a = " * 3000 + "1" + "}" * 3000 + "\n")
    add(Case("inline nesting 3000", ["estimate", str(deep2)], 2))
    add(Case("nesting in batch", ["batch", str(deep)], 2))
    digits = tmp / "digits.toml"
    _write(digits, _example(requests_per_month__50000="requests_per_month = " + "1" * 5000))
    add(Case("5000 digits", ["estimate", str(digits)], 2))
    add(Case("5000 digits batch", ["batch", str(digits)], 2))
    add(Case("5000 digits set", ["estimate", ex, "--set", "workload.requests_per_month=" + "1" * 5000], 2))
    add(Case("long file name", ["estimate", "x" * 300 + ".toml"], 2))
    add(Case("long name folder", ["estimate", str(tmp / ("y" * 300)) + "/a.toml"], 2))
    add(Case("long extends", ["estimate", _write(tmp / "longext.toml", f'extends = "{"z" * 300}"\n')], 2))
    add(Case("long extends path", ["estimate", _write(tmp / "longext2.toml", f'extends = "{"z" * 300}.toml"\n')], 2))
    add(
        Case(
            "long pricing", ["estimate", _write(tmp / "longpr.toml", f'extends = "{ex}"\npricing = "{"p" * 300}"\n')], 2
        )
    )
    add(Case("long preset name", ["estimate", "q" * 300], 2))
    add(Case("long batch arg", ["batch", "w" * 300], 2))
    locked = tmp / "locked"
    _write(locked / "a.toml", EXAMPLE.read_text(encoding="utf-8"))
    os.chmod(locked, 0o600)
    add(Case("no x bit", ["estimate", str(locked / "a.toml")], None))
    add(Case("no x bit batch", ["batch", str(locked)], None))
    add(
        Case(
            "sweep -o missing folder",
            [
                "sweep",
                ex,
                "--vary",
                "knowledge.updates_per_month=1,2",
                "-f",
                "csv",
                "-o",
                str(tmp / "missing" / "x.csv"),
            ],
            2,
        )
    )
    add(
        Case(
            "sweep -o missing folder table",
            ["sweep", ex, "--vary", "knowledge.updates_per_month=1,2", "-o", str(tmp / "missing" / "x.txt")],
            2,
        )
    )
    add(Case("diff -o missing folder", ["diff", ex, ex, "-o", str(tmp / "missing" / "x.txt")], 2))
    add(Case("diff -o missing folder md", ["diff", ex, ex, "-f", "markdown", "-o", str(tmp / "missing" / "x.md")], 2))
    add(Case("estimate -o a folder", ["estimate", ex, "-o", str(tmp)], 2))
    add(Case("estimate -o missing", ["estimate", ex, "-f", "json", "-o", str(tmp / "missing" / "x.json")], 2))
    add(Case("batch -o a folder", ["batch", ex, "-o", str(tmp)], 2))
    add(Case("batch -o missing", ["batch", ex, "-o", str(tmp / "missing" / "b.csv")], 2))
    add(Case("sensitivity -o missing", ["sensitivity", ex, "-o", str(tmp / "missing" / "s.txt")], 2))
    add(
        Case(
            "solve -o missing",
            [
                "solve",
                ex,
                "--vary",
                "workload.requests_per_month",
                "--between",
                "rag",
                "fine_tune",
                "-o",
                str(tmp / "missing" / "s.txt"),
            ],
            2,
        )
    )
    add(Case("estimate -o /dev/stdout", ["estimate", ex, "-f", "json", "-o", "/dev/stdout"], 0))
    add(Case("estimate -o /dev/null", ["estimate", ex, "-o", "/dev/null"], 0))
    add(Case("sweep -o /dev/null", ["sweep", ex, "--vary", "knowledge.updates_per_month=1,2", "-o", "/dev/null"], 0))
    out_fifo = tmp / "out-fifo"
    with contextlib.suppress(OSError, AttributeError):
        os.mkfifo(out_fifo)
    add(Case("estimate -o a FIFO nobody reads", ["estimate", ex, "-o", str(out_fifo)], 2))
    add(Case("batch -o a FIFO nobody reads", ["batch", ex, "-o", str(out_fifo)], 2))
    user_fifo = tmp / "fifo-presets"
    user_fifo.mkdir()
    with contextlib.suppress(OSError, AttributeError):
        os.mkfifo(user_fifo / "stuck.toml")
    fifo_env = {"COSTMODEL_PRESETS_DIR": str(user_fifo)}
    add(Case("presets list with a FIFO preset", ["presets", "list"], 0, env=fifo_env))
    add(Case("unknown preset lists a FIFO preset", ["estimate", "no-such-preset"], 2, env=fifo_env))
    add(Case("presets show a FIFO preset", ["presets", "show", "stuck"], 2, env=fifo_env))
    add(Case("estimate -o /dev/full", ["estimate", ex, "-f", "json", "-o", "/dev/full"], 2))
    # --- Ranges on model names with quotes or control characters.
    for label, name in (("quote", r"gpt\"q"), ("backslash", r"gpt\\b"), ("tab", r"gpt\tt"), ("dot", "gpt.4")):
        text = EXAMPLE.read_text(encoding="utf-8").replace('"gpt-4.1-mini"', f'"{name}"')
        text = re.sub(
            r'(\[models\."' + re.escape(name) + r'"\]\ninput_per_mtok = )([0-9.]+)',
            r"\1{ low = 0.2, high = 0.6 }",
            text,
        )
        file = _write(tmp / f"range-{label}.toml", text)
        add(Case(f"range model {label}", ["estimate", file, "-f", "json"], 0))
        add(Case(f"range model {label} samples", ["estimate", file, "--samples", "200", "--seed", "3"], 0))
        add(Case(f"range model {label} batch", ["batch", file], 0))
    # --- Errors point at the right file and line.
    base = _write(tmp / "located" / "base.toml", _example(epochs__3="epochs = 0"))
    top = _write(tmp / "located" / "top.toml", 'extends = "base.toml"\nname = "top"\n')
    add(
        Case(
            "bad value in base",
            ["estimate", top],
            2,
            check=lambda out, err: None if "base.toml:" in err else "base file not named",
        )
    )
    add(
        Case(
            "unknown preset in extends",
            ["estimate", _write(tmp / "located" / "unk.toml", 'name = "x"\nextends = "no-such-preset"\n')],
            2,
            check=lambda out, err: None if "unk.toml:2" in err else "extends line not named",
        )
    )
    add(
        Case(
            "missing path in extends",
            ["estimate", _write(tmp / "located" / "miss.toml", '\nextends = "nowhere/x.toml"\n')],
            2,
            check=lambda out, err: None if "miss.toml:2" in err else "extends line not named",
        )
    )
    del base
    both = _write(
        tmp / "located" / "both.toml",
        _example()
        .replace('model = "gpt-4.1-mini"', 'model = "nope1"', 1)
        .replace('model = "gpt-4.1-mini"', 'model = "nope2"'),
    )
    add(
        Case(
            "all problems together",
            ["estimate", both],
            2,
            check=lambda out, err: None if "nope1" in err and "nope2" in err else "a problem hidden",
        )
    )
    # --- Strict types.
    for label, old, new in (
        ("requests true", "requests_per_month = 50000", "requests_per_month = true"),
        ("requests text", "requests_per_month = 50000", 'requests_per_month = "80000"'),
        ("retrain yes", "retrain_on_update = true", 'retrain_on_update = "yes"'),
        ("retrain 1", "retrain_on_update = true", "retrain_on_update = 1"),
        ("horizon float", "horizon_months = 24", "horizon_months = 24.5"),
        ("name number", 'name = "', 'name = 5\nx_ = "'),
    ):
        file = _write(
            tmp / "strict" / f"{label.replace(' ', '-')}.toml", EXAMPLE.read_text(encoding="utf-8").replace(old, new, 1)
        )
        add(Case(f"strict {label}", ["estimate", file], 2))
        add(Case(f"strict {label} batch", ["batch", file], 2))
    add(Case("strict --set horizon true", ["estimate", ex, "--set", "horizon_months=true"], 2))
    add(Case("strict --set retrain 1", ["estimate", ex, "--set", "fine_tune.retrain_on_update=1"], 2))
    add(Case("int for float ok", ["estimate", ex, "--set", "workload.monthly_growth=0"], 0))
    # --- Output hygiene.
    esc = "\x1b]0;pwned\x07\x1b[31mred\x1b[0m"
    esc_file = _write(
        tmp / "escape.toml",
        EXAMPLE.read_text(encoding="utf-8").replace(
            'name = "', 'name = "' + esc.replace("\x1b", "\\u001b").replace("\x07", "\\u0007"), 1
        ),
    )
    for fmt in ("table", "json", "csv", "markdown"):
        add(Case(f"escape name {fmt}", ["estimate", esc_file, "-f", fmt], 0, no_escape=True))
    for fmt in ("csv", "json", "jsonl", "markdown"):
        add(Case(f"escape name batch {fmt}", ["batch", esc_file, "-f", fmt], 0, no_escape=True))
    add(Case("escape name diff", ["diff", ex, esc_file], 0, no_escape=True))
    add(Case("escape name diff md", ["diff", ex, esc_file, "-f", "markdown"], 0, no_escape=True))
    add(Case("escape name sweep", ["sweep", esc_file, "--vary", "knowledge.updates_per_month=1,2"], 0, no_escape=True))
    # A file name with a byte that is not UTF-8 (Latin-1 é): shown as \xe9 in every output, written to a file.
    try:
        raw = _write(tmp / os.fsdecode(b"caf\xe9.toml"), EXAMPLE.read_text(encoding="utf-8"))
    except (OSError, UnicodeError):  # a file system that takes only UTF-8 names
        raw = None
    if raw is not None:

        def shows_byte(out: str, err: str) -> str | None:
            text = Path(tmp / "raw.out").read_text("utf-8")  # JSON writes the backslash as \\
            return None if "caf\\xe9" in text or "caf\\\\xe9" in text else "byte not shown"

        for fmt in ("csv", "json", "jsonl", "markdown"):
            out = str(tmp / "raw.out")
            add(Case(f"undecodable name batch {fmt}", ["batch", raw, "-f", fmt, "-o", out], 0, check=shows_byte))
        # The chart formats draw with matplotlib, which can take seconds to start: tests/test_report.py has them.
        add(Case("undecodable name report md", ["report", raw, "-o", str(tmp / "raw.md")], 0))
        add(Case("undecodable name estimate", ["estimate", raw, "-f", "json", "-o", str(tmp / "raw.json")], 0))
    add(Case("escape in error", ["estimate", _write(tmp / "escerr.toml", "name = 1\x1b[2J\n")], 2, no_escape=True))
    add(Case("escape in --set", ["estimate", ex, "--set", "workload.x\x1b[2J=1"], 2, no_escape=True))
    add(
        Case(
            "escape in model ref",
            [
                "estimate",
                _write(
                    tmp / "escref.toml",
                    EXAMPLE.read_text(encoding="utf-8").replace('model = "gpt-4.1-mini"', 'model = "\\u001b[2Jx"', 1),
                ),
            ],
            2,
            no_escape=True,
        )
    )
    add(
        Case(
            "long echoed value",
            ["estimate", ex, "--set", "workload.requests_per_month=" + '"' + "a" * 5000 + '"'],
            2,
            check=lambda out, err: None if len(err) < 2000 else "echoed value not cut",
        )
    )
    bom = tmp / "bom.toml"
    bom.write_bytes(b"\xef\xbb\xbf" + EXAMPLE.read_bytes())
    add(Case("bom", ["estimate", str(bom)], 0))
    add(Case("bom batch", ["batch", str(bom)], 0))
    sl = tmp / "symloop.toml"
    with contextlib.suppress(OSError):
        os.symlink(sl, sl)
    add(
        Case(
            "symlink loop", ["estimate", str(sl)], 2, check=lambda out, err: None if "loop" in err else "loop not named"
        )
    )
    add(Case("symlink loop batch", ["batch", str(sl)], 2))
    add(Case("symlink loop extends", ["estimate", _write(tmp / "slx.toml", f'extends = "{sl}"\n')], 2))
    # --- presets new shadowing.
    user = tmp / "user-presets"
    env = {"COSTMODEL_PRESETS_DIR": str(user)}
    add(Case("presets new shadowing", ["presets", "new", "support-assistant"], 2, env=env))
    whole = ["presets", "new", "support-assistant", "--from", "support-assistant"]
    add(Case("presets new whole copy", whole, 0, env=env))
    add(Case("estimate after presets new", ["estimate", "support-assistant"], 0, env=env))
    # --- CLI manners.
    add(
        Case(
            "mistyped command",
            ["estimat", ex],
            2,
            check=lambda out, err: None if "estimate" in err else "no suggestion",
        )
    )
    add(Case("mistyped command 2", ["bach", ex], 2))
    add(Case("strategy without max-total", ["estimate", ex, "--strategy", "rag"], 2))
    add(Case("unknown option", ["estimate", ex, "--frobnicate"], 2))
    add(Case("bad months", ["estimate", ex, "--months", "1e999"], 2))
    add(Case("bad samples", ["estimate", ex, "--samples", "-1"], 2))
    add(Case("bad seed", ["estimate", ex, "--samples", "10", "--seed", "9" * 5000], 2))
    add(Case("bad set path", ["estimate", ex, "--set", '"unclosed=1'], 2))
    add(Case("set into value", ["estimate", ex, "--set", "workload.requests_per_month.x=1"], 2))
    add(Case("vary unknown", ["sweep", ex, "--vary", "workload.nothing=1,2"], 2))
    add(Case("solve unknown", ["solve", ex, "--vary", "nothing", "--between", "rag", "hybrid"], 2))
    add(Case("today bad", ["estimate", ex, "--today", "2026-13-45"], 2))
    add(Case("max-price-age bad", ["estimate", ex, "--max-price-age", "x" * 5000], 2))
    add(Case("pricing show fifo", ["pricing", "show", str(fifo)], 2))
    add(Case("pricing show dev zero", ["pricing", "show", "/dev/zero"], 2))
    add(Case("pricing show missing", ["pricing", "show", "nothing-at-all"], 2))
    add(Case("presets show missing", ["presets", "show", "nothing-at-all"], 2))
    deep_json = _write(tmp / "deep.json", "[" * 3000 + "]" * 3000)
    sources = (("fifo", str(fifo)), ("dev zero", "/dev/zero"), ("deep", deep_json), ("missing", "nope.json"))
    for label, source in sources:
        add(Case(f"pricing import {label}", ["pricing", "import", source, "-o", str(tmp / "imported.toml")], 2))
    add(Case("pricing check overflow", ["pricing", "check", over], None))
    for fmt in ("md", "html", "svg"):
        add(Case(f"report overflow {fmt}", ["report", over, "-o", str(tmp / f"over.{fmt}")], 2))
        add(
            Case(
                f"report growth overflow {fmt}",
                [
                    "report",
                    ex,
                    "--set",
                    "workload.monthly_growth=1000",
                    "--months",
                    "120",
                    "-o",
                    str(tmp / f"growth.{fmt}"),
                ],
                2,
            )
        )
    add(Case("report -o missing folder", ["report", ex, "-o", str(tmp / "missing" / "r.md")], 2))
    add(Case("report -o a folder", ["report", ex, "-o", str(tmp)], 2))
    add(Case("report fifo", ["report", str(fifo), "-o", str(tmp / "fifo.md")], 2))
    add(Case("report -o /dev/null", ["report", ex, "-o", "/dev/null", "-f", "md"], None))
    add(Case("pricing diff fifo", ["pricing", "diff", "openai-2026", str(fifo)], 2))
    add(Case("pricing check fifo", ["pricing", "check", str(fifo)], 2))
    return cases


def _failure(case: Case, outcome: Outcome) -> str | None:
    """Return why a case failed, or None when it passed."""
    if outcome.seconds > TIME_LIMIT:
        return f"took {outcome.seconds:.1f} s"
    if "Traceback" in outcome.stderr or "internal error" in outcome.stderr:
        return "traceback: " + outcome.stderr.strip().splitlines()[-1][:200]
    if outcome.code not in (0, 2):
        return f"exit {outcome.code}: {outcome.stderr.strip()[:200]}"
    if case.exit_code is not None and outcome.code != case.exit_code:
        return f"exit {outcome.code}, expected {case.exit_code}: {(outcome.stderr or outcome.stdout).strip()[:200]}"
    if outcome.code == 2 and len(outcome.stderr.splitlines()) > MAX_STDERR_LINES:
        return f"{len(outcome.stderr.splitlines())} lines on stderr"
    if outcome.code == 0 and case.finite and _NON_FINITE.search(outcome.stdout):
        return "non-finite figure in the output: " + _NON_FINITE.search(outcome.stdout)[0]  # type: ignore[index]
    if case.no_escape and ("\x1b" in outcome.stdout or "\x1b" in outcome.stderr or "\x07" in outcome.stdout):
        return "a terminal escape sequence reached the output"
    if case.check is not None:
        return case.check(outcome.stdout, outcome.stderr)
    return None


def run_subprocess(case: Case, cwd: Path) -> Outcome:
    """Run a case as `python -m costmodel ARGV` in a subprocess (stdin closed, 3 s allowed and a margin)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "100", "COSTMODEL_TODAY": "2026-12-01", **case.env}
    env.setdefault("COSTMODEL_PRESETS_DIR", str(cwd / "no-user-presets"))
    start = time.perf_counter()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "costmodel", *case.argv],
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=TIME_LIMIT + 2,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return Outcome(-9, "", "", TIME_LIMIT + 2)
    text = done.stdout.decode("utf-8", "replace"), done.stderr.decode("utf-8", "replace")
    return Outcome(done.returncode, *text, time.perf_counter() - start)


class _Timeout(BaseException):
    pass


def run_inprocess(case: Case, cwd: Path) -> Outcome:
    """Run a case through `costmodel.cli.main.main` with captured output (an alarm stops a hang)."""
    from costmodel.cli.main import main

    out, err = io.StringIO(), io.StringIO()
    saved_env = {k: os.environ.get(k) for k in (*case.env, "COSTMODEL_PRESETS_DIR", "COSTMODEL_TODAY")}
    os.environ.update({"COSTMODEL_PRESETS_DIR": str(cwd / "no-user-presets"), "COSTMODEL_TODAY": "2026-12-01"})
    os.environ.update(case.env)

    def alarm(_signum: int, _frame: object) -> None:
        raise _Timeout

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.alarm(int(TIME_LIMIT) + 2)
    start = time.perf_counter()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(case.argv)
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
    except _Timeout:
        code = -9
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
        for key, value in saved_env.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return Outcome(code, out.getvalue(), err.getvalue(), time.perf_counter() - start)


@contextlib.contextmanager
def workdir() -> Iterator[Path]:
    """Yield a temporary folder for the cases' files (made writable again before it is removed)."""
    with tempfile.TemporaryDirectory(prefix="costmodel-hostile-") as tmp:
        try:
            yield Path(tmp)
        finally:
            for folder, dirs, _files in os.walk(tmp):
                for name in dirs:
                    with contextlib.suppress(OSError):
                        os.chmod(os.path.join(folder, name), 0o755)


def run_all(inprocess: bool = False, verbose: bool = False) -> tuple[int, list[tuple[str, str]]]:
    """Run every case; return (number of cases, [(case name, why it failed)])."""
    failures: list[tuple[str, str]] = []
    with workdir() as tmp:
        cases = build_cases(tmp)
        runner = run_inprocess if inprocess else run_subprocess
        for case in cases:
            outcome = runner(case, tmp)
            why = _failure(case, outcome)
            if why:
                failures.append((case.name, why))
            if verbose:
                print(f"{'FAIL' if why else 'ok  '} {case.name} ({outcome.seconds:.2f} s){': ' + why if why else ''}")
    return len(cases), failures


def main() -> int:
    """Run the cases and print the counts; return 1 when any failed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inprocess", action="store_true", help="call main() in this process (faster)")
    parser.add_argument("-v", "--verbose", action="store_true", help="print every case")
    args = parser.parse_args()
    count, failures = run_all(args.inprocess, args.verbose)
    for name, why in failures:
        print(f"FAIL {name}: {why}")
    print(f"{count - len(failures)} of {count} hostile cases passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
