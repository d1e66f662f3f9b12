"""Find the rows of the input grid by walking the scenario's pydantic models.

A field added to schema.py shows up in the grid without a change here. Optional tables that
are absent (`self_host`, `self_train`) are left out: they need several values at once and are
added in the TOML file; `[needs]` is always listed, because each of its flags stands alone.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal, get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from costmodel.model.bounds import Bounds
from costmodel.model.inputs import field_bounds, field_kind, field_unit, strip_optional
from costmodel.model.paths import format_path
from costmodel.model.schema import Needs, Scenario
from costmodel.tui.fields import FieldKind, FieldSpec, StepKind

__all__ = ["field_specs"]

# Top-level keys that are not inputs a person edits in the grid.
_SKIPPED = {"schema_version", "ranges"}
# Quantities whose sliders run on a log track: they span orders of magnitude.
_VOLUME_UNITS = {"requests/month", "tokens", "tokens/s"}
_COUNT_UNITS = {
    "examples",
    "epochs",
    "months",
    "GPUs",
    "updates/month",
    "retrains/year",
    "engineer-days",
    "engineer-days/month",
    "expert-minutes",
}


def _step_kind(unit: str, bounds: Bounds, whole: bool) -> StepKind:
    """Return how a keyboard step moves a value of this unit and bounds."""
    if unit.startswith("fraction") or (bounds.highest == 1 and bounds.lowest >= 0):
        return "fraction"
    if whole or unit in _COUNT_UNITS:
        return "count"
    if unit.startswith(("currency", "USD")):
        return "money"
    return "quantity"


def _spec(keys: tuple[str, ...], section: str, info: FieldInfo, scenario: Scenario) -> FieldSpec | None:
    """Return the row of one scalar field, or None for fields the grid does not edit (lists, tables)."""
    annotation = strip_optional(info.annotation)
    optional = info.default is None  # an optional price or flag: it may be left unset
    unit = field_unit(info)
    bounds = field_bounds(info)
    help_text = (info.description or "").strip()
    label = keys[-1]
    choices: tuple[str, ...] = ()
    if annotation is float:
        kind: FieldKind = "number"
    elif annotation is int:
        kind = "whole"
    elif annotation is bool:
        kind = "flag"
    elif annotation is str:
        kind = "text"
        if "key into [models]" in help_text:
            kind, choices = "model", tuple(scenario.models)
        elif "key into [gpus]" in help_text:
            kind, choices = "model", tuple(scenario.gpus)
    elif get_origin(annotation) is Literal:
        kind, choices = "choice", tuple(str(a) for a in get_args(annotation))
    else:
        return None
    step = _step_kind(unit, bounds, kind == "whole")
    return FieldSpec(
        path=format_path(keys),
        keys=keys,
        section=section,
        label=label,
        kind=kind,
        unit=unit,
        help=help_text,
        bounds=bounds,
        step=step,
        volume=unit in _VOLUME_UNITS,
        optional=optional,
        choices=choices,
    )


def _walk(
    model: type[BaseModel],
    node: BaseModel | None,
    keys: tuple[str, ...],
    scenario: Scenario,
    show_unset: bool = True,
) -> Iterator[FieldSpec]:
    """Yield the rows of one table (its scalar fields, then its sub-tables)."""
    section = format_path(keys)
    nested: list[tuple[str, str, type[BaseModel]]] = []
    for name, info in model.model_fields.items():
        if not keys and name in _SKIPPED:
            continue
        kind, sub = field_kind(info)
        if kind in ("table", "tables"):
            nested.append((name, kind, sub))
            continue
        spec = _spec((*keys, name), section, info, scenario)
        if spec is not None and (show_unset or node is None or getattr(node, name) is not None):
            yield spec
    for name, kind, sub in nested:
        value = getattr(node, name) if node is not None else None
        if kind == "tables":
            used = _used_models(scenario) if name == "models" else None
            for key, child in (value or {}).items():
                yield from _walk(sub, child, (*keys, name, key), scenario, used is None or key in used)
        elif value is not None or sub is Needs:
            yield from _walk(sub, value, (*keys, name), scenario)


def _used_models(scenario: Scenario) -> set[str]:
    """Return the model names the strategies use (their unset prices are offered as rows)."""
    return {scenario.rag.model, scenario.rag.embedding_model, scenario.fine_tune.model}


def field_specs(scenario: Scenario) -> list[FieldSpec]:
    """Return every row of the grid for `scenario`, grouped by section in file order.

    Unset prices are listed only for the models the strategies use, so a catalog of many
    models does not bury the grid under empty rows.
    """
    return list(_walk(Scenario, scenario, (), scenario))
