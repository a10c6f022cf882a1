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
which is what the runner thinks of as an interval, and cover the session
exactly: the first lap starts at second 0 (the moments before the coach's first
announcement belong to it, rather than to a lap of a few seconds that every
platform would list as "Lap 1"), the last one ends at the session's end (the
seconds after the coach's "done" belong to it), and the boundaries between
them sit on whole seconds, so a lap starts at its first record and the lap
figures are computed from exactly the records inside it. Pauses come from the
same timeline, so FIT can stop and start its timer; paused seconds have no
records and count in no average.

Writing the files safely is ``export.files``'s job (re-exported here).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from cadence.export.energy import WALKING_PHASES, kcal_per_s, step_length_m, strides
from cadence.export.files import atomic_path, write_bytes_atomic
from cadence.model.session import SessionData
from cadence.report.session_timeline import (
    CADENCE_STREAM,
    DISTANCE_STREAM,
    DONE_PHASE,
    HR_STREAM,
    INCLINE_STREAM,
    NO_PHASE,
    SPEED_STREAM,
    PhaseSpan,
    pause_spans,
    phase_spans,
    session_end_s,
)
from cadence.report.streams import SampleStreams, StreamSpec

__all__ = ["atomic_path", "session_end_s", "write_bytes_atomic"]

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
    planned_s: float | None = None  # the plan's length for it; None: open-ended

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
    total_strides: float = 0.0  # one foot's cycles, FIT's unit
    avg_step_length_m: float | None = None  # distance over steps (both feet)
    calories_kcal: float | None = None  # None without a body mass (see ``energy``)


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


def session_distance(data: SessionData) -> tuple[list[float], list[float]]:
    """The session's one distance as a step function: (times, metres from 0 at the start).

    The chosen sensor's odometer with resets removed, each reading holding until
    the next; with no odometer, the track's integrated speed, second by second.
    The same distance the FIT and TCX records carry.
    """
    odometer = _odometer(_field_series(SampleStreams(data.samples), DISTANCE_STREAM))
    if odometer:
        return [t for t, _ in odometer], [d for _, d in odometer]
    track = build_track(data)
    return [p.t_s for p in track], [p.distance_m for p in track]


def build_laps(data: SessionData) -> list[Lap]:
    """One lap per phase of the session timeline, covering ``[0, end]`` with no gaps.

    The time before the first announced phase joins the first lap and the time
    after "done" joins the last; boundaries are rounded to whole seconds (a
    phase shorter than that disappears into its neighbours). A session with no
    phases is one lap.
    """
    end = session_end_s(data)
    phases = []
    for span in phase_spans(data.events, end):
        if span.phase == DONE_PHASE:
            break
        if span.phase != NO_PHASE:
            phases.append(span)
    starts: list[tuple[float, PhaseSpan]] = []
    for k, span in enumerate(phases):
        start = 0.0 if k == 0 else float(round(span.start_s))
        if starts and start <= starts[-1][0]:
            starts[-1] = (starts[-1][0], span)  # the earlier one had no whole second
        elif k == 0 or start < end:
            starts.append((start, span))
    if not starts:
        return [Lap(0, 0.0, max(end, 0.0), "session")]
    laps: list[Lap] = []
    for k, (start, span) in enumerate(starts):
        stop = starts[k + 1][0] if k + 1 < len(starts) else max(end, start)
        laps.append(Lap(k, start, stop, span.phase, span.round_index, span.rounds_total,
                        span.label, span.planned_s))
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


def moving_seconds(
    points: Sequence[TrackPoint], pauses: Sequence[tuple[float, float]]
) -> list[float]:
    """How much of the second each record stands for (``(t-1, t]``) the runner was moving."""
    return [0.0 if p.t_s <= 0 else 1.0 - paused_within(pauses, p.t_s - 1.0, p.t_s)
            for p in points]


def lap_stats(
    track: Sequence[TrackPoint], lap: Lap, last: bool, pauses: Sequence[tuple[float, float]],
    body_mass_kg: float | None = None,
) -> LapStats:
    """A lap's figures from the records inside it (none while paused), as a platform would.

    Distance is the odometer's difference between the lap's boundaries, so the
    laps add up to the session's distance exactly.
    """
    points = points_in(recorded_points(track, pauses), lap, last)
    speeds = [p.speed_mps for p in points if p.speed_mps is not None]
    hrs = [p.hr_bpm for p in points if p.hr_bpm is not None]
    cadences = [p.cadence_spm for p in points if p.cadence_spm is not None and p.cadence_spm > 0]
    distance = max(0.0, distance_at(track, lap.end_s) - distance_at(track, lap.start_s))
    paused = paused_within(pauses, lap.start_s, lap.end_s)
    moving_s = lap.duration_s - paused
    seconds = moving_seconds(points, pauses)
    lap_strides = strides([p.cadence_spm for p in points], seconds)
    calories = None
    if body_mass_kg is not None:
        walking = lap.phase in WALKING_PHASES
        calories = sum(kcal_per_s(p.speed_mps or 0.0, p.incline_pct or 0.0, walking, body_mass_kg)
                       * sec for p, sec in zip(points, seconds, strict=True) if p.speed_mps)
    return LapStats(
        distance_m=distance,
        avg_speed_mps=distance / moving_s if moving_s > 0 and speeds else None,
        max_speed_mps=max(speeds) if speeds else None,
        avg_hr_bpm=round(sum(hrs) / len(hrs)) if hrs else None,
        max_hr_bpm=max(hrs) if hrs else None,
        avg_cadence_spm=sum(cadences) / len(cadences) if cadences else None,
        max_cadence_spm=max(cadences) if cadences else None,
        paused_s=paused,
        total_strides=lap_strides,
        avg_step_length_m=step_length_m(distance, lap_strides),
        calories_kcal=calories,
    )


def session_stats(
    track: Sequence[TrackPoint], laps: Sequence[Lap], pauses: Sequence[tuple[float, float]],
    body_mass_kg: float | None = None,
) -> LapStats:
    """The whole session's figures: averages over every record, totals summed over the laps."""
    end_s = laps[-1].end_s if laps else 0.0
    whole = lap_stats(track, Lap(0, 0.0, end_s, "session"), True, pauses)
    per_lap = [lap_stats(track, lap, k == len(laps) - 1, pauses, body_mass_kg)
               for k, lap in enumerate(laps)]
    total = sum((s.total_strides for s in per_lap), 0.0)
    calories = [s.calories_kcal for s in per_lap]
    return replace(
        whole,
        total_strides=total,
        avg_step_length_m=step_length_m(whole.distance_m, total),
        calories_kcal=None if body_mass_kg is None
        else sum((c or 0.0 for c in calories), 0.0),
    )
