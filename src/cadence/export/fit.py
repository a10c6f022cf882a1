"""FIT activity export, written with Garmin's own FIT SDK encoder.

Why the SDK: ``garmin_fit_sdk`` (since 21.200) ships an ``Encoder`` that builds
definition messages, applies the profile's scales and offsets and computes the
header and file CRCs. Using it means our files follow the same profile that
Garmin Connect, Strava and GoldenCheetah decode with; we only decide which
messages and fields to write.

Layout (the FIT "Activity file" recipe): file_id, file_creator, the developer
field definitions, device_info (creator, then each sensor), the workout and its
steps, a timer start, then in ascending time one record per recorded second,
the coach's events, timer stop/start around pauses, and each lap right after
its last record; a final timer stop, the last lap, one session, one activity
(see ``fit_messages`` for everything but the track).

Cadence units: a FIT ``record.cadence`` for running is in *strides* per
minute (cycles of one foot; the profile calls the unit "rpm"), plus an
optional ``fractional_cadence`` in 1/128 rpm. Garmin watches write it that way
and Garmin Connect and Strava double it to show steps per minute;
GoldenCheetah's FIT reader does not double it and shows strides per minute,
as it does for Garmin's own files. cadence keeps steps per minute everywhere,
so we write ``cadence = floor(spm / 2)`` and ``fractional_cadence`` = the
remainder, which keeps the half-step resolution (1/64 spm) instead of
rounding odd step counts away. Lap and session averages use the same split
(``avg_cadence`` + ``avg_fractional_cadence``).

Speed is written as both ``speed`` and ``enhanced_speed`` (mm/s), distance in
cm, treadmill incline as ``grade`` (1/100 %). Times are whole seconds. Records
are not written while the session is paused (the timer is stopped then), as a
Garmin device would do. Laps and the session carry ``total_strides`` (the
``total_cycles`` field), ``avg_step_length`` and, when the profile gives a body
mass, ``total_calories`` (``energy``). ``local_timestamp`` uses the UTC offset
recorded when the session started (``session_context``).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from cadence.export.coach_track import CoachTrack, coach_events
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
    session_stats,
    wall_time,
    write_bytes_atomic,
)
from cadence.export.fit_messages import (
    METRONOME,
    TARGET_TEMPO,
    event_mesg,
    field_descriptions,
    header_mesgs,
    intensity,
    workout_mesgs,
)
from cadence.export.session_context import session_context
from cadence.model.session import SessionData
from cadence.report.session_timeline import DONE_PHASE

#: FIT global message numbers (Profile['mesg_num']).
SESSION = 18
LAP = 19
RECORD = 20
EVENT = 21
ACTIVITY = 34

#: Smallest cadence step FIT can carry: 1/128 stride per minute = 1/64 step per minute.
CADENCE_RESOLUTION_SPM = 2.0 / 128.0

#: coach events the timer events already say (pauses), not repeated as markers
_NOT_MARKED = frozenset({"pause", "resume"})


def strides_from_steps(cadence_spm: float) -> tuple[int, float]:
    """Split steps/min into FIT (cadence, fractional_cadence), both in strides/min.

    The fraction is rounded to the 1/128 grid first so it never reaches 1.0.
    """
    ticks = max(0, min(254 * 128 + 127, round(cadence_spm / 2.0 * 128.0)))
    return ticks // 128, (ticks % 128) / 128.0


def steps_from_strides(cadence: int | float, fractional_cadence: float | None = None) -> float:
    """Inverse of :func:`strides_from_steps`: decoded FIT fields back to steps/min."""
    return 2.0 * (float(cadence) + (fractional_cadence or 0.0))


def _record(data: SessionData, p: TrackPoint, coach: CoachTrack) -> dict[str, Any]:
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
    state = coach.at(p.t_s)
    dev: dict[int, Any] = {METRONOME: int(state.metronome_on)}
    if state.tempo_spm is not None:
        dev[TARGET_TEMPO] = state.tempo_spm
    mesg["developer_fields"] = dev
    return mesg


def _cadence_fields(prefix: str, cadence_spm: float | None) -> dict[str, Any]:
    if cadence_spm is None:
        return {}
    strides, fraction = strides_from_steps(cadence_spm)
    return {f"{prefix}_cadence": strides, f"{prefix}_fractional_cadence": fraction}


def _summary_fields(stats: LapStats) -> dict[str, Any]:
    """The speed, heart-rate, cadence and total figures a lap and the session share."""
    fields: dict[str, Any] = {"total_cycles": round(stats.total_strides)}  # total_strides
    if stats.avg_speed_mps is not None:
        fields["avg_speed"] = fields["enhanced_avg_speed"] = min(stats.avg_speed_mps, 65.534)
    if stats.max_speed_mps is not None:
        fields["max_speed"] = fields["enhanced_max_speed"] = min(stats.max_speed_mps, 65.534)
    if stats.avg_hr_bpm is not None:
        fields["avg_heart_rate"] = stats.avg_hr_bpm
    if stats.max_hr_bpm is not None:
        fields["max_heart_rate"] = stats.max_hr_bpm
    if stats.avg_step_length_m is not None:
        fields["avg_step_length"] = min(stats.avg_step_length_m * 1000.0, 6553.0)  # mm
    if stats.calories_kcal is not None:
        fields["total_calories"] = round(stats.calories_kcal)
    fields |= _cadence_fields("avg", stats.avg_cadence_spm)
    fields |= _cadence_fields("max", stats.max_cadence_spm)
    return fields


def _lap_mesg(
    data: SessionData, stats: LapStats, lap: Lap, last: bool, sub_sport: str
) -> dict[str, Any]:
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
        "intensity": intensity(lap.phase),
        "lap_trigger": "session_end" if last else "time",
        "wkt_step_index": lap.index,
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


#: order of messages that share a second: a lap closes before the next one's first
#: record, a restart goes before its record, a coach event and a pause after it;
#: the last lap goes after the final timer stop.
_LAP_END, _TIMER_START, _RECORD, _MARKER, _TIMER_STOP, _FINAL_STOP, _LAST_LAP = range(7)


def _track_mesgs(
    data: SessionData, track: list[TrackPoint], laps: list[Lap],
    pauses: list[tuple[float, float]], sub_sport: str,
) -> list[dict[str, Any]]:
    """Records, events and laps in ascending time; each lap after its records.

    FIT readers expect timestamps that never go back; sorting on (time, kind)
    keeps that even when a pause straddles a lap boundary.
    """
    end_s = session_end_s(data)
    mass = session_context(data).body_mass_kg
    coach = CoachTrack(data)
    items: list[tuple[float, int, int, dict[str, Any]]] = []

    def add(t_s: float, kind: int, mesg: dict[str, Any]) -> None:
        items.append((t_s, kind, len(items), mesg))

    for point in recorded_points(track, pauses):
        add(point.t_s, _RECORD, _record(data, point, coach))
    for a, b in pauses:
        add(a, _TIMER_STOP, _timer_event(wall_time(data, a), "stop_all"))
        if b < end_s:
            add(b, _TIMER_START, _timer_event(wall_time(data, b), "start"))
    starts = [lap.start_s for lap in laps]
    for event in coach_events(data):
        if event.kind not in _NOT_MARKED:
            step = max((k for k, s in enumerate(starts) if s <= event.t_s + 0.5), default=0)
            is_step = event.kind == "phase" and not event.text.startswith(DONE_PHASE)
            add(min(event.t_s, end_s), _MARKER,
                event_mesg(data, event, step if is_step else None))
    add(end_s, _FINAL_STOP, _timer_event(wall_time(data, end_s), "stop_all"))
    for k, lap in enumerate(laps):
        last = k == len(laps) - 1
        stats = lap_stats(track, lap, last, pauses, mass)
        add(lap.end_s, _LAST_LAP if last else _LAP_END,
            _lap_mesg(data, stats, lap, last, sub_sport))
    items.sort(key=lambda item: item[:3])
    return [_timer_event(wall_time(data, 0.0), "start"), *(item[3] for item in items)]


def _closing_mesgs(
    data: SessionData, track: list[TrackPoint], laps: list[Lap],
    pauses: list[tuple[float, float]], sub_sport: str,
) -> list[dict[str, Any]]:
    """The session over the whole run, then the activity."""
    end_s = session_end_s(data)
    start, stop = wall_time(data, 0.0), wall_time(data, end_s)
    paused_s = paused_within(pauses, 0.0, end_s)
    stats = session_stats(track, laps, pauses, session_context(data).body_mass_kg)
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
        "local_timestamp": local_timestamp(data, stop),
    }
    return [session, activity]


def local_timestamp(data: SessionData, when: datetime) -> int:
    """FIT local_date_time: seconds since the FIT epoch in the session's own local time."""
    from garmin_fit_sdk import convert_datetime_to_timestamp

    return int(convert_datetime_to_timestamp(when)) + session_context(data).utc_offset_s


def encode_fit(data: SessionData) -> bytes:
    """The whole FIT file as bytes (header, messages, CRC)."""
    from garmin_fit_sdk import Encoder

    track = build_track(data)
    laps = build_laps(data)
    pauses = build_pauses(data)
    sub_sport = "treadmill" if data.info.treadmill else "generic"
    encoder = Encoder(field_descriptions=field_descriptions())
    for mesg in (*header_mesgs(data), *workout_mesgs(data, laps),
                 *_track_mesgs(data, track, laps, pauses, sub_sport),
                 *_closing_mesgs(data, track, laps, pauses, sub_sport)):
        encoder.write_mesg(mesg)
    payload: bytes = encoder.close()
    return payload


def export_fit(data: SessionData, path: Path) -> None:
    """Write ``data`` as a FIT activity file at ``path`` (atomically).

    Raises:
        OSError: the file or its folder cannot be written (or is not a regular file).
    """
    write_bytes_atomic(path, encode_fit(data))
