"""Turn raw scenario data into a Scenario, translating pydantic errors into FieldIssues."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from costmodel.model.errors import FieldIssue, ScenarioValidationError
from costmodel.model.paths import format_path
from costmodel.model.ranges import extract_ranges
from costmodel.model.schema import Scenario

__all__ = ["validate_scenario"]

_TYPE_WORDS = {
    "float_type": "expected a number",
    "float_parsing": "expected a number",
    "int_type": "expected a whole number",
    "int_parsing": "expected a whole number",
    "int_from_float": "expected a whole number",
    "bool_type": "expected true or false",
    "bool_parsing": "expected true or false",
    "string_type": "expected a text string",
    "dict_type": "expected a table",
    "model_type": "expected a table",
    "missing": "is required but missing",
    "extra_forbidden": "unknown key (a typo?)",
    "finite_number": "expected a finite number, not NaN or infinity",
}


def _number(value: Any) -> str:
    """Return a bound as written by a person: 0 rather than 0.0."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _describe(error: Any) -> str:
    """Return a short 'what was expected, what was given' text for one pydantic error."""
    kind = error["type"]
    given = error.get("input")
    if kind == "missing":
        return _TYPE_WORDS[kind]
    if kind == "extra_forbidden":
        return _TYPE_WORDS[kind]
    if kind in _TYPE_WORDS:
        return f"{_TYPE_WORDS[kind]}, got {given!r}"
    ctx = error.get("ctx") or {}
    bounds = {
        "greater_than_equal": ">= {ge}",
        "greater_than": "> {gt}",
        "less_than_equal": "<= {le}",
        "less_than": "< {lt}",
    }
    if kind in bounds:
        limits = {k: _number(v) for k, v in ctx.items()}
        return f"expected a number {bounds[kind].format(**limits)}, got {given!r}"
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "literal_error":
        return f"expected {ctx.get('expected')}, got {given!r}"
    return error["msg"]


def issues_from(error: ValidationError) -> list[FieldIssue]:
    """Return one FieldIssue per pydantic error, with dotted paths such as `fine_tune.epochs`."""
    issues = []
    for err in error.errors():
        ctx = err.get("ctx") or {}
        loc = [part for part in err["loc"]]
        path = format_path(loc) if loc else str(ctx.get("path", ""))
        issues.append(FieldIssue(path, _describe(err)))
    return issues


def validate_scenario(data: dict[str, Any], source: str | None = None) -> Scenario:
    """Return a validated Scenario built from `data`.

    A range written where a number is expected (`{ low, high }` or `{ low, mode, high }`)
    is replaced by its median and kept in `Scenario.ranges`.
    Raises ScenarioValidationError naming every bad field with its dotted path.
    """
    data, ranges, range_issues = extract_ranges(data)
    if range_issues:
        raise ScenarioValidationError(source, range_issues)
    if ranges:
        data = {**data, "ranges": ranges}
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        raise ScenarioValidationError(source, issues_from(exc)) from None
