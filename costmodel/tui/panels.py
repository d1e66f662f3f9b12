"""The app's explaining panels: a figure's breakdown, sensitivity, the break-even solver, fit, warnings.

A mixin of the App; each panel shows what a pure function of the core computed.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.app import App

from costmodel.model.errors import CostmodelError
from costmodel.tui.chart_render import compact_amount
from costmodel.tui.dialogs import confirm, picker, text_panel
from costmodel.tui.fields import format_number
from costmodel.tui.widgets.input_grid import InputGrid
from costmodel.tui.widgets.totals import TotalsTable, strategy_label

if TYPE_CHECKING:
    from costmodel.model.engine import Estimate
    from costmodel.tui.state import Document

__all__ = ["AnalysisPanels", "round_sensibly"]


def round_sensibly(value: float) -> float:
    """Return a solver's answer rounded to three significant digits (120,437.2 → 120,000; 0.01734 → 0.0173)."""
    if value == 0 or not math.isfinite(value):
        return value
    digits = 3 - 1 - math.floor(math.log10(abs(value)))
    rounded = round(value, digits)
    return float(int(rounded)) if rounded == int(rounded) else rounded


class AnalysisPanels(App[int]):
    """Panels that explain the estimate; the App that mixes this in holds `document` and `estimate`."""

    document: Document
    estimate: Estimate

    if TYPE_CHECKING:  # provided by the app that mixes this in

        def warnings(self) -> list[str]: ...

        def focus_field(self, path: str) -> bool: ...

        def apply_value(self, path: str, value: float) -> bool: ...

    def on_totals_table_explain(self, message: TotalsTable.Explain) -> None:
        """Show the selected figure as a tree of cost lines: each line's formula with numbers and its amount."""
        from rich.tree import Tree

        from costmodel.tui.formulas import CostLine, figure_lines

        root = figure_lines(self.document.scenario, self.estimate, message.strategy, message.figure)

        def node(line: CostLine) -> Text:
            text = Text()
            text.append(line.label, style="bold")
            if line.amount:
                text.append(f"  {line.amount}")
            if line.formula:
                text.append(f"\n{line.formula}", style="dim")
            return text

        def grow(tree: Tree, line: CostLine) -> None:
            for child in line.children:
                grow(tree.add(node(child)), child)

        head = Text(f"{message.label.strip()} = {root.amount}", style="bold")
        head.append(f"\n{root.formula}", style="dim")
        because = self.estimate.strategies[message.strategy].unavailable_because
        if because is not None:
            # The figures are what it would cost; it cannot be bought for the whole horizon.
            from costmodel.report.render import short_reason

            head.append(f"\n✗ not available: {short_reason(because)}", style="bold")
        tree = Tree(head, guide_style="dim")
        grow(tree, root)
        title = f"{strategy_label(message.strategy)} · {message.label.strip()}: what makes it up"
        self.push_screen(text_panel(title, tree, wide=True))

    @work(exclusive=True, group="dialogs")
    async def action_sensitivity(self) -> None:
        """List the inputs that move the totals most, each with its low and high values; Enter jumps to one."""
        from costmodel.analysis.sensitivity import sensitivity

        result = sensitivity(self.document.scenario)
        swings: dict[str, dict[str, object]] = {}
        for name, rows in result.strategies.items():
            for row in rows:
                entry = swings.setdefault(row.input, {"low": row.low, "high": row.high, "by": {}})
                entry["by"][name] = row.swing  # type: ignore[index]
        ranked = sorted(swings.items(), key=lambda item: -max(item[1]["by"].values(), default=0.0))  # type: ignore[union-attr]
        entries = []
        for path, entry in ranked:
            by: dict[str, float] = entry["by"]  # type: ignore[assignment]
            if not any(by.values()):
                continue
            moves = " · ".join(f"{strategy_label(n, False)} ±{compact_amount(v / 2)}" for n, v in by.items())
            flips = " ⇄ flips the cheapest" if path in result.flips else ""
            low, high = format_number(float(entry["low"])), format_number(float(entry["high"]))  # type: ignore[arg-type]
            entries.append(f"{path} — {low} → {high}: {moves}{flips}")
        answer = await self.push_screen_wait(
            picker("Sensitivity: inputs ±20 %, biggest swing first (Enter jumps to the input)", entries[:40])
        )
        if answer:
            self.focus_field(answer.split(" — ", 1)[0])

    def action_tornado(self) -> None:
        """Show which inputs move each total most (a tornado chart) and which can flip the decision."""
        from costmodel.analysis.sensitivity import sensitivity
        from costmodel.report.analysis import tornado

        result = sensitivity(self.document.scenario)
        width = max(60, self.size.width - 12)
        self.push_screen(text_panel("Sensitivity: which guesses matter", tornado(result, top=8, width=width), True))

    def action_fit(self) -> None:
        """Show each strategy's fit verdict and the reasons behind it (fit never changes a cost)."""
        from costmodel.analysis.fit import fit_advice, fit_to_dict
        from costmodel.report.render import fit_sentences

        fit = fit_to_dict(self.document.scenario, fit_advice(self.document.scenario))
        body = Text("\n".join(f"• {s}" for s in fit_sentences(fit)))
        self.push_screen(text_panel("Fit advice (from the article's comparison)", body, True))

    def action_warnings(self) -> None:
        """List every warning in full."""
        warnings = self.warnings()
        body = Text("\n".join(f"⚠ {w}" for w in warnings) if warnings else "No warnings.")
        self.push_screen(text_panel("Warnings", body, True))

    @work(exclusive=True, group="dialogs")
    async def action_solve(self) -> None:
        """Find the value of an input at which two strategies cost the same."""
        from costmodel.analysis.solver import solve
        from costmodel.report.analysis import solution_text

        grid = self.query_one(InputGrid)
        numeric = [s.path for s in self.document.specs() if s.kind == "number" and self.document.value(s) is not None]
        start = grid.current_spec.path if grid.current_spec and grid.current_spec.path in numeric else ""
        path = await self.push_screen_wait(
            picker("Break-even: vary which input?", numeric, value=start, placeholder="e.g. requests")
        )
        if not path:
            return
        names = list(self.estimate.strategies)
        pairs = [f"{a} vs {b}" for i, a in enumerate(names) for b in names[i + 1 :]]
        pair = await self.push_screen_wait(picker("Between which strategies?", pairs))
        if not pair:
            return
        a, b = pair.split(" vs ")
        try:
            solution = solve(self.document.scenario, path, a, b)
        except CostmodelError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        if not solution.found:
            self.push_screen(text_panel("Break-even solver", Text(solution_text(solution)), True))
            return
        value = round_sensibly(solution.crossings[0].value)
        answer = await self.push_screen_wait(
            confirm(
                "Break-even solver",
                solution_text(solution) + f"\n\nApply {path} = {format_number(value)} (rounded)?",
                [("apply", "Apply it"), ("cancel", "Close")],
            )
        )
        if answer == "apply":
            self.apply_value(path, value)

    @work(exclusive=True, group="files")
    async def _export_csv(self) -> None:
        """Write each strategy's monthly and cumulative cost, month by month, as CSV to a path asked for."""
        import csv
        import io

        est = self.estimate
        path = await self._ask_export_path("Export the timeline as CSV to", "timeline.csv")
        if path is None:
            return
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        names = list(est.strategies)
        writer.writerow(["month", "requests", *(f"{n}_cost" for n in names), *(f"{n}_cumulative" for n in names)])
        for m, requests in enumerate(est.requests):
            costs = [repr(est.strategies[n].monthly_cost[m]) for n in names]
            totals = [repr(est.strategies[n].cumulative[m]) for n in names]
            writer.writerow([m, repr(requests), *costs, *totals])
        self._write_text(path, out.getvalue())

    @work(exclusive=True, group="files")
    async def _export_markdown(self) -> None:
        """Write the comparison (against the second scenario, or the file as loaded) as Markdown to a path asked for."""
        from costmodel.analysis.diffs import diff
        from costmodel.cli.commands.diff import to_markdown

        other = getattr(self, "other", None)
        scenario = self.document.scenario
        result = diff(scenario, other.scenario) if other is not None else diff(self.document.loaded, scenario)
        path = await self._ask_export_path("Export the comparison as Markdown to", "comparison.md")
        if path is not None:
            self._write_text(path, to_markdown(result))

    @work(exclusive=True, group="files")
    async def action_report(self) -> None:
        """Write the report (`costmodel report`: HTML, Markdown, PNG, SVG or PDF by the file's suffix) to a path."""
        from costmodel.files.pricing import max_age_from_env, today_from_env
        from costmodel.report.export import write_report

        path = await self._ask_export_path("Write the report to (.html, .md, .png, .svg, .pdf)", "report.html")
        if path is None:
            return
        doc = self.document
        other = getattr(self, "other", None)
        baseline = other.scenario if other is not None else (doc.loaded if doc.modified else None)
        try:
            written = write_report(
                doc.scenario, path, baseline=baseline, today=today_from_env(), max_price_age=max_age_from_env()
            )
        except (CostmodelError, OSError) as exc:
            self.notify(f"could not write the report: {exc}", severity="error", timeout=8, markup=False)
            return
        self.notify(f"wrote {written}", timeout=3, markup=False)

    async def _ask_export_path(self, title: str, name: str) -> Path | None:
        """Ask where to write an export (offering `name` in the current folder); None when cancelled."""
        answer = await self.push_screen_wait(
            picker(title, [], value=str(Path.cwd() / name), placeholder="path/to/file", free_text=True)
        )
        if not answer:
            return None
        path = Path(answer).expanduser()
        return path if path.is_absolute() else Path.cwd() / path

    def _write_text(self, path: Path, text: str) -> None:
        """Write an export atomically enough for a report (a temporary file renamed over the target)."""
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary = path.with_name(f".{path.name}.tmp")
            temporary.write_text(text, encoding="utf-8")
            temporary.replace(path)
        except OSError as exc:
            self.notify(f"could not write {path}: {exc}", severity="error", markup=False)
            return
        self.notify(f"wrote {path}", timeout=2, markup=False)
