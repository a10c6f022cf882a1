"""The run has ended but the session file can't be written: keep trying, or quit knowing.

Why a screen of its own: before, a failed write at the end was ignored and the
summary showed an unfinished session, while every held sample was thrown away
on exit. Here the app waits: the write is retried every ``retry_s`` until it
works (the screen then closes by itself and the summary follows), and the
runner may quit instead, told first exactly what is kept and where (the
recorder's spill file, which the next start recovers).
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from cadence.report.words import duration_text

if TYPE_CHECKING:
    from cadence.live.session import LiveSession
    from cadence.store.recorder import SessionRecorder

RETRY_S = 2.0


def kept_text(recorder: SessionRecorder) -> str:
    """What a quit now would keep, and where, in one sentence."""
    status = recorder.status()
    what = (f"{duration_text(recorder.held_span_s())} of readings ({status.held_samples} "
            f"samples) and {status.held_events} events not yet in the session file")
    if recorder.spill_path is None:
        return f"{what} could not be copied anywhere and would be lost"
    return (f"{what} are kept in {recorder.spill_path}; the next start of cadence offers "
            "to recover them")


class SaveRetryScreen(ModalScreen[bool]):
    """Dismissed with True once the end is written, False if the runner quits first."""

    DEFAULT_CSS = """
    SaveRetryScreen { align: center middle; background: $background 40%; }
    SaveRetryScreen > Vertical {
        width: 80; height: auto; padding: 1 2; border: thick $warning; background: $surface;
    }
    SaveRetryScreen #save-title { text-style: bold; margin-bottom: 1; }
    SaveRetryScreen #save-kept { margin-top: 1; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [Binding("q", "quit_now", "quit now")]

    def __init__(self, session: LiveSession, retry_s: float = RETRY_S) -> None:
        super().__init__()
        assert session.recorder is not None
        self.session = session
        self.recorder = session.recorder
        self.retry_s = retry_s
        self._problem = Static(id="save-problem")
        self._kept = Static(id="save-kept")

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Your run is not saved yet.", id="save-title")
            yield self._problem
            yield self._kept

    def on_mount(self) -> None:
        self._show()
        self._keep_trying()

    def _show(self) -> None:
        problem = self.recorder.problem or "the session file can't be written"
        if self.recorder.damaged:  # retrying can't help: it is never written again
            self._problem.update(f"The session file can't be used any more: {problem}.")
        else:
            self._problem.update(
                f"The session file can't be written: {problem}. Trying again every "
                f"{self.retry_s:g} s: it saves by itself once the file can be written (close "
                "the other program, or free some disk space)."
            )
        self._kept.update(f"Press q to quit now: {kept_text(self.recorder)}.")

    @work(exclusive=True, exit_on_error=False)
    async def _keep_trying(self) -> None:
        while True:
            await asyncio.sleep(self.retry_s)
            if await self.session.finish():
                self.dismiss(True)
                return
            self._show()

    def action_quit_now(self) -> None:
        self.recorder.leave_for_recovery()  # the newest copy: what was said is what is kept
        self.dismiss(False)
