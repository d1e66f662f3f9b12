"""Cost lines: each named cost of a strategy, defined once, from which every figure is added up.

A CostLine says which figure it belongs to (`upfront`, `per_update`, `per_request`,
`monthly_fixed`, `periodic_monthly`), its label and formula as a face shows them, and its
amount as a function of a Context (costmodel.model.context). The same lines give the
engine's figures, `breakdown()`, the Monte Carlo (a Context over arrays of samples),
sweeps and the solver. A figure is the sum of its lines taken left to right, in the order
docs/model.md writes its terms, so the sums equal docs/model.md's expressions bit for bit.
Everything here is plain Python: amounts and effort terms are callables, and the functions
adding up a strategy's figures are closures over tuples of them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from functools import partial
from typing import Any, NamedTuple

__all__ = [
    "RATE_FIGURES",
    "Amount",
    "CostLine",
    "Effort",
    "EffortFigures",
    "LineSet",
    "Part",
    "add_up",
    "figures_function",
    "group_lines",
    "new_effort",
    "split_per_request",
    "zero",
]

RATE_FIGURES: tuple[str, ...] = ("upfront", "per_update", "per_request", "monthly_fixed", "periodic_monthly")
"""The five figures a strategy's cost lines add up to (currency units; per_request per request)."""

Amount = Callable[[Any], Any]
"""A function of a Context (a float, or an array of samples when the Context holds arrays)."""


def zero(c: Any) -> float:
    """Return 0.0 whatever the Context: the amount or effort term of something a strategy does not have."""
    return 0.0


class _CostLineFields(NamedTuple):
    """The fields of a CostLine, in order (CostLine adds the checks and `value`)."""

    figure: str
    label: str
    formula: str
    amount: Amount
    token_priced: bool = False
    key: str = ""


class CostLine(_CostLineFields):
    """One named cost: its figure, label, formula text and amount.

    `amount` is a function of a Context `c` (e.g. `lambda c: c.rag.build_days * c.day`);
    `value(c)` returns the line's amount in the scenario's currency (a float, or an array
    of samples when the Context holds arrays). `token_priced` marks a per-request line
    priced from `[models]` (it drifts with `price_change_per_year`); `key` names the line
    for the pricing options that replace it (e.g. "deployment", "tokens"). Immutable, as a
    NamedTuple: the strategies make their lines when imported, and a NamedTuple class is
    several times cheaper to create than a frozen dataclass.
    """

    __slots__ = ()

    def __new__(
        cls, figure: str, label: str, formula: str, amount: Amount, token_priced: bool = False, key: str = ""
    ) -> CostLine:
        """Return a checked line: `figure` one of RATE_FIGURES and `amount` callable."""
        if figure not in RATE_FIGURES:
            raise ValueError(f"cost line {label!r}: figure {figure!r} is not one of {RATE_FIGURES}")
        if not callable(amount):
            raise TypeError(f"cost line {label!r}: amount must be a function of a Context")
        return super().__new__(cls, figure, label, formula, amount, token_priced, key)

    def value(self, context: Any) -> Any:
        """Return the line's amount for a Context (currency units; per request for per_request lines)."""
        return self.amount(context)


LineSet = Mapping[str, tuple[CostLine, ...]]
"""A strategy's lines grouped by figure, each group in the order its terms are added."""


class Part(NamedTuple):
    """One named part of a figure, with the formula that gives it (currency units)."""

    label: str
    amount: float
    formula: str


EFFORT_FIELDS: tuple[str, ...] = (
    "upfront_engineer_days",
    "upfront_expert_hours",
    "per_update_engineer_days",
    "per_update_expert_hours",
    "monthly_engineer_days",
    "monthly_expert_hours",
)


class Effort(NamedTuple):
    """People needed by one strategy, in engineer-days and expert-hours."""

    upfront_engineer_days: float
    upfront_expert_hours: float
    per_update_engineer_days: float
    per_update_expert_hours: float
    monthly_engineer_days: float
    monthly_expert_hours: float


EffortFigures = tuple[Any, Any, Any, Any, Any, Any]
"""The six effort figures of EFFORT_FIELDS as a plain tuple (engineer-days and expert-hours).

A strategy's `effort(c)` returns one; the engine makes the Effort of a strategy once, with
`new_effort`, after `[operations]` has added its terms.
"""


new_effort: Callable[[tuple[Any, ...]], Effort] = partial(tuple.__new__, Effort)
"""Return an Effort from a tuple of its six figures, in EFFORT_FIELDS order.

The same object as `Effort(*figures)`, built in one C call: a NamedTuple's own
constructor is a Python function, and the engine makes an Effort per strategy per estimate.
"""


def group_lines(lines: Iterable[CostLine]) -> dict[str, tuple[CostLine, ...]]:
    """Return `lines` grouped by figure (every figure of RATE_FIGURES present, in line order)."""
    grouped: dict[str, list[CostLine]] = {figure: [] for figure in RATE_FIGURES}
    for line in lines:
        grouped[line.figure].append(line)
    return {figure: tuple(items) for figure, items in grouped.items()}


def add_up(lines: tuple[CostLine, ...], context: Any) -> Any:
    """Return the sum of the lines' amounts, left to right (0.0 for no lines), in currency units."""
    if not lines:
        return 0.0
    total = lines[0].value(context)
    for line in lines[1:]:
        total = total + line.value(context)
    return total


def split_per_request(lines: tuple[CostLine, ...], context: Any) -> tuple[Any, Any]:
    """Return (token-priced part, other part) of a per-request figure, each summed left to right (currency)."""
    return add_up(tuple(x for x in lines if x.token_priced), context), add_up(
        tuple(x for x in lines if not x.token_priced), context
    )


def _adder(amounts: tuple[Amount, ...]) -> Amount:
    """Return a function of a Context adding the amounts left to right, `((a + b) + c)`, 0.0 for none.

    Short tuples get a closure calling each amount in one expression (no loop, no
    allocation per call); longer ones a loop that adds in the same order.
    """
    n = len(amounts)
    if n == 0:
        return zero
    if n == 1:
        return amounts[0]
    if n == 2:
        a, b = amounts
        return lambda c: a(c) + b(c)
    if n == 3:
        a, b, d = amounts
        return lambda c: a(c) + b(c) + d(c)
    if n == 4:
        a, b, d, e = amounts
        return lambda c: a(c) + b(c) + d(c) + e(c)
    if n == 5:
        a, b, d, e, f = amounts
        return lambda c: a(c) + b(c) + d(c) + e(c) + f(c)
    if n == 6:
        a, b, d, e, f, g = amounts
        return lambda c: a(c) + b(c) + d(c) + e(c) + f(c) + g(c)
    if n == 7:
        a, b, d, e, f, g, h = amounts
        return lambda c: a(c) + b(c) + d(c) + e(c) + f(c) + g(c) + h(c)
    first, rest = amounts[0], amounts[1:]

    def add(c: Any) -> Any:
        total = first(c)
        for amount in rest:
            total = total + amount(c)
        return total

    return add


def figures_function(
    grouped: LineSet, split: bool = False, effort: Callable[[Any], EffortFigures] | None = None
) -> Callable[[Any], tuple[Any, ...]]:
    """Return a function of a Context giving the five figures of RATE_FIGURES from the lines.

    Each figure is its lines' amounts added left to right, exactly as `add_up` adds them;
    the adding functions are built once per set of lines, so an estimate pays for the
    amounts and a call per figure. With `split`, per_request is replaced by two entries,
    its token-priced part and the rest (six entries in all). With `effort` (a function
    of the Context giving EffortFigures) the effort figures follow the figures.
    """
    adders: list[Amount] = []
    for figure in RATE_FIGURES:
        lines = grouped[figure]
        if split and figure == "per_request":
            adders.append(_adder(tuple(x.amount for x in lines if x.token_priced)))
            adders.append(_adder(tuple(x.amount for x in lines if not x.token_priced)))
        else:
            adders.append(_adder(tuple(x.amount for x in lines)))
    if effort is not None:
        adders.append(effort)
    if len(adders) == 5:
        u, p, r, m, q = adders
        return lambda c: (u(c), p(c), r(c), m(c), q(c))
    if len(adders) == 6:
        u, p, r, t, m, q = adders
        return lambda c: (u(c), p(c), r(c), t(c), m(c), q(c))
    u, p, r, t, m, q, e = adders
    return lambda c: (u(c), p(c), r(c), t(c), m(c), q(c), e(c))
