"""The slider: track arithmetic and keyboard steps (costmodel.tui.scale) and the FloatSlider widget."""

from __future__ import annotations

import asyncio
import math
from collections.abc import Callable, Coroutine
from functools import wraps
from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from textual.app import App, ComposeResult

from costmodel.tui.scale import SliderScale, round_significant, scale_for, short_label, step_value
from costmodel.tui.widgets.slider import FloatSlider

pytestmark = pytest.mark.tui

INF = math.inf

# --- SliderScale ----------------------------------------------------------------------------


def test_log_track_puts_the_geometric_middle_in_the_middle() -> None:
    scale = SliderScale(1, 10_000, log=True)
    assert scale.to_fraction(100) == pytest.approx(0.5)
    assert scale.to_fraction(10) == pytest.approx(0.25)
    assert scale.from_fraction(0.5) == pytest.approx(100)


def test_linear_track() -> None:
    scale = SliderScale(0, 1)
    assert scale.to_fraction(0.25) == 0.25
    assert scale.from_fraction(0.25) == 0.25
    assert SliderScale(100, 300).to_fraction(150) == 0.25


def test_fractions_are_clamped_and_ends_are_exact() -> None:
    scale = SliderScale(0.1, 1000, log=True)
    assert scale.to_fraction(0.001) == 0.0
    assert scale.to_fraction(1e9) == 1.0
    assert scale.from_fraction(-3) == 0.1
    assert scale.from_fraction(7) == 1000
    assert scale.from_fraction(1.0) == 1000
    assert scale.to_fraction(math.nan) == 0.0


def test_a_fixed_track_puts_everything_at_its_left_end() -> None:
    scale = SliderScale(5, 5)
    assert scale.to_fraction(5) == 0.0
    assert scale.from_fraction(0.7) == 5


@pytest.mark.parametrize(
    "low, high, log",
    [(0, 1e400, False), (-math.inf, 1, False), (2, 1, False), (0, 10, True), (-1, 10, True), (math.nan, 1, False)],
)
def test_bad_tracks_are_refused(low: float, high: float, log: bool) -> None:
    with pytest.raises(ValueError):
        SliderScale(low, high, log)


def test_nice_rounds_mouse_values_to_three_digits_and_keeps_the_ends() -> None:
    assert SliderScale(1000, 1e7, log=True).nice(52_318.77) == 52_300
    # A linear track is also rounded to 3 digits of its length (200,000 -> thousands).
    assert SliderScale(0, 200_000).nice(52_318.77) == 52_000
    assert SliderScale(0, 1).nice(0.052_34) == 0.05
    assert SliderScale(1000, 1010).nice(1005.234) == 1005.2  # not 3 digits of the value: 1010
    assert SliderScale(0.1, 1000, log=True).nice(0.1) == 0.1
    assert SliderScale(0.123_45, 10, log=True).nice(0.123_46) == 0.123_45  # 0.123 would leave the track
    assert SliderScale(0, 1234.5).nice(1234.5) == 1234.5
    assert SliderScale(0, 1234.5).nice(5000) == 1234.5


def test_round_significant() -> None:
    assert round_significant(52_318.77) == 52_300
    assert round_significant(0.000_123_456) == 0.000_123
    assert round_significant(-987.65, 2) == -990
    assert round_significant(0) == 0


# --- scale_for ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, lowest, highest, volume, expected",
    [
        (100, 0, INF, True, SliderScale(1, 10_000, log=True)),
        (52_318, 0, INF, True, SliderScale(100, 1e7, log=True)),
        (5000, 2000, 100_000, True, SliderScale(2000, 100_000, log=True)),
        (0, 0, INF, True, SliderScale(0, 1000)),
        (0.25, 0, 1, False, SliderScale(0, 1)),
        (0.25, 0, 1, True, SliderScale(0, 1)),
        (50, 0, INF, False, SliderScale(0, 100)),
        (70, 0, INF, False, SliderScale(0, 150)),
        (0.3, 0, INF, False, SliderScale(0, 1)),
        (0, -INF, INF, False, SliderScale(0, 1)),
        (5, 1, 10, False, SliderScale(1, 10)),
        (-5, -INF, INF, False, SliderScale(-10, 0)),
    ],
)
def test_scale_for(value: float, lowest: float, highest: float, volume: bool, expected: SliderScale) -> None:
    assert scale_for(value, lowest, highest, volume) == expected


@given(
    value=st.floats(-1e12, 1e12),
    lowest=st.one_of(st.just(-INF), st.just(0.0), st.floats(-1e6, 1e6)),
    top=st.one_of(st.just(INF), st.floats(-1e6, 1e9)),
    volume=st.booleans(),
)
def test_scale_for_stays_in_bounds_and_holds_the_value(value: float, lowest: float, top: float, volume: bool) -> None:
    highest = max(lowest, top)
    scale = scale_for(value, lowest, highest, volume)
    assert lowest <= scale.low <= scale.high <= highest
    assert scale.low <= min(max(value, lowest), highest) <= scale.high


# --- step_value -----------------------------------------------------------------------------


def test_quantity_steps_are_tidy_and_reversible() -> None:
    value = 50_000.0
    ups = []
    for _ in range(4):
        value = step_value(value, +1, "quantity")
        ups.append(value)
    assert ups == [52_500, 55_000, 57_500, 60_000]
    assert step_value(97_500, +1, "quantity") == 100_000
    assert step_value(100_000, +1, "quantity") == 105_000
    assert step_value(100_000, -1, "quantity") == 97_500  # the step of the values below
    assert step_value(52_318.77, +1, "quantity") == 52_500  # off-grid values snap to the grid
    assert step_value(52_318.77, -1, "quantity") == 50_000
    assert step_value(0.075, +1, "money") == 0.0775


def test_quantity_and_money_from_and_to_zero() -> None:
    assert step_value(0, +1, "quantity") == 1
    assert step_value(0, +1, "money") == 0.01
    assert step_value(1, -1, "quantity") == 0
    assert step_value(0.01, -1, "money") == 0
    assert step_value(0.01, -1, "money", lowest=1e-9) == 0.00975  # 0 is not allowed: keep stepping
    assert step_value(0.5, -1, "quantity") == 0.48  # the step of values below 0.5 is 0.02
    assert step_value(-1, +1, "quantity") == 0
    assert step_value(-50_000, -1, "quantity") == -52_500


def test_fraction_and_count_steps() -> None:
    assert step_value(0.1, +1, "fraction") == 0.11
    assert step_value(0.29, +1, "fraction") == 0.3
    assert step_value(0.29, -1, "fraction") == 0.28
    assert step_value(0.113, +1, "fraction") == 0.12
    assert step_value(0.113, -1, "fraction") == 0.11
    assert step_value(3, +1, "count") == 4
    assert step_value(2.5, -1, "count") == 2


def test_big_steps_are_ten_steps() -> None:
    assert step_value(0.11, +1, "fraction", big=True) == 0.21
    assert step_value(3, -1, "count", big=True) == -7
    assert step_value(50_000, +1, "quantity", big=True) == 75_000
    assert step_value(75_000, -1, "quantity", big=True) == 50_000


def test_steps_are_clamped_to_the_bounds() -> None:
    assert step_value(0.995, +1, "fraction", lowest=0, highest=1) == 1
    assert step_value(1, +1, "fraction", lowest=0, highest=1) == 1
    assert step_value(0.05, -1, "fraction", big=True, lowest=0, highest=1) == 0
    assert step_value(0, -1, "quantity", lowest=0) == 0
    assert step_value(9, +1, "count", big=True, highest=12) == 12
    assert step_value(99_000, +1, "quantity", highest=100_000) == 100_000
    assert step_value(5, -1, "count", lowest=10) == 10  # a value outside is clamped first


def test_steps_return_floats() -> None:
    assert type(step_value(0, -1, "quantity", lowest=0)) is float
    assert type(step_value(3, 1, "count")) is float


@pytest.mark.parametrize(
    "args", [(1.0, 0, "count"), (1.0, 2, "count"), (1.0, 1, "percent"), (math.inf, 1, "count"), (math.nan, 1, "money")]
)
def test_bad_steps_are_refused(args: tuple[float, int, str]) -> None:
    with pytest.raises(ValueError):
        step_value(*args)


def test_short_labels() -> None:
    assert [short_label(v) for v in (0, 0.25, 100, 1e4, 2.5e6, 1e9, 999_999, -2500)] == [
        "0",
        "0.25",
        "100",
        "10k",
        "2.5M",
        "1G",
        "1M",
        "-2.5k",
    ]


# --- properties -----------------------------------------------------------------------------

finite = st.floats(-1e9, 1e9, allow_nan=False)
kinds = st.sampled_from(["fraction", "count", "quantity", "money"])


@st.composite
def tracks(draw: st.DrawFn) -> SliderScale:
    """Draw a linear or log track with distinct ends."""
    if draw(st.booleans()):
        low = draw(st.floats(1e-6, 1e6))
        return SliderScale(low, low * draw(st.floats(1.5, 1e6)), log=True)
    low = draw(st.floats(-1e6, 1e6))
    return SliderScale(low, low + draw(st.floats(1e-3, 1e6)))


@given(tracks(), st.floats(0, 1))
def test_from_fraction_then_to_fraction_round_trips(scale: SliderScale, fraction: float) -> None:
    value = scale.from_fraction(fraction)
    assert scale.low <= value <= scale.high
    assert scale.to_fraction(value) == pytest.approx(fraction, abs=1e-6)


@given(tracks(), st.floats(0, 1), st.floats(0, 1))
def test_positions_are_monotonic(scale: SliderScale, a: float, b: float) -> None:
    a, b = sorted((a, b))
    assert scale.from_fraction(a) <= scale.from_fraction(b)
    value_a, value_b = sorted((scale.from_fraction(a), scale.from_fraction(b)))
    assert scale.to_fraction(value_a) <= scale.to_fraction(value_b)


@given(tracks(), st.floats(-1e7, 1e7))
def test_nice_stays_on_the_track_and_close(scale: SliderScale, value: float) -> None:
    tidy = scale.nice(value)
    assert scale.low <= tidy <= scale.high
    clamped = min(max(value, scale.low), scale.high)
    assert abs(tidy - clamped) <= 0.01 * max(abs(clamped), scale.high - scale.low if not scale.log else 0)


@given(finite, st.sampled_from([1, -1]), kinds, st.booleans(), st.floats(-1e6, 1e6), st.floats(0, 1e6))
def test_steps_never_leave_the_bounds(
    value: float, direction: int, kind: str, big: bool, lowest: float, span: float
) -> None:
    highest = lowest + span
    assert lowest <= step_value(value, direction, kind, big, lowest, highest) <= highest


@given(st.floats(0, 1), kinds, st.booleans(), st.floats(-1e6, 1e6), st.floats(0, 1e6))
def test_steps_within_bounds_move_the_right_way(
    position: float, kind: str, big: bool, lowest: float, span: float
) -> None:
    highest = lowest + span
    value = min(lowest + position * span, highest)
    assume(value == 0 or abs(value) > 1e-300)  # 5 % of a subnormal float may not be a float
    up = step_value(value, +1, kind, big, lowest, highest)
    down = step_value(value, -1, kind, big, lowest, highest)
    assert down <= value <= up
    assert up > value or value == highest
    assert down < value or value == lowest


# Values too close to 0 for a float to hold 5 % of them are left out.
sizable = st.one_of(st.just(0.0), st.floats(1e-9, 1e6), st.floats(-1e6, -1e-9))


@given(sizable, kinds, st.booleans())
def test_steps_move_the_value_the_right_way(value: float, kind: str, big: bool) -> None:
    up = step_value(value, +1, kind, big)
    down = step_value(value, -1, kind, big)
    assert down < value < up


@given(sizable, kinds)
def test_a_step_up_then_down_comes_back_to_a_grid_value(value: float, kind: str) -> None:
    # Once on the grid (after one step), up then down returns to the same value.
    on_grid = step_value(value, +1, kind)
    assert step_value(step_value(on_grid, +1, kind), -1, kind) == on_grid


@given(st.floats(0, 1))
def test_fraction_steps_have_no_float_noise(value: float) -> None:
    stepped = step_value(value, +1, "fraction", lowest=0, highest=1)
    assert stepped == round(stepped, 2)


# --- the widget -----------------------------------------------------------------------------

WIDTH = 42


def run_async(test: Callable[[], Coroutine[Any, Any, None]]) -> Callable[[], None]:
    """Return `test` as a plain test function (the project has no async pytest plugin)."""

    @wraps(test)
    def run() -> None:
        asyncio.run(test())

    return run


class SliderApp(App[None]):
    """A bare app showing one FloatSlider and collecting its Changed messages."""

    CSS = f"FloatSlider {{ width: {WIDTH}; }}"

    def __init__(self, value: float, scale: SliderScale, show_labels: bool = False) -> None:
        super().__init__()
        self.start = (value, scale, show_labels)
        self.changes: list[FloatSlider.Changed] = []

    def compose(self) -> ComposeResult:
        value, scale, show_labels = self.start
        yield FloatSlider(value, scale, show_labels=show_labels)

    def on_float_slider_changed(self, message: FloatSlider.Changed) -> None:
        self.changes.append(message)


@run_async
async def test_click_jumps_to_the_clicked_position() -> None:
    scale = SliderScale(1, 10_000, log=True)
    app = SliderApp(1, scale)
    async with app.run_test(size=(60, 5)) as pilot:
        slider = app.query_one(FloatSlider)
        await pilot.click(FloatSlider, offset=(30, 0))
        await pilot.pause()
        assert scale.to_fraction(slider.value) == pytest.approx(30 / (WIDTH - 1), abs=0.01)
        assert slider.value == round_significant(slider.value, 3)
        assert app.changes[-1].final is True
        assert app.changes[-1].value == slider.value
        assert app.changes[-1].control is slider
        assert [change.final for change in app.changes].count(True) == 1
        assert not slider.dragging

        await pilot.click(FloatSlider, offset=(0, 0))
        await pilot.click(FloatSlider, offset=(WIDTH - 1, 0))
        await pilot.pause()
        assert slider.value == 10_000


@run_async
async def test_drag_posts_live_changes_then_one_final() -> None:
    app = SliderApp(0, SliderScale(0, 100))
    async with app.run_test(size=(60, 5)) as pilot:
        slider = app.query_one(FloatSlider)
        await pilot.mouse_down(FloatSlider, offset=(10, 0))
        await pilot.hover(FloatSlider, offset=(20, 0))
        assert slider.dragging
        # Captured: the pointer may leave the slider; the value stops at the end of the track.
        await pilot.hover(FloatSlider, offset=(55, 2))
        assert slider.value == 100
        await pilot.mouse_up(FloatSlider, offset=(WIDTH - 1 - 8, 0))
        await pilot.pause()
        finals = [change.final for change in app.changes]
        assert finals[-1] is True and finals.count(True) == 1
        assert len(finals) >= 3
        values = [change.value for change in app.changes]
        assert values[:3] == [24, 49, 100]  # x / 41 of 0..100, to 3 digits of the track's length
        assert slider.value == values[-1] == 80
        assert not slider.dragging
        assert app.mouse_captured is None


@run_async
async def test_labels_shift_the_track_and_configure_redraws() -> None:
    app = SliderApp(100, SliderScale(1, 10_000, log=True), show_labels=True)
    async with app.run_test(size=(60, 5)) as pilot:
        slider = app.query_one(FloatSlider)
        line = slider.render_line(0).text
        assert len(line) == WIDTH
        assert line.startswith("1 ") and line.endswith(" 10k")
        track = line[2:-4]
        assert track.index("●") == round((len(track) - 1) / 2)
        # The click on the low label's cell lands on the track's low end.
        await pilot.click(FloatSlider, offset=(0, 0))
        await pilot.pause()
        assert slider.value == 1

        slider.configure(0.5, SliderScale(0, 1))
        line = slider.render_line(0).text
        assert line.startswith("0 ") and line.endswith(" 1")
        assert slider.value == 0.5
        assert slider.render_line(1).text == " " * WIDTH


@run_async
async def test_narrow_slider_drops_its_labels() -> None:
    app = SliderApp(0.5, SliderScale(0, 1), show_labels=True)
    async with app.run_test(size=(60, 5)) as pilot:
        slider = app.query_one(FloatSlider)
        slider.styles.width = 10
        await pilot.pause()
        assert slider.render_line(0).text == "━━━━●─────"


def test_the_slider_does_not_take_focus() -> None:
    assert FloatSlider().focusable is False
