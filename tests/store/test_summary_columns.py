"""The columnar read path gives exactly the Summary the object path gives.

``Store.load_session_columns`` reads only the streams the summary needs straight
into numpy arrays; ``Store.load_session`` builds a ``Sample`` per row. Both are
summarised here from the same real SQLite files and must agree to the last bit
(dataclass equality, floats compared exactly), on finished, crashed and
recovered sessions and on messy data: out-of-order and tied times, missing
fields, NaN, sensor fallbacks, pauses and phases.
"""

from __future__ import annotations

import math
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from cadence.coach.actions import MetronomeOff, MetronomeOn, Phase, PhaseChange, SetTempo
from cadence.model.sample import Sample, SensorRole
from cadence.report.streams import LoadedStreams, SampleStreams, Stream, StreamSpec
from cadence.report.summary import (
    CADENCE_STREAM,
    DISTANCE_STREAM,
    HR_STREAM,
    SPEED_STREAM,
    summarize,
)
from cadence.report.summary_model import SessionHeadline, Summary
from cadence.store import read
from cadence.store.events import pause_event
from cadence.store.store import Store

from .builders import KNOWN_AVG_CADENCE, KNOWN_START, record_known_session, simple_run
from .test_recovery import abandoned_session

START = datetime(2026, 11, 10, 7, 0, tzinfo=UTC)


def both(store: Store, ref: int | str,
         previous: tuple[SessionHeadline, ...] = ()) -> tuple[Summary, Summary]:
    by_objects = summarize(store.load_session(ref), previous)
    by_columns = summarize(store.load_session_columns(ref), previous)
    return by_objects, by_columns


def test_known_session_same_summary_both_ways(store: Store) -> None:
    for k in range(3):
        simple_run(store, KNOWN_START - timedelta(days=k + 1), 5, 160.0 + k)
    sid = record_known_session(store)
    previous = tuple(store.previous_headlines(sid))
    assert len(previous) == 3
    by_objects, by_columns = both(store, sid, previous)
    assert by_columns == by_objects
    assert by_columns.avg_cadence_spm == pytest.approx(KNOWN_AVG_CADENCE)
    assert by_columns.comparison is not None and by_columns.intervals


def test_streams_hold_the_same_numbers_in_the_same_order(store: Store) -> None:
    sid = record_known_session(store)
    objects = SampleStreams(store.load_session(sid).samples)
    columns = store.load_session_columns(sid)
    for spec in (CADENCE_STREAM, DISTANCE_STREAM, HR_STREAM):
        a, b = objects.stream(*spec), columns.streams.stream(*spec)
        assert a.t.size > 0
        assert a.t.tobytes() == b.t.tobytes() and a.v.tobytes() == b.v.tobytes()
    # the footpod reported distance, so the speed fallback was never read
    assert SPEED_STREAM not in columns.streams.specs
    with pytest.raises(KeyError, match="speed_mps"):
        columns.streams.stream(*SPEED_STREAM)


def _messy_session(store: Store, rng: random.Random, kind: str) -> int:
    """A session written through the real recorder with irregular, partly missing data."""
    rec = store.begin_session(profile_name="m", runner_name="R", program="run-walk",
                              program_week=1, started_at=START, treadmill=kind == "treadmill",
                              shoe_name="")
    t = 0.0
    odometer = 0.0
    phase_at = 0.0
    round_index = 0
    while t < 900:
        if t >= phase_at:
            round_index += 1
            phase = Phase.RUN if round_index % 2 else Phase.WALK
            rec.add_action(t, PhaseChange(phase, round_index, 8, 90.0))
            if phase is Phase.RUN:
                rec.add_action(t, SetTempo(168.0 + rng.randint(0, 10)))
                rec.add_action(t, MetronomeOn())
            else:
                rec.add_action(t, MetronomeOff("walk"))
            phase_at += rng.uniform(40, 120)
        if rng.random() < 0.02:
            rec.add_event(pause_event(t, paused=rng.random() < 0.5))
        cadence: float | None = rng.choice([rng.uniform(150, 185), rng.uniform(150, 185), 0.0,
                                            None, math.nan])
        odometer += rng.uniform(0, 0.5) if rng.random() > 0.01 else -odometer  # resets too
        if kind in ("footpod", "no_distance"):
            rec.add_sample(Sample(t, SensorRole.FOOTPOD, cadence_spm=cadence,
                                  speed_mps=rng.uniform(2, 4) if rng.random() > 0.1 else None,
                                  distance_m=None if kind == "no_distance" else odometer))
        elif kind == "treadmill":
            rec.add_sample(Sample(t, SensorRole.TREADMILL, cadence_spm=cadence,
                                  speed_mps=3.0, distance_m=odometer, incline_pct=1.0))
        elif kind == "tap":
            rec.add_sample(Sample(t, SensorRole.TAP, cadence_spm=cadence))
        if kind != "no_hr" and rng.random() < 0.3:
            # same time as the cadence sample (a tie), or slightly out of order
            hr_t = t if rng.random() < 0.5 else max(0.0, t - rng.uniform(0, 0.3))
            rec.add_sample(Sample(hr_t, SensorRole.HEART_RATE, hr_bpm=rng.randint(90, 180)))
        if kind == "no_hr":
            rec.add_sample(Sample(t, SensorRole.FOOTPOD, cadence_spm=cadence, hr_bpm=140))
        t += rng.choice([0.1, 0.1, 0.1, 0.1, 1 / 3, 0.0, 4.5])  # bursts, ties and dropouts
        if rng.random() < 0.1:
            assert rec.flush()
    assert rec.finish("user", t + rng.uniform(0, 5))
    return rec.session_id


@pytest.mark.parametrize("kind", ["footpod", "treadmill", "tap", "no_distance", "no_hr"])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_messy_sessions_same_summary_both_ways(db_path: Path, kind: str, seed: int) -> None:
    with Store.open(db_path) as store:
        sid = _messy_session(store, random.Random(seed * 31 + len(kind)), kind)
        by_objects, by_columns = both(store, sid)
    assert by_columns == by_objects
    assert by_columns.cadence_s > 0 and by_columns.intervals


def test_empty_session_same_summary_both_ways(store: Store) -> None:
    rec = store.begin_session(profile_name="p", runner_name="R", program="c", program_week=1,
                              started_at=START, treadmill=False, shoe_name="")
    assert rec.finish("user", 30.0)
    by_objects, by_columns = both(store, "last")
    assert by_columns == by_objects
    assert by_columns.avg_cadence_spm is None and by_columns.duration_s == 30.0


def test_crashed_then_recovered_session_same_summary_both_ways(db_path: Path) -> None:
    abandoned_session(db_path)  # a child process records 12.5 s and dies without finishing
    with Store.open(db_path) as store:
        by_objects, by_columns = both(store, "last")
        assert by_columns == by_objects
        assert not by_columns.finished and by_columns.duration_s == pytest.approx(12.45)
        assert by_columns.avg_cadence_spm == pytest.approx(174.0)
        store.recover(by_columns.session_id)
        by_objects, by_columns = both(store, "last")
    assert by_columns == by_objects
    assert by_columns.finished and by_columns.end_reason == "recovered"


def test_session_still_being_recorded(store: Store) -> None:
    rec = store.begin_session(profile_name="p", runner_name="R", program="c", program_week=1,
                              started_at=START, treadmill=False, shoe_name="")
    for i in range(300):
        rec.add_sample(Sample(i / 10, SensorRole.FOOTPOD, cadence_spm=170.0 + i % 5))
    assert rec.flush()
    by_objects, by_columns = both(store, rec.session_id)
    assert by_columns == by_objects
    assert not by_columns.finished and by_columns.duration_s == pytest.approx(29.9)
    assert rec.finish("user", 30.0)


def test_loaded_streams_refuse_unknown_columns(store: Store) -> None:
    sid = simple_run(store, START, 1, 170.0)
    with pytest.raises(ValueError, match="not a numeric sample column"):
        read.read_stream(store.connection, sid, ("role; DROP TABLE samples", (SensorRole.TAP,)))
    streams = LoadedStreams({CADENCE_STREAM: Stream(np.zeros(1), np.ones(1))})
    assert streams.stream(*CADENCE_STREAM).v.tolist() == [1.0]


@pytest.mark.parametrize("wanted", [
    # first choices of different roles: read together in one pass
    ((CADENCE_STREAM,), (("incline_pct", (SensorRole.TREADMILL,)),), (HR_STREAM,)),
    # the same role twice: read one by one
    ((CADENCE_STREAM,), (("speed_mps", (SensorRole.FOOTPOD,)),),
     (("distance_m", (SensorRole.FOOTPOD, SensorRole.TREADMILL)),)),
])
def test_any_streams_match_the_object_path(db_path: Path,
                                           wanted: tuple[tuple[StreamSpec, ...], ...]) -> None:
    with Store.open(db_path) as store:
        sid = _messy_session(store, random.Random(5), "footpod")
        objects = SampleStreams(store.load_session(sid).samples)
        loaded = store.load_session_columns(sid, wanted).streams
    for (spec,) in wanted:
        a, b = objects.stream(*spec), loaded.stream(*spec)
        assert a.t.tobytes() == b.t.tobytes() and a.v.tobytes() == b.v.tobytes()
