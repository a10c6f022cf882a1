"""Phase, countdown, what comes next and the whole session's progress; the running numbers.

Read from the belt: the phase is a coloured block, its time left is drawn
with ``BigText``, and in the last three seconds before a switch the
countdown becomes a big 3, 2, 1 (as the earcons count in sound). Under it:
"next: WALK 3:00" (with "at 5.0 km/h" when a belt speed is planned) and a
bar of the session done with the total time left.

Every attribute is set from the coach's status four times a second, but
each holds what is shown (whole seconds, whole bar cells), so nothing
redraws between changes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.reactive import reactive
from textual.widget import Widget

from cadence.coach.actions import Phase
from cadence.report.words import duration_text
from cadence.tui.widgets.big_text import BigText

PHASE_TITLES: dict[Phase, str] = {
    Phase.WARMUP: "WARM-UP",
    Phase.RUN: "RUN",
    Phase.WALK: "WALK",
    Phase.COOLDOWN: "COOL-DOWN (walk)",
    Phase.DONE: "FINISHED",
}

_NEXT_TITLES: dict[Phase, str] = {**PHASE_TITLES, Phase.COOLDOWN: "COOL-DOWN"}

#: the block's colour classes: one per phase, and paused over them all
BLOCK_CLASSES = ("-run", "-walk", "-cooldown", "-warmup", "-done", "-paused")
#: the switch is counted down on screen from this many seconds
COUNTDOWN_FROM_S = 3


def countdown_number(left_s: float | None, has_next: bool) -> int | None:
    """3, 2 or 1 in the last seconds before a switch to another phase, else None."""
    if left_s is None or not has_next or left_s <= 0:
        return None
    n = math.ceil(left_s - 1e-9)
    return n if n <= COUNTDOWN_FROM_S else None


def next_text(phase: Phase | None, duration_s: float | None, speed_kmh: float | None) -> str:
    """``next: WALK 3:00 at 5.0 km/h``; empty at the last segment."""
    if phase is None:
        return ""
    out = f"next: {_NEXT_TITLES.get(phase, str(phase))}"
    if duration_s is not None:
        out += f" {duration_text(duration_s)}"
    if speed_kmh is not None and speed_kmh > 0:
        out += f" at {speed_kmh:.1f} km/h"
    return out


def progress_row(
    done_fraction: float, left_s: float | None, width: int, done_s: float | None = None
) -> Text:
    """``9:30`` done, a bar of the session done and ``23:10 left``, in ``width`` cells."""
    label = f" {duration_text(left_s)} left" if left_s is not None else " open-ended"
    head = f"{duration_text(done_s)} " if done_s is not None else ""
    bar_w = max(4, width - len(label) - len(head))
    filled = round(max(0.0, min(1.0, done_fraction)) * bar_w)
    out = Text(no_wrap=True)
    out.append(head, style="bold")
    out.append("█" * filled, style="bold cyan")
    out.append("░" * (bar_w - filled), style="grey35")
    out.append(label, style="bold")
    return out


class PhaseBlock(Widget):
    """The phase's name in a block of its colour (RUN green, WALK blue, ...)."""

    DEFAULT_CSS = """
    PhaseBlock { height: 3; content-align: center middle; text-style: bold; text-wrap: nowrap;
                 background: $primary 40%; }
    PhaseBlock.-run { background: $success 60%; }
    PhaseBlock.-walk, PhaseBlock.-cooldown { background: $primary 70%; }
    PhaseBlock.-warmup { background: $secondary 50%; }
    PhaseBlock.-paused { background: $warning 60%; }
    """

    title: reactive[str] = reactive("")

    def render(self) -> Text:
        return Text(self.title, no_wrap=True, overflow="ellipsis")


class ProgressRow(Widget):
    DEFAULT_CSS = "ProgressRow { height: 1; text-wrap: nowrap; }"

    cells_done: reactive[float] = reactive(0.0)
    """The fraction done, rounded to what one cell of the bar shows."""
    left_s: reactive[int | None] = reactive(None)
    """Whole seconds left in the session."""
    done_s: reactive[int] = reactive(0)
    """Whole seconds of active session time so far."""

    def render(self) -> Text:
        return progress_row(self.cells_done, self.left_s, self.size.width, self.done_s)


@dataclass(frozen=True, slots=True)
class PhaseView:
    """What the phase panel shows, from one coach status: set as a whole, drawn once.

    Why one value rather than an attribute each: the status changes several
    fields every tick (time left, time done, session left), and one watcher
    per field redrew the panel three times a tick.
    """

    phase: Phase = Phase.WARMUP
    label: str = ""  # a name for the block, e.g. a warm-up exercise
    left_s: float | None = None  # seconds left in the phase; None when open-ended
    round_index: int = 0  # 1-based; 0 outside the rounds
    rounds_total: int = 0
    paused: bool = False
    next_phase: Phase | None = None  # None at the last segment
    next_duration_s: float | None = None
    next_speed_kmh: float | None = None  # the belt speed planned for it (treadmill control)
    elapsed_s: float = 0.0  # active session time so far
    session_left_s: float | None = None  # planned time left; None while open-ended


class PhasePanel(Widget):
    DEFAULT_CSS = """
    PhasePanel { height: 1fr; }
    PhasePanel > BigText { height: 1fr; min-height: 4; }
    PhasePanel > BigText.-countdown { color: $warning; }
    PhasePanel > #phase-next, PhasePanel > #phase-round { height: 1; }
    PhasePanel > #phase-next { text-style: bold; }
    """

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.block = PhaseBlock(id="phase-block")
        self.clock = BigText("--:--", max_scale=5, id="phase-clock")
        self.round_line = _Line(id="phase-round")
        self.next_line = _Line(id="phase-next")
        self.progress = ProgressRow(id="phase-progress")
        self.view = PhaseView()

    def compose(self) -> ComposeResult:
        yield self.block
        yield self.clock
        yield self.round_line
        yield self.next_line
        yield self.progress

    def show(self, view: PhaseView) -> None:
        """Show ``view``; each part repaints only if what it shows changed."""
        if view != self.view:
            self.view = view
            self._sync()

    def _sync(self) -> None:
        if not self.is_mounted:
            return
        v = self.view
        title = PHASE_TITLES.get(v.phase, str(v.phase))
        count = countdown_number(v.left_s, v.next_phase is not None)
        if count is not None and v.next_phase is not None and not v.paused:
            title = f"{_NEXT_TITLES.get(v.next_phase, '')} in {count}"
        elif v.paused:
            title += "  ·  PAUSED"
        block = self.block
        block.title = title
        block_class = "-paused" if v.paused else f"-{v.phase.value}"
        if block_class not in block.classes:
            block.remove_class(*BLOCK_CLASSES)
            block.add_class(block_class)
        counting = count is not None and not v.paused
        self.clock.text = str(count) if counting else (
            duration_text(v.left_s) if v.left_s is not None else "--:--"
        )
        if counting != self.clock.has_class("-countdown"):
            self.clock.set_class(counting, "-countdown")
        parts = [v.label] if v.label and v.label.upper() != title else []
        if v.rounds_total > 0 and v.round_index > 0:
            parts.append(f"round {v.round_index}/{v.rounds_total}")
        if v.left_s is None:
            parts.append("no time limit")
        self.round_line.text = "   ".join(parts)
        self.next_line.text = next_text(v.next_phase, v.next_duration_s, v.next_speed_kmh)
        left = v.session_left_s
        total = v.elapsed_s + (left or 0.0)
        done = v.elapsed_s / total if left is not None and total > 0 else 0.0
        progress = self.progress
        cells = max(4, progress.size.width - 18)
        progress.cells_done = round(done * cells) / cells
        progress.left_s = None if left is None else int(left + 0.5)
        progress.done_s = int(v.elapsed_s + 0.5)

    def on_mount(self) -> None:
        self._sync()

    def on_resize(self) -> None:
        self._sync()


class _Line(Widget):
    """One row of plain text that repaints only when its text changes."""

    DEFAULT_CSS = "_Line { height: 1; text-wrap: nowrap; text-overflow: ellipsis; }"

    text: reactive[str] = reactive("")

    def render(self) -> Text:
        return Text(self.text, no_wrap=True, overflow="ellipsis")


def metric_rows(
    distance_m: float | None,
    speed_mps: float | None,
    incline_pct: float | None,
    hr_bpm: int | None,
) -> tuple[tuple[str, str], ...]:
    """(name, value) rows at the precision shown: distance, speed and pace, incline, heart."""
    rows: list[tuple[str, str]] = [
        ("distance", "--" if distance_m is None else f"{distance_m / 1000:.2f} km")
    ]
    if speed_mps is not None and speed_mps > 0.1:
        pace = duration_text(1000.0 / speed_mps)
        rows.append(("speed", f"{speed_mps * 3.6:.1f} km/h  ({pace} /km)"))
    else:
        rows.append(("speed", "--"))
    if incline_pct is not None:
        rows.append(("incline", f"{incline_pct:.1f} %"))
    rows.append(("heart", "--" if hr_bpm is None else f"{hr_bpm} bpm"))
    return tuple(rows)


class Metrics(Widget):
    """Distance, speed and pace, incline, heart rate: one row each.

    The session time is on the phase panel's progress row, next to the other
    figure that changes every second, so the screen's per-second repaint stays
    in one corner (the compositor redraws the box around everything changed).
    """

    DEFAULT_CSS = "Metrics { height: 4; text-wrap: nowrap; text-overflow: ellipsis; }"

    rows: reactive[tuple[tuple[str, str], ...]] = reactive(metric_rows(None, None, None, None))
    """What is shown; a reading that changes below the shown precision leaves it equal."""

    def show(
        self,
        distance_m: float | None,
        speed_mps: float | None,
        incline_pct: float | None,
        hr_bpm: int | None,
    ) -> None:
        """The newest readings, all at once: one comparison, and a repaint only on a change."""
        self.rows = metric_rows(distance_m, speed_mps, incline_pct, hr_bpm)

    def render(self) -> Text:
        out = Text(no_wrap=True, overflow="ellipsis")
        for i, (name, value) in enumerate(self.rows):
            out.append(f"{name:<9}", style="grey62")
            out.append(value, style="bold")
            if i < len(self.rows) - 1:
                out.append("\n")
        return out
