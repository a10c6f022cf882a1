"""``cadence devices``: list the footpods, heart-rate straps and treadmills in range.

Why: to pair a sensor, the runner needs its address or advertised name for the
profile's ``sensors:`` list. This scans for a few seconds and prints what each
device offers, judged by the services it advertises (RSC -> footpod, Heart
Rate -> hr, Fitness Machine -> treadmill), with a profile line to copy.

``--virtual`` scans the demo's virtual sensors instead (no hardware needed).

Exit codes: 0 scanned (even if nothing was found), 2 bad arguments, 3 no
usable Bluetooth adapter (one line on stderr, like the metronome's exit 3 when
there is no audio device).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--timeout",
        type=float,
        default=5.0,
        metavar="S",
        help="how long to scan, in seconds (default 5)",
    )
    parser.add_argument(
        "--virtual",
        action="store_true",
        help="scan the demo's virtual sensors instead of the Bluetooth adapter",
    )


def run(args: argparse.Namespace) -> int:
    if not 0 < args.timeout <= 120:
        print("cadence devices: error: --timeout must be above 0 and at most 120", file=sys.stderr)
        return 2
    import asyncio

    try:
        found = asyncio.run(_scan(args.timeout, virtual=args.virtual))
    except _NoAdapter as exc:
        print(
            f"cadence devices: error: no usable Bluetooth adapter ({exc}); "
            "--virtual lists the demo's virtual sensors",
            file=sys.stderr,
        )
        return 3
    print(format_table(found))
    return 0


class _NoAdapter(Exception):
    pass


async def _scan(timeout_s: float, *, virtual: bool) -> list[Any]:
    from bleak.exc import BleakError

    from cadence.sensors.ble.scan import scan_devices

    if not virtual:
        try:
            return await scan_devices(timeout_s)
        except BleakError as exc:
            raise _NoAdapter(" ".join(str(exc).split()) or type(exc).__name__) from exc
        except OSError as exc:  # no D-Bus system bus: BlueZ cannot be reached at all
            raise _NoAdapter(f"the Bluetooth service is not reachable: {exc.strerror}") from exc

    from cadence.sensors.bumble.rig import VirtualSensorRig
    from cadence.sim.readout import Readout
    from cadence.sim.runner import Gait, SimulatedRunner

    standing = Readout(SimulatedRunner(seed=1), lambda: None, lambda: Gait.STAND)
    rig = VirtualSensorRig(standing, lambda: 0.0)
    await rig.start()
    try:
        return await scan_devices(timeout_s, rig.scanner_backend)
    finally:
        await rig.stop()


def format_table(found: list[Any]) -> str:
    """The scan result as an aligned table plus a hint on using it in a profile."""
    if not found:
        return (
            "No footpods, heart-rate straps or treadmills found. Wake the sensor "
            "(footpods: move them; straps: wet the contacts and wear them) and scan again."
        )
    rows = [("OFFERS", "NAME", "ADDRESS", "RSSI")]
    for d in found:
        rssi = "?" if d.rssi is None else f"{d.rssi} dBm"
        rows.append((", ".join(r.value for r in d.roles), d.name, d.address, rssi))
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    lines = [
        f"{row[0]:<{widths[0]}}  {row[1]:<{widths[1]}}  {row[2]:<{widths[2]}}  {row[3]}"
        for row in rows
    ]
    first = found[0]
    lines += [
        "",
        "To use one, add it to your profile's sensors list, for example:",
        f'  - {{role: {first.roles[0].value}, address: "{first.address}"}}',
    ]
    return "\n".join(lines)
