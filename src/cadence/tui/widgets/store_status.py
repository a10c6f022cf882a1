"""One line about the session file while it can't be written, updated in place.

Why a line and not notices: while the recorder holds data its count changes
every second ("keeping 12 s ... 13 s ..."), and a notice per change stacked up
over the figures the runner reads. This line sits under the figures, is hidden
while the store is fine, and only ever shows the latest state.
"""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

PREFIX = "Session file: "


class StoreStatusLine(Widget):
    DEFAULT_CSS = """
    StoreStatusLine {
        height: 1;
        margin: 1 1 0 1;
        text-wrap: nowrap;
        text-overflow: ellipsis;
        display: none;
    }
    StoreStatusLine.-problem { display: block; }
    """

    problem: reactive[str] = reactive("")
    """What is wrong with the file, one line; "" while writes succeed (the line is hidden)."""
    held_s: reactive[float] = reactive(0.0)
    """Seconds of samples the recorder holds in memory meanwhile."""

    def watch_problem(self, problem: str) -> None:
        self.set_class(bool(problem), "-problem")

    def render(self) -> Text:
        # the count first: on a narrow terminal the end of the line is what gets cut
        if not self.problem:
            return Text("")
        return Text(
            f"{PREFIX}keeping {self.held_s:.0f} s in memory, retrying; {self.problem}",
            style="bold yellow",
        )
