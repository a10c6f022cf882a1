"""What every exporter shares: one regular track, laps, and a safe way to write.

Sensors arrive interleaved and at their own rates (footpod 2 Hz, strap 1 Hz,
treadmill whenever it likes). FIT and TCX want one record per second carrying
all fields, so this module merges the roles onto a one-second grid of the
session clock: each field is the mean of the readings in the second ending at
the grid point, or the last reading if it is at most ``STALE_AFTER_S`` old, or
nothing. Distance is cumulative from zero: the device odometer with resets
and offsets removed, or speed integrated over time when no device reports
distance. Which sensor each field comes from is the session timeline's
(``report.session_timeline``), the same choice the summary makes.

Laps follow the timeline's phases (one per warm-up, run, walk, cool-down),
which is what the runner thinks of as an interval. Pauses come from the same
timeline, so FIT can stop and start its timer.

Files are written to a temporary file in the target's own folder and then
moved over the target with ``os.replace``: a failed export never leaves a
half-written file behind and never truncates an older good one.
"""

from __future__ import annotations

import contextlib
import math
import os
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from cadence.model.session import SessionData
from cadence.report.session_timeline import (
    CADENCE_STREAM,
    DISTANCE_STREAM,
    DONE_PHASE,
    HR_STREAM,
    INCLINE_STREAM,
    NO_PHASE,
    SPEED_STREAM,
    pause_spans,
    phase_spans,
    session_end_s,
)
from cadence.report.streams import SampleStreams, StreamSpec

__all__ = ["session_end_s"]

#: A reading older than this no longer describes the current second.
STALE_AFTER_S = 5.0


@dataclass(frozen=True, slots=True)
class TrackPoint:
    """One second of the merged track. ``t_s`` is on the session clock."""

    t_s: float
    distance_m: float  # cumulative from the session's start
    cadence_spm: float | None = None
    speed_mps: float | None = None
    hr_bpm: int | None = None
    incline_pct: float | None = None


@dataclass(frozen=True, slots=True)
class Lap:
    """One interval as the coach announced it: [start_s, end_s) on the session clock."""

    index: int  # 0-based position in the session
    start_s: float
    end_s: float
    phase: str  # a Phase value ("warmup", "run", "walk", "cooldown") or "session"
    round_index: int = 0
    rounds_total: int = 0
    label: str = ""

    @property
    def duration_s(self) -> float:
        return self.end_s - self.start_s

    @property
    def title(self) -> str:
        """A short human name, e.g. "run 3/8" or "warmup: Glute activation"."""
        name = self.phase
        if self.round_index and self.rounds_total:
            name = f"{name} {self.round_index}/{self.rounds_total}"
        if self.label:
            name = f"{name}: {self.label}"
        return name


@dataclass(frozen=True, slots=True)
class LapStats:
    """Per-lap figures the FIT and TCX lap records need."""

    distance_m: float
    avg_speed_mps: float | None
    max_speed_mps: float | None
    avg_hr_bpm: int | None
    max_hr_bpm: int | None
    avg_cadence_spm: float | None
    max_cadence_spm: float | None
    paused_s: float


def wall_origin(data: SessionData) -> datetime:
    """Wall time of session second 0, truncated to the whole second.

    FIT stores whole seconds, so both FIT and TCX put grid point ``t`` at
    ``origin + t`` and agree to the second.
    """
    return data.info.started_at.replace(microsecond=0)


def wall_time(data: SessionData, t_s: float) -> datetime:
    return wall_origin(data) + timedelta(seconds=t_s)


def _field_series(streams: SampleStreams, spec: StreamSpec) -> list[tuple[float, float]]:
    """(t_s, value) of one field from the sensor the session timeline trusts for it."""
    stream = streams.stream(*spec)
    return list(zip(stream.t.tolist(), stream.v.tolist(), strict=True))


def _resample(series: list[tuple[float, float]], grid: Sequence[float]) -> list[float | None]:
    """Mean of readings in (t-1, t]; else the last reading if fresh; else None."""
    out: list[float | None] = []
    i = 0
    last: tuple[float, float] | None = None
    n = len(series)
    for t in grid:
        total = 0.0
        count = 0
        while i < n and series[i][0] <= t:
            ts, value = series[i]
            if ts > t - 1.0:
                total += value
                count += 1
            last = series[i]
            i += 1
        if count:
            out.append(total / count)
        elif last is not None and t - last[0] <= STALE_AFTER_S:
            out.append(last[1])
        else:
            out.append(None)
    return out


def _odometer(series: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Turn a device odometer into distance from zero, skipping over resets."""
    out: list[tuple[float, float]] = []
    total = 0.0
    previous: float | None = None
    for t, value in series:
        if previous is not None and value >= previous:
            total += value - previous
        previous = value
        out.append((t, total))
    return out


def _distance_at(series: list[tuple[float, float]], grid: Sequence[float]) -> list[float]:
    """Cumulative distance at each grid point: the last odometer reading at or before it."""
    out: list[float] = []
    i = 0
    current = 0.0
    for t in grid:
        while i < len(series) and series[i][0] <= t:
            current = series[i][1]
            i += 1
        out.append(current)
    return out


def _integrate(grid: Sequence[float], speeds: Sequence[float | None]) -> list[float]:
    """Distance from speed by the trapezoid rule; gaps add nothing."""
    out: list[float] = []
    total = 0.0
    for k, t in enumerate(grid):
        if k:
            a, b = speeds[k - 1], speeds[k]
            if a is not None and b is not None:
                total += 0.5 * (a + b) * (t - grid[k - 1])
            elif b is not None:
                total += b * (t - grid[k - 1])
        out.append(total)
    return out


def _round_or_none(value: float | None) -> int | None:
    return None if value is None else round(value)


def build_track(data: SessionData) -> list[TrackPoint]:
    """Merge all roles onto a one-second grid from 0 to the session's end."""
    end = session_end_s(data)
    grid = [float(t) for t in range(math.floor(end) + 1)]
    streams = SampleStreams(data.samples)
    cadence = _resample(_field_series(streams, CADENCE_STREAM), grid)
    speed = _resample(_field_series(streams, SPEED_STREAM), grid)
    hr = _resample(_field_series(streams, HR_STREAM), grid)
    incline = _resample(_field_series(streams, INCLINE_STREAM), grid)
    odometer = _field_series(streams, DISTANCE_STREAM)
    distance = _distance_at(_odometer(odometer), grid) if odometer else _integrate(grid, speed)
    return [
        TrackPoint(
            t_s=t,
            distance_m=distance[k],
            cadence_spm=cadence[k],
            speed_mps=speed[k],
            hr_bpm=_round_or_none(hr[k]),
            incline_pct=incline[k],
        )
        for k, t in enumerate(grid)
    ]


def build_laps(data: SessionData) -> list[Lap]:
    """One lap per phase of the session timeline, up to "done"; one lap overall when none."""
    end = session_end_s(data)
    laps: list[Lap] = []
    for span in phase_spans(data.events, end):
        if span.phase == DONE_PHASE:
            break
        phase = "session" if span.phase == NO_PHASE else span.phase
        laps.append(Lap(len(laps), span.start_s, span.end_s, phase, span.round_index,
                        span.rounds_total, span.label))
    if not laps:
        laps.append(Lap(0, 0.0, max(end, 0.0), "session"))
    return laps


def build_pauses(data: SessionData) -> list[tuple[float, float]]:
    """[(paused_at_s, resumed_at_s)] from the session timeline; an open pause ends with it."""
    return [(p.start_s, p.end_s) for p in pause_spans(data.events, session_end_s(data))]


def paused_within(pauses: Sequence[tuple[float, float]], start_s: float, end_s: float) -> float:
    """Seconds of pause overlapping [start_s, end_s)."""
    return sum(max(0.0, min(b, end_s) - max(a, start_s)) for a, b in pauses)


def recorded_points(
    track: Sequence[TrackPoint], pauses: Sequence[tuple[float, float]]
) -> list[TrackPoint]:
    """The points a watch would have recorded: none strictly inside a pause."""
    return [p for p in track if not any(a < p.t_s < b for a, b in pauses)]


def points_in(track: Sequence[TrackPoint], lap: Lap, last: bool) -> list[TrackPoint]:
    """The grid points of one lap: [start, end), plus the end point for the last lap."""
    return [p for p in track if lap.start_s <= p.t_s < lap.end_s or (last and p.t_s == lap.end_s)]


def distance_at(track: Sequence[TrackPoint], t_s: float) -> float:
    """Cumulative distance at ``t_s`` (the last grid point at or before it)."""
    best = 0.0
    for p in track:
        if p.t_s > t_s:
            break
        best = p.distance_m
    return best


def lap_stats(
    track: Sequence[TrackPoint], lap: Lap, last: bool, pauses: Sequence[tuple[float, float]]
) -> LapStats:
    points = points_in(track, lap, last)
    speeds = [p.speed_mps for p in points if p.speed_mps is not None]
    hrs = [p.hr_bpm for p in points if p.hr_bpm is not None]
    cadences = [p.cadence_spm for p in points if p.cadence_spm is not None and p.cadence_spm > 0]
    distance = max(0.0, distance_at(track, lap.end_s) - distance_at(track, lap.start_s))
    paused = paused_within(pauses, lap.start_s, lap.end_s)
    moving_s = lap.duration_s - paused
    return LapStats(
        distance_m=distance,
        avg_speed_mps=distance / moving_s if moving_s > 0 and speeds else None,
        max_speed_mps=max(speeds) if speeds else None,
        avg_hr_bpm=round(sum(hrs) / len(hrs)) if hrs else None,
        max_hr_bpm=max(hrs) if hrs else None,
        avg_cadence_spm=sum(cadences) / len(cadences) if cadences else None,
        max_cadence_spm=max(cadences) if cadences else None,
        paused_s=paused,
    )


@contextlib.contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success move it over ``path``.

    On any error the temporary file is removed and ``path`` is left as it was.
    Raises ``OSError`` (e.g. ``FileNotFoundError``) if the folder is missing or
    not writable.
    """
    target = Path(path)
    fd, tmp_name = tempfile.mkstemp(
        prefix=f".{target.name}.", suffix=".part", dir=target.parent if str(target.parent) else "."
    )
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def write_bytes_atomic(path: Path, payload: bytes) -> None:
    with atomic_path(path) as tmp:
        tmp.write_bytes(payload)
