"""What the coach did and what the sensors went through, as stored events.

The recorder stores ``EventRecord``s; the coach speaks in actions and the BLE
layer in ``SensorStatus``. This is the one place that maps one onto the other,
so the payload keys documented in ``records.EventKind`` stay true. Actions that
only matter in the moment (the 3-2-1 countdown beeps) are not stored.
"""

from __future__ import annotations

from typing import Any

from cadence.coach.actions import (
    Action,
    AskPain,
    Countdown,
    Cue,
    Mark,
    MetronomeOff,
    MetronomeOn,
    MetronomeVolume,
    PainPromptClosed,
    PhaseChange,
    SessionEnded,
    SetTempo,
    StopRun,
)
from cadence.coach.inputs import RedFlag
from cadence.model.link import SensorStatus
from cadence.model.session import EventKind, EventRecord
from cadence.model.treadmill import BeltTarget, ControlState, TreadmillEvent

PAIN_WHEN = ("during", "post_run")


def pain_event(t_s: float, rating: int, prompt_id: int | None, when: str = "during") -> EventRecord:
    """A pain rating (0-10) as stored; ``prompt_id`` None means volunteered."""
    if not 0 <= int(rating) <= 10:
        raise ValueError(f"pain rating must be 0-10, got {rating}")
    if when not in PAIN_WHEN:
        raise ValueError(f"pain 'when' must be one of {PAIN_WHEN}, got {when!r}")
    payload = {"rating": int(rating), "prompt_id": prompt_id, "when": when}
    return EventRecord(float(t_s), EventKind.PAIN, payload)


def _mark_event(t_s: float, action: Mark) -> EventRecord:
    if action.kind in ("pause", "resume"):
        return pause_event(t_s, paused=action.kind == "pause")
    if action.kind == "pain":
        # The rating itself is written by the shell when the key is pressed
        # (``Recorder.add_pain``, committed at once). The coach's Mark is what the
        # coach made of it, stored as a mark: storing it as a second PAIN event
        # put every volunteered rating on disk twice (issue 11).
        verdict: dict[str, Any] = {"kind": "pain_verdict"} | dict(action.detail)
        return EventRecord(t_s, EventKind.MARK, verdict)
    payload: dict[str, Any] = {"kind": action.kind}
    payload.update(action.detail)
    return EventRecord(t_s, EventKind.MARK, payload)


def event_from_action(t_s: float, action: Action) -> EventRecord | None:
    """The stored form of one coach action at session time ``t_s``; None if not stored."""
    t = float(t_s)
    match action:
        case SetTempo(tempo_spm=tempo_spm, reason=reason):
            # stored under "bpm" as before, so sessions recorded earlier read the same
            return EventRecord(t, EventKind.TEMPO, {"bpm": float(tempo_spm), "reason": reason})
        case MetronomeOn():
            return EventRecord(t, EventKind.METRONOME, {"on": True})
        case MetronomeOff(reason=reason):
            return EventRecord(t, EventKind.METRONOME, {"on": False, "reason": reason})
        case MetronomeVolume(volume=volume, fade_s=fade_s):
            return EventRecord(t, EventKind.METRONOME, {"volume": float(volume), "fade_s": fade_s})
        case Cue(text=text, kind=kind, topic=topic):
            return EventRecord(t, EventKind.CUE, {"text": text, "kind": str(kind), "topic": topic})
        case AskPain(prompt_id=prompt_id, reason=reason):
            payload = {"prompt_id": prompt_id, "reason": reason, "answered": None}
            return EventRecord(t, EventKind.PAIN_PROMPT, payload)
        case PainPromptClosed(prompt_id=prompt_id, answered=answered):
            payload = {"prompt_id": prompt_id, "reason": "closed", "answered": answered}
            return EventRecord(t, EventKind.PAIN_PROMPT, payload)
        case PhaseChange():
            payload = {
                "phase": str(action.phase),
                "round_index": action.round_index,
                "rounds_total": action.rounds_total,
                "duration_s": action.duration_s,
                "label": action.label,
            }
            return EventRecord(t, EventKind.PHASE, payload)
        case StopRun(reason=reason, message=message):
            return EventRecord(t, EventKind.STOP, {"reason": str(reason), "message": message})
        case Mark():
            return _mark_event(t, action)
        case SessionEnded(reason=reason):
            return EventRecord(t, EventKind.MARK, {"kind": "session_ended", "reason": str(reason)})
        case Countdown():
            return None


def event_from_status(status: SensorStatus) -> EventRecord:
    """A sensor's link change (connected, reconnecting, lost) as a stored event.

    A status that carries the device's identity adds its reported fields
    (``manufacturer``, ``model``, ``serial``, ``firmware``): the exports name
    each sensor from them (``export.fit_messages``).
    """
    payload = {
        "role": str(status.role),
        "sensor_id": status.sensor_id,
        "state": str(status.state),
        "detail": status.detail,
    }
    if status.device is not None:
        payload.update(status.device.as_payload())
    return EventRecord(float(status.t_s), EventKind.SENSOR, payload)


def red_flag_event(t_s: float, flag: RedFlag) -> EventRecord:
    return EventRecord(float(t_s), EventKind.RED_FLAG, {"flag": str(flag)})


def pause_event(t_s: float, paused: bool) -> EventRecord:
    """The runner paused (True) or resumed (False) the session."""
    return EventRecord(float(t_s), EventKind.PAUSE, {"paused": paused})


def treadmill_event(event: TreadmillEvent, state: ControlState) -> EventRecord:
    """Something the treadmill controller reported, with its control state after it."""
    payload: dict[str, Any] = {
        "event": str(event.kind),
        "message": event.message,
        "state": str(state),
        "target_kmh": event.target_kmh,
        "belt_kmh": event.belt_kmh,
    }
    if event.safety_key:
        payload["safety_key"] = True
    return EventRecord(float(event.t_s), EventKind.TREADMILL, payload)


def belt_command_event(t_s: float, target: BeltTarget, reason: str, safety: bool,
                       state: ControlState) -> EventRecord:
    """A belt target the session asked for (sent unless the runner holds the belt)."""
    payload = {
        "event": "command",
        "reason": reason,
        "target_kmh": None if not target.moving else target.speed_kmh,
        "incline_pct": target.incline_pct,
        "stop": target.stop,
        "pause": target.pause,
        "safety": safety,
        "state": str(state),
    }
    return EventRecord(float(t_s), EventKind.TREADMILL, payload)


def belt_note_event(t_s: float, what: str, state: ControlState, **detail: Any) -> EventRecord:
    """A control-state change, an announced switch, or the runner's belt keys."""
    payload: dict[str, Any] = {"event": what, "state": str(state)}
    payload.update(detail)
    return EventRecord(float(t_s), EventKind.TREADMILL, payload)
