"""Shared data for the uncertainty tests: docs/model.md's example scenario as a raw dict."""

from __future__ import annotations

import copy
from typing import Any

EXAMPLE: dict[str, Any] = {
    "schema_version": 1,
    "name": "Support assistant",
    "currency": "USD",
    "horizon_months": 24,
    "workload": {"requests_per_month": 50000, "monthly_growth": 0.05, "prompt_tokens": 600, "output_tokens": 300},
    "knowledge": {"corpus_tokens": 20000000, "updates_per_month": 4, "changed_fraction": 0.02},
    "team": {"engineer_day_rate": 800, "expert_hour_rate": 60},
    "rag": {
        "model": "gpt-4.1-mini",
        "embedding_model": "text-embedding-3-small",
        "build_days": 15,
        "retrieved_tokens": 2000,
        "retrieval_per_1k_requests": 0.5,
        "hosting_per_month": 70,
        "maintenance_days_per_month": 1,
        "update_hours": 0.5,
    },
    "fine_tune": {
        "model": "gpt-4.1-mini",
        "examples": 2000,
        "tokens_per_example": 800,
        "epochs": 3,
        "curation_minutes_per_example": 4,
        "build_days": 10,
        "retrain_days": 2,
        "changed_examples_fraction": 0.1,
        "retrain_on_update": True,
        "prompt_tokens_saved": 200,
        "hosting_per_hour": 0.0,
        "maintenance_days_per_month": 1,
    },
    "hybrid": {"examples": 300, "build_days": 3, "retrains_per_year": 2, "maintenance_days_per_month": 0.5},
    "models": {
        "gpt-4.1-mini": {
            "input_per_mtok": 0.40,
            "output_per_mtok": 1.60,
            "training_per_mtok": 5.00,
            "ft_input_per_mtok": 0.80,
            "ft_output_per_mtok": 3.20,
        },
        "text-embedding-3-small": {"input_per_mtok": 0.02},
    },
}


def example(**tables: dict[str, Any]) -> dict[str, Any]:
    """Return a deep copy of EXAMPLE with the given tables' keys overridden (top-level scalars too)."""
    data = copy.deepcopy(EXAMPLE)
    for key, value in tables.items():
        if isinstance(value, dict) and isinstance(data.get(key), dict):
            data[key].update(value)
        else:
            data[key] = value
    return data
