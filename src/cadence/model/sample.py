"""The one record every sensor reading becomes after its parser.

Everything downstream of the parsers (coach, store, TUI) sees only ``Sample``:
no bleak types, no raw bytes. Cadence is always steps per minute here, whatever
unit the device sent, so nothing downstream has to know about strides.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class SensorRole(StrEnum):
    """What a sensor is for, which decides which fields it fills."""

    FOOTPOD = "footpod"
    HEART_RATE = "hr"
    TREADMILL = "treadmill"
    TAP = "tap"  # cadence from the runner tapping a key on each footfall


@dataclass(frozen=True, slots=True)
class Sample:
    """One timestamped reading.

    ``t_s`` is the session's monotonic clock in seconds (the caller's clock, passed
    in; never wall time). Fields a sensor does not measure stay ``None``.
    """

    t_s: float
    role: SensorRole
    cadence_spm: float | None = None
    speed_mps: float | None = None
    hr_bpm: int | None = None
    distance_m: float | None = None
    incline_pct: float | None = None
    stride_length_m: float | None = None
    sensor_id: str = ""
