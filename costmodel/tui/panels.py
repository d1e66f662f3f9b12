"""The app's explaining panels: a figure's breakdown, sensitivity, the break-even solver, fit, warnings.

A mixin of the App; each panel shows what a pure function of the core computed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.app import App

from costmodel.model.errors import CostmodelError
from costmodel.tui.dialogs import picker, text_panel
from costmodel.tui.widgets.input_grid import InputGrid
from costmodel.tui.widgets.totals import TotalsTable, strategy_label

if TYPE_CHECKING:
    from costmodel.model.engine import Estimate
    from costmodel.tui.state import Document

__all__ = ["AnalysisPanels"]


class AnalysisPanels(App[int]):
    """Panels that explain the estimate; the App that mixes this in holds `document` and `estimate`."""

    document: Document
    estimate: Estimate

    if TYPE_CHECKING:  # provided by the app that mixes this in

        def warnings(self) -> list[str]: ...

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
        tree = Tree(head, guide_style="dim")
        grow(tree, root)
        title = f"{strategy_label(message.strategy)} · {message.label.strip()}: what makes it up"
        self.push_screen(text_panel(title, tree, wide=True))

    def action_sensitivity(self) -> None:
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
        self.push_screen(text_panel("Break-even solver", Text(solution_text(solution)), True))
