"""Formulas with the scenario's numbers in them, for the formula bar and the breakdown tree (no Textual).

The engine's `breakdown(scenario)` gives, per strategy and figure, cost lines (`Part`: label,
amount, formula text such as `(prompt_tokens + retrieved_tokens) × input price`);
`costmodel.analysis.explain` gives the parts of totals and months. Here each formula's names
are replaced by the scenario's values (`(2,200 + 2,500) × $2.00/M`) and the line ends with
the engine's amount. Nothing is computed: every amount shown is one the engine returned, and a
name that cannot be resolved stays as the engine wrote it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from costmodel.model.money import format_amount, format_small
from costmodel.model.names import ALL_STRATEGIES, INFO
from costmodel.tui.fields import format_number

if TYPE_CHECKING:
    from costmodel.model.engine import Estimate, Part
    from costmodel.model.schema import Scenario

__all__ = ["CostLine", "figure_formula", "figure_lines", "numbered"]

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*")
# Price phrases of the engine's formulas: (phrase, model of the strategy or "embedding", price field).
_PRICES = (
    ("fine-tuned input price", "serving", "ft_input_per_mtok"),
    ("fine-tuned output price", "serving", "ft_output_per_mtok"),
    ("embedding price", "embedding", "input_per_mtok"),
    ("training price", "training", "training_per_mtok"),
    ("input price", "serving", "input_per_mtok"),
    ("output price", "serving", "output_per_mtok"),
)
_SECTIONS = ("workload", "knowledge", "team", *ALL_STRATEGIES)
_SMALL_FIGURES = {"per_request", "per_1k"}
# The strategies whose tables hold the shared inputs: retrieval (read by every strategy that
# retrieves) and fine-tuning (by every one that trains), each the registry's strategy with only that role.
_RETRIEVAL_TABLE = next(name for name, info in INFO.items() if info.retrieves and not info.trains)
_TRAINING_TABLE = next(name for name, info in INFO.items() if info.trains and not info.retrieves)
# An input counted in tokens carries this unit in a formula (`(2,200 + 2,500) tok × $2.00/M`).
TOKEN_UNIT = "tok"
_TOKENS = "tokens"  # the unit the schema gives token counts
# A substituted token count is held between these marks until the units are placed.
_OPEN, _CLOSE = "\x00", "\x01"
_TOKEN_TERM = re.compile(f"{_OPEN}([^{_CLOSE}]*){_CLOSE}")
# A parenthesised sum or difference of token counts only: the unit goes once, after the bracket.
_TOKEN_GROUP = re.compile(rf"\(\s*{_OPEN}[^{_CLOSE}]*{_CLOSE}(?:\s*[+−-]\s*{_OPEN}[^{_CLOSE}]*{_CLOSE})*\s*\)")


@dataclass(frozen=True)
class CostLine:
    """One line of a breakdown tree: a label, its formula with numbers, its amount (text) and its own lines."""

    label: str
    formula: str
    amount: str
    children: tuple[CostLine, ...] = field(default=())


def _money(value: float, currency: str, small: bool = False) -> str:
    """Return an amount with its currency (`$17,000`, `$0.0125`; small amounts keep their digits)."""
    symbol = "$" if currency == "USD" else f"{currency} "
    text = format_small(value) if small or 0 < abs(value) < 10 else format_amount(value)
    return f"-{symbol}{text.lstrip('-')}" if text.startswith("-") else f"{symbol}{text}"


def _value_of(scenario: Scenario, path: tuple[str, ...]) -> Any:
    node: Any = scenario
    for key in path:
        node = node.get(key) if isinstance(node, dict) else getattr(node, key, None)
        if node is None:
            return None
    return node


def _model_of(scenario: Scenario, strategy: str, role: str) -> str | None:
    """Return the model whose prices a strategy's formula names (the engine's choice of model, read from inputs).

    The embedding model is the one the retrieving strategy calls besides its serving model; training
    runs on the serving model of the strategy that trains (the registry names both).
    """
    from costmodel.model.strategies import strategy as registered

    if role == "embedding":
        retrieval = registered(_RETRIEVAL_TABLE)
        refs = [ref for ref in retrieval.models_called if ref != retrieval.serving_model]
        table, name = refs[0] if refs else retrieval.serving_model
    elif role == "training":
        table, name = registered(_TRAINING_TABLE).serving_model
    else:
        table, name = registered(strategy).serving_model
    return getattr(getattr(scenario, table, None), name, None)


def _tables_of(strategy: str) -> list[str]:
    """Return the tables a strategy's inputs live in: its own, then the retrieval and fine-tuning
    tables it shares by its roles (`retrieves`, `trains`), as names.INFO says."""
    info = INFO[strategy]
    shared = [*([_RETRIEVAL_TABLE] if info.retrieves else []), *([_TRAINING_TABLE] if info.trains else [])]
    return list(dict.fromkeys([strategy, *shared]))


def _resolve(scenario: Scenario, strategy: str, name: str) -> tuple[Any, str]:
    """Return the input a formula's name stands for and its unit: a dotted path, or a field of the
    strategy's tables (the unit is the schema's, "" when it has none)."""
    keys = tuple(name.split("."))
    if len(keys) > 1:
        return _value_of(scenario, keys), _unit_of(scenario, keys)
    order = [*_tables_of(strategy), *_SECTIONS]
    for section in dict.fromkeys(order):
        value = _value_of(scenario, (section, name))
        if isinstance(value, int | float) and not isinstance(value, bool):
            return value, _unit_of(scenario, (section, name))
    return None, ""


def _unit_of(scenario: Scenario, keys: tuple[str, ...]) -> str:
    """Return the schema's unit of the input at `keys` ("" when there is none or it is not a field)."""
    from pydantic import BaseModel

    from costmodel.model.inputs import field_unit

    table = _value_of(scenario, keys[:-1]) if len(keys) > 1 else scenario
    if not isinstance(table, BaseModel):
        return ""
    info = type(table).model_fields.get(keys[-1])
    return field_unit(info) if info is not None else ""


def _token_units(formula: str) -> str:
    """Place the unit of the marked token counts: once after a bracket of them, else after each one."""
    formula = _TOKEN_GROUP.sub(lambda m: _TOKEN_TERM.sub(r"\1", m.group(0)) + f" {TOKEN_UNIT}", formula)
    return _TOKEN_TERM.sub(rf"\1 {TOKEN_UNIT}", formula)


def _price(value: float, currency: str) -> str:
    symbol = "$" if currency == "USD" else f"{currency} "
    return f"{symbol}{value:,.2f}/M" if value >= 0.01 or value == 0 else f"{symbol}{value:.3g}/M"


def numbered(formula: str, strategy: str, scenario: Scenario, known: dict[str, str] | None = None) -> str:
    """Return `formula` with each input name replaced by the scenario's value and each price by `$2.00/M`.

    A token count carries its unit: `(2,200 + 2,500) tok × $2.00/M`, `350 tok × $8.00/M`.
    `known` maps further names (a rate of the Estimate such as `per_request`) to their shown text.
    """
    currency = scenario.currency
    for phrase, role, price_field in _PRICES:
        if phrase not in formula:
            continue
        model = _model_of(scenario, strategy, role)
        price = getattr(scenario.models.get(model), price_field, None) if model in scenario.models else None
        if price is not None:
            formula = formula.replace(phrase, _price(price, currency))

    def substitute(match: re.Match[str]) -> str:
        if known and match.group(0) in known:
            return known[match.group(0)]
        value, unit = _resolve(scenario, strategy, match.group(0))
        if isinstance(value, bool) or not isinstance(value, int | float):
            return match.group(0)
        shown = format_number(float(value))
        return f"{_OPEN}{shown}{_CLOSE}" if unit == _TOKENS else shown

    return _token_units(_NAME.sub(substitute, formula))


def _part_line(
    part: Part, strategy: str, scenario: Scenario, small: bool, known: dict[str, str] | None = None
) -> CostLine:
    return CostLine(
        part.label, numbered(part.formula, strategy, scenario, known), _money(part.amount, scenario.currency, small)
    )


def _sum_formula(lines: list[CostLine], result: str) -> str:
    return (" + ".join(line.amount for line in lines) or "0") + f" = {result}"


def figure_lines(scenario: Scenario, est: Estimate, strategy: str, figure: str) -> CostLine:
    """Return the breakdown tree of one shown figure: the figure, its cost lines and their own lines.

    `figure` is `upfront`, `per_update`, `per_request`, `monthly_fixed`, `periodic_monthly`,
    `total`, `month:N`, `per_1k` (all-in cost per 1,000 requests) or `effort:upfront`,
    `effort:per_update`, `effort:monthly`.
    """
    from costmodel.analysis.explain import figure_parts
    from costmodel.model.engine import breakdown

    cur = scenario.currency
    s = est.strategies[strategy]
    rates = breakdown(scenario).get(strategy, {})
    small = figure in _SMALL_FIGURES

    def rate_lines(name: str) -> tuple[CostLine, ...]:
        return tuple(_part_line(p, strategy, scenario, name in _SMALL_FIGURES) for p in rates.get(name, []))

    if figure.startswith("effort:"):
        return _effort_lines(scenario, est, strategy, figure.split(":", 1)[1])
    if figure == "per_1k":
        served = sum(est.requests[1:])
        total = _money(s.total, cur)
        upfront = _money(s.upfront, cur)
        children = [
            line
            for line in figure_lines(scenario, est, strategy, "total").children
            if not line.label.startswith("upfront")
        ]
        if s.cost_per_1k_requests is None:  # the horizon serves no requests
            return CostLine("Per 1k requests (all-in)", "no requests are served over the horizon", "-")
        return CostLine(
            "Per 1k requests (all-in)",
            f"1,000 × (total {total} − upfront {upfront}) / {format_number(round(served))} requests served",
            _money(s.cost_per_1k_requests, cur, small=True),
            tuple(children),
        )
    parts = figure_parts(scenario, est, strategy, figure)
    known = {"horizon": str(est.horizon_months)}
    for rate in ("upfront", "per_update", "per_request", "monthly_fixed", "periodic_monthly"):
        known[rate] = _money(getattr(s, rate), cur)
    children = []
    # A total's or a month's parts are made of the rates: each one opens onto the rate's own lines.
    own = {"upfront": "upfront", "fixed": "monthly_fixed", "periodic": "periodic_monthly"}
    own.update({"knowledge updates": "per_update", "requests": "per_request"})
    for part in parts:
        line = _part_line(part, strategy, scenario, small, known)
        if figure == "total" or figure.startswith("month:"):
            rate = next((r for prefix, r in own.items() if part.label.startswith(prefix)), None)
            if rate is not None:
                line = CostLine(line.label, line.formula, line.amount, rate_lines(rate))
        children.append(line)
    amount = _figure_amount(est, strategy, figure)
    label = figure.replace("_", " ")
    return CostLine(
        label, _sum_formula(children, _money(amount, cur, small)), _money(amount, cur, small), tuple(children)
    )


def _figure_amount(est: Estimate, strategy: str, figure: str) -> float:
    s = est.strategies[strategy]
    if figure.startswith("month:"):
        return s.monthly_cost[int(figure.split(":", 1)[1])]
    return float(getattr(s, figure))


def _days(value: float) -> str:
    return f"{format_number(round(value, 2))}"


def _effort_lines(scenario: Scenario, est: Estimate, strategy: str, when: str) -> CostLine:
    """Return an effort row's tree: engineer-days and expert-hours (the engine's) and the inputs behind them."""
    effort = est.strategies[strategy].effort
    days = getattr(effort, f"{when}_engineer_days")
    hours = getattr(effort, f"{when}_expert_hours")
    units = {"upfront": ("engineer-days", "examples"), "per_update": ("hours", "fraction")}
    units["monthly"] = ("engineer-days/month", "retrains/year")
    sections = _tables_of(strategy)
    from costmodel.tui.field_walk import field_specs

    inputs = []
    for spec in field_specs(scenario):
        if spec.section not in sections or not spec.numeric:
            continue
        if any(spec.unit.startswith(u) for u in units[when]) or "minutes" in spec.unit:
            value = _value_of(scenario, spec.keys)
            if value is not None:
                inputs.append(CostLine(spec.path, f"{format_number(float(value))} {spec.unit}", ""))
    title = {"upfront": "Effort upfront", "per_update": "Effort per update", "monthly": "Effort per month"}[when]
    return CostLine(
        title,
        f"{_days(days)} engineer-days · {_days(hours)} expert-hours",
        f"{_days(days)} d · {_days(hours)} h",
        (
            CostLine("engineer-days", "", _days(days)),
            CostLine("expert-hours", "", _days(hours)),
            CostLine("inputs it comes from", "", "", tuple(inputs)),
        ),
    )


def figure_formula(scenario: Scenario, est: Estimate, strategy: str, figure: str) -> str:
    """Return the one-line formula of a figure with its numbers, e.g. `(2,200 + 2,500) × $2.00/M + … = $0.0099`.

    A figure made of rates (a total, a month) is the sum of its lines' amounts.
    """
    tree = figure_lines(scenario, est, strategy, figure)
    if figure.startswith("effort:") or figure == "per_1k":
        return f"{tree.formula} = {tree.amount}"
    if figure in ("total",) or figure.startswith("month:"):
        return tree.formula
    pieces = [line.formula if len(tree.children) < 4 else line.amount for line in tree.children]
    return (" + ".join(pieces) or "0") + f" = {tree.amount}"
