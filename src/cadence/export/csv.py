"""CSV export: every stored sample, one row each, plus the coach's events in a second file.

Unlike FIT and TCX this is not resampled: a 2 Hz footpod and a 1 Hz strap give
interleaved rows, each with the role that produced it and empty cells for the
fields that sensor does not measure. That keeps the file an honest copy of
what was recorded. UTF-8, comma separated, a header row, ``\\n`` line ends.

Columns (empty cell = not measured by that sensor, or not known):

======================  =================================================
time                    wall clock, ISO 8601 UTC with milliseconds
elapsed_s               seconds since the session started (3 decimals)
role                    footpod | hr | treadmill | tap
cadence_spm             steps per minute (both feet; 2 decimals)
speed_mps               metres per second (3 decimals)
hr_bpm                  heart rate, beats per minute (integer)
distance_m              the session's distance so far, metres from 0 at the
                        start (2 decimals): one distance for the whole
                        session, from the sensor the FIT and TCX files use
                        (treadmill, else footpod, else speed over time)
incline_pct             treadmill incline, percent (2 decimals)
stride_length_m         the footpod's stride length: one stride is a full
                        cycle of one foot, two steps (metres, 3 decimals)
sensor_id               the sensor's identifier as paired
phase                   the coach's phase at that moment (warmup/run/walk/
                        cooldown; empty before its first, "done" after)
paused                  1 while the session was paused, else 0
tempo_spm               the metronome's tempo while it sounded (empty while
                        it was off or muted), steps per minute
target_spm              the cadence the session's tempo ramp heads for, spm
footpod_distance_m      the footpod's own odometer reading on its rows (it
                        need not start at 0), metres
treadmill_distance_m    the treadmill's own odometer reading on its rows
======================  =================================================

The events file (``<name>-events.csv`` beside it) has one row per pain rating,
warning sign, phase change, cue, stop and pause: ``time``, ``elapsed_s``,
``kind`` (phase, pain, warning_sign, cue, stop, pause, resume), ``value`` (the
pain rating, the round) and ``text``.
"""

from __future__ import annotations

import bisect
import csv
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

from cadence.export.coach_track import CoachTrack, coach_events
from cadence.export.common import atomic_path, session_distance
from cadence.model.sample import Sample, SensorRole
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
    "paused",
    "tempo_spm",
    "target_spm",
    "footpod_distance_m",
    "treadmill_distance_m",
)

EVENT_COLUMNS: tuple[str, ...] = ("time", "elapsed_s", "kind", "value", "text")

EVENTS_SUFFIX = "-events.csv"


def events_path(path: Path) -> Path:
    """Where the events of a CSV export at ``path`` go: ``run.csv`` -> ``run-events.csv``."""
    return path.with_name(f"{path.stem}{EVENTS_SUFFIX}")


def _fixed(value: float | None, places: int) -> str:
    return "" if value is None else f"{value:.{places}f}"


def _time(when: datetime) -> str:
    return when.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _rows(data: SessionData) -> Iterator[list[str]]:
    coach = CoachTrack(data)
    times, distances = session_distance(data)
    started = data.info.started_at
    for s in data.samples:
        k = bisect.bisect_right(times, s.t_s) - 1
        distance = distances[k] if k >= 0 else 0.0
        yield _row(s, started + timedelta(seconds=s.t_s), distance, coach)


def _row(s: Sample, when: datetime, distance_m: float, coach: CoachTrack) -> list[str]:
    state = coach.at(s.t_s)
    return [
        _time(when),
        f"{s.t_s:.3f}",
        str(s.role.value),
        _fixed(s.cadence_spm, 2),
        _fixed(s.speed_mps, 3),
        "" if s.hr_bpm is None else str(s.hr_bpm),
        _fixed(distance_m, 2),
        _fixed(s.incline_pct, 2),
        _fixed(s.stride_length_m, 3),
        s.sensor_id,
        state.phase,
        "1" if state.paused else "0",
        _fixed(state.tempo_spm, 2),
        _fixed(state.target_spm, 2),
        _fixed(s.distance_m if s.role is SensorRole.FOOTPOD else None, 2),
        _fixed(s.distance_m if s.role is SensorRole.TREADMILL else None, 2),
    ]


def _event_rows(data: SessionData) -> Iterator[list[str]]:
    started = data.info.started_at
    for e in coach_events(data):
        value = "" if e.value is None else f"{e.value:g}"
        yield [_time(started + timedelta(seconds=e.t_s)), f"{e.t_s:.3f}", e.kind, value, e.text]


def export_csv(data: SessionData, path: Path) -> None:
    """Write every sample of ``data`` as CSV at ``path``, its events beside it (atomically).

    Raises:
        OSError: a file or its folder cannot be written (or is not a regular file).
    """
    path = Path(path)
    with atomic_path(path) as tmp, atomic_path(events_path(path)) as tmp_events:
        with tmp.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(COLUMNS)
            writer.writerows(_rows(data))
        with tmp_events.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(EVENT_COLUMNS)
            writer.writerows(_event_rows(data))
