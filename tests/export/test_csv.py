"""CSV export: one row per stored sample, read back with the csv module."""

from __future__ import annotations

import csv
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from cadence.export.csv import COLUMNS, EVENT_COLUMNS, events_path, export_csv
from cadence.model.sample import Sample, SensorRole
from cadence.model.session import SessionData, SessionInfo

from .conftest import DURATION_S, PAUSE, ROUNDS, intervals


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        assert tuple(reader.fieldnames or ()) == COLUMNS
        return list(reader)


def _opt(text: str) -> float | None:
    return None if text == "" else float(text)


def test_one_row_per_sample_with_values_intact(
    run_walk_session: SessionData, tmp_path: Path
) -> None:
    path = tmp_path / "session.csv"
    export_csv(run_walk_session, path)
    rows = _read(path)
    samples = run_walk_session.samples
    assert len(rows) == len(samples)
    started = run_walk_session.info.started_at
    for sample, row in zip(samples, rows, strict=True):
        assert float(row["elapsed_s"]) == pytest.approx(sample.t_s, abs=0.0005)
        when = datetime.fromisoformat(row["time"].replace("Z", "+00:00"))
        assert when == started + timedelta(seconds=sample.t_s)
        assert row["role"] == sample.role.value
        assert _opt(row["cadence_spm"]) == pytest.approx(sample.cadence_spm, abs=0.005)
        assert _opt(row["speed_mps"]) == pytest.approx(sample.speed_mps, abs=0.0005)
        assert (None if row["hr_bpm"] == "" else int(row["hr_bpm"])) == sample.hr_bpm
        # the device's own odometer reading, in that device's column (issue 13)
        own = {"footpod": row["footpod_distance_m"], "treadmill": row["treadmill_distance_m"]}
        assert _opt(own.get(sample.role.value, "")) == pytest.approx(
            sample.distance_m if sample.role.value in own else None, abs=0.005)
        assert _opt(row["incline_pct"]) == pytest.approx(sample.incline_pct, abs=0.005)
        assert _opt(row["stride_length_m"]) == pytest.approx(sample.stride_length_m, abs=0.0005)
        assert row["sensor_id"] == sample.sensor_id


def test_duration_and_roles(run_walk_session: SessionData, tmp_path: Path) -> None:
    path = tmp_path / "session.csv"
    export_csv(run_walk_session, path)
    rows = _read(path)
    elapsed = [float(r["elapsed_s"]) for r in rows]
    assert elapsed == sorted(elapsed)
    assert elapsed[0] == 0.0
    assert elapsed[-1] == pytest.approx(DURATION_S - 0.5)  # the last footpod reading
    counts = {role.value: 0 for role in SensorRole}
    for row in rows:
        counts[row["role"]] += 1
    assert counts["footpod"] > 3500
    assert counts["hr"] == int(DURATION_S)


def test_phase_column_follows_the_intervals(run_walk_session: SessionData, tmp_path: Path) -> None:
    path = tmp_path / "session.csv"
    export_csv(run_walk_session, path)
    spans = intervals()
    for row in _read(path):
        t = float(row["elapsed_s"])
        span = next(s for s in spans if s.start_s <= t < s.end_s)
        assert row["phase"] == span.phase


def test_utf8_and_empty_cells(tmp_path: Path) -> None:
    info = SessionInfo(
        3, datetime(2026, 5, 1, 6, 0, tzinfo=UTC), None, 2.0, "p", "Zoë", "", 0, None
    )
    data = SessionData(
        info,
        (
            Sample(0.0, SensorRole.FOOTPOD, cadence_spm=171.25, sensor_id="Stryd – Zoë"),
            Sample(0.5, SensorRole.HEART_RATE, hr_bpm=97),
        ),
        (),
    )
    path = tmp_path / "tiny.csv"
    export_csv(data, path)
    text = path.read_bytes().decode("utf-8")
    lines = text.splitlines()
    assert lines[0] == ",".join(COLUMNS)
    assert lines[1] == "2026-05-01T06:00:00.000Z,0.000,footpod,171.25,,,0.00,,,Stryd – Zoë,,0,,,,"
    assert lines[2] == "2026-05-01T06:00:00.500Z,0.500,hr,,,97,0.00,,,,,0,,,,"
    assert "\r" not in text


def test_an_unwritable_target_leaves_nothing(run_walk_session: SessionData, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(OSError):
        export_csv(run_walk_session, blocker / "x.csv")
    assert [p.name for p in tmp_path.iterdir()] == ["file"]


def test_one_distance_for_the_session_from_zero(
    run_walk_session: SessionData, tmp_path: Path
) -> None:
    # the footpod's odometer starts at 1234.5 m and the treadmill's at 0: distance_m
    # is one distance, the treadmill's (as in FIT and TCX), from 0, never going back
    path = tmp_path / "session.csv"
    export_csv(run_walk_session, path)
    rows = _read(path)
    distance = [float(r["distance_m"]) for r in rows]
    assert distance[0] == 0.0
    assert distance == sorted(distance)
    belt = [s for s in run_walk_session.samples if s.role is SensorRole.TREADMILL]
    assert distance[-1] == pytest.approx(belt[-1].distance_m - belt[0].distance_m, abs=0.01)
    pod = [r for r in rows if r["role"] == "footpod"]
    assert float(pod[0]["footpod_distance_m"]) > 1234.5
    assert all(r["footpod_distance_m"] == "" for r in rows if r["role"] != "footpod")


def test_what_the_coach_knew_per_row(run_walk_session: SessionData, tmp_path: Path) -> None:
    path = tmp_path / "session.csv"
    export_csv(run_walk_session, path)
    rows = _read(path)
    paused = [r for r in rows if r["paused"] == "1"]
    assert paused and all(PAUSE[0] <= float(r["elapsed_s"]) < PAUSE[1] for r in paused)
    assert {r["paused"] for r in rows} == {"0", "1"}
    for r in rows:
        if r["phase"] == "run":
            round_index = next(s.round_index for s in intervals()
                               if s.start_s <= float(r["elapsed_s"]) < s.end_s)
            assert float(r["tempo_spm"]) == 168.0 + round_index
        elif r["phase"] == "walk":
            assert r["tempo_spm"] == ""  # the metronome is off during walk breaks


def test_the_events_file(run_walk_session: SessionData, tmp_path: Path) -> None:
    path = tmp_path / "session.csv"
    export_csv(run_walk_session, path)
    assert events_path(path).name == "session-events.csv"
    with events_path(path).open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        assert tuple(reader.fieldnames or ()) == EVENT_COLUMNS
        rows = list(reader)
    pain = [r for r in rows if r["kind"] == "pain"]
    assert [int(r["value"]) for r in pain] == [1 + k % 2 for k in range(1, ROUNDS + 1)]
    assert [r["kind"] for r in rows].count("phase") == len(intervals()) + 1  # and "done"
    assert {"pause", "resume", "cue", "stop"} <= {r["kind"] for r in rows}
    elapsed = [float(r["elapsed_s"]) for r in rows]
    assert elapsed == sorted(elapsed)
