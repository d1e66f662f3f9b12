"""FloatSlider: a one-line, mouse-driven slider over a float, on a linear or logarithmic track.

It never takes focus and has no key bindings: the app steps values with `scale.step_value` and
hands the slider the result with `configure`. The mouse sets values directly: a click jumps to
the clicked position, a drag follows the pointer, and both post `FloatSlider.Changed`.
"""

from __future__ import annotations

from typing import ClassVar

from rich.segment import Segment
from textual import events
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget

from costmodel.tui.scale import SliderScale, short_label

__all__ = ["FloatSlider"]

_FILLED = "━"
_EMPTY = "─"
_THUMB = "●"
# Labels are dropped when they would leave the track shorter than this many cells.
_MIN_TRACK = 8


class FloatSlider(Widget, can_focus=False):
    """A horizontal track `0 ━━━━━━●────── 1k` showing `value` on `scale`; click or drag to change it.

    Its parts are component classes (`float-slider--filled`, `--empty`, `--thumb`, `--label`)
    styled in app.tcss.
    """

    ALLOW_SELECT = False

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "float-slider--filled",
        "float-slider--empty",
        "float-slider--thumb",
        "float-slider--label",
    }

    class Changed(Message):
        """The mouse moved the slider to `value`; `final` is False during a drag, True on release.

        Every press of the mouse ends with exactly one `final=True` message (even when the value
        ends where it started), so the app can record one undo step per click or drag.
        """

        def __init__(self, slider: FloatSlider, value: float, final: bool) -> None:
            super().__init__()
            self.slider = slider
            self.value = value
            self.final = final

        @property
        def control(self) -> FloatSlider:
            """Return the slider that changed."""
            return self.slider

    def __init__(
        self,
        value: float = 0.0,
        scale: SliderScale | None = None,
        *,
        show_labels: bool = True,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        """Create a slider at `value` on `scale` (0..1 linear when None); `show_labels` adds end labels."""
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self._value = float(value)
        self._scale = scale if scale is not None else SliderScale(0.0, 1.0)
        self._show_labels = show_labels
        self._labels = (short_label(self._scale.low), short_label(self._scale.high))
        self._dragging = False

    @property
    def value(self) -> float:
        """Return the value the slider shows (it may lie outside the track; the thumb then sits at an end)."""
        return self._value

    @property
    def scale(self) -> SliderScale:
        """Return the track the slider draws."""
        return self._scale

    @property
    def dragging(self) -> bool:
        """Return True while a mouse button pressed on the slider is held (keep the scale fixed meanwhile)."""
        return self._dragging

    def configure(self, value: float, scale: SliderScale) -> None:
        """Show `value` on `scale`, redrawing only when something changed."""
        value = float(value)
        if value == self._value and scale == self._scale:
            return
        self._value = value
        if scale != self._scale:
            self._scale = scale
            self._labels = (short_label(scale.low), short_label(scale.high))
        self.refresh()

    # --- geometry -----------------------------------------------------------------------

    def _track(self, width: int) -> tuple[int, int]:
        """Return (first cell, number of cells) of the track in a content area `width` cells wide."""
        if self._show_labels:
            low, high = self._labels
            start = len(low) + 1
            length = width - start - len(high) - 1
            if length >= _MIN_TRACK:
                return start, length
        return 0, width

    # --- drawing ------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        """Return the track line (row 0) or a blank line (any further rows), as wide as the content."""
        width = self.size.width
        if y != 0 or width <= 0:
            return Strip.blank(width, self.visual_style.rich_style)
        start, length = self._track(width)
        thumb = round(self._scale.to_fraction(self._value) * (length - 1)) if length > 1 else 0
        style = self.get_component_rich_style
        segments: list[Segment] = []
        if start:
            label_style = style("float-slider--label")
            low, high = self._labels
            segments.append(Segment(low + " ", label_style))
        if thumb:
            segments.append(Segment(_FILLED * thumb, style("float-slider--filled")))
        if length > 0:
            segments.append(Segment(_THUMB, style("float-slider--thumb")))
        if length - thumb - 1 > 0:
            segments.append(Segment(_EMPTY * (length - thumb - 1), style("float-slider--empty")))
        if start:
            segments.append(Segment(" " + high, label_style))
        return Strip(segments, width)

    # --- mouse --------------------------------------------------------------------------

    def _value_at(self, event: events.MouseEvent) -> float:
        """Return the tidied value under the pointer, clamped to the track (the pointer may be outside)."""
        start, length = self._track(self.size.width)
        x = event.get_content_offset_capture(self).x - start
        fraction = x / (length - 1) if length > 1 else 0.0
        return self._scale.nice(self._scale.from_fraction(fraction))

    def _move_to(self, value: float) -> None:
        """Show `value` and post a non-final Changed when it differs from the current value."""
        if value != self._value:
            self._value = value
            self.refresh()
            self.post_message(self.Changed(self, value, final=False))

    def _finish_drag(self) -> None:
        """End the drag: release the mouse and post the final Changed."""
        self._dragging = False
        self.release_mouse()
        self.post_message(self.Changed(self, self._value, final=True))

    def on_mouse_down(self, event: events.MouseDown) -> None:
        """Start a drag: jump to the pressed position and keep the mouse until the button is released."""
        if event.button != 1:
            return
        event.stop()
        if self._dragging:
            # The release of an earlier press never arrived (e.g. it happened outside the terminal).
            self._finish_drag()
        self._dragging = True
        self.capture_mouse()
        self._move_to(self._value_at(event))

    def on_mouse_move(self, event: events.MouseMove) -> None:
        """Follow the pointer while dragging."""
        if self._dragging:
            event.stop()
            self._move_to(self._value_at(event))

    def on_mouse_up(self, event: events.MouseUp) -> None:
        """Finish a click or drag at the released position."""
        if self._dragging:
            event.stop()
            self._move_to(self._value_at(event))
            self._finish_drag()

    def on_mouse_release(self, event: events.MouseRelease) -> None:
        """Finish the drag when something else takes the mouse away before the button is released."""
        if self._dragging:
            self._finish_drag()
