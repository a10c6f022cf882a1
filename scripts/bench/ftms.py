"""Benchmark: FTMS control, from a phase change to the command written and the belt at target.

A virtual treadmill (Bumble, belt ramping at ``--accel`` km/h per s, Treadmill
Data every ``--period-s``, the demo's 2 Hz by default) is driven by the
production ``SensorHub`` + ``TreadmillController`` through bleak, switching
between a walk and a run speed like a run-walk session. For each switch:

* to the command written: ``apply()`` called -> the treadmill's GATT server
  receives Set Target Speed (its log, same clock);
* to the command confirmed: ``apply()`` returns (the indication arrived);
* to the belt at target: ``apply()`` -> the controller's ``BELT_AT_TARGET``
  event, judged from the belt's own reports; the floor is the ramp itself,
  gap / acceleration.

    .venv/bin/python scripts/bench/ftms.py [--switches 8] [--accel 0.5] [--period-s 0.5]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics

from cadence.model.sample import Sample, SensorRole
from cadence.model.treadmill import BeltTarget, TreadmillEventKind
from cadence.profile.model import SensorConfig
from cadence.sensors.ble.hub import SensorHub
from cadence.sensors.ble.treadmill_control import TreadmillController
from cadence.sensors.bumble.backend import BumbleAdapter
from cadence.sensors.bumble.peripherals import VirtualAir, patch_controller_connect_cancel
from cadence.sensors.bumble.treadmill import VirtualTreadmill
from cadence.sensors.gatt.ftms_control import ControlOp

BELT = "F0:0D:00:00:00:03"
WALK_KMH, RUN_KMH = 5.0, 9.0


async def wait_event(controller: TreadmillController, kind: TreadmillEventKind) -> float:
    async with asyncio.timeout(60):
        while True:
            event = await controller.events.get()
            if event.kind is kind:
                return event.t_s


async def run(switches: int, accel: float, period_s: float) -> None:
    patch_controller_connect_cancel()
    loop = asyncio.get_running_loop()
    air = VirtualAir()
    adapter = BumbleAdapter(lambda: air.new_host("C0:00:00:00:00:01"))
    treadmill = VirtualTreadmill(air, BELT, accel_kmh_per_s=accel)
    await treadmill.start()

    async def stream() -> None:
        while True:
            if treadmill.connected:
                await treadmill.notify_data()
            await asyncio.sleep(period_s)

    hub = SensorHub(
        [SensorConfig(SensorRole.TREADMILL, address=BELT)],
        clock=loop.time,
        scanner_backend=adapter.scanner_backend,
        client_backend=adapter.client_backend,
    )
    controller = TreadmillController(clock=loop.time)
    hub.watch_client(SensorRole.TREADMILL, controller.attach)

    async def forward() -> None:
        while True:
            item = await hub.queue.get()
            if isinstance(item, Sample):
                controller.observe(item)

    tasks = [asyncio.create_task(stream()), asyncio.create_task(forward())]
    await hub.start()
    await wait_event(controller, TreadmillEventKind.CONTROL_TAKEN)
    # start at walking speed, then switch back and forth
    await controller.apply(BeltTarget(WALK_KMH, incline_pct=1.0))
    await wait_event(controller, TreadmillEventKind.BELT_AT_TARGET)
    written, confirmed, at_target, floor = [], [], [], []
    speed = WALK_KMH
    for _ in range(switches):
        new = RUN_KMH if speed == WALK_KMH else WALK_KMH
        n = len(treadmill.log.requests)
        t0 = loop.time()
        ok = await controller.apply(BeltTarget(new, incline_pct=1.0))
        t_confirmed = loop.time()
        assert ok
        t_written = next(
            t for t, r in treadmill.log.requests[n:] if r.op is ControlOp.SET_TARGET_SPEED
        )
        t_arrived = await wait_event(controller, TreadmillEventKind.BELT_AT_TARGET)
        written.append((t_written - t0) * 1000)
        confirmed.append((t_confirmed - t0) * 1000)
        at_target.append(t_arrived - t0)
        floor.append(abs(new - speed) / accel)
        speed = new
    for task in tasks:
        task.cancel()
    await hub.stop()
    await adapter.close()
    await treadmill.stop()

    def row(name: str, values: list[float], unit: str) -> None:
        print(
            f"| {name:<34} | {len(values):>2} | {statistics.median(values):8.2f} "
            f"| {max(values):8.2f} | {unit} |"
        )

    print(f"accel {accel} km/h per s, Treadmill Data every {period_s} s, {WALK_KMH}<->{RUN_KMH}")
    print("| path                               |  n |   median |      max | unit |")
    print("|------------------------------------|---:|---------:|---------:|------|")
    row("apply -> Set Target Speed received", written, "ms")
    row("apply -> indication (confirmed)", confirmed, "ms")
    row("apply -> belt at target (reported)", at_target, "s")
    row("ramp floor (gap / acceleration)", floor, "s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--switches", type=int, default=8)
    parser.add_argument("--accel", type=float, default=0.5)
    parser.add_argument("--period-s", type=float, default=0.5)
    args = parser.parse_args()
    asyncio.run(run(args.switches, args.accel, args.period_s))


if __name__ == "__main__":
    main()
