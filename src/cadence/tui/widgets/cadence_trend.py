"""Cadence over the last five minutes on fixed axes, with the band and today's target.

A sparkline stretches whatever it holds over its width (eight readings look
like five minutes) and rescales its height to the data, so a flat line and a
wild one look the same. Here the axes are fixed: the x axis is always five
minutes of session time (at the start the readings fill it from the left as
the minutes pass, then it scrolls), the y axis a fixed range around the band
and today's target, both labelled. The band is shaded, the target drawn as a
dotted line. One value per second is kept, and the chart is drawn again only
when one is added (once a second) or the size changes.
"""

from __future__ import annotations

import math
from collections import deque

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from cadence.tui.widgets.cadence_gauge import ON_TARGET_SPM

LABEL_W = 5  # "180 ┤"


def y_range(low_spm: float, high_spm: float, target_spm: float | None) -> tuple[float, float]:
    """A fixed range: 20 below the band or today's target, 10 above the band, in tens."""
    bottom = min(low_spm, target_spm) if target_spm else low_spm
    return math.floor((bottom - 20.0) / 10.0) * 10.0, math.ceil((high_spm + 10.0) / 10.0) * 10.0


def window_start_s(now_s: float, span_s: float) -> float:
    """The chart's left edge: 0 until ``span_s`` has passed, then ``now - span``."""
    return max(0.0, now_s - span_s)


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


class CadenceTrend(Widget):
    DEFAULT_CSS = "CadenceTrend { height: 1fr; min-height: 6; text-wrap: nowrap; }"

    band: reactive[tuple[float, float]] = reactive((170.0, 180.0))
    """The band (low, high), steps per minute."""
    target_spm: reactive[int | None] = reactive(None)
    """Today's target, whole steps per minute."""
    now_s: reactive[float] = reactive(0.0)
    """The session time of the newest value (moves the window)."""

    def __init__(self, minutes: float = 5.0, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.minutes = minutes
        self.span_s = minutes * 60.0
        self._values: deque[tuple[float, float]] = deque(maxlen=int(self.span_s) + 2)
        self._last_t_s = -1.0

    @property
    def values(self) -> list[tuple[float, float]]:
        """The (session time, cadence) pairs held, oldest first."""
        return list(self._values)

    def add(self, t_s: float, cadence_spm: float) -> None:
        """Add a reading; at most one per second is kept (and drawn)."""
        if t_s - self._last_t_s < 1.0:
            return
        self._last_t_s = t_s
        self._values.append((t_s, cadence_spm))
        self.now_s = t_s

    def render(self) -> Text:
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
            return title
        y_lo, y_hi = y_range(low, high, target)
        pixels = rows * 2

        def pixel(v: float) -> int:  # 0 at the top
            p = round((y_hi - v) / (y_hi - y_lo) * (pixels - 1))
            return max(0, min(pixels - 1, p))

        def row_of(v: float) -> int:
            return pixel(v) // 2

        start = window_start_s(self.now_s, self.span_s)
        means = bucket_means(list(self._values), start, self.span_s, cols)
        band_rows = range(row_of(high), row_of(low) + 1)
        target_row = row_of(target) if target else None
        labels = {row_of(y_hi): y_hi, row_of(y_lo): y_lo, row_of(high): high, row_of(low): low}
        if target is not None and target_row is not None:
            labels[target_row] = float(target)
        floor = min(low - 0.5, target - ON_TARGET_SPM) if target else low - 0.5
        out = Text(no_wrap=True)
        out.append_text(title)
        for r in range(rows):
            out.append("\n")
            label = f"{labels[r]:>3.0f} ┤" if r in labels else "    │"
            out.append(label, style="grey62")
            shade = "on #16301a" if r in band_rows else ""
            for c in range(cols):
                v = means[c]
                if v is not None and v < y_lo and r == rows - 1:
                    out.append("▁", style=f"grey50 {shade}".strip())  # below the scale: walking
                elif v is not None and v > y_hi and r == 0:
                    out.append("▔", style=f"magenta {shade}".strip())
                elif v is not None and y_lo <= v <= y_hi and row_of(v) == r:
                    ch = "▀" if pixel(v) % 2 == 0 else "▄"
                    colour = "yellow" if v < floor else ("magenta" if v > high + 0.5 else "green")
                    out.append(ch, style=f"bold {colour} {shade}".strip())
                elif r == target_row:
                    out.append("┄", style=f"white {shade}".strip())
                else:
                    out.append(" ", style=shade)
        out.append("\n")
        out.append_text(self._time_axis(start, cols))
        return out

    def _time_axis(self, start_s: float, cols: int) -> Text:
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
        out = Text(no_wrap=True, style="grey62")
        out.append("    └" + "".join(axis))
        out.append("\n" + " " * (LABEL_W - 1) + "".join(line))
        return out
