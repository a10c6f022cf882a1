"""Fixtures for the live-shell tests: the real coach, store and simulated runner."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from cadence.live.clock import VirtualClock
from cadence.live.session import LiveSession
from cadence.live.wiring import coach_factory, load
from cadence.profile.loader import ENV_PROFILES_DIR, default_profile_path
from cadence.sensors.simulated import SimulatedSensorSource
from cadence.sim.readout import Readout
from cadence.sim.runner import SimulatedRunner
from cadence.store.store import Store

TREADMILL = str(default_profile_path().parent / "treadmill.yaml")


@pytest.fixture(autouse=True)
def _shipped_profiles(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_PROFILES_DIR, raising=False)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Any]:
    s = Store.open(tmp_path / "sessions.sqlite3")
    yield s
    s.close()


def make_session(store: Any | None, seed: int = 5) -> tuple[LiveSession, VirtualClock]:
    """A session on the treadmill profile with a simulated source, started at t=0."""
    from cadence.live.recording import open_recorder

    profile, program, name = load(TREADMILL)
    clock = VirtualClock()
    recorder = open_recorder(store, profile, name) if store is not None else None
    coach = coach_factory(profile, program)(0.0)
    readout = Readout.following(SimulatedRunner(seed=seed), lambda: coach.status(clock()))
    session = LiveSession(coach, SimulatedSensorSource(readout), clock, recorder=recorder)
    return session, clock
