"""The few facts about a session that its exports need and its samples don't carry.

Recorded as the session's first event (a MARK of kind ``session_context`` at
t = 0), so no schema change was needed and older sessions simply lack it:

- ``utc_offset_s``: the recording machine's UTC offset when the session
  started. FIT's ``local_timestamp`` must be the runner's local time of the
  run, not the time zone of whoever exports it later (a file exported abroad,
  or after a daylight-saving change, would otherwise be an hour off).
- ``body_mass_kg``: from the profile, for the calorie estimate (``energy``);
  absent when the profile gives none.

Sessions without the event fall back to the exporting machine's offset at the
session's start time (what the exports did before) and write no calories.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from cadence.model.session import EventKind, EventRecord, SessionData

MARK_KIND = "session_context"


@dataclass(frozen=True, slots=True)
class SessionContext:
    utc_offset_s: int  # local time = UTC + this
    body_mass_kg: float | None
    recorded: bool  # False: guessed from the exporting machine (an older session)


def session_context_event(started_at: datetime, body_mass_kg: float | None) -> EventRecord:
    """The event that records the context, for a session starting at ``started_at``."""
    payload: dict[str, object] = {"kind": MARK_KIND, "utc_offset_s": _local_offset_s(started_at)}
    if body_mass_kg is not None:
        payload["body_mass_kg"] = float(body_mass_kg)
    return EventRecord(0.0, EventKind.MARK, payload)


def _local_offset_s(when: datetime) -> int:
    offset = when.astimezone().utcoffset()
    return int(offset.total_seconds()) if offset is not None else 0


def session_context(data: SessionData) -> SessionContext:
    for e in data.events:
        if e.kind is EventKind.MARK and e.payload.get("kind") == MARK_KIND:
            mass = e.payload.get("body_mass_kg")
            return SessionContext(int(e.payload.get("utc_offset_s") or 0),
                                  None if mass is None else float(mass), True)
    return SessionContext(_local_offset_s(data.info.started_at), None, False)
