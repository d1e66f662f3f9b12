"""The Textual App: layout, key bindings, and the flow of edits, saves and quits.

One source of truth: the Document holds the Scenario. An edit makes a new Scenario, the
engine estimates it (microseconds), and every widget is updated inside one batch.
"""

from __future__ import annotations

import contextlib
import gc
import math
import time
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import events, work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.css.query import NoMatches
from textual.screen import Screen
from textual.suggester import SuggestFromList
from textual.timer import Timer
from textual.widgets import Footer, Input, Label, Static

from costmodel.model.errors import CostmodelError
from costmodel.model.names import INFO
from costmodel.tui import DEFAULT_PRESET, textual_fixes
from costmodel.tui.dialogs import confirm, picker
from costmodel.tui.edit_errors import EditError
from costmodel.tui.fields import FieldSpec, format_value
from costmodel.tui.files import FileActions
from costmodel.tui.panels import AnalysisPanels
from costmodel.tui.scale import SliderScale, scale_for
from costmodel.tui.widgets.chart import TimelineChart
from costmodel.tui.widgets.input_grid import InputGrid
from costmodel.tui.widgets.slider import FloatSlider
from costmodel.tui.widgets.totals import TotalsTable, strategy_label

if TYPE_CHECKING:
    from costmodel.model.engine import Estimate
    from costmodel.tui.state import Document

__all__ = ["CostmodelApp"]

# Actions of the main screen: off while a dialog is open (a second dialog would stack on the first).
MAIN_SCREEN_ACTIONS = frozenset(
    {
        "save",
        "save_as",
        "export",
        "open",
        "goto",
        "undo",
        "redo",
        "toggle_chart",
        "toggle_uncertainty",
        "sensitivity",
        "solve",
        "fit",
        "warnings",
        "maximise_chart",
        "search",
        "edited_only",
        "fold",
        "all_models",
        "delta",
        "compare",
        "report",
        "quit",
    }
)
UNCERTAINTY_SAMPLES = 2000
# The Monte Carlo of the ranges runs this long after the last edit (seconds), not on every step of a burst.
UNCERTAINTY_DELAY = 0.12
# Unsaved edits reach the recovery file this long after the first edit not yet written (seconds).
RECOVERY_DELAY = 1.0
# Garbage is collected this long after the last edit (seconds), not in the middle of a burst of steps.
GC_IDLE = 2.5
# The young generation is collected after this many allocations (Python's default: 700).
GC_YOUNG = 20_000
UNCERTAINTY_SEED = 1
# From this many columns the grid shows a unit column and amounts carry their currency code.
WIDE_LAYOUT = 130
# Below this many lines the totals give up rows (they scroll) so the chart keeps at least six.
SHORT_LAYOUT = 32


def _rows(text: Text, width: int) -> int:
    """Return about how many rows `text` takes at `width` cells (each line wrapped at the width)."""
    if width <= 0:
        return -1
    return sum(max(1, -(-len(line) // width)) for line in text.plain.split("\n"))


def _ascii_only() -> bool:
    """Return True when the terminal likely cannot draw braille (COSTMODEL_ASCII=1, a non-UTF-8 locale, TERM=linux)."""
    import os
    import sys

    if os.environ.get("COSTMODEL_ASCII", "") not in ("", "0"):
        return True
    encoding = (getattr(sys.__stdout__, "encoding", None) or "utf-8").lower().replace("-", "")
    return os.environ.get("TERM") == "linux" or not encoding.startswith("utf")


def _severity(warning: str) -> int:
    """Return a warning's rank: 0 for the most severe (figures that cannot be trusted at all)."""
    lowered = warning.lower()
    for rank, words in enumerate(
        (
            ("overflow",),
            ("not available", "outgrows", "no longer sells", "withdrawn"),
            ("stale",),
            ("months old", "no as_of", "after today"),
        )
    ):
        if any(w in lowered for w in words):
            return rank
    return 4


def _all_finite(value: Any) -> bool:
    """Return True when every number inside `value` (nested dicts, lists, tuples) is finite."""
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, dict):
        return all(_all_finite(v) for v in value.values())
    if isinstance(value, list | tuple):
        return all(_all_finite(v) for v in value)
    return True


class CostmodelApp(FileActions, AnalysisPanels, App[int]):
    """Edit a scenario and watch every strategy's costs (RAG, fine-tuning, hybrid, long context) move side by side."""

    CSS_PATH = "app.tcss"
    TITLE = "costmodel"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "Quit", priority=True, show=False),
        Binding("q", "quit", "Quit", show=False),
        # Not priority bindings: in the editor, ctrl+a and ctrl+e keep their text meaning (start, end).
        # The footer shows, in this order, what fits the width: the panels first, files after.
        Binding("s", "sensitivity", "Swing"),
        Binding("b", "solve", "Solve"),
        Binding("f", "fit", "Fit"),
        Binding("u", "toggle_uncertainty", "Ranges"),
        Binding("w", "warnings", "Warn"),
        Binding("ctrl+s", "save", "Save"),
        Binding("ctrl+z", "undo", "Undo"),
        Binding("c", "toggle_chart", "Chart"),
        Binding("m", "maximise_chart", "Max"),
        Binding("ctrl+g", "goto", "Go to"),
        Binding("slash", "search", "Search", show=False),
        Binding("E", "edited_only", "Edited only", show=False),
        Binding("d", "delta", "Δ", show=False),
        Binding("ctrl+a", "save_as", "Save as", show=False),
        Binding("ctrl+e", "export", "Export", show=False),
        Binding("ctrl+r", "report", "Report", show=False),
        Binding("ctrl+o", "open", "Open", show=False),
        Binding("ctrl+y", "redo", "Redo", show=False),
        Binding("ctrl+t", "toggle_dark", "Theme", show=False),
        Binding("f1,question_mark", "help", "Help"),
    ]

    def __init__(
        self,
        document: Document | None = None,
        *,
        ref: str | Path | None = None,
        other: Document | str | Path | None = None,
        **kwargs: Any,
    ) -> None:
        """Show `document`; or, with `ref` (a file or preset name), open it just after the first frame.

        Opening loads pydantic, the schema and the engine (~75 ms): with `ref` the window is on
        screen first, and a scenario that cannot be opened is explained in a dialog. `other` (a
        Document, file or preset) is a second scenario shown side by side: its figures and the
        differences under each total, and the inputs where it differs marked `≠`.
        """
        super().__init__(**kwargs)
        self.document: Document | None = document  # type: ignore[assignment]
        self._initial_ref = ref
        self._other_ref = other if not hasattr(other, "scenario") else None
        self.other: Document | None = other if hasattr(other, "scenario") else None  # type: ignore[assignment]
        self.show_delta = False
        self.diff: Any = None
        self._baseline_of: tuple[object, date | None, Estimate] | None = None  # loaded scenario, date, its estimate
        self.error_message: str | None = None
        self.estimate: Estimate | None = None  # type: ignore[assignment]
        self.uncertainty: dict[str, Any] | None = None
        self._bands: dict[str, tuple[list[float], list[float]]] | None = None
        self.show_uncertainty = True
        self._editing: FieldSpec | None = None
        self._submit_waiting = False  # Enter came while typed keys were still on their way (see on_input_submitted)
        self._slider_spec: FieldSpec | None = None
        self._scale: SliderScale | None = None  # the slider's track, kept while one field is stepped
        self._gesture = False
        self._shown_field: str | None = None
        self._shown_ranged = False
        self._help_error = False
        self._last_notes: Text | None = None
        self._notes_pending = False
        self._totals: TotalsTable | None = None  # the main screen's totals, once found
        self._laid_out_width = 0
        self._ranges_overflow = False
        self._uncertainty_of: object = None  # the scenario `uncertainty` was simulated for
        self._uncertainty_timer: Timer | None = None  # runs the Monte Carlo once the steps pause
        self._uncertainty_soon = False  # the Monte Carlo runs right after the next frame
        self._estimate_of: tuple[object, date | None] | None = None  # the scenario and date `estimate` is of
        self._warnings_of: tuple[tuple[object, ...], list[str]] | None = None  # warnings() of one scenario
        self.last_history_message = ""  # what the last undo or redo said
        self.show_all_models = False
        self._recovery_timer: Timer | None = None
        self._gc_timer: Timer | None = None
        self._recovery_written: Path | None = None  # the scenario file whose recovery file this session wrote

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Return False for the main screen's actions while a dialog is open or before a scenario is open."""
        if action not in MAIN_SCREEN_ACTIONS:
            return True
        if len(self.screen_stack) > 1:
            return False
        return self.document is not None or action in ("open", "quit")

    # --- layout ------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        # Set the layout class before the widgets are styled: setting it later restyles them all.
        self.screen.set_class(self.size.width >= WIDE_LAYOUT, "wide")
        self.screen.set_class(self.size.height < SHORT_LAYOUT, "short")
        if self.document is None:
            self.title = f"costmodel · opening {self._initial_ref}…"
        yield Static(self.title, id="title-bar")
        # The formula bar, across the whole width as in a spreadsheet: the highlighted input's full
        # dotted path and its value (the editor), or the selected total's formula with its numbers.
        with Horizontal(id="editor-row"):
            yield Label("", id="editor-label", markup=False)
            yield Input(
                id="editor",
                placeholder="type a value, Enter applies, Esc cancels",
                select_on_focus=False,
                disabled=True,
            )
            formula = Static("", id="formula", markup=False)
            formula.display = False
            yield formula
        with Horizontal(id="main"):
            with Vertical(id="inputs"):
                yield InputGrid(id="grid")
                slider = FloatSlider(id="slider")
                slider.display = False  # until a numeric row is highlighted
                yield slider
                yield Static("", id="field-help")
            with Vertical(id="results"):
                yield TotalsTable(id="totals")
                yield Static("", id="notes")
                yield TimelineChart(id="chart")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one(TimelineChart).ascii = _ascii_only()
        grid = self.query_one(InputGrid)
        grid.show_units = self.size.width >= WIDE_LAYOUT
        self._laid_out_width = self.size.width
        grid.focus()
        self.theme_changed_signal.subscribe(self, self._on_theme_changed)
        if self.document is not None:
            self._mount_document()
            self._offer_recovery()

    def _mount_document(self) -> None:
        """Fill the grid with the document's rows, estimate it, and highlight the first field."""
        assert self.document is not None
        grid = self.query_one(InputGrid)
        grid.load(self.document.specs(), self._value_text, hidden=self._hidden_sections())
        grid.mark_edited(self.document.edited_paths())
        self._show_results()
        first = grid.current_spec
        if first is not None:
            self._focus_spec(first)

    @work(exclusive=True, group="files")
    async def _open_initial(self) -> None:
        """Open the scenario named on the command line; explain in a dialog when it cannot be opened."""
        from costmodel.tui.opening import open_document

        try:
            document = await open_document(self._initial_ref or DEFAULT_PRESET)
        except CostmodelError as exc:
            self._set_title("costmodel")
            answer = await self.push_screen_wait(
                confirm("Cannot open the scenario", str(exc), [("open", "Open another…"), ("quit", "Quit")])
            )
            if answer == "open":
                self.action_open()
            else:
                self.error_message = str(exc)
                self.exit(2, return_code=2)
            return
        if self._other_ref is not None:
            try:
                self.other = await open_document(self._other_ref)
            except CostmodelError as exc:
                self.error_message = str(exc)
                self.exit(2, return_code=2)
                return
        self._load_document(document)
        gc.freeze()

    def _on_theme_changed(self, _theme: object) -> None:
        # The notes carry the theme's colours in their text: make them again.
        self._last_notes = None
        self._show_results()

    def on_ready(self) -> None:
        # Start-up objects (Textual, pydantic, the schema) live as long as the app: keep them out of
        # the garbage collector's full passes, which otherwise pause slider steps for 100+ ms.
        gc.freeze()
        # Full collections (15-40 ms) would land inside slider steps: they run when the UI is idle
        # instead (GC_IDLE seconds after the last edit), and only rarely on their own.
        # Young objects are collected every GC_YOUNG allocations rather than 700: a slider step allocates
        # tens of thousands, and fewer, larger passes cost about half the time.
        _, second, _ = gc.get_threshold()
        gc.set_threshold(GC_YOUNG, second, 1000)
        if self.document is None:
            self._open_initial()

    def on_resize(self, event: events.Resize) -> None:
        # The event's size: this handler runs before App._on_resize updates self.size.
        grid = self.query_one(InputGrid)
        wide = event.size.width >= WIDE_LAYOUT
        main_screen = self.screen_stack[0]
        if main_screen.has_class("wide") != wide:
            main_screen.set_class(wide, "wide")
        short = event.size.height < SHORT_LAYOUT
        if main_screen.has_class("short") != short:
            main_screen.set_class(short, "short")
        if grid.show_units != wide:
            grid.show_units = wide
            if self.document is not None:
                grid.load(self.document.specs(), self._value_text, hidden=self._hidden_sections())
        if event.size.width != self._laid_out_width:
            # The notes cut long warnings to the width.
            self._laid_out_width = event.size.width
            self.call_after_refresh(self._show_results)

    # --- showing -----------------------------------------------------------------------

    def _value_text(self, spec: FieldSpec) -> str:
        return format_value(spec, self.document.value(spec), self.document.range_text(spec))

    def _show_results(self) -> None:
        """Estimate the current scenario and update every widget in one batch."""
        doc = self.document
        main = self._main_screen()
        if doc is None or main is None:
            return
        from costmodel.model.engine import estimate

        today = self._run_date()
        doc.today = today  # an edit's overflow check then estimates for this date: its estimate is ours
        kept = self._estimate_of
        checked = doc.checked
        # Re-shown for the same scenario (the ranges' figures arrived, a new theme): the same estimate.
        same = kept is not None and kept[0] is doc.scenario and kept[1] == today and self.estimate is not None
        if not same:
            if checked is not None and checked[0] is doc.scenario and checked[1] == today:
                self.estimate = checked[2]
            else:
                self.estimate = estimate(doc.scenario, today=today)
            self._estimate_of = (doc.scenario, today)
        if not (self.show_uncertainty and doc.scenario.ranges):
            self.uncertainty, self._bands, self._uncertainty_of = None, None, None
            self._ranges_overflow = False
            if self._uncertainty_timer is not None:
                self._uncertainty_timer.stop()
                self._uncertainty_timer = None
        elif self._uncertainty_of is not doc.scenario and self.uncertainty is None and not self._uncertainty_soon:
            # No P10–P90 on screen yet (a scenario just opened, `u`): the Monte Carlo runs right after this frame.
            self._uncertainty_soon = True
            self.call_after_refresh(self._refresh_uncertainty)
        elif self._uncertainty_of is not doc.scenario and not self._uncertainty_soon:
            # After an edit the Monte Carlo (5-10 ms) waits until the steps pause: the point figures repaint
            # at once, P10–P90 and the bands UNCERTAINTY_DELAY later; a burst of steps runs it once, for the last.
            if self._uncertainty_timer is None:
                self._uncertainty_timer = self.set_timer(UNCERTAINTY_DELAY, self._refresh_uncertainty)
            else:
                self._uncertainty_timer.reset()
        with self.batch_update():
            if self.other is not None:
                other = self.other.path.name if self.other.path is not None else "other"
                self._set_title(
                    f"costmodel · {doc.title} vs {other}", f"{doc.scenario.name} | {self.other.scenario.name}"
                )
            else:
                self._set_title(f"costmodel · {doc.title}", doc.scenario.name)
            warnings = self.warnings()
            serious = [w for w in warnings if _severity(w) < 3]  # the age of prices marks no column
            self.diff = self._diff()
            other_name = self._other_label() if self.other is not None else None
            main.query_one(TotalsTable).show(
                self.estimate,
                self.uncertainty if self.show_uncertainty else None,
                self._affected(serious),
                self.diff,
                other_name,
                self._baseline() if self.show_delta and self.other is None else None,
            )
            if self.other is not None:
                grid = main.query_one(InputGrid)
                grid.mark_different({c.path for c in self.diff.changes})
            main.query_one(TimelineChart).show(self.estimate, self._bands if self.show_uncertainty else None)
        if self._last_notes is None:
            self._show_notes()  # the first frame of a scenario (or theme) has its notes
        elif not self._notes_pending:
            # The notes (decision, break-evens, fit) follow a frame after the totals and the chart:
            # their sentence and its wrapping cost more than the totals' changed lines.
            self._notes_pending = True
            self.call_after_refresh(self._later_notes)

    def _later_notes(self) -> None:
        """Write the notes a frame after the totals (nothing when the app closed meanwhile)."""
        with contextlib.suppress(NoMatches):
            self._show_notes()

    def _main_screen(self) -> Screen[Any] | None:
        """Return the main screen while its widgets are there (a dialog may be over it), else None
        (the app is closing: a timer or a callback that fires then has nothing to update)."""
        if self._totals is None:  # looked up once: a query walks the whole screen (~0.15 ms)
            found = self.screen_stack[0].query(TotalsTable) if self.screen_stack else None
            self._totals = found.first() if found else None
        if self._totals is None or not self._totals.is_attached or not self.screen_stack:
            return None
        return self.screen_stack[0]

    @property
    def settled(self) -> bool:
        """Return True when nothing the last edit started is still to come (the ranges' Monte Carlo, the notes)."""
        return self._uncertainty_timer is None and not self._uncertainty_soon and not self._notes_pending

    def _show_notes(self) -> None:
        """Write the notes line for the current estimate (only when its text changed)."""
        self._notes_pending = False
        main = self._main_screen()
        if self.document is None or self.estimate is None or main is None:
            return
        notes = self._notes()
        if notes != self._last_notes:
            widget = main.query_one("#notes", Static)
            width = widget.content_region.width
            # A new break-even month keeps the notes' height: then no layout pass (~5 ms) is needed.
            same_height = self._last_notes is not None and _rows(notes, width) == _rows(self._last_notes, width)
            self._last_notes = notes
            widget.update(notes, layout=not same_height)

    def _diff(self) -> Any:
        """Return the diff the totals show: this scenario to the second one, or the file as loaded to now (d)."""
        from costmodel.analysis.diffs import diff

        doc = self.document
        if self.other is not None:
            return diff(doc.scenario, self.other.scenario)
        return None

    def _baseline(self) -> Estimate:
        """Return the estimate of the file as loaded (the Δ columns' baseline), worked out once per file and date."""
        doc = self.document
        today = self._run_date()
        kept = self._baseline_of
        if kept is None or kept[0] is not doc.loaded or kept[1] != today:
            from costmodel.model.engine import estimate

            kept = self._baseline_of = (doc.loaded, today, estimate(doc.loaded, today=today))
        return kept[2]

    def _other_label(self) -> str:
        """Return how the totals name the second scenario (its file name, short)."""
        other = self.other
        name = other.path.stem if other is not None and other.path is not None else "other"
        return name if len(name) <= 14 else "…" + name[-13:]  # the end tells variants of one name apart

    def action_delta(self) -> None:
        """Show or hide the Δ columns: beside each strategy's figures, how each moved from the file as loaded."""
        if self.other is not None:
            self.notify("comparing with a second scenario: its Δ rows stay", timeout=2, markup=False)
            return
        self.show_delta = not self.show_delta
        self._show_results()

    def _set_title(self, title: str, subtitle: str = "") -> None:
        """Show the title bar (file, modified mark, scenario name) and set the terminal's title."""
        if (title, subtitle) == (self.title, self.sub_title):
            return
        self.title, self.sub_title = title, subtitle
        bar = Text(title, style="bold")
        if subtitle:
            bar.append(f" — {subtitle}", style="dim")
        main = self._main_screen()
        if main is not None:
            main.query_one("#title-bar", Static).update(bar)

    def _refresh_uncertainty(self) -> None:
        """Run the Monte Carlo for the current scenario and show its rows and bands."""
        if self._uncertainty_timer is not None:
            self._uncertainty_timer.stop()
        self._uncertainty_timer = None
        self._uncertainty_soon = False
        if self.document is None or self._uncertainty_of is self.document.scenario:
            return
        self._update_uncertainty()
        with contextlib.suppress(NoMatches):  # the app closed meanwhile: its widgets are gone
            self._show_results()

    def _update_uncertainty(self) -> None:
        """Run the Monte Carlo (fixed seed) when ranges are shown and the scenario has ranges."""
        self.uncertainty, self._bands = None, None
        self._uncertainty_of = self.document.scenario
        if not self.show_uncertainty or not self.document.scenario.ranges:
            return
        import numpy

        from costmodel.analysis.montecarlo import simulate

        with numpy.errstate(all="ignore"):
            result = simulate(
                self.document.scenario,
                UNCERTAINTY_SAMPLES,
                UNCERTAINTY_SEED,
                with_bands=True,
                today=self._run_date(),
            )
        uncertainty = result.to_dict()
        if not _all_finite(uncertainty) or not _all_finite(result.bands):
            # A range so wide that some samples overflow: show the point figures and say why.
            self._ranges_overflow = True
            return
        self._ranges_overflow = False
        self.uncertainty = uncertainty
        self._bands = result.bands

    def _theme_colour(self, name: str, fallback: str) -> str:
        """Return a colour of the current theme (e.g. `text-warning`), moved towards black or white
        until it stands at least 4.5:1 against the theme's background."""
        from textual.color import Color

        from costmodel.tui.contrast import readable

        variables = self.theme_variables
        try:
            background = Color.parse(variables.get("background", "#000000"))
            colour = Color.parse(variables.get(name, fallback))
        except Exception:  # a theme variable that is not a plain colour
            return variables.get(name, fallback)
        return readable(colour, background).hex

    def _notes(self) -> Text:
        est = self.estimate
        wide = self.size.width >= WIDE_LAYOUT
        good = self._theme_colour("text-success", "green")
        colours = {"good": good, "mixed": self._theme_colour("text-warning", "yellow")}
        colours["poor"] = self._theme_colour("text-error", "red")
        text = Text()
        warnings = self.warnings()
        if warnings:
            # The warning that matters most comes first, on the first line: it is never behind a key.
            main = self._main_screen()
            room = max(10, (main.query_one("#notes").size.width if main is not None else 80) - 2)
            more = f" (+{len(warnings) - 1}: w)" if len(warnings) > 1 else ""
            first = warnings[0] if warnings[0].startswith("✗ ") else f"⚠ {warnings[0]}"  # ✗ is its own mark
            lines = 2 if wide else 1
            if len(first) + len(more) > lines * room:
                first = first[: lines * room - len(more) - 1] + "…"
            text.append(first + more + "\n", style=f"bold {colours['mixed']}")
        if any(s.available for s in est.strategies.values()):
            text.append(f"★ {self._decision_text(wide)}", style=f"bold {good}")
        else:
            # Nothing can be bought for the whole horizon: no column is recommended, so no ★ either.
            text.append(self._nothing_available_text(wide), style=f"bold {colours['poor']}")
        marks = sorted((b for b in est.breakeven if b.month is not None), key=lambda b: (b.month, b.a, b.b))
        if not marks:
            text.append(" · no break-even within the horizon")
        elif wide:
            text.append(
                " · "
                + "; ".join(
                    f"{strategy_label(b.a)} catches up with {strategy_label(b.b)} in month {b.month}" for b in marks
                )
            )
        else:
            text.append(
                " · even: "
                + ", ".join(f"{strategy_label(b.a, False)}→{strategy_label(b.b, False)} m{b.month}" for b in marks)
            )
        from costmodel.analysis.fit import fit_advice

        fits = fit_advice(self.document.scenario)
        text.append("\nFit (f explains): " if wide else "\nFit: ", style="bold")
        for i, name in enumerate(est.strategies):
            if name not in fits:
                continue
            verdict = fits[name].verdict
            if i:
                text.append(" · ", style="dim")
            text.append(f"{strategy_label(name, wide)} ")
            text.append(verdict, style=colours.get(verdict, ""))
        return text

    def _nothing_available_text(self, wide: bool) -> str:
        """Return the notes' sentence when no strategy is available over the horizon (none is the cheapest)."""
        months = self.estimate.horizon_months
        if wide:
            return (
                f"✗ no strategy is available for the whole {months}-month horizon, so none is recommended: "
                "shorten the horizon or pick models that are sold (and fine-tuned) that long"
            )
        return f"✗ none available for {months} months: nothing to recommend"

    def _decision_text(self, wide: bool) -> str:
        """Return the decision for the notes line: the whole sentence when wide, else winner and margin only.

        Both come from costmodel.analysis.decision (the margin and the cost lines behind it), as
        the command line's sentence does.
        """
        from costmodel.analysis.decision import explain_decision
        from costmodel.model.money import format_money

        decision = explain_decision(self.document.scenario, self.estimate)
        if wide:
            return decision.sentence
        winner = strategy_label(decision.winner)
        if decision.runner_up is None or decision.margin is None:
            return f"cheapest: {winner}"
        share = f" ({decision.margin_fraction:.0%})" if decision.margin_fraction is not None else ""
        margin = format_money(decision.margin, decision.currency)
        return f"{winner} cheapest, {margin}{share} below {strategy_label(decision.runner_up, False)}"

    def warnings(self) -> list[str]:
        """Return every warning about the current estimate, the most severe first.

        Severity: figures that cannot be shown, then costs that are understated (GPU capacity,
        withdrawn prices), then answers that go stale, then the age of prices.
        """
        key = (self.document.scenario, self.estimate, self._ranges_overflow)
        if self._warnings_of is not None and all(a is b for a, b in zip(self._warnings_of[0], key, strict=True)):
            return list(self._warnings_of[1])
        overflow = ["some samples of the ranges overflow, so P10–P90 are hidden: narrow the widest range"]
        # A strategy not available is said once, shortly, as `✗ Label not available: why` (the engine's
        # longer sentence, with the price field, is the JSON's and the breakdown's).
        engine = [w for w in self.estimate.warnings if " is not available: " not in w]
        found = [
            *(overflow if self._ranges_overflow else []),
            *self._unavailable_notes(),
            *engine,
            *self._price_warnings(),
        ]
        ranked = sorted(found, key=_severity)
        self._warnings_of = (key, ranked)
        return list(ranked)

    def _affected(self, warnings: list[str]) -> frozenset[str]:
        """Return the strategies a warning is about: named in it, or using a model it names."""
        from costmodel.model.strategies import strategy

        s = self.document.scenario
        uses = {
            name: {getattr(getattr(s, table, None), field, None) for table, field in strategy(name).models_called}
            for name in self.estimate.strategies
        }
        hit = set()
        for name in self.estimate.strategies:
            models = uses.get(name, set())
            for w in warnings:
                if w.startswith(f"{name}.") or f"'{name}" in w or any(f"'{m}'" in w for m in models):
                    hit.add(name)
        for name in self.estimate.strategies:
            if any(w.startswith(f"{name}.retrain_on_update") for w in warnings):
                hit.add(name)
        return frozenset(hit & set(self.estimate.strategies))

    def _run_date(self) -> date | None:
        """Return the run's date ($COSTMODEL_TODAY, else today), which dates the timeline for availability
        as it ages prices; None when $COSTMODEL_TODAY cannot be read (its warning says why)."""
        from costmodel.files.pricing import today_from_env

        try:
            return today_from_env()
        except CostmodelError:
            return None

    def _unavailable_notes(self) -> list[str]:
        """Return one `✗ Label not available: why` line per strategy not available over the horizon."""
        from costmodel.report.render import short_reason

        return [
            f"✗ {INFO[name].label} not available: {short_reason(s.unavailable_because or '')}"
            for name, s in self.estimate.strategies.items()
            if not s.available
        ]

    def _price_warnings(self) -> list[str]:
        """Return the warnings about old or withdrawn prices (COSTMODEL_TODAY and COSTMODEL_MAX_PRICE_AGE apply)."""
        from costmodel.files.pricing import max_age_from_env, price_warnings, today_from_env

        try:
            return price_warnings(self.document.scenario, today_from_env(), max_age_from_env())
        except CostmodelError as exc:
            return [str(exc)]

    def _refresh_after_edit(self, focus: str | None = None) -> None:
        """Show the document's current scenario everywhere (grid values, totals, chart, title)."""
        grid = self.query_one(InputGrid)
        with self.batch_update():
            if self.document.specs() is not grid.source:  # the document makes a new list when its rows change
                grid.load(self.document.specs(), self._value_text, focus, hidden=self._hidden_sections())
            else:
                grid.refresh_values(self._value_text)
            grid.mark_edited(self.document.edited_paths())
            self._show_results()
            spec = grid.current_spec
            if spec is not None:
                self._show_field(spec, rescale=False)
        self._keep_for_recovery()

    def _hidden_sections(self) -> frozenset[str]:
        """Return the price sections of models no strategy uses (shown only when asked for)."""
        if self.document is None or self.show_all_models:
            return frozenset()
        from costmodel.model.paths import format_path
        from costmodel.model.strategies import present

        s = self.document.scenario
        used = {getattr(getattr(s, table, None), field, None) for st in present(s) for table, field in st.models_called}
        return frozenset(format_path(("models", name)) for name in s.models if name not in used)

    def action_all_models(self) -> None:
        """Show the prices of every model in [models], or only those the strategies use."""
        self.show_all_models = not self.show_all_models
        grid = self.query_one(InputGrid)
        grid.load(self.document.specs(), self._value_text, hidden=self._hidden_sections())
        grid.mark_edited(self.document.edited_paths())

    def action_fold(self) -> None:
        """Fold or unfold the highlighted section of the grid."""
        self.query_one(InputGrid).toggle_fold()

    def action_edited_only(self) -> None:
        """Show only the fields that differ from the file as loaded (again: every field)."""
        grid = self.query_one(InputGrid)
        if grid.filtered:
            grid.show_only(None)
            return
        edited = self.document.edited_paths()
        if not edited:
            self.notify("no field differs from the file as loaded", timeout=2, markup=False)
            return
        grid.show_only(edited)
        grid.focus()

    @work(exclusive=True, group="dialogs")
    async def action_search(self) -> None:
        """Find fields by any word of their path, label or help text; Enter goes to the one picked."""
        if self._editing is not None:
            self._end_edit()
        specs = self.document.specs()
        entries = [f"{s.path} — {s.help[:60]}" if s.help else s.path for s in specs]
        answer = await self.push_screen_wait(picker("Search fields", entries, placeholder="a word: price, days, …"))
        if answer:
            self.focus_field(answer.split(" — ", 1)[0])

    # --- crash recovery ------------------------------------------------------------------

    def _keep_for_recovery(self) -> None:
        """Write unsaved edits to the recovery file about a second after an edit (at most one write a second)."""
        doc = self.document
        if doc is None:
            return
        if self._gc_timer is None:
            self._gc_timer = self.set_timer(GC_IDLE, self._collect_garbage)
        else:
            self._gc_timer.reset()
        if not doc.modified:
            self._forget_recovery()
        elif self._recovery_timer is None:
            self._recovery_timer = self.set_timer(RECOVERY_DELAY, self._write_recovery)

    def _collect_garbage(self) -> None:
        """Collect garbage while nobody is typing (a full pass takes tens of milliseconds)."""
        self._gc_timer = None
        gc.collect()

    def _write_recovery(self) -> None:
        """Write the scenario being edited to its recovery file now (or remove it when nothing is unsaved)."""
        from costmodel.tui.recovery import remove_recovery, write_recovery

        self._recovery_timer = None
        doc = self.document
        if doc is None:
            return
        if not doc.modified:
            self._forget_recovery()
            return
        if self._recovery_written is not None and self._recovery_written != doc.path:
            remove_recovery(self._recovery_written)  # saved as another file since
        try:
            write_recovery(doc.scenario, doc.path)
        except OSError as exc:
            self.notify(f"could not write the recovery file: {exc}", severity="warning", markup=False)
            return
        self._recovery_written = doc.path

    def _forget_recovery(self) -> None:
        """Remove the recovery file this session wrote (after a save, a quit, or undoing every edit)."""
        if self._recovery_timer is not None:
            self._recovery_timer.stop()
            self._recovery_timer = None
        if self._recovery_written is not None:
            from costmodel.tui.recovery import remove_recovery

            remove_recovery(self._recovery_written)
            self._recovery_written = None

    @work(exclusive=True, group="recovery")
    async def _offer_recovery(self) -> None:
        """When unsaved edits of this file survived a crash, offer to restore them, listing what differs."""
        from costmodel.tui.recovery import differences, read_recovery, remove_recovery

        doc = self.document
        if doc is None:
            return
        kept = read_recovery(doc.path)
        if kept is None:
            return
        changes = differences(doc.scenario, kept)
        if not changes or kept == doc.scenario:
            remove_recovery(doc.path)
            return
        shown = changes[:10] + ([f"… and {len(changes) - 10} more"] if len(changes) > 10 else [])
        answer = await self.push_screen_wait(
            confirm(
                "Restore unsaved edits?",
                "The last session on this file ended without saving. Its edits:\n" + "\n".join(shown),
                [("restore", "Restore them"), ("discard", "Discard them")],
            )
        )
        if self.document is not doc:
            return
        if answer == "restore":
            self._recovery_written = doc.path  # this session now owns the file: a save or a quit removes it
            doc.apply(kept)
            self._refresh_after_edit()
            self.notify(f"restored {len(changes)} unsaved edit(s)", timeout=3, markup=False)
        elif answer == "discard":
            remove_recovery(doc.path)

    def _handle_exception(self, error: Exception) -> None:
        # The last line of defence: whatever went wrong, the unsaved edits are written before the app ends.
        doc = self.document
        if doc is not None and doc.modified:
            from costmodel.tui.recovery import write_recovery

            with contextlib.suppress(Exception):
                write_recovery(doc.scenario, doc.path)
        super()._handle_exception(error)

    # --- the focused field -------------------------------------------------------------

    def _focus_spec(self, spec: FieldSpec) -> None:
        self._show_field(spec, rescale=True)

    def _show_field(self, spec: FieldSpec, rescale: bool) -> None:
        """Show the row's path, help, unit and slider (the slider's track is kept while stepping)."""
        doc = self.document
        # Labels re-layout the screen when updated: touch them only when the field changes.
        same_field = self._shown_field == spec.path and not self._help_error
        if not same_field:
            self.query_one("#editor-label", Label).update(spec.path)
        if self._editing is None:
            # Not editing: the value whole (a range with its median); an edit starts from the typed form.
            ranged = doc.range_text(spec)
            self.query_one("#editor", Input).value = ranged if ranged is not None else doc.edit_text(spec)
        slider = self.query_one(FloatSlider)
        value = doc.value(spec)
        if spec.numeric and value is not None:
            slider.display = True
            scale = self._slider_scale(spec, float(value), rescale)
            slider.configure(float(value), scale)
        else:
            slider.display = False
        is_range = spec.path in doc.scenario.ranges
        if not same_field or is_range != self._shown_ranged:
            self._set_help(spec)  # the keys' hint differs for a range
        self._shown_field = spec.path
        self._shown_ranged = is_range

    def _slider_scale(self, spec: FieldSpec, value: float, rescale: bool) -> SliderScale:
        current = self._scale
        if (
            rescale
            or current is None
            or self._slider_spec is None
            or self._slider_spec.path != spec.path
            or not current.low <= value <= current.high
        ):
            current = scale_for(value, spec.bounds.lowest, spec.bounds.highest, spec.volume)
            self._scale = current
            self._slider_spec = spec
        return current

    def _set_help(self, spec: FieldSpec, error: str | None = None) -> None:
        help_widget = self.query_one("#field-help", Static)
        self._help_error = bool(error)
        if error:
            help_widget.update(Text(f"✗ {error}", style="bold red"))
            help_widget.add_class("error")
            return
        help_widget.remove_class("error")
        text = Text()
        if spec.unit:
            text.append(f"[{spec.unit}] ", style="bold")
        text.append(spec.help)
        hints = {
            "flag": "  space toggles",
            "choice": "  space cycles: " + ", ".join(spec.choices),
            "model": "  space cycles the catalog's models",
        }
        if spec.kind in hints:
            text.append(hints[spec.kind], style="dim")
        elif spec.numeric and spec.path in self.document.scenario.ranges:
            hint = (
                "  ←/→ shift the range · shift+←/→ narrow or widen it · a single number makes it a point"
                if self.size.width >= WIDE_LAYOUT
                else "  ←/→ shift · shift: narrow/widen"
            )
            text.append(hint, style="dim")
        elif spec.numeric:
            hint = (
                "  ←/→ step (shift ×10) · type a number (-0.02 too) or a range like 10 .. 40"
                if self.size.width >= WIDE_LAYOUT
                else "  ←/→ step · 10 .. 40 is a range"
            )
            text.append(hint, style="dim")
        help_widget.update(text)

    # --- the formula bar: an input's path and value, or a total's formula with numbers -----

    def on_totals_table_selected(self, message: TotalsTable.Selected) -> None:
        if self.document is None or self.estimate is None or self._editing is not None:
            return
        from costmodel.tui.formulas import figure_formula

        where = f"{strategy_label(message.strategy)} · {message.label.strip()}"
        if message.figure is None:
            formula = "no breakdown for this row (Monte Carlo over the ranges)"
        else:
            formula = figure_formula(self.document.scenario, self.estimate, message.strategy, message.figure)
            formula += "  (⏎ lines)"
        self.query_one("#editor-label", Label).update(where)
        self._shown_field = None
        self.query_one("#formula", Static).update(formula)
        self._formula_mode(True)

    def _formula_mode(self, on: bool) -> None:
        """Show a total's formula (on) or the input editor (off) in the formula bar."""
        editor, formula = self.query_one("#editor", Input), self.query_one("#formula", Static)
        if formula.display != on:
            formula.display, editor.display = on, not on

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        if isinstance(event.widget, InputGrid) and self.query_one("#formula", Static).display:
            self._formula_mode(False)
            spec = event.widget.current_spec
            if spec is not None and self.document is not None:
                self._show_field(spec, rescale=False)

    def on_input_grid_focused(self, message: InputGrid.Focused) -> None:
        if self._editing is None:
            self._focus_spec(message.spec)

    # --- requests from the grid --------------------------------------------------------

    def on_input_grid_request(self, message: InputGrid.Request) -> None:
        spec = message.spec
        doc = self.document
        try:
            if message.action == "edit":
                grid = self.query_one(InputGrid)
                grid.pending_edits -= 1
                self._start_edit(spec, message.text)
                if self._submit_waiting and not grid.pending_edits:
                    self._submit_waiting = False
                    self._submit_edit(self.query_one("#editor", Input).value)
                return
            if message.action == "step":
                if spec.numeric and message.big and spec.path in doc.scenario.ranges:
                    doc.widen(spec, message.direction, now=time.monotonic())
                elif spec.numeric:
                    doc.step(spec, message.direction, message.big, now=time.monotonic())
                elif spec.kind in ("choice", "model"):
                    doc.cycle(spec, message.direction)
                elif spec.kind == "flag":
                    doc.toggle(spec)
            elif message.action == "toggle":
                if spec.kind == "flag":
                    doc.toggle(spec)
                elif spec.kind in ("choice", "model"):
                    doc.cycle(spec, 1)
                else:
                    return
            elif message.action == "reset":
                doc.reset(spec)
        except EditError as exc:
            self._set_help(spec, str(exc))
            self.bell()
            return
        self._refresh_after_edit(spec.path)

    def _start_edit(self, spec: FieldSpec, text: str) -> None:
        editor = self.query_one("#editor", Input)
        if self._editing is not None:
            # Keys typed (or pasted) faster than the editor takes focus still reach the grid, in
            # order, before any key reaches the editor: more digits extend the text, Enter applies it.
            if self._editing.path == spec.path and text:
                editor.value += text
                editor.cursor_position = len(editor.value)
            elif self._editing.path == spec.path:
                self._submit_edit(editor.value)
            return
        self._editing = spec
        self.query_one(InputGrid).capturing = True
        editor.disabled = False
        editor.suggester = SuggestFromList(spec.choices) if spec.choices else None
        editor.value = text if text else self.document.edit_text(spec)
        editor.focus()
        editor.cursor_position = len(editor.value)
        self.query_one("#editor-row").add_class("editing")

    def _end_edit(self) -> None:
        self._editing = None
        self._submit_waiting = False
        self.query_one(InputGrid).capturing = False
        editor = self.query_one("#editor", Input)
        editor.disabled = True
        self.query_one("#editor-row").remove_class("editing")
        grid = self.query_one(InputGrid)
        grid.focus()
        spec = grid.current_spec
        if spec is not None:
            self._show_field(spec, rescale=False)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id != "editor" or self._editing is None:
            return
        event.stop()
        if self.query_one(InputGrid).pending_edits:
            # Enter reached the editor before the keys typed ahead of it reached the app through the
            # grid: apply the text once they are in.
            self._submit_waiting = True
            return
        self._submit_edit(event.value)

    def _submit_edit(self, value: str) -> None:
        """Apply the editor's text to the row being edited; keep the editor open with the reason when invalid."""
        spec = self._editing
        if spec is None:
            return
        try:
            self.document.set_text(spec, value)
        except EditError as exc:
            self._set_help(spec, str(exc))
            self.bell()
            return
        self._end_edit()
        self._refresh_after_edit(spec.path)

    def on_key(self, event: Any) -> None:
        if event.key == "escape" and self._editing is not None:
            event.stop()
            self._end_edit()

    # --- the slider --------------------------------------------------------------------

    def on_float_slider_changed(self, message: FloatSlider.Changed) -> None:
        grid = self.query_one(InputGrid)
        spec = grid.current_spec
        if spec is None or not spec.numeric:
            return
        value: float | int = round(message.value) if spec.kind == "whole" else message.value
        if not self._gesture:
            self.document.begin_gesture()
            self._gesture = True
        try:
            self.document.set_value(spec, value, record=False)
        except EditError as exc:
            self._set_help(spec, str(exc))
        else:
            self._refresh_after_edit(spec.path)
        if message.final:
            self.document.end_gesture()
            self._gesture = False

    def _load_document(self, document: Document) -> None:
        """Edit `document` from now on (at start or after Open): new rows, new totals, a new slider track."""
        self.document = document
        self._scale = None
        self._slider_spec = None
        self._shown_field = None
        self._last_notes = None
        self._forget_recovery()
        self._mount_document()
        self._offer_recovery()

    # --- history and navigation --------------------------------------------------------

    def action_undo(self) -> None:
        """Undo the last edit and say what it changed."""
        self._travel(self.document.undo, "undid", "nothing to undo")

    def action_redo(self) -> None:
        """Redo the last undone edit and say what it changed."""
        self._travel(self.document.redo, "redid", "nothing to redo")

    def _travel(self, step: Callable[[], bool], done: str, nothing: str) -> None:
        """Take one step through the edit history (not while editing a value); say what it changed."""
        if self._editing is not None:
            return
        if step():
            self._refresh_after_edit()
            message = f"{done} {self.document.last_change}"
            self.last_history_message = message
            self.notify(message, timeout=3, markup=False)
        else:
            self.last_history_message = nothing
            self.notify(nothing, timeout=1.5, markup=False)

    @work(exclusive=True, group="dialogs")
    async def action_goto(self) -> None:
        """Ask for a field path (fuzzy matched) and move to its row."""
        if self._editing is not None:
            self._end_edit()
        paths = [s.path for s in self.document.specs()]
        answer = await self.push_screen_wait(picker("Go to field", paths, placeholder="e.g. requests"))
        if answer:
            self.focus_field(answer)

    def apply_value(self, path: str, value: float) -> bool:
        """Set the input at `path` to `value` as an edit (undoable); say why when it is refused."""
        try:
            spec = self.document.spec(path)
            self.document.set_value(spec, round(value) if spec.kind == "whole" else value)
        except (KeyError, EditError) as exc:
            self.notify(f"not applied: {exc}", severity="warning", markup=False)
            return False
        self._refresh_after_edit(path)
        self.focus_field(path)
        return True

    def focus_field(self, path: str) -> bool:
        """Move the grid's cursor to the row of `path`; return False when there is no such row."""
        grid = self.query_one(InputGrid)
        grid.focus()
        found = grid.focus_path(path)
        if not found:
            self.notify(f"no field {path}", severity="warning", markup=False)
        return found

    def action_toggle_chart(self) -> None:
        """Switch the chart between cumulative and monthly cost."""
        self.query_one(TimelineChart).action_toggle_mode()

    def action_maximise_chart(self) -> None:
        """Give the chart the whole window (again: back to the grid and totals)."""
        screen = self.screen_stack[0]
        screen.set_class(not screen.has_class("chart-max"), "chart-max")
        if screen.has_class("chart-max"):
            self.query_one(TimelineChart).focus()
        else:
            self.query_one(InputGrid).focus()

    def action_toggle_uncertainty(self) -> None:
        """Show or hide P10–P90 ranges (Monte Carlo over the scenario's ranged inputs)."""
        if not self.document.scenario.ranges:
            self.notify(
                "no ranges in this scenario: type a value as 10 .. 40 to make it uncertain", timeout=4, markup=False
            )
            return
        self.show_uncertainty = not self.show_uncertainty
        self._show_results()

    def action_help(self) -> None:
        """Show or hide the keys panel, the glossary (d, h, all-in, Δ and the marks) at its top."""
        from textual.widgets import HelpPanel

        if self.screen.query(HelpPanel):
            self.action_hide_help_panel()
        else:
            self.action_show_help_panel()

    def action_show_help_panel(self) -> None:
        """Show the keys panel with the glossary (also what the palette's "Keys" command opens)."""
        from textual.widgets import HelpPanel

        from costmodel.tui.widgets.glossary import KeysAndGlossary

        if not self.screen.query(HelpPanel):
            self.screen.mount(KeysAndGlossary())

    # --- command palette ---------------------------------------------------------------

    def action_command_palette(self) -> None:
        """Open the command palette (with the fix for its PageDown before its first frame applied)."""
        textual_fixes.apply()
        super().action_command_palette()

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        commands = [
            ("Save", "ctrl+s", "Save the scenario to its file", self.action_save),
            ("Save as…", "ctrl+a", "Save the scenario under a new path", self.action_save_as),
            ("Export TOML…", "ctrl+e", "Write a self-contained copy of the scenario", self.action_export),
            ("Export timeline CSV…", "", "Each strategy's cost and cumulative cost, month by month", self._export_csv),
            ("Export comparison Markdown…", "", "The scenario against the file as loaded", self._export_markdown),
            ("Export report…", "ctrl+r", "costmodel report: HTML, Markdown, PNG, SVG or PDF", self.action_report),
            ("Open…", "ctrl+o", "Open a preset or a scenario file", self.action_open),
            ("Compare with…", "", "A second scenario side by side (again: stop comparing)", self.action_compare),
            ("Go to field…", "ctrl+g", "Jump to an input by its dotted path", self.action_goto),
            ("Search fields…", "/", "Find inputs by a word of their path or help", self.action_search),
            (
                "Only edited fields",
                "E",
                "Show only the fields that differ from the file (again: all)",
                self.action_edited_only,
            ),
            (
                "Fold / unfold section",
                "z",
                "Fold the highlighted section (model prices start folded)",
                self.action_fold,
            ),
            ("Undo", "ctrl+z", "Undo the last edit", self.action_undo),
            ("Redo", "ctrl+y", "Redo the last undone edit", self.action_redo),
            ("Reset field", "r", "Put the highlighted value back as loaded", self._reset_current),
            ("Δ column: against the file as loaded", "d", "Show or hide how each figure moved", self.action_delta),
            ("Chart: cumulative / monthly", "c", "Toggle the chart's view", self.action_toggle_chart),
            ("Chart: maximise / restore", "m", "Give the chart the whole window", self.action_maximise_chart),
            ("Chart: ASCII / braille", "", "Draw without braille (COSTMODEL_ASCII=1 at start)", self._toggle_ascii),
            (
                "Uncertainty: show / hide ranges",
                "u",
                "P10–P90 from a Monte Carlo over ranged inputs",
                self.action_toggle_uncertainty,
            ),
            (
                "Sensitivity",
                "s",
                "Inputs by swing with low and high values; Enter jumps to one",
                self.action_sensitivity,
            ),
            ("Sensitivity tornado", "", "Tornado chart per strategy and the decision flippers", self.action_tornado),
            ("Break-even solver…", "b", "Input value at which two strategies cost the same", self.action_solve),
            ("Fit advice", "f", "Why each strategy fits the needs, or not", self.action_fit),
            ("Warnings", "w", "Stale answers, GPU capacity, old or withdrawn prices", self.action_warnings),
            ("Toggle light/dark", "ctrl+t", "Switch between Textual's dark and light themes", self.action_toggle_dark),
            ("Keys and glossary", "F1", "Every key; what d, h and all-in mean", self.action_help),
        ]
        for title, key, help_text, callback in commands:
            yield SystemCommand(f"{title}  · {key}" if key else title, help_text, callback)

    def _toggle_ascii(self) -> None:
        chart = self.query_one(TimelineChart)
        chart.ascii = not chart.ascii

    def _reset_current(self) -> None:
        self.query_one(InputGrid).action_reset()
