"""End to end: the real `costmodel tui` command in a real terminal (tmux), driven by keystrokes.

A private tmux server (its own socket) runs `python -m costmodel tui <tmp>/scenario.toml` in a
140x45 window. The test types as a person would: ctrl+g, `requests_per_month`, Enter, `120000`,
Enter, ctrl+s, ctrl+q. It reads the screen with `capture-pane` and checks that the Total row
shows the engine's figures for the edited scenario, that the file on disk was saved, and that
the process exited with status 0 and left a dead pane. Every wait polls; nothing sleeps a fixed
time. A second test types a number in one burst, as a paste does, and checks that every digit lands.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

from costmodel.files.scenario_io import load_scenario, save_scenario
from costmodel.model.engine import estimate
from costmodel.model.schema import STRATEGIES, Scenario
from costmodel.report.render import format_amount
from costmodel.tui.state import repr_number

TMUX = shutil.which("tmux")
TODAY = "2026-11-25"
WIDTH, HEIGHT = 140, 45
NEW_REQUESTS = 120_000
FIELD = "workload.requests_per_month"
STARTUP_TIMEOUT = 20.0
STEP_TIMEOUT = 10.0

pytestmark = [
    pytest.mark.tui,
    pytest.mark.skipif(TMUX is None, reason="tmux is not installed: the end-to-end terminal test needs it"),
]


def clean_env() -> dict[str, str]:
    """Return this process's environment without COLUMNS and LINES.

    Under pytest `readline` is loaded (by its pdb support), and loading it puts COLUMNS=80 and
    LINES=24 into the C-level environment, which child processes inherit although `os.environ` does not
    show them. Textual (through shutil.get_terminal_size) trusts those over the terminal's
    real size, so the app would draw 80x24 inside a 140x45 window. Passing `os.environ`
    explicitly gives the children the clean copy.
    """
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    # The screen holds ★, ● and box characters: a UTF-8 locale keeps tmux from turning them into `_`.
    if not any("UTF-8" in env.get(name, "").upper() for name in ("LC_ALL", "LC_CTYPE", "LANG")):
        env["LANG"] = "C.UTF-8"
        env.pop("LC_ALL", None)
    return env


class Tmux:
    """A private tmux server (socket `costmodel-test-<pid>-<n>`) holding one session."""

    started = 0

    def __init__(self, session: str = "e2e") -> None:
        assert TMUX is not None
        Tmux.started += 1
        # one server per test: a new server on a socket whose server is still shutting down can fail to start
        self.socket = f"costmodel-test-{os.getpid()}-{Tmux.started}"
        self.session = session

    def run(self, *args: str, check: bool = True) -> str:
        done = subprocess.run(
            [TMUX, "-u", "-L", self.socket, "-f", "/dev/null", *args],  # type: ignore[list-item]
            capture_output=True,
            text=True,
            timeout=10,
            env=clean_env(),
        )
        if check and done.returncode != 0:
            raise AssertionError(f"tmux {' '.join(args)} failed: {done.stderr.strip()}")
        return done.stdout

    def start(self, command: list[str], cwd: Path, size: tuple[int, int] = (WIDTH, HEIGHT)) -> None:
        """Run `command` in a `size` (WIDTHxHEIGHT) window; its exit status is written to `cwd/exit-status`.

        tmux 3.3 sometimes marks the pane dead without reaping the process (no pane_dead_status),
        so a small shell around the command records the status itself.
        """
        self.status_file = cwd / "exit-status"
        self.status_file.unlink(missing_ok=True)
        wrapped = ["sh", "-c", '"$@"; echo $? > exit-status', "sh", *command]
        # remain-on-exit (set before the command starts) keeps the pane, so pane_dead can be read after the exit.
        self.run(
            *("start-server", ";", "set-option", "-g", "remain-on-exit", "on", ";"),
            *("new-session", "-d", "-s", self.session, "-x", str(size[0]), "-y", str(size[1]), "-c", str(cwd)),
            shlex.join(wrapped),
        )

    def screen(self) -> str:
        return self.run("capture-pane", "-p", "-t", self.session)

    def keys(self, *keys: str) -> None:
        """Send key names (`C-g`, `Enter`)."""
        self.run("send-keys", "-t", self.session, *keys)

    def type(self, text: str) -> None:
        """Send text literally, as typed."""
        self.run("send-keys", "-t", self.session, "-l", "--", text)

    def dead(self) -> bool:
        """Return True when the session's pane has no live process."""
        return self.run("list-panes", "-t", self.session, "-F", "#{pane_dead}").strip() == "1"

    def exit_status(self) -> int | None:
        """Return the command's exit status, or None while it runs."""
        text = self.status_file.read_text().strip() if self.status_file.exists() else ""
        return int(text) if text else None

    def wait_exit(self, timeout: float = STEP_TIMEOUT) -> int:
        """Wait until the command has exited and its pane is dead; return the exit status."""
        deadline = time.monotonic() + timeout
        while (status := self.exit_status()) is None or not self.dead():
            if time.monotonic() > deadline:
                raise AssertionError(f"the app did not exit within {timeout:.0f} s:\n{self.screen()}")
            time.sleep(0.05)
        return status

    def app_pid(self) -> int:
        """Return the process id of the app (the child of the small shell the pane runs)."""
        shell = int(self.run("list-panes", "-t", self.session, "-F", "#{pane_pid}").strip())
        children = Path(f"/proc/{shell}/task/{shell}/children").read_text().split()
        assert children, "the app is not running"
        return int(children[0])

    def kill(self) -> None:
        self.run("kill-server", check=False)


def wait_for(tmux: Tmux, condition: Callable[[str], bool], what: str, timeout: float = STEP_TIMEOUT) -> str:
    """Poll the screen until `condition(screen)` holds; fail with the last screen shown."""
    deadline = time.monotonic() + timeout
    while True:
        screen = tmux.screen()
        if condition(screen):
            return screen
        if tmux.dead():
            raise AssertionError(f"the app exited (status {tmux.exit_status()}) while waiting for {what}:\n{screen}")
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}; the screen:\n{screen}")
        time.sleep(0.05)


def editor_text(screen: str, field: str = FIELD) -> str | None:
    """Return the text in the formula bar (`<dotted path>  <value>`, across the top) for `field`, or None."""
    for line in screen.splitlines():
        left = line.split("▕")[0].strip()
        if left.startswith(f"{field} "):
            return left[len(field) :].strip()
    return None


def line_with(screen: str, label: str) -> str:
    """Return the screen line holding `label` (the first one)."""
    for line in screen.splitlines():
        if label in line:
            return line
    raise AssertionError(f"no line with {label!r} on the screen:\n{screen}")


def shows_totals(screen: str, label: str, texts: Sequence[str]) -> bool:
    """Return True when the screen has a line holding `label` and every one of `texts` (a dialog may hide it)."""
    return any(label in line and all(x in line for x in texts) for line in screen.splitlines())


@dataclass
class Session:
    """The app running in tmux on `path`: the editor's text of the original value, and the figures
    the Total row must show before and after the edit."""

    tmux: Tmux
    path: Path
    command: list[str]
    original: str
    total_label: str
    before: list[str]
    expected: list[str]


@pytest.fixture
def session(tmp_path: Path) -> Iterator[Session]:
    """Start `python -m costmodel tui <tmp>/scenario.toml` in a 140x45 tmux window; kill the server afterwards."""
    path = tmp_path / "scenario.toml"
    # The preset's ranges left out: the test types a number over a plain number.
    scenario = load_scenario("support-assistant").model_copy(update={"ranges": {}})
    save_scenario(scenario, path)
    assert scenario.workload.requests_per_month != NEW_REQUESTS
    edited = scenario.model_copy(
        update={"workload": scenario.workload.model_copy(update={"requests_per_month": NEW_REQUESTS})}
    )

    def totals(s: Scenario) -> list[str]:
        # 140 columns give the totals table its wide layout: every amount carries its currency code.
        est = estimate(s)
        return [f"{est.currency} {format_amount(est.strategies[name].total)}" for name in STRATEGIES]

    command = [
        *("env", "-u", "COLUMNS", "-u", "LINES", f"COSTMODEL_TODAY={TODAY}", "TERM=xterm-256color"),
        f"XDG_STATE_HOME={tmp_path / 'state'}",
        *(sys.executable, "-m", "costmodel", "tui", str(path)),
    ]
    tmux = Tmux()
    try:
        tmux.start(command, tmp_path)
        yield Session(
            tmux,
            path,
            command,
            repr_number(float(scenario.workload.requests_per_month)),
            f"Total {scenario.horizon_months} mo",
            totals(scenario),
            totals(edited),
        )
    finally:
        tmux.kill()


def go_to_requests(s: Session) -> None:
    """Wait for the UI, then ctrl+g, type `requests_per_month`, Enter: the cursor lands on its row."""
    wait_for(
        s.tmux,
        lambda screen: shows_totals(screen, s.total_label, s.before),
        "the UI with the scenario's totals",
        STARTUP_TIMEOUT,
    )
    s.tmux.keys("C-g")
    wait_for(s.tmux, lambda screen: "Go to field" in screen, "the go-to picker")
    s.tmux.type("requests_per_month")
    # the picker's input shows the query and its list the matching path
    wait_for(
        s.tmux,
        lambda screen: (
            bool(re.search(r"▊\s+requests_per_month\s+▎", screen))
            and bool(re.search(r"▊\s+workload\.requests_per_month\s+▎", screen))
        ),
        "the query and its match in the picker",
    )
    s.tmux.keys("Enter")
    wait_for(
        s.tmux,
        lambda screen: "Go to field" not in screen and editor_text(screen) == s.original,
        "the cursor on requests_per_month (the editor line shows its value)",
    )


def test_edit_save_and_quit_in_a_real_terminal(session: Session) -> None:
    s, tmux = session, session.tmux
    go_to_requests(s)

    # A digit on a row starts editing with it; the rest goes into the editor.
    digits = str(NEW_REQUESTS)
    tmux.type(digits[0])
    wait_for(tmux, lambda screen: editor_text(screen) == digits[0], "the editor to open with the first digit")
    tmux.type(digits[1:])
    wait_for(tmux, lambda screen: editor_text(screen) == digits, "the typed number in the editor")
    tmux.keys("Enter")
    screen = wait_for(tmux, lambda screen: shows_totals(screen, s.total_label, s.expected), "the edited totals")
    total_line = line_with(screen, s.total_label)
    positions = [total_line.index(t) for t in s.expected]
    assert positions == sorted(positions), f"totals not in RAG, Fine-tuning, Hybrid order: {total_line}"
    assert re.search(r"requests_per_month\s+120,000\s", screen), screen
    # the header's title follows a frame later than the table
    wait_for(tmux, lambda screen: "scenario.toml ●" in screen.splitlines()[0], "the title's mark of unsaved edits")

    tmux.keys("C-s")
    wait_for(tmux, lambda screen: "scenario.toml ●" not in screen.splitlines()[0], "the save (the title loses its ●)")
    assert load_scenario(s.path).workload.requests_per_month == NEW_REQUESTS

    tmux.keys("C-q")
    assert tmux.wait_exit() == 0, tmux.screen()


def test_a_number_typed_in_one_burst_reaches_the_editor_whole(session: Session) -> None:
    go_to_requests(session)
    session.tmux.type(str(NEW_REQUESTS))
    wait_for(session.tmux, lambda screen: editor_text(screen) == str(NEW_REQUESTS), "the whole number", timeout=2)


def test_a_number_and_enter_typed_in_one_burst_are_applied(session: Session) -> None:
    go_to_requests(session)
    session.tmux.type(str(NEW_REQUESTS))
    session.tmux.keys("Enter")
    wait_for(session.tmux, lambda screen: f"{NEW_REQUESTS:,}" in screen, "the grid to show the typed number")


def test_unsaved_edits_survive_a_sigkill_and_are_offered_back(session: Session, tmp_path: Path) -> None:
    """Edit, wait for the recovery file, SIGKILL the real process; the next start offers the edit back."""
    s, tmux = session, session.tmux
    go_to_requests(s)
    tmux.type(str(NEW_REQUESTS))
    tmux.keys("Enter")
    wait_for(tmux, lambda screen: shows_totals(screen, s.total_label, s.expected), "the edited totals")
    recovery = tmp_path / "state" / "costmodel" / "recovery"
    deadline = time.monotonic() + STEP_TIMEOUT
    while not list(recovery.glob("scenario-*.toml")):
        assert time.monotonic() < deadline, "no recovery file was written"
        time.sleep(0.05)
    os.kill(tmux.app_pid(), signal.SIGKILL)
    assert tmux.wait_exit() == 128 + signal.SIGKILL
    assert load_scenario(s.path).workload.requests_per_month != NEW_REQUESTS  # nothing was saved

    again = Tmux("again")
    try:
        again.start(s.command, tmp_path)
        wait_for(
            again,
            lambda screen: "Restore unsaved edits?" in screen and f"→ {NEW_REQUESTS:,}" in screen,
            "the offer to restore, with what differs",
            STARTUP_TIMEOUT,
        )
        again.type("r")
        wait_for(again, lambda screen: shows_totals(screen, s.total_label, s.expected), "the restored totals")
        again.keys("C-s")
        wait_for(again, lambda screen: "scenario.toml ●" not in screen.splitlines()[0], "the save")
        assert load_scenario(s.path).workload.requests_per_month == NEW_REQUESTS
        again.keys("C-q")
        assert again.wait_exit() == 0
        assert not list(recovery.glob("*.toml"))
    finally:
        again.kill()


def go_to(s: Session, query: str, field: str) -> None:
    """ctrl+g, type `query`, Enter: wait until the formula bar shows `field`."""
    s.tmux.keys("C-g")
    wait_for(s.tmux, lambda screen: "Go to field" in screen, "the go-to picker")
    s.tmux.type(query)
    wait_for(s.tmux, lambda screen: bool(re.search(rf"▊\s+{re.escape(field)}\s+▎", screen)), f"{field} in the picker")
    s.tmux.keys("Enter")
    wait_for(s.tmux, lambda screen: editor_text(screen, field) is not None, f"the cursor on {field}")


def test_a_typed_range_shows_its_median_and_an_arrow_shifts_it(session: Session) -> None:
    s, tmux = session, session.tmux
    go_to_requests(s)
    tmux.type("100k .. 160k")
    tmux.keys("Enter")
    # Wait for the whole text: a screen caught mid-redraw may show only part of it.
    wanted = "100,000 .. 160,000 (median 126,491.11)"
    wait_for(tmux, lambda screen: editor_text(screen) == wanted, "the range with its median in the formula bar")
    tmux.keys("Right")  # shifts the range: low and high move together, it stays a range
    wait_for(
        tmux,
        lambda screen: (editor_text(screen) or "").startswith("105,000 .. 168,000 (median "),
        "the shifted range",
    )
    tmux.keys("C-s")
    wait_for(tmux, lambda screen: "scenario.toml ●" not in screen.splitlines()[0], "the save")
    r = load_scenario(s.path).ranges["workload.requests_per_month"]
    assert (r.low, r.high) == (105_000, 168_000)


def test_a_typed_minus_saves_a_negative_value(session: Session) -> None:
    s, tmux = session, session.tmux
    go_to_requests(s)
    go_to(s, "monthly_growth", "workload.monthly_growth")
    tmux.type("-0.02")
    wait_for(tmux, lambda screen: editor_text(screen, "workload.monthly_growth") == "-0.02", "the typed -0.02")
    tmux.keys("Enter")
    wait_for(tmux, lambda screen: "scenario.toml ●" in screen.splitlines()[0], "the edit")
    tmux.keys("C-s")
    wait_for(tmux, lambda screen: "scenario.toml ●" not in screen.splitlines()[0], "the save")
    assert load_scenario(s.path).workload.monthly_growth == -0.02


def test_two_scenarios_side_by_side(tmp_path: Path) -> None:
    """`costmodel tui A B`: both scenario names in the title, A's totals and B's under them."""
    a, b = tmp_path / "a.toml", tmp_path / "b.toml"
    save_scenario(load_scenario("support-assistant"), a)
    save_scenario(load_scenario("support-assistant-h100"), b)
    expected = {
        path: [f"USD {format_amount(estimate(load_scenario(path)).strategies[n].total)}" for n in STRATEGIES]
        for path in (a, b)
    }
    command = [
        *("env", "-u", "COLUMNS", "-u", "LINES", f"COSTMODEL_TODAY={TODAY}", "TERM=xterm-256color"),
        f"XDG_STATE_HOME={tmp_path / 'state'}",
        *(sys.executable, "-m", "costmodel", "tui", str(a), str(b)),
    ]
    tmux = Tmux("compare")
    try:
        tmux.start(command, tmp_path, (160, 60))  # tall enough for every totals row of both
        screen = wait_for(tmux, lambda screen: "a.toml vs b.toml" in screen.splitlines()[0], "both files in the title")

        def both(screen: str) -> bool:
            lines = screen.splitlines()
            at = next((i for i, line in enumerate(lines) if "Total 24 mo" in line), None)
            if at is None or at + 1 >= len(lines):
                return False
            under = lines[at + 1]  # the second scenario's row, named by its file
            return (
                all(t in lines[at] for t in expected[a]) and "▕  b " in under and all(t in under for t in expected[b])
            )

        screen = wait_for(tmux, both, "the totals of both scenarios")
        first = load_scenario(a).name
        assert first[:20] in screen.splitlines()[0]
        tmux.keys("C-q")
        assert tmux.wait_exit() == 0
    finally:
        tmux.kill()
