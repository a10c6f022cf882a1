"""CSV export: one row per stored sample, read back with the csv module."""

from __future__ import annotations

import csv
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from cadence.export.csv import COLUMNS, export_csv
from cadence.model.sample import Sample, SensorRole
from cadence.model.session import SessionData, SessionInfo

from .conftest import DURATION_S, intervals


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
        assert _opt(row["distance_m"]) == pytest.approx(sample.distance_m, abs=0.005)
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
    assert lines[1] == "2026-05-01T06:00:00.000Z,0.000,footpod,171.25,,,,,,Stryd – Zoë,"
    assert lines[2] == "2026-05-01T06:00:00.500Z,0.500,hr,,,97,,,,,"
    assert "\r" not in text


def test_an_unwritable_target_leaves_nothing(run_walk_session: SessionData, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(OSError):
        export_csv(run_walk_session, blocker / "x.csv")
    assert [p.name for p in tmp_path.iterdir()] == ["file"]
