"""A realistic 30-minute treadmill run-walk session, built directly as SessionData.

Exporters take ``SessionData`` and never touch SQLite, so these tests build the
record themselves: footpod at 2 Hz (cadence, speed, its own odometer, stride
length), heart-rate strap at 1 Hz, treadmill at 1 Hz (belt speed, incline,
odometer), and the coach's events: phases (5 min warm-up walk, 8 x 90 s run /
60 s walk, 5 min cool-down), tempo changes, metronome on/off, pain ratings at
walk breaks, a cue and a 20 s pause during the fourth walk (no footpod or
treadmill readings while paused; the strap keeps going).
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest

from cadence.model.sample import Sample, SensorRole
from cadence.model.session import EventKind, EventRecord, SessionData, SessionInfo

DURATION_S = 1800.0
WARMUP_S = 300.0
RUN_S = 90.0
WALK_S = 60.0
ROUNDS = 8
PAUSE = (860.0, 880.0)
STARTED_AT = datetime(2026, 11, 21, 7, 30, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Interval:
    phase: str
    start_s: float
    end_s: float
    round_index: int = 0


def intervals() -> list[Interval]:
    out = [Interval("warmup", 0.0, WARMUP_S)]
    t = WARMUP_S
    for k in range(1, ROUNDS + 1):
        out.append(Interval("run", t, t + RUN_S, k))
        out.append(Interval("walk", t + RUN_S, t + RUN_S + WALK_S, k))
        t += RUN_S + WALK_S
    out.append(Interval("cooldown", t, DURATION_S))
    return out


def _interval_at(t: float, spans: list[Interval]) -> Interval:
    for span in spans:
        if span.start_s <= t < span.end_s:
            return span
    return spans[-1]


# nominal (cadence_spm, speed_mps, incline_pct, hr target) per phase
_NOMINAL = {
    "warmup": (112.0, 1.30, 0.5, 105.0),
    "run": (168.0, 2.50, 1.0, 150.0),
    "walk": (118.0, 1.40, 0.5, 118.0),
    "cooldown": (110.0, 1.20, 0.0, 100.0),
}


def make_session(session_id: int = 42, seed: int = 6) -> SessionData:
    rng = random.Random(seed)
    spans = intervals()
    samples: list[Sample] = []
    footpod_odometer = 1234.5  # the pod's own running total: not zero at the start
    treadmill_odometer = 0.0
    hr = 88.0
    for tick in range(int(DURATION_S * 2)):
        t = tick / 2.0
        span = _interval_at(t, spans)
        cadence, speed, incline, hr_target = _NOMINAL[span.phase]
        paused = PAUSE[0] < t < PAUSE[1]
        if span.phase == "run":
            cadence += 0.4 * span.round_index  # the metronome pulls cadence up round by round
        if not paused:
            c = cadence + rng.gauss(0.0, 1.5)
            v = speed + rng.gauss(0.0, 0.03)
            footpod_odometer += v * 0.5
            samples.append(
                Sample(
                    t,
                    SensorRole.FOOTPOD,
                    cadence_spm=round(c, 2),
                    speed_mps=round(v, 3),
                    distance_m=round(footpod_odometer, 2),
                    stride_length_m=round(v * 60 / c, 3),
                    sensor_id="pod-1",
                )
            )
        if tick % 2 == 0:
            hr += (hr_target - hr) * 0.05
            samples.append(
                Sample(
                    t, SensorRole.HEART_RATE, hr_bpm=round(hr + rng.gauss(0, 1)), sensor_id="strap"
                )
            )
            if not paused:
                treadmill_odometer += speed
                samples.append(
                    Sample(
                        t + 0.25,
                        SensorRole.TREADMILL,
                        speed_mps=speed,
                        incline_pct=incline,
                        distance_m=round(treadmill_odometer, 1),
                        sensor_id="belt",
                    )
                )
    samples.sort(key=lambda s: s.t_s)

    events: list[EventRecord] = []
    for span in spans:
        events.append(
            EventRecord(
                span.start_s,
                EventKind.PHASE,
                {
                    "phase": span.phase,
                    "round_index": span.round_index,
                    "rounds_total": ROUNDS if span.round_index else 0,
                    "duration_s": span.end_s - span.start_s,
                    "label": "brisk walk" if span.phase == "warmup" else "",
                },
            )
        )
        if span.phase == "run":
            events.append(EventRecord(span.start_s, EventKind.METRONOME, {"on": True}))
            events.append(
                EventRecord(
                    span.start_s,
                    EventKind.TEMPO,
                    {"bpm": 168.0 + span.round_index, "reason": "ramp"},
                )
            )
        elif span.phase == "walk":
            events.append(EventRecord(span.start_s, EventKind.METRONOME, {"on": False}))
            events.append(
                EventRecord(
                    span.start_s + 5.0,
                    EventKind.PAIN,
                    {
                        "rating": 1 + span.round_index % 2,
                        "prompt_id": span.round_index,
                        "when": "during",
                    },
                )
            )
    events.append(
        EventRecord(320.0, EventKind.CUE, {"text": "Run tall", "kind": "form", "topic": "run_tall"})
    )
    events.append(EventRecord(PAUSE[0], EventKind.PAUSE, {"paused": True}))
    events.append(EventRecord(PAUSE[1], EventKind.PAUSE, {"paused": False}))
    events.append(
        EventRecord(
            DURATION_S,
            EventKind.PHASE,
            {"phase": "done", "round_index": 0, "rounds_total": 0, "duration_s": None, "label": ""},
        )
    )
    events.append(
        EventRecord(DURATION_S, EventKind.STOP, {"reason": "program_done", "message": ""})
    )
    events.sort(key=lambda e: e.t_s)

    info = SessionInfo(
        session_id=session_id,
        started_at=STARTED_AT,
        ended_at=datetime.fromtimestamp(STARTED_AT.timestamp() + DURATION_S, UTC),
        duration_s=DURATION_S,
        profile_name="default",
        runner_name="Sam",
        program="run-walk-beginner",
        program_week=2,
        end_reason="program_done",
        treadmill=True,
    )
    return SessionData(info=info, samples=tuple(samples), events=tuple(events))


@pytest.fixture(scope="session")
def run_walk_session() -> SessionData:
    return make_session()


def nominal_phase_cadence(phase: str) -> float:
    return _NOMINAL[phase][0]


assert math.isclose(WARMUP_S + ROUNDS * (RUN_S + WALK_S) + 300.0, DURATION_S)
