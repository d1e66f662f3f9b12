"""The rows of the input grid and how their values are shown (cheap to import: no pydantic).

`costmodel.tui.field_walk` finds the rows by walking the scenario's pydantic models.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Literal

from costmodel.model.bounds import Bounds
from costmodel.model.names import INFO

__all__ = ["FieldKind", "FieldSpec", "StepKind", "format_number", "format_value", "section_title"]

FieldKind = Literal["number", "whole", "flag", "text", "choice", "model"]
StepKind = Literal["fraction", "count", "quantity", "money"]

SECTION_TITLES = {
    "": "Scenario",
    "workload": "Workload",
    "knowledge": "Knowledge",
    "team": "Team",
    **{name: info.label for name, info in INFO.items()},
    "needs": "Needs (fit advice)",
}


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One row of the grid: where the value lives, how it is edited and explained."""

    path: str
    keys: tuple[str, ...]
    section: str
    label: str
    kind: FieldKind
    unit: str
    help: str
    bounds: Bounds
    step: StepKind
    volume: bool
    optional: bool
    choices: tuple[str, ...] = ()

    @property
    def numeric(self) -> bool:
        """Return True for numbers and whole numbers (the rows a slider drives)."""
        return self.kind in ("number", "whole")


def section_title(section: str) -> str:
    """Return the heading shown for a section key such as `rag` or `models."gpt-4.1-mini"`."""
    if section in SECTION_TITLES:
        return SECTION_TITLES[section]
    return section.replace('"', "")


def format_number(value: float) -> str:
    """Return a number as a person writes it: `50,000`, `0.02`, `1.5`, `0.000125`."""
    if not math.isfinite(value):
        return str(value)
    if value == int(value) and abs(value) < 1e15:
        return f"{int(value):,}"
    if abs(value) >= 1000:
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    text = f"{value:.6g}"
    return text if "e" not in text else f"{value:.10f}".rstrip("0")


def format_value(spec: FieldSpec, value: Any, range_text: str | None = None) -> str:
    """Return the text shown in the grid's value column for `value` (None shows as `unset`)."""
    if range_text is not None:
        return range_text
    if value is None:
        return "unset"
    if spec.kind == "flag":
        return "yes" if value else "no"
    if spec.numeric:
        return format_number(float(value))
    return str(value)
