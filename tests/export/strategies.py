"""Hypothesis strategies: plausible random sessions for the exporters' property tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import strategies as st

from cadence.model.sample import Sample, SensorRole
from cadence.model.session import EventKind, EventRecord, SessionData, SessionInfo

_reading = st.tuples(
    st.floats(0.0, 600.0, allow_nan=False),
    st.one_of(st.none(), st.floats(0.0, 260.0, allow_nan=False)),
    st.one_of(st.none(), st.floats(0.0, 7.0, allow_nan=False)),
    st.one_of(st.none(), st.integers(30, 230)),
)
_phase = st.tuples(
    st.floats(0.0, 600.0, allow_nan=False), st.sampled_from(["run", "walk", "warmup"])
)


_pause = st.tuples(st.floats(0.0, 600.0, allow_nan=False), st.booleans())


@st.composite
def sessions(draw: st.DrawFn) -> SessionData:
    readings = sorted(draw(st.lists(_reading, max_size=120)), key=lambda r: r[0])
    samples: list[Sample] = []
    for t, cadence, speed, hr in readings:
        samples.append(Sample(t, SensorRole.FOOTPOD, cadence_spm=cadence, speed_mps=speed))
        if hr is not None:
            samples.append(Sample(t, SensorRole.HEART_RATE, hr_bpm=hr))
    phases = sorted(draw(st.lists(_phase, max_size=6)))
    events = [
        EventRecord(t, EventKind.PHASE, {"phase": p, "round_index": 0, "rounds_total": 0})
        for t, p in phases
    ]
    for t, paused in sorted(draw(st.lists(_pause, max_size=4))):
        events.append(EventRecord(t, EventKind.PAUSE, {"paused": paused}))
    events.sort(key=lambda e: e.t_s)
    started = datetime(2020, 1, 1, tzinfo=UTC) + timedelta(
        seconds=draw(st.floats(0, 3e8, allow_nan=False))
    )
    info = SessionInfo(
        draw(st.integers(1, 2**40)),
        started,
        None,
        draw(st.floats(0.0, 700.0)),
        "p",
        "r",
        "",
        0,
        None,
        treadmill=draw(st.booleans()),
    )
    return SessionData(info, tuple(samples), tuple(events))
