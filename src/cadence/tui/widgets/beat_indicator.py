"""A large flash in step with the clicks, the metronome's tempo, and the bar's beats.

Seen from the belt: the whole block lights on each beat (red on the accented
first beat of the bar, yellow on the others) and goes dark between, so the
rhythm can be followed by eye when the sound is off or drowned out. The app
tells it which beat was heard last and whether that was within the last
~120 ms of session time (``lit``), so the flash follows the session clock
(repeatable on a virtual clock). It redraws only when that changes: twice a
beat, and never between beats.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.reactive import reactive, var
from textual.widget import Widget

_FLASH_STYLES = {"dark": "on grey19", "beat": "on yellow3", "accent": "on red3"}

STATE_LABELS = {
    "muted": "muted",
    "off": "off",
    "faded": "quiet: keep it",
    "no-audio": "no sound",
}


class BeatFlash(Widget):
    """The block that lights on the beat; its colour says which beat of the bar.

    Painted by ``render`` from one reactive (not a CSS class): a class change
    re-applies styles to the node, a reactive only repaints its region.
    """

    DEFAULT_CSS = "BeatFlash { height: 1fr; min-height: 2; text-wrap: nowrap; }"

    colour: reactive[str] = reactive("dark")
    """``dark`` between beats, ``beat`` or ``accent`` on one."""

    def show(self, lit: bool, accent: bool) -> None:
        self.colour = ("accent" if accent else "beat") if lit else "dark"

    def render(self) -> Text:
        width, height = self.size.width, self.size.height
        block = "\n".join(" " * width for _ in range(height))
        out = Text(no_wrap=True)
        out.append(block, style=_FLASH_STYLES[self.colour])  # a span: a base style is dropped
        return out


class BeatDots(Widget):
    """``metronome``, ``166 bpm``, the state, and one dot per beat of the bar."""

    DEFAULT_CSS = "BeatDots { height: 4; text-wrap: nowrap; text-overflow: ellipsis; }"

    tempo_spm: reactive[int | None] = reactive(None)
    state: reactive[str] = reactive("on")
    current: reactive[int] = reactive(-1)
    lit: reactive[bool] = reactive(False)
    beats_per_bar: reactive[int] = reactive(4)

    def render(self) -> Text:
        out = Text(no_wrap=True, overflow="ellipsis")
        out.append("metronome\n", style="grey62")
        out.append("--" if self.tempo_spm is None else f"{self.tempo_spm} bpm", style="bold")
        out.append("\n")
        out.append(STATE_LABELS.get(self.state, ""), style="italic")
        out.append("\n")
        for i in range(self.beats_per_bar):
            if i == self.current and self.lit:
                out.append("● ", style="bold red" if i == 0 else "bold yellow")
            elif i == self.current:
                out.append("○ ", style="bold")
            else:
                out.append("· ", style="grey50")
        return out


class BeatIndicator(Widget):
    """The flash block over the tempo line and the bar's dots."""

    DEFAULT_CSS = "BeatIndicator { height: 1fr; }"

    tempo_spm: var[float | None] = var(None)
    """The metronome's tempo, beats (steps) per minute."""
    state: var[str] = var("on")
    """``on``, ``muted``, ``off``, ``faded`` or ``no-audio``."""
    beat_index: var[int] = var(-1)
    """The last beat heard, counting from 0; -1 before the first."""
    lit: var[bool] = var(False)
    """Whether the current beat is lit."""
    accent_every: var[int] = var(4)
    """Beats per bar (0: no accent)."""

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.flash = BeatFlash(id="beat-flash")
        self.dots = BeatDots(id="beat-dots")

    def compose(self) -> ComposeResult:
        yield self.flash
        yield self.dots

    def _sync(self) -> None:
        if not self.is_mounted:
            return
        n = self.accent_every if self.accent_every > 0 else 4
        current = self.beat_index % n if self.beat_index >= 0 else -1
        accent = self.accent_every > 0 and current == 0
        self.flash.show(self.lit and current >= 0, accent)
        dots = self.dots
        dots.tempo_spm = None if self.tempo_spm is None else round(self.tempo_spm)
        dots.state = self.state
        dots.beats_per_bar = n
        dots.current = current
        dots.lit = self.lit

    def on_mount(self) -> None:
        self._sync()

    def watch_tempo_spm(self) -> None:
        self._sync()

    def watch_state(self) -> None:
        self._sync()

    def watch_beat_index(self) -> None:
        self._sync()

    def watch_lit(self) -> None:
        self._sync()

    def watch_accent_every(self) -> None:
        self._sync()
