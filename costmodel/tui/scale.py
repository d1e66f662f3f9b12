"""Slider arithmetic for the terminal UI: tracks, positions, tidy values and keyboard steps.

Pure functions only (no Textual import), so the rules can be tested without a terminal.

Keyboard steps (`step_value`) always land on a grid, so repeated steps give tidy values:

- ``"fraction"``: multiples of 0.01.
- ``"count"``: whole numbers.
- ``"quantity"`` and ``"money"``: multiples of a step that is 5 % of the value rounded down
  to 1, 2, 2.5 or 5 times a power of ten (between 2.5 % and 5 % of the value), e.g.
  50,000 -> 52,500 -> 55,000 and 100,000 -> 105,000. Stepping down uses the step of the
  values just below (100,000 -> 97,500), so from a value on the grid a step up followed by a
  step down returns to the start. A value off the grid moves to the next grid value. From 0,
  one step goes to 1 (``"quantity"``) or 0.01 (``"money"``); down from exactly that
  unit goes back to 0 when 0 is allowed. Negative values mirror positive ones.
- ``big=True`` makes ten ordinary steps (about x1.6 or x0.6 for quantities and money).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

__all__ = [
    "STEP_KINDS",
    "SliderScale",
    "round_significant",
    "scale_for",
    "short_label",
    "step_value",
]

STEP_KINDS = ("fraction", "count", "quantity", "money")
"""The `kind` values `step_value` accepts."""

_FRACTION_STEP = Decimal("0.01")
_COUNT_STEP = Decimal(1)
# The first step up from 0, and the value from which a step down goes back to 0.
_UNITS = {"quantity": Decimal(1), "money": Decimal("0.01")}
# Step mantissas of the quantity/money grid, largest first (2.5 is written as 25 x 10^(e-1)).
_MANTISSAS = ((5, 0), (25, -1), (2, 0), (1, 0))
_BIG_STEPS = 10
# A volume track whose value is 0 cannot be logarithmic; it gets this linear range instead.
_ZERO_VOLUME_HIGH = 1000.0
# The lowest low end of a log track, so that the powers of ten around a value stay floats.
_TINY = 1e-300
# Round numbers a linear track may end at (times a power of ten).
_LADDER = (1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0)


def _decimal(value: float) -> Decimal:
    """Return `value` as the Decimal of its shortest repr (0.1 -> Decimal('0.1'), not the binary expansion)."""
    return Decimal(repr(float(value)))


def round_significant(value: float, digits: int = 3) -> float:
    """Return `value` rounded to `digits` significant digits, without float noise (52318.77 -> 52300.0)."""
    if digits < 1:
        raise ValueError(f"digits must be >= 1, not {digits}")
    if value == 0 or not math.isfinite(value):
        return value
    exponent = _decimal(value).adjusted()
    return round(value, digits - 1 - exponent)


@dataclass(frozen=True)
class SliderScale:
    """A slider track from `low` (left end) to `high` (right end), linear or logarithmic (`log`).

    `low == high` is allowed (a fixed input): every value then sits at the left end.
    """

    low: float
    high: float
    log: bool = False

    def __post_init__(self) -> None:
        # Ints from callers (SliderScale(0, 1)) become floats, so `low`/`high` are always floats.
        object.__setattr__(self, "low", float(self.low))
        object.__setattr__(self, "high", float(self.high))
        if not (math.isfinite(self.low) and math.isfinite(self.high)):
            raise ValueError(f"slider ends must be finite, not {self.low!r}..{self.high!r}")
        if self.low > self.high:
            raise ValueError(f"slider low end {self.low!r} is above its high end {self.high!r}")
        if self.log and self.low <= 0:
            raise ValueError(f"a logarithmic slider needs ends > 0, not {self.low!r}..{self.high!r}")

    def to_fraction(self, value: float) -> float:
        """Return the position of `value` along the track, 0 (low end) to 1 (high end), clamped; NaN gives 0."""
        if not value > self.low or self.high == self.low:
            return 0.0
        if value >= self.high:
            return 1.0
        if self.log:
            low = math.log10(self.low)
            fraction = (math.log10(value) - low) / (math.log10(self.high) - low)
        else:
            fraction = (value - self.low) / (self.high - self.low)
        return min(max(fraction, 0.0), 1.0)

    def from_fraction(self, fraction: float) -> float:
        """Return the value at position `fraction` (clamped to 0..1) along the track; exact at both ends."""
        if not fraction > 0:
            return self.low
        if fraction >= 1:
            return self.high
        if self.log:
            low = math.log10(self.low)
            value = 10 ** (low + fraction * (math.log10(self.high) - low))
        else:
            value = self.low + fraction * (self.high - self.low)
        return min(max(value, self.low), self.high)

    def nice(self, value: float, digits: int = 3) -> float:
        """Return `value` (picked by the mouse) tidied, and clamped to the track; the ends are kept exactly.

        On a log track the value is rounded to `digits` significant digits (52,318.77 -> 52,300); on a
        linear track to `digits` significant digits of the track's length, so a click on 0..200,000
        gives 52,000 and one on 1,000..1,010 still gives 1,005.23 rather than 1,010.
        """
        if not value > self.low:
            return self.low
        if value >= self.high:
            return self.high
        size = value if self.log else self.high - self.low
        places = digits - 1 - _decimal(size).adjusted()
        return min(max(round(value, places), self.low), self.high)


def _round_up_ladder(value: float) -> float:
    """Return the smallest round number (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 x 10^k) >= `value` > 0."""
    power = 10.0 ** math.floor(math.log10(value))
    for step in _LADDER:
        if step * power >= value:
            return round_significant(step * power, 2)
    return round_significant(10 * power, 2)


def scale_for(value: float, lowest: float, highest: float, volume: bool) -> SliderScale:
    """Return a sensible slider track for an input now at `value`, allowed within [`lowest`, `highest`].

    `lowest`/`highest` may be -inf/inf. The track always lies within the bounds and, unless the
    value is outside them, contains the value:

    - Fractions (bounds within 0..1): linear over the bounds, normally 0..1.
    - Volumes (`volume=True`: requests, tokens) above 0: logarithmic from the power of ten at or
      below value/100 to the power of ten at or above value x 100 (100 -> 1..10,000, with the
      value in the middle; 52,300 -> 100..10,000,000), clamped to the bounds.
    - A volume of 0 (or below 1e-298): linear from max(lowest, 0) to 1,000.
    - Anything else: linear from max(lowest, 0) to a round number (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6
      or 8 x 10^k) of 2 to 2.7 times the value, at least 1 (50 -> 0..100, 0.3 -> 0..1); negative
      values mirror this below 0.

    Raises ValueError for a value that is not finite or bounds with lowest > highest.
    """
    if not math.isfinite(value):
        raise ValueError(f"cannot build a slider around {value!r}")
    if lowest > highest:
        raise ValueError(f"bounds {lowest!r}..{highest!r} are empty")
    value = min(max(value, lowest), highest)
    if lowest >= 0 and highest <= 1:
        return SliderScale(lowest, highest)
    if volume and value >= _TINY * 100:
        decade = math.log10(value)
        # The limits keep both ends representable for values near the ends of the float range.
        low = max(10.0 ** math.floor(decade - 2), _TINY)
        high = max(10.0 ** min(math.ceil(decade + 2), 308), value)
        if lowest > 0:
            low = max(low, lowest)
        high = max(min(high, highest), low)
        return SliderScale(low, high, log=True)
    if volume and value >= 0:
        low = max(lowest, 0.0)
        return SliderScale(low, max(min(_ZERO_VOLUME_HIGH, highest), low))
    reach = _round_up_ladder(min(max(2 * abs(value), 1.0), 1e308))
    if value >= 0:
        low = max(lowest, 0.0)
        high = max(min(highest, reach), low)
    else:
        high = min(highest, 0.0)
        low = min(max(lowest, -reach), high)
    return SliderScale(low, high)


def _quantity_step(size: Decimal, below: bool) -> Decimal:
    """Return the grid step for a quantity of `size` > 0: the largest 1/2/2.5/5 x 10^k <= size/20.

    With `below`, the step must be strictly below size/20: the step of the values just under `size`.
    """
    target = size / 20
    exponent = target.adjusted()
    for candidate_exponent in (exponent, exponent - 1):
        for mantissa, shift in _MANTISSAS:
            step = Decimal(mantissa).scaleb(candidate_exponent + shift)
            if step < target or (step == target and not below):
                return step
    raise AssertionError("unreachable: 5 x 10^(e-1) is always below a target of at least 10^e")


def _grid_step(value: Decimal, step: Decimal, direction: int) -> Decimal:
    """Return the next multiple of `step` strictly beyond `value` in `direction` (+1 up, -1 down)."""
    if direction > 0:
        return ((value / step).to_integral_value(ROUND_FLOOR) + 1) * step
    return ((value / step).to_integral_value(ROUND_CEILING) - 1) * step


def _one_step(value: Decimal, direction: int, kind: str, zero_allowed: bool) -> Decimal:
    """Return `value` moved by one keyboard step (see the module docstring), before clamping."""
    if kind == "fraction":
        return _grid_step(value, _FRACTION_STEP, direction)
    if kind == "count":
        return _grid_step(value, _COUNT_STEP, direction)
    if value < 0:
        return -_one_step(-value, -direction, kind, zero_allowed)
    unit = _UNITS[kind]
    if value == 0:
        return unit * direction
    if direction < 0 and value == unit and zero_allowed:
        return Decimal(0)
    return _grid_step(value, _quantity_step(value, below=direction < 0), direction)


def step_value(
    value: float,
    direction: int,
    kind: str,
    big: bool = False,
    lowest: float = -math.inf,
    highest: float = math.inf,
) -> float:
    """Return `value` after one keyboard slider step up (`direction` +1) or down (-1), in the value's unit.

    `kind` is one of STEP_KINDS; the step rules are in the module docstring. `big` (shift) makes ten
    steps. The result is clamped to [`lowest`, `highest`] (so is a `value` outside them) and is free of
    float noise (0.1 + one fraction step gives 0.11). Unless the value is at the bound it moves
    towards (or too close to 0 for a float to show 5 % of it), a step always changes it.

    Raises ValueError for an unknown kind, a direction other than +1/-1 or a value that is not finite.
    """
    if kind not in STEP_KINDS:
        raise ValueError(f"unknown step kind {kind!r}; expected one of {', '.join(STEP_KINDS)}")
    if direction not in (1, -1):
        raise ValueError(f"direction must be +1 or -1, not {direction!r}")
    if not math.isfinite(value):
        raise ValueError(f"cannot step {value!r}")
    if lowest > highest:
        raise ValueError(f"bounds {lowest!r}..{highest!r} are empty")
    value = min(max(value, lowest), highest)
    current = _decimal(value)
    zero_allowed = lowest <= 0 <= highest
    for _ in range(_BIG_STEPS if big else 1):
        current = _one_step(current, direction, kind, zero_allowed)
        if (direction > 0 and current >= highest) or (direction < 0 and current <= lowest):
            break
    return float(min(max(float(current), lowest), highest))


def short_label(value: float) -> str:
    """Return `value` as a short label for a slider end: 0, 0.25, 100, 10k, 2.5M, 1G, 1e-06."""
    value = round_significant(value, 3)
    for suffix, scale in (("T", 1e12), ("G", 1e9), ("M", 1e6), ("k", 1e3)):
        if abs(value) >= scale:
            return f"{round_significant(value / scale, 3):g}{suffix}"
    return f"{value:g}"
