"""Docs that run: every shell example of README.md and docs/*.md, and every Python example, is executed.

Shell lines run with bash, a doc's lines in order in one fresh copy of `examples/` (the
files the docs use; a line may use a file an earlier line made), `\\` continuations
joined, with the venv's `costmodel` first on PATH. A line must exit 0 (3 where it is a
guardrail: `--max-total`, `--fail-on-flip`, `--strict`, or its comment says `exit 3`);
where a block shows a `$ command` with its output, the output shown must appear.
Skipped, and only these: commands that open the terminal UI (they need a terminal;
tests/test_tui_*.py cover it), the setup lines that create a venv and run the project's
tests (`.venv/bin/python ...`, `pytest`), downloads (`curl`, `pip download`, `unzip`:
examples/ ships the files they fetch), and a `costmodel SUBCOMMAND` (or `costmodel COMMAND
ACTION`) this checkout does not have yet (docs written ahead of a command another branch
adds; the skip names it). A line that needs an optional extra which is not installed (it
exits 2 saying `an optional extra: pip install 'costmodel[...]'`) counts as run.
`git show REF:PATH > OUT` is played as a copy of PATH.

Python blocks run statement by statement in the same folder; a statement followed by a
comment that is a value (`# "rag"`, `# 12, ...`, `# 42175.87...`, `# [...]`) must print or
evaluate to it (`...` stands for any text), and `# SomeError: message` must raise it.
"""

from __future__ import annotations

import ast
import contextlib
import io
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from costmodel.cli.commands import COMMANDS

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
BIN = Path(sys.executable).parent
_FENCE = re.compile(r"^```(\w*)\s*$")


def _blocks(path: Path, kinds: tuple[str, ...]) -> list[tuple[int, list[str]]]:
    """Return (first line number, lines) of every fenced block of one of `kinds` in a Markdown file."""
    out: list[tuple[int, list[str]]] = []
    current: list[str] | None = None
    start = 0
    for number, line in enumerate(path.read_text(encoding="utf-8").split("\n"), start=1):
        fence = _FENCE.match(line)
        if fence and current is None:
            if fence[1] in kinds:
                current, start = [], number + 1
            else:
                current, start = None, -1
                current = [] if fence[1] else None
                if fence[1]:
                    start = -1
            continue
        if fence and current is not None:
            if start > 0:
                out.append((start, current))
            current = None
            continue
        if current is not None:
            current.append(line)
    return out


def _joined(lines: list[str]) -> list[str]:
    """Return shell lines with `\\` continuations joined (each joined line keeps its first line's place)."""
    out: list[str] = []
    pending = ""
    for line in lines:
        if line.rstrip().endswith("\\"):
            pending += line.rstrip()[:-1] + " "
            out.append("")  # keeps the line numbers of the lines after it
            continue
        out.append(pending + line.strip() if pending else line)
        pending = ""
    return out


def _shell_cases() -> list[tuple[str, str, list[str]]]:
    """Return (id, command, output lines the docs show after it) for every shell example."""
    cases = []
    for doc in DOCS:
        for start, raw in _blocks(doc, ("sh", "bash", "shell", "console")):
            lines = _joined(raw)
            prompted = any(line.startswith("$ ") for line in lines)
            for offset, line in enumerate(lines):
                text = line.strip()
                if prompted:
                    if not text.startswith("$ "):
                        continue
                    text = text[2:]
                if not text or text.startswith("#") or text.startswith("costmodel:"):
                    continue
                shown = []
                if prompted:
                    for after in lines[offset + 1 :]:
                        if after.startswith("$ "):
                            break
                        shown.append(after.strip())
                cases.append((f"{doc.name}:{start + offset}", text, [s for s in shown if s]))
    return cases


def _skip_reason(command: str) -> str | None:
    words = command.split("#", 1)[0].split()
    if command.startswith(("python3 -m venv", ".venv/bin/python")) or "pytest" in command:
        return "sets up the venv or runs the project's own tests"
    if words and words[0] in ("curl", "wget", "pip", "unzip"):
        return "downloads from the network (examples/ ships the file it fetches)"
    if words and words[0] == "costmodel":
        rest = [w for w in words[1:] if not w.startswith("-")]
        if not rest or rest[0] == "tui" or rest[0].endswith(".toml") or "/" in rest[0]:
            return "opens the terminal UI"
        if rest[0] not in COMMANDS:
            return f"`costmodel {rest[0]}` is not a command of this checkout yet"
        actions = _actions(rest[0])
        if actions and len(rest) > 1 and rest[1] not in actions:
            return f"`costmodel {rest[0]} {rest[1]}` is not an action of this checkout yet"
    return None


def _actions(command: str) -> set[str]:
    """Return the actions of a command that has some (`presets list`, `pricing show`, ...), else an empty set."""
    import argparse

    from costmodel.cli.main import build_parser

    parser = build_parser(command)
    for action in parser._subparsers._group_actions if parser._subparsers else ():
        for sub in action.choices.values():
            for inner in sub._subparsers._group_actions if sub._subparsers else ():
                if isinstance(inner, argparse._SubParsersAction):
                    return set(inner.choices)
    return set()


SHELL = _shell_cases()


@pytest.fixture
def examples(tmp_path: Path) -> Path:
    folder = tmp_path / "examples"
    shutil.copytree(ROOT / "examples", folder)
    return folder


def test_the_docs_have_examples():
    assert len(SHELL) >= 25
    assert (ROOT / "examples" / "plan.toml").is_file()


SHELL_DOCS = sorted({where.split(":")[0] for where, _, _ in SHELL})


@pytest.mark.parametrize("doc", SHELL_DOCS)
def test_shell_examples_run(examples, tmp_path, doc):
    """Run a doc's shell lines in order in one copy of examples/ (a line may use a file an earlier one made)."""
    env = {
        "PATH": f"{BIN}{os.pathsep}/usr/bin:/bin",
        "HOME": str(tmp_path),
        "COSTMODEL_PRESETS_DIR": str(tmp_path / "user-presets"),
        "COSTMODEL_TODAY": "2026-12-01",
        "COLUMNS": "120",
    }
    failures = []
    for where, command, shown in SHELL:
        if where.split(":")[0] != doc or _skip_reason(command):
            continue
        git = re.fullmatch(r"git show \S+?:(\S+) > (\S+)", command)
        if git:
            target = Path(git[2]) if git[2].startswith("/") else examples / git[2]
            shutil.copy(examples / git[1], target)
            continue
        done = subprocess.run(
            ["bash", "-o", "pipefail", "-c", command], cwd=examples, env=env, capture_output=True, text=True, timeout=60
        )
        guardrail = any(word in command for word in ("--max-total", "--fail-on-flip", "--strict", "exit 3"))
        allowed = {0, 3} if guardrail and "; echo $?" not in command else {0}
        if done.returncode == 2 and "an optional extra" in done.stderr:
            continue  # e.g. `costmodel report` without matplotlib installed: the command says how to add it
        if done.returncode not in allowed or "Traceback" in done.stderr:
            failures.append(f"{where}: {command}\n  exit {done.returncode}: {done.stderr.strip()[-500:]}")
        for line in shown:
            if line not in done.stdout + done.stderr:
                failures.append(f"{where}: {command}\n  the docs show {line!r}, the command printed {done.stdout!r}")
    assert not failures, "\n".join(failures)


def test_skipped_lines_are_only_the_allowed_kinds():
    reasons = {_skip_reason(command) for _, command, _ in SHELL} - {None}
    allowed = ("opens the terminal UI", "sets up the venv", "downloads from the network", "is not a")
    assert all(any(r.startswith(a) or a in r for a in allowed) for r in reasons), reasons


# --- Python examples


def _python_blocks() -> list[tuple[str, list[tuple[int, list[str]]]]]:
    """Return (doc name, its Python blocks) for each doc with any; a doc's blocks share their names, in order."""
    return [(doc.name, found) for doc in DOCS if (found := _blocks(doc, ("python",)))]


_NUMBER = re.compile(r"-?\d[\d_.]*(?:e[-+]?\d+)?(?:\.\.\.)?")


def _expected(comment: str) -> str | None:
    """Return the value a comment states (text, `...` for anything), or None when it is prose."""
    comment = comment.strip()
    if not comment:
        return None
    first = comment[0]
    if first in "[{(":
        depth, quote = 0, ""
        for i, ch in enumerate(comment):
            if quote:
                quote = "" if ch == quote else quote
            elif ch in "\"'":
                quote = ch
            elif ch in "[{(":
                depth += 1
            elif ch in "]})":
                depth -= 1
                if depth == 0:
                    return comment[: i + 1]
        return None
    if first in "\"'":
        end = comment.find(first, 1)
        return comment[: end + 1] if end > 0 else None
    if first.isdigit() or first == "-":
        found = _NUMBER.match(comment)
        return found[0] if found else None
    if comment.split()[0].rstrip(",") in ("True", "False", "None"):
        return comment.split()[0].rstrip(",")
    return None


def _matches(actual: str, expected: str) -> bool:
    actual, expected = actual.replace("'", '"').strip(), expected.replace("'", '"').strip()
    if expected.startswith('"') and expected.endswith('"') and not actual.startswith('"'):
        expected = expected[1:-1]
    pieces = expected.split("...")
    if len(pieces) == 1:
        return actual == expected
    position = 0
    if not actual.startswith(pieces[0]):
        return False
    for piece in pieces:
        found = actual.find(piece, position)
        if found < 0:
            return False
        position = found + len(piece)
    return actual.endswith(pieces[-1])


PYTHON = _python_blocks()


@pytest.mark.parametrize(("doc", "blocks"), PYTHON, ids=[p[0] for p in PYTHON])
def test_python_examples_run_and_print_what_they_say(examples, monkeypatch, doc, blocks):
    monkeypatch.chdir(examples)
    monkeypatch.setenv("COSTMODEL_TODAY", "2026-12-01")
    namespace: dict[str, object] = {}
    for start, lines in blocks:
        _run_block(f"{doc}:{start}", lines, namespace)


def _run_block(where: str, lines: list[str], namespace: dict[str, object]) -> None:
    """Run one block statement by statement in `namespace`, checking each stated value."""
    source = "\n".join(lines)
    tree = ast.parse(source)
    for node in tree.body:
        code = ast.get_source_segment(source, node) or ""
        last = lines[node.end_lineno - 1]
        comment = last.split("  # ", 1)[1] if "  # " in last else ""
        after = lines[node.end_lineno] if node.end_lineno < len(lines) else ""
        if not comment and after.startswith("# "):
            comment = after[2:]  # a result written on the line below the statement
        error = re.match(r"(\w+Error): (.*)", comment)
        if error:
            with pytest.raises(Exception) as info:
                exec(compile(ast.Module([node], []), where, "exec"), namespace)
            assert type(info.value).__name__ == error[1], f"{where}: {code}"
            assert _matches(str(info.value), error[2].split(" (")[0] + "..."), f"{where}: {info.value}"
            continue
        expected = _expected(comment)
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            if isinstance(node, ast.Expr):
                value = eval(compile(ast.Expression(node.value), where, "eval"), namespace)
            else:
                exec(compile(ast.Module([node], []), where, "exec"), namespace)
                value = None
        if expected is None:
            continue
        actual = printed.getvalue().strip() if printed.getvalue() else repr(value)
        assert _matches(actual, expected), f"{where}: {code} gives {actual[:300]}, the docs say {expected}"
