"""Fixtures for the BLE tests: a fresh virtual radio per test."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from support.ble_bed import Bench


@pytest.fixture
async def bench() -> AsyncIterator[Bench]:
    b = Bench()
    yield b
    await b.close()
