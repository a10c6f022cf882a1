"""The merged one-second track, laps and pauses that FIT and TCX are built from."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import pytest

from cadence.export.common import (
    atomic_path,
    build_laps,
    build_pauses,
    build_track,
    recorded_points,
    write_bytes_atomic,
)
from cadence.model.sample import Sample, SensorRole
from cadence.model.session import EventKind, EventRecord, SessionData, SessionInfo

from .conftest import DURATION_S, PAUSE, ROUNDS, intervals


def _session(
    samples: list[Sample], events: Sequence[EventRecord] = (), duration_s: float = 0.0
) -> SessionData:
    info = SessionInfo(
        1, datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC), None, duration_s, "p", "r", "", 0, None
    )
    return SessionData(info, tuple(sorted(samples, key=lambda s: s.t_s)), tuple(events))


def test_track_has_one_point_per_second_from_zero_to_the_end(run_walk_session: SessionData) -> None:
    track = build_track(run_walk_session)
    assert [p.t_s for p in track] == [float(t) for t in range(int(DURATION_S) + 1)]


def test_track_cadence_is_the_mean_of_the_footpod_readings_in_each_second(
    run_walk_session: SessionData,
) -> None:
    track = build_track(run_walk_session)
    pod = [s for s in run_walk_session.samples if s.role is SensorRole.FOOTPOD]
    for t in (1, 301, 450, 1000, 1799):
        window = [s.cadence_spm for s in pod if t - 1 < s.t_s <= t and s.cadence_spm is not None]
        assert len(window) == 2
        assert track[t].cadence_spm == pytest.approx(sum(window) / 2)


def test_track_heart_rate_comes_from_the_strap(run_walk_session: SessionData) -> None:
    track = build_track(run_walk_session)
    strap = {s.t_s: s.hr_bpm for s in run_walk_session.samples if s.role is SensorRole.HEART_RATE}
    for point in track[:-1]:
        assert point.hr_bpm == strap[point.t_s]


def test_stale_readings_are_held_briefly_then_dropped(run_walk_session: SessionData) -> None:
    track = build_track(run_walk_session)
    start, end = int(PAUSE[0]), int(PAUSE[1])
    assert track[start + 3].cadence_spm is not None  # last pod reading 3 s old: held
    assert track[start + 8].cadence_spm is None  # 8 s old: nothing measured
    assert track[start + 8].speed_mps is None
    assert track[start + 8].hr_bpm is not None  # the strap kept going
    assert track[end + 1].cadence_spm is not None


def test_distance_is_the_treadmill_odometer_from_zero(run_walk_session: SessionData) -> None:
    track = build_track(run_walk_session)
    belt = [s.distance_m for s in run_walk_session.samples if s.role is SensorRole.TREADMILL]
    assert track[0].distance_m == 0.0
    assert all(b.distance_m >= a.distance_m for a, b in itertools.pairwise(track))
    assert track[-1].distance_m == pytest.approx(belt[-1] - belt[0])  # type: ignore[operator]


def test_footpod_odometer_offset_and_reset_are_removed() -> None:
    readings = [(0.0, 5000.0), (1.0, 5002.5), (2.0, 5005.0), (3.0, 1.0), (4.0, 3.5)]
    data = _session(
        [Sample(t, SensorRole.FOOTPOD, speed_mps=2.5, distance_m=d) for t, d in readings]
    )
    assert [p.distance_m for p in build_track(data)] == [0.0, 2.5, 5.0, 5.0, 7.5]


def test_distance_is_integrated_from_speed_when_no_device_reports_it() -> None:
    data = _session([Sample(t / 2, SensorRole.FOOTPOD, speed_mps=2.0) for t in range(201)])
    track = build_track(data)
    assert len(track) == 101
    assert track[-1].distance_m == pytest.approx(200.0)


def test_laps_follow_the_phase_events(run_walk_session: SessionData) -> None:
    laps = build_laps(run_walk_session)
    expected = intervals()
    assert len(laps) == 2 + 2 * ROUNDS
    assert [(lap.phase, lap.start_s, lap.end_s) for lap in laps] == [
        (span.phase, span.start_s, span.end_s) for span in expected
    ]
    assert laps[1].title == "run 1/8"
    assert laps[0].title == "warmup: brisk walk"
    assert [lap.index for lap in laps] == list(range(len(laps)))


def test_laps_cover_the_session_with_no_stub_lap() -> None:
    # issue 13: the coach's first phase 2.6 s in made a 2.6 s "Lap 1", and its
    # "done" 3.6 s before the end left the last seconds outside every lap
    samples = [Sample(t / 2, SensorRole.FOOTPOD, cadence_spm=170.0) for t in range(2 * 125)]
    events = [
        EventRecord(2.6, EventKind.PHASE, {"phase": "warmup"}),
        EventRecord(30.4, EventKind.PHASE, {"phase": "run", "round_index": 1, "rounds_total": 1}),
        EventRecord(90.2, EventKind.PHASE, {"phase": "cooldown"}),
        EventRecord(120.9, EventKind.PHASE, {"phase": "done"}),
    ]
    laps = build_laps(_session(samples, events, duration_s=124.5))
    assert [(lap.phase, lap.start_s, lap.end_s) for lap in laps] == [
        ("warmup", 0.0, 30.0),
        ("run", 30.0, 90.0),
        ("cooldown", 90.0, 124.5),
    ]
    assert [lap.index for lap in laps] == [0, 1, 2]


def test_the_time_before_the_first_phase_joins_the_first_lap() -> None:
    samples = [Sample(float(t), SensorRole.FOOTPOD, cadence_spm=170.0) for t in range(60)]
    phase = EventRecord(
        20.0, EventKind.PHASE, {"phase": "run", "round_index": 1, "rounds_total": 1}
    )
    laps = build_laps(_session(samples, [phase]))
    assert [(lap.phase, lap.start_s, lap.end_s) for lap in laps] == [("run", 0.0, 59.0)]
    only = build_laps(_session(samples))
    assert [(lap.phase, lap.start_s, lap.end_s) for lap in only] == [("session", 0.0, 59.0)]


def test_a_phase_shorter_than_a_whole_second_joins_its_neighbour() -> None:
    events = [EventRecord(0.0, EventKind.PHASE, {"phase": "warmup"}),
              EventRecord(10.2, EventKind.PHASE, {"phase": "run"}),
              EventRecord(10.4, EventKind.PHASE, {"phase": "walk"}),
              EventRecord(59.8, EventKind.PHASE, {"phase": "cooldown"})]
    laps = build_laps(_session([], events, duration_s=60.0))
    assert [(lap.phase, lap.start_s, lap.end_s) for lap in laps] == [
        ("warmup", 0.0, 10.0), ("walk", 10.0, 60.0)
    ]


def test_pauses_and_the_points_recorded_outside_them(run_walk_session: SessionData) -> None:
    pauses = build_pauses(run_walk_session)
    assert pauses == [PAUSE]
    kept = recorded_points(build_track(run_walk_session), pauses)
    assert len(kept) == int(DURATION_S) + 1 - int(PAUSE[1] - PAUSE[0] - 1)
    assert not any(PAUSE[0] < p.t_s < PAUSE[1] for p in kept)


def test_an_empty_session_still_has_one_point_and_one_lap() -> None:
    data = _session([])
    assert [p.t_s for p in build_track(data)] == [0.0]
    assert len(build_laps(data)) == 1


def test_atomic_write_keeps_the_old_file_when_writing_fails(tmp_path: Path) -> None:
    target = tmp_path / "run.fit"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError), atomic_path(target) as tmp:
        tmp.write_bytes(b"half a file")
        raise RuntimeError("boom")
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run.fit"]


def test_atomic_write_into_a_missing_folder_raises_and_creates_nothing(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        write_bytes_atomic(tmp_path / "nope" / "run.fit", b"data")
    assert list(tmp_path.iterdir()) == []


def test_atomic_write_replaces_the_target(tmp_path: Path) -> None:
    target = tmp_path / "run.csv"
    target.write_bytes(b"old")
    write_bytes_atomic(target, b"new")
    assert target.read_bytes() == b"new"
    assert [p.name for p in tmp_path.iterdir()] == ["run.csv"]
