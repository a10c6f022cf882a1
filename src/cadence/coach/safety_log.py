"""A session's safety log: every warning sign, pain stop and rising rating, in time order.

Why here and from stored events: the summary (and the history) must show what
happened for safety in plain words, in the order it happened, also for
sessions recorded earlier. The log is rebuilt from the session's stored
events (``model.session.EventRecord``), so it needs nothing the recorder does
not already keep:

- ``RED_FLAG`` events: the warning sign's own words (``warning_signs``), not its id;
- ``PAIN`` events at or above the stop level: the rating and what it meant;
- ``STOP`` events: the advice that was given;
- the coach's ``tempo_frozen`` mark: a rating that rose below the stop level.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from cadence.coach.warning_signs import label_of
from cadence.model.session import EventKind, EventRecord

PROFESSIONAL_RATING = 4


@dataclass(frozen=True, slots=True)
class SafetyEntry:
    t_s: float  # session time
    what: str  # plain words: what the runner reported
    advice: str = ""  # what the coach said to do, when known


def safety_log(events: Iterable[EventRecord], stop_at: int = 3) -> tuple[SafetyEntry, ...]:
    """The safety entries of one session's events, oldest first."""
    entries: list[SafetyEntry] = []
    for e in events:
        entry = _entry(e, stop_at)
        if entry is not None:
            entries.append(entry)
    return tuple(sorted(entries, key=lambda x: x.t_s))


def _entry(e: EventRecord, stop_at: int) -> SafetyEntry | None:
    p = e.payload
    if e.kind is EventKind.RED_FLAG:
        return SafetyEntry(e.t_s, f"Warning sign: {label_of(str(p.get('flag', '')))}")
    if e.kind is EventKind.PAIN and int(p.get("rating", 0)) >= stop_at:
        rating = int(p["rating"])
        after = " after the run" if p.get("when") == "post_run" else ""
        advice = (
            "Get advice from a physiotherapist or doctor before running again."
            if rating >= PROFESSIONAL_RATING
            else "Running stopped for today." if not after else ""
        )
        return SafetyEntry(e.t_s, f"Pain {rating}/10{after}", advice)
    if e.kind is EventKind.STOP:
        return SafetyEntry(e.t_s, "Running stopped", str(p.get("message", "")))
    if e.kind is EventKind.MARK and p.get("kind") == "tempo_frozen":
        return SafetyEntry(e.t_s, f"Pain rose to {p.get('rating')}/10",
                           "The tempo stayed where it was for the rest of the session.")
    return None
