"""Fit advice: a short verdict per strategy on how well it fits the scenario's needs. Never a cost.

The verdicts rest on a comparison of RAG and fine-tuning, one rule per row of its table:

| Dimension          | RAG                          | Fine-tuning            |
|--------------------|------------------------------|------------------------|
| Best for           | knowledge, facts, current data | behaviour, tone, format |
| Updating           | update documents, instant    | retrain the model      |
| Hallucination      | lower: grounded and citable  | not directly addressed |
| Traceability       | citations to source          | opaque                 |
| Teaches new facts  | yes, at query time           | not reliably           |

The hybrid takes RAG's column for knowledge and fine-tuning's for behaviour. Long context
(a knowledge pack in every prompt, no index and no training) suits small, slowly changing
knowledge that fits the window; it learns no behaviour and gives no citations to a
retrieval index. Rules speak of roles (retrieves, trains) from the registry. The inputs
are the optional `[needs]` table and the knowledge churn already in the scenario
(`knowledge.updates_per_month`, `knowledge.changed_fraction`, `fine_tune.retrain_on_update`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

from costmodel.model.schema import LongContext, Needs, Scenario
from costmodel.model.strategies import present

if TYPE_CHECKING:
    from costmodel.model.strategies.base import Strategy

__all__ = [
    "VERDICTS",
    "Fit",
    "FitInputs",
    "Reason",
    "advice",
    "churn_level",
    "fit_advice",
    "fit_document",
    "fit_inputs",
    "fit_to_dict",
    "keepable",
]

VERDICTS: tuple[str, ...] = ("good", "mixed", "poor")
"""From best to worst: no argument against; some argument against; a stated need it cannot meet."""


class Reason(NamedTuple):
    """One argument for (`pro`) or against (`con`) a strategy, tied to a row of the comparison table.

    `severe` marks a con that fails a stated need outright (it makes the verdict "poor").
    """

    dimension: str
    effect: str
    short: str
    text: str
    severe: bool = False


class Fit(NamedTuple):
    """A strategy's verdict ("good", "mixed" or "poor") and the reasons behind it."""

    strategy: str
    verdict: str
    reasons: tuple[Reason, ...]

    @property
    def summary(self) -> str:
        """Return a one-line summary, e.g. `poor: opaque, no citations; retrains 4x a month`."""
        cons = [r.short for r in self.reasons if r.effect == "con"]
        pros = [r.short for r in self.reasons if r.effect == "pro"]
        shown = cons if self.verdict != "good" else pros
        return f"{self.verdict}: {'; '.join(shown)}" if shown else self.verdict


def churn_level(updates_per_month: float, changed_fraction: float) -> str:
    """Return how often knowledge changes: "none", "occasional" (< 1 update a month) or "frequent"."""
    if updates_per_month <= 0 or changed_fraction <= 0:
        return "none"
    return "frequent" if updates_per_month >= 1 else "occasional"


def _count(x: float) -> str:
    """Return an update count as short text: `4`, `0.5`."""
    return f"{x:g}"


class FitInputs(NamedTuple):
    """All that fit advice reads of a scenario, and nothing else: equal inputs give equal advice.

    `needs` is `[needs]` (every need unstated when the table is absent), the three numbers are
    `[knowledge]`'s, `pack` is the `[long_context]` table or None and `strategies` the strategies
    present in registry order.
    Hashable, so a caller estimating many scenarios can keep the advice of inputs met before.
    """

    needs: Needs
    updates_per_month: float
    changed_fraction: float
    corpus_tokens: float
    retrain_on_update: bool
    pack: LongContext | None
    strategies: tuple[Strategy, ...]


_NO_NEEDS = Needs()  # no [needs] table: every need unstated


def fit_inputs(scenario: Scenario) -> FitInputs:
    """Return what fit advice reads of `scenario`."""
    k = scenario.knowledge
    return FitInputs(
        scenario.needs or _NO_NEEDS,
        k.updates_per_month,
        k.changed_fraction,
        k.corpus_tokens,
        scenario.fine_tune.retrain_on_update,
        scenario.long_context,
        present(scenario),
    )


def keepable(inputs: FitInputs) -> bool:
    """Return True when inputs equal to `inputs` surely give the same advice, word for word.

    Equal floats print alike except 0.0 and -0.0: inputs with a zero among the numbers the
    advice shows are not to be kept by equality.
    """
    pack = inputs.pack
    return bool(inputs.updates_per_month and inputs.changed_fraction and inputs.corpus_tokens) and (
        pack is None or bool(pack.context_tokens)
    )


def fit_advice(scenario: Scenario) -> dict[str, Fit]:
    """Return a Fit per strategy present (registry order) from `[needs]` and the knowledge churn."""
    return advice(fit_inputs(scenario))


def advice(inputs: FitInputs) -> dict[str, Fit]:
    """Return a Fit per strategy of `inputs.strategies` (registry order): `fit_advice` of what it reads."""
    needs = inputs.needs
    churn = churn_level(inputs.updates_per_month, inputs.changed_fraction)
    fresh = needs.fresh_knowledge if needs.fresh_knowledge is not None else churn == "frequent"
    strategies = inputs.strategies
    reasons: dict[str, list[Reason]] = {s.name: [] for s in strategies}
    # The roles the rules speak of: knowledge in a retrieval index, knowledge in the weights
    # (a fine-tune without retrieval), behaviour taught by a fine-tune, behaviour by prompting.
    retrieval = [s.name for s in strategies if s.info.retrieves]
    weights = [s.name for s in strategies if s.info.trains and not s.info.retrieves]
    taught = [s.name for s in strategies if s.info.trains]
    prompted = [s.name for s in strategies if not s.info.trains]
    in_prompt = [s.name for s in strategies if not s.info.trains and not s.info.retrieves]
    behaviour_only = [s.name for s in strategies if s.info.trains and s.info.retrieves]

    def add(names: list[str], reason: Reason) -> None:
        for name in names:
            reasons[name].append(reason)

    def both_knowledge(reason: Reason) -> None:
        add(retrieval, reason)

    # Updating: documents versus retraining.
    per_month = _count(inputs.updates_per_month)
    if churn != "none":
        both_knowledge(
            Reason(
                "updating",
                "pro",
                "updates by re-embedding documents",
                f"knowledge changes {per_month} times a month; retrieval picks it up by re-embedding the "
                "changed documents, with no retraining",
            )
        )
        if inputs.retrain_on_update:
            add(
                weights,
                Reason(
                    "updating",
                    "con",
                    f"retrains {per_month}x a month",
                    f"facts live in the weights, so each of the {per_month} knowledge updates a month means "
                    "re-curating and retraining the model",
                ),
            )
        else:
            add(
                weights,
                Reason(
                    "updating",
                    "con",
                    "answers go stale",
                    "knowledge updates do not retrain the model (retrain_on_update = false), so its answers "
                    "fall behind the documents",
                    severe=bool(fresh),
                ),
            )
    elif needs.fresh_knowledge:
        add(
            weights,
            Reason(
                "updating",
                "con",
                "every change needs a retraining",
                "fresh knowledge is needed, and a fine-tuned model only learns a change by retraining",
            ),
        )
    else:
        add(
            weights,
            Reason("updating", "pro", "static knowledge", "the knowledge does not change, so nothing forces a retrain"),
        )

    # A knowledge pack in the prompt: it must be small and change slowly (each change rewrites the cache).
    pack = inputs.pack
    if in_prompt and pack is not None:
        if pack.context_tokens >= inputs.corpus_tokens:
            add(
                in_prompt,
                Reason(
                    "knowledge size",
                    "pro",
                    "the whole corpus fits the window",
                    f"the {pack.context_tokens:,.0f}-token pack holds all {inputs.corpus_tokens:,.0f} corpus tokens, "
                    "so every answer sees every fact",
                ),
            )
        else:
            add(
                in_prompt,
                Reason(
                    "knowledge size",
                    "con",
                    "the pack holds part of the corpus",
                    f"the {pack.context_tokens:,.0f}-token pack holds less than the {inputs.corpus_tokens:,.0f}-token "
                    "corpus: what is left out cannot be answered",
                ),
            )
        if churn == "frequent":
            add(
                in_prompt,
                Reason(
                    "updating",
                    "con",
                    f"rewrites the cached pack {per_month}x a month",
                    f"knowledge changes {per_month} times a month; each change means editing the pack, and the "
                    "requests after it write the prompt cache again at the cache-write price",
                ),
            )
        else:
            add(
                in_prompt,
                Reason(
                    "updating",
                    "pro",
                    "slowly changing knowledge",
                    "the knowledge changes rarely, so the cached pack stays valid and is read at the cache price",
                ),
            )

    # Traceability.
    if needs.citations:
        both_knowledge(Reason("traceability", "pro", "cites its sources", "answers can cite the retrieved documents"))
        add(
            weights,
            Reason(
                "traceability",
                "con",
                "cannot cite sources",
                "a fine-tuned model is opaque: it cannot say which document an answer came from",
                severe=True,
            ),
        )
        add(
            in_prompt,
            Reason(
                "traceability",
                "con",
                "no citations to a retrieval index",
                "the pack is one long prompt: answers can quote it, but there is no index of source documents "
                "to cite them from",
            ),
        )

    # Teaches new facts, and hallucination.
    if needs.new_facts:
        both_knowledge(
            Reason(
                "new facts",
                "pro",
                "new facts at query time",
                "private or new facts reach the model at query time, grounded in the retrieved text "
                "(lower hallucination)",
            )
        )
        add(
            weights,
            Reason(
                "new facts",
                "con",
                "does not reliably learn facts",
                "fine-tuning teaches behaviour, not facts: new facts are not learnt reliably and "
                "hallucination is not directly addressed",
                severe=True,
            ),
        )

    if needs.new_facts:
        add(
            in_prompt,
            Reason(
                "new facts",
                "pro",
                "new facts in the prompt",
                "private or new facts are in every prompt, so the model answers from them rather than from memory",
            ),
        )

    # Best for: behaviour, tone and format.
    wanted = [
        label
        for flag, label in ((needs.strict_format, "a strict format"), (needs.brand_voice, "a brand voice"))
        if flag
    ]
    if wanted:
        what = " and ".join(wanted)
        add(
            taught,
            Reason(
                "behaviour", "pro", f"learns {what}", f"fine-tuning is the tool for {what}: it is taught by example"
            ),
        )
        add(
            prompted,
            Reason(
                "behaviour",
                "con",
                f"{what} by prompting only",
                f"knowledge in the prompt is not behaviour: {what} rests on prompt instructions alone",
            ),
        )
    elif needs.strict_format is False and needs.brand_voice is False:
        add(
            behaviour_only,
            Reason(
                "behaviour",
                "con",
                "fine-tune with no behaviour to teach",
                "its fine-tune is for tone and format, which this scenario says it does not need",
            ),
        )

    fits = {}
    for name in reasons:
        items = tuple(reasons[name])
        if any(r.severe for r in items):
            verdict = "poor"
        elif any(r.effect == "con" for r in items):
            verdict = "mixed"
        else:
            verdict = "good"
        fits[name] = Fit(name, verdict, items)
    return fits


def fit_to_dict(scenario: Scenario, fits: dict[str, Fit]) -> dict[str, Any]:
    """Return the JSON `fit` object: the stated needs, the churn, and per strategy its verdict, summary and reasons."""
    return _document(fit_inputs(scenario), fits)


def fit_document(inputs: FitInputs) -> dict[str, Any]:
    """Return the JSON `fit` object of the advice on `inputs` (`fit_to_dict` of `advice(inputs)`)."""
    return _document(inputs, advice(inputs))


def _document(inputs: FitInputs, fits: dict[str, Fit]) -> dict[str, Any]:
    """Return the JSON `fit` object of `fits`, the advice on `inputs`."""
    needs = inputs.needs
    return {
        "needs": needs.model_dump(exclude_none=True),
        "churn": {
            "level": churn_level(inputs.updates_per_month, inputs.changed_fraction),
            "updates_per_month": inputs.updates_per_month,
            "changed_fraction": inputs.changed_fraction,
            "retrain_on_update": inputs.retrain_on_update,
        },
        "strategies": {
            name: {
                "verdict": fit.verdict,
                "summary": fit.summary,
                "reasons": [
                    {"dimension": r.dimension, "effect": r.effect, "severe": r.severe, "text": r.text}
                    for r in fit.reasons
                ],
            }
            for name, fit in fits.items()
        },
        "note": "fit advice explains which strategy suits the needs; it never changes a cost",
    }
