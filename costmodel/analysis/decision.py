"""The decision explained: which strategy wins, by how much, and which cost lines make the difference.

The winner is the cheapest available strategy and the runner-up the next cheapest
available one. The margin is split over the cost lines of the engine's `breakdown`, each
line's amount turned into its contribution over the horizon (upfront x1, per update x
updates/month x H, per request x the requests of the horizon, the token lines weighted
by the price drift of each month, monthly lines x H). Lines are matched by label, so a
line both strategies carry contributes only its difference. The monthly-minimum top-ups
are an item of their own, and whatever else the lines do not account for is one more
item, never hidden. Pure functions.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from costmodel.model.engine import Estimate, Part, StrategyEstimate, breakdown, estimate, strategy_lines
from costmodel.model.money import format_amount, format_money
from costmodel.model.names import STRATEGY_LABELS
from costmodel.model.schema import Scenario
from costmodel.model.strategies import present

__all__ = [
    "Contribution",
    "Decision",
    "available_ranking",
    "explain_decision",
    "horizon_contributions",
    "is_available",
    "token_labels",
    "winner_and_runner_up",
]

MINUS = "\u2212"
# The horizon multiplier of each figure of `breakdown`, by name (see horizon_contributions).
_FIGURES = ("upfront", "per_update", "per_request", "monthly_fixed", "periodic_monthly")
TOKENS_LABEL = "per-request tokens"
TOPUP_LABEL = "monthly-minimum top-ups"
REMAINDER_LABEL = "not in the cost lines"
# Per-request lines that are not the model's tokens keep their own name; every other
# per-request line (prompt, context, output, cached or batch tokens) is summed as tokens.
_OWN_NAME_WORDS = ("fee", "review", "gpu")
# Items smaller than this share of the sum of all items' sizes are not named in the sentence.
_NAMED_SHARE = 0.05
_MAX_NAMED = 3


class Contribution(NamedTuple):
    """One cost line's signed part of the margin over the horizon (currency units).

    `amount` is the winner's contribution minus the runner-up's: negative where the winner
    saves, positive where it pays more. `figure` names the engine figures the lines of this
    label belong to, joined by `+` (e.g. `per_update+periodic_monthly`), or is `topup` /
    `remainder` for the items outside the lines.
    """

    label: str
    figure: str
    amount: float
    winner_amount: float
    runner_up_amount: float

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form: label, figure, amount, winner, runner_up (currency over the horizon)."""
        return {
            "label": self.label,
            "figure": self.figure,
            "amount": self.amount,
            "winner": self.winner_amount,
            "runner_up": self.runner_up_amount,
        }


class Decision(NamedTuple):
    """Who wins, by how much over the horizon, and the cost lines that make the difference.

    `margin` is the runner-up's total minus the winner's (currency, >= 0) and
    `margin_fraction` that margin as a share of the runner-up's total (None without a
    runner-up or when its total is 0). `lines` holds every non-zero contribution, largest
    first, remainder included; `named` the two or three of them the sentence names.
    `cheaper_unavailable` holds (strategy, total, why) for each unavailable strategy whose
    total is below the winner's, cheapest first: what the availability rules cost.
    """

    winner: str
    runner_up: str | None
    currency: str
    horizon_months: int
    winner_total: float
    runner_up_total: float | None
    margin: float | None
    margin_fraction: float | None
    lines: tuple[Contribution, ...]
    named: tuple[Contribution, ...]
    remainder: float
    unavailable: tuple[str, ...]
    sentence: str
    cheaper_unavailable: tuple[tuple[str, float, str | None], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form of the decision (amounts unrounded, in the scenario's currency)."""
        return {
            "winner": self.winner,
            "runner_up": self.runner_up,
            "horizon_months": self.horizon_months,
            "winner_total": self.winner_total,
            "runner_up_total": self.runner_up_total,
            "margin": self.margin,
            "margin_fraction": self.margin_fraction,
            "lines": [c.to_dict() for c in self.lines],
            "named": [c.label for c in self.named],
            "remainder": self.remainder,
            "unavailable": list(self.unavailable),
            "cheaper_unavailable": [
                {"strategy": name, "total": total, "unavailable_because": why}
                for name, total, why in self.cheaper_unavailable
            ],
            "sentence": self.sentence,
        }


def is_available(s: StrategyEstimate) -> bool:
    """Return whether a strategy can be used over the horizon (True when the engine does not say otherwise)."""
    return bool(getattr(s, "available", True))


def available_ranking(est: Estimate) -> list[str]:
    """Return the strategies from cheapest to dearest total, the available ones first.

    When no strategy is available every strategy is ranked as if it were (the engine
    warns about it). Ties keep the registry order of `est.strategies`.
    """
    names = list(est.strategies)
    ok = [n for n in names if is_available(est.strategies[n])]
    pool = ok or names
    ranked = sorted(pool, key=lambda n: est.strategies[n].total)
    return ranked + [n for n in names if n not in pool]


def winner_and_runner_up(est: Estimate) -> tuple[str, str | None]:
    """Return the cheapest available strategy and the next cheapest available one (None when it is alone).

    When no strategy is available both come from all strategies (the engine warns about it).
    """
    ranking = available_ranking(est)
    winner = ranking[0]
    second = ranking[1] if len(ranking) > 1 else None
    if second is not None and is_available(est.strategies[winner]) and not is_available(est.strategies[second]):
        second = None
    return winner, second


def token_labels(scenario: Scenario) -> dict[str, frozenset[str]]:
    """Return, per strategy present, the labels of its per-request lines priced from `[models]` (tokens).

    These are the engine's cost lines marked `token_priced` (the lines that drift with
    `price_change_per_year`).
    """
    out: dict[str, frozenset[str]] = {}
    for strategy in present(scenario):
        lines = strategy_lines(strategy, scenario)["per_request"]
        out[strategy.name] = frozenset(line.label for line in lines if line.token_priced)
    return out


def _line_key(figure: str, part: Part, tokens: frozenset[str] | None) -> str:
    """Return the label a line is matched under between two strategies.

    Lines are matched by label across figures (fine-tuning's retraining work per update
    and the hybrid's periodic retraining work are one kind of cost); the per-request
    lines priced from the model's tokens share the one label `per-request tokens`. Those
    are the labels in `tokens`, or when it is None every per-request line whose label
    names no fee, review or GPU.
    """
    if figure != "per_request":
        return part.label
    if tokens is not None:
        return TOKENS_LABEL if part.label in tokens else part.label
    return part.label if any(w in part.label.lower() for w in _OWN_NAME_WORDS) else TOKENS_LABEL


def horizon_contributions(
    parts: dict[str, list[Part]],
    updates_per_month: float,
    horizon: int,
    served: float,
    token_served: float | None = None,
    tokens: frozenset[str] | None = None,
) -> dict[str, tuple[float, tuple[str, ...]]]:
    """Return each cost line's contribution to one strategy's total over the horizon (currency units).

    Args:
        parts: one strategy's `breakdown`: figure -> parts.
        updates_per_month: knowledge updates per month.
        horizon: months of the horizon (H).
        served: the sum of requests(m) over months 1..H.
        token_served: the requests that weigh the per-request token lines: the sum of
            requests(m) x g(m) when model prices drift (docs/model.md's price_change_per_year,
            g(m) = (1 + change) ** ((m - 1) / 12)); `served` when None.
        tokens: the labels of the strategy's token-priced per-request lines (`token_labels`);
            None tells them by their names.

    Returns:
        label -> (amount, figures): amount is upfront x1, per_update x updates_per_month x H,
        per_request x served, monthly_fixed and periodic_monthly x H, summed over the lines
        of that label (see `_line_key`); figures names the figures they come from. Figures
        outside the five rates (a minimum top-up) are left out: the caller accounts for them.
    """
    factor = {
        "upfront": 1.0,
        "per_update": updates_per_month * horizon,
        "per_request": served,
        "monthly_fixed": float(horizon),
        "periodic_monthly": float(horizon),
    }
    out: dict[str, tuple[float, tuple[str, ...]]] = {}
    for figure in _FIGURES:
        for part in parts.get(figure, ()):
            key = _line_key(figure, part, tokens)
            weight = token_served if key == TOKENS_LABEL and token_served is not None else factor[figure]
            amount, figures = out.get(key, (0.0, ()))
            out[key] = (amount + part.amount * weight, figures if figure in figures else (*figures, figure))
    return out


def _signed(amount: float) -> str:
    """Return a whole-unit amount with its sign, e.g. `+9,800`, `−41,200` (a true minus sign)."""
    text = format_amount(abs(amount))
    if text == "0":
        return "0"
    return f"{MINUS}{text}" if amount < 0 else f"+{text}"


def _pick_named(lines: tuple[Contribution, ...]) -> tuple[Contribution, ...]:
    """Return the two or three largest items (by size), leaving out those under 5 % of all items' sizes.

    The remainder item is never among them (the sentence always names it on its own).
    """
    candidates = [c for c in lines if c.figure != "remainder"]
    gross = sum(abs(c.amount) for c in candidates)
    named = [c for c in candidates[:_MAX_NAMED] if gross and abs(c.amount) >= _NAMED_SHARE * gross]
    return tuple(named or candidates[:1])


def _join(texts: list[str]) -> str:
    """Return `a`, `a and b`, or `a, b and c`."""
    return texts[0] if len(texts) == 1 else f"{', '.join(texts[:-1])} and {texts[-1]}"


def _sentence(d: Decision) -> str:
    """Return the decision in one sentence, built from the figures of `d` only."""
    win = STRATEGY_LABELS.get(d.winner, d.winner)
    h = d.horizon_months
    cheaper = ""
    if d.cheaper_unavailable:
        name, total, _ = d.cheaper_unavailable[0]
        saving = format_money(d.winner_total - total, d.currency)
        cheaper = f" ({STRATEGY_LABELS.get(name, name)} would cost {saving} less but is not available)"
    if d.runner_up is None:
        money = format_money(d.winner_total, d.currency)
        return f"{win} is the only available strategy; it costs {money} over {h} months{cheaper}"
    other = STRATEGY_LABELS.get(d.runner_up, d.runner_up)
    assert d.margin is not None
    if round(d.margin) == 0:
        head = f"{win} and {other} cost the same over {h} months"
    else:
        share = "" if d.margin_fraction is None else f" ({100 * d.margin_fraction:.0f} %)"
        head = f"{win} is cheapest, {format_money(d.margin, d.currency)}{share} below {other} over {h} months"
    head += cheaper
    shown = [c for c in d.named if _signed(c.amount) != "0"]
    if not shown:
        return head
    saves = [f"{c.label} ({_signed(c.amount)})" for c in shown if c.amount < 0]
    costs = [f"{c.label} ({_signed(c.amount)})" for c in shown if c.amount > 0]
    why = f"{_join(saves)} against {_join(costs)}" if saves and costs else _join(saves or costs)
    text = f"{head}; the difference comes mostly from {why}"
    if _signed(d.remainder) != "0":
        text += f", with {_signed(d.remainder)} {REMAINDER_LABEL}"
    return text


def explain_decision(scenario: Scenario, est: Estimate | None = None) -> Decision:
    """Return the decision of an estimate: winner, runner-up, margin and the cost lines behind it.

    Args:
        scenario: the validated scenario the estimate was made from.
        est: its estimate (computed from `scenario` when None); its horizon is the one used.

    Returns:
        A Decision. Amounts are in the scenario's currency over the estimate's horizon;
        `margin_fraction` is a share (0.19 = 19 %). The contributions, the top-up item and
        the remainder add up to the winner's total minus the runner-up's (= -margin).
    """
    if est is None:
        est = estimate(scenario)
    winner, second = winner_and_runner_up(est)
    unavailable = tuple(n for n in est.strategies if not is_available(est.strategies[n]))
    w = est.strategies[winner]
    cheaper = tuple(
        sorted(
            (
                (n, est.strategies[n].total, getattr(est.strategies[n], "unavailable_because", None))
                for n in unavailable
                if is_available(w) and est.strategies[n].total < w.total
            ),
            key=lambda item: item[1],
        )
    )
    if second is None:
        d = Decision(
            winner,
            None,
            est.currency,
            est.horizon_months,
            w.total,
            None,
            None,
            None,
            (),
            (),
            0.0,
            unavailable,
            "",
            cheaper,
        )
        return _with_sentence(d)
    r = est.strategies[second]
    h = est.horizon_months
    served = sum(est.requests[1:])
    updates = scenario.knowledge.updates_per_month
    parts = breakdown(scenario)
    change = scenario.price_change_per_year
    token_served = None
    if change:
        token_served = sum(q * (1 + change) ** ((m - 1) / 12) for m, q in enumerate(est.requests) if m)
    tokens = token_labels(scenario)
    mine = horizon_contributions(parts[winner], updates, h, served, token_served, tokens.get(winner))
    theirs = horizon_contributions(parts[second], updates, h, served, token_served, tokens.get(second))
    items: list[Contribution] = []
    for key in list(mine) + [k for k in theirs if k not in mine]:
        a, fa = mine.get(key, (0.0, ()))
        b, fb = theirs.get(key, (0.0, ()))
        if a - b:
            figures = "+".join(dict.fromkeys((*fa, *fb)))
            items.append(Contribution(key, figures, a - b, a, b))
    if w.minimum_topup_total or r.minimum_topup_total:
        topup = w.minimum_topup_total - r.minimum_topup_total
        if topup:
            items.append(Contribution(TOPUP_LABEL, "topup", topup, w.minimum_topup_total, r.minimum_topup_total))
    difference = w.total - r.total
    remainder = difference - sum(c.amount for c in items)
    # Float rounding leaves a few 1e-12 of the totals; anything larger is an item of its own.
    if abs(remainder) > 1e-9 * max(abs(w.total), abs(r.total), 1.0):
        items.append(Contribution(REMAINDER_LABEL, "remainder", remainder, remainder, 0.0))
    else:
        remainder = 0.0
    lines = tuple(sorted(items, key=lambda c: abs(c.amount), reverse=True))
    margin = r.total - w.total
    fraction = margin / r.total if r.total else None
    d = Decision(
        winner,
        second,
        est.currency,
        h,
        w.total,
        r.total,
        margin,
        fraction,
        lines,
        _pick_named(lines),
        remainder,
        unavailable,
        "",
        cheaper,
    )
    return _with_sentence(d)


def _with_sentence(d: Decision) -> Decision:
    """Return `d` with its sentence written from its own figures."""
    return d._replace(sentence=_sentence(d))
