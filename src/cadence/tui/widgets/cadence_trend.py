"""A sparkline of cadence over the last minutes.

Holds one value per second (a bounded deque), the screen appends to it on
every tick with a new reading; Textual's ``Sparkline`` squeezes it into the
widget's width.
"""

from __future__ import annotations

from collections import deque

from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Sparkline, Static


class CadenceTrend(Widget):
    DEFAULT_CSS = """
    CadenceTrend { height: 4; }
    CadenceTrend > Sparkline { height: 3; }
    CadenceTrend > Static { color: $text-muted; }
    """

    def __init__(self, minutes: float = 5.0, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.minutes = minutes
        self._values: deque[float] = deque(maxlen=int(minutes * 60))
        self._last_t_s = -1.0
        self._spark = Sparkline([], summary_function=max)

    def compose(self) -> ComposeResult:
        yield Static(f"cadence, last {self.minutes:.0f} min")
        yield self._spark

    def add(self, t_s: float, cadence_spm: float) -> None:
        """Add a reading; at most one per second is kept."""
        if t_s - self._last_t_s < 1.0:
            return
        self._last_t_s = t_s
        self._values.append(cadence_spm)
        self._spark.data = list(self._values)
