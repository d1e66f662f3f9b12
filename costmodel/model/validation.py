"""Turn raw scenario data into a Scenario, translating pydantic errors into FieldIssues."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from costmodel.model.errors import FieldIssue, ScenarioValidationError
from costmodel.model.paths import format_path
from costmodel.model.schema import Scenario
from costmodel.model.text import shorten

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
    "tuple_type": "expected a list",
    "list_type": "expected a list",
    "date_type": "expected a date YYYY-MM-DD",
}
_ECHO = 60  # characters of a given value echoed in a message


def _number(value: Any) -> str:
    """Return a bound as written by a person: 0 rather than 0.0."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _describe(error: Any) -> str:
    """Return a short 'what was expected, what was given' text for one pydantic error."""
    kind = error["type"]
    given = _given(error.get("input"))
    if kind == "missing":
        return _TYPE_WORDS[kind]
    if kind == "extra_forbidden":
        return _TYPE_WORDS[kind]
    if kind in _TYPE_WORDS:
        return f"{_TYPE_WORDS[kind]}, got {given}"
    ctx = error.get("ctx") or {}
    bounds = {
        "greater_than_equal": ">= {ge}",
        "greater_than": "> {gt}",
        "less_than_equal": "<= {le}",
        "less_than": "< {lt}",
    }
    if kind in bounds:
        limits = {k: _number(v) for k, v in ctx.items()}
        return f"expected a number {bounds[kind].format(**limits)}, got {given}"
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "literal_error":
        return f"expected {ctx.get('expected')}, got {given}"
    return shorten(error["msg"], 300)


def _given(value: Any) -> str:
    """Return a given value as echoed in a message: its repr, control characters escaped, cut to a readable length."""
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list | tuple) and len(repr(value)) > _ECHO:
        return f"a list of {len(value)}"
    return shorten(repr(value), _ECHO)


def issues_from(error: ValidationError) -> list[FieldIssue]:
    """Return one FieldIssue per pydantic error, with dotted paths such as `fine_tune.epochs`."""
    issues = []
    for err in error.errors():
        ctx = err.get("ctx") or {}
        if err["type"] == "several":
            issues += [FieldIssue(path, shorten(message, 300)) for path, message in ctx["issues"]]
            continue
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
    # Here, not at the top: the loader validates data that cannot hold a range without this function.
    from costmodel.model.ranges import extract_ranges

    data, ranges, range_issues = extract_ranges(data)
    if range_issues:
        raise ScenarioValidationError(source, range_issues)
    if ranges:
        data = {**data, "ranges": ranges}
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        raise ScenarioValidationError(source, issues_from(exc)) from None
