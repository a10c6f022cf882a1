"""What the live app records at a session's start for its exports: UTC offset, body mass."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest

from cadence.export.fit import local_timestamp
from cadence.export.session_context import session_context
from cadence.live.recording import finish_recorder, open_recorder
from cadence.profile.model import Profile


@pytest.fixture
def kolkata(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """This process's local time zone is UTC+05:30 (no daylight saving) while the test runs."""
    monkeypatch.setenv("TZ", "Asia/Kolkata")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def _record(store: Any, profile: Profile) -> int:
    started = datetime(2026, 7, 1, 6, 0, tzinfo=UTC)
    recorder = open_recorder(store, profile, "p", started)
    assert finish_recorder(recorder, None, 60.0)
    return recorder.session_id


def test_the_utc_offset_and_body_mass_are_recorded_at_the_start(
    store: Any, kolkata: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    sid = _record(store, replace(Profile(), body_mass_kg=64.5))
    # exported later somewhere else: the file still says the runner's local time
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    data = store.load_session(sid)
    context = session_context(data)
    assert context.recorded
    assert context.utc_offset_s == 5 * 3600 + 1800
    assert context.body_mass_kg == 64.5
    stop = data.info.started_at
    from garmin_fit_sdk import convert_datetime_to_timestamp

    assert local_timestamp(data, stop) == convert_datetime_to_timestamp(stop) + 19800


def test_no_body_mass_in_the_profile_means_none_recorded(store: Any) -> None:
    data = store.load_session(_record(store, Profile()))
    assert session_context(data).body_mass_kg is None
