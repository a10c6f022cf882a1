"""Benchmark: BLE notification-to-sample latency, and GATT parser throughput.

Latency: a virtual footpod on an in-process Bumble radio notifies at a steady
rate; each packet carries its sequence number (in Total Distance), and its send
time is taken right before the notification. The figure is the time until the
matching ``Sample`` is taken off ``SensorHub.queue`` - through the Bumble
controller pair, Bumble's host, bleak, the hub's callback, its consumer task
and the parser. Baseline in the same run: a bare bleak subscription on the
same radio (send -> bleak callback), i.e. the transport floor, so the hub's
own cost is the difference. Target (design.md): sensor to screen < 100 ms p99.

Throughput: the production parsers over a realistic packet mix, against a
naive struct-per-field parser (what the reference prototype did: no length
checks, RSC and HR only) and an empty loop over the same packets.

    .venv/bin/python scripts/bench/ble.py [--count 1500] [--rate-hz 50]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import struct
import time
from collections.abc import Callable

from bleak import BleakClient, BleakScanner

from cadence.model.sample import Sample, SensorRole
from cadence.profile.model import SensorConfig
from cadence.sensors import gatt
from cadence.sensors.ble.hub import SensorHub
from cadence.sensors.bumble.backend import BumbleAdapter
from cadence.sensors.bumble.peripherals import (
    VirtualAir,
    VirtualSensor,
    patch_controller_connect_cancel,
)
from cadence.sensors.gatt import (
    HeartRateMeasurement,
    HrFlags,
    RscFlags,
    RscMeasurement,
    encode_treadmill_data,
    parse_heart_rate,
    parse_rsc_measurement,
    parse_treadmill_data,
)

POD = "F0:00:00:00:00:01"


def packet(seq: int) -> bytes:
    return RscMeasurement(RscFlags.RUNNING, 3.3, 86, 1.16, seq / 10).to_bytes()


def percentiles(values_s: list[float]) -> tuple[float, float, float]:
    ms = sorted(v * 1000 for v in values_s)
    p99 = ms[min(len(ms) - 1, round(0.99 * (len(ms) - 1)))]
    return statistics.median(ms), p99, ms[-1]


async def stream(pod: VirtualSensor, count: int, rate_hz: float, sent: dict[int, float]) -> None:
    loop = asyncio.get_running_loop()
    next_s = loop.time()
    for seq in range(1, count + 1):
        sent[seq] = time.perf_counter()
        await pod.notify(SensorRole.FOOTPOD, packet(seq))
        next_s += 1.0 / rate_hz
        await asyncio.sleep(max(0.0, next_s - loop.time()))


async def measure_bare_bleak(count: int, rate_hz: float) -> list[float]:
    air = VirtualAir()
    adapter = BumbleAdapter(lambda: air.new_host("C0:00:00:00:00:01"))
    pod = VirtualSensor(air, POD, "Pod", [SensorRole.FOOTPOD])
    await pod.start()
    sent: dict[int, float] = {}
    latencies: list[float] = []

    def on_notify(_char: object, data: bytearray) -> None:
        now = time.perf_counter()
        seq = round(struct.unpack_from("<I", data, 6)[0])
        latencies.append(now - sent[seq])

    device = await BleakScanner.find_device_by_address(POD, 5, backend=adapter.scanner_backend)
    assert device is not None
    async with BleakClient(device, backend=adapter.client_backend) as client:
        await client.start_notify(gatt.uuid16_to_str(gatt.RSC_MEASUREMENT_UUID16), on_notify)
        await stream(pod, count, rate_hz, sent)
        await asyncio.sleep(0.2)
    await adapter.close()
    await pod.stop()
    return latencies


async def measure_hub(count: int, rate_hz: float) -> tuple[list[float], int]:
    air = VirtualAir()
    adapter = BumbleAdapter(lambda: air.new_host("C0:00:00:00:00:01"))
    pod = VirtualSensor(air, POD, "Pod", [SensorRole.FOOTPOD])
    await pod.start()
    hub = SensorHub(
        [SensorConfig(SensorRole.FOOTPOD, address=POD)],
        clock=time.perf_counter,
        scanner_backend=adapter.scanner_backend,
        client_backend=adapter.client_backend,
    )
    await hub.start()
    while not pod.connected:
        await asyncio.sleep(0.05)
    await asyncio.sleep(0.3)  # let the subscription settle
    sent: dict[int, float] = {}
    latencies: list[float] = []

    async def consume() -> None:
        while len(latencies) < count:
            item = await hub.queue.get()
            now = time.perf_counter()
            if isinstance(item, Sample) and item.distance_m is not None:
                latencies.append(now - sent[round(item.distance_m * 10)])

    consumer = asyncio.create_task(consume())
    await stream(pod, count, rate_hz, sent)
    await asyncio.wait_for(consumer, 5)
    await hub.stop()
    await adapter.close()
    await pod.stop()
    return latencies, sum(hub.malformed_counts.values())


# ---------------------------------------------------------------- throughput


def naive_rsc(data: bytes) -> tuple[float, int, float | None, float | None]:
    flags, speed, cadence = struct.unpack_from("<BHB", data, 0)
    off, stride, total = 4, None, None
    if flags & 0x01:
        stride = struct.unpack_from("<H", data, off)[0] / 100
        off += 2
    if flags & 0x02:
        total = struct.unpack_from("<I", data, off)[0] / 10
    return speed / 256, cadence, stride, total


def naive_hr(data: bytes) -> tuple[int, list[float]]:
    flags = data[0]
    bpm, off = (struct.unpack_from("<H", data, 1)[0], 3) if flags & 1 else (data[1], 2)
    if flags & 0x08:
        off += 2
    rr = [struct.unpack_from("<H", data, i)[0] / 1024 for i in range(off, len(data) - 1, 2)]
    return bpm, rr


def packet_mix() -> tuple[list[bytes], list[bytes], list[bytes]]:
    rsc = [RscMeasurement(RscFlags(7), 3.3, 86, 1.16, i / 10).to_bytes() for i in range(1000)]
    hr_flags = HrFlags.SENSOR_CONTACT_SUPPORTED | HrFlags.SENSOR_CONTACT_DETECTED
    hr = [
        HeartRateMeasurement(hr_flags, 140 + i % 20, rr_s=(0.43,)).to_bytes() for i in range(1000)
    ]
    tm = [
        encode_treadmill_data(speed_kmh=11.9, total_distance_m=i, incline_pct=1.0, elapsed_s=i)
        for i in range(1000)
    ]
    return rsc, hr, tm


def rate(fn: Callable[[bytes], object], packets: list[bytes], repeat: int) -> float:
    t0 = time.perf_counter()
    for _ in range(repeat):
        for p in packets:
            fn(p)
    return repeat * len(packets) / (time.perf_counter() - t0)


def noop(_p: bytes) -> None:
    return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1500, help="notifications per run")
    parser.add_argument("--rate-hz", type=float, default=50.0)
    parser.add_argument("--repeat", type=int, default=200, help="parser passes over 1000 packets")
    args = parser.parse_args()
    patch_controller_connect_cancel()

    bare = asyncio.run(measure_bare_bleak(args.count, args.rate_hz))
    hub, malformed = asyncio.run(measure_hub(args.count, args.rate_hz))
    print(f"notification latency, {args.count} packets at {args.rate_hz:g} Hz (ms):")
    for label, values in (("bare bleak callback", bare), ("SensorHub -> Sample", hub)):
        p50, p99, worst = percentiles(values)
        print(f"  {label:<22} n={len(values):5d}  p50 {p50:6.2f}  p99 {p99:6.2f}  max {worst:6.2f}")
    print(f"  malformed on the hub: {malformed}")

    rsc, hr, tm = packet_mix()
    print(f"parser throughput, packets/s (best of 3, {args.repeat} x 1000 packets):")
    rows = [
        ("RSC  parse_rsc_measurement", parse_rsc_measurement, rsc),
        ("RSC  naive struct parser", naive_rsc, rsc),
        ("HR   parse_heart_rate", parse_heart_rate, hr),
        ("HR   naive struct parser", naive_hr, hr),
        ("FTMS parse_treadmill_data", parse_treadmill_data, tm),
        ("empty loop (no parse)", noop, rsc),
    ]
    for label, fn, packets in rows:
        best = max(rate(fn, packets, args.repeat) for _ in range(3))
        print(f"  {label:<28} {best:12,.0f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
