"""The metronome's tempo and a pulse in step with the clicks.

The app tells it which beat was heard last and whether that was within the
last ~120 ms of session time (``lit``), so the pulse follows the session clock
(and stays repeatable on a virtual clock). Four dots, the accented one first,
so the bar structure is visible too.
"""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget


class BeatIndicator(Widget):
    DEFAULT_CSS = "BeatIndicator { height: 3; }"

    tempo_spm: reactive[float | None] = reactive(None)
    """The metronome's tempo, beats (steps) per minute."""
    state: reactive[str] = reactive("on")
    """``on``, ``muted``, ``off``, ``faded`` or ``no-audio``."""
    beat_index: reactive[int] = reactive(-1)
    """The last beat heard, counting from 0; -1 before the first."""
    lit: reactive[bool] = reactive(False)
    """Whether the current beat's dot is lit."""
    accent_every: reactive[int] = reactive(4)
    """Beats per bar (0: no accent)."""

    def render(self) -> Text:
        out = Text()
        if self.tempo_spm is None:
            out.append("metronome  --", style="bold")
        else:
            out.append(f"metronome  {self.tempo_spm:.0f}", style="bold")
            out.append(" bpm")
        labels = {
            "muted": "  (muted)",
            "off": "  (off)",
            "faded": "  (quiet: keep the rhythm)",
            "no-audio": "  (no sound: follow the dots)",
        }
        out.append(labels.get(self.state, ""), style="italic")
        out.append("\n\n")
        n = self.accent_every if self.accent_every > 0 else 4
        current = self.beat_index % n if self.beat_index >= 0 else -1
        for i in range(n):
            if i == current and self.lit:
                out.append(" ● ", style="bold red" if i == 0 else "bold yellow")
            elif i == current:
                out.append(" ○ ", style="bold")
            else:
                out.append(" · ", style="grey50")
        return out
