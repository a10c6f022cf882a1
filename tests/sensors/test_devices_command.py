"""``cadence devices`` as a user runs it: a real scan of the virtual rig, and no adapter."""

from __future__ import annotations

import os
import subprocess

import pytest

from support.cli import run_cadence

pytestmark = pytest.mark.ble


def run_devices(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return run_cadence("devices", *args, env={**os.environ, **(env or {})}, timeout_s=60)


def test_virtual_scan_lists_the_three_sensors() -> None:
    result = run_devices("--virtual", "--timeout", "1")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["OFFERS", "NAME", "ADDRESS", "RSSI"]
    table = "\n".join(lines[1:4])
    assert "footpod" in table and "Virtual Footpod" in table and "F0:0D:00:00:00:01" in table
    assert "hr" in table and "Virtual HR Strap" in table
    assert "treadmill" in table and "Virtual Treadmill" in table and "dBm" in table
    assert '{role: footpod, address: "F0:0D:00:00:00:01"}' in result.stdout


def test_no_bluetooth_adapter_is_one_clear_line_and_exit_3() -> None:
    result = run_devices(
        "--timeout", "1", env={"DBUS_SYSTEM_BUS_ADDRESS": "unix:path=/nonexistent/bus"}
    )
    assert result.returncode == 3
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("cadence devices: error: no usable Bluetooth adapter")


def test_bad_timeout_exits_2() -> None:
    result = run_devices("--timeout", "0")
    assert result.returncode == 2
    assert "--timeout" in result.stderr
