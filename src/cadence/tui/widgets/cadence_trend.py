"""Cadence over the last five minutes on fixed axes, with the band and today's target.

A sparkline stretches whatever it holds over its width (eight readings look
like five minutes) and rescales its height to the data, so a flat line and a
wild one look the same. Here the axes are fixed: the x axis is always five
minutes of session time (at the start the readings fill it from the left as
the minutes pass, then it scrolls), the y axis a fixed range around the band
and today's target, both labelled. The band is shaded, the target drawn as a
dotted line. One value per second is kept; the chart's rows are built again
only when one is added (once a second) or the size changes, and until the
window moves a column only the newest column is repainted.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass
from itertools import groupby

from rich.text import Text
from textual.geometry import Region
from textual.reactive import reactive, var
from textual.strip import Strip
from textual.widget import Widget

from cadence.tui.widgets.cadence_gauge import ON_TARGET_SPM

LABEL_W = 5  # "180 ┤"
MIN_GAP_S = 0.75  # under a second: the clock's seconds come on ticks, with jitter


def y_range(low_spm: float, high_spm: float, target_spm: float | None) -> tuple[float, float]:
    """A fixed range: 20 below the band or today's target, 10 above the band, in tens."""
    bottom = min(low_spm, target_spm) if target_spm else low_spm
    return math.floor((bottom - 20.0) / 10.0) * 10.0, math.ceil((high_spm + 10.0) / 10.0) * 10.0


def window_start_s(now_s: float, span_s: float, columns: int) -> float:
    """The chart's left edge: 0 until ``span_s`` has passed, then about ``now - span``.

    It moves in steps of one column's time, with ``now`` always in the last
    column, so a column's readings stay in that column until it scrolls.
    """
    col_s = span_s / max(1, columns)
    return max(0.0, (math.floor(now_s / col_s) + 1) * col_s - span_s)


def bucket_means(
    values: list[tuple[float, float]], start_s: float, span_s: float, columns: int
) -> list[float | None]:
    """Mean cadence per column of ``span_s / columns`` seconds; None where nothing fell."""
    sums = [0.0] * columns
    counts = [0] * columns
    for t_s, v in values:
        c = int((t_s - start_s) / span_s * columns)
        if 0 <= c < columns:
            sums[c] += v
            counts[c] += 1
    return [s / n if n else None for s, n in zip(sums, counts, strict=True)]


@dataclass(frozen=True, slots=True)
class Scale:
    """Where a column's mean cadence is drawn: the y axis in half-row pixels, and its colour."""

    y_lo: float
    y_hi: float
    pixels: int  # two a row (the upper and lower half blocks)
    floor_spm: float  # below this a running mean is drawn yellow
    high_spm: float  # above the band: magenta

    def pixel(self, v: float) -> int:
        """0 at the top."""
        p = round((self.y_hi - v) / (self.y_hi - self.y_lo) * (self.pixels - 1))
        return max(0, min(self.pixels - 1, p))

    def look(self, v: float | None) -> tuple[int, str] | None:
        """(pixel, colour) of a column's mark: -1 under the scale, -2 over it; None: empty."""
        if v is None:
            return None
        if v < self.y_lo:
            return (-1, "grey50")
        if v > self.y_hi:
            return (-2, "magenta")
        colour = "yellow" if v < self.floor_spm else (
            "magenta" if v > self.high_spm + 0.5 else "green")
        return (self.pixel(v), colour)


def scale_for(band: tuple[float, float], target_spm: int | None, rows: int) -> Scale:
    low, high = band
    y_lo, y_hi = y_range(low, high, target_spm)
    floor = min(low - 0.5, target_spm - ON_TARGET_SPM) if target_spm else low - 0.5
    return Scale(y_lo, y_hi, rows * 2, floor, high)


class CadenceTrend(Widget):
    DEFAULT_CSS = "CadenceTrend { height: 1fr; min-height: 6; }"

    band: reactive[tuple[float, float]] = reactive((170.0, 180.0))
    """The band (low, high), steps per minute."""
    target_spm: reactive[int | None] = reactive(None)
    """Today's target, whole steps per minute."""
    now_s: var[float] = var(0.0)
    """The session time of the newest value (moves the window)."""

    def __init__(self, minutes: float = 5.0, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.minutes = minutes
        self.span_s = minutes * 60.0
        self._values: deque[tuple[float, float]] = deque(maxlen=int(self.span_s) + 2)
        self._last_t_s = -1.0
        self._key: tuple[object, ...] = ()
        self._lines: list[Text] = []
        self._strips: list[Strip] = []
        self._drawn_start_s = -1.0

    @property
    def values(self) -> list[tuple[float, float]]:
        """The (session time, cadence) pairs held, oldest first."""
        return list(self._values)

    def add(self, t_s: float, cadence_spm: float) -> None:
        """Add a reading; about one per second is kept (and drawn).

        The screen adds one when its clock shows a new second, so the chart and
        the clock change in the same screen update (each update has a fixed
        cost, whatever its size). Readings closer than ``MIN_GAP_S`` are dropped.

        The window moves in whole columns, so until a column's worth of time has
        passed only the newest column is repainted, not the whole chart.
        """
        if t_s - self._last_t_s < MIN_GAP_S:
            return
        self._last_t_s = t_s
        cols = self.size.width - LABEL_W
        rows = self.size.height - 3
        start = window_start_s(t_s, self.span_s, max(1, cols))
        col = min(cols - 1, int((t_s - start) / self.span_s * cols)) if cols > 0 else 0
        col_start_s = start + col * self.span_s / max(1, cols)
        scale = scale_for(self.band, self.target_spm, max(1, rows))
        before = scale.look(self._column_mean(col_start_s))
        self._values.append((t_s, cadence_spm))
        self.now_s = t_s
        if not self.is_mounted or cols < 10 or rows < 2:
            return
        if start != self._drawn_start_s:
            self.refresh()
        elif scale.look(self._column_mean(col_start_s)) != before:
            self.refresh(Region(LABEL_W + col, 1, 1, rows))
        # else the column looks as it did: nothing to repaint (the rows are rebuilt on
        # the next repaint anyway, from every value held)

    def _column_mean(self, start_s: float) -> float | None:
        """The mean of the values from ``start_s`` on (the newest column's), or None."""
        total, n = 0.0, 0
        for t_s, v in reversed(self._values):
            if t_s < start_s:
                break
            total, n = total + v, n + 1
        return total / n if n else None

    def render_line(self, y: int) -> Strip:
        """One row of the chart, from strips built once per change (the Line API)."""
        key = (self.size, self.band, self.target_spm, self.now_s, len(self._values))
        if key != self._key:
            self._key = key
            width, console, base = self.size.width, self.app.console, self.rich_style
            self._strips = [
                Strip(list(line.render(console, end="")))
                .adjust_cell_length(width)
                .apply_style(base)  # the widget's own colours under every cell
                for line in self.chart_lines()
            ]
        if 0 <= y < len(self._strips):
            return self._strips[y]
        return Strip.blank(self.size.width)

    def render(self) -> Text:
        """The whole chart as one text (what ``render_line`` draws, for tests and export)."""
        return Text("\n").join(self.chart_lines())

    def chart_lines(self) -> list[Text]:
        """Title, one row per plot row, the time axis and its labels."""
        width, height = self.size.width, self.size.height
        low, high = self.band
        target = self.target_spm
        title = Text(no_wrap=True, overflow="ellipsis")
        name = f"cadence, last {self.minutes:.0f} min   "
        if width < 60:
            name = f"last {self.minutes:.0f} min  "
        title.append(name, style="grey62")
        title.append("band ", style="grey62")
        title.append(f"{low:.0f}-{high:.0f}", style="bold green")
        if target:
            title.append("   ┄ target ", style="grey62")
            title.append(f"{target}", style="bold white")
        rows = height - 3  # the title, the time axis and its labels
        cols = width - LABEL_W
        if rows < 2 or cols < 10:
            return [title]
        scale = scale_for(self.band, target, rows)
        y_lo, y_hi = scale.y_lo, scale.y_hi

        def row_of(v: float) -> int:
            return scale.pixel(v) // 2

        start = window_start_s(self.now_s, self.span_s, cols)
        self._drawn_start_s = start
        means = bucket_means(list(self._values), start, self.span_s, cols)
        band_rows = range(row_of(high), row_of(low) + 1)
        target_row = row_of(target) if target else None
        labels = {row_of(y_hi): y_hi, row_of(y_lo): y_lo, row_of(high): high, row_of(low): low}
        if target is not None and target_row is not None:
            labels[target_row] = float(target)
        looks = [scale.look(v) for v in means]
        out = [title]
        for r in range(rows):
            line = Text(no_wrap=True)
            line.append(f"{labels[r]:>3.0f} ┤" if r in labels else "    │", style="grey62")
            shade = " on #16301a" if r in band_rows else ""
            cells: list[tuple[str, str]] = []
            for c in range(cols):
                look = looks[c]
                if look is not None and look[0] == -1 and r == rows - 1:
                    cells.append(("▁", look[1]))  # below the scale: walking
                elif look is not None and look[0] == -2 and r == 0:
                    cells.append(("▔", look[1]))
                elif look is not None and look[0] >= 0 and look[0] // 2 == r:
                    cells.append(("▀" if look[0] % 2 == 0 else "▄", "bold " + look[1]))
                elif r == target_row:
                    cells.append(("┄", "white"))
                else:
                    cells.append((" ", ""))
            # one span per run of equal style: a few spans a row, not one per cell
            for style, run in groupby(cells, key=lambda cell: cell[1]):
                line.append("".join(ch for ch, _ in run), style=(style + shade).strip())
            out.append(line)
        out.extend(self._time_axis(start, cols))
        return out

    def _time_axis(self, start_s: float, cols: int) -> list[Text]:
        """``└`` and a tick with the session time at each whole minute in the window."""
        axis = ["─"] * cols
        labels: list[tuple[int, str]] = []
        first = math.ceil(start_s / 60.0 - 1e-9)
        for minute in range(first, first + int(self.minutes) + 1):
            c = round((minute * 60.0 - start_s) / self.span_s * (cols - 1))
            if 0 <= c < cols:
                axis[c] = "┴"
                labels.append((c, f"{minute}:00"))
        line = list(" " * (cols + 1))
        for c, text in labels:
            at = min(max(0, c - len(text) // 2), cols + 1 - len(text))
            if all(ch == " " for ch in line[max(0, at - 1) : at + len(text)]):
                line[at : at + len(text)] = list(text)
        return [
            Text("    └" + "".join(axis), style="grey62", no_wrap=True),
            Text(" " * (LABEL_W - 1) + "".join(line), style="grey62", no_wrap=True),
        ]
