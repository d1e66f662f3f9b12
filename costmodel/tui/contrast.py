"""Contrast of text on its background (WCAG 2 relative luminance), and a colour made readable (no Textual at import)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.color import Color

__all__ = ["MINIMUM", "contrast", "readable"]

MINIMUM = 4.5
"""The least contrast of any text in the UI (WCAG AA for normal text)."""


def _luminance(colour: Color) -> float:
    def channel(value: int) -> float:
        v = value / 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(colour.r) + 0.7152 * channel(colour.g) + 0.0722 * channel(colour.b)


def contrast(foreground: Color, background: Color) -> float:
    """Return the contrast ratio of two opaque colours, 1 to 21 (a translucent foreground is blended first)."""
    if foreground.a < 1:
        foreground = background.blend(foreground.with_alpha(1), foreground.a)
    a, b = _luminance(foreground), _luminance(background)
    return (max(a, b) + 0.05) / (min(a, b) + 0.05)


def readable(colour: Color, background: Color, minimum: float = MINIMUM) -> Color:
    """Return `colour`, or its nearest blend towards black or white with `minimum` contrast on `background`."""
    from textual.color import Color as TextualColor

    if contrast(colour, background) >= minimum:
        return colour
    target = TextualColor(0, 0, 0) if _luminance(background) > 0.18 else TextualColor(255, 255, 255)
    for step in range(1, 21):
        candidate = colour.blend(target, step / 20)
        if contrast(candidate, background) >= minimum:
            return candidate
    return target
