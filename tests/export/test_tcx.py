"""TCX export: valid against Garmin's schemas, and the values read back."""

from __future__ import annotations

from copy import deepcopy
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from cadence.export.common import build_pauses, build_track, recorded_points, wall_origin
from cadence.export.tcx import CADENCE_RESOLUTION_SPM, encode_tcx, export_tcx, run_cadence
from cadence.model.session import SessionData, SessionInfo

from .conftest import DURATION_S, PAUSE, intervals
from .decode import NS, parse_tcx, tcx_schema
from .strategies import sessions


@pytest.fixture(scope="module")
def tcx_bytes(run_walk_session: SessionData, tmp_path_factory: pytest.TempPathFactory) -> bytes:
    path = tmp_path_factory.mktemp("tcx") / "session.tcx"
    export_tcx(run_walk_session, path)
    return path.read_bytes()


@pytest.fixture(scope="module")
def doc(tcx_bytes: bytes) -> Any:
    return parse_tcx(tcx_bytes)


def _time(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def test_valid_against_training_center_database_v2(doc: Any) -> None:
    schema = tcx_schema(combined=False)
    assert schema.validate(doc), schema.error_log


def test_extensions_valid_against_activity_extension_v2(doc: Any) -> None:
    schema = tcx_schema(combined=True)
    assert schema.validate(doc), schema.error_log


def test_the_schemas_do_reject_broken_files(doc: Any) -> None:
    """Negative controls: the validation above can fail."""
    schema = tcx_schema(combined=True)
    bad_cadence = deepcopy(doc)
    bad_cadence.find(".//ax2:RunCadence", NS).text = "300"  # > 254: not a CadenceValue_t
    assert not schema.validate(bad_cadence)
    no_intensity = deepcopy(doc)
    lap = no_intensity.find(".//tcd:Lap", NS)
    lap.remove(lap.find("tcd:Intensity", NS))
    assert not schema.validate(no_intensity)


def test_utf8_with_garmins_prefixes(tcx_bytes: bytes) -> None:
    assert tcx_bytes.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    assert b"<ns3:RunCadence>" in tcx_bytes
    assert b'xmlns:ns3="http://www.garmin.com/xmlschemas/ActivityExtension/v2"' in tcx_bytes


def test_one_running_activity_with_a_lap_per_interval(
    doc: Any, run_walk_session: SessionData
) -> None:
    activities = doc.findall(".//tcd:Activity", NS)
    assert len(activities) == 1
    assert activities[0].get("Sport") == "Running"
    origin = wall_origin(run_walk_session)
    assert _time(activities[0].find("tcd:Id", NS).text) == origin
    laps = doc.findall(".//tcd:Lap", NS)
    spans = intervals()
    assert len(laps) == len(spans)
    for lap, span in zip(laps, spans, strict=True):
        assert _time(lap.get("StartTime")) == origin + timedelta(seconds=span.start_s)
        expected = "Resting" if span.phase == "walk" else "Active"
        assert lap.find("tcd:Intensity", NS).text == expected
        assert lap.find("tcd:Notes", NS).text.startswith(span.phase)
    total = sum(float(lap.find("tcd:TotalTimeSeconds", NS).text) for lap in laps)
    assert total == pytest.approx(DURATION_S - (PAUSE[1] - PAUSE[0]))


def test_trackpoints_round_trip(doc: Any, run_walk_session: SessionData) -> None:
    kept = recorded_points(build_track(run_walk_session), build_pauses(run_walk_session))
    points = doc.findall(".//tcd:Trackpoint", NS)
    assert len(points) == len(kept)
    origin = wall_origin(run_walk_session)
    times = [_time(tp.find("tcd:Time", NS).text) for tp in points]
    assert times == [origin + timedelta(seconds=p.t_s) for p in kept]
    assert times[-1] - times[0] == timedelta(seconds=DURATION_S)
    for point, tp in zip(kept, points, strict=True):
        assert float(tp.find("tcd:DistanceMeters", NS).text) == pytest.approx(
            point.distance_m, abs=0.005
        )
        hr = tp.find("tcd:HeartRateBpm/tcd:Value", NS)
        assert (None if hr is None else int(hr.text)) == point.hr_bpm
        cadence = tp.find("tcd:Extensions/ax2:TPX/ax2:RunCadence", NS)
        if point.cadence_spm is None:
            assert cadence is None
        else:
            assert int(cadence.text) == run_cadence(point.cadence_spm)
            assert 2 * int(cadence.text) == pytest.approx(
                point.cadence_spm, abs=CADENCE_RESOLUTION_SPM / 2 + 1e-9
            )
        speed = tp.find("tcd:Extensions/ax2:TPX/ax2:Speed", NS)
        if point.speed_mps is not None:
            assert float(speed.text) == pytest.approx(point.speed_mps, abs=0.0005)


def test_running_cadence_is_also_in_the_core_cadence_element_for_strava(doc: Any) -> None:
    """Strava drops RunCadence from TCX runs and reads the core Cadence (see export.tcx).

    This used to assert the core element was absent; issue 13 asked for the
    Strava decision: both now carry the same strides-per-minute value.
    """
    points = doc.findall(".//tcd:Trackpoint", NS)
    with_cadence = [tp for tp in points if tp.find("tcd:Cadence", NS) is not None]
    assert len(with_cadence) > 0.9 * len(points)
    for tp in points:
        core = tp.find("tcd:Cadence", NS)
        run = tp.find("tcd:Extensions/ax2:TPX/ax2:RunCadence", NS)
        assert (core is None) == (run is None)
        if core is not None:
            assert core.text == run.text
    for lap in doc.findall(".//tcd:Lap", NS):
        assert lap.find("tcd:Cadence", NS).text == lap.find(
            "tcd:Extensions/ax2:LX/ax2:AvgRunCadence", NS).text


def test_lap_notes_say_what_the_coach_knew(doc: Any) -> None:
    notes = [lap.find("tcd:Notes", NS).text for lap in doc.findall(".//tcd:Lap", NS)]
    assert notes[0].startswith("warmup: brisk walk")
    assert notes[1].startswith("run 1/8; metronome 169 spm")
    assert "pain 2/10" in notes[2]  # the first walk break's rating, with its time
    assert "5:20 Run tall" in notes[0] or "5:20 Run tall" in notes[1]


def test_the_demo_like_session_validates_and_has_calories() -> None:
    from .demo_like import demo_like_session

    payload = encode_tcx(demo_like_session())
    tree = parse_tcx(payload)
    for combined in (False, True):
        schema = tcx_schema(combined=combined)
        assert schema.validate(tree), schema.error_log
    laps = tree.findall(".//tcd:Lap", NS)
    assert len(laps) == 2 + 2 * 8
    calories = [int(lap.find("tcd:Calories", NS).text) for lap in laps]
    assert all(c > 0 for c in calories) and 150 < sum(calories) < 400
    assert any("warning sign" in lap.find("tcd:Notes", NS).text for lap in laps)


def test_run_laps_report_strides_per_minute(doc: Any) -> None:
    for lap in doc.findall(".//tcd:Lap", NS):
        if lap.find("tcd:Notes", NS).text.startswith("run"):
            assert 83 <= int(lap.find(".//ax2:AvgRunCadence", NS).text) <= 88


@pytest.mark.parametrize(
    ("spm", "expected"),
    [(170.0, 85), (171.0, 86), (173.0, 87), (171.2, 86), (0.0, 0), (600.0, 254)],
)
def test_run_cadence_conversion(spm: float, expected: int) -> None:
    assert run_cadence(spm) == expected


def test_an_empty_session_is_still_valid() -> None:
    info = SessionInfo(7, datetime(2026, 3, 1, tzinfo=UTC), None, 0.0, "p", "r", "", 0, None)
    doc = parse_tcx(encode_tcx(SessionData(info, (), ())))
    schema = tcx_schema(combined=True)
    assert schema.validate(doc), schema.error_log


def test_writing_to_a_missing_folder_raises_and_leaves_nothing(
    run_walk_session: SessionData, tmp_path: Path
) -> None:
    with pytest.raises(OSError):
        export_tcx(run_walk_session, tmp_path / "missing" / "x.tcx")
    assert list(tmp_path.iterdir()) == []


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=sessions())
def test_property_any_session_gives_a_valid_tcx(data: SessionData) -> None:
    doc = parse_tcx(encode_tcx(data))
    schema = tcx_schema(combined=True)
    assert schema.validate(doc), schema.error_log
    kept = recorded_points(build_track(data), build_pauses(data))
    assert len(doc.findall(".//tcd:Trackpoint", NS)) == len(kept)
