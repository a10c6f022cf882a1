"""Pure parsers for the GATT characteristics cadence reads: bytes in, dataclasses out.

Why pure: parsers are where hostile or broken input meets the app, so they are
tested exhaustively (spec vectors, real-device layouts, a million fuzzed
packets) without any radio. This module imports no bleak or bumble (an
import-linter contract checks it); the connection layer hands it ``bytes``.

Every parser raises only :class:`GattParseError` on malformed input.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from cadence.sensors.gatt.common import GattParseError
from cadence.sensors.gatt.device_info import (
    DEVICE_INFORMATION_SERVICE_UUID16,
    DIS_STRINGS,
    device_identity,
    parse_dis_string,
)
from cadence.sensors.gatt.ftms import (
    FitnessMachineFeature,
    FitnessMachineFeatures,
    TargetSettingFeatures,
    TreadmillData,
    TreadmillFlags,
    encode_treadmill_data,
    parse_fitness_machine_feature,
    parse_treadmill_data,
)
from cadence.sensors.gatt.ftms_control import (
    parse_control_request,
    parse_control_response,
    parse_incline_range,
    parse_machine_status,
    parse_speed_range,
)
from cadence.sensors.gatt.hr import HeartRateMeasurement, HrFlags, parse_heart_rate
from cadence.sensors.gatt.rsc import (
    RscFeature,
    RscFeatureFlags,
    RscFlags,
    RscMeasurement,
    parse_rsc_feature,
    parse_rsc_measurement,
)

# 16-bit assigned numbers (Bluetooth SIG Assigned Numbers, section 3.4 / 3.8)
RSC_SERVICE_UUID16 = 0x1814
RSC_MEASUREMENT_UUID16 = 0x2A53
RSC_FEATURE_UUID16 = 0x2A54
HEART_RATE_SERVICE_UUID16 = 0x180D
HEART_RATE_MEASUREMENT_UUID16 = 0x2A37
FTMS_SERVICE_UUID16 = 0x1826
FITNESS_MACHINE_FEATURE_UUID16 = 0x2ACC
TREADMILL_DATA_UUID16 = 0x2ACD
SUPPORTED_SPEED_RANGE_UUID16 = 0x2AD4
SUPPORTED_INCLINATION_RANGE_UUID16 = 0x2AD5
FITNESS_MACHINE_CONTROL_POINT_UUID16 = 0x2AD9
FITNESS_MACHINE_STATUS_UUID16 = 0x2ADA


def uuid16_to_str(uuid16: int) -> str:
    """The full 128-bit form bleak uses for a 16-bit SIG UUID."""
    return f"0000{uuid16:04x}-0000-1000-8000-00805f9b34fb"


#: Every parser, by a short name: the set the fuzzers (the test suite and
#: ``scripts/fuzz_gatt.py``) hold to "only ``GattParseError`` escapes".
PARSERS: Mapping[str, Callable[[bytes], object]] = {
    "rsc": parse_rsc_measurement,
    "rsc_feature": parse_rsc_feature,
    "hr": parse_heart_rate,
    "treadmill": parse_treadmill_data,
    "ftms_feature": parse_fitness_machine_feature,
    "ftms_control_request": parse_control_request,
    "ftms_control_response": parse_control_response,
    "ftms_speed_range": parse_speed_range,
    "ftms_incline_range": parse_incline_range,
    "ftms_status": parse_machine_status,
    "dis_string": parse_dis_string,
}

__all__ = [
    "DEVICE_INFORMATION_SERVICE_UUID16",
    "DIS_STRINGS",
    "FITNESS_MACHINE_CONTROL_POINT_UUID16",
    "FITNESS_MACHINE_FEATURE_UUID16",
    "FITNESS_MACHINE_STATUS_UUID16",
    "FTMS_SERVICE_UUID16",
    "HEART_RATE_MEASUREMENT_UUID16",
    "HEART_RATE_SERVICE_UUID16",
    "PARSERS",
    "RSC_FEATURE_UUID16",
    "RSC_MEASUREMENT_UUID16",
    "RSC_SERVICE_UUID16",
    "SUPPORTED_INCLINATION_RANGE_UUID16",
    "SUPPORTED_SPEED_RANGE_UUID16",
    "TREADMILL_DATA_UUID16",
    "FitnessMachineFeature",
    "FitnessMachineFeatures",
    "GattParseError",
    "HeartRateMeasurement",
    "HrFlags",
    "RscFeature",
    "RscFeatureFlags",
    "RscFlags",
    "RscMeasurement",
    "TargetSettingFeatures",
    "TreadmillData",
    "TreadmillFlags",
    "device_identity",
    "encode_treadmill_data",
    "parse_dis_string",
    "parse_fitness_machine_feature",
    "parse_heart_rate",
    "parse_rsc_feature",
    "parse_rsc_measurement",
    "parse_treadmill_data",
    "uuid16_to_str",
]
