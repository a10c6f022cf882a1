"""A confirmed pain rating that truly can't be written is on screen at once.

Real faults: the session file is on a real 600 kB tmpfs with the pain journal's
fallback folder on it too; the disk is nearly full before the run (no room for
the journal's reservation) and full to the last block once it is under way.
The runner rates their pain with the keys: the store line must say, before any
tick, that this rating was not saved and what to do. On a healthy disk it must
say nothing.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cadence.store.store import Store
from cadence.tui.app import CadenceApp
from cadence.tui.screens.pain_modal import PainModal
from support.store_faults import fill, small_disk

from .conftest import SIZE, MakePlan
from .helpers import flat, screen_text

ROOM_LEFT = 48 * 1024  # less than the journal's reservation, enough to begin a session


async def _rate(app: CadenceApp, pilot: object, rating: int) -> None:
    from textual.pilot import Pilot

    assert isinstance(pilot, Pilot)
    await pilot.press("p")
    await pilot.pause()
    assert isinstance(app.screen, PainModal)
    await pilot.press(str(rating))
    await pilot.pause()


async def test_a_rating_nowhere_can_take_is_shown_at_once(
    make_plan: MakePlan, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with small_disk(tmp_path / "tiny") as tiny:
        monkeypatch.setenv("CADENCE_FALLBACK_DIR", str(tiny / "fallback"))
        full = Store.open(tiny / "sessions.sqlite3")
        ballast = fill(tiny)
        os.truncate(ballast, ballast.stat().st_size - ROOM_LEFT)
        app = CadenceApp(make_plan(store=full))
        try:
            async with app.run_test(size=SIZE) as pilot:
                await pilot.pause()
                session = app.session
                assert session is not None and session.recorder is not None
                app.advance(20)
                rest = fill(tiny, "ballast-2")
                clock_before = app.plan.clock.now_s()
                await _rate(app, pilot, 6)
                assert app.plan.clock.now_s() == clock_before  # no tick in between
                text = flat(screen_text(app))
                assert "Session file: your pain rating 6 could NOT be saved" in text, text
                assert "note it down" in text
                assert session.status.last_pain_rating == 6  # it still counts today
                assert len(app._notifications) == 0
                app.advance(3)
                await pilot.pause()
                assert "rating 6 could NOT be saved" in flat(screen_text(app))  # it stays
                rest.unlink()
                ballast.unlink()
                assert session.recorder.flush()  # room again: the held rating is written
                app.advance(0.25, 0.25)
                await pilot.pause()
                assert "Session file:" not in screen_text(app)
            ratings = [e.payload["rating"] for e in full.load_session(session.recorder.session_id)
                       .events if e.kind.value == "pain"]
            assert ratings == [6]
        finally:
            full.close()


async def test_a_saved_rating_shows_no_store_line(make_plan: MakePlan, store: Store) -> None:
    app = CadenceApp(make_plan())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.advance(20)
        await _rate(app, pilot, 6)
        assert "Session file:" not in screen_text(app)
        session = app.session
        assert session is not None and session.recorder is not None
        ratings = [e.payload["rating"] for e in store.load_session(session.recorder.session_id)
                   .events if e.kind.value == "pain"]
        assert ratings == [6]
