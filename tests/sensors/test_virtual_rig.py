"""The demo's virtual sensors: a simulated runner that follows the tempo, seen through the hub."""

from __future__ import annotations

import asyncio
import statistics

import pytest

from cadence.model.sample import Sample, SensorRole
from cadence.model.treadmill import BeltTarget, TreadmillEventKind
from cadence.sensors.ble.hub import SensorHub
from cadence.sensors.ble.treadmill_control import TreadmillController
from cadence.sensors.bumble.rig import VirtualSensorRig
from cadence.sim.readout import Readout
from cadence.sim.runner import Gait, RunnerParams, SimulatedRunner
from support.ble_bed import is_sample, next_matching

pytestmark = pytest.mark.ble

SPEEDUP = 30.0  # runner seconds per real second, so entrainment shows within seconds


async def footpod_cadences(hub: SensorHub, n: int) -> list[float]:
    out = []
    for _ in range(n):
        s = await next_matching(hub, is_sample(SensorRole.FOOTPOD), 5)
        assert isinstance(s, Sample) and s.cadence_spm is not None
        out.append(s.cadence_spm)
    return out


@pytest.mark.slow
async def test_virtual_runner_follows_the_tempo_source() -> None:
    loop = asyncio.get_running_loop()
    tempo: list[float | None] = [None]
    gait = [Gait.RUN]
    params = RunnerParams(start_cadence_spm=158.0, entrainment_per_s=0.05, noise_spm=0.5)
    rig = VirtualSensorRig(
        Readout(SimulatedRunner(params, seed=3), lambda: tempo[0], lambda: gait[0]),
        lambda: SPEEDUP * loop.time(),
        incline_source=lambda: 4.5,
        period_s=0.1,
    )
    await rig.start()
    hub = SensorHub(
        rig.sensor_configs,
        clock=loop.time,
        scanner_backend=rig.scanner_backend,
        client_backend=rig.client_backend,
        watchdog_s=2.0,
    )
    await hub.start()
    try:
        before = await footpod_cadences(hub, 6)
        assert abs(statistics.mean(before) - 158) <= 3  # strides on air, steps out
        tempo[0] = 172.0  # the metronome starts
        await asyncio.sleep(4.0)  # ~120 s of runner time
        while not hub.queue.empty():
            hub.queue.get_nowait()
        after = await footpod_cadences(hub, 6)
        assert abs(statistics.mean(after) - 172) <= 3
        gait[0] = Gait.WALK  # a walk break: cadence drops, the unit decision holds
        await asyncio.sleep(0.3)
        while not hub.queue.empty():
            hub.queue.get_nowait()
        walking = await footpod_cadences(hub, 4)
        assert abs(statistics.mean(walking) - params.walk_cadence_spm) <= 3
        belt = await next_matching(hub, is_sample(SensorRole.TREADMILL), 5)
        heart = await next_matching(hub, is_sample(SensorRole.HEART_RATE), 5)
        assert isinstance(belt, Sample) and belt.incline_pct == pytest.approx(4.5)
        assert belt.speed_mps == pytest.approx(params.walk_speed_mps, abs=0.01)
        assert isinstance(heart, Sample) and heart.hr_bpm is not None and heart.hr_bpm > 60
        assert rig.last_reading is not None and rig.last_reading.gait is Gait.WALK
    finally:
        await hub.stop()
        await rig.stop()


def test_rig_can_be_built_before_the_event_loop_runs() -> None:
    """The TUI may build it in synchronous setup code; Bumble objects wait for start()."""
    readout = Readout(SimulatedRunner(), lambda: 170.0, lambda: Gait.RUN)
    rig = VirtualSensorRig(readout, lambda: 0.0)
    assert [c.role for c in rig.sensor_configs] == [
        SensorRole.FOOTPOD,
        SensorRole.HEART_RATE,
        SensorRole.TREADMILL,
    ]
    with pytest.raises(RuntimeError):
        _ = rig.footpod

    async def once() -> float:
        await rig.start()
        try:
            return (await rig.tick()).cadence_spm
        finally:
            await rig.stop()

    assert 150 < asyncio.run(once()) < 190


async def test_demo_rig_treadmill_follows_cadences_controller() -> None:
    """The demo's treadmill is controllable: once started over FTMS it reports the belt."""
    loop = asyncio.get_running_loop()
    rig = VirtualSensorRig(
        Readout(SimulatedRunner(seed=2), lambda: None, lambda: Gait.RUN), loop.time, period_s=0.1
    )
    await rig.start()
    rig.treadmill.belt.accel_kmh_per_s = 4.0
    hub = SensorHub(
        rig.sensor_configs,
        clock=loop.time,
        scanner_backend=rig.scanner_backend,
        client_backend=rig.client_backend,
        watchdog_s=2.0,
    )
    controller = TreadmillController()
    hub.watch_client(SensorRole.TREADMILL, controller.attach)
    await hub.start()
    try:
        async with asyncio.timeout(10):
            while (await controller.events.get()).kind is not TreadmillEventKind.CONTROL_TAKEN:
                pass
        assert await controller.apply(BeltTarget(6.5, incline_pct=2.0))
        async with asyncio.timeout(10):
            while True:
                s = await next_matching(hub, is_sample(SensorRole.TREADMILL), 5)
                assert isinstance(s, Sample)
                if s.speed_mps == pytest.approx(6.5 / 3.6) and s.incline_pct == 2.0:
                    break
    finally:
        await hub.stop()
        await rig.stop()
