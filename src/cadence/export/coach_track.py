"""What the coach knew at each moment, for the exports: phase, pause, tempo, target, events.

The FIT records, CSV rows and TCX laps carry the figures the sensors measured;
this module adds what the coach was doing at the same time, read back from the
stored events: the phase, whether the session was paused, the metronome's
tempo while it was sounding, and the cadence the session was ramping toward.
It also lists the moments worth marking in a file (pain ratings, warning
signs, phase changes, cues, stops) with a short text for each.

The target (``target_spm``) is the cadence the tempo ramp heads for this
session, from the coach's ``session_start`` and ``baseline`` marks; the tempo
(``tempo_spm``) is the beat the metronome was actually playing, None while it
was off or muted.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from cadence.model.session import EventKind, SessionData
from cadence.report.session_timeline import pause_spans, phase_spans, session_end_s


@dataclass(frozen=True, slots=True)
class CoachState:
    phase: str  # "" before the coach's first phase, "done" after the plan
    paused: bool
    metronome_on: bool  # sounding: switched on and not muted
    tempo_spm: float | None  # the metronome's beat while it sounds
    target_spm: float | None  # the cadence the session ramps toward


@dataclass(frozen=True, slots=True)
class CoachEvent:
    """A moment worth marking in an exported file."""

    t_s: float
    kind: str  # "phase", "pain", "warning_sign", "cue", "stop", "pause", "resume"
    text: str  # a few words, e.g. "pain 2/10" or "run 3/8"
    value: float | None = None  # the pain rating, the round index


class _Steps:
    """A value that changes at given times (the last change at or before ``t`` holds)."""

    def __init__(self, initial: object) -> None:
        self.times: list[float] = []
        self.values: list[object] = []
        self.initial = initial

    def set(self, t_s: float, value: object) -> None:
        self.times.append(t_s)
        self.values.append(value)

    def at(self, t_s: float) -> object:
        i = bisect_right(self.times, t_s)
        return self.values[i - 1] if i else self.initial


class CoachTrack:
    """The coach's state at any session time, built once from the events."""

    def __init__(self, data: SessionData) -> None:
        end_s = session_end_s(data)
        self._phases = phase_spans(data.events, end_s)
        self._phase_starts = [p.start_s for p in self._phases]
        self._pauses = pause_spans(data.events, end_s)
        self._on = _Steps(False)
        self._muted = _Steps(False)
        self._tempo = _Steps(None)
        self._target = _Steps(None)
        for e in data.events:
            p = e.payload
            if e.kind is EventKind.METRONOME and "on" in p:
                self._on.set(e.t_s, bool(p["on"]))
            elif e.kind is EventKind.TEMPO and "bpm" in p:
                self._tempo.set(e.t_s, float(p["bpm"]))
            elif e.kind is EventKind.MARK and p.get("kind") in ("mute", "unmute"):
                self._muted.set(e.t_s, p.get("kind") == "mute")
            elif e.kind is EventKind.MARK and p.get("target_spm") is not None:
                self._target.set(e.t_s, float(p["target_spm"]))

    def at(self, t_s: float) -> CoachState:
        i = bisect_right(self._phase_starts, t_s) - 1
        phase = self._phases[i].phase if i >= 0 else ""
        paused = any(p.start_s <= t_s < p.end_s for p in self._pauses)
        on = bool(self._on.at(t_s)) and not bool(self._muted.at(t_s))
        tempo = self._tempo.at(t_s)
        target = self._target.at(t_s)
        return CoachState(
            phase=phase,
            paused=paused,
            metronome_on=on,
            tempo_spm=float(tempo) if on and isinstance(tempo, float) else None,
            target_spm=float(target) if isinstance(target, float) else None,
        )


def _phase_text(payload: dict[str, object]) -> str:
    name = str(payload.get("phase", ""))
    round_index, rounds = payload.get("round_index") or 0, payload.get("rounds_total") or 0
    if round_index and rounds:
        name = f"{name} {round_index}/{rounds}"
    label = payload.get("label")
    return f"{name}: {label}" if label else name


def coach_events(data: SessionData) -> list[CoachEvent]:
    """Pain ratings, warning signs, phase changes, cues, stops and pauses, in time order."""
    out: list[CoachEvent] = []
    for e in data.events:
        p = e.payload
        if e.kind is EventKind.PHASE:
            out.append(CoachEvent(e.t_s, "phase", _phase_text(p),
                                  float(p.get("round_index") or 0)))
        elif e.kind is EventKind.PAIN and "rating" in p:
            when = " after the run" if p.get("when") == "post_run" else ""
            out.append(CoachEvent(e.t_s, "pain", f"pain {int(p['rating'])}/10{when}",
                                  float(p["rating"])))
        elif e.kind is EventKind.RED_FLAG:
            out.append(CoachEvent(e.t_s, "warning_sign", f"warning sign: {p.get('flag', '')}"))
        elif e.kind is EventKind.CUE:
            out.append(CoachEvent(e.t_s, "cue", str(p.get("text") or p.get("topic") or "")))
        elif e.kind is EventKind.STOP:
            out.append(CoachEvent(e.t_s, "stop", f"running stopped: {p.get('reason', '')}"))
        elif e.kind is EventKind.PAUSE:
            kind = "pause" if p.get("paused") else "resume"
            out.append(CoachEvent(e.t_s, kind, "paused" if kind == "pause" else "resumed"))
    return out
