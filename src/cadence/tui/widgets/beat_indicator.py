"""A large flash in step with the clicks, the metronome's tempo, and the bar's beats.

Seen from the belt: a bar across the whole screen, in two halves, left and
right, like feet. Each click lights the other half (red on the accented first
beat of the bar, yellow on the others) and darkens the one before, so every
click is a change big enough to see from the belt, and the rhythm can be
followed by eye when the sound is off or drowned out. The metronome's tempo,
its state and one dot per beat of the bar sit in the middle. The app tells it
which beat was heard last (``beat_index``) from the session clock, so the
flash stays repeatable on a virtual clock. With the metronome off the bar is
dark.

Why this shape (measured, docs/benchmarks.md "Live screen"): every screen
update has a fixed cost, and each changed row costs about 0.1 ms more, so the
flash is wide and two rows tall, drawn by one widget from cached rows, and it
changes once a beat (alternating halves), not twice (on, then off).
"""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from textual.reactive import var
from textual.strip import Strip
from textual.widget import Widget

_FLASH = {
    name: Style(bgcolor=colour)
    for name, colour in (("dark", "grey19"), ("beat", "yellow3"), ("accent", "red3"))
}
_TEXT = Style(color="grey85", bold=True)
_DOT = {"beat": Style(color="yellow", bold=True), "accent": Style(color="red", bold=True)}
_DIM = Style(color="grey50")

STATE_LABELS = {
    "muted": "muted",
    "off": "off",
    "faded": "quiet",
    "no-audio": "no sound",
}

#: columns kept for the tempo and dots between the two halves
MIDDLE_W = 30


def beat_rows(
    tempo_spm: int | None, state: str, current: int, beats_per_bar: int, accent: bool
) -> tuple[list[tuple[str, Style]], list[tuple[str, Style]]]:
    """The middle of the two rows: ``metronome 166 bpm  muted`` and ``● · · ·``."""
    tempo = "--" if tempo_spm is None else f"{tempo_spm} bpm"
    top: list[tuple[str, Style]] = [("metronome ", _DIM), (tempo, _TEXT)]
    label = STATE_LABELS.get(state, "")
    if label:
        top.append(("  " + label, _DIM))
    dots: list[tuple[str, Style]] = []
    for i in range(beats_per_bar):
        if i == current:
            dots.append(("● ", _DOT["accent" if accent and i == 0 else "beat"]))
        else:
            dots.append(("· ", _DIM))
    return top, dots


#: how many looks of the bar are kept built (a few tempos' worth)
BUILT_KEEP = 64


class BeatIndicator(Widget):
    """The flash bar with the tempo and the bar's dots in the middle."""

    DEFAULT_CSS = "BeatIndicator { height: 2; }"

    tempo_spm: var[float | None] = var(None)
    """The metronome's tempo, beats (steps) per minute."""
    state: var[str] = var("on")
    """``on``, ``muted``, ``off``, ``faded`` or ``no-audio``."""
    beat_index: var[int] = var(-1)
    """The last beat heard, counting from 0; -1 before the first."""
    running: var[bool] = var(True)
    """Whether the metronome is beating (on, even if muted or silent); dark when not."""
    lit: var[bool] = var(False)
    """Whether the current beat was heard just now (kept for the app; the flash
    changes on each new beat instead, one repaint a beat)."""
    accent_every: var[int] = var(4)
    """Beats per bar (0: no accent)."""

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self._key: tuple[object, ...] = ()
        self._rows: list[Strip] = []
        #: rows already built, by what they show: a bar at one tempo cycles through a few
        #: looks (beat of the bar x lit half), so after the first bar a beat builds nothing
        self._built: dict[tuple[object, ...], list[Strip]] = {}

    @property
    def beats_per_bar(self) -> int:
        return self.accent_every if self.accent_every > 0 else 4

    @property
    def current(self) -> int:
        """The beat of the bar lit now, 0-based; -1 when the metronome is not beating."""
        if not self.running or self.state == "off" or self.beat_index < 0:
            return -1
        return self.beat_index % self.beats_per_bar

    @property
    def colours(self) -> tuple[str, str]:
        """The colour names of the (left, right) halves: one lit per beat, in turn."""
        current = self.current
        if current < 0:
            return ("dark", "dark")
        colour = "accent" if self.accent_every > 0 and current == 0 else "beat"
        return (colour, "dark") if self.beat_index % 2 == 0 else ("dark", colour)

    @property
    def text(self) -> str:
        """The middle of both rows as plain text (what the runner reads)."""
        top, dots = self._middle()
        return "".join(t for t, _ in top) + "\n" + "".join(t for t, _ in dots)

    def _middle(self) -> tuple[list[tuple[str, Style]], list[tuple[str, Style]]]:
        tempo = None if self.tempo_spm is None else round(self.tempo_spm)
        return beat_rows(tempo, self.state, self.current, self.beats_per_bar, True)

    def _sync(self) -> None:
        """Repaint only when what is drawn changed (a new beat, tempo or state)."""
        key = (self.colours, self._middle_key())
        if key != self._key and self.is_mounted:
            self.refresh()

    def _middle_key(self) -> tuple[object, ...]:
        tempo = None if self.tempo_spm is None else round(self.tempo_spm)
        return (tempo, self.state, self.current, self.beats_per_bar)

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        key = (width, self.colours, self._middle_key())
        if key != self._key:
            self._key = key
            rows = self._built.get(key)
            if rows is None:
                if len(self._built) >= BUILT_KEEP:
                    self._built.clear()
                rows = self._built[key] = self._build(width)
            self._rows = rows
        if 0 <= y < len(self._rows):
            return self._rows[y]
        return Strip.blank(width)

    def _build(self, width: int) -> list[Strip]:
        middle_w = min(MIDDLE_W, max(0, width - 8))
        left_w = (width - middle_w) // 2
        right_w = width - middle_w - left_w
        left, right = (_FLASH[c] for c in self.colours)
        rows = []
        for parts in self._middle():
            cells: list[Segment] = [Segment(" " * left_w, left), Segment(" ")]
            used = 1
            for text, style in parts:
                text = text[: max(0, middle_w - 1 - used)]
                if text:
                    cells.append(Segment(text, style))
                    used += len(text)
            cells.append(Segment(" " * (middle_w - used)))
            cells.append(Segment(" " * right_w, right))
            rows.append(Strip(cells, width).apply_style(self.rich_style))
        return rows

    def notify_style_update(self) -> None:
        """The CSS changed (a theme): the built rows carry the old colours."""
        self._built.clear()
        self._key = ()
        super().notify_style_update()

    def watch_tempo_spm(self) -> None:
        self._sync()

    def watch_state(self) -> None:
        self._sync()

    def watch_beat_index(self) -> None:
        self._sync()

    def watch_running(self) -> None:
        self._sync()

    def watch_accent_every(self) -> None:
        self._sync()
