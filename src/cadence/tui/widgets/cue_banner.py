"""The current coaching cue, large and in a colour by kind.

Safety messages (pain stop, red-flag advice) stay until the session ends;
other cues are replaced by the next one.
"""

from __future__ import annotations

from textual.reactive import reactive
from textual.widgets import Static


class CueBanner(Static):
    DEFAULT_CSS = """
    CueBanner { height: auto; min-height: 3; padding: 1 2; text-style: bold; }
    CueBanner.-safety { background: $error 40%; }
    CueBanner.-phase { background: $primary 30%; }
    CueBanner.-form, CueBanner.-tempo, CueBanner.-info { background: $boost; }
    """

    text: reactive[str] = reactive("")
    """The cue's words."""
    kind: reactive[str] = reactive("info")
    """A ``CueKind`` value, or ``safety`` for stop and red-flag messages."""

    def watch_text(self, text: str) -> None:
        self.update(text)

    def watch_kind(self, kind: str) -> None:
        for k in ("safety", "phase", "form", "tempo", "info"):
            self.set_class(k == kind, f"-{k}")
