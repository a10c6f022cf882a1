"""The FIT messages around the track: who wrote the file, which sensors, the plan, the coach.

``fit.py`` writes the records, laps and session; this module builds the rest:

- ``file_id``, ``file_creator`` (cadence's version) and ``device_info``: one for
  the creator (index 0) and one per sensor that reported during the session
  (footpod, strap, treadmill), with the name it was paired by, its role and
  the Bluetooth LE source. What the sensor reported over its Device
  Information service (the SENSOR events' ``manufacturer``, ``model``,
  ``serial``, ``firmware``) names it: ``product_name`` is maker and model (FIT's
  ``manufacturer`` is a numeric list no string maps onto), ``software_version``
  the firmware when it reads as a version number. FIT's ``serial_number`` is a
  uint32, so the serial as the device gave it goes in the ``sensor_serial``
  developer field, and in ``serial_number`` too when it is a number that fits.
  Nothing reported, nothing written: never a guess.
- The developer fields cadence defines, with their ``developer_data_id`` and
  ``field_description`` messages: the metronome's tempo and state on every
  record, the pain rating and a short note on the coach's event messages.
- ``workout`` and ``workout_step``: the plan as it was run, one step per lap
  (its planned length; runs target the cadence band, the rest are open), so a
  platform that reads workouts shows a structured session, and each lap names
  its step in ``wkt_step_index``. Cadence targets are in FIT's own unit for
  running, strides per minute (the profile calls it "rpm"), like
  ``record.cadence``.
- The coach's moments as ``event`` messages: a phase change is FIT's
  ``workout_step`` event (data = the step), a pain rating, warning sign, cue or
  stop is a ``user_marker`` with the note (and the rating) in developer fields.
"""

from __future__ import annotations

import math
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from cadence import __version__
from cadence.export.coach_track import CoachEvent
from cadence.export.common import Lap, wall_time
from cadence.model.sample import SensorRole
from cadence.model.session import EventKind, SessionData

FILE_ID = 0
WORKOUT = 26
WORKOUT_STEP = 27
EVENT = 21
DEVICE_INFO = 23
FILE_CREATOR = 49
FIELD_DESCRIPTION = 206
DEVELOPER_DATA_ID = 207

PRODUCT_NAME = "cadence"

#: cadence's FIT application id (a fixed UUID: the same app in every file)
APPLICATION_ID = uuid.UUID("6f1c3a52-8d4e-4b7a-9c21-5ad0ce1e0001")

#: developer field numbers (``field_definition_number``) and FIT base types
TARGET_TEMPO = 0
METRONOME = 1
PAIN_RATING = 2
COACH_NOTE = 3
SENSOR_SERIAL = 4
_UINT8, _STRING, _FLOAT32 = 0x02, 0x07, 0x88

_DEVELOPER_DATA_ID: dict[str, Any] = {
    "mesg_num": DEVELOPER_DATA_ID,
    "developer_data_index": 0,
    "application_id": list(APPLICATION_ID.bytes),
    "manufacturer_id": "development",
    "application_version": 1,
}

#: (number, name, base type, units, the message it appears on)
_DEV_FIELDS: tuple[tuple[int, str, int, str, str], ...] = (
    (TARGET_TEMPO, "target_tempo", _FLOAT32, "spm", "record"),
    (METRONOME, "metronome_on", _UINT8, "0 off, 1 on", "record"),
    (PAIN_RATING, "pain_rating", _UINT8, "of 10", "event"),
    (COACH_NOTE, "coach_note", _STRING, "", "event"),
    (SENSOR_SERIAL, "sensor_serial", _STRING, "", "device_info"),
)

#: FIT ble_device_type per role (a treadmill has no BLE type of its own in FIT)
_BLE_DEVICE_TYPE = {SensorRole.FOOTPOD: 6, SensorRole.HEART_RATE: 1}
_ROLE_NAMES = {SensorRole.FOOTPOD: "footpod", SensorRole.HEART_RATE: "heart-rate strap",
               SensorRole.TREADMILL: "treadmill"}

_INTENSITY = {"warmup": "warmup", "run": "active", "walk": "recovery", "cooldown": "cooldown"}


def intensity(phase: str) -> str:
    return _INTENSITY.get(phase, "active")


def field_descriptions() -> dict[int, dict[str, Any]]:
    """The developer fields for ``Encoder(field_descriptions=...)``, keyed by number."""
    out: dict[int, dict[str, Any]] = {}
    for number, name, base_type, units, native in _DEV_FIELDS:
        desc: dict[str, Any] = {
            "mesg_num": FIELD_DESCRIPTION,
            "developer_data_index": 0,
            "field_definition_number": number,
            "fit_base_type_id": base_type,
            "field_name": name,
            "native_mesg_num": native,
        }
        if units:
            desc["units"] = units
        out[number] = {"developer_data_id_mesg": _DEVELOPER_DATA_ID, "field_description_mesg": desc}
    return out


def _software_version() -> int:
    """``major * 100 + minor`` of cadence's version (FIT's software_version is a uint16)."""
    major, minor, *_ = (int(p) if p.isdigit() else 0 for p in (__version__ + ".0.0").split("."))
    return major * 100 + minor


_VERSION = re.compile(r"\D{0,3}(\d{1,3})(?:\.(\d{1,2}))?(?!\d)")


def firmware_version(firmware: str) -> float | None:
    """A firmware string as FIT's ``device_info.software_version`` (major.minor), if it is one.

    "1.0.0" and "v4.21" read as 1.00 and 4.21; "2024-03 build 7" is not a version.
    """
    match = _VERSION.match(firmware)
    if match is None:
        return None
    major, minor = match.group(1), match.group(2) or "0"
    version = int(major) + int(minor) / 10.0 ** len(minor)
    return version if version <= 655.35 else None  # a uint16 in hundredths


@dataclass(frozen=True, slots=True)
class SensorUsed:
    role: SensorRole
    sensor_id: str
    manufacturer: str = ""
    model: str = ""
    serial: str = ""
    firmware: str = ""


def sensors_used(data: SessionData) -> list[SensorUsed]:
    """Each sensor that sent readings, in the order it first did (taps are not a device)."""
    seen: dict[tuple[SensorRole, str], None] = {}
    for s in data.samples:
        if s.role is not SensorRole.TAP:
            seen.setdefault((s.role, s.sensor_id), None)
    identity: dict[tuple[str, str], dict[str, Any]] = {}
    for e in data.events:
        if e.kind is EventKind.SENSOR:
            identity.setdefault((str(e.payload.get("role")), str(e.payload.get("sensor_id"))),
                                {}).update(e.payload)
    out = []
    for role, sensor_id in seen:
        known = identity.get((role.value, sensor_id), {})
        out.append(SensorUsed(role, sensor_id, *(str(known.get(key) or "") for key in
                                                 ("manufacturer", "model", "serial", "firmware"))))
    return out


def header_mesgs(data: SessionData) -> list[dict[str, Any]]:
    """file_id, file_creator, the developer field definitions and every device_info."""
    start = wall_time(data, 0.0)
    out: list[dict[str, Any]] = [
        {
            "mesg_num": FILE_ID,
            "type": "activity",
            "manufacturer": "development",
            "product": 0,
            "serial_number": (data.info.session_id % 0xFFFFFFFE) + 1,
            "time_created": start,
            "product_name": PRODUCT_NAME,
        },
        {"mesg_num": FILE_CREATOR, "software_version": _software_version()},
        dict(_DEVELOPER_DATA_ID),
        *(d["field_description_mesg"] for d in field_descriptions().values()),
        {
            "mesg_num": DEVICE_INFO,
            "timestamp": start,
            "device_index": "creator",
            "manufacturer": "development",
            "product": 0,
            "product_name": PRODUCT_NAME,
            "software_version": _software_version() / 100.0,  # the profile scales it by 100
        },
    ]
    for k, sensor in enumerate(sensors_used(data), start=1):
        mesg: dict[str, Any] = {
            "mesg_num": DEVICE_INFO,
            "timestamp": start,
            "device_index": k,
            "source_type": "bluetooth_low_energy",
            "descriptor": sensor.sensor_id or _ROLE_NAMES[sensor.role],
            "product_name": " ".join(p for p in (sensor.manufacturer, sensor.model) if p)
            or _ROLE_NAMES[sensor.role],
        }
        if sensor.role in _BLE_DEVICE_TYPE:
            mesg["device_type"] = _BLE_DEVICE_TYPE[sensor.role]
        if sensor.serial.isdigit() and 0 < int(sensor.serial) < 0xFFFFFFFF:
            mesg["serial_number"] = int(sensor.serial)
        if sensor.serial:
            mesg["developer_fields"] = {SENSOR_SERIAL: sensor.serial[:32]}
        version = firmware_version(sensor.firmware)
        if version is not None:
            mesg["software_version"] = version
        out.append(mesg)
    return out


def workout_mesgs(data: SessionData, laps: Sequence[Lap]) -> list[dict[str, Any]]:
    """The plan as run: one workout, one step per lap."""
    info = data.info
    name = f"{info.program} week {info.program_week}" if info.program else "cadence session"
    out: list[dict[str, Any]] = [{
        "mesg_num": WORKOUT, "wkt_name": name[:40], "sport": "running",
        "sub_sport": "treadmill" if info.treadmill else "generic", "num_valid_steps": len(laps),
    }]
    low = math.floor(info.band_low_spm / 2.0)
    high = math.ceil(info.band_high_spm / 2.0)
    for lap in laps:
        step: dict[str, Any] = {
            "mesg_num": WORKOUT_STEP, "message_index": lap.index, "wkt_step_name": lap.title[:40],
            "intensity": intensity(lap.phase),
        }
        if lap.planned_s:
            step["duration_type"] = "time"
            step["duration_value"] = round(lap.planned_s * 1000.0)  # duration_time, in ms
        else:
            step["duration_type"] = "open"
        if lap.phase == "run":
            step["target_type"] = "cadence"
            step["target_value"] = 0  # a custom range, not a zone
            step["custom_target_value_low"] = low  # strides per minute
            step["custom_target_value_high"] = high
        else:
            step["target_type"] = "open"
        out.append(step)
    return out


def event_mesg(data: SessionData, event: CoachEvent, step_index: int | None) -> dict[str, Any]:
    """One coach moment as a FIT event (see the module docstring)."""
    mesg: dict[str, Any] = {"mesg_num": EVENT, "timestamp": wall_time(data, event.t_s),
                            "event_type": "marker", "event_group": 0}
    dev: dict[int, Any] = {COACH_NOTE: event.text[:60]}
    if event.kind == "phase" and step_index is not None:
        mesg["event"] = "workout_step"
        mesg["data"] = step_index
    else:
        mesg["event"] = "user_marker"
    if event.kind == "pain" and event.value is not None:
        dev[PAIN_RATING] = int(event.value)
        mesg["data"] = int(event.value)
    mesg["developer_fields"] = dev
    return mesg
