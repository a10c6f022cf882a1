"""The run-walk session shaped like a real ``cadence demo`` recording (issue 13).

The coach's first phase comes 2.6 s after the session starts and its "done"
3.6 s before the session ends; one pause straddles a lap boundary; the session
records its UTC offset (+01:00) and the runner's body mass; the footpod and the
treadmill report their identity.
"""

from __future__ import annotations

from dataclasses import replace

from cadence.export.session_context import MARK_KIND
from cadence.model.session import EventKind, EventRecord, SessionData

from .conftest import DURATION_S, make_session

FIRST_PHASE_S = 2.6
AFTER_DONE_S = 3.6
STRADDLING_PAUSE = (1046.4, 1053.7)  # round 6's run starts at 1050
UTC_OFFSET_S = 3600
BODY_MASS_KG = 70.0


def demo_like_session() -> SessionData:
    base = make_session(session_id=7)
    events: list[EventRecord] = [EventRecord(0.0, EventKind.MARK, {
        "kind": MARK_KIND, "utc_offset_s": UTC_OFFSET_S, "body_mass_kg": BODY_MASS_KG})]
    for e in base.events:
        if e.kind is EventKind.PHASE and e.t_s == 0.0:
            e = replace(e, t_s=FIRST_PHASE_S)
        elif e.t_s == DURATION_S:
            e = replace(e, t_s=DURATION_S - AFTER_DONE_S)
        events.append(e)
    events += [
        EventRecord(STRADDLING_PAUSE[0], EventKind.PAUSE, {"paused": True}),
        EventRecord(STRADDLING_PAUSE[1], EventKind.PAUSE, {"paused": False}),
        EventRecord(0.5, EventKind.SENSOR, {"role": "footpod", "sensor_id": "pod-1",
                                            "state": "connected", "detail": "",
                                            "manufacturer": "Stryd", "model": "Next",
                                            "serial": "12345"}),
        EventRecord(400.0, EventKind.RED_FLAG, {"flag": "leg_tingling"}),
    ]
    events.sort(key=lambda e: e.t_s)
    return SessionData(base.info, base.samples, tuple(events))
