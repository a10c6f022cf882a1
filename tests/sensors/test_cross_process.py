"""The Bumble backend over a real HCI transport: controllers in another process, TCP between.

This is the design's cross-process demo setup (``python -m bumble.apps.controllers``):
the central and the peripheral each reach their virtual controller over TCP.
"""

from __future__ import annotations

import asyncio
import socket
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from bumble.host import Host
from bumble.transport import open_transport

from cadence.model.sample import Sample, SensorRole
from cadence.sensors.ble.hub import SensorHub
from cadence.sensors.bumble.backend import BumbleAdapter
from cadence.sensors.bumble.peripherals import VirtualSensor
from cadence.sensors.gatt import RscFlags, RscMeasurement
from support.ble_bed import config, is_sample, next_matching

pytestmark = pytest.mark.ble

POD = "F0:00:00:00:00:01"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def controllers() -> Iterator[tuple[int, int]]:
    ports = free_port(), free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "bumble.apps.controllers"]
        + [f"tcp-server:127.0.0.1:{p}" for p in ports],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield ports
    finally:
        proc.terminate()
        proc.wait(10)


async def connect_when_listening(port: int) -> Any:
    """Open the HCI transport, retrying until the controllers app listens.

    Never probe with a throwaway connection: each tcp-server serves one client.
    """
    async with asyncio.timeout(15):
        while True:
            try:
                return await open_transport(f"tcp-client:127.0.0.1:{port}")
            except OSError:
                await asyncio.sleep(0.1)


async def test_hub_streams_over_tcp_hci_transport(controllers: tuple[int, int]) -> None:
    central_port, peripheral_port = controllers
    transport = await connect_when_listening(peripheral_port)
    pod = VirtualSensor(Host(transport.source, transport.sink), POD, "Pod", [SensorRole.FOOTPOD])
    async with asyncio.timeout(10):
        await pod.start()
    adapter = BumbleAdapter(transport=f"tcp-client:127.0.0.1:{central_port}")
    hub = SensorHub(
        [config(SensorRole.FOOTPOD, POD)],
        clock=asyncio.get_running_loop().time,
        scanner_backend=adapter.scanner_backend,
        client_backend=adapter.client_backend,
        scan_timeout_s=5.0,
    )
    await hub.start()

    async def stream() -> None:
        while True:
            await pod.notify(SensorRole.FOOTPOD, RscMeasurement(RscFlags(4), 3.0, 88).to_bytes())
            await asyncio.sleep(0.05)

    streamer = asyncio.create_task(stream())
    try:
        sample = await next_matching(hub, is_sample(SensorRole.FOOTPOD), 20)
        assert isinstance(sample, Sample) and sample.cadence_spm == 176.0
    finally:
        streamer.cancel()
        await hub.stop()
        await adapter.close()
        await pod.stop()
        await transport.close()
