"""Print the terminal UI's start-up and slider-step figures.

- start-up to first painted frame: wall time from just before the process is created to the app's
  `events.Ready`, for `costmodel tui PRESET` and for a bare Textual app with one DataTable, run
  alternately in the same run (target: costmodel <= 1.3x the bare app);
- slider step -> repainted: a right/left key on the `workload.requests_per_month` row, from just
  before the key is posted to the end of the frame in which the grid, the totals and the chart are
  repainted (target p95 <= 16 ms, with and without a range).

Start-up: each app runs in a fresh interpreter from a driver script written to a temporary folder.
The costmodel driver takes the path of `costmodel tui` (import `costmodel.cli.main` and `costmodel.tui`,
as `costmodel.cli.main.main`'s fast path for `tui PRESET` does, then calls `costmodel.tui.run`: the app
opens the scenario right after its first frame) with one difference: the app is a subclass whose
`on_ready` notes the time (and, once the scenario's figures are painted, notes that too and exits).
Textual posts `events.Ready` once the first frame has been composed and handed to the driver; the
app handles it after the messages queued before it. The
drivers also note when the first frame was handed to the driver ("first frame composed"). By
default both apps get a 140x45 pseudo-terminal and Textual's real driver, so the first frame is
turned into escape codes and written as on a user's terminal; `--headless` uses Textual's headless
driver instead (no terminal output). The parent takes `time.time()` just before `Popen`; the
drivers write `time.time()` at each milestone.

Slider step: in process, `App.run_test(size=(140, 45))`. The key event is posted as the terminal
driver posts it, so it goes through Textual's binding lookup, the grid's `action_step`, the app's
`on_input_grid_request`, the widgets' idle work and the screen's update timer. The bench wraps
`render_lines` of the grid, the totals and the chart and the app's `_display` (instance attributes;
nothing in the app is changed) to note which widgets each frame repainted and when the frame was
done; as on a real terminal, `_display` also turns the frame into escape codes (the headless driver
skips that). One untimed step comes first, so the alternation never brings the scenario back to its
loaded value (that would toggle the title's "modified" mark, which repaints the whole screen).
Per step: CPU time of the UI thread (the work, which must fit in a 16 ms frame: the headline) and
wall time (adds the wait for the next tick of Textual's 60 fps update timer). Garbage collections
are part of both; the full (generation 2) ones are counted.

Run: python bench/tui.py [--runs 7] [--steps 200] [--preset support-assistant] [--headless] [--no-startup]

The slider steps run twice: on the preset as it is, and with a range on workload.output_tokens
(then the P10–P90 rows and the bands are on screen: the UI reruns their 2,000-sample Monte Carlo
once the steps pause, so a step repaints the point figures and keeps the last P10–P90 until then; the
steps here come about 50 ms apart, inside that pause, as a held key's do).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import RenderableType
    from textual.geometry import Region
    from textual.screen import Screen
    from textual.strip import Strip

SIZE = (140, 45)
Marks = list[tuple[str, float]]  # (milestone, seconds)
FIELD = "workload.requests_per_month"

# The drivers write their milestones, (name, time.time()), to the file named by argv[1].
_DRIVER_HEAD = """
import json, sys, time
marks = [("interpreter", time.time())]


def note_first_frame(app):
    \"\"\"Wrap (not change) app._display to note when the first frame is handed to the terminal driver.\"\"\"
    display = app._display
    composed = []

    def first_display(screen, renderable):
        display(screen, renderable)
        if renderable is not None and not composed:
            composed.append(True)
            marks.append(("first frame composed", time.time()))

    app._display = first_display


def save_marks():
    with open(sys.argv[1], "w") as out:
        json.dump(marks, out)
"""

_COSTMODEL_DRIVER = """
import costmodel.cli.main  # main() takes its fast path for `tui PRESET`: no full parser is built
from costmodel.tui import run  # what that path imports
marks.append(("costmodel.cli.main", time.time()))
from textual.app import App
from textual.widgets import DataTable
marks.append(("import textual", time.time()))
import costmodel.tui.app as app_module
marks.append(("import costmodel.tui.app", time.time()))


class Timed(app_module.CostmodelApp):
    _BASE_PATH = app_module.__file__  # CSS_PATH stays relative to costmodel/tui/app.py

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        note_first_frame(self)

    def run(self, **kwargs):
        return super().run(**{**kwargs, **RUN_KWARGS})

    def on_ready(self):
        marks.append(("Ready handled", time.time()))
        super().on_ready()  # opens the scenario, as the real app does

    def _load_document(self, document):
        super()._load_document(document)
        self.call_after_refresh(self._painted)

    def _painted(self):
        marks.append(("figures painted", time.time()))
        self.exit(0)


run(sys.argv[2], app_class=Timed)  # costmodel.tui.run: the path `costmodel tui PRESET` takes
save_marks()
"""

_BARE_DRIVER = """
from textual.app import App
from textual.widgets import DataTable
marks.append(("import textual", time.time()))


class Bare(App):
    def compose(self):
        yield DataTable()

    def on_mount(self):
        table = self.query_one(DataTable)
        table.add_columns("Field", "RAG", "Fine-tuning", "Hybrid")
        for i in range(12):
            table.add_row(f"row {i}", *(f"USD {(i + 1) * k * 1234.5:,.2f}" for k in (1, 2, 3)))
        table.focus()

    def on_ready(self):
        marks.append(("Ready handled", time.time()))
        self.exit(0)


app = Bare()
note_first_frame(app)
app.run(**RUN_KWARGS)
save_marks()
"""


def _run_kwargs(headless: bool) -> str:
    return f"dict(headless=True, size={SIZE!r})" if headless else "dict()"


def _start_once(driver: Path, preset: str, headless: bool) -> Marks:
    """Run `driver` once; return its milestones as seconds since just before the process was created."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(COLUMNS=str(SIZE[0]), LINES=str(SIZE[1]), TERM=env.get("TERM", "xterm-256color"))
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
        out = Path(handle.name)
    command = [sys.executable, str(driver), str(out), preset]
    try:
        if headless:
            start = time.time()
            subprocess.run(command, check=True, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, env=env)
        else:
            start = _run_in_pty(command, env)
        marks = json.loads(out.read_text())
    finally:
        out.unlink(missing_ok=True)
    return [(name, at - start) for name, at in marks]


def _run_in_pty(command: list[str], env: dict[str, str]) -> float:
    """Run `command` on a new pseudo-terminal of SIZE (its output is read and dropped); return its start time."""
    import fcntl
    import pty
    import struct
    import termios

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", SIZE[1], SIZE[0], 0, 0))

    def drain() -> None:
        try:
            while os.read(master, 1 << 16):
                pass
        except OSError:
            pass

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    try:
        start = time.time()
        process = subprocess.Popen(command, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True)
        os.close(slave)
        slave = -1
        try:
            code = process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            raise
        if code != 0:
            raise RuntimeError(f"{command} exited with {code} (--headless shows its error output)")
    finally:
        if slave >= 0:
            os.close(slave)
        reader.join(timeout=5)
        os.close(master)
    return start


def startup(preset: str, runs: int, headless: bool) -> tuple[list[Marks], list[Marks]]:
    """Run both drivers alternately `runs` times (after one warm-up each); return their milestones per run."""
    with tempfile.TemporaryDirectory() as folder:
        drivers = []
        for name, source in (("costmodel_driver.py", _COSTMODEL_DRIVER), ("bare_driver.py", _BARE_DRIVER)):
            path = Path(folder) / name
            path.write_text((_DRIVER_HEAD + source).replace("RUN_KWARGS", _run_kwargs(headless)))
            drivers.append(path)
        ours: list[Marks] = []
        bare: list[Marks] = []
        for driver in drivers:  # warm-up: bytecode caches, the page cache
            _start_once(driver, preset, headless)
        for _ in range(runs):
            ours.append(_start_once(drivers[0], preset, headless))
            bare.append(_start_once(drivers[1], preset, headless))
    return ours, bare


def _median_ready(runs: list[Marks], milestone: str = "Ready handled") -> float:
    return statistics.median(dict(marks)[milestone] for marks in runs)


def _breakdown(runs: list[Marks]) -> str:
    """Return 'step ms' for each milestone: the median time since the previous one."""
    names = [name for name, _ in runs[0]]
    parts = []
    for i, name in enumerate(names):
        steps = [marks[i][1] - (marks[i - 1][1] if i else 0.0) for marks in runs]
        label = "interpreter start-up" if name == "interpreter" else name
        parts.append(f"{label} {statistics.median(steps) * 1000:.0f}")
    return " · ".join(parts) + " ms"


def _ms(values: list[float], q: float = 0.5, digits: int = 1) -> str:
    """Return the `q` quantile of `values` (seconds) in milliseconds, nearest rank."""
    ordered = sorted(values)
    return f"{ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] * 1000:.{digits}f}"


RANGED_FIELD = "workload.output_tokens"


async def slider_steps(preset: str, steps: int, ranges: bool = False) -> dict[str, list[float]]:
    """Step FIELD `steps` times by key (alternately right and left); return per-step timings in seconds.

    With `ranges`, RANGED_FIELD is first given a range, so the totals carry P10–P90 rows and
    P(cheapest) and the chart its bands (the UI's Monte Carlo reruns once the steps pause).
    """
    from rich.console import Console
    from textual import events
    from textual._compositor import CompositorUpdate
    from textual.screen import UPDATE_PERIOD
    from textual.widget import Widget

    from costmodel.model.engine import estimate
    from costmodel.tui.app import CostmodelApp
    from costmodel.tui.state import Document
    from costmodel.tui.widgets.input_grid import InputGrid

    wanted = ("grid", "totals", "chart")
    # At the end of each frame: wall time, UI-thread CPU time, widgets repainted, their render_lines time so far.
    frames: list[tuple[float, float, frozenset[str], dict[str, float]]] = []
    repainted: set[str] = set()
    parts = (*wanted, "escape codes")
    render_time = dict.fromkeys(parts, 0.0)  # this step's time in each part so far
    result: dict[str, list[float]] = {"wall": [], "cpu": [], "handler": [], "engine": [], "frames": [], "gc2": []}
    result.update({part: [] for part in parts})
    gc_start = [0.0]

    def gc_timer(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            gc_start[0] = time.perf_counter()
        else:
            if info["generation"] == 2:
                result["gc2"].append(time.perf_counter() - gc_start[0])

    def watch_lines(widget: Widget, name: str) -> None:
        render_lines = widget.render_lines

        def timed_render_lines(crop: Region) -> list[Strip]:
            start = time.perf_counter()
            lines = render_lines(crop)
            render_time[name] += time.perf_counter() - start
            repainted.add(name)
            return lines

        widget.render_lines = timed_render_lines  # type: ignore[method-assign]

    async def settle(since: float) -> None:
        """Wait until frames have repainted all of `wanted` and then two update periods passed quietly."""
        while time.perf_counter() < since + 2.0:
            await asyncio.sleep(UPDATE_PERIOD)
            done = frames and set(wanted) <= frozenset().union(*(frame[2] for frame in frames))
            if done and time.perf_counter() - frames[-1][0] > 2 * UPDATE_PERIOD:
                return

    # The UI keeps unsaved edits in a recovery file: a fresh state folder per run keeps the bench's
    # out of the user's, and keeps one run's file from offering a restore dialog to the next.
    os.environ["XDG_STATE_HOME"] = tempfile.mkdtemp(prefix="costmodel-bench-")
    # The preset's own ranges are left out (presets gain ranges over time): the first case has none,
    # the second exactly one, on RANGED_FIELD.
    opened = Document.open(preset)
    app = CostmodelApp(Document(opened.scenario.model_copy(update={"ranges": {}}), opened.path, opened.read_only))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        if ranges:
            doc = app.document
            doc.set_text(doc.spec(RANGED_FIELD), "250 .. 500")
            app._refresh_after_edit()
            await pilot.pause()
        if not app.focus_field(FIELD):
            raise SystemExit(f"{preset} has no row {FIELD}")
        # One step first, untimed: alternating right/left then never returns to the loaded value, so
        # the title's "modified" mark stays put (its toggling would repaint the whole screen each step).
        await pilot.press("right")
        await pilot.pause()

        terminal = Console(width=SIZE[0], height=SIZE[1], force_terminal=True, color_system="truecolor")
        display = app._display

        def timed_display(screen: Screen, renderable: RenderableType | None) -> None:
            display(screen, renderable)
            if isinstance(renderable, CompositorUpdate):
                start = time.perf_counter()
                renderable.render_segments(terminal)  # what the terminal driver writes (the headless one skips it)
                render_time["escape codes"] += time.perf_counter() - start
            frames.append((time.perf_counter(), time.thread_time(), frozenset(repainted), dict(render_time)))
            repainted.clear()

        app._display = timed_display  # type: ignore[method-assign]
        for name in wanted:
            watch_lines(app.query_one(f"#{name}"), name)

        gc.callbacks.append(gc_timer)
        for i in range(steps):
            frames.clear()
            repainted.clear()
            for part in parts:
                render_time[part] = 0.0
            key = events.Key("right" if i % 2 == 0 else "left", None)
            wall0, cpu0 = time.perf_counter(), time.thread_time()
            app.post_message(key)  # as the terminal driver posts a key
            await settle(wall0)
            seen: set[str] = set()
            for n, (wall, cpu, names, rendered) in enumerate(frames):
                seen |= names
                if seen >= set(wanted):
                    result["wall"].append(wall - wall0)
                    result["cpu"].append(cpu - cpu0)
                    result["frames"].append(n + 1)
                    for part in parts:
                        result[part].append(rendered[part])
                    break
            scenario = app.document.scenario
            start = time.perf_counter()
            estimate(scenario)
            result["engine"].append(time.perf_counter() - start)
        gc.callbacks.remove(gc_timer)

        # The app's handler alone: Document.step, estimate and every widget's update call (no painting).
        spec = app.query_one(InputGrid).current_spec
        for i in range(min(steps, 50)):
            request = InputGrid.Request(spec, "step", direction=1 if i % 2 == 0 else -1)
            start = time.perf_counter()
            app.on_input_grid_request(request)
            result["handler"].append(time.perf_counter() - start)
            await pilot.pause()
        app._display = display  # type: ignore[method-assign]
    return result


def main() -> None:
    """Print the figures."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--steps", type=int, default=200)
    parser.add_argument("--preset", default="support-assistant")
    parser.add_argument("--headless", action="store_true", help="Textual's headless driver instead of a pty")
    parser.add_argument("--no-startup", action="store_true", help="only the slider steps")
    args = parser.parse_args()
    headless = args.headless or os.name != "posix"

    if not args.no_startup:
        print_startup(args.preset, args.runs, headless)
    for ranges in (False, True):
        print_steps(args.preset, args.steps, ranges)


def print_startup(preset: str, runs: int, headless: bool) -> None:
    """Print the start-up figures (both apps alternately, `runs` times each)."""
    ours, bare = startup(preset, runs, headless)
    a, b = _median_ready(ours), _median_ready(bare)
    print(
        f"start-up to first frame   costmodel tui  {a:.3f} s   bare Textual+DataTable  {b:.3f} s   "
        f"ratio {a / b:.2f}  (target <= 1.3)"
    )
    painted = _median_ready(ours, "figures painted")
    print(
        f"  ... and to the scenario's figures painted (opened right after the first frame): {painted:.3f} s, "
        f"ratio {painted / b:.2f}"
    )
    how = "headless driver" if headless else f"real driver on a {SIZE[0]}x{SIZE[1]} pty"
    print(f"  medians of {runs} runs each, alternating, {how}; ms since the previous milestone:")
    print(f"  costmodel: {_breakdown(ours)}")
    print(f"  bare:      {_breakdown(bare)}")


def print_steps(preset: str, steps: int, ranges: bool) -> None:
    """Print the slider-step figures, without or with a ranged input (its Monte Carlo once the steps pause)."""
    t = asyncio.run(slider_steps(preset, steps, ranges))
    cpu, wall = t["cpu"], t["wall"]
    kind = f"with a range on {RANGED_FIELD}" if ranges else "no ranges"
    print(
        f"slider step -> repainted ({kind})  median {_ms(cpu)} ms  p95 {_ms(cpu, 0.95)} ms  (target p95 <= 16 ms)"
        f"   engine share {_ms(t['engine'], digits=2)} ms"
    )
    print(
        f"  UI-thread CPU time from posting the key to the end of the frame showing the new grid, totals and chart"
        f" ({len(cpu)} of {steps} steps, median {statistics.median(t['frames']):.0f} frame(s));"
    )
    print(
        f"  wall time, which adds the wait for the next tick of Textual's 60 fps update timer:"
        f" median {_ms(wall)} ms  p95 {_ms(wall, 0.95)} ms"
    )
    handler = statistics.median(t["handler"])
    parts = {part: statistics.median(t[part]) for part in ("grid", "totals", "chart", "escape codes")}
    rest = statistics.median(cpu) - handler - sum(parts.values())
    print(
        f"  where (medians): app handler {handler * 1000:.1f} ms (its estimate() {_ms(t['engine'], digits=2)})"
        + "".join(
            f" · {'render_lines ' if part != 'escape codes' else ''}{part} {value * 1000:.1f}"
            for part, value in parts.items()
        )
        + f" · the rest (layout, other widgets, dispatch) ~{rest * 1000:.1f} ms"
    )
    full = t["gc2"]
    if full:
        print(
            f"  full (generation 2) garbage collections during the steps: {len(full)}, median {_ms(full)} ms,"
            f" max {max(full) * 1000:.1f} ms; steps slower than 16 ms: {sum(1 for x in cpu if x > 0.016)} of {len(cpu)}"
        )


if __name__ == "__main__":
    main()
