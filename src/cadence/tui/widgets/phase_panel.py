"""Phase, countdown and round, plus the session's running numbers.

Two boxes of plain values: what the program is doing now (warm-up, run, walk,
cool-down; time left; round n of N) and how the session is going (elapsed
time, distance, speed and pace, incline, heart rate).
"""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from cadence.coach.actions import Phase
from cadence.report.words import duration_text

PHASE_TITLES: dict[Phase, str] = {
    Phase.WARMUP: "WARM-UP",
    Phase.RUN: "RUN",
    Phase.WALK: "WALK",
    Phase.COOLDOWN: "COOL-DOWN (walk)",
    Phase.DONE: "FINISHED",
}


class PhasePanel(Widget):
    DEFAULT_CSS = "PhasePanel { height: 5; }"

    phase: reactive[Phase] = reactive(Phase.WARMUP)
    """The program's current phase."""
    label: reactive[str] = reactive("")
    """A name for the block, e.g. a warm-up exercise."""
    left_s: reactive[float | None] = reactive(None)
    """Seconds left in the phase; None when open-ended."""
    round_index: reactive[int] = reactive(0)
    """1-based round; 0 outside the rounds."""
    rounds_total: reactive[int] = reactive(0)
    """Rounds in the session."""
    paused: reactive[bool] = reactive(False)
    """Whether the session clock is paused."""

    def render(self) -> Text:
        out = Text()
        out.append(PHASE_TITLES.get(self.phase, str(self.phase)), style="bold reverse")
        if self.paused:
            out.append("  PAUSED", style="bold yellow")
        out.append("\n")
        if self.label:
            out.append(self.label + "\n")
        if self.left_s is not None:
            out.append(f"{duration_text(self.left_s)} left", style="bold")
        else:
            out.append("no time limit")
        if self.rounds_total > 0 and self.round_index > 0:
            out.append(f"   round {self.round_index}/{self.rounds_total}")
        return out


class Metrics(Widget):
    DEFAULT_CSS = "Metrics { height: 6; }"

    elapsed_s: reactive[float] = reactive(0.0)
    """Active session time."""
    distance_m: reactive[float | None] = reactive(None)
    """Distance so far."""
    speed_mps: reactive[float | None] = reactive(None)
    """Current speed."""
    incline_pct: reactive[float | None] = reactive(None)
    """Treadmill incline, when a treadmill reports it."""
    hr_bpm: reactive[int | None] = reactive(None)
    """Heart rate."""

    def render(self) -> Text:
        rows: list[tuple[str, str]] = [("time", duration_text(self.elapsed_s))]
        rows.append(
            ("distance", "--" if self.distance_m is None else f"{self.distance_m / 1000:.2f} km")
        )
        if self.speed_mps is not None and self.speed_mps > 0.1:
            pace_s = 1000.0 / self.speed_mps
            pace = duration_text(pace_s)
            rows.append(("speed", f"{self.speed_mps * 3.6:.1f} km/h  ({pace} /km)"))
        else:
            rows.append(("speed", "--"))
        if self.incline_pct is not None:
            rows.append(("incline", f"{self.incline_pct:.1f} %"))
        rows.append(("heart", "--" if self.hr_bpm is None else f"{self.hr_bpm} bpm"))
        out = Text()
        for i, (name, value) in enumerate(rows):
            out.append(f"{name:<9}", style="grey62")
            out.append(value, style="bold")
            if i < len(rows) - 1:
                out.append("\n")
        return out
