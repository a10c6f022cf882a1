"""One line about the session file while it can't be written, updated in place.

Why a line and not notices: while the recorder holds data its count changes
every second ("keeping 12 s ... 13 s ..."), and a notice per change stacked up
over the figures the runner reads. This line sits under the figures, is hidden
while the store is fine, and only ever shows the latest state.

A pain rating that nowhere could take (not the file, not the pain journal) goes
first on the line, in red, the moment it is confirmed: the runner must not
believe it is kept, and is the only one who can still note it down. It stays
until the held data is written after all.
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

    damaged: reactive[bool] = reactive(False)
    """The file is damaged: no retrying, the held data goes to a spill file instead."""
    unsaved_ratings: reactive[tuple[int, ...]] = reactive(())
    """Pain ratings confirmed on screen that could not be written anywhere, oldest first."""

    def watch_problem(self, problem: str) -> None:
        self.set_class(bool(problem or self.unsaved_ratings), "-problem")

    def watch_unsaved_ratings(self, ratings: tuple[int, ...]) -> None:
        self.set_class(bool(self.problem or ratings), "-problem")

    def render(self) -> Text:
        # the count first: on a narrow terminal the end of the line is what gets cut
        if self.unsaved_ratings:
            return Text(f"{PREFIX}{unsaved_text(self.unsaved_ratings)}", style="bold red")
        if not self.problem:
            return Text("")
        doing = "in a spill file" if self.damaged else "in memory, retrying"
        return Text(
            f"{PREFIX}keeping {self.held_s:.0f} s {doing}; {self.problem}",
            style="bold red" if self.damaged else "bold yellow",
        )


def unsaved_text(ratings: tuple[int, ...]) -> str:
    """The runner's own words for ratings that may be lost: what happened, what to do."""
    which = (f"your pain rating {ratings[0]}" if len(ratings) == 1
             else "your pain ratings " + ", ".join(str(r) for r in ratings))
    return (f"{which} could NOT be saved; the coach still uses it today, "
            "so please note it down yourself")
