"""A private PulseAudio daemon (null sink ``metro``) for the whole audio test session."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from support.pulse import PrivatePulse, pulse_missing


@pytest.fixture(scope="session")
def pulse() -> Iterator[PrivatePulse]:
    reason = pulse_missing()
    if reason:
        pytest.skip(reason)
    daemon = PrivatePulse()
    daemon.start()
    try:
        daemon.activate()  # env vars for this process + PortAudio re-scans its devices
        yield daemon
    finally:
        daemon.stop()
