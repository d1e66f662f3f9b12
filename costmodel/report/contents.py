"""What a report page says, worked out once for every format: a typed `Report` built from an Estimate.

Pure: no files, no clock, no plotting. The formats (html, svg, png, pdf, md) only lay this
out. Amounts are in the scenario's currency; months run 1..horizon (0 holds the upfront build).
The set and order of strategies is `estimate.strategies`, never a fixed list.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from costmodel.analysis.decision import (
    REMAINDER_LABEL,
    TOPUP_LABEL,
    explain_decision,
    horizon_contributions,
    is_available,
)
from costmodel.analysis.diffs import DiffResult, diff, flatten_inputs
from costmodel.analysis.fit import fit_advice, fit_to_dict
from costmodel.analysis.sensitivity import Sensitivity, sensitivity
from costmodel.analysis.staffing import staffing
from costmodel.model.engine import Estimate, Part, breakdown
from costmodel.model.errors import CostmodelError
from costmodel.model.finite import finite_estimate
from costmodel.model.names import SHORT_LABELS, STRATEGY_LABELS
from costmodel.model.notices import CostWarning, from_engine, rank
from costmodel.model.schema import Scenario
from costmodel.model.text import decodable
from costmodel.report.render import staffing_rows, summary_rows

if TYPE_CHECKING:
    from costmodel.analysis.montecarlo import Uncertainty

__all__ = [
    "BAND_SAMPLES",
    "BAND_SEED",
    "Comparison",
    "Report",
    "Segment",
    "build_report",
    "clean_text",
    "contributions",
    "decision_sentence",
    "label",
    "short_label",
    "unavailable",
]

BAND_SAMPLES = 2000
"""Monte Carlo samples drawn for the P10–P90 bands when the scenario has ranges and no --samples is given."""
BAND_SEED = 0
"""The seed used with BAND_SAMPLES, so that a report without --seed is reproducible."""

# Terminal escape sequences (CSI, OSC and two-character ESC forms) and other control characters.
_ESCAPES = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-_]?|\x9b[0-?]*[ -/]*[@-~]")
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean_text(text: str) -> str:
    """Return scenario text without terminal escape sequences or control characters (tabs and newlines kept).

    Formats escape the result for their own syntax (HTML, Markdown, matplotlib) on top of this.
    """
    return _CONTROLS.sub("", _ESCAPES.sub("", text))


def label(name: str) -> str:
    """Return a strategy's label for headings (from costmodel.model.names), or its name when it has none."""
    return STRATEGY_LABELS.get(name, name)


def short_label(name: str) -> str:
    """Return a strategy's short label for chart notes, or its name when it has none."""
    return SHORT_LABELS.get(name, name)


@dataclass(frozen=True, slots=True)
class Segment:
    """One cost line's contribution to a strategy's total over the horizon (currency units)."""

    label: str
    amount: float


@dataclass(frozen=True)
class Comparison:
    """Scenario A (the baseline) against the report's scenario B: the diff and A's estimate."""

    baseline_source: str
    baseline: Estimate
    diff: DiffResult


@dataclass(frozen=True)
class Report:
    """Everything a report page shows, computed once; every format reads only this.

    `rows` are the side-by-side rows exactly as `costmodel estimate` prints them (one text
    per strategy in `strategies` order). `contributions` sum to each strategy's total.
    """

    scenario: Scenario
    source: str
    estimate: Estimate
    rows: list[tuple[str, list[str]]]
    decision: str
    contributions: dict[str, list[Segment]]
    fit: dict[str, Any]
    warnings: list[CostWarning]
    prices: list[dict[str, Any]]
    inputs: dict[str, Any]
    version: str
    generated: date
    command: str
    uncertainty: Uncertainty | None = None
    sensitivity: Sensitivity | None = None
    comparison: Comparison | None = None
    top_inputs: int = 8

    @property
    def strategies(self) -> tuple[str, ...]:
        """Return the strategy names in the estimate's order."""
        return tuple(self.estimate.strategies)

    @property
    def title(self) -> str:
        """Return the page title: the scenario's name, cleaned of control characters."""
        return clean_text(self.estimate.scenario)

    @property
    def totals_line(self) -> str:
        """Return one line with every strategy's total as the CLI table prints it, e.g. `RAG USD 10,712 · ...`."""
        total_row = next(values for row_label, values in self.rows if row_label.startswith("Total"))
        return " · ".join(f"{label(n)} {v}" for n, v in zip(self.strategies, total_row, strict=True))


def contributions(
    scenario: Scenario, est: Estimate, parts: Mapping[str, Mapping[str, Sequence[Part]]]
) -> dict[str, list[Segment]]:
    """Return, per strategy, each cost line's contribution to the total over the horizon (currency units).

    The lines and their weights are costmodel.analysis.decision's (`horizon_contributions`:
    upfront once, per update updates_per_month × H, per request Σ requests(m), the token lines
    weighted by the month's price drift, monthly lines H), so the bars and the decision
    sentence share one account. The vector-DB minimum top-ups are one segment; whatever the
    lines still do not explain is one last `not in the cost lines` segment, so the segments
    always sum to the strategy's total. Lines worth 0 are left out.
    """
    h = est.horizon_months
    served = sum(est.requests[1:])
    change = scenario.price_change_per_year
    token_served = None
    if change:
        token_served = sum(q * (1 + change) ** ((m - 1) / 12) for m, q in enumerate(est.requests) if m)
    out: dict[str, list[Segment]] = {}
    for name, s in est.strategies.items():
        lines = horizon_contributions(
            {figure: list(items) for figure, items in parts.get(name, {}).items()},
            scenario.knowledge.updates_per_month,
            h,
            served,
            token_served,
        )
        segments = [Segment(text, amount) for text, (amount, _) in lines.items() if amount != 0]
        if s.minimum_topup_total:
            segments.append(Segment(TOPUP_LABEL, s.minimum_topup_total))
        rest = s.total - sum(seg.amount for seg in segments)
        if abs(rest) >= 0.5 and abs(rest) > 1e-9 * abs(s.total):
            segments.append(Segment(REMAINDER_LABEL, rest))
        out[name] = segments
    return out


def unavailable(est: Estimate) -> dict[str, str]:
    """Return the strategies the engine marks unavailable over the horizon, each with its reason
    (docs/model.md v2 `unavailable_because`; empty when the engine gives none)."""
    return {
        name: clean_text(str(getattr(s, "unavailable_because", "") or ""))
        for name, s in est.strategies.items()
        if not is_available(s)
    }


def decision_sentence(scenario: Scenario, est: Estimate) -> str:
    """Return the decision in one sentence (costmodel.analysis.decision): the cheapest available
    strategy, its margin over the runner-up over the horizon, and the cost lines that make it."""
    sentence = explain_decision(scenario, est).sentence
    return sentence if sentence.endswith(".") else sentence + "."


def build_report(
    scenario: Scenario,
    *,
    source: str,
    version: str,
    generated: date,
    command: str,
    months: int | None = None,
    samples: int | None = None,
    seed: int | None = None,
    price_check: Callable[[str], Sequence[CostWarning]] | None = None,
    prices: Sequence[dict[str, Any]] = (),
    baseline: Scenario | None = None,
    baseline_source: str = "",
    with_sensitivity: bool = True,
    today: date | None = None,
) -> Report:
    """Return the Report of a validated scenario (and, with `baseline`, its comparison with scenario A).

    Args:
        scenario: the scenario reported on (B when comparing).
        source: the file or preset it came from, as the user named it.
        version: the costmodel version for the footer.
        generated: the date shown in the footer.
        command: the command line that regenerates the report.
        months: a horizon overriding the scenario's (1..120), or None.
        samples, seed: Monte Carlo samples and seed; with neither, a scenario with ranges
            still gets P10–P90 bands from BAND_SAMPLES samples at BAND_SEED.
        price_check: given the cheapest strategy, the warnings about the prices used
            (costmodel.files.pricing.price_warning_list); ranked with the engine's.
        prices: the prices used with their source and date (costmodel.files.pricing.price_sources).
        baseline, baseline_source: scenario A to compare with, and where it came from.
        with_sensitivity: compute the tornado (one-at-a-time sensitivity) when True.
        today: dates the timeline as `estimate()` does (month 1 when the scenario has no
            `start`; availability), None for an undated estimate.

    Returns:
        A Report; amounts in the scenario's currency.
    """
    if seed is not None and samples is None and not scenario.ranges:
        raise CostmodelError("--seed needs --samples N (the number of Monte Carlo samples) or a scenario with ranges")
    # Figures that overflow are a FigureOverflowError, never inf on a page.
    est = finite_estimate(scenario, months, today)
    segments = contributions(scenario, est, breakdown(scenario))
    uncertainty = None
    if samples is not None or scenario.ranges:
        from costmodel.analysis.montecarlo import simulate  # numpy only here

        if samples is None:
            samples = BAND_SAMPLES
            seed = BAND_SEED if seed is None else seed
        uncertainty = simulate(scenario, samples, seed, months, with_bands=True, today=today)
    fit = fit_to_dict(scenario, fit_advice(scenario))
    staff = staffing(scenario, est)  # engineers needed (FTE), with a warning when over team.engineers
    comparison = None
    if baseline is not None:
        comparison = Comparison(
            decodable(baseline_source),
            finite_estimate(baseline, months, today),
            diff(baseline, scenario, months, today),
        )
    return Report(
        scenario=scenario,
        source=decodable(source),  # a file name's bytes that are not UTF-8 cannot be written into a page
        estimate=est,
        rows=summary_rows(est, None if uncertainty is None else uncertainty.to_dict(), fit) + staffing_rows(staff),
        decision=decision_sentence(scenario, est),
        contributions=segments,
        fit=fit,
        # The page lists unavailable strategies in a section of their own, so not again among the warnings.
        warnings=[
            w
            for w in rank(
                [*from_engine([*est.warnings, *staff.warnings]), *(price_check(est.cheapest) if price_check else ())]
            )
            if w.code != "unavailable"
        ],
        prices=list(prices),
        inputs=flatten_inputs(scenario),
        version=version,
        generated=generated,
        command=decodable(command),
        uncertainty=uncertainty,
        sensitivity=sensitivity(scenario, months, today=today) if with_sensitivity else None,
        comparison=comparison,
    )
