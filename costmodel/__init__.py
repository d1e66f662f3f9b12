"""costmodel: what RAG, fine-tuning or a hybrid will really cost.

The public API is pure: load a scenario, estimate it, read the figures.

    >>> from costmodel import load_scenario, estimate
    >>> est = estimate(load_scenario("support-assistant"))
    >>> est.cheapest
"""

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
from costmodel.validation import validate_scenario

__version__ = "0.1.0"

__all__ = [
    "STRATEGIES",
    "Breakeven",
    "Catalog",
    "CostmodelError",
    "Effort",
    "Estimate",
    "FieldIssue",
    "ModelPrice",
    "NotFoundError",
    "Part",
    "Scenario",
    "ScenarioError",
    "ScenarioSyntaxError",
    "ScenarioValidationError",
    "StrategyEstimate",
    "breakdown",
    "dump_scenario",
    "estimate",
    "load_catalog",
    "load_document",
    "load_scenario",
    "save_scenario",
    "validate_scenario",
]
