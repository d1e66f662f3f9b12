"""The layers of docs/architecture.md hold: import-linter's contracts (pyproject.toml) are kept."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_import_contracts_are_kept() -> None:
    """model imports nothing above it; analysis and files import model; report imports model and
    analysis; cli and tui sit on top; the model never imports rich or textual; names.py stays light."""
    command = shutil.which("lint-imports") or str(Path(sys.executable).with_name("lint-imports"))
    if not Path(command).exists():
        pytest.skip("import-linter is not installed (pip install -e '.[test]')")
    done = subprocess.run([command], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "broken" in done.stdout and "0 broken" in done.stdout
