"""The timeline chart as plain data: series in, lines of braille text out (no Textual here).

`chart_runs` lays a chart out as lines of (text, role) runs, each line exactly `width` cells.
A role names what a run shows ("" plain text, "axis", "mark", a strategy name, or "<strategy>-band"), so the widget
can style it from its CSS and the tests can read it without any styling.

Lines are drawn with braille characters, 2x4 dots per cell; P10–P90 bands are a sparse
stipple of dots behind the lines. Each series also carries its own marker letter (`R`, `F`,
`H`, … from its short label) at a few months and its label at its end, so the lines can be
told apart without colour (NO_COLOR, colour blindness). `ascii=True` draws with ASCII only,
for terminals that cannot show braille; `cursor` (a month) draws a vertical cursor and a line
reading out each series' value there.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from costmodel.model.names import SHORT_LABELS, STRATEGY_LABELS

if TYPE_CHECKING:
    from costmodel.model.engine import Estimate

__all__ = [
    "MIN_HEIGHT",
    "MIN_WIDTH",
    "MODES",
    "SHORT_LABELS",
    "TOO_SMALL",
    "ChartData",
    "Run",
    "chart_data",
    "chart_runs",
    "compact_amount",
    "markers",
    "nice_ticks",
    "to_ascii",
]

MODES: tuple[str, ...] = ("cumulative", "monthly")

Run = tuple[str, str]
"""One run of a chart line: its text and its role."""
_XDot = Callable[[float], int]  # month -> dot column
_YDot = Callable[[float], int]  # value -> dot row

MIN_WIDTH = 12
MIN_HEIGHT = 3
TOO_SMALL = "(too small)"

_BRAILLE = 0x2800
# _DOT[row][column]: the braille bit of a dot in a cell (rows 0-3 top down, columns 0-1).
_DOT: tuple[tuple[int, int], ...] = ((0x01, 0x08), (0x02, 0x10), (0x04, 0x20), (0x40, 0x80))
# _SPAN[column][top][bottom]: the bits of dots top..bottom (inclusive) in one column of a cell.
_SPAN: tuple[tuple[tuple[int, ...], ...], ...] = tuple(
    tuple(tuple(sum(_DOT[r][col] for r in range(top, bottom + 1)) for bottom in range(4)) for top in range(4))
    for col in range(2)
)
# The stipple of a band: rows 0 and 2 of the left dot column, or rows 1 and 3 of the right one.
_STIPPLE: tuple[int, int] = (0x01 | 0x04, 0x10 | 0x80)
_MONTH_STEPS: tuple[int, ...] = (1, 2, 3, 6, 12, 24, 60, 120, 240, 600, 1200)


@dataclass(frozen=True, slots=True)
class ChartData:
    """What the chart shows, independent of size and mode.

    `cumulative[name]` and `monthly[name]` are indexed by month (index 0 = month 0, the upfront
    build), in currency units; `breakevens` holds (a, b, month or None) triples, a's cumulative
    cost falling to or below b's at `month`; `bands[name]` is (P10, P90) of the cumulative cost.
    """

    cumulative: Mapping[str, Sequence[float]]
    monthly: Mapping[str, Sequence[float]]
    breakevens: Sequence[tuple[str, str, int | None]] = ()
    bands: Mapping[str, tuple[Sequence[float], Sequence[float]]] | None = None
    currency: str = ""
    cheapest: str | None = None
    unavailable: frozenset[str] = frozenset()  # strategies not available over the horizon: ✗ in the legend


def chart_data(est: Estimate, bands: Mapping[str, tuple[Sequence[float], Sequence[float]]] | None = None) -> ChartData:
    """Return the ChartData of an Estimate (its series in currency units, month 0 to its horizon)."""
    return ChartData(
        cumulative={name: s.cumulative for name, s in est.strategies.items()},
        monthly={name: s.monthly_cost for name, s in est.strategies.items()},
        breakevens=tuple(est.breakeven),
        bands=bands or None,
        currency=est.currency,
        cheapest=est.cheapest,
        unavailable=frozenset(name for name, s in est.strategies.items() if not s.available),
    )


def nice_ticks(low: float, high: float, intervals: int) -> tuple[list[float], float]:
    """Return round tick values (1, 2 or 5 times a power of ten apart) from `low` up to `high`, and their step.

    The step is the round number nearest (on a log scale) to a `intervals`-th of the range, but
    never more than the range, so there are at least two ticks; the first tick is `low`
    rounded down to the step and no tick lies above `high`.
    """
    if not high > low:
        high = low + (abs(low) or 1.0)
    size = high - low
    raw = size / max(1, intervals)
    magnitude = 10.0 ** math.floor(math.log10(raw))
    steps = [m * magnitude for m in (0.5, 1, 2, 5, 10) if m * magnitude <= size * (1 + 1e-9)]
    step = min(steps, key=lambda x: abs(math.log(x / raw)))
    first = math.floor(low / step + 1e-9)
    last = math.floor(high / step + 1e-9)
    return [i * step for i in range(first, last + 1)], step


def compact_amount(value: float, step: float = 0.0) -> str:
    """Return an amount in currency units compactly, e.g. `0`, `950`, `1.5k`, `120k`, `1.2M`.

    With `step` (the distance between neighbouring ticks) there are just enough decimals to
    tell neighbours apart; trailing zeros are dropped.
    """
    size = abs(value)
    unit, suffix = next(((u, s) for u, s in ((1e9, "B"), (1e6, "M"), (1e3, "k")) if size >= u), (1.0, ""))
    scaled = value / unit
    if step > 0:
        decimals = max(0, min(3, -math.floor(math.log10(step / unit) + 1e-9)))
    else:
        decimals = 1 if unit > 1 and abs(scaled) < 10 else 0
    text = f"{scaled:.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return ("0" if text in ("-0", "0") else text) + ("" if text in ("-0", "0") else suffix)


def _label(name: str) -> str:
    return STRATEGY_LABELS.get(name, name)


def _short(name: str) -> str:
    return SHORT_LABELS.get(name, _label(name))


def _fit(text: str, width: int) -> str:
    """Return `text` cut to `width` cells with an ellipsis when it is longer."""
    return text if len(text) <= width else text[: max(0, width - 1)] + "…"[:width]


def _pad(runs: list[Run], width: int) -> list[Run]:
    """Return `runs` cut or padded with spaces to exactly `width` cells."""
    out: list[Run] = []
    left = width
    for text, role in runs:
        if left <= 0:
            break
        if len(text) > left:
            text = text[:left]
        out.append((text, role))
        left -= len(text)
    if left > 0:
        out.append((" " * left, ""))
    return out


def _merge(chars: Sequence[str], roles: Sequence[str]) -> list[Run]:
    """Return runs of neighbouring characters that share a role."""
    runs: list[Run] = []
    start = 0
    for i in range(1, len(chars) + 1):
        if i == len(chars) or roles[i] != roles[start]:
            runs.append(("".join(chars[start:i]), roles[start]))
            start = i
    return runs


def markers(names: Sequence[str]) -> dict[str, str]:
    """Return each series' marker letter: the first letter of its short label, or a digit when taken."""
    taken: dict[str, str] = {}
    for i, name in enumerate(names):
        letter = (_short(name)[:1] or "?").upper()
        taken[name] = letter if letter not in taken.values() else str(i + 1)
    return taken


def _legend_candidates(
    names: Sequence[str], cheapest: str | None, title: str, currency: str, unavailable: frozenset[str] = frozenset()
) -> list[list[Run]]:
    """Return legend lines from the most to the least detailed (✗ before a strategy not available, never ★)."""
    marks = markers(names)

    def items(label: Callable[[str], str], note: bool, gap: str = "  ", dot: str = " ") -> list[Run]:
        runs: list[Run] = []
        for i, name in enumerate(names):
            if i:
                runs.append((gap, ""))
            star = name == cheapest and name not in unavailable
            mark = "✗" if name in unavailable else "★" if star else ""
            runs.append((marks[name] + dot, name))
            runs.append(((mark + " " if mark and dot else mark) + label(name), ""))
            if star and note:
                runs.append((" (cheapest)", "axis"))
        return runs

    full, starred, short = items(_label, True), items(_label, False), items(_short, False)
    cur = f", {currency}" if currency else ""
    long_title, short_title = f"{title} cost{cur}", f"{title}{cur}"
    return [
        [(long_title, ""), ("   ", ""), *full],
        [(long_title, ""), ("   ", ""), *starred],
        [(short_title, ""), ("  ", ""), *starred],
        [(short_title, ""), ("  ", ""), *short],
        [(title, ""), ("  ", ""), *short],
        short,
        items(_short, False, " ", ""),
    ]


def _legend(
    names: Sequence[str],
    cheapest: str | None,
    title: str,
    currency: str,
    width: int,
    unavailable: frozenset[str] = frozenset(),
) -> list[Run]:
    """Return the first legend line that fits in `width` (the shortest one cut when none does)."""
    candidates = _legend_candidates(names, cheapest, title, currency, unavailable)
    for runs in candidates:
        if sum(len(t) for t, _ in runs) <= width:
            return _pad(runs, width)
    return _pad(candidates[-1], width)


def _series(data: ChartData, mode: str) -> tuple[int, dict[str, list[float]]]:
    """Return the first month shown and the values per strategy (currency units) for a mode."""
    if mode == "cumulative":
        return 0, {name: list(values) for name, values in data.cumulative.items()}
    return 1, {name: list(values[1:]) for name, values in data.monthly.items()}


def _note(width: int, height: int) -> list[list[Run]]:
    return [] if width <= 0 or height <= 0 else [_pad([(_fit(TOO_SMALL, width), "axis")], width)]


def chart_runs(
    data: ChartData,
    width: int,
    height: int,
    mode: str = "cumulative",
    cursor: int | None = None,
    ascii: bool = False,
) -> list[list[Run]]:
    """Return the chart laid out in `width` x `height` cells: at most `height` lines of runs of `width` cells.

    `mode` "cumulative" plots each strategy's cumulative cost, months 0 to the horizon, with
    break-even marks and the bands; "monthly" plots the cost of each month, 1 to the horizon.
    `cursor` (a month) adds a vertical cursor and, under the legend, a line with each
    strategy's cost that month and its cumulative cost. `ascii` draws with ASCII characters only.
    Too small an area gives one short note (no lines at all for a zero size).
    """
    lines = _chart_runs(data, width, height, mode, cursor)
    return [to_ascii(runs) for runs in lines] if ascii else lines


def _readout(data: ChartData, month: int, width: int) -> list[Run]:
    """Return the cursor's line: `m 12 · R RAG 3.7k/mo, 45k total · F …` (values from the Estimate)."""
    marks = markers(list(data.cumulative))
    runs: list[Run] = [(f"m {month}", "mark")]
    for name, cumulative in data.cumulative.items():
        monthly = data.monthly.get(name, ())
        if month >= len(cumulative):
            continue
        this = monthly[month] if month < len(monthly) else 0.0
        runs += [(" · ", "axis"), (marks[name], name)]
        runs.append((f" {_short(name)} {compact_amount(this)}/mo, {compact_amount(cumulative[month])} so far", ""))
    if sum(len(t) for t, _ in runs) > width:  # shorter: the marker letters name the strategies
        short: list[Run] = [(f"m{month}", "mark")]
        for name, cumulative in data.cumulative.items():
            if month < len(cumulative):
                monthly = data.monthly.get(name, ())
                this = monthly[month] if month < len(monthly) else 0.0
                short += [
                    (" ", ""),
                    (marks[name], name),
                    (f" {compact_amount(this)}/{compact_amount(cumulative[month])}", ""),
                ]
        runs = short
    return (
        _pad(runs, width)
        if sum(len(t) for t, _ in runs) <= width
        else _pad([*_pad(runs, width - 1), ("…", "axis")], width)
    )


_ASCII_AXIS = str.maketrans(
    {"│": "|", "┤": "+", "└": "+", "┬": "+", "─": "-", "▲": "^", "┊": ":", "★": "*", "✗": "x", "·": "."}
)


def to_ascii(runs: list[Run]) -> list[Run]:
    """Return a chart line drawn with ASCII only: braille dots become `'`, `.` or `|`, bands `:`, axes `+-|`."""
    out: list[Run] = []
    for text, role in runs:
        chars = []
        for ch in text:
            code = ord(ch) - _BRAILLE
            if 0 <= code < 256:
                if not code:
                    chars.append(" ")
                elif role.endswith("-band"):
                    chars.append(":")
                else:
                    top, bottom = code & 0x1B, code & 0xE4  # dot rows 0-1 and 2-3
                    chars.append("|" if top and bottom else "'" if top else ".")
            else:
                chars.append(ch.translate(_ASCII_AXIS) if ord(ch) > 127 else ch)
        out.append(("".join(c if ord(c) < 128 else "?" for c in chars), role))
    return out


def _chart_runs(data: ChartData, width: int, height: int, mode: str, cursor: int | None) -> list[list[Run]]:
    """Lay the chart out (see chart_runs), in braille."""
    if mode not in MODES:
        raise ValueError(f"unknown chart mode {mode!r}; expected one of {', '.join(MODES)}")
    first, series = _series(data, mode)
    series = {name: values for name, values in series.items() if values}
    if width < MIN_WIDTH or height < MIN_HEIGHT or not series:
        return _note(width, height)
    cumulative = mode == "cumulative"
    bands = {n: b for n, b in (data.bands or {}).items() if n in series} if cumulative else {}
    last = first + max(len(v) for v in series.values()) - 1
    marks = sorted(
        (m, a, b)
        for a, b, m in data.breakevens
        if cumulative and m is not None and first <= m <= last and a in series and b in series
    )

    show_legend = height >= 4
    show_labels = height >= 5
    show_readout = cursor is not None and height >= 6
    show_notes = bool(marks) and height >= 7 + show_readout
    plot_h = height - 1 - show_legend - show_labels - show_notes - show_readout
    if cursor is not None:
        cursor = min(max(cursor, first), last)

    finite = [v for values in series.values() for v in values if math.isfinite(v)]
    for low, high in bands.values():
        finite.extend(v for v in (*low, *high) if math.isfinite(v))
    if not finite:
        finite = [0.0]
    low_v, high_v = min(0.0, min(finite)), max(finite)
    ticks, step = nice_ticks(low_v, high_v, max(1, min(6, plot_h // 3)))
    bottom, top = ticks[0], max(high_v, ticks[-1])
    if not top > bottom:
        top = bottom + step
    tick_labels = [compact_amount(t, step) for t in ticks]
    margin = max(len(t) for t in tick_labels) + 1
    plot_w = width - margin - 2
    if plot_w < 4:
        return _note(width, height)

    dots_w, dots_h = plot_w * 2, plot_h * 4
    span = max(1, last - first)

    def x_dot(month: float) -> int:
        x = round((month - first) * (dots_w - 1) / span)
        return 0 if x < 0 else dots_w - 1 if x >= dots_w else x

    def y_dot(value: float) -> int:
        y = round((top - value) * (dots_h - 1) / (top - bottom))
        return 0 if y < 0 else dots_h - 1 if y >= dots_h else y

    # Order of drawing: the cheapest strategy last, on top.
    names = list(series)
    order = sorted(names, key=lambda n: n == data.cheapest)
    line_bits: dict[str, dict[int, int]] = {n: _line_cells(series[n], first, x_dot, y_dot, plot_w) for n in order}
    band_bits: dict[str, dict[int, int]] = {
        n: _band_cells(bands[n], first, last, x_dot, y_dot, plot_w) for n in order if n in bands
    }

    cells: dict[int, tuple[str, str]] = {}
    for name, layer in band_bits.items():  # overlapping bands: the later one shows
        role = name + "-band"
        cells.update({index: (chr(_BRAILLE | bits), role) for index, bits in layer.items()})
    _compose(cells, line_bits)
    mark_cols: dict[int, list[tuple[int, str, str]]] = {}
    for m, a, b in marks:
        mark_cols.setdefault(x_dot(m) >> 1, []).append((m, a, b))
    for col in mark_cols:
        for row in range(plot_h):
            cells.setdefault(row * plot_w + col, ("┊", "axis"))
    _place_markers(cells, series, order, first, x_dot, y_dot, plot_w, plot_h)
    if cursor is not None:
        col = x_dot(cursor) >> 1
        for row in range(plot_h):
            if row * plot_w + col not in cells or cells[row * plot_w + col][1] == "axis":
                cells[row * plot_w + col] = ("│", "mark")

    lines: list[list[Run]] = []
    if show_legend:
        title = "Cumulative" if cumulative else "Monthly"
        lines.append(_legend(names, data.cheapest, title, data.currency, width, data.unavailable))
    if show_readout and cursor is not None:
        lines.append(_readout(data, cursor, width))

    tick_rows: dict[int, str] = {}
    gap = 2 if plot_h >= 4 else 1
    for value, text in zip(ticks, tick_labels, strict=True):
        row = y_dot(value) >> 2
        if all(abs(row - r) >= gap for r in tick_rows):
            tick_rows[row] = text
    by_row: list[list[tuple[int, str, str]]] = [[] for _ in range(plot_h)]
    for index, (char, role) in cells.items():
        row, col = divmod(index, plot_w)
        by_row[row].append((col, char, role))
    for row, items in enumerate(by_row):
        label = tick_rows.get(row)
        runs: list[Run] = [((label or "").rjust(margin - 1) + " " + ("┤" if label else "│"), "axis")]
        runs.extend(_row_runs(items, plot_w))
        runs.append((" ", ""))
        lines.append(runs)

    month_step = _month_step(plot_w / span, len(str(last)))
    tick_months = [m for m in range(first, last + 1) if m % month_step == 0]
    axis_chars = ["─"] * plot_w
    axis_roles = ["axis"] * plot_w
    for m in tick_months:
        axis_chars[x_dot(m) >> 1] = "┬"
    for col, group in mark_cols.items():
        axis_chars[col] = "▲"
        strategies = {a for _, a, _ in group}
        axis_roles[col] = group[0][1] if len(strategies) == 1 else "mark"
    lines.append([(" " * margin + "└", "axis"), *_merge(axis_chars, axis_roles), (" ", "")])

    if show_labels:
        lines.append(_month_labels(tick_months, x_dot, margin, width))
    if show_notes:
        lines.append(_notes(marks, margin, width))
    return lines


def _place_markers(
    cells: dict[int, tuple[str, str]],
    series: Mapping[str, Sequence[float]],
    order: Sequence[str],
    first: int,
    x_dot: _XDot,
    y_dot: _YDot,
    plot_w: int,
    plot_h: int,
) -> None:
    """Put each series' marker letter on its line at a few months (staggered between series) and its
    short label at the line's end, so every series reads without colour."""
    letters = markers(list(series))
    count = max(1, len(order))
    for i, name in enumerate(order):
        values = series[name]
        n = len(values)
        if n < 2:
            continue
        every = max(2, (n - 1) // 4)
        offset = max(1, every * (i + 1) // (count + 1))
        for k in range(offset, n - 1, every):
            if math.isfinite(values[k]):
                index = (y_dot(values[k]) >> 2) * plot_w + (x_dot(first + k) >> 1)
                cells[index] = (letters[name], name)
    # Labels at the right end of each line, moved up or down a row when another label is there.
    used: set[int] = set()
    for name in reversed(order):  # the cheapest first: it keeps its own row
        values = series[name]
        if not values or not math.isfinite(values[-1]):
            continue
        label = _short(name)
        row = y_dot(values[-1]) >> 2
        for candidate in (row - 1, row + 1, row - 2, row + 2, row):
            if 0 <= candidate < plot_h and candidate not in used:
                row = candidate
                break
        else:
            continue
        used.add(row)
        start = max(0, plot_w - len(label))
        for j, ch in enumerate(label[: plot_w - start]):
            cells[row * plot_w + start + j] = (ch, name)


def _compose(cells: dict[int, tuple[str, str]], layers: Mapping[str, Mapping[int, int]]) -> None:
    """Put braille cells of several layers into `cells` (overwriting): the union of their dots,
    in the role of the layer with most dots in the cell (the later layer on a tie)."""
    best: dict[int, tuple[int, str, int]] = {}
    for role, layer in layers.items():
        for index, bits in layer.items():
            seen = best.get(index)
            count = bits.bit_count()
            if seen is None:
                best[index] = (count, role, bits)
            else:
                union = seen[2] | bits
                best[index] = (count, role, union) if count >= seen[0] else (seen[0], seen[1], union)
    for index, (_, role, bits) in best.items():
        cells[index] = (chr(_BRAILLE | bits), role)


def _row_runs(items: list[tuple[int, str, str]], plot_w: int) -> list[Run]:
    """Return the runs of one plot row of `plot_w` cells from its (column, character, role) cells."""
    items.sort()
    runs: list[Run] = []
    chars: list[str] = []
    role = ""
    at = 0
    for col, char, cell_role in items:
        if col != at or cell_role != role:
            if chars:
                runs.append(("".join(chars), role))
                chars = []
            if col != at:
                runs.append((" " * (col - at), ""))
            role = cell_role
        chars.append(char)
        at = col + 1
    if chars:
        runs.append(("".join(chars), role))
    if at < plot_w:
        runs.append((" " * (plot_w - at), ""))
    return runs


def _line_cells(values: Sequence[float], first: int, x_dot: _XDot, y_dot: _YDot, plot_w: int) -> dict[int, int]:
    """Return the braille bits per cell index (row * plot_w + column) of a polyline through `values`
    (months `first`, `first` + 1, ...); a value that is not finite breaks the line."""
    bits: dict[int, int] = {}
    dot = _DOT
    previous: tuple[int, int] | None = None
    for i, value in enumerate(values):
        if not math.isfinite(value):
            previous = None
            continue
        x1, y1 = x_dot(first + i), y_dot(value)
        x0, y0 = previous if previous is not None else (x1, y1)
        dx, dy = x1 - x0, y1 - y0
        n = max(abs(dx), abs(dy), 1)
        twice = 2 * n
        for k in range(n + 1):
            x = x0 + (2 * dx * k + n) // twice  # x0 + dx * k / n, rounded half up
            y = y0 + (2 * dy * k + n) // twice
            index = (y >> 2) * plot_w + (x >> 1)
            bits[index] = bits.get(index, 0) | dot[y & 3][x & 1]
        previous = (x1, y1)
    return bits


def _band_cells(
    band: tuple[Sequence[float], Sequence[float]],
    first: int,
    last: int,
    x_dot: _XDot,
    y_dot: _YDot,
    plot_w: int,
) -> dict[int, int]:
    """Return the stipple bits per cell index of the area between a band's low and high series.

    One dot column per cell is filled, every other dot row: the left column (rows 0, 2) in even
    cells and the right column (rows 1, 3) in odd ones, a light quarter-density shade.
    """
    low, high = band
    n = min(len(low), len(high), last - first + 1)
    bits: dict[int, int] = {}
    if n < 1:
        return bits
    # Dot rows of each month's high (upper edge) and low (lower edge); y_dot is monotonic.
    pairs = list(zip(low[:n], high[:n], strict=True))
    upper = [y_dot(max(a, b)) if math.isfinite(a) and math.isfinite(b) else -1 for a, b in pairs]
    lower = [y_dot(min(a, b)) if u >= 0 else -1 for (a, b), u in zip(pairs, upper, strict=True)]
    x0 = x_dot(first)
    months_per_dot = max(1, last - first) / max(1, x_dot(last) - x0)
    for col in range(x_dot(first) >> 1, (x_dot(first + n - 1) >> 1) + 1):
        side = col & 1
        at = (2 * col + side - x0) * months_per_dot
        i = int(at)
        if i >= n - 1:
            i, t = n - 1, 0.0
        else:
            t = at - i
        j = i + 1 if t else i
        if upper[i] < 0 or upper[j] < 0:
            continue
        y_top = int(upper[i] + (upper[j] - upper[i]) * t + 0.5)
        y_bottom = int(lower[i] + (lower[j] - lower[i]) * t + 0.5)
        r_top, r_bottom = y_top >> 2, y_bottom >> 2
        stipple = _STIPPLE[side]
        if r_bottom > r_top + 1:
            bits.update(dict.fromkeys(range((r_top + 1) * plot_w + col, r_bottom * plot_w, plot_w), stipple))
        spans = _SPAN[side]
        top_row = spans[y_top & 3][3 if r_bottom > r_top else y_bottom & 3] & stipple
        if top_row:
            bits[r_top * plot_w + col] = top_row
        if r_bottom > r_top:
            bottom_row = spans[0][y_bottom & 3] & stipple
            if bottom_row:
                bits[r_bottom * plot_w + col] = bottom_row
    return bits


def _month_step(cells_per_month: float, digits: int) -> int:
    """Return the months between x ticks: the smallest usual step whose labels stay apart."""
    room = max(6, digits + 2)
    return next((s for s in _MONTH_STEPS if s * cells_per_month >= room), _MONTH_STEPS[-1])


def _month_labels(months: Sequence[int], x_dot: _XDot, margin: int, width: int) -> list[Run]:
    """Return the line of month numbers under the x ticks, with the axis unit in the margin."""
    chars = [" "] * width
    unit = "month" if margin >= 6 else "m"
    if margin >= len(unit):
        chars[margin - len(unit) : margin] = unit
    free = margin + 1
    for m in months:
        text = str(m)
        col = margin + 1 + (x_dot(m) >> 1)
        start = min(max(col - (len(text) - 1) // 2, free), width - len(text))
        if start < free:
            continue
        chars[start : start + len(text)] = text
        free = start + len(text) + 1
    return [("".join(chars), "axis")]


def _notes(marks: Sequence[tuple[int, str, str]], margin: int, width: int) -> list[Run]:
    """Return the line naming the break-even marks, e.g. `break-even ▲ m8 Hybrid=RAG, FT=RAG`."""
    groups: dict[int, list[tuple[str, str]]] = {}
    for m, a, b in marks:
        groups.setdefault(m, []).append((a, b))
    body: list[Run] = []
    for m, pairs in groups.items():
        owners = {a for a, _ in pairs}
        text = ", ".join(f"{_short(a)}={_short(b)}" for a, b in pairs)
        body.extend([("▲", pairs[0][0] if len(owners) == 1 else "mark"), (f" m{m} {text}", "axis"), ("  ", "")])
    body.pop()
    used = sum(len(t) for t, _ in body)
    if margin + len("break-even ") + used <= width:
        body = [(" " * margin + "break-even ", "axis"), *body]
    elif used > width:
        body = [*_pad(body, width - 1), ("…", "axis")]
    return _pad(body, width)
