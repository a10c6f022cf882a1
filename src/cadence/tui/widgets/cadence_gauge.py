"""The big cadence number and a gauge against the target band.

Read from a metre away on a treadmill: the number is drawn with ``Digits`` and
coloured by where it sits (below, in, above the band), and a one-line gauge
shows the band, the cadence marker and the metronome's tempo.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Digits, Static


def band_position(cadence_spm: float | None, low_spm: float, high_spm: float) -> str:
    """``"below"``, ``"in"``, ``"above"`` or ``"none"`` (no reading)."""
    if cadence_spm is None:
        return "none"
    if cadence_spm < low_spm - 0.5:
        return "below"
    if cadence_spm > high_spm + 0.5:
        return "above"
    return "in"


class BandGauge(Widget):
    """One line: the band as a bright segment, ▲ for the cadence, ┃ for the tempo."""

    DEFAULT_CSS = "BandGauge { height: 2; }"

    cadence_spm: reactive[float | None] = reactive(None)
    """The runner's cadence, steps per minute."""
    tempo_spm: reactive[float | None] = reactive(None)
    """The metronome's tempo, steps per minute."""
    band: reactive[tuple[float, float]] = reactive((170.0, 180.0))
    """The target band (low, high), steps per minute."""

    def render(self) -> Text:
        width = max(20, self.size.width)
        low, high = self.band
        lo_axis, hi_axis = min(low - 30.0, 140.0), max(high + 15.0, 195.0)

        def col(v: float) -> int:
            x = (v - lo_axis) / (hi_axis - lo_axis) * (width - 1)
            return max(0, min(width - 1, round(x)))

        chars = ["─"] * width
        for i in range(col(low), col(high) + 1):
            chars[i] = "━"
        if self.tempo_spm is not None:
            chars[col(self.tempo_spm)] = "┃"
        bar = Text("".join(chars), style="grey50")
        bar.stylize("bold green", col(low), col(high) + 1)
        if self.tempo_spm is not None:
            bar.stylize("bold cyan", col(self.tempo_spm), col(self.tempo_spm) + 1)
        out = Text()
        out.append_text(bar)
        out.append("\n")
        if self.cadence_spm is not None and self.cadence_spm > 0:
            if self.cadence_spm < lo_axis:
                out.append(f"◀ {self.cadence_spm:.0f}", style="bold")
            else:
                out.append(" " * col(self.cadence_spm) + "▲", style="bold")
        else:
            left, band_label, right = f"{lo_axis:.0f}", f"{low:.0f}-{high:.0f}", f"{hi_axis:.0f}"
            row = left.ljust(max(len(left) + 1, col(low))) + band_label
            row = row.ljust(max(len(row) + 1, width - len(right))) + right
            out.append(row[:width], style="grey50")
        return out


class CadenceGauge(Widget):
    """The cadence in big digits with the band gauge under it."""

    # Fixed sizes: a size change would make Textual lay the whole screen out again
    # on every new number (about a fifth of the rendering time in a profile).
    DEFAULT_CSS = """
    CadenceGauge { height: 6; }
    CadenceGauge > Digits { width: 9; height: 3; }
    CadenceGauge > #cadence-unit { height: 1; }
    CadenceGauge > #cadence-unit { color: $text-muted; }
    CadenceGauge.-in > Digits { color: $success; }
    CadenceGauge.-below > Digits { color: $warning; }
    CadenceGauge.-above > Digits { color: $accent; }
    """

    cadence_spm: reactive[float | None] = reactive(None)
    """What the screen shows as the runner's cadence, steps per minute."""
    tempo_spm: reactive[float | None] = reactive(None)
    """The metronome's tempo, steps per minute."""
    band: reactive[tuple[float, float]] = reactive((170.0, 180.0))
    """The target band (low, high)."""
    source: reactive[str] = reactive("footpod")
    """Where the number comes from (footpod, tap, estimate), shown next to the unit."""

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self._digits = Digits("---", id="cadence-digits")
        self._unit = Static("steps/min", id="cadence-unit")
        self._bar = BandGauge(id="band-gauge")
        self._unit_text = "steps/min"

    def compose(self) -> ComposeResult:
        yield self._digits
        yield self._unit
        yield self._bar

    def _refresh_all(self) -> None:
        if not self.is_mounted:
            return
        digits = self._digits
        value = self.cadence_spm
        text = "---" if value is None or value <= 0 else f"{value:.0f}"
        if text != digits.value:
            digits.update(text)
        for pos in ("in", "below", "above", "none"):
            self.set_class(pos == band_position(value, *self.band), f"-{pos}")
        unit = "steps/min" if self.source == "footpod" else f"steps/min ({self.source})"
        if unit != self._unit_text:
            self._unit_text = unit
            self._unit.update(unit)
        gauge = self._bar
        gauge.cadence_spm = value
        gauge.tempo_spm = self.tempo_spm
        gauge.band = self.band

    def on_mount(self) -> None:
        self._refresh_all()

    def watch_cadence_spm(self) -> None:
        self._refresh_all()

    def watch_tempo_spm(self) -> None:
        self._refresh_all()

    def watch_band(self) -> None:
        self._refresh_all()

    def watch_source(self) -> None:
        self._refresh_all()
