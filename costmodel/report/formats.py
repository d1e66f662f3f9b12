"""The registry of report formats: `{name: ReportFormat}`, whose names feed `costmodel report --format`.

Each format lives in its own module and renders a Report to bytes. Importing this registry
is cheap: a format's module (and matplotlib, for the charted formats) is imported only when
that format renders. A new format is one entry here and one module.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from costmodel.model.errors import CostmodelError

if TYPE_CHECKING:
    from costmodel.report.contents import Report

__all__ = ["REPORT_FORMATS", "ReportFormat", "format_for_path"]


@dataclass(frozen=True, slots=True)
class ReportFormat:
    """One output format of `costmodel report`.

    `writer` is "module:function" of a function `(Report) -> bytes` (plus `argument`, when
    set, passed as its second argument); `charts` says whether it needs matplotlib.
    """

    name: str
    suffix: str
    description: str
    writer: str
    charts: bool
    argument: str | None = None

    def render(self, report: Report) -> bytes:
        """Return the report in this format, as bytes ready to write to a file."""
        if self.charts:
            from costmodel.report.charts import ensure_matplotlib

            ensure_matplotlib()
        module_name, function_name = self.writer.split(":")
        function = getattr(importlib.import_module(module_name), function_name)
        return function(report) if self.argument is None else function(report, self.argument)


REPORT_FORMATS: dict[str, ReportFormat] = {
    f.name: f
    for f in (
        ReportFormat(
            "html",
            ".html",
            "one self-contained page, charts inline as SVG; light and dark; prints",
            "costmodel.report.html_page:render_html",
            True,
        ),
        ReportFormat(
            "png", ".png", "the page as one image, 1280 px wide", "costmodel.report.page:render_page", True, "png"
        ),
        ReportFormat(
            "svg", ".svg", "the page as one SVG, text kept as text", "costmodel.report.page:render_page", True, "svg"
        ),
        ReportFormat("pdf", ".pdf", "the page as a one-page PDF", "costmodel.report.page:render_page", True, "pdf"),
        ReportFormat(
            "md",
            ".md",
            "GitHub Markdown: the same sections with tables instead of charts (no matplotlib needed)",
            "costmodel.report.markdown_page:render_markdown",
            False,
        ),
    )
}
"""Every report format by name, in the order `--help` lists them."""


def format_for_path(path: str | Path, given: str | None = None) -> ReportFormat:
    """Return the format named by `given`, else the one the file's suffix names.

    Raises CostmodelError (exit 2) when neither names a known format, or when they disagree.
    """
    suffix = Path(path).suffix.lower()
    by_suffix = next((f for f in REPORT_FORMATS.values() if f.suffix == suffix), None)
    if given is not None:
        if given not in REPORT_FORMATS:
            raise CostmodelError(f"--format: expected one of {', '.join(REPORT_FORMATS)}, got {given!r}")
        chosen = REPORT_FORMATS[given]
        if by_suffix is not None and by_suffix is not chosen:
            raise CostmodelError(f"{path}: the file ends in {suffix} but --format is {given}")
        return chosen
    if by_suffix is None:
        suffixes = ", ".join(f.suffix for f in REPORT_FORMATS.values())
        raise CostmodelError(f"{path}: cannot tell the format from the name; end it in {suffixes} or pass --format")
    return by_suffix
