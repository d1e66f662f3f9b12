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

from costmodel.diffs import DiffResult, FigureChange, InputChange, StrategyDiff, diff
from costmodel.engine import Breakeven, Effort, Estimate, Part, StrategyEstimate, breakdown, estimate
from costmodel.errors import (
    CostmodelError,
    FieldIssue,
    NotFoundError,
    ScenarioError,
    ScenarioSyntaxError,
    ScenarioValidationError,
)
from costmodel.scenario_io import dump_scenario, load_catalog, load_document, load_scenario, save_scenario
from costmodel.schema import STRATEGIES, Catalog, ModelPrice, Scenario
from costmodel.sweeps import PointFigures, SweepError, SweepPoint, SweepResult, sweep
from costmodel.validation import validate_scenario

__version__ = "0.1.0"

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
    "load_catalog",
    "load_document",
    "load_scenario",
    "save_scenario",
    "sweep",
    "validate_scenario",
]
