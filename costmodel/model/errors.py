"""The exceptions costmodel raises for bad input, each with a message a user can act on."""

from __future__ import annotations

from typing import NamedTuple

from costmodel.model.paths import split_path

__all__ = [
    "CostmodelError",
    "FieldIssue",
    "NotFoundError",
    "ScenarioError",
    "ScenarioSyntaxError",
    "ScenarioValidationError",
]


class CostmodelError(Exception):
    """Base of every error that is the user's input, not a bug: the CLI exits 2 on it."""


class NotFoundError(CostmodelError):
    """A file, preset or pricing catalog that does not exist."""


class ScenarioError(CostmodelError):
    """A scenario (or catalog) file that cannot be read or does not make a valid scenario."""


class ScenarioSyntaxError(ScenarioError):
    """A file that is not valid UTF-8 TOML; carries the file, line and column."""

    def __init__(self, source: str, message: str, line: int | None = None, column: int | None = None):
        self.source = source
        self.line = line
        self.column = column
        self.reason = message
        where = source
        if line is not None:
            where += f":{line}"
            if column is not None:
                where += f":{column}"
        super().__init__(f"{where}: {message}")


class FieldIssue(NamedTuple):
    """One invalid value: the dotted path of the field, what was expected there, and where it is written.

    `line` 0 marks a value from the command line (`--set`); `source` names the file the
    value comes from when it is not the error's own file (a base the file extends).
    """

    path: str
    message: str
    line: int | None = None
    source: str | None = None

    def __str__(self) -> str:
        return f"{self.path or '(top level)'}: {self.message}"


class ScenarioValidationError(ScenarioError):
    """A well-formed file whose values break the schema; lists every offending field."""

    def __init__(self, source: str | None, issues: list[FieldIssue]):
        self.source = source
        self.issues = issues
        lines = []
        for issue in issues:
            where = issue.source or source or "scenario"
            if issue.line:  # 0 marks an issue that comes from the command line, not the file
                where += f":{issue.line}"
            lines.append(f"{where}: {issue}")
        super().__init__("\n".join(lines))

    def with_source(self, source: str, lines: dict[tuple[str, ...], int] | None = None) -> ScenarioValidationError:
        """Return a copy naming `source`, with line numbers looked up in `lines` by path."""
        lines = lines or {}
        located = [
            i if i.line is not None or i.source else FieldIssue(i.path, i.message, _line_for(i.path, lines))
            for i in self.issues
        ]
        return type(self)(source, located)

    def with_origins(self, source: str, origins: dict[tuple[str, ...], tuple[str, int]]) -> ScenarioValidationError:
        """Return a copy naming, for each issue, the file and line its value comes from.

        `origins` maps key paths to (file, line) across a file and the layers under it;
        an issue whose path is not found names `source` without a line.
        """
        located = []
        for i in self.issues:
            if i.line is not None or i.source:
                located.append(i)
                continue
            origin = _origin_for(i.path, origins)
            if origin is None or origin[0] == source:
                located.append(FieldIssue(i.path, i.message, origin[1] if origin else None))
            else:
                located.append(FieldIssue(i.path, i.message, origin[1], origin[0]))
        return type(self)(source, located)


def _origin_for(path: str, origins: dict[tuple[str, ...], tuple[str, int]]) -> tuple[str, int] | None:
    """Return the (file, line) of `path` or of its nearest enclosing table, if known."""
    try:
        parts = split_path(path)
    except ValueError:
        return None
    while parts:
        if parts in origins:
            return origins[parts]
        parts = parts[:-1]
    return None


def _line_for(path: str, lines: dict[tuple[str, ...], int]) -> int | None:
    """Return the line of `path` or of its nearest enclosing table, if known."""
    try:
        parts = split_path(path)
    except ValueError:
        return None
    while parts:
        if parts in lines:
            return lines[parts]
        parts = parts[:-1]
    return None
