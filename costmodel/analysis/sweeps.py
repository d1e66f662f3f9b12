"""Sweeps: estimate every combination of a few varied inputs, fast.

A sweep varies dotted paths (`workload.requests_per_month`, `models."gpt-4.1-mini".input_per_mtok`)
over lists or ranges. Every varied value is validated once against the schema (same bounds
and messages as a scenario file); the combinations are then evaluated without re-validating:
the engine's `strategy_rates` runs on a lightweight mutable mirror of the scenario, and the
horizon's totals use the closed form of docs/model.md's timeline plus the month-by-month
top-ups to a monthly minimum spend (equal to `estimate()` up to float rounding, relative
error below 1e-12).
"""

from __future__ import annotations

import functools
import itertools
import math
import re
import tomllib
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from costmodel.model import timeline
from costmodel.model.availability import start_month, unavailable_because
from costmodel.model.engine import FIGURES, RatesContext, monthly_requests, monthly_topups, rates_context, strategy_rate
from costmodel.model.errors import CostmodelError
from costmodel.model.finite import overflow_error
from costmodel.model.paths import format_path, split_path
from costmodel.model.schema import Scenario
from costmodel.model.strategies import Strategy, present
from costmodel.model.text import shorten
from costmodel.model.validation import issues_from

__all__ = [
    "FIGURES",
    "PointFigures",
    "SweepError",
    "SweepPlan",
    "SweepPoint",
    "SweepResult",
    "parse_spec",
    "plan_sweep",
    "sweep",
]

# Possessive quantifiers (`*+`, `++`): no part of a number can be read two ways, so a SPEC that
# does not match fails in time linear in its length.
_NUMBER = r"[-+]?+(?:\d[\d_]*+(?:\.\d[\d_]*+)?+|\.\d[\d_]*+)(?:[eE][-+]?+\d++)?+"
_RANGE = re.compile(rf"({_NUMBER}):({_NUMBER}):(\d{{1,12}}+)(?::(log|lin))?+")
MAX_POINTS_PER_RANGE = 100_000
MAX_COMBINATIONS = 1_000_000
# The top-level inputs a point's demand (requests by month, their sum, their drifted sum) is made of.
_DEMAND_TABLES = frozenset({"workload", "horizon_months", "price_change_per_year"})

Value = float | int | str | bool


class SweepError(CostmodelError):
    """A `--vary` that cannot be swept: a bad SPEC, an unknown path or a value outside the schema's bounds."""


class _Result(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class PointFigures(_Result):
    """One strategy's figures at one sweep point, in the scenario's currency."""

    upfront: float
    per_update: float
    per_request: float
    monthly_fixed: float
    periodic_monthly: float
    total: float
    cost_per_1k_requests: float | None
    available: bool = True


class SweepPoint(_Result):
    """One combination of varied inputs and what each strategy costs there."""

    inputs: dict[str, Value]
    cheapest: str
    strategies: dict[str, PointFigures]


class SweepResult(_Result):
    """Every combination of a sweep, in product order (the last varied path changes fastest)."""

    scenario: str
    currency: str
    horizon_months: int
    paths: list[str]
    values: dict[str, list[Value]]
    points: list[SweepPoint]

    def cheapest_grid(self) -> list[list[str]]:
        """Return the cheapest strategy for each (first path value, second path value) pair.

        Other varied paths are held at their first value. With one varied path the grid
        has a single row. Returns rows indexed by the first path's values.
        """
        return cheapest_grid(self.values, self.paths, self.points)


def cheapest_grid(
    values: Mapping[str, Sequence[Value]], paths: Sequence[str], points: Sequence[Any]
) -> list[list[str]]:
    """Return rows of cheapest-strategy names over the first two varied paths (others at their first value)."""
    if len(paths) == 1:
        return [[p.cheapest for p in points[: len(values[paths[0]])]]]
    rows, cols = len(values[paths[0]]), len(values[paths[1]])
    stride = math.prod(len(values[p]) for p in paths[2:])
    return [[points[(i * cols + j) * stride].cheapest for j in range(cols)] for i in range(rows)]


def _clean(value: float) -> float:
    """Return `value` rounded to 12 significant digits, so that 0.1 steps print as 0.1, not 0.30000000000000004."""
    return float(f"{value:.12g}")


def _parse_number(text: str) -> float:
    return float(text.replace("_", ""))


def parse_spec(spec: str) -> list[Value]:
    """Return the values a SPEC names.

    `a,b,c` is a list (each read as a TOML value, else as text, so model names work);
    `start:stop:count[:lin|:log]` is `count` evenly spaced values from start to stop, both
    included (log spacing is even in powers of ten: `1000:1000000:4:log` gives 1000, 10000,
    100000, 1000000). Raises SweepError for a malformed SPEC.
    """
    match = _RANGE.fullmatch("".join(spec.split())) if ":" in spec else None
    if match:
        start, stop = _parse_number(match[1]), _parse_number(match[2])
        if not (math.isfinite(start) and math.isfinite(stop)):
            raise SweepError(f"range {_shown(spec)}: start and stop must be finite numbers")
        count, scale = int(match[3]), match[4] or "lin"
        if count < 1:
            raise SweepError(f"range {_shown(spec)}: the count must be at least 1")
        if count > MAX_POINTS_PER_RANGE:
            raise SweepError(f"range {_shown(spec)}: at most {MAX_POINTS_PER_RANGE:,} values per range")
        if count == 1:
            return [start]
        if scale == "log":
            if start <= 0 or stop <= 0:
                raise SweepError(f"range {_shown(spec)}: a log range needs start and stop above 0")
            lo, hi = math.log10(start), math.log10(stop)
            inner = [_clean(10 ** (lo + (hi - lo) * i / (count - 1))) for i in range(1, count - 1)]
        else:
            inner = [_clean(start + (stop - start) * i / (count - 1)) for i in range(1, count - 1)]
        return [start, *inner, stop]
    if not spec.strip():
        raise SweepError("empty SPEC: give a list such as 0,1,4,30 or a range such as 1000:1000000:25:log")
    if ":" in spec and "," not in spec and not spec.strip().startswith(('"', "'")):
        raise SweepError(
            f"range {_shown(spec)}: expected start:stop:count[:lin|:log] with numbers, e.g. 1000:1000000:25:log"
        )
    values: list[Value] = []
    for part in spec.split(","):
        text = part.strip()
        if not text:
            raise SweepError(f"list {_shown(spec)} has an empty item")
        try:
            value = tomllib.loads(f"v = {text}")["v"]
        except tomllib.TOMLDecodeError:
            value = text
        except (RecursionError, ValueError):
            raise SweepError(f"list {_shown(spec)}: {_shown(text)} cannot be read as a value") from None
        if isinstance(value, dict | list):
            raise SweepError(f"list {_shown(spec)}: {_shown(text)} is not a single value")
        if isinstance(value, float) and not math.isfinite(value):
            raise SweepError(f"list {_shown(spec)}: {_shown(text)} is not a finite number")
        values.append(value)
    return values


def _shown(text: str) -> str:
    """Return user text as echoed in an error: quoted, control characters escaped, cut short."""
    return shorten(repr(text), 60)


def _current(scenario: Scenario, parts: tuple[str, ...]) -> Any:
    """Return the value at `parts` in the scenario, or raise SweepError naming what is known there."""
    node: Any = scenario
    for depth, key in enumerate(parts):
        where = format_path(parts[:depth]) or "the scenario"
        if isinstance(node, BaseModel):
            fields = type(node).model_fields
            if key not in fields:
                known = ", ".join(fields)
                raise SweepError(f"--vary {format_path(parts)}: {where} has no field {key!r} (known: {known})")
            node = getattr(node, key)
        elif isinstance(node, dict):
            if key not in node:
                known = ", ".join(sorted(node)) or "none"
                raise SweepError(f"--vary {format_path(parts)}: {where} has no entry {key!r} (known: {known})")
            node = node[key]
        else:
            raise SweepError(f"--vary {format_path(parts)}: {where} is a value, not a table")
    if isinstance(node, BaseModel | dict):
        raise SweepError(f"--vary {format_path(parts)}: is a table; name one of its values")
    return node


def _set_in(data: dict[str, Any], parts: tuple[str, ...], value: Any) -> None:
    node = data
    for key in parts[:-1]:
        node = node[key]
    node[parts[-1]] = value


def _validated_values(scenario: Scenario, parts: tuple[str, ...], values: list[Value]) -> list[Value]:
    """Return `values` as the schema reads them at `parts`, each checked against its bounds.

    Raises SweepError naming the path and the first value the schema refuses.
    """
    path = format_path(parts)
    _current(scenario, parts)
    out: list[Value] = []
    integral = isinstance(_current(scenario, parts), int) and not isinstance(_current(scenario, parts), bool)
    for value in values:
        if integral and isinstance(value, float) and value.is_integer():
            value = int(value)
        data = scenario.model_dump()
        _set_in(data, parts, value)
        try:
            checked = Scenario.model_validate(data)
        except ValidationError as exc:
            issues = issues_from(exc)
            own = [i for i in issues if i.path == path] or issues
            raise SweepError(
                f"--vary {path}={shorten(repr(value), 60)}: {own[0].path or path}: {own[0].message}"
            ) from None
        out.append(_current(checked, parts))
    return out


@dataclass(frozen=True, slots=True)
class SweepPlan:
    """A validated sweep: the base scenario, the varied paths and their checked values."""

    scenario: Scenario
    paths: tuple[tuple[str, ...], ...]
    values: tuple[tuple[Value, ...], ...]
    months: int | None
    today: date | None = None
    unavailable: list[frozenset[str]] = field(default_factory=lambda: [frozenset()])

    @property
    def labels(self) -> list[str]:
        """Return the varied paths in dotted form."""
        return [format_path(p) for p in self.paths]

    @property
    def names(self) -> tuple[str, ...]:
        """Return the strategies every point has (those the scenario has), in registry order."""
        return tuple(strategy.name for strategy in present(self.scenario))

    @property
    def size(self) -> int:
        """Return the number of combinations (points) the sweep evaluates."""
        return math.prod(len(v) for v in self.values)

    def iter_points(self) -> Iterator[tuple[tuple[Value, ...], str, dict[str, tuple[float | None, ...]]]]:
        """Yield (values, cheapest, figures by strategy) for every combination, in product order.

        `cheapest` is the lowest total among the strategies available at that point (all
        when none is); `unavailable[0]` holds, while a point is yielded, the names of the
        strategies not available there.

        Figures follow FIGURES (upfront, per_update, per_request, monthly_fixed,
        periodic_monthly, total, cost_per_1k_requests), in the scenario's currency.
        A strategy's rates are recomputed only when a varied value that its previous
        computation read has changed, all of them when a value the shared part of the
        rates read has (the engine is a pure function of what it reads).
        """
        reads: set[int] = set()
        mirror, setters = _mirror(self.scenario, self.paths, reads)
        always = frozenset(reads)  # varied entries of plain dicts: their reads cannot be seen
        strategies = present(self.scenario)
        shared: RatesContext | None = None
        shared_reads: frozenset[int] = frozenset()
        strategy_reads: dict[str, frozenset[int]] = {}
        by_name: dict[str, Any] = {}
        heads: dict[str, tuple[float, ...]] = {}
        fixed_horizon = self.months
        request_sums: dict[tuple[float, float, int, float], tuple[tuple[float, ...], float, float | None]] = {}
        previous: tuple[Value, ...] | None = None
        rates: list[tuple[str, Strategy, Any, tuple[float, ...]]] = []
        changed: set[int] = set()
        dated = any(m.available_until or m.training_until for m in self.scenario.models.values())
        nothing: frozenset[str] = frozenset()
        horizon_total = timeline.horizon_total
        self.unavailable[:] = [nothing]
        read_by_any: frozenset[int] = frozenset()  # every index some part of the rates read
        unavailable_now = self.unavailable
        # The varied inputs the demand (requests by month, their sums) depends on: while none of them
        # moves, the previous point's demand holds.
        demand_inputs = frozenset(i for i, path in enumerate(self.paths) if path[0] in _DEMAND_TABLES)
        demand_moved = True
        for combo in itertools.product(*self.values):
            if changed:
                changed.clear()
            for index, value in enumerate(combo):
                if previous is None or value is not previous[index]:
                    setters[index](value)
                    if index in read_by_any:
                        changed.add(index)
                    if index in demand_inputs:
                        demand_moved = True
            if shared is None or changed:
                if shared is None or not changed.isdisjoint(shared_reads):
                    reads.clear()
                    shared = rates_context(mirror)
                    shared_reads = frozenset(reads) | always
                    todo = strategies
                else:
                    todo = tuple(s for s in strategies if not changed.isdisjoint(strategy_reads[s.name]))
                for strategy in todo:
                    reads.clear()
                    by_name[strategy.name] = strategy_rate(shared, strategy)
                    heads[strategy.name] = by_name[strategy.name][:5]  # the five rates, which each point repeats
                    strategy_reads[strategy.name] = frozenset(reads)
                rates = [(s.name, s, by_name[s.name], heads[s.name]) for s in strategies]
                read_by_any = shared_reads.union(*strategy_reads.values())
            previous = combo
            if demand_moved:
                demand_moved = False
                workload = mirror.workload
                horizon = fixed_horizon if fixed_horizon is not None else mirror.horizon_months
                drift = mirror.price_change_per_year
                key = (workload.requests_per_month, workload.monthly_growth, horizon, drift)
                found = request_sums.get(key)
                if found is None:
                    try:
                        served = monthly_requests(key[0], key[1], horizon)[1:]
                    except OverflowError:
                        raise self._overflow(combo, "the requests per month") from None
                    drifted = (
                        sum(q * g for q, g in zip(served, timeline.drift_factors(drift, horizon), strict=True))
                        if drift
                        else None
                    )
                    found = (served, sum(served), drifted)
                    request_sums[key] = found
                served, total_requests, drifted = found
            updates = mirror.knowledge.updates_per_month
            first = start_month(mirror, self.today) if dated else None
            unavailable: set[str] | None = None
            figures: dict[str, tuple[float | None, ...]] = {}
            best_name, best_total = "", math.inf
            fallback_name, fallback_total = "", math.inf
            for name, strategy, r, head in rates:
                base = r.monthly_fixed + r.periodic_monthly + updates * r.per_update
                if r.token_part is None:
                    total = horizon_total(r.upfront, base, r.per_request, horizon, total_requests)
                else:
                    total = horizon_total(
                        r.upfront, base, r.per_request, horizon, total_requests, r.token_part, r.other_part, drifted
                    )
                if r.minimum_per_month:
                    total += sum(monthly_topups(r, served))
                if not math.isfinite(total):  # every figure of a strategy adds into its total
                    raise self._overflow(combo, f"the {name} total")
                per_1k = 1000 * (total - r.upfront) / total_requests if total_requests else None
                figures[name] = head + (total, per_1k)  # noqa: RUF005  # concatenating is the quicker here
                if first is not None and unavailable_because(strategy, mirror, first, horizon) is not None:
                    unavailable = {name} if unavailable is None else unavailable | {name}
                    if total < fallback_total:
                        fallback_name, fallback_total = name, total
                elif total < best_total:
                    best_name, best_total = name, total
            if not (best_name or fallback_name):  # every total is inf or NaN (a figure in it overflowed)
                raise self._overflow(combo, "the totals")
            if unavailable:
                unavailable_now[0] = frozenset(unavailable)
            elif unavailable_now[0] is not nothing:
                unavailable_now[0] = nothing
            # None available: every strategy was a fallback, so that is the lowest total among all.
            yield combo, best_name or fallback_name, figures

    def _overflow(self, combo: tuple[Value, ...], what: str) -> SweepError:
        """Return the error for a sweep point whose figures overflow, naming the point and the suspect inputs."""
        at = ", ".join(f"{label}={_shown(str(v))}" for label, v in zip(self.labels, combo, strict=True))
        cause = overflow_error(self.scenario, what, self.months)
        suspects = "; ".join(str(i) for i in cause.issues)
        return SweepError(f"at {at}, {what} overflow (beyond 1.8e308): {suspects}")


def _mirror(
    scenario: Scenario, paths: Sequence[tuple[str, ...]], reads: set[int]
) -> tuple[Any, list[Callable[[Any], None]]]:
    """Return a mutable attribute-for-attribute mirror of `scenario` and one setter per varied path.

    Only the tables on a varied path are copied; every other table is the scenario's own
    (immutable) object, so the engine sees exactly the scenario's values. A varied field is
    a property that adds the path's index to `reads` when the engine reads it; a varied
    entry of a plain dict always counts as read.
    """
    watched: dict[tuple[str, ...], dict[str, int]] = {}
    for index, parts in enumerate(paths):
        watched.setdefault(parts[:-1], {})[parts[-1]] = index
        for depth in range(len(parts) - 1):
            watched.setdefault(parts[:depth], {})
    stores: dict[tuple[str, ...], dict[str, Any]] = {}

    def build(node: Any, prefix: tuple[str, ...]) -> Any:
        fields = watched[prefix]
        if isinstance(node, BaseModel):
            values = {name: getattr(node, name) for name in type(node).model_fields}
        else:
            values = dict(node)
        for key in list(values):
            if (*prefix, key) in watched:
                values[key] = build(values[key], (*prefix, key))
        if not isinstance(node, BaseModel):
            reads.update(fields.values())  # a plain dict's reads cannot be seen: assume they happen
            stores[prefix] = values
            return values
        store = {name: values.pop(name) for name in fields}
        stores[prefix] = store
        namespace = {name: _watching_property(name, index, store, reads) for name, index in fields.items()}
        instance = type(f"_{type(node).__name__}Mirror", (), namespace)()
        instance.__dict__.update(values)
        return instance

    root = build(scenario, ())
    setters: list[Callable[[Any], None]] = []
    for parts in paths:
        store = stores[parts[:-1]]
        setters.append(functools.partial(_store, store, parts[-1]))
    return root, setters


def _store(store: dict[str, Any], key: str, value: Any) -> None:
    """Set `store[key]` to `value` (a sweep's setter for one varied path)."""
    store[key] = value


def _watching_property(name: str, index: int, store: dict[str, Any], reads: set[int]) -> property:
    """Return a read-only property serving `store[name]` that records `index` in `reads` when read."""

    def get(_self: object) -> Any:
        reads.add(index)
        return store[name]

    return property(get)


def plan_sweep(
    scenario: Scenario,
    vary: Mapping[str, str | Sequence[Value]] | Sequence[str],
    months: int | None = None,
    today: date | None = None,
) -> SweepPlan:
    """Return a validated SweepPlan.

    Args:
        scenario: the base scenario.
        vary: dotted path -> SPEC text or list of values; or `path=SPEC` strings as on the command line.
        months: a horizon overriding the scenario's (1..120), or None.
        today: the caller's date, for availability when the scenario has no `start`.

    Raises SweepError for an unknown path, a malformed SPEC or a value the schema refuses.
    """
    if months is not None and not 1 <= months <= 120:
        raise SweepError(f"months must be 1..120, got {months}")
    items: list[tuple[str, str | Sequence[Value]]]
    if isinstance(vary, Mapping):
        items = list(vary.items())
    else:
        items = []
        for text in vary:
            path_text, sep, spec_text = text.partition("=")
            if not sep or not path_text.strip():
                raise SweepError(
                    f"--vary {text!r}: expected dotted.path=SPEC, e.g. workload.requests_per_month=1e3:1e6:25:log"
                )
            items.append((path_text.strip(), spec_text))
    if months is not None and any(split_path(p.strip()) == ("horizon_months",) for p, _ in items if p.strip()):
        raise SweepError("--vary horizon_months and --months both set the horizon; give one of them")
    if not items:
        raise SweepError("nothing to sweep: give at least one --vary dotted.path=SPEC")
    sizes = []
    for _path, spec in items:
        if isinstance(spec, str):
            match = _RANGE.fullmatch("".join(spec.split())) if ":" in spec else None
            sizes.append(int(match[3]) if match else spec.count(",") + 1)
        else:
            sizes.append(len(spec))
    if math.prod(sizes) > MAX_COMBINATIONS:
        raise SweepError(
            f"{' x '.join(f'{n:,}' for n in sizes)} = {math.prod(sizes):,} combinations, over the limit of "
            f"{MAX_COMBINATIONS:,}: vary fewer values (sweep in parts, or use coarser ranges)"
        )
    paths: list[tuple[str, ...]] = []
    values: list[tuple[Value, ...]] = []
    for path_text, spec in items:
        try:
            parts = split_path(path_text)
        except ValueError as exc:
            raise SweepError(f"--vary {path_text!r}: {exc}") from None
        if parts in paths:
            raise SweepError(f"--vary {format_path(parts)} is given twice")
        raw = parse_spec(spec) if isinstance(spec, str) else list(spec)
        if not raw:
            raise SweepError(f"--vary {format_path(parts)}: no values")
        if parts == ("horizon_months",):
            raw = list(dict.fromkeys(round(v) if isinstance(v, float) else v for v in raw))
        paths.append(parts)
        values.append(tuple(_validated_values(scenario, parts, raw)))
    return SweepPlan(scenario, tuple(paths), tuple(values), months, today)


def sweep(
    scenario: Scenario,
    vary: Mapping[str, str | Sequence[Value]] | Sequence[str],
    months: int | None = None,
    today: date | None = None,
) -> SweepResult:
    """Return every combination of the varied inputs and each strategy's figures there.

    Args:
        scenario: the base scenario (e.g. from `load_scenario`).
        vary: dotted path -> SPEC (`"0,1,4,30"`, `"1000:1000000:25:log"`) or a list of values.
        months: a horizon overriding the scenario's (1..120), or None.
        today: the caller's date, for availability when the scenario has no `start`.

    Returns:
        A SweepResult whose points hold, per strategy, upfront, per_update, per_request,
        monthly_fixed, periodic_monthly, total and cost_per_1k_requests in the scenario's
        currency (totals equal `estimate()`'s to 1e-12 relative).
    """
    plan = plan_sweep(scenario, vary, months, today)
    labels = plan.labels
    points = []
    for combo, cheapest, figures in plan.iter_points():
        off = plan.unavailable[0]
        strategies = {
            name: PointFigures.model_construct(
                None, **dict(zip(FIGURES, values, strict=True)), available=name not in off
            )
            for name, values in figures.items()
        }
        points.append(
            SweepPoint.model_construct(
                inputs=dict(zip(labels, combo, strict=True)), cheapest=cheapest, strategies=strategies
            )
        )
    return SweepResult(
        scenario=scenario.name,
        currency=scenario.currency,
        horizon_months=months if months is not None else scenario.horizon_months,
        paths=labels,
        values={label: list(v) for label, v in zip(labels, plan.values, strict=True)},
        points=points,
    )
