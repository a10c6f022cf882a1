"""The summary's figures read straight off a session's events, not its samples.

Kept apart from ``summary`` (the arithmetic over the sample streams) so that
module stays one job: pain ratings, cue counts, stops and warning signs, the
time-ordered safety log in plain words (``coach.safety_log``, the same one
the TUI's summary screen shows), and the session's target tempo.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from cadence.coach.safety_log import safety_log
from cadence.model.session import EventKind, EventRecord
from cadence.report.summary_model import PainPoint


def _num(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        return None
    return float(value)


def session_target_spm(events: Sequence[EventRecord]) -> float | None:
    """Today's target tempo: what the coach set once it knew the runner's baseline.

    The first ``baseline`` mark carries it (measured by a sensor or tapped);
    with a baseline from the profile the ``session_start`` mark already does.
    The planner reads the target the same way (``store.programme.past_session``).
    """
    start: float | None = None
    for e in events:
        if e.kind is not EventKind.MARK:
            continue
        kind = e.payload.get("kind")
        if kind == "baseline":
            return _num(e.payload.get("target_spm")) or start
        if kind == "session_start" and start is None:
            start = _num(e.payload.get("target_spm"))
    return start


def event_figures(events: Sequence[EventRecord]) -> dict[str, Any]:
    """The summary's fields that come from the events (pain, cues, stops, safety)."""
    pain = tuple(
        PainPoint(e.t_s, int(e.payload["rating"]), str(e.payload.get("when", "during")),
                  e.payload.get("prompt_id"))
        for e in events if e.kind is EventKind.PAIN
    )
    cues = Counter(str(e.payload.get("topic") or e.payload.get("kind") or "other")
                   for e in events if e.kind is EventKind.CUE)
    return {
        "pain": pain,
        "max_pain": max((p.rating for p in pain), default=None),
        "cues_by_topic": tuple(sorted(cues.items(), key=lambda kv: (-kv[1], kv[0]))),
        "stops": tuple((e.t_s, str(e.payload.get("reason", ""))) for e in events
                       if e.kind is EventKind.STOP),
        "red_flags": tuple((e.t_s, str(e.payload.get("flag", ""))) for e in events
                           if e.kind is EventKind.RED_FLAG),
        "safety": safety_log(events),
        "sensor_drops": sum(1 for e in events if e.kind is EventKind.SENSOR
                            and e.payload.get("state") in ("lost", "reconnecting")),
    }
