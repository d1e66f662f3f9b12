"""The names of the three strategies and how faces label them (no dependencies, cheap to import)."""

from __future__ import annotations

__all__ = ["SHORT_LABELS", "STRATEGIES", "STRATEGY_LABELS"]

STRATEGIES: tuple[str, ...] = ("rag", "fine_tune", "hybrid")
STRATEGY_LABELS: dict[str, str] = {"rag": "RAG", "fine_tune": "Fine-tuning", "hybrid": "Hybrid"}
SHORT_LABELS: dict[str, str] = {"rag": "RAG", "fine_tune": "FT", "hybrid": "Hybrid"}
"""Labels for narrow columns and chart notes."""
