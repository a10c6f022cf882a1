"""The one session timeline: how long it lasted, its phases, its pauses, which sensor wins.

Why one module: the summary (``report.summary``) and the exporters
(``export.common``) both need to know when each interval started and ended,
when the runner paused, and which sensor's reading to believe for each field.
Worked out twice, the two disagreed (the summary trusted a treadmill's cadence
over a tapped one, the exports the other way round), so a screen and an
uploaded file could show different numbers for the same run. Everything here
is decided once and both sides read it.

Which sensor wins, field by field (the first role in the list that reported
the field at all during the session is used for the whole session):

- cadence: footpod, then tapped cadence, then treadmill. The coach itself
  coaches from the footpod, else a recent tap, so the figures afterwards use
  the cadence the runner was coached on; a treadmill belt does not count steps.
- speed and distance: treadmill, then footpod. A belt's speed is what the
  runner set; a footpod on a belt only estimates it.
- heart rate: the strap, then whatever else reports it (footpod, treadmill).
- incline: the treadmill only.

Pure: events and info in, spans out. No SQLite, no clock.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from cadence.model.sample import SensorRole
from cadence.model.session import EventKind, EventRecord, SessionData
from cadence.report.streams import SessionColumns, StreamSpec
from cadence.report.timeline import Span, spans_from_changes

CADENCE_ROLES = (SensorRole.FOOTPOD, SensorRole.TAP, SensorRole.TREADMILL)
SPEED_ROLES = (SensorRole.TREADMILL, SensorRole.FOOTPOD)
DISTANCE_ROLES = SPEED_ROLES
HR_ROLES = (SensorRole.HEART_RATE, SensorRole.FOOTPOD, SensorRole.TREADMILL)
INCLINE_ROLES = (SensorRole.TREADMILL,)

#: the same choices as stream specs ``(field, roles)`` for ``StreamSource.stream``
CADENCE_STREAM: StreamSpec = ("cadence_spm", CADENCE_ROLES)
DISTANCE_STREAM: StreamSpec = ("distance_m", DISTANCE_ROLES)
SPEED_STREAM: StreamSpec = ("speed_mps", SPEED_ROLES)
HR_STREAM: StreamSpec = ("hr_bpm", HR_ROLES)
INCLINE_STREAM: StreamSpec = ("incline_pct", INCLINE_ROLES)

#: the phase name of the time before the coach's first PHASE event
NO_PHASE = ""
#: the phase the coach announces when the plan is over
DONE_PHASE = "done"


@dataclass(frozen=True, slots=True)
class PhaseSpan:
    """One interval as the coach announced it: ``[start_s, end_s)`` on the session clock.

    ``phase`` is a coach Phase value ("warmup", "run", "walk", "cooldown",
    "done"), or ``NO_PHASE`` before the first announcement.
    """

    start_s: float
    end_s: float
    phase: str
    round_index: int = 0
    rounds_total: int = 0
    label: str = ""
    planned_s: float | None = None  # how long the plan said it would last; None: open-ended

    @property
    def duration_s(self) -> float:
        return max(0.0, self.end_s - self.start_s)


def session_end_s(data: SessionData | SessionColumns) -> float:
    """The session's length: the recorded duration, or the last thing recorded if later."""
    if isinstance(data, SessionColumns):
        last_sample = data.last_sample_t_s or 0.0
    else:
        last_sample = data.samples[-1].t_s if data.samples else 0.0
    last = max(last_sample, (data.events[-1].t_s if data.events else 0.0))
    return max(float(data.info.duration_s), last)


def has_phases(events: Sequence[EventRecord]) -> bool:
    return any(e.kind is EventKind.PHASE for e in events)


def phase_spans(events: Sequence[EventRecord], end_s: float) -> list[PhaseSpan]:
    """Consecutive spans, one per PHASE event, clipped to ``[0, end_s]``.

    The time before the first PHASE event (if any) is a ``NO_PHASE`` span;
    spans of no length (two announcements at once) are left out.
    """
    changes = [e for e in events if e.kind is EventKind.PHASE]
    plain = spans_from_changes([(e.t_s, str(i)) for i, e in enumerate(changes)], end_s,
                               before_first="")
    out: list[PhaseSpan] = []
    for span in plain:
        if span.label == "":
            out.append(PhaseSpan(span.start_s, span.end_s, NO_PHASE))
            continue
        p = changes[int(span.label)].payload
        planned = p.get("duration_s")
        out.append(PhaseSpan(
            span.start_s, span.end_s, str(p.get("phase", "")),
            int(p.get("round_index") or 0), int(p.get("rounds_total") or 0),
            str(p.get("label") or ""), None if planned is None else float(planned),
        ))
    return out


def pause_spans(events: Sequence[EventRecord], end_s: float) -> list[Span]:
    """When the runner was paused, from PAUSE events; an open pause ends with the session.

    A second "paused" while already paused changes nothing, nor does a
    "resumed" while moving.
    """
    changes: list[tuple[float, str]] = []
    for e in events:
        if e.kind is EventKind.PAUSE:
            label = "paused" if e.payload.get("paused") else "moving"
            if not changes or changes[-1][1] != label:
                changes.append((e.t_s, label))
    return [s for s in spans_from_changes(changes, end_s, "moving") if s.label == "paused"]

