"""FIT activity export, written with Garmin's own FIT SDK encoder.

Why the SDK: ``garmin_fit_sdk`` (since 21.200) ships an ``Encoder`` that builds
definition messages, applies the profile's scales and offsets and computes the
header and file CRCs. Using it means our files follow the same profile that
Garmin Connect, Strava and GoldenCheetah decode with; we only decide which
messages and fields to write.

Layout (the FIT "Activity file" recipe): file_id, device_info (creator),
timer start event, then one record per second of the merged track with each
lap message written right after its last record, timer stop/start events
around pauses, a final timer stop, one session, one activity.

Cadence units: a FIT ``record.cadence`` for running is in *strides* per
minute (cycles of one foot; the profile calls the unit "rpm"), plus an
optional ``fractional_cadence`` in 1/128 rpm. Garmin watches write it that way
and Garmin Connect and Strava double it to show steps per minute. cadence keeps
steps per minute everywhere, so we write ``cadence = floor(spm / 2)`` and
``fractional_cadence`` = the remainder, which keeps the half-step resolution
(1/64 spm) instead of rounding odd step counts away. Lap and session averages
use the same split (``avg_cadence`` + ``avg_fractional_cadence``).

Speed is written as both ``speed`` and ``enhanced_speed`` (mm/s), distance in
cm, treadmill incline as ``grade`` (1/100 %). Times are whole seconds. Records
are not written while the session is paused (the timer is stopped then), as a
Garmin device would do.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from cadence.export.common import (
    Lap,
    LapStats,
    TrackPoint,
    build_laps,
    build_pauses,
    build_track,
    lap_stats,
    paused_within,
    recorded_points,
    session_end_s,
    wall_time,
    write_bytes_atomic,
)
from cadence.model.session import SessionData

#: FIT global message numbers (Profile['mesg_num']).
FILE_ID = 0
SESSION = 18
LAP = 19
RECORD = 20
EVENT = 21
DEVICE_INFO = 23
ACTIVITY = 34

#: Smallest cadence step FIT can carry: 1/128 stride per minute = 1/64 step per minute.
CADENCE_RESOLUTION_SPM = 2.0 / 128.0

#: How each coach phase is labelled in FIT lap.intensity.
_INTENSITY = {
    "warmup": "warmup",
    "run": "active",
    "walk": "recovery",
    "cooldown": "cooldown",
}

_PRODUCT_NAME = "cadence"


def strides_from_steps(cadence_spm: float) -> tuple[int, float]:
    """Split steps/min into FIT (cadence, fractional_cadence), both in strides/min.

    The fraction is rounded to the 1/128 grid first so it never reaches 1.0.
    """
    ticks = max(0, min(254 * 128 + 127, round(cadence_spm / 2.0 * 128.0)))
    return ticks // 128, (ticks % 128) / 128.0


def steps_from_strides(cadence: int | float, fractional_cadence: float | None = None) -> float:
    """Inverse of :func:`strides_from_steps`: decoded FIT fields back to steps/min."""
    return 2.0 * (float(cadence) + (fractional_cadence or 0.0))


def _record(data: SessionData, p: TrackPoint) -> dict[str, Any]:
    mesg: dict[str, Any] = {
        "mesg_num": RECORD,
        "timestamp": wall_time(data, p.t_s),
        "distance": round(p.distance_m, 2),
    }
    if p.hr_bpm is not None and 0 < p.hr_bpm < 255:
        mesg["heart_rate"] = p.hr_bpm
    if p.cadence_spm is not None:
        strides, fraction = strides_from_steps(p.cadence_spm)
        mesg["cadence"] = strides
        mesg["fractional_cadence"] = fraction
    if p.speed_mps is not None:
        speed = max(0.0, min(p.speed_mps, 65.534))
        mesg["speed"] = speed
        mesg["enhanced_speed"] = speed
    if p.incline_pct is not None:
        mesg["grade"] = p.incline_pct
    return mesg


def _cadence_fields(prefix: str, cadence_spm: float | None) -> dict[str, Any]:
    if cadence_spm is None:
        return {}
    strides, fraction = strides_from_steps(cadence_spm)
    return {f"{prefix}_cadence": strides, f"{prefix}_fractional_cadence": fraction}


def _summary_fields(stats: LapStats) -> dict[str, Any]:
    """The speed, heart-rate and cadence figures a lap and the session share."""
    fields: dict[str, Any] = {}
    if stats.avg_speed_mps is not None:
        fields["avg_speed"] = fields["enhanced_avg_speed"] = min(stats.avg_speed_mps, 65.534)
    if stats.max_speed_mps is not None:
        fields["max_speed"] = fields["enhanced_max_speed"] = min(stats.max_speed_mps, 65.534)
    if stats.avg_hr_bpm is not None:
        fields["avg_heart_rate"] = stats.avg_hr_bpm
    if stats.max_hr_bpm is not None:
        fields["max_heart_rate"] = stats.max_hr_bpm
    fields |= _cadence_fields("avg", stats.avg_cadence_spm)
    fields |= _cadence_fields("max", stats.max_cadence_spm)
    return fields


def _lap_mesg(
    data: SessionData,
    track: list[TrackPoint],
    lap: Lap,
    last: bool,
    pauses: list[tuple[float, float]],
    sub_sport: str,
) -> dict[str, Any]:
    stats = lap_stats(track, lap, last, pauses)
    return {
        "mesg_num": LAP,
        "message_index": lap.index,
        "timestamp": wall_time(data, lap.end_s),
        "start_time": wall_time(data, lap.start_s),
        "event": "lap",
        "event_type": "stop",
        "total_elapsed_time": lap.duration_s,
        "total_timer_time": lap.duration_s - stats.paused_s,
        "total_distance": round(stats.distance_m, 2),
        "sport": "running",
        "sub_sport": sub_sport,
        "intensity": _INTENSITY.get(lap.phase, "active"),
        "lap_trigger": "session_end" if last else "time",
        **_summary_fields(stats),
    }


def _timer_event(when: datetime, event_type: str) -> dict[str, Any]:
    return {
        "mesg_num": EVENT,
        "timestamp": when,
        "event": "timer",
        "event_type": event_type,
        "event_group": 0,
    }


def _mark_due(mark: tuple[float, str], t_s: float) -> bool:
    t_mark, kind = mark
    return t_mark < t_s or (kind == "start" and t_mark == t_s)


def _local_timestamp(when: datetime) -> int:
    """FIT local_date_time: seconds since the FIT epoch in this machine's local time."""
    from garmin_fit_sdk import convert_datetime_to_timestamp

    offset = when.astimezone().utcoffset()
    seconds = int(offset.total_seconds()) if offset is not None else 0
    return int(convert_datetime_to_timestamp(when)) + seconds


def _header_mesgs(data: SessionData) -> list[dict[str, Any]]:
    """file_id and the creator's device_info: who wrote the file, and when."""
    start = wall_time(data, 0.0)
    return [
        {
            "mesg_num": FILE_ID,
            "type": "activity",
            "manufacturer": "development",
            "product": 0,
            "serial_number": (data.info.session_id % 0xFFFFFFFE) + 1,
            "time_created": start,
            "product_name": _PRODUCT_NAME,
        },
        {
            "mesg_num": DEVICE_INFO,
            "timestamp": start,
            "device_index": "creator",
            "manufacturer": "development",
            "product": 0,
            "product_name": _PRODUCT_NAME,
        },
    ]


def _track_mesgs(
    data: SessionData, track: list[TrackPoint], laps: list[Lap],
    pauses: list[tuple[float, float]], sub_sport: str,
) -> list[dict[str, Any]]:
    """Records, timer events and laps merged in time order; each lap after its records."""
    end_s = session_end_s(data)
    kept = recorded_points(track, pauses)
    out: list[dict[str, Any]] = [_timer_event(wall_time(data, 0.0), "start")]
    pause_marks = sorted(
        [(a, "stop_all") for a, _ in pauses] + [(b, "start") for _, b in pauses if b < end_s]
    )
    mark_i = 0
    point_i = 0
    for k, lap in enumerate(laps):
        last = k == len(laps) - 1
        while point_i < len(kept) and (kept[point_i].t_s < lap.end_s or last):
            point = kept[point_i]
            # a pause's stop goes after the record of its second, a restart before it
            while mark_i < len(pause_marks) and _mark_due(pause_marks[mark_i], point.t_s):
                t_mark, kind = pause_marks[mark_i]
                out.append(_timer_event(wall_time(data, t_mark), kind))
                mark_i += 1
            out.append(_record(data, point))
            point_i += 1
        if last:
            out += [_timer_event(wall_time(data, t), kind) for t, kind in pause_marks[mark_i:]]
            out.append(_timer_event(wall_time(data, end_s), "stop_all"))
        out.append(_lap_mesg(data, track, lap, last, pauses, sub_sport))
    return out


def _closing_mesgs(
    data: SessionData, track: list[TrackPoint], laps: list[Lap],
    pauses: list[tuple[float, float]], sub_sport: str,
) -> list[dict[str, Any]]:
    """The session over the whole run, then the activity."""
    end_s = session_end_s(data)
    start, stop = wall_time(data, 0.0), wall_time(data, end_s)
    paused_s = paused_within(pauses, 0.0, end_s)
    stats = lap_stats(track, Lap(0, 0.0, end_s, "session"), True, pauses)
    session = {
        "mesg_num": SESSION,
        "message_index": 0,
        "timestamp": stop,
        "start_time": start,
        "event": "session",
        "event_type": "stop",
        "trigger": "activity_end",
        "sport": "running",
        "sub_sport": sub_sport,
        "total_elapsed_time": end_s,
        "total_timer_time": end_s - paused_s,
        "total_distance": round(stats.distance_m, 2),
        "first_lap_index": 0,
        "num_laps": len(laps),
        **_summary_fields(stats),
    }
    activity = {
        "mesg_num": ACTIVITY,
        "timestamp": stop,
        "total_timer_time": end_s - paused_s,
        "num_sessions": 1,
        "type": "manual",
        "event": "activity",
        "event_type": "stop",
        "local_timestamp": _local_timestamp(stop),
    }
    return [session, activity]


def encode_fit(data: SessionData) -> bytes:
    """The whole FIT file as bytes (header, messages, CRC)."""
    from garmin_fit_sdk import Encoder

    track = build_track(data)
    laps = build_laps(data)
    pauses = build_pauses(data)
    sub_sport = "treadmill" if data.info.treadmill else "generic"
    encoder = Encoder()
    for mesg in (*_header_mesgs(data), *_track_mesgs(data, track, laps, pauses, sub_sport),
                 *_closing_mesgs(data, track, laps, pauses, sub_sport)):
        encoder.write_mesg(mesg)
    payload: bytes = encoder.close()
    return payload


def export_fit(data: SessionData, path: Path) -> None:
    """Write ``data`` as a FIT activity file at ``path`` (atomically).

    Raises:
        OSError: the file or its folder cannot be written.
    """
    write_bytes_atomic(path, encode_fit(data))
