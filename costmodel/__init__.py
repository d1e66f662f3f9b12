"""costmodel: what RAG, fine-tuning or a hybrid will really cost.

The public API is pure: load a scenario, estimate it, read the figures.

    >>> from costmodel import load_scenario, estimate
    >>> est = estimate(load_scenario("support-assistant"))
    >>> est.cheapest

Sweeps and diffs return pydantic models (see docs/api.md):

    >>> from costmodel import sweep, diff
    >>> result = sweep(scenario, {"workload.requests_per_month": "1000:1000000:4:log"})
    >>> change = diff(old_scenario, new_scenario)
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# Public names and the module that defines each; imported on first use so that
# `costmodel --help` and the CLI stay quick to start.
_EXPORTS: dict[str, str] = {
    "STRATEGIES": "costmodel.model.schema",
    "Breakeven": "costmodel.model.engine",
    "Catalog": "costmodel.model.catalog",
    "CostmodelError": "costmodel.model.errors",
    "Effort": "costmodel.model.engine",
    "Estimate": "costmodel.model.engine",
    "FieldIssue": "costmodel.model.errors",
    "FigureOverflowError": "costmodel.model.finite",
    "ModelPrice": "costmodel.model.schema",
    "NotFoundError": "costmodel.model.errors",
    "Part": "costmodel.model.engine",
    "Scenario": "costmodel.model.schema",
    "ScenarioError": "costmodel.model.errors",
    "ScenarioSyntaxError": "costmodel.model.errors",
    "ScenarioValidationError": "costmodel.model.errors",
    "StrategyEstimate": "costmodel.model.engine",
    "breakdown": "costmodel.model.engine",
    "dump_scenario": "costmodel.files.scenario_io",
    "estimate": "costmodel.model.engine",
    "estimate_document": "costmodel.files.loader",
    "finite_estimate": "costmodel.model.finite",
    "load_catalog": "costmodel.files.scenario_io",
    "load_document": "costmodel.files.scenario_io",
    "load_scenario": "costmodel.files.scenario_io",
    "save_scenario": "costmodel.files.scenario_io",
    "validate_scenario": "costmodel.model.validation",
    "DiffResult": "costmodel.analysis.diffs",
    "FigureChange": "costmodel.analysis.diffs",
    "InputChange": "costmodel.analysis.diffs",
    "StrategyDiff": "costmodel.analysis.diffs",
    "diff": "costmodel.analysis.diffs",
    "PointFigures": "costmodel.analysis.sweeps",
    "SweepError": "costmodel.analysis.sweeps",
    "SweepPoint": "costmodel.analysis.sweeps",
    "SweepResult": "costmodel.analysis.sweeps",
    "sweep": "costmodel.analysis.sweeps",
}

__all__ = [
    "STRATEGIES",
    "Breakeven",
    "Catalog",
    "CostmodelError",
    "DiffResult",
    "Effort",
    "Estimate",
    "FieldIssue",
    "FigureChange",
    "FigureOverflowError",
    "InputChange",
    "ModelPrice",
    "NotFoundError",
    "Part",
    "PointFigures",
    "Scenario",
    "ScenarioError",
    "ScenarioSyntaxError",
    "ScenarioValidationError",
    "StrategyDiff",
    "StrategyEstimate",
    "SweepError",
    "SweepPoint",
    "SweepResult",
    "breakdown",
    "diff",
    "dump_scenario",
    "estimate",
    "estimate_document",
    "finite_estimate",
    "load_catalog",
    "load_document",
    "load_scenario",
    "save_scenario",
    "sweep",
    "validate_scenario",
]

if TYPE_CHECKING:
    from costmodel.analysis.diffs import DiffResult, FigureChange, InputChange, StrategyDiff, diff
    from costmodel.analysis.sweeps import PointFigures, SweepError, SweepPoint, SweepResult, sweep
    from costmodel.files.loader import estimate_document
    from costmodel.files.scenario_io import dump_scenario, load_catalog, load_document, load_scenario, save_scenario
    from costmodel.model.catalog import Catalog
    from costmodel.model.engine import Breakeven, Effort, Estimate, Part, StrategyEstimate, breakdown, estimate
    from costmodel.model.errors import (
        CostmodelError,
        FieldIssue,
        NotFoundError,
        ScenarioError,
        ScenarioSyntaxError,
        ScenarioValidationError,
    )
    from costmodel.model.finite import FigureOverflowError, finite_estimate
    from costmodel.model.schema import STRATEGIES, ModelPrice, Scenario
    from costmodel.model.validation import validate_scenario


def __getattr__(name: str) -> Any:
    """Import a public name from its module on first use."""
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'costmodel' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])
