"""The demo's sensor path: Bumble peripherals -> production bleak code -> the session's sink."""

from __future__ import annotations

import asyncio
from itertools import pairwise

import pytest

from cadence.coach.actions import Phase
from cadence.coach.status import CoachStatus
from cadence.live.clock import MonotonicClock
from cadence.model.link import LinkState, SensorStatus
from cadence.model.sample import Sample, SensorRole
from cadence.sensors.bumble.rig import VirtualRigSource
from cadence.sensors.source import SensorItem
from cadence.sim.readout import Readout
from cadence.sim.runner import Gait, SimulatedRunner

pytestmark = pytest.mark.ble


def running_to(tempo_spm: float) -> CoachStatus:
    """A coach in a run with the beat on at ``tempo_spm``: what the demo's runner follows."""
    return CoachStatus(
        now_s=0.0, phase=Phase.RUN, phase_left_s=None, round_index=0, rounds_total=1,
        tempo_spm=tempo_spm, metronome_on=True, muted=False, volume=1.0, cadence_spm=None,
        target_spm=tempo_spm, band_low_spm=150.0, band_high_spm=190.0, paused=False,
        running_stopped=False, pain_prompt_id=None, last_pain_rating=None, elapsed_s=0.0,
    )


async def test_virtual_rig_source_delivers_samples_and_link_states() -> None:
    clock = MonotonicClock()
    readout = Readout(SimulatedRunner(seed=2), lambda: 170.0, lambda: Gait.RUN)
    source = VirtualRigSource(readout, clock)
    items: list[SensorItem] = []
    await source.start(items.append)
    try:
        async with asyncio.timeout(20):
            while True:
                roles = {i.role for i in items if isinstance(i, Sample)}
                if roles >= {SensorRole.FOOTPOD, SensorRole.HEART_RATE, SensorRole.TREADMILL}:
                    break
                await asyncio.sleep(0.05)
    finally:
        await source.stop()
    connected = {
        i.role for i in items if isinstance(i, SensorStatus) and i.state is LinkState.CONNECTED
    }
    assert connected == {SensorRole.FOOTPOD, SensorRole.HEART_RATE, SensorRole.TREADMILL}
    footpod = [i for i in items if isinstance(i, Sample) and i.role is SensorRole.FOOTPOD]
    # the virtual footpod sends strides/min; the sample is steps/min after unit detection
    assert all(s.cadence_spm is not None and 140 < s.cadence_spm < 200 for s in footpod[-3:])
    stamps = [i.t_s for i in items if isinstance(i, Sample)]
    assert stamps == sorted(stamps) and 0 <= stamps[0] <= clock()
    assert source.malformed_count == 0
    count = len(items)
    await asyncio.sleep(1.2)
    assert len(items) == count  # nothing reaches the sink after stop()


async def test_a_sped_up_demo_still_reads_the_footpod_twice_a_session_second() -> None:
    """`cadence demo --speed 20`: the rig notifies 20x faster in real time, so the coach
    never sees the footpod go stale (its estimate expires after 5 s of session time)."""
    from cadence.live.wiring import rig_sources

    clock = MonotonicClock(speed=20.0)
    source = rig_sources(clock, seed=2, speed=20.0)(lambda: running_to(170.0))
    items: list[SensorItem] = []
    await source.start(items.append)
    try:
        async with asyncio.timeout(20):
            while len([i for i in items if isinstance(i, Sample)]) < 60:
                await asyncio.sleep(0.05)
    finally:
        await source.stop()
    footpod_t_s = [i.t_s for i in items if isinstance(i, Sample) and i.role is SensorRole.FOOTPOD]
    gaps_s = [b - a for a, b in pairwise(footpod_t_s[5:])]
    assert gaps_s and sorted(gaps_s)[len(gaps_s) // 2] < 1.0, gaps_s
