"""The app's few shared words: how a duration is written and what each end reason means.

Why one place: the summary, history, recovery prompt and the live screen all
print durations and why a session ended. Written in several modules they drifted
apart (one rounded 2.5 s down and another up; one said a session was "not
finished", another "unfinished"), so the same session read differently on the
screen and in the terminal.
"""

from __future__ import annotations

#: an end reason's value (a coach StopReason value, or "recovered") -> its words
END_REASON_WORDS: dict[str, str] = {
    "user": "ended by you",
    "program_done": "program complete",
    "pain": "running stopped for pain",
    "red_flag": "running stopped: warning sign reported",
    "emergency": "stopped: urgent symptoms reported",
    "recovered": "recovered after it was cut off",
}

#: a session with no end reason yet (in progress, or cut off and not recovered)
UNFINISHED = "unfinished"

#: a duration that is not known
NO_DURATION = "--:--"


def duration_text(seconds: float | None) -> str:
    """``m:ss``, or ``h:mm:ss`` from an hour; whole seconds, halves rounded up.

    ``--:--`` for None; anything below zero is ``0:00``.
    """
    if seconds is None:
        return NO_DURATION
    total = max(0, int(seconds + 0.5))
    h, rest = divmod(total, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def end_reason_text(reason: str | None) -> str:
    """The words for an end reason; an unknown one is shown as recorded."""
    if not reason:
        return UNFINISHED
    return END_REASON_WORDS.get(reason, reason)
