"""TCX export: Garmin TrainingCenterDatabase v2 with the ActivityExtension v2 TPX.

Where running cadence goes, and why. The core schema's ``Trackpoint/Cadence``
and ``Lap/Cadence`` are bike cadence: Garmin's ActivityExtension v2 schema says
so in its annotations ("Bike Cadence is stored in the TC2 Trackpoint_t Cadence
field") and defines ``TPX/RunCadence`` and ``LX/AvgRunCadence`` /
``LX/MaxRunCadence`` for running. Garmin devices and Garmin Connect's TCX
exports put running cadence there, in *strides* per minute (one foot: the
same convention as FIT ``record.cadence``), and Garmin Connect and
GoldenCheetah (src/FileIO/TcxParser.cpp reads ``RunCadence`` with any
namespace prefix into its run-cadence channel) read it.

Strava does not. Uploaded TCX runs lose a cadence that is only in
``RunCadence``: RunnerUp's TCX files, written exactly as Garmin writes them,
arrive on Strava without cadence while the same run as GPX keeps it
(jonasoreland/runnerup issue #1161, 2023, and its duplicate #1160: "they are
just dropped by strava on importing the tcx"). What Strava does read is the
core ``Cadence``, per stride, doubling it for display: a run TCX with
per-stride core ``Cadence`` on laps and trackpoints shows twice those numbers
on Strava (cpfair/tapiriik issue #275), and running_page's TCX export writes
run cadence to the core ``Cadence`` in strides per minute for Strava
(yihong0618/running_page pull request #1012, 2025). So, for runs, cadence is
written twice with the same value: ``RunCadence`` for Garmin and
GoldenCheetah, and the core ``Cadence`` for Strava. The price is that a reader
which takes the core element as bike cadence (GoldenCheetah) shows it in a
second channel too. For Strava the FIT export remains the better upload: it
carries cadence to 1/64 spm, the laps' figures and the coach's fields.

Both are ``round(spm / 2)`` as integers (the schema's ``CadenceValue_t`` is an
unsignedByte), a resolution of 2 steps per minute; the FIT export keeps the
exact value. Copies of both Garmin schemas are in tests/support/tcx_schema/
and the tests validate against them.

One Lap per coach interval (warm-up, each run, each walk, cool-down), covering
the session from start to end, and one Track of one-second Trackpoints with
Time, DistanceMeters, HeartRateBpm, Cadence and a TPX with Speed and
RunCadence; no Trackpoints while paused (TotalTimeSeconds is the timer time).
Sport is "Running". Treadmill sessions have no Position, which the schema
allows. Walking breaks are marked ``Resting`` (TCX has only Active/Resting).
Each lap's Notes name the interval ("run 3/8") and what the coach knew during
it: the metronome's average tempo, pain ratings, warning signs and cues with
their times. ``Calories`` is the ACSM estimate (``energy``) when the profile
gives a body mass, else 0 (the schema requires the element).
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from datetime import datetime
from pathlib import Path

from cadence.export.coach_track import CoachEvent, CoachTrack, coach_events
from cadence.export.common import (
    Lap,
    TrackPoint,
    atomic_path,
    build_laps,
    build_pauses,
    build_track,
    lap_stats,
    points_in,
    recorded_points,
    wall_time,
)
from cadence.export.session_context import session_context
from cadence.model.session import SessionData
from cadence.report.words import duration_text

TCD_NS = "http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"
AX2_NS = "http://www.garmin.com/xmlschemas/ActivityExtension/v2"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_LOCATION = (
    f"{TCD_NS} http://www.garmin.com/xmlschemas/TrainingCenterDatabasev2.xsd "
    f"{AX2_NS} http://www.garmin.com/xmlschemas/ActivityExtensionv2.xsd"
)

#: RunCadence is whole strides per minute: 2 steps per minute.
CADENCE_RESOLUTION_SPM = 2.0

_RESTING_PHASES = frozenset({"walk"})


def run_cadence(cadence_spm: float) -> int:
    """Steps per minute to TCX RunCadence (whole strides per minute, 0-254).

    Halves round up (171 spm -> 86), the same way every time, rather than
    Python's round-half-to-even.
    """
    return max(0, min(254, math.floor(cadence_spm / 2.0 + 0.5)))


def _tcd(parent: ET.Element, tag: str, text: str | None = None) -> ET.Element:
    element = ET.SubElement(parent, tag)
    if text is not None:
        element.text = text
    return element


def _ax2(parent: ET.Element, tag: str, text: str | None = None) -> ET.Element:
    element = ET.SubElement(parent, f"ns3:{tag}")
    if text is not None:
        element.text = text
    return element


def _time(when: datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def _number(value: float, places: int) -> str:
    return f"{value:.{places}f}"


def _heart_rate(parent: ET.Element, tag: str, bpm: int | None) -> None:
    if bpm is not None and 0 < bpm < 256:
        _tcd(_tcd(parent, tag), "Value", str(bpm))


def _trackpoint(track_el: ET.Element, data: SessionData, p: TrackPoint) -> None:
    tp = _tcd(track_el, "Trackpoint")
    _tcd(tp, "Time", _time(wall_time(data, p.t_s)))
    _tcd(tp, "DistanceMeters", _number(p.distance_m, 2))
    _heart_rate(tp, "HeartRateBpm", p.hr_bpm)
    if p.cadence_spm is not None:
        _tcd(tp, "Cadence", str(run_cadence(p.cadence_spm)))  # for Strava: see above
    if p.speed_mps is None and p.cadence_spm is None:
        return
    tpx = _ax2(_tcd(tp, "Extensions"), "TPX")
    if p.speed_mps is not None:
        _ax2(tpx, "Speed", _number(max(0.0, p.speed_mps), 3))
    if p.cadence_spm is not None:
        _ax2(tpx, "RunCadence", str(run_cadence(p.cadence_spm)))


def _clock(t_s: float) -> str:
    return duration_text(t_s)


def lap_notes(lap: Lap, events: list[CoachEvent], tempo_spm: float | None) -> str:
    """The lap's name and what the coach knew during it, in a line or two."""
    parts = [lap.title]
    if tempo_spm is not None:
        parts.append(f"metronome {tempo_spm:.0f} spm")
    for e in events:
        if e.kind in ("pain", "warning_sign", "cue", "stop"):
            parts.append(f"{_clock(e.t_s)} {e.text}")
    return "; ".join(parts)


def _mean_tempo(track: list[TrackPoint], coach: CoachTrack, lap: Lap) -> float | None:
    tempos = [t for p in track if lap.start_s <= p.t_s < lap.end_s
              and (t := coach.at(p.t_s).tempo_spm) is not None]
    return sum(tempos) / len(tempos) if tempos else None


def _lap(
    activity: ET.Element,
    data: SessionData,
    track: list[TrackPoint],
    kept: list[TrackPoint],
    lap: Lap,
    last: bool,
    pauses: list[tuple[float, float]],
    notes: str,
) -> None:
    stats = lap_stats(track, lap, last, pauses, session_context(data).body_mass_kg)
    lap_el = _tcd(activity, "Lap", None)
    lap_el.set("StartTime", _time(wall_time(data, lap.start_s)))
    _tcd(lap_el, "TotalTimeSeconds", _number(lap.duration_s - stats.paused_s, 3))
    _tcd(lap_el, "DistanceMeters", _number(stats.distance_m, 2))
    if stats.max_speed_mps is not None:
        _tcd(lap_el, "MaximumSpeed", _number(stats.max_speed_mps, 3))
    calories = 0 if stats.calories_kcal is None else min(65535, round(stats.calories_kcal))
    _tcd(lap_el, "Calories", str(calories))
    _heart_rate(lap_el, "AverageHeartRateBpm", stats.avg_hr_bpm)
    _heart_rate(lap_el, "MaximumHeartRateBpm", stats.max_hr_bpm)
    _tcd(lap_el, "Intensity", "Resting" if lap.phase in _RESTING_PHASES else "Active")
    if stats.avg_cadence_spm is not None:
        _tcd(lap_el, "Cadence", str(run_cadence(stats.avg_cadence_spm)))  # for Strava
    _tcd(lap_el, "TriggerMethod", "Time")
    points = points_in(kept, lap, last)
    if points:
        track_el = _tcd(lap_el, "Track")
        for point in points:
            _trackpoint(track_el, data, point)
    _tcd(lap_el, "Notes", notes)
    lx_fields: list[tuple[str, str]] = []
    if stats.avg_speed_mps is not None:
        lx_fields.append(("AvgSpeed", _number(stats.avg_speed_mps, 3)))
    if stats.avg_cadence_spm is not None:
        lx_fields.append(("AvgRunCadence", str(run_cadence(stats.avg_cadence_spm))))
    if stats.max_cadence_spm is not None:
        lx_fields.append(("MaxRunCadence", str(run_cadence(stats.max_cadence_spm))))
    if lx_fields:
        lx = _ax2(_tcd(lap_el, "Extensions"), "LX")
        for tag, text in lx_fields:
            _ax2(lx, tag, text)


def build_tcx(data: SessionData) -> ET.ElementTree[ET.Element]:
    """The TCX document as an ElementTree.

    The namespace declarations are written as plain attributes so the prefixes
    are exactly Garmin's own (default namespace for TCD v2, ``ns3`` for the
    extension), which ElementTree's ``register_namespace`` refuses (it reserves
    ``ns<digits>``). A namespace-aware reader sees the same document either way;
    a naive one that matches ``ns3:RunCadence`` literally still works.
    """
    track = build_track(data)
    laps = build_laps(data)
    pauses = build_pauses(data)
    kept = recorded_points(track, pauses)

    root = ET.Element("TrainingCenterDatabase")
    root.set("xmlns", TCD_NS)
    root.set("xmlns:ns3", AX2_NS)
    root.set("xmlns:xsi", XSI_NS)
    root.set("xsi:schemaLocation", SCHEMA_LOCATION)
    activity = _tcd(_tcd(root, "Activities"), "Activity")
    activity.set("Sport", "Running")
    _tcd(activity, "Id", _time(wall_time(data, 0.0)))
    coach = CoachTrack(data)
    events = coach_events(data)
    for k, lap in enumerate(laps):
        last = k == len(laps) - 1
        inside = [e for e in events if lap.start_s <= e.t_s < lap.end_s or (last and
                                                                           e.t_s >= lap.end_s)]
        notes = lap_notes(lap, inside, _mean_tempo(track, coach, lap))
        _lap(activity, data, track, kept, lap, last, pauses, notes)
    info = data.info
    notes = f"cadence session {info.session_id}"
    if info.program:
        notes += f", {info.program} week {info.program_week}"
    if info.treadmill:
        notes += ", treadmill"
    _tcd(activity, "Notes", notes)
    return ET.ElementTree(root)


def encode_tcx(data: SessionData) -> bytes:
    tree = build_tcx(data)
    ET.indent(tree, space="  ")
    payload: bytes = ET.tostring(tree.getroot(), encoding="UTF-8", xml_declaration=True)
    return payload + b"\n"


def export_tcx(data: SessionData, path: Path) -> None:
    """Write ``data`` as a TCX activity at ``path`` (atomically).

    Raises:
        OSError: the file or its folder cannot be written (or is not a regular file).
    """
    payload = encode_tcx(data)
    with atomic_path(path) as tmp:
        tmp.write_bytes(payload)
