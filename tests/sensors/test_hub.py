"""SensorHub end to end: production bleak code against Bumble GATT servers.

Watchdogs and backoffs are shortened (see ``support.ble_bed``) so the suite
stays fast; timeouts here are generous functional limits, not speed checks.
"""

from __future__ import annotations

import asyncio

import pytest

from cadence.model.link import LinkState, SensorStatus
from cadence.model.sample import Sample, SensorRole
from cadence.profile.model import CadenceUnit
from cadence.sensors.ble.hub import SensorHub
from cadence.sensors.gatt import (
    HeartRateMeasurement,
    HrFlags,
    RscFlags,
    RscMeasurement,
    encode_treadmill_data,
)
from support.ble_bed import Bench, config, is_sample, is_state, next_matching
from support.ble_faults import RadioJam

pytestmark = pytest.mark.ble

POD, STRAP, BELT, ROGUE = (f"F0:00:00:00:00:0{i}" for i in range(1, 5))
CONTACT = HrFlags.SENSOR_CONTACT_SUPPORTED | HrFlags.SENSOR_CONTACT_DETECTED


def rsc(seq: int) -> bytes:
    """85 strides/min at 3.3 m/s; the distance (0.1 m units) carries the sequence number."""
    return RscMeasurement(RscFlags.RUNNING, 3.3, 85, 1.16, seq / 10).to_bytes()


def hr(seq: int) -> bytes:
    return HeartRateMeasurement(CONTACT, 140 + seq % 5, rr_s=(0.43,)).to_bytes()


def treadmill(seq: int) -> bytes:
    return encode_treadmill_data(speed_kmh=11.88, total_distance_m=seq, incline_pct=2.0)


async def test_three_sensors_stream_the_right_values(bench: Bench) -> None:
    pod = await bench.sensor(POD, "Pod", [SensorRole.FOOTPOD])
    strap = await bench.sensor(STRAP, "Strap", [SensorRole.HEART_RATE])
    belt = await bench.sensor(BELT, "Belt", [SensorRole.TREADMILL])
    bench.stream(pod, SensorRole.FOOTPOD, rsc)
    bench.stream(strap, SensorRole.HEART_RATE, hr)
    bench.stream(belt, SensorRole.TREADMILL, treadmill)
    hub = bench.hub(
        [
            config(SensorRole.FOOTPOD, POD),
            config(SensorRole.HEART_RATE, name="Strap"),  # by advertised name
            config(SensorRole.TREADMILL, BELT.lower()),  # addresses match in any case
        ]
    )
    await hub.start()
    seen: list[Sample | SensorStatus] = []
    foot = await next_matching(hub, is_sample(SensorRole.FOOTPOD), 10, seen)
    heart = await next_matching(hub, is_sample(SensorRole.HEART_RATE), 10, seen)
    belt_sample = await next_matching(hub, is_sample(SensorRole.TREADMILL), 10, seen)
    assert isinstance(foot, Sample) and isinstance(heart, Sample)
    assert isinstance(belt_sample, Sample)
    assert foot.cadence_spm == 170.0  # 85 strides/min, unit auto -> steps
    assert foot.speed_mps == pytest.approx(3.3, abs=1 / 256)
    assert foot.stride_length_m == pytest.approx(1.16) and foot.sensor_id == POD
    assert heart.hr_bpm is not None and 140 <= heart.hr_bpm < 145
    assert heart.sensor_id == "Strap"
    assert belt_sample.speed_mps == pytest.approx(3.3)
    assert belt_sample.incline_pct == pytest.approx(2.0)
    connected = {(s.role, s.state) for s in seen if isinstance(s, SensorStatus)}
    assert (SensorRole.FOOTPOD, LinkState.CONNECTED) in connected
    assert hub.malformed_counts == {POD: 0, "Strap": 0, BELT: 0}


async def test_link_dropped_three_times_resumes_within_5_s_each_time(bench: Bench) -> None:
    pod = await bench.sensor(POD, "Pod", [SensorRole.FOOTPOD])
    bench.stream(pod, SensorRole.FOOTPOD, rsc)
    hub = bench.hub([config(SensorRole.FOOTPOD, POD)], watchdog_s=3.0)
    await hub.start()
    await next_matching(hub, is_sample(SensorRole.FOOTPOD), 10)
    loop = asyncio.get_running_loop()
    for _ in range(3):
        await pod.drop_connections()
        dropped_at = loop.time()
        seen: list[Sample | SensorStatus] = []
        lost = await next_matching(hub, is_state(LinkState.LOST), 5, seen)
        assert isinstance(lost, SensorStatus) and lost.detail == "link dropped"
        await next_matching(hub, is_state(LinkState.RECONNECTING), 5, seen)
        await next_matching(hub, is_state(LinkState.CONNECTED), 5, seen)
        resumed = await next_matching(hub, is_sample(SensorRole.FOOTPOD), 5, seen)
        assert isinstance(resumed, Sample) and resumed.t_s - dropped_at < 5.0


async def test_jammed_radio_is_caught_by_the_watchdog_and_reconnected(bench: Bench) -> None:
    pod = await bench.sensor(POD, "Pod", [SensorRole.FOOTPOD])
    bench.stream(pod, SensorRole.FOOTPOD, rsc)
    hub = bench.hub([config(SensorRole.FOOTPOD, POD)], watchdog_s=0.5)
    await hub.start()
    await next_matching(hub, is_sample(SensorRole.FOOTPOD), 10)
    with RadioJam(bench.air.link, POD):
        lost = await next_matching(hub, is_state(LinkState.LOST), 5)
        assert isinstance(lost, SensorStatus) and lost.detail == "no data for 0.5 s"
        await next_matching(hub, is_state(LinkState.RECONNECTING), 5)
        await asyncio.sleep(1.0)  # out of range for a while: searches fail quietly
    await next_matching(hub, is_state(LinkState.CONNECTED), 10)
    await next_matching(hub, is_sample(SensorRole.FOOTPOD), 5)


async def test_sensor_that_stops_notifying_is_treated_as_lost(bench: Bench) -> None:
    pod = await bench.sensor(POD, "Pod", [SensorRole.FOOTPOD])
    bench.stream(pod, SensorRole.FOOTPOD, rsc)
    hub = bench.hub([config(SensorRole.FOOTPOD, POD)], watchdog_s=0.5)
    await hub.start()
    await next_matching(hub, is_sample(SensorRole.FOOTPOD), 10)
    pod.silent = True
    await next_matching(hub, is_state(LinkState.LOST), 5)
    pod.silent = False
    await next_matching(hub, is_state(LinkState.CONNECTED), 10)
    await next_matching(hub, is_sample(SensorRole.FOOTPOD), 5)


async def test_garbage_is_counted_and_dropped_and_the_stream_goes_on(bench: Bench) -> None:
    pod = await bench.sensor(POD, "Pod", [SensorRole.FOOTPOD])
    hub = bench.hub([config(SensorRole.FOOTPOD, POD)], watchdog_s=5.0)
    await hub.start()
    await next_matching(hub, is_state(LinkState.CONNECTED), 10)
    garbage = [b"", b"\x07", b"\x03\x00\x01\x55\x74", b"\x02\x10"]
    for n in range(1, 4):
        for junk in garbage:
            await pod.send_raw(SensorRole.FOOTPOD, junk)
        await pod.notify(SensorRole.FOOTPOD, rsc(n))
        good = await next_matching(hub, is_sample(SensorRole.FOOTPOD), 5)
        assert isinstance(good, Sample) and good.distance_m == pytest.approx(n / 10)
    assert hub.malformed_counts[POD] == 3 * len(garbage)
    assert hub.queue.empty()  # nothing but the three good samples came through


async def test_unconfigured_device_is_ignored(bench: Bench) -> None:
    pod = await bench.sensor(POD, "Pod", [SensorRole.FOOTPOD])
    rogue = await bench.sensor(ROGUE, "Pod 2", [SensorRole.FOOTPOD, SensorRole.HEART_RATE])
    bench.stream(pod, SensorRole.FOOTPOD, rsc)
    bench.stream(
        rogue, SensorRole.FOOTPOD, lambda s: RscMeasurement(RscFlags(0), 1.0, 99).to_bytes()
    )
    hub = bench.hub([config(SensorRole.FOOTPOD, name="Pod")])
    await hub.start()
    seen: list[Sample | SensorStatus] = []
    for _ in range(10):
        await next_matching(hub, is_sample(SensorRole.FOOTPOD), 10, seen)
    samples = [s for s in seen if isinstance(s, Sample)]
    assert {s.sensor_id for s in samples} == {"Pod"}
    assert all(s.cadence_spm == 170.0 for s in samples)
    assert not rogue.connected  # never even connected to


async def test_one_device_with_two_roles_shares_one_connection(bench: Bench) -> None:
    combo = await bench.sensor(POD, "Combo", [SensorRole.FOOTPOD, SensorRole.HEART_RATE])
    bench.stream(combo, SensorRole.FOOTPOD, rsc)
    bench.stream(combo, SensorRole.HEART_RATE, hr)
    hub = bench.hub(
        [
            config(SensorRole.FOOTPOD, POD, unit=CadenceUnit.STEPS),
            config(SensorRole.HEART_RATE, POD),
        ]
    )
    await hub.start()
    foot = await next_matching(hub, is_sample(SensorRole.FOOTPOD), 10)
    await next_matching(hub, is_sample(SensorRole.HEART_RATE), 10)
    assert isinstance(foot, Sample) and foot.cadence_spm == 85.0  # configured as steps
    assert len(combo.device.connections) == 1


async def test_missing_device_keeps_searching_then_connects_when_it_appears(bench: Bench) -> None:
    pod = await bench.sensor(POD, "Pod", [SensorRole.FOOTPOD], start=False)
    bench.stream(pod, SensorRole.FOOTPOD, rsc)
    hub = bench.hub([config(SensorRole.FOOTPOD, POD)])
    hub.scan_timeout_s = 0.3
    await hub.start()
    searching = await next_matching(hub, is_state(LinkState.SEARCHING), 5)
    assert isinstance(searching, SensorStatus) and searching.sensor_id == POD
    await asyncio.sleep(1.0)  # several failed searches: said once, no crash, no noise
    quiet: list[Sample | SensorStatus] = []
    while not hub.queue.empty():
        quiet.append(hub.queue.get_nowait())
    assert quiet == [
        SensorStatus(
            quiet[0].t_s, SensorRole.FOOTPOD, POD, LinkState.SEARCHING, "not found within 0.3 s"
        )
    ]
    await pod.start()
    await next_matching(hub, is_state(LinkState.CONNECTED), 10)
    await next_matching(hub, is_sample(SensorRole.FOOTPOD), 5)


async def test_stop_disconnects_cleanly(bench: Bench) -> None:
    pod = await bench.sensor(POD, "Pod", [SensorRole.FOOTPOD])
    bench.stream(pod, SensorRole.FOOTPOD, rsc)
    hub = bench.hub([config(SensorRole.FOOTPOD, POD)])
    await hub.start()
    await next_matching(hub, is_sample(SensorRole.FOOTPOD), 10)
    await hub.stop()
    async with asyncio.timeout(3):
        while pod.connected:
            await asyncio.sleep(0.05)
    await hub.stop()  # idempotent


def test_config_without_address_or_name_is_rejected() -> None:
    from cadence.sensors.ble.hub import SensorHub

    with pytest.raises(ValueError, match="address or a name"):
        SensorHub([config(SensorRole.FOOTPOD)], clock=lambda: 0.0)


async def test_device_without_the_configured_service_is_reported(bench: Bench) -> None:
    await bench.sensor(POD, "Pod", [SensorRole.FOOTPOD])
    hub = bench.hub([config(SensorRole.HEART_RATE, POD)])
    await hub.start()
    status = await next_matching(
        hub, lambda i: isinstance(i, SensorStatus) and "offers no hr data" in i.detail, 10
    )
    assert isinstance(status, SensorStatus) and status.state is LinkState.SEARCHING


async def test_no_bluetooth_service_is_said_plainly_and_the_hub_keeps_trying(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """bleak's real BlueZ backend with the system bus pointed at nothing: no adapter here."""
    monkeypatch.setenv("DBUS_SYSTEM_BUS_ADDRESS", "unix:path=/nonexistent/system_bus_socket")
    hub = SensorHub([config(SensorRole.FOOTPOD, POD)], clock=lambda: 0.0, scan_timeout_s=0.3)
    await hub.start()
    try:
        said = await next_matching(
            hub, lambda item: isinstance(item, SensorStatus) and bool(item.detail), 10
        )
        assert isinstance(said, SensorStatus) and said.state is LinkState.SEARCHING
        assert said.detail.startswith("no Bluetooth service reachable"), said.detail
        assert "Errno" not in said.detail
    finally:
        await hub.stop()


async def test_a_sink_gets_every_item_in_order_and_the_queue_stays_empty(bench: Bench) -> None:
    """The live path: notification -> one raw queue -> one consumer -> the session's sink."""
    pod = await bench.sensor(POD, "Pod", [SensorRole.FOOTPOD])
    hub = bench.hub([config(SensorRole.FOOTPOD, POD)], watchdog_s=5.0)
    got: list[Sample | SensorStatus] = []
    await hub.start(got.append)
    async with asyncio.timeout(10):
        while not any(is_state(LinkState.CONNECTED)(i) for i in got):
            await asyncio.sleep(0.02)
    for n in range(1, 6):
        await pod.notify(SensorRole.FOOTPOD, rsc(n))
    async with asyncio.timeout(5):
        while len([i for i in got if isinstance(i, Sample)]) < 5:
            await asyncio.sleep(0.02)
    distances = [i.distance_m for i in got if isinstance(i, Sample)]
    assert distances == pytest.approx([n / 10 for n in range(1, 6)])
    assert got[0] == SensorStatus(got[0].t_s, SensorRole.FOOTPOD, POD, LinkState.SEARCHING, "")
    assert hub.queue.empty()  # the sink replaced the queue: nothing is held twice


async def test_a_failing_sink_does_not_stop_the_sensors(bench: Bench) -> None:
    pod = await bench.sensor(POD, "Pod", [SensorRole.FOOTPOD])
    hub = bench.hub([config(SensorRole.FOOTPOD, POD)], watchdog_s=5.0)
    got: list[Sample] = []

    def sink(item: Sample | SensorStatus) -> None:
        if isinstance(item, Sample):
            got.append(item)
            if len(got) == 1:
                raise RuntimeError("the screen fell over")

    await hub.start(sink)
    bench.stream(pod, SensorRole.FOOTPOD, rsc)
    async with asyncio.timeout(10):
        while len(got) < 3:
            await asyncio.sleep(0.02)


async def test_matrix_style_short_packet_keeps_its_fields_through_the_hub(bench: Bench) -> None:
    belt = await bench.sensor(BELT, "Matrix", [SensorRole.TREADMILL])
    # flags 0x1DBE promise 32 bytes; 20 arrive (speed 9.00, distance 1000 m, incline 1.5 %)
    packet = bytes.fromhex("be1d" "8403" "5203" "e80300" "0f000900" "64000000" "07" "2c01")
    assert len(packet) == 20
    bench.stream(belt, SensorRole.TREADMILL, lambda _s: packet)
    hub = bench.hub([config(SensorRole.TREADMILL, BELT)])
    await hub.start()
    sample = await next_matching(hub, is_sample(SensorRole.TREADMILL), 10.0)
    assert isinstance(sample, Sample)
    assert sample.speed_mps == pytest.approx(2.5) and sample.distance_m == 1000.0
    assert sample.incline_pct == pytest.approx(1.5)
    assert hub.malformed_counts[BELT] == 0


async def test_impossible_readings_are_counted_and_never_delivered(bench: Bench) -> None:
    belt = await bench.sensor(BELT, "Glitchy", [SensorRole.TREADMILL])
    bench.stream(
        belt,
        SensorRole.TREADMILL,
        lambda seq: encode_treadmill_data(
            speed_kmh=65.0 if seq % 2 else 9.0, total_distance_m=seq, hr_bpm=255
        ),
    )
    hub = bench.hub([config(SensorRole.TREADMILL, BELT)])
    await hub.start()
    seen: list[Sample | SensorStatus] = []
    for _ in range(6):
        await next_matching(hub, is_sample(SensorRole.TREADMILL), 10.0, seen)
    samples = [s for s in seen if isinstance(s, Sample)]
    assert all(s.speed_mps is None or s.speed_mps <= 40 / 3.6 for s in samples)
    assert all(s.hr_bpm is None for s in samples)
    assert any(s.speed_mps is None for s in samples)  # the glitch kept its distance only
    assert hub.out_of_range_counts[BELT] >= 6
