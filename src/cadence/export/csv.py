"""CSV export: every stored sample, one row each, for spreadsheets and scripts.

Unlike FIT and TCX this is not resampled: a 2 Hz footpod and a 1 Hz strap give
interleaved rows, each with the role that produced it and empty cells for the
fields that sensor does not measure. That keeps the file an honest copy of
what was recorded. UTF-8, comma separated, a header row, ``\\n`` line ends.

Columns (empty cell = not measured by that sensor):

==================  =====================================================
time                wall clock, ISO 8601 UTC with milliseconds
elapsed_s           seconds since the session started (3 decimals)
role                footpod | hr | treadmill | tap
cadence_spm         steps per minute (both feet; 2 decimals)
speed_mps           metres per second (3 decimals)
hr_bpm              heart rate, beats per minute (integer)
distance_m          the device's own distance reading, metres (2 decimals)
incline_pct         treadmill incline, percent (2 decimals)
stride_length_m     metres (3 decimals)
sensor_id           the sensor's identifier as paired
phase               the coach's phase at that moment (warmup/run/walk/...)
==================  =====================================================
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

from cadence.export.common import atomic_path, build_laps
from cadence.model.sample import Sample
from cadence.model.session import SessionData

COLUMNS: tuple[str, ...] = (
    "time",
    "elapsed_s",
    "role",
    "cadence_spm",
    "speed_mps",
    "hr_bpm",
    "distance_m",
    "incline_pct",
    "stride_length_m",
    "sensor_id",
    "phase",
)


def _fixed(value: float | None, places: int) -> str:
    return "" if value is None else f"{value:.{places}f}"


def _rows(data: SessionData) -> Iterator[list[str]]:
    laps = build_laps(data)
    started = data.info.started_at
    lap_i = 0
    for s in data.samples:
        while lap_i + 1 < len(laps) and s.t_s >= laps[lap_i + 1].start_s:
            lap_i += 1
        lap = laps[lap_i]
        inside = lap.start_s <= s.t_s <= lap.end_s
        phase = lap.phase if inside and lap.phase != "session" else ""
        yield _row(s, started + timedelta(seconds=s.t_s), phase)


def _row(s: Sample, when: datetime, phase: str) -> list[str]:
    return [
        when.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        f"{s.t_s:.3f}",
        str(s.role.value),
        _fixed(s.cadence_spm, 2),
        _fixed(s.speed_mps, 3),
        "" if s.hr_bpm is None else str(s.hr_bpm),
        _fixed(s.distance_m, 2),
        _fixed(s.incline_pct, 2),
        _fixed(s.stride_length_m, 3),
        s.sensor_id,
        phase,
    ]


def export_csv(data: SessionData, path: Path) -> None:
    """Write every sample of ``data`` as CSV at ``path`` (atomically).

    Raises:
        OSError: the file or its folder cannot be written.
    """
    with atomic_path(path) as tmp, tmp.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(COLUMNS)
        writer.writerows(_rows(data))
