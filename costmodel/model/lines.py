"""Cost lines: each named cost of a strategy, defined once, from which every figure is added up.

A CostLine says which figure it belongs to (`upfront`, `per_update`, `per_request`,
`monthly_fixed`, `periodic_monthly`), its label and formula as a face shows them, and its
amount as a function of a Context (costmodel.model.context). The same lines give the
engine's figures, `breakdown()`, the Monte Carlo (a Context over arrays of samples),
sweeps and the solver. A figure is the sum of its lines taken left to right, in the order
shared/MODEL.md writes its terms, so the sums equal MODEL.md's expressions bit for bit.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from costmodel.model.context import LINE_SCOPE

__all__ = [
    "RATE_FIGURES",
    "CostLine",
    "Effort",
    "LineSet",
    "Part",
    "add_up",
    "compile_figures",
    "group_lines",
    "split_per_request",
]

RATE_FIGURES: tuple[str, ...] = ("upfront", "per_update", "per_request", "monthly_fixed", "periodic_monthly")
"""The five figures a strategy's cost lines add up to (currency units; per_request per request)."""


@dataclass(frozen=True, slots=True)
class CostLine:
    """One named cost: its figure, label, formula text and amount.

    `amount` is a Python expression over a Context `c` (e.g. "c.rag.build_days * c.day"),
    which may call `per_token` and read `HOURS_PER_MONTH` and the helpers in `scope`, or a
    function of the Context. Either
    way `value(c)` returns the line's amount in the scenario's currency (a float, or an
    array of samples when the Context holds arrays); an expression is also inlined into
    the one function that adds up a strategy's figures (`compile_figures`). `token_priced`
    marks a per-request line priced from `[models]` (it drifts with
    `price_change_per_year`); `key` names the line for the pricing options that replace it
    (e.g. "deployment", "tokens").
    """

    figure: str
    label: str
    formula: str
    amount: str | Callable[[Any], Any]
    token_priced: bool = False
    key: str = ""
    scope: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)
    _value: Callable[[Any], Any] = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.figure not in RATE_FIGURES:
            raise ValueError(f"cost line {self.label!r}: figure {self.figure!r} is not one of {RATE_FIGURES}")
        if isinstance(self.amount, str):
            code = compile(f"lambda c: ({self.amount})", f"<cost line {self.label}>", "eval")
            value = eval(code, {**LINE_SCOPE, **self.scope})
        else:
            value = self.amount
        object.__setattr__(self, "_value", value)

    def value(self, context: Any) -> Any:
        """Return the line's amount for a Context (currency units; per request for per_request lines)."""
        return self._value(context)


LineSet = Mapping[str, tuple[CostLine, ...]]
"""A strategy's lines grouped by figure, each group in the order its terms are added."""


@dataclass(frozen=True, slots=True)
class Part:
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


def _term(index: int, line: CostLine, namespace: dict[str, Any]) -> str:
    """Return the source of one line's amount inside the generated function, registering what it needs."""
    if isinstance(line.amount, str):
        for name, value in line.scope.items():
            if namespace.get(name, value) is not value:
                raise ValueError(f"cost line {line.label!r}: scope name {name!r} is bound to two different objects")
            namespace[name] = value
        return f"({line.amount})"
    namespace[f"a{index}"] = line.amount
    return f"a{index}(c)"


def _sum(terms: list[str]) -> str:
    """Return Python source adding the terms left to right ("0.0" for none)."""
    return " + ".join(terms) if terms else "0.0"


def compile_figures(
    grouped: LineSet, split: bool = False, effort_terms: tuple[str, ...] | None = None
) -> Callable[[Any], tuple[Any, ...]]:
    """Return a function of a Context giving the five figures of RATE_FIGURES from the lines.

    Each figure is its lines' amounts added left to right, exactly as `add_up` adds them;
    the function is generated once per set of lines (expressions inlined), so an estimate
    pays for the amounts and nothing else. With `split`, per_request is replaced by two
    entries, its token-priced part and the rest (six entries in all). With `effort_terms`
    (six expressions, EFFORT_FIELDS order) an Effort follows the figures.
    """
    namespace: dict[str, Any] = {**LINE_SCOPE, "Effort": Effort}
    expressions: list[str] = []
    index = 0
    for figure in RATE_FIGURES:
        terms: list[str] = []
        token: list[str] = []
        other: list[str] = []
        for line in grouped[figure]:
            term = _term(index, line, namespace)
            terms.append(term)
            (token if line.token_priced else other).append(term)
            index += 1
        if split and figure == "per_request":
            expressions += [_sum(token), _sum(other)]
        else:
            expressions.append(_sum(terms))
    if effort_terms is not None:
        if len(effort_terms) != len(EFFORT_FIELDS):
            raise ValueError(f"an effort needs {len(EFFORT_FIELDS)} expressions, got {len(effort_terms)}")
        expressions.append("Effort(" + ", ".join(f"({term})" for term in effort_terms) + ")")
    source = "def figures(c):\n    return (" + ", ".join(expressions) + ",)\n"
    exec(compile(source, "<cost lines>", "exec"), namespace)
    return namespace["figures"]


def compile_effort(terms: tuple[str, ...], scope: Mapping[str, Any] | None = None) -> Callable[[Any], Effort]:
    """Return a function of a Context giving an Effort from six expressions (EFFORT_FIELDS order).

    Each expression reads the Context `c` (engineer-days or expert-hours, per MODEL.md's
    `effort`); the function is generated once per strategy and switches.
    """
    if len(terms) != len(EFFORT_FIELDS):
        raise ValueError(f"an effort needs {len(EFFORT_FIELDS)} expressions, got {len(terms)}")
    namespace: dict[str, Any] = {**LINE_SCOPE, **(scope or {}), "Effort": Effort}
    source = "def effort(c):\n    return Effort(" + ", ".join(f"({term})" for term in terms) + ")\n"
    exec(compile(source, "<effort>", "exec"), namespace)
    return namespace["effort"]
