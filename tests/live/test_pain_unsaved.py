"""``answer_pain`` tells its caller whether the rating is kept on disk.

Real faults: the session file lives on a real 600 kB tmpfs, and the pain
journal's fallback folder is pointed at that same tmpfs, so once the disk is
full before the session begins (no room for the journal's reservation) and then
filled to the last block, nowhere can take a rating. The session must say so
(False) instead of dropping the fact; the coach still gets the rating.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cadence.store.store import Store
from support.store_faults import fill, small_disk

from .conftest import make_session

ROOM_LEFT = 48 * 1024  # less than the journal's reservation, enough to begin a session


def test_a_rating_nowhere_can_take_is_reported_false(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with small_disk(tmp_path / "tiny") as tiny:
        monkeypatch.setenv("CADENCE_FALLBACK_DIR", str(tiny / "fallback"))
        store = Store.open(tiny / "sessions.sqlite3")
        try:
            ballast = fill(tiny)
            os.truncate(ballast, ballast.stat().st_size - ROOM_LEFT)
            session, clock = make_session(store)
            recorder = session.recorder
            assert recorder is not None
            rest = fill(tiny, "ballast-2")  # now not a block is left
            clock.advance(30)
            session.tick()
            assert session.answer_pain(4, None) is False
            assert recorder.problem is not None and "disk full" in recorder.problem
            clock.advance(0.25)
            session.tick()
            assert session.status.last_pain_rating == 4  # the coach still has it
            rest.unlink()
            ballast.unlink()
            assert recorder.flush()  # room again: the held rating goes in with the rest
            ratings = [e.payload["rating"] for e in store.load_session(recorder.session_id).events
                       if e.kind.value == "pain"]
            assert ratings == [4]
        finally:
            store.close()


def test_a_rating_on_a_healthy_disk_is_reported_true(tmp_path: Path) -> None:
    with small_disk(tmp_path / "tiny") as tiny:
        store = Store.open(tiny / "sessions.sqlite3")
        try:
            session, clock = make_session(store)
            clock.advance(30)
            session.tick()
            assert session.answer_pain(4, None) is True
        finally:
            store.close()
