"""On start: offer to close off a session that a crash or kill left unfinished.

Recovering keeps everything recorded up to the cut (the store ends it at its
last sample); declining leaves it for ``cadence recover`` later. Either way
the new session starts afterwards.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual.app import App

from cadence.report.words import duration_text
from cadence.tui.screens.confirm import ConfirmModal

if TYPE_CHECKING:
    from cadence.model.session import SessionInfo
    from cadence.store.store import Store


def offer_recovery(app: App[Any], store: Store, then: Callable[[], None]) -> None:
    """Ask about the newest unfinished session, if any, then call ``then``."""
    pending = store.unfinished_sessions()  # cut off by a crash or kill; none still recording
    if not pending:
        then()
        return
    info = pending[-1]
    question = "An earlier session was cut off. Recover it?"
    detail = (
        f"Session {info.session_id}, started {info.started_at.astimezone():%Y-%m-%d %H:%M}. "
        f"Recovering keeps what was recorded (about {duration_text(_recorded_s(store, info))}) "
        "and adds it to your history."
    )
    if len(pending) > 1:
        detail += f" {len(pending) - 1} older cut-off session(s) will be recovered too."

    def answered(yes: bool | None) -> None:
        if yes:
            for unfinished in pending:
                store.recover(unfinished.session_id)
            app.notify(f"Session {info.session_id} recovered.", timeout=4)
        then()

    app.push_screen(ConfirmModal(question, detail), answered)


def _recorded_s(store: Store, info: SessionInfo) -> float:
    """How far the session got, counting what only a spill file kept (``store.spill``)."""
    from cadence.store.spill import read

    spilled = [row[0] for kept in read(store.path, info.session_id) for row in kept.samples]
    return max([info.duration_s, *spilled])
