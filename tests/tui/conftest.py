"""Fixtures for the TUI tests: a whole demo session on a virtual clock.

The app gets the real coach (from the shipped treadmill profile: protocol A
week 1), a seeded simulated runner stepped by the session clock (no BLE, so
tests are fast and repeatable), no audio and a real SQLite store in
``tmp_path``. Time moves only when a test calls ``app.advance(seconds)``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from cadence.live.clock import VirtualClock
from cadence.live.plan import NO_AUDIO_NOTE, SessionPlan, StatusSource
from cadence.live.wiring import coach_factory, load
from cadence.profile.loader import ENV_PROFILES_DIR, default_profile_path
from cadence.sensors.source import SensorSource, simulated_source
from cadence.sim.readout import Readout
from cadence.sim.runner import SimulatedRunner
from cadence.store.paths import ENV_DATA_DIR
from cadence.store.store import Store

PROFILES = default_profile_path().parent
STARTED_AT = datetime(2026, 11, 21, 7, 30, 0, tzinfo=UTC)
SIZE = (120, 40)


@pytest.fixture(autouse=True)
def _isolated_dirs(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Shipped profiles from the repository; data (store, exports) in ``tmp_path``."""
    monkeypatch.delenv(ENV_PROFILES_DIR, raising=False)
    monkeypatch.setenv(ENV_DATA_DIR, str(tmp_path / "data"))
    monkeypatch.setenv("TZ", "UTC")  # the summary shows local wall time
    time.tzset()


MakePlan = Callable[..., SessionPlan]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Any]:
    s = Store.open(tmp_path / "sessions.sqlite3")
    yield s
    s.close()


@pytest.fixture
def make_plan(store: Any) -> MakePlan:
    def make(profile: str = "treadmill.yaml", seed: int = 3, **overrides: Any) -> SessionPlan:
        prof, program, name = load(str(PROFILES / profile))

        def source(status: StatusSource) -> SensorSource:
            return simulated_source(Readout.following(SimulatedRunner(seed=seed), status))

        fields: dict[str, Any] = {
            "profile": prof,
            "make_coach": coach_factory(prof, program),
            "make_source": source,
            "clock": VirtualClock(),
            "audio_note": NO_AUDIO_NOTE,
            "store": store,
            "profile_name": name,
            "title": "cadence  ·  test session",
            "auto_tick": False,
            "started_at": STARTED_AT,
        }
        fields.update(overrides)
        return SessionPlan(**fields)

    return make

