"""Raw notification bytes -> ``Sample``: the parser plus unit and sanity rules.

Kept apart from the bleak code so it stays pure and is tested without a radio.
It raises ``GattParseError`` for malformed packets (the hub counts and drops
them) and returns None for well-formed packets that carry nothing usable,
such as a strap reporting no skin contact.

Readings no runner or treadmill can produce (a glitching belt reporting
655 km/h, a footpod at 400 spm, a strap at 12 bpm) are dropped field by field
here, before the coach or the store can see them, and counted per sensor in
``PacketDecoder.out_of_range``: a wrong number on screen or in the history is
worse than a gap. A sample left with nothing is not sent at all.
"""

from __future__ import annotations

import dataclasses

from cadence.model.sample import Sample, SensorRole
from cadence.profile.model import SensorConfig
from cadence.sensors.gatt import parse_heart_rate, parse_rsc_measurement, parse_treadmill_data
from cadence.sensors.gatt.cadence_units import CadenceUnitResolver

MAX_SPEED_MPS = 40.0 / 3.6  # no treadmill runs faster; faster runners exist, not on belts
MAX_CADENCE_SPM = 300.0  # sprinters peak near 280
MIN_HR_BPM = 25
MAX_HR_BPM = 250
_MEASURED = ("cadence_spm", "speed_mps", "hr_bpm", "distance_m", "incline_pct", "stride_length_m")


def _implausible(sample: Sample) -> tuple[str, ...]:
    """Names of the sample's fields outside physical ranges."""
    bad: list[str] = []
    if sample.speed_mps is not None and not 0.0 <= sample.speed_mps <= MAX_SPEED_MPS:
        bad.append("speed_mps")
    if sample.cadence_spm is not None and not 0.0 <= sample.cadence_spm <= MAX_CADENCE_SPM:
        bad.append("cadence_spm")
    if sample.hr_bpm is not None and not MIN_HR_BPM <= sample.hr_bpm <= MAX_HR_BPM:
        bad.append("hr_bpm")
    return tuple(bad)


class PacketDecoder:
    """Decodes one sensor's notifications; holds its cadence-unit decision."""

    def __init__(self, config: SensorConfig, sensor_id: str) -> None:
        self.role = config.role
        self.sensor_id = sensor_id
        self.cadence_units = CadenceUnitResolver(config.cadence_unit)
        #: readings dropped for being outside physical ranges (one per field)
        self.out_of_range = 0

    def decode(self, t_s: float, data: bytes | bytearray) -> Sample | None:
        """Parse ``data`` for this sensor's role; implausible fields are dropped.

        Raises:
            GattParseError: the packet does not match its characteristic's layout.
        """
        sample = self._decode(t_s, data)
        if sample is None:
            return None
        bad = _implausible(sample)
        if not bad:
            return sample
        self.out_of_range += len(bad)
        kept = dataclasses.replace(sample, **dict.fromkeys(bad))  # type: ignore[arg-type]
        if all(getattr(kept, name) is None for name in _MEASURED):
            return None
        return kept

    def _decode(self, t_s: float, data: bytes | bytearray) -> Sample | None:
        """Parse ``data`` for this sensor's role.

        Raises:
            GattParseError: the packet does not match its characteristic's layout.
        """
        if self.role is SensorRole.FOOTPOD:
            rsc = parse_rsc_measurement(data)
            return Sample(
                t_s=t_s,
                role=SensorRole.FOOTPOD,
                cadence_spm=self.cadence_units.steps_per_min(
                    rsc.cadence_raw_per_min, rsc.speed_mps
                ),
                speed_mps=rsc.speed_mps,
                distance_m=rsc.total_distance_m,
                stride_length_m=rsc.stride_length_m,
                sensor_id=self.sensor_id,
            )
        if self.role is SensorRole.HEART_RATE:
            hr = parse_heart_rate(data)
            if hr.sensor_contact is False or hr.bpm == 0:
                return None
            return Sample(
                t_s=t_s, role=SensorRole.HEART_RATE, hr_bpm=hr.bpm, sensor_id=self.sensor_id
            )
        if self.role is SensorRole.TREADMILL:
            tm = parse_treadmill_data(data)
            return Sample(
                t_s=t_s,
                role=SensorRole.TREADMILL,
                speed_mps=tm.speed_mps,
                hr_bpm=tm.hr_bpm or None,
                distance_m=None if tm.total_distance_m is None else float(tm.total_distance_m),
                incline_pct=tm.incline_pct,
                sensor_id=self.sensor_id,
            )
        return None
