"""Ranges: uncertain numbers written in place of a point value, and their distributions.

`{ low = 10, high = 40 }` is a 90 % interval: lognormal with low and high at the 5th and
95th percentiles (as Squiggle reads "10 to 40"), or normal when low <= 0.
`{ low = 10, mode = 15, high = 40 }` is a PERT distribution (a Beta scaled to low..high).
A range's point value, used by every point estimate, is its median.

This module is pure Python (no numpy), so loading a scenario stays cheap; sampling lives
in costmodel.analysis.montecarlo.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from costmodel.model.errors import FieldIssue
from costmodel.model.inputs import Bounds, field_bounds, field_kind, find_field
from costmodel.model.paths import format_path, split_path
from costmodel.model.range_shape import RANGE_KEYS, is_range_table
from costmodel.model.schema import Range, Scenario

__all__ = [
    "RANGE_KEYS",
    "Z90",
    "extract_ranges",
    "format_range",
    "is_range_table",
    "lognormal_params",
    "normal_params",
    "pert_params",
    "range_kind",
    "range_median",
    "regularized_beta",
]

Z90 = 1.6448536269514722
"""The standard normal's 95th percentile: low and high of a 90 % interval sit at mu -/+ Z90 sigma."""


def range_kind(r: Range) -> str:
    """Return the distribution a range stands for: "point", "lognormal", "normal" or "pert"."""
    if r.low == r.high:
        return "point"
    if r.mode is not None:
        return "pert"
    return "lognormal" if r.low > 0 else "normal"


def lognormal_params(r: Range) -> tuple[float, float]:
    """Return (mu, sigma) of the log of a lognormal range with low/high at the 5th/95th percentiles."""
    log_low, log_high = math.log(r.low), math.log(r.high)
    return (log_low + log_high) / 2, (log_high - log_low) / (2 * Z90)


def normal_params(r: Range) -> tuple[float, float]:
    """Return (mean, standard deviation) of a normal range with low/high at the 5th/95th percentiles."""
    return (r.low + r.high) / 2, (r.high - r.low) / (2 * Z90)


def pert_params(r: Range) -> tuple[float, float]:
    """Return the Beta shape parameters (alpha, beta) of a PERT range, both in 1..5."""
    width = r.high - r.low
    mode = r.low if r.mode is None else r.mode
    return 1 + 4 * (mode - r.low) / width, 1 + 4 * (r.high - mode) / width


def _beta_fraction(a: float, b: float, x: float) -> float:
    """Return the continued fraction of the incomplete beta function (modified Lentz), for x < (a+1)/(a+b+2)."""
    tiny = 1e-300
    c = 1.0
    d = 1.0 - (a + b) * x / (a + 1)
    d = 1.0 / (d if abs(d) > tiny else tiny)
    result = d
    for m in range(1, 300):
        # even step
        num = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m))
        d = 1.0 + num * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + num / c
        c = c if abs(c) > tiny else tiny
        result *= d * c
        # odd step
        num = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))
        d = 1.0 + num * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + num / c
        c = c if abs(c) > tiny else tiny
        step = d * c
        result *= step
        if abs(step - 1.0) < 1e-16:
            break
    return result


def regularized_beta(a: float, b: float, x: float) -> float:
    """Return I_x(a, b), the CDF at x (0..1) of a Beta(a, b) distribution (a, b > 0); a probability 0..1."""
    if x <= 0:
        return 0.0
    if x >= 1:
        return 1.0
    log_front = math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    front = math.exp(log_front)
    if x < (a + 1) / (a + b + 2):
        return front * _beta_fraction(a, b, x) / a
    return 1.0 - front * _beta_fraction(b, a, 1.0 - x) / b


def _beta_median(a: float, b: float) -> float:
    """Return the median of Beta(a, b) in 0..1 by bisection on the CDF (exactly 0.5 when a == b)."""
    if a == b:
        return 0.5
    lo, hi = 0.0, 1.0
    for _ in range(200):
        mid = (lo + hi) / 2
        if mid in (lo, hi):
            break
        if regularized_beta(a, b, mid) < 0.5:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def range_median(r: Range) -> float:
    """Return the median of a range, in the unit of the field it replaces (the point value it stands for)."""
    kind = range_kind(r)
    if kind == "point":
        return r.low
    if kind == "lognormal":
        product = r.low * r.high
        return math.sqrt(product) if math.isfinite(product) else math.sqrt(r.low) * math.sqrt(r.high)
    if kind == "normal":
        return r.low / 2 + r.high / 2
    alpha, beta = pert_params(r)
    return r.low + (r.high - r.low) * _beta_median(alpha, beta)


def format_range(r: Range, number: Any) -> str:
    """Return a range as a TOML inline table, numbers written by `number` (a value -> TOML text function)."""
    parts = [f"low = {number(r.low)}"]
    if r.mode is not None:
        parts.append(f"mode = {number(r.mode)}")
    parts.append(f"high = {number(r.high)}")
    return "{ " + ", ".join(parts) + " }"


def _parse_range(value: Mapping[str, Any] | Range, path: str, bounds: Bounds) -> tuple[Range | None, list[FieldIssue]]:
    """Return the Range a raw table describes, or the issues that stop it (each naming `path`)."""
    if isinstance(value, Range):
        value = value.model_dump(exclude_none=True)
    elif value.get("mode", 0) is None:
        value = {k: v for k, v in value.items() if k != "mode"}  # model_dump() writes an unset mode as None
    unknown = sorted(set(value) - RANGE_KEYS)
    if unknown:
        return None, [
            FieldIssue(
                path, f"unknown key {unknown[0]!r} in a range; expected {{ low, high }} or {{ low, mode, high }}"
            )
        ]
    missing = [k for k in ("low", "high") if k not in value]
    if missing:
        return None, [FieldIssue(path, f"a range needs both low and high (missing {', '.join(missing)})")]
    issues = []
    for key in ("low", "mode", "high"):
        if key not in value:
            continue
        item = value[key]
        if isinstance(item, bool) or not isinstance(item, int | float):
            issues.append(FieldIssue(path, f"range {key}: expected a number, got {item!r}"))
        elif not math.isfinite(item):
            issues.append(FieldIssue(path, f"range {key}: expected a finite number, got {item!r}"))
    if issues:
        return None, issues
    try:
        r = Range.model_validate(dict(value))
    except ValidationError as exc:
        return None, [FieldIssue(path, err["msg"]) for err in exc.errors()]
    for key in ("low", "mode", "high"):
        item = getattr(r, key)
        if item is not None and not bounds.contains(item):
            issues.append(
                FieldIssue(path, f"range {key} ({item:g}) is out of this field's bounds ({bounds.describe()})")
            )
    return (None if issues else r), issues


_PLAIN = frozenset({float, int, str, bool})


def _walk_raw(
    model: type[Any],
    raw: Mapping[str, Any],
    prefix: tuple[str, ...],
    ranges: dict[str, Range],
    issues: list[FieldIssue],
) -> dict[str, Any]:
    """Return a copy of raw table data with every in-place range replaced by its median (recorded in `ranges`)."""
    out = dict(raw)
    fields = model.model_fields
    for key, value in raw.items():
        # A plain number, text or flag holds no range: the common case, decided without an ABC check.
        plain = value.__class__ in _PLAIN
        info = fields.get(key)
        if info is None or key == "ranges" or plain:
            continue
        kind, sub = field_kind(info)
        keys = (*prefix, key)
        if kind == "number" and isinstance(value, Mapping | Range):
            path = format_path(keys)
            r, found = _parse_range(value, path, field_bounds(info))
            issues.extend(found)
            if r is not None:
                ranges[path] = r
                out[key] = range_median(r)
        elif kind == "table" and isinstance(value, Mapping):
            out[key] = _walk_raw(sub, value, keys, ranges, issues)
        elif kind == "tables" and isinstance(value, Mapping):
            out[key] = {
                name: _walk_raw(sub, child, (*keys, name), ranges, issues) if isinstance(child, Mapping) else child
                for name, child in value.items()
            }
        elif kind == "other" and is_range_table(value):
            issues.append(
                FieldIssue(
                    format_path(keys),
                    "this field cannot be a range (only decimal-number inputs can); give a single value",
                )
            )
    return out


def _set_in(data: dict[str, Any], keys: tuple[str, ...], value: Any) -> dict[str, Any]:
    """Return a copy of nested `data` with `keys` set to `value` (tables copied along the way, created if missing)."""
    out = dict(data)
    if len(keys) == 1:
        out[keys[0]] = value
    else:
        child = out.get(keys[0])
        out[keys[0]] = _set_in(dict(child) if isinstance(child, Mapping) else {}, keys[1:], value)
    return out


def extract_ranges(data: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Range], list[FieldIssue]]:
    """Return raw scenario data with ranges replaced by their medians, the ranges by dotted path, and any issues.

    Ranges are found where a number is expected. A `ranges` table (dotted path -> range,
    the in-memory form `Scenario.model_dump()` gives) is also read; a range written in
    place wins over it.
    """
    ranges: dict[str, Range] = {}
    issues: list[FieldIssue] = []
    out = _walk_raw(Scenario, data, (), ranges, issues)
    extra = data.get("ranges")
    out.pop("ranges", None)
    if extra is None:
        return out, ranges, issues
    if not isinstance(extra, Mapping):
        issues.append(FieldIssue("ranges", f"expected a table of dotted path = range, got {extra!r}"))
        return out, ranges, issues
    for raw_path, raw_range in extra.items():
        try:
            keys = split_path(str(raw_path))
        except ValueError as exc:
            issues.append(FieldIssue("ranges", str(exc)))
            continue
        path = format_path(keys)
        info = find_field(keys)
        if info is None or field_kind(info)[0] != "number":
            issues.append(FieldIssue(f"ranges.{format_path([path])}", f"{path} is not a numeric input"))
            continue
        if path in ranges:
            continue
        if not isinstance(raw_range, Mapping | Range):
            issues.append(FieldIssue(path, f"expected a range {{ low, high }}, got {raw_range!r}"))
            continue
        r, found = _parse_range(raw_range, path, field_bounds(info))
        issues.extend(found)
        if r is not None:
            ranges[path] = r
            out = _set_in(out, keys, range_median(r))
    return out, ranges, issues
