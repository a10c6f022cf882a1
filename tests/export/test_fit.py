"""FIT export round trip through Garmin's own FIT SDK decoder."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from cadence.export.common import (
    build_laps,
    build_pauses,
    build_track,
    recorded_points,
    session_end_s,
    wall_origin,
)
from cadence.export.fit import (
    CADENCE_RESOLUTION_SPM,
    encode_fit,
    export_fit,
    steps_from_strides,
    strides_from_steps,
)
from cadence.model.session import SessionData, SessionInfo

from .conftest import DURATION_S, PAUSE, intervals
from .decode import DecodedFit, decode_fit
from .strategies import sessions


@pytest.fixture(scope="module")
def decoded(run_walk_session: SessionData, tmp_path_factory: pytest.TempPathFactory) -> DecodedFit:
    path = tmp_path_factory.mktemp("fit") / "session.fit"
    export_fit(run_walk_session, path)
    return decode_fit(path.read_bytes())


def test_the_sdk_reads_the_file_with_no_errors(decoded: DecodedFit) -> None:
    assert decoded.is_fit
    assert decoded.integrity_ok
    assert decoded.errors == []
    assert decoded.mesgs("file_id")[0]["type"] == "activity"
    assert len(decoded.mesgs("session")) == 1
    assert len(decoded.mesgs("activity")) == 1


def test_one_record_per_recorded_second_at_the_right_time(
    decoded: DecodedFit, run_walk_session: SessionData
) -> None:
    kept = recorded_points(build_track(run_walk_session), build_pauses(run_walk_session))
    records = decoded.mesgs("record")
    assert len(records) == len(kept)
    origin = wall_origin(run_walk_session)
    assert [r["timestamp"] for r in records] == [origin + timedelta(seconds=p.t_s) for p in kept]
    assert records[-1]["timestamp"] - records[0]["timestamp"] == timedelta(seconds=DURATION_S)


def test_records_carry_cadence_heart_rate_speed_distance_and_grade(
    decoded: DecodedFit, run_walk_session: SessionData
) -> None:
    kept = recorded_points(build_track(run_walk_session), build_pauses(run_walk_session))
    with_cadence = 0
    for point, record in zip(kept, decoded.mesgs("record"), strict=True):
        assert record.get("heart_rate") == point.hr_bpm
        assert record["distance"] == pytest.approx(point.distance_m, abs=0.005)
        if point.cadence_spm is None:
            assert "cadence" not in record
            continue
        with_cadence += 1
        steps = steps_from_strides(record["cadence"], record.get("fractional_cadence"))
        assert steps == pytest.approx(point.cadence_spm, abs=CADENCE_RESOLUTION_SPM / 2 + 1e-9)
    for point, record in zip(kept, decoded.mesgs("record"), strict=True):
        if point.speed_mps is None:
            assert "enhanced_speed" not in record
        else:
            assert record["enhanced_speed"] == pytest.approx(point.speed_mps, abs=0.0005)
            assert record["speed"] == pytest.approx(point.speed_mps, abs=0.0005)
        if point.incline_pct is not None:
            assert record["grade"] == pytest.approx(point.incline_pct, abs=0.005)
    assert with_cadence > 1700


def test_running_cadence_is_written_in_strides_per_minute(
    decoded: DecodedFit, run_walk_session: SessionData
) -> None:
    """Runs at ~170 steps/min read as ~85 in FIT's cadence field (what Garmin writes)."""
    origin = wall_origin(run_walk_session)
    runs = [span for span in intervals() if span.phase == "run"]
    run_records = [
        r
        for r in decoded.mesgs("record")
        if any(
            span.start_s + 1 < (r["timestamp"] - origin).total_seconds() < span.end_s
            for span in runs
        )
    ]
    assert len(run_records) > 600
    assert all(80 <= r["cadence"] <= 90 for r in run_records)


def test_durations_and_laps(decoded: DecodedFit, run_walk_session: SessionData) -> None:
    session = decoded.mesgs("session")[0]
    paused_s = PAUSE[1] - PAUSE[0]
    assert session["total_elapsed_time"] == pytest.approx(DURATION_S)
    assert session["total_timer_time"] == pytest.approx(DURATION_S - paused_s)
    assert session["sport"] == "running"
    assert session["sub_sport"] == "treadmill"
    assert decoded.mesgs("activity")[0]["total_timer_time"] == pytest.approx(DURATION_S - paused_s)

    laps = decoded.mesgs("lap")
    spans = intervals()
    assert session["num_laps"] == len(laps) == len(spans)
    origin = wall_origin(run_walk_session)
    intensity = {"warmup": "warmup", "run": "active", "walk": "recovery", "cooldown": "cooldown"}
    for lap, span in zip(laps, spans, strict=True):
        assert lap["start_time"] == origin + timedelta(seconds=span.start_s)
        assert lap["total_elapsed_time"] == pytest.approx(span.end_s - span.start_s)
        assert lap["intensity"] == intensity[span.phase]
    assert sum(lap["total_timer_time"] for lap in laps) == pytest.approx(DURATION_S - paused_s)
    assert sum(lap["total_distance"] for lap in laps) == pytest.approx(
        session["total_distance"], abs=0.05
    )


def test_lap_average_cadence_matches_the_track(
    decoded: DecodedFit, run_walk_session: SessionData
) -> None:
    # the recorded points only: paused seconds have no records and count in no average
    track = recorded_points(build_track(run_walk_session), build_pauses(run_walk_session))
    for lap_mesg, lap in zip(decoded.mesgs("lap"), build_laps(run_walk_session), strict=True):
        values = [
            p.cadence_spm
            for p in track
            if lap.start_s <= p.t_s < lap.end_s and p.cadence_spm is not None
        ]
        average = steps_from_strides(
            lap_mesg["avg_cadence"], lap_mesg.get("avg_fractional_cadence")
        )
        assert average == pytest.approx(sum(values) / len(values), abs=CADENCE_RESOLUTION_SPM)


def test_the_timer_stops_during_the_pause(
    decoded: DecodedFit, run_walk_session: SessionData
) -> None:
    origin = wall_origin(run_walk_session)
    timer = [
        ((e["timestamp"] - origin).total_seconds(), e["event_type"])
        for e in decoded.mesgs("event")
        if e["event"] == "timer"
    ]
    assert timer == [
        (0.0, "start"),
        (PAUSE[0], "stop_all"),
        (PAUSE[1], "start"),
        (DURATION_S, "stop_all"),
    ]


@pytest.mark.parametrize(
    ("spm", "strides", "fraction"),
    [(170.0, 85, 0.0), (171.0, 85, 0.5), (0.0, 0, 0.0), (171.999, 86, 0.0), (172.25, 86, 0.125)],
)
def test_steps_split_into_whole_and_fractional_strides(
    spm: float, strides: int, fraction: float
) -> None:
    assert strides_from_steps(spm) == (strides, fraction)


def test_an_empty_session_is_still_a_valid_fit_file() -> None:
    info = SessionInfo(7, datetime(2026, 3, 1, tzinfo=UTC), None, 0.0, "p", "r", "", 0, None)
    decoded = decode_fit(encode_fit(SessionData(info, (), ())))
    assert decoded.integrity_ok
    assert decoded.errors == []
    assert len(decoded.mesgs("record")) == 1
    assert len(decoded.mesgs("lap")) == 1


# -- property: any plausible session survives the round trip ----------------------------------


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=sessions())
def test_property_any_session_round_trips_through_the_sdk(data: SessionData) -> None:
    decoded = decode_fit(encode_fit(data))
    assert decoded.integrity_ok
    assert decoded.errors == []
    track = recorded_points(build_track(data), build_pauses(data))
    records = decoded.mesgs("record")
    assert len(records) == len(track)
    assert len(decoded.mesgs("lap")) == len(build_laps(data))
    session = decoded.mesgs("session")[0]
    assert session["total_elapsed_time"] == pytest.approx(session_end_s(data), abs=0.001)
    for point, record in zip(track, records, strict=True):
        assert record.get("heart_rate") == point.hr_bpm
        if point.cadence_spm is not None:
            steps = steps_from_strides(record["cadence"], record.get("fractional_cadence"))
            assert steps == pytest.approx(point.cadence_spm, abs=CADENCE_RESOLUTION_SPM / 2 + 1e-9)


def test_writing_to_a_missing_folder_raises_and_leaves_nothing(
    run_walk_session: SessionData, tmp_path: Path
) -> None:
    with pytest.raises(OSError):
        export_fit(run_walk_session, tmp_path / "missing" / "x.fit")
    assert list(tmp_path.iterdir()) == []
