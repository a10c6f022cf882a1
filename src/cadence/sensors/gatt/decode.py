"""Raw notification bytes -> ``Sample``: the parser plus unit and sanity rules.

Kept apart from the bleak code so it stays pure and is tested without a radio.
It raises ``GattParseError`` for malformed packets (the hub counts and drops
them) and returns None for well-formed packets that carry nothing usable,
such as a strap reporting no skin contact.
"""

from __future__ import annotations

from cadence.model.sample import Sample, SensorRole
from cadence.profile.model import SensorConfig
from cadence.sensors.gatt import parse_heart_rate, parse_rsc_measurement, parse_treadmill_data
from cadence.sensors.gatt.cadence_units import CadenceUnitResolver


class PacketDecoder:
    """Decodes one sensor's notifications; holds its cadence-unit decision."""

    def __init__(self, config: SensorConfig, sensor_id: str) -> None:
        self.role = config.role
        self.sensor_id = sensor_id
        self.cadence_units = CadenceUnitResolver(config.cadence_unit)

    def decode(self, t_s: float, data: bytes | bytearray) -> Sample | None:
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
