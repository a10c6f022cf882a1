"""The big cadence number and a gauge against today's target and the band.

Read from 1-2 m on a treadmill: the number is drawn with ``BigText`` (it grows
with the terminal) and coloured by where it sits against *today's* target,
not the band's floor: a week-1 runner whose target is 166 is on target at
166, even though the long-term band starts at 170. Under it, one line names
the target and the band as numbers, and a two-row gauge draws the band, the
target (◆), the metronome's tempo (┃) and the cadence (▲).

Every attribute holds a display value (whole steps per minute), so a reading
that changes in the decimals does not redraw anything.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.reactive import reactive, var
from textual.widget import Widget

from cadence.tui.widgets.big_text import BigText

#: within this much below today's target still counts as on target (the coach's hold margin)
ON_TARGET_SPM = 2.0


def band_position(
    cadence_spm: float | None, low_spm: float, high_spm: float, target_spm: float | None = None
) -> str:
    """``"below"``, ``"in"``, ``"above"`` or ``"none"`` (no reading).

    With ``target_spm`` (today's target), "in" starts ``ON_TARGET_SPM`` below the
    target when that is below the band: the colour follows today's goal.
    """
    if cadence_spm is None or cadence_spm <= 0:
        return "none"
    floor = low_spm - 0.5
    if target_spm is not None and target_spm > 0:
        floor = min(floor, target_spm - ON_TARGET_SPM)
    if cadence_spm < floor:
        return "below"
    if cadence_spm > high_spm + 0.5:
        return "above"
    return "in"


def gauge_axis(low_spm: float, high_spm: float, target_spm: float | None) -> tuple[float, float]:
    """The gauge's fixed range: room below the band and today's target, a little above."""
    bottom = min(low_spm, target_spm or low_spm)
    return min(bottom - 25.0, 140.0), max(high_spm + 15.0, 195.0)


class BandGauge(Widget):
    """Two rows: the band as a bright segment with ◆ at the target and ┃ at the tempo; ▲ under."""

    DEFAULT_CSS = "BandGauge { height: 2; text-wrap: nowrap; }"

    cadence_spm: reactive[int | None] = reactive(None)
    """The runner's cadence, whole steps per minute."""
    tempo_spm: reactive[int | None] = reactive(None)
    """The metronome's tempo, whole steps per minute."""
    target_spm: reactive[int | None] = reactive(None)
    """Today's target, whole steps per minute."""
    band: reactive[tuple[float, float]] = reactive((170.0, 180.0))
    """The target band (low, high), steps per minute."""

    def render(self) -> Text:
        width = max(20, self.size.width)
        low, high = self.band
        lo_axis, hi_axis = gauge_axis(low, high, self.target_spm)

        def col(v: float) -> int:
            x = (v - lo_axis) / (hi_axis - lo_axis) * (width - 1)
            return max(0, min(width - 1, round(x)))

        chars = ["─"] * width
        for i in range(col(low), col(high) + 1):
            chars[i] = "━"
        if self.target_spm is not None:
            chars[col(self.target_spm)] = "◆"
        if self.tempo_spm is not None:
            chars[col(self.tempo_spm)] = "┃"
        bar = Text("".join(chars), style="grey50")
        bar.stylize("bold green", col(low), col(high) + 1)
        if self.target_spm is not None:
            bar.stylize("bold white", col(self.target_spm), col(self.target_spm) + 1)
        if self.tempo_spm is not None:
            bar.stylize("bold cyan", col(self.tempo_spm), col(self.tempo_spm) + 1)
        out = Text(no_wrap=True)
        out.append_text(bar)
        out.append("\n")
        if self.cadence_spm is not None and self.cadence_spm > 0:
            if self.cadence_spm < lo_axis:
                out.append(f"◀ {self.cadence_spm}", style="bold")
            else:
                out.append(" " * col(self.cadence_spm) + "▲", style="bold")
        else:
            left, right = f"{lo_axis:.0f}", f"{hi_axis:.0f}"
            row = left.ljust(max(len(left) + 1, col(low))) + f"{low:.0f}-{high:.0f}"
            row = row.ljust(max(len(row) + 1, width - len(right))) + right
            out.append(row[:width], style="grey50")
        return out


def target_line(
    source: str, target_spm: int | None, band: tuple[float, float], width: int
) -> str:
    """``steps/min   target 166   band 170-180``, shortened to fit ``width``."""
    unit = "steps/min" if source == "footpod" else f"steps/min ({source})"
    band_text = f"band {band[0]:.0f}-{band[1]:.0f}"
    target = f"target {target_spm}" if target_spm else ""
    for parts in ((unit, target, band_text), (unit, target), ("spm", target), (unit,)):
        line = "   ".join(p for p in parts if p)
        if len(line) <= width:
            return line
    return unit[:width]


class TargetLine(Widget):
    """The unit, today's target and the band as numbers, in one row."""

    DEFAULT_CSS = "TargetLine { height: 1; color: $text-muted; text-wrap: nowrap; }"

    source: reactive[str] = reactive("footpod")
    target_spm: reactive[int | None] = reactive(None)
    band: reactive[tuple[float, float]] = reactive((170.0, 180.0))

    def render(self) -> Text:
        line = target_line(self.source, self.target_spm, self.band, self.size.width)
        out = Text(line, no_wrap=True)
        if self.target_spm:
            at = line.find(f"target {self.target_spm}")
            if at >= 0:
                out.stylize("bold white", at, at + len(f"target {self.target_spm}"))
        return out


def _whole(value: float | None) -> int | None:
    return None if value is None or value <= 0 else round(value)


#: the shown number moves only when the reading is this far from it: no flicker
#: between two numbers on a steady cadence (and no screen update for it)
SHOWN_HYSTERESIS_SPM = 1.0


def shown_cadence(value: float | None, shown: int | None) -> int | None:
    """The whole number to show for ``value``, keeping ``shown`` while within the hysteresis."""
    if value is None or value <= 0:
        return None
    if shown is not None and abs(value - shown) < SHOWN_HYSTERESIS_SPM:
        return shown
    return round(value)


class CadenceGauge(Widget):
    """The cadence in big digits, the target line and the band gauge under it."""

    DEFAULT_CSS = """
    CadenceGauge { height: 1fr; }
    CadenceGauge > BigText { height: 1fr; min-height: 4; }
    CadenceGauge.-in > BigText { color: $success; }
    CadenceGauge.-below > BigText { color: $warning; }
    CadenceGauge.-above > BigText { color: $accent; }
    CadenceGauge.-none > BigText { color: $text; }
    """

    cadence_spm: var[float | None] = var(None)
    """What the screen shows as the runner's cadence, steps per minute."""
    tempo_spm: var[float | None] = var(None)
    """The metronome's tempo, steps per minute."""
    target_spm: var[float | None] = var(None)
    """Today's target (where the tempo ramp heads this session); None before it is known."""
    band: var[tuple[float, float]] = var((170.0, 180.0))
    """The target band (low, high)."""
    source: var[str] = var("footpod")
    """Where the number comes from (footpod, tap, estimate), shown next to the unit."""
    judged: var[bool] = var(True)
    """Whether the colour judges the number (running); walking cadence is shown plain."""

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.digits = BigText("---", max_scale=6, id="cadence-digits")
        self._line = TargetLine(id="cadence-unit")
        self._bar = BandGauge(id="band-gauge")
        self._position = ""
        self._shown: int | None = None

    def compose(self) -> ComposeResult:
        yield self.digits
        yield self._line
        yield self._bar

    @property
    def shown_spm(self) -> int | None:
        """The whole number on screen (None: ``---``)."""
        return self._shown

    @property
    def position(self) -> str:
        """Where the shown cadence sits: ``in`` (on target), ``below``, ``above`` or ``none``."""
        return self._position

    def _refresh_all(self) -> None:
        if not self.is_mounted:
            return
        shown = self._shown = shown_cadence(self.cadence_spm, self._shown)
        target = _whole(self.target_spm)
        self.digits.text = "---" if shown is None else str(shown)
        position = band_position(shown, *self.band, target) if self.judged else "none"
        if position != self._position:
            for pos in ("in", "below", "above", "none"):
                self.set_class(pos == position, f"-{pos}")
            self._position = position
        line = self._line
        line.source, line.target_spm, line.band = self.source, target, self.band
        gauge = self._bar
        gauge.cadence_spm = shown
        gauge.tempo_spm = _whole(self.tempo_spm)
        gauge.target_spm = target
        gauge.band = self.band

    def on_mount(self) -> None:
        self._refresh_all()

    def watch_cadence_spm(self) -> None:
        self._refresh_all()

    def watch_tempo_spm(self) -> None:
        self._refresh_all()

    def watch_target_spm(self) -> None:
        self._refresh_all()

    def watch_band(self) -> None:
        self._refresh_all()

    def watch_source(self) -> None:
        self._refresh_all()

    def watch_judged(self) -> None:
        self._refresh_all()
