"""One session timeline: the summary and the exports read the same phases, pauses, sensors."""

from __future__ import annotations

from datetime import UTC, datetime

from cadence.export.common import build_laps, build_pauses, build_track
from cadence.model.sample import Sample, SensorRole
from cadence.model.session import EventKind, EventRecord, SessionData, SessionInfo
from cadence.report.session_timeline import (
    CADENCE_ROLES,
    pause_spans,
    phase_spans,
    session_end_s,
)
from cadence.report.summary import summarize


def _session(samples: list[Sample], events: list[EventRecord], duration_s: float) -> SessionData:
    info = SessionInfo(1, datetime(2026, 3, 1, 7, 0, tzinfo=UTC), None, duration_s, "p", "r",
                       "", 0, None)
    return SessionData(info, tuple(samples), tuple(events))


def _phase(t_s: float, phase: str, round_index: int = 0) -> EventRecord:
    return EventRecord(t_s, EventKind.PHASE, {"phase": phase, "round_index": round_index,
                                              "rounds_total": 2})


def test_cadence_prefers_the_footpod_then_a_tap_then_the_treadmill() -> None:
    assert CADENCE_ROLES == (SensorRole.FOOTPOD, SensorRole.TAP, SensorRole.TREADMILL)


def test_summary_and_track_take_cadence_from_the_same_sensor() -> None:
    # a treadmill that reports cadence and a runner who taps a different one:
    # before the shared timeline the summary said 150 and the exports 180
    samples = []
    for t in range(61):
        samples.append(Sample(float(t), SensorRole.TREADMILL, cadence_spm=150.0, speed_mps=3.0))
        samples.append(Sample(float(t) + 0.5, SensorRole.TAP, cadence_spm=180.0))
    data = _session(samples, [], 61.0)
    summary = summarize(data)
    track = build_track(data)
    assert summary.avg_cadence_spm == 180.0
    assert {p.cadence_spm for p in track[1:]} == {180.0}


def test_intervals_and_laps_are_the_same_spans() -> None:
    events = [_phase(5.0, "warmup"), _phase(65.0, "run", 1), _phase(125.0, "walk", 1),
              _phase(185.0, "run", 2), _phase(245.0, "done", 2)]
    samples = [Sample(float(t), SensorRole.FOOTPOD, cadence_spm=170.0) for t in range(250)]
    data = _session(samples, events, 250.0)
    rows = summarize(data).intervals
    laps = build_laps(data)
    assert [(r.phase, r.round_index) for r in rows] == [(lap.phase, lap.round_index)
                                                         for lap in laps]
    # the exports' laps are the same intervals, stretched to cover the whole session
    # (the 5 s before the first phase, the 5 s after "done") on whole seconds
    assert [lap.start_s for lap in laps] == [0.0, *(r.start_s for r in rows[1:])]
    assert laps[-1].end_s == 250.0
    spans = phase_spans(data.events, session_end_s(data))
    assert [s.phase for s in spans] == ["", "warmup", "run", "walk", "run", "done"]
    assert spans[-1].end_s == 250.0


def test_pauses_are_the_same_for_the_summary_and_the_exports() -> None:
    events = [EventRecord(10.0, EventKind.PAUSE, {"paused": True}),
              EventRecord(12.0, EventKind.PAUSE, {"paused": True}),  # already paused
              EventRecord(20.0, EventKind.PAUSE, {"paused": False}),
              EventRecord(30.0, EventKind.PAUSE, {"paused": False}),  # already moving
              EventRecord(50.0, EventKind.PAUSE, {"paused": True})]  # open to the end
    data = _session([], events, 60.0)
    spans = pause_spans(data.events, session_end_s(data))
    assert [(s.start_s, s.end_s) for s in spans] == [(10.0, 20.0), (50.0, 60.0)]
    assert build_pauses(data) == [(10.0, 20.0), (50.0, 60.0)]
    assert summarize(data).paused_s == 20.0
