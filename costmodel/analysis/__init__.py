"""Analyses over the model: Monte Carlo, sensitivity, solver, sweeps, diffs, fit advice, explanations, guardrails."""
