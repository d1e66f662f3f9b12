"""The report extra is optional: without matplotlib, `report` names the install command (exit 2) and
Markdown still works; with it, neither the estimate path nor the terminal UI ever imports it.

These tests run whether or not the extra is installed.
"""

from __future__ import annotations

import contextlib
import io
import subprocess
import sys
from pathlib import Path

import pytest

from costmodel.cli.main import main


@pytest.fixture(autouse=True)
def _fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COSTMODEL_TODAY", "2026-12-01")


def run_cli(*args: str) -> tuple[int, str]:
    """Run the command line in this process; return (exit code, stderr)."""
    err = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        code = main(list(args))
    return code, err.getvalue()


def test_without_matplotlib_report_names_the_install_command(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, data_dir: Path
) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # `import matplotlib` now raises ImportError
    code, err = run_cli("report", str(data_dir / "simple.toml"), "-o", str(tmp_path / "r.html"))
    assert code == 2
    assert "pip install 'costmodel[report]'" in err
    assert not (tmp_path / "r.html").exists()
    code, err = run_cli("report", str(data_dir / "simple.toml"), "-o", str(tmp_path / "r.md"))
    assert code == 0, err  # Markdown draws no chart


def test_neither_the_estimate_path_nor_the_tui_imports_matplotlib(data_dir: Path) -> None:
    code = (
        "import sys, io, contextlib\n"
        "from costmodel.cli.main import main, build_parser\n"
        "import costmodel.tui.app, costmodel.report.formats, costmodel.report.export, costmodel.report.charts\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    assert main(['estimate', {str(data_dir / 'simple.toml')!r}]) == 0\n"
        f"    assert main(['estimate', {str(data_dir / 'simple.toml')!r}, '-f', 'json']) == 0\n"
        "build_parser()\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('matplotlib', 'PIL')]\n"
        "assert not bad, bad[:5]\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
