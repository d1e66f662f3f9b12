"""The numeric inputs of a scenario: where they are, what bounds they keep, how to replace one.

An *input* is a float field of a scenario table (`workload.prompt_tokens`,
`models."gpt-4.1-mini".input_per_mtok`, ...), found by walking the pydantic models, so a
field added to schema.py is an input without any change here. Whole numbers
(`horizon_months`), flags and names are not inputs.
"""

from __future__ import annotations

import types
from collections.abc import Iterator, Mapping
from functools import cache
from typing import Any, NamedTuple, Union, get_args, get_origin

import annotated_types
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from costmodel.model.bounds import Bounds
from costmodel.model.errors import CostmodelError
from costmodel.model.paths import format_path, split_path
from costmodel.model.schema import Scenario

__all__ = [
    "Bounds",
    "Input",
    "InputError",
    "field_bounds",
    "field_kind",
    "field_unit",
    "find_field",
    "numeric_inputs",
    "replace_values",
    "strip_optional",
    "value_at",
]


class InputError(CostmodelError):
    """A dotted path that does not name a numeric input of the scenario, or a value out of its bounds."""


class Input(NamedTuple):
    """One numeric input of a scenario: its dotted path, point value, bounds, unit and description."""

    path: str
    keys: tuple[str, ...]
    value: float
    bounds: Bounds
    unit: str
    description: str


def field_bounds(info: FieldInfo) -> Bounds:
    """Return the Bounds declared by a pydantic field's metadata."""
    found: dict[str, float] = {}
    for item in info.metadata:
        kinds: tuple[tuple[str, type], ...] = (
            ("ge", annotated_types.Ge),
            ("gt", annotated_types.Gt),
            ("le", annotated_types.Le),
            ("lt", annotated_types.Lt),
        )
        for name, kind in kinds:
            if isinstance(item, kind):
                found[name] = float(getattr(item, name))
    return Bounds(**found)


def strip_optional(annotation: Any) -> Any:
    """Return `X` for `X | None` (or Optional[X]); other annotations unchanged."""
    if get_origin(annotation) in (Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return annotation


@cache  # the schema's fields live as long as their classes; every edit walks them all
def field_kind(info: FieldInfo) -> tuple[str, Any]:
    """Return what a field holds: ("number", None), ("table", Model), ("tables", Model) or ("other", annotation).

    "tables" is a `dict[str, Model]` such as `[models]`.
    """
    annotation = strip_optional(info.annotation)
    if annotation is float:
        return "number", None
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return "table", annotation
    if get_origin(annotation) is dict:
        args = get_args(annotation)
        if len(args) == 2 and isinstance(args[1], type) and issubclass(args[1], BaseModel):
            return "tables", args[1]
    return "other", annotation


def find_field(keys: tuple[str, ...], model: type[BaseModel] = Scenario) -> FieldInfo | None:
    """Return the pydantic field a key path names (model names in `[models]` match any key), or None."""
    current: type[BaseModel] | None = model
    info: FieldInfo | None = None
    i = 0
    while i < len(keys):
        if current is None:
            return None
        info = current.model_fields.get(keys[i])
        if info is None or keys[i] == "ranges":
            return None
        kind, sub = field_kind(info)
        i += 1
        if kind == "table":
            current = sub
        elif kind == "tables":
            if i >= len(keys):
                return None
            current = sub
            i += 1
        else:
            current = None
    return info if current is None else None


def field_unit(info: FieldInfo) -> str:
    """Return the unit kept in a field's json_schema_extra, or ''."""
    extra = info.json_schema_extra
    return str(extra.get("unit", "")) if isinstance(extra, Mapping) else ""


def _walk(node: BaseModel, prefix: tuple[str, ...]) -> Iterator[Input]:
    """Yield the numeric inputs under one model instance, in field order."""
    for name, info in type(node).model_fields.items():
        if name == "ranges":
            continue
        kind, _ = field_kind(info)
        value = getattr(node, name)
        keys = (*prefix, name)
        if kind == "number" and value is not None:
            yield Input(
                format_path(keys), keys, float(value), field_bounds(info), field_unit(info), info.description or ""
            )
        elif kind == "table" and value is not None:
            yield from _walk(value, keys)
        elif kind == "tables":
            for key, child in value.items():
                yield from _walk(child, (*keys, key))


def numeric_inputs(scenario: Scenario) -> list[Input]:
    """Return every numeric input that is set in `scenario` (unset optional prices are left out), in file order."""
    return list(_walk(scenario, ()))


def value_at(scenario: Scenario, path: str) -> Input:
    """Return the Input at a dotted path of `scenario`.

    Raises InputError naming the path when it is not a numeric input or is unset.
    """
    try:
        keys = split_path(path)
    except ValueError as exc:
        raise InputError(str(exc)) from None
    canonical = format_path(keys)
    for item in numeric_inputs(scenario):
        if item.path == canonical:
            return item
    info = find_field(keys)
    if info is not None and field_kind(info)[0] == "number":
        raise InputError(f"{canonical}: is not set in this scenario")
    raise InputError(f"{canonical}: not a numeric input of the scenario (e.g. workload.requests_per_month)")


def replace_values(scenario: Scenario, values: Mapping[tuple[str, ...], Any]) -> Scenario:
    """Return a copy of `scenario` with the values at the given key paths replaced, without validation.

    The values may be floats or numpy arrays (the Monte Carlo evaluator passes arrays);
    the caller keeps them within the fields' bounds. `ranges` is left as it is.
    """
    if not values:
        return scenario
    grouped: dict[str, dict[tuple[str, ...], Any]] = {}
    direct: dict[str, Any] = {}
    for keys, value in values.items():
        if len(keys) == 1:
            direct[keys[0]] = value
        else:
            grouped.setdefault(keys[0], {})[keys[1:]] = value
    update: dict[str, Any] = dict(direct)
    for head, rest in grouped.items():
        child = getattr(scenario, head)
        if isinstance(child, BaseModel):
            update[head] = replace_values(child, rest)  # type: ignore[arg-type]
        else:
            by_key: dict[str, dict[tuple[str, ...], Any]] = {}
            for keys, value in rest.items():
                by_key.setdefault(keys[0], {})[keys[1:]] = value
            table = dict(child)
            for key, sub in by_key.items():
                table[key] = replace_values(table[key], sub)
            update[head] = table
    return scenario.model_copy(update=update)
