"""The open scenario and its history, independent of Textual: edits, steps, undo/redo, saving.

The UI holds one `Document`. Every edit builds a new validated Scenario from the raw data
(so cross-field checks, such as a model that must exist in `[models]`, hold in the UI as
in files), pushes the old one on the undo stack, and leaves the computing to the engine.
"""

from __future__ import annotations

import copy
import math
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from costmodel.files.layering import layer_refs
from costmodel.files.presets import is_bundled
from costmodel.files.scenario_io import LoadedScenario, fingerprint, load_document, save_scenario, scenario_data
from costmodel.model.errors import ScenarioError, ScenarioValidationError
from costmodel.model.schema import Range, Scenario
from costmodel.model.validation import validate_scenario
from costmodel.tui.edit_errors import ChangedOnDisk, EditError, NeedsPath
from costmodel.tui.field_walk import field_specs
from costmodel.tui.fields import FieldSpec, format_number
from costmodel.tui.finite import checked_estimate, overflow_message
from costmodel.tui.scale import step_value

__all__ = [
    "ChangedOnDisk",
    "Document",
    "EditError",
    "NeedsPath",
    "parse_number",
]

_MAX_HISTORY = 500
# Steps of one field closer together than this (seconds, a held arrow key) are one undo step.
BURST_SECONDS = 0.5
# shift+→ widens a range by this factor around its median; shift+← narrows it by its inverse.
_WIDEN = 1.25
_RANGE_TEXT = re.compile(r"^\s*(\S+?)\s*(?:\.\.|–|—|\bto\b)\s*(\S+?)(?:\s*(?:\.\.|–|—|\bto\b)\s*(\S+?))?\s*$")


def parse_number(text: str, whole: bool = False) -> float:
    """Return the number a person typed: `50000`, `50,000`, `50_000`, `5e4`, `12k`, `1.5M`, `3%`.

    Raises EditError naming what was expected. NaN and infinities are refused.
    """
    cleaned = text.strip().replace(",", "").replace("_", "").replace(" ", "")
    if not cleaned:
        raise EditError("expected a number")
    scale = 1.0
    suffixes = {"k": 1e3, "K": 1e3, "m": 1e6, "M": 1e6, "b": 1e9, "B": 1e9, "%": 0.01}
    if cleaned[-1] in suffixes:
        scale = suffixes[cleaned[-1]]
        cleaned = cleaned[:-1]
    try:
        value = float(cleaned) * scale
    except ValueError:
        raise EditError(f"expected a number, got {text.strip()!r}") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise EditError(f"expected a finite number, got {text.strip()!r}")
    if scale == 0.01:
        value = round(value, 12)
    if whole:
        if value != int(value):
            raise EditError(f"expected a whole number, got {text.strip()!r}")
        return int(value)
    return value


def _range_points(r: Range) -> list[float]:
    """Return a range's numbers as typed: low and high, with the mode between them for a PERT."""
    return [r.low, r.high] if r.mode is None else [r.low, r.mode, r.high]


def _range_value(points: list[float]) -> dict[str, float]:
    """Return the table a range is saved as, from its points (two: low, high; three: low, mode, high)."""
    if len(points) == 2:
        return {"low": points[0], "high": points[1]}
    return {"low": points[0], "mode": points[1], "high": points[2]}


def _significant(value: float, digits: int = 4) -> float:
    """Return `value` rounded to `digits` significant digits (a shifted range keeps no float noise)."""
    if value == 0 or not math.isfinite(value):
        return value
    return round(value, digits - 1 - math.floor(math.log10(abs(value))))


def _set(data: dict[str, Any], keys: tuple[str, ...], value: Any) -> None:
    """Set `value` at `keys` in nested dicts, creating tables on the way; None removes the key."""
    node = data
    for key in keys[:-1]:
        node = node.setdefault(key, {})
    if value is None:
        node.pop(keys[-1], None)
    else:
        node[keys[-1]] = value


def _get(data: Any, keys: tuple[str, ...]) -> Any:
    for key in keys:
        if not isinstance(data, dict) or key not in data:
            return None
        data = data[key]
    return data


@dataclass
class Document:
    """The scenario being edited, where it came from, and its undo/redo history."""

    scenario: Scenario
    path: Path | None = None
    read_only: bool = False
    loaded: Scenario | None = None
    saved: Scenario | None = None
    digest: str | None = None
    layers: dict[str, Any] = field(default_factory=dict)
    undo_stack: list[Scenario] = field(default_factory=list)
    redo_stack: list[Scenario] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.loaded is None:
            self.loaded = self.scenario
        if self.saved is None:
            self.saved = self.scenario
        self._specs: list[FieldSpec] | None = None
        self._specs_of: tuple[object, ...] | None = None
        self._loaded_data: dict[str, Any] | None = None
        self._burst: tuple[str, float] | None = None  # the field and time of the last keyboard step
        self.last_change = ""  # what the last undo or redo changed, in words
        # The date the UI estimates for; an edit's overflow check then gives the estimate the UI shows:
        # `checked` is the last scenario an edit checked, that date, and its estimate.
        self.today: date | None = None
        self.checked: tuple[Scenario, date | None, Any] | None = None

    @classmethod
    def open(cls, ref: str | Path) -> Document:
        """Return a Document for a scenario file or preset name (a bundled preset opens read-only)."""
        loaded: LoadedScenario = load_document(ref)
        path = loaded.path
        problem = overflow_message(loaded.scenario)
        if problem is not None:
            raise ScenarioError(f"{path or ref}: {problem}")
        read_only = path is not None and is_bundled(path)
        digest = fingerprint(path) if path is not None else None
        return cls(loaded.scenario, path, read_only, digest=digest, layers=layer_refs(loaded.text))

    # --- what is shown -----------------------------------------------------------------

    @property
    def modified(self) -> bool:
        """Return True when the scenario differs from what was last loaded or saved."""
        return self.scenario != self.saved

    @property
    def title(self) -> str:
        """Return the file (or preset) name with a `●` when there are unsaved edits."""
        where = self.path.name if self.path is not None else "new scenario"
        if self.read_only:
            where += " (preset, read-only)"
        return f"{where} ●" if self.modified else where

    def specs(self) -> list[FieldSpec]:
        """Return the grid rows of the current scenario (recomputed only when its shape changes)."""
        s = self.scenario
        shape = (tuple(s.models), tuple(s.gpus), s.rag.model, s.rag.embedding_model, s.fine_tune.model)
        if self._specs is None or self._specs_of != shape:
            self._specs = field_specs(self.scenario)
            self._specs_of = shape
        return self._specs

    def spec(self, path: str) -> FieldSpec:
        """Return the row at a dotted path; raise KeyError when the scenario has none."""
        for spec in self.specs():
            if spec.path == path:
                return spec
        raise KeyError(path)

    def value(self, spec: FieldSpec) -> Any:
        """Return the point value at a row (None when unset)."""
        node: Any = self.scenario
        for key in spec.keys:
            if node is None:
                return None
            node = node.get(key) if isinstance(node, dict) else getattr(node, key, None)
        return node

    def range_text(self, spec: FieldSpec) -> str | None:
        """Return a ranged value as `10 .. 40 (median 20)`, or None when the value is a point."""
        r = self.scenario.ranges.get(spec.path)
        if r is None:
            return None
        body = " .. ".join(format_number(p) for p in _range_points(r))
        return f"{body} (median {format_number(float(self.value(spec)))})"

    def edit_text(self, spec: FieldSpec) -> str:
        """Return the text an editor starts from: the value as typed, or a range as `low .. high`."""
        r = self.scenario.ranges.get(spec.path)
        if r is not None:
            return " .. ".join(repr_number(p) for p in _range_points(r))
        value = self.value(spec)
        if value is None:
            return ""
        if spec.kind == "flag":
            return "true" if value else "false"
        if spec.numeric:
            return repr_number(float(value))
        return str(value)

    # --- edits -------------------------------------------------------------------------

    def _validated(self, keys: tuple[str, ...], value: Any) -> Scenario:
        """Return the scenario with `value` at `keys`, validated; raise EditError with the message for that field."""
        data = scenario_data(self.scenario)
        _set(data, keys, value)
        try:
            new = validate_scenario(data)
        except ScenarioValidationError as exc:
            raise EditError("; ".join(str(i) for i in exc.issues)) from None
        est, problem = checked_estimate(new, self.today)
        if problem is not None:
            raise EditError(f"refused, the figures would overflow: {problem}")
        self.checked = (new, self.today, est)
        return new

    def parse(self, spec: FieldSpec, text: str) -> Any:
        """Return the value a typed text means for a row (a number, a range table, a flag or a text)."""
        stripped = text.strip()
        if spec.numeric:
            if not stripped and spec.optional:
                return None
            match = _RANGE_TEXT.match(stripped)
            if match and spec.kind == "number":
                return _range_value([parse_number(g) for g in match.groups() if g is not None])
            return parse_number(stripped, whole=spec.kind == "whole")
        if spec.kind == "flag":
            lowered = stripped.lower()
            if lowered in ("true", "yes", "y", "1", "on"):
                return True
            if lowered in ("false", "no", "n", "0", "off"):
                return False
            if not lowered and spec.optional:
                return None
            raise EditError(f"expected yes or no, got {stripped!r}")
        if spec.choices and spec.kind == "choice" and stripped not in spec.choices:
            raise EditError(f"expected one of {', '.join(spec.choices)}, got {stripped!r}")
        return stripped

    def preview(self, spec: FieldSpec, text: str) -> Scenario:
        """Return the scenario a typed text would give, without applying it; raise EditError when invalid."""
        return self._validated(spec.keys, self.parse(spec, text))

    def set_text(self, spec: FieldSpec, text: str) -> Scenario:
        """Apply a typed value to a row and return the new scenario; raise EditError (nothing applied)."""
        return self.apply(self.preview(spec, text))

    def set_value(self, spec: FieldSpec, value: Any, record: bool = True) -> Scenario:
        """Apply a value (a slider position, a toggled flag) to a row; return the new scenario.

        With `record` False the change replaces the current state without a new undo step
        (a mouse drag records one step when it ends).
        """
        new = self._validated(spec.keys, value)
        return self.apply(new) if record else self._replace(new)

    def step(self, spec: FieldSpec, direction: int, big: bool = False, now: float | None = None) -> Scenario:
        """Step a numeric row by one slider notch (shift: ten) and return the new scenario.

        A ranged value shifts as a whole, so it stays a range: for quantities and money the low
        end takes one step and mode and high follow by the same ratio; otherwise every point
        moves by the median's step.
        With `now` (a monotonic time in seconds), steps of the same field less than
        BURST_SECONDS apart are one undo step (a held key).
        """
        r = self.scenario.ranges.get(spec.path)
        current = self.value(spec)
        # A range's median carries float noise (0.05000000000000004): step from the number it stands for.
        base = 0.0 if current is None else _significant(float(current), 12)
        new = step_value(base, direction, spec.step, big, spec.bounds.lowest, spec.bounds.highest)
        if spec.kind == "whole":
            new = round(new)
            if new == base:
                new = int(base) + direction
                new = max(min(new, spec.bounds.highest), spec.bounds.lowest)
        if new == base:
            return self.scenario
        if r is not None:
            if spec.step in ("quantity", "money") and r.low > 0 and base > 0:
                # The low end takes one step (a round 5 %), the rest follow by the same ratio.
                low = step_value(r.low, direction, spec.step, big, spec.bounds.lowest, spec.bounds.highest)
                points = [_significant(p * low / r.low) for p in _range_points(r)]
            else:
                delta = new - base
                points = [_significant(round(p + delta, 12), 6) for p in _range_points(r)]
            value: Any = _range_value(points)
        else:
            value = new
        scenario = self._validated(spec.keys, value)
        return self._record_step(spec, scenario, now)

    def widen(self, spec: FieldSpec, direction: int, now: float | None = None) -> Scenario:
        """Widen (`direction` +1) or narrow (-1) a ranged row around its median; return the new scenario.

        Positive quantities widen geometrically (low stays above zero); others linearly. A
        PERT's mode stays where it is (inside the new bounds). Raises EditError for a point value.
        """
        r = self.scenario.ranges.get(spec.path)
        if r is None:
            raise EditError("not a range: type one like 10 .. 40 first; shift+←/→ then narrows or widens it")
        factor = _WIDEN if direction > 0 else 1 / _WIDEN
        median = float(self.value(spec))
        if r.low > 0 and median > 0:
            low = median * (r.low / median) ** factor
            high = median * (r.high / median) ** factor
        else:
            low = median - (median - r.low) * factor
            high = median + (r.high - median) * factor
        low, high = _significant(low), _significant(high)
        if low == r.low and high == r.high:
            return self.scenario
        points = [low, high] if r.mode is None else [low, min(max(r.mode, low), high), high]
        return self._record_step(spec, self._validated(spec.keys, _range_value(points)), now)

    def _record_step(self, spec: FieldSpec, scenario: Scenario, now: float | None) -> Scenario:
        """Apply a keyboard step, merged into the previous one when it continues a burst on the same field."""
        burst = self._burst
        merge = (
            now is not None
            and burst is not None
            and burst[0] == spec.path
            and now - burst[1] <= BURST_SECONDS
            and bool(self.undo_stack)
        )
        if merge:
            self.redo_stack.clear()
            self._replace(scenario)
        else:
            self.apply(scenario)
        self._burst = (spec.path, now) if now is not None else None
        return scenario

    def toggle(self, spec: FieldSpec) -> Scenario:
        """Flip a yes/no row (an unset optional flag becomes yes) and return the new scenario."""
        current = self.value(spec)
        return self.set_value(spec, not bool(current))

    def cycle(self, spec: FieldSpec, direction: int) -> Scenario:
        """Move a choice or model row to the next (or previous) value that makes a valid scenario.

        Choices the scenario cannot use are skipped (an embedding model has no output price for
        `rag.model`); raises EditError with the first refusal when none of the others fits.
        """
        if not spec.choices:
            return self.scenario
        current = self.value(spec)
        index = spec.choices.index(current) if current in spec.choices else -1
        first_error: EditError | None = None
        for offset in range(1, len(spec.choices) + 1):
            choice = spec.choices[(index + direction * offset) % len(spec.choices)]
            if choice == current:
                continue
            try:
                return self.set_value(spec, choice)
            except EditError as exc:
                first_error = first_error or exc
        if first_error is not None:
            raise first_error
        return self.scenario

    def edited_paths(self) -> set[str]:
        """Return the paths of the rows whose value (or range) differs from the scenario as loaded."""
        if self.scenario == self.loaded:
            return set()
        now, then = scenario_data(self.scenario), self._loaded_values()
        return {spec.path for spec in self.specs() if _get(now, spec.keys) != _get(then, spec.keys)}

    def _loaded_values(self) -> dict[str, Any]:
        """Return the loaded scenario as plain data (worked out once: it never changes)."""
        if self._loaded_data is None:
            assert self.loaded is not None
            self._loaded_data = scenario_data(self.loaded)
        return self._loaded_data

    def reset(self, spec: FieldSpec) -> Scenario:
        """Return the row to its value when the file was loaded (ranges included)."""
        original = copy.deepcopy(_get(self._loaded_values(), spec.keys))  # a range table must not be shared
        return self.set_value(spec, original)

    def apply(self, new: Scenario) -> Scenario:
        """Make `new` current, recording the old scenario for undo; return `new`."""
        self._burst = None
        if new == self.scenario:
            return self.scenario
        self._record_undo_step()
        self.scenario = new
        return new

    def _replace(self, new: Scenario) -> Scenario:
        self.scenario = new
        return new

    def begin_gesture(self) -> None:
        """Record the current scenario as one undo step for a gesture (a drag) applied with record=False."""
        self._record_undo_step()

    def _record_undo_step(self) -> None:
        self.undo_stack.append(self.scenario)
        del self.undo_stack[:-_MAX_HISTORY]
        self.redo_stack.clear()

    def end_gesture(self) -> None:
        """Drop the gesture's undo step when the gesture changed nothing."""
        if self.undo_stack and self.undo_stack[-1] == self.scenario:
            self.undo_stack.pop()

    def undo(self) -> bool:
        """Step back one edit; return False when there is nothing to undo."""
        return self._travel(self.undo_stack, self.redo_stack)

    def redo(self) -> bool:
        """Step forward one undone edit; return False when there is nothing to redo."""
        return self._travel(self.redo_stack, self.undo_stack)

    def _travel(self, source: list[Scenario], target: list[Scenario]) -> bool:
        """Make the last scenario of `source` current, keeping the current one on `target`.

        `last_change` then says what changed (`fine_tune.model: gpt-4.1-nano → gpt-4.1-mini`).
        """
        self._burst = None
        if not source:
            return False
        before = self.scenario
        target.append(before)
        self.scenario = source.pop()
        from costmodel.tui.recovery import differences

        changes = differences(before, self.scenario)
        shown = "; ".join(changes[:2]) + (f" (+{len(changes) - 2} more)" if len(changes) > 2 else "")
        self.last_change = shown or "no visible change"
        return True

    # --- files -------------------------------------------------------------------------

    def changed_on_disk(self) -> bool:
        """Return True when the file is not what was loaded or last saved (edited or removed elsewhere)."""
        if self.path is None or self.digest is None:
            return False
        return fingerprint(self.path) != self.digest

    def save(self, path: Path | None = None, force: bool = False) -> Path:
        """Write the scenario atomically and return the file written.

        Without `path` it saves to the document's own file: raises NeedsPath for a preset or
        a new scenario, and ChangedOnDisk when the file changed since it was loaded (unless
        `force`). With `path` it is "save as": the document then belongs to that file.
        """
        target = Path(path) if path is not None else self.path
        if target is None or (path is None and self.read_only):
            raise NeedsPath("this scenario has no file of its own: save it under a new name")
        if path is not None and is_bundled(target):
            raise NeedsPath("bundled presets are never overwritten: choose a path outside the package")
        if path is None and not force and self.changed_on_disk():
            raise ChangedOnDisk(f"{target} changed on disk since it was loaded")
        self.digest = save_scenario(self.scenario, target, self.layers)
        self.path = target
        self.read_only = False
        self.saved = self.scenario
        return target

    def export(self, path: Path) -> Path:
        """Write a copy of the scenario to `path` (the document keeps its own file); return the path."""
        if is_bundled(Path(path)):
            raise NeedsPath("bundled presets are never overwritten: choose a path outside the package")
        save_scenario(self.scenario, Path(path))
        return Path(path)


def repr_number(value: float) -> str:
    """Return a number as plain text a person can edit: `50000`, `0.02`, `1.5` (no separators)."""
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return repr(value)
