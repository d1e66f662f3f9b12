"""The timeline chart: the pure braille layout (costmodel.tui.chart_render) and the TimelineChart widget."""

from __future__ import annotations

import asyncio
import math

import pytest
from textual.app import App, ComposeResult
from textual.geometry import Region

from costmodel import estimate, load_scenario
from costmodel.model.engine import Estimate
from costmodel.tui.chart_render import (
    TOO_SMALL,
    ChartData,
    chart_data,
    chart_runs,
    compact_amount,
    nice_ticks,
)
from costmodel.tui.widgets.chart import TimelineChart

pytestmark = pytest.mark.tui

BRAILLE = range(0x2801, 0x2900)


def plain(lines: list[list[tuple[str, str]]]) -> list[str]:
    return ["".join(text for text, _ in runs) for runs in lines]


def is_dot(char: str) -> bool:
    return ord(char) in BRAILLE


def plot_area(lines: list[str]) -> tuple[list[str], int]:
    """Return the plot rows (between the legend and the x axis) and the column of the y axis."""
    axis = next(i for i, line in enumerate(lines) if "└" in line)
    column = lines[axis].index("└")
    return lines[1:axis], column


def data(
    cumulative: dict[str, list[float]],
    monthly: dict[str, list[float]] | None = None,
    breakevens: tuple[tuple[str, str, int | None], ...] = (),
    bands: dict[str, tuple[list[float], list[float]]] | None = None,
) -> ChartData:
    return ChartData(
        cumulative=cumulative,
        monthly=monthly if monthly is not None else cumulative,
        breakevens=breakevens,
        bands=bands,
        currency="USD",
        cheapest=next(iter(cumulative), None),
    )


@pytest.fixture(scope="module")
def est() -> Estimate:
    return estimate(load_scenario("support-assistant"))


# --- the pure layout ----------------------------------------------------------------------------


def mask(lines: list[list[tuple[str, str]]], role: str) -> list[str]:
    """Return the lines with `#` where a cell belongs to `role` (its line, marker letters and label)."""
    return ["".join(("#" if r == role else " ") * len(t) for t, r in runs) for runs in lines]


def test_a_rising_series_runs_from_bottom_left_to_top_right() -> None:
    runs = chart_runs(data({"rag": [float(m) for m in range(25)]}), 60, 16)
    lines, cells = plain(runs), mask(runs, "rag")
    rows, axis = plot_area(lines)
    owned = cells[1 : 1 + len(rows)]
    first, last = axis + 1, len(lines[0]) - 2  # the plot's first and last columns (one pad column at the right)
    assert is_dot(rows[-1][first]) and is_dot(rows[0][last])
    assert not is_dot(rows[0][first]) and not is_dot(rows[-1][last])
    # every column of the plot holds the series (dots, a marker or its label), and it climbs
    tops = [min(r for r, row in enumerate(owned) if row[c] == "#") for c in range(first, last + 1)]
    assert tops == sorted(tops, reverse=True)
    assert "R" in "".join(rows)  # its marker letter
    assert any(row.rstrip().endswith("RAG") for row in rows)  # its label at the end of the line


def test_series_read_without_colour_and_in_ascii() -> None:
    """Each series has its own marker letter and an end label; the ASCII rendering has no braille left."""
    series = {"rag": [100.0 * m for m in range(25)], "fine_tune": [50.0 * m for m in range(25)]}
    runs = chart_runs(data(series), 70, 16)
    text = "\n".join(plain(runs))
    assert "R ★ RAG" in text and "F Fine-tuning" in text  # the legend names each marker
    ascii_runs = chart_runs(data(series), 70, 16, ascii=True)
    ascii_text = "\n".join(plain(ascii_runs))
    assert ascii_text.isascii()
    assert [len(line) for line in plain(ascii_runs)] == [len(line) for line in plain(runs)]
    assert "RAG" in ascii_text and "|" in ascii_text


def test_a_month_cursor_reads_out_each_series() -> None:
    series = {"rag": [1000.0 * m for m in range(25)], "fine_tune": [500.0 * m for m in range(25)]}
    monthly = {"rag": [1000.0] * 25, "fine_tune": [500.0] * 25}
    lines = plain(chart_runs(data(series, monthly), 100, 16, cursor=12))
    readout = lines[1]
    assert readout.startswith("m 12")
    assert "RAG 1k/mo, 12k so far" in readout and "FT 500/mo, 6k so far" in readout


def test_every_line_is_exactly_the_width_and_the_axes_are_labelled() -> None:
    lines = plain(chart_runs(data({"rag": [1000.0 * m for m in range(25)]}), 80, 20))
    assert len(lines) == 20 and all(len(line) == 80 for line in lines)
    assert lines[0].startswith("Cumulative cost, USD")
    assert "★ RAG (cheapest)" in lines[0]
    assert any(line.lstrip().startswith("20k ┤") for line in lines)
    assert any(line.lstrip().startswith("0 ┤") for line in lines)
    labels = lines[-1].split()
    assert labels[0] in ("m", "month") and labels[1] == "0" and labels[-1] == "24"


@pytest.mark.parametrize(
    "width, height", [(0, 0), (5, 2), (1, 1), (0, 10), (10, 0), (11, 3), (12, 3), (12, 2), (20, 4), (40, 8), (200, 50)]
)
def test_any_size_gives_lines_of_exactly_that_size(est: Estimate, width: int, height: int) -> None:
    bands = {n: ([v * 0.9 for v in s.cumulative], [v * 1.1 for v in s.cumulative]) for n, s in est.strategies.items()}
    for mode in ("cumulative", "monthly"):
        lines = plain(chart_runs(chart_data(est, bands), width, height, mode))
        assert len(lines) <= height
        assert all(len(line) == width for line in lines)
        if width == 0 or height == 0:
            assert lines == []


def test_too_small_an_area_says_so() -> None:
    assert plain(chart_runs(data({"rag": [1.0, 2.0]}), 11, 3)) == [TOO_SMALL]
    assert plain(chart_runs(data({"rag": [1.0, 2.0]}), 5, 2)) == ["(too…"]
    assert plain(chart_runs(data({}), 80, 20)) == [TOO_SMALL.ljust(80)]


def test_monthly_mode_plots_months_one_to_the_horizon() -> None:
    # An upfront of 1000 in month 0, then 5 a month; cumulative climbs from 1000, monthly is flat at 5.
    monthly = [1000.0] + [5.0] * 12
    cumulative = [1000.0 + 5.0 * m for m in range(13)]
    chart = data({"rag": cumulative}, {"rag": monthly})
    lines = plain(chart_runs(chart, 60, 16, "monthly"))
    assert lines[0].startswith("Monthly cost, USD")
    rows, _ = plot_area(lines)
    dotted = {r for r, row in enumerate(rows) if any(is_dot(c) for c in row)}
    assert len(dotted) == 1  # a flat line: month 0's upfront is left out
    assert not any("1k" in line for line in lines)
    assert lines[-1].split()[1] != "0"  # the x axis starts after month 0
    lines = plain(chart_runs(chart, 60, 16, "cumulative"))
    assert any("1k ┤" in line for line in lines)


def test_monthly_and_cumulative_of_an_estimate(est: Estimate) -> None:
    cumulative = plain(chart_runs(chart_data(est), 100, 30, "cumulative"))
    monthly = plain(chart_runs(chart_data(est), 100, 30, "monthly"))
    top = max(max(s.cumulative) for s in est.strategies.values())
    # With the preset's [operations] the top is 485,809 (fine-tuning): ticks every 100k, the last at 400k.
    assert any(f"{compact_amount(top // 100_000 * 100_000)} ┤" in line for line in cumulative)
    # The preset's [operations] (MODEL.md v2) add about 0.0355 per request and 678 a month to RAG: months reach 20k.
    assert any("20k ┤" in line for line in monthly) and not any("100k" in line for line in monthly)


def test_unknown_mode_is_refused() -> None:
    with pytest.raises(ValueError):
        chart_runs(data({"rag": [1.0, 2.0]}), 40, 10, "weekly")


def breakeven_column(width: int, axis: int, month: int, horizon: int) -> int:
    plot_w = width - axis - 2
    return axis + 1 + round(month * (2 * plot_w - 1) / horizon) // 2


def test_a_breakeven_is_marked_under_its_month() -> None:
    rising = {"rag": [10.0 * m + 50 for m in range(25)], "hybrid": [20.0 * m for m in range(25)]}
    chart = data(rising, breakevens=(("hybrid", "rag", 7), ("rag", "hybrid", None)))
    lines = plain(chart_runs(chart, 90, 20))
    rows, axis = plot_area(lines)
    axis_row = lines[len(rows) + 1]
    column = breakeven_column(90, axis, 7, 24)
    assert axis_row[column] == "▲" and axis_row.count("▲") == 1
    assert all(row[column] == "┊" or is_dot(row[column]) for row in rows)
    assert "▲ m7 Hybrid=RAG" in lines[-1] and lines[-1].lstrip().startswith("break-even")
    # no marks in monthly mode
    assert not any("▲" in line for line in plain(chart_runs(chart, 90, 20, "monthly")))


def test_coinciding_breakevens_share_one_mark() -> None:
    series = {"rag": [5.0] * 25, "fine_tune": [4.0] * 25, "hybrid": [3.0] * 25}
    chart = data(series, breakevens=(("hybrid", "rag", 12), ("fine_tune", "rag", 12), ("hybrid", "fine_tune", 3)))
    lines = plain(chart_runs(chart, 100, 20))
    rows, _ = plot_area(lines)
    assert lines[len(rows) + 1].count("▲") == 2
    assert "▲ m3 Hybrid=FT  ▲ m12 FT=RAG, Hybrid=RAG" in lines[-1]


def test_bands_are_drawn_behind_the_lines_in_cumulative_mode_only() -> None:
    line = [100.0 * m for m in range(25)]
    chart = data({"rag": line}, bands={"rag": ([v * 0.5 for v in line], [v * 1.5 for v in line])})
    roles = {role for runs in chart_runs(chart, 80, 24) for _, role in runs}
    assert {"rag", "rag-band"} <= roles
    roles = {role for runs in chart_runs(chart, 80, 24, "monthly") for _, role in runs}
    assert "rag-band" not in roles
    # the band widens the y axis to its P90
    assert any("3k ┤" in text for text in plain(chart_runs(chart, 80, 24)))


def test_values_that_are_not_finite_break_the_line_without_crashing() -> None:
    values = [1.0, 2.0, math.nan, 4.0, math.inf, 6.0, -math.inf, 8.0]
    lines = plain(chart_runs(data({"rag": values}), 40, 10))
    assert len(lines) == 10
    lines = plain(chart_runs(data({"rag": [math.nan] * 5}), 40, 10))
    assert len(lines) == 10


def test_negative_and_flat_series() -> None:
    assert any("0 ┤" in line for line in plain(chart_runs(data({"rag": [0.0] * 10}), 40, 10)))
    lines = plain(chart_runs(data({"rag": [-2000.0, -1000.0, 500.0]}), 40, 10))
    assert any(line.lstrip().startswith("-2k ┤") for line in lines)


@pytest.mark.parametrize(
    "value, step, text",
    [(0, 20_000, "0"), (120_000, 20_000, "120k"), (1_200_000, 200_000, "1.2M"), (1_000_000, 200_000, "1M"),
     (1_500, 500, "1.5k"), (950, 50, "950"), (2.5e9, 5e8, "2.5B"), (-2_000, 1_000, "-2k"), (1_234, 0, "1.2k")],
)  # fmt: skip
def test_compact_amounts(value: float, step: float, text: str) -> None:
    assert compact_amount(value, step) == text


def test_nice_ticks_are_round_and_at_least_two() -> None:
    assert nice_ticks(0, 235_000, 1) == ([0, 200_000], 200_000)
    ticks, step = nice_ticks(0, 9_246, 3)
    assert step == 2_000 and ticks == [0, 2_000, 4_000, 6_000, 8_000]
    assert len(nice_ticks(5, 5, 4)[0]) >= 2


# --- the widget ---------------------------------------------------------------------------------


class ChartApp(App[None]):
    def compose(self) -> ComposeResult:
        yield TimelineChart()


def screen_text(chart: TimelineChart) -> str:
    return "\n".join(strip.text for strip in chart.render_lines(Region(0, 0, *chart.size)))


def test_the_widget_shows_an_estimate_and_toggles_its_mode(est: Estimate) -> None:
    bands = {n: ([v * 0.9 for v in s.cumulative], [v * 1.2 for v in s.cumulative]) for n, s in est.strategies.items()}

    async def run() -> None:
        app = ChartApp()
        async with app.run_test(size=(100, 30)) as pilot:
            chart = app.query_one(TimelineChart)
            assert chart.data is None and screen_text(chart).strip() == ""
            chart.show(est, bands)
            await pilot.pause()
            text = screen_text(chart)
            assert "Cumulative cost, USD" in text and "★ Hybrid" in text and "▲ m17 Hybrid=RAG" in text
            chart.action_toggle_mode()
            await pilot.pause()
            assert chart.mode == "monthly" and "Monthly cost, USD" in screen_text(chart)
            chart.action_toggle_mode()
            assert chart.mode == "cumulative"
            with pytest.raises(ValueError):
                chart.mode = "weekly"
            app.theme = "textual-light"
            await pilot.pause()
            assert "Cumulative cost" in screen_text(chart)
            for size in ((40, 8), (5, 2), (200, 50)):
                await pilot.resize_terminal(*size)
                await pilot.pause()
                assert chart.size == size and len(screen_text(chart).splitlines()) == chart.size.height

    asyncio.run(run())
