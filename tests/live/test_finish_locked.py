"""A session ending while another process holds the session file: nothing is thrown away.

``LiveSession.finish`` returns False while the file is locked (a real second
process holding ``BEGIN EXCLUSIVE``), keeps every sample held and spilled, and
a later call, with the same end, writes it all once the lock is gone. With no
screen to wait on (``cadence simulate --db``) the run is spilled and the
command is told in one line where it is.
"""

from __future__ import annotations

import asyncio
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest

from cadence.live.headless import simulate
from cadence.live.recording import open_recorder
from cadence.live.wiring import load
from cadence.store import spill
from cadence.store.db import StoreError
from support.store_faults import LockHolder

from .conftest import TREADMILL, make_session


def test_finish_while_locked_keeps_everything_and_a_retry_writes_it(store: Any) -> None:
    session, clock = make_session(store)
    recorder = session.recorder
    assert recorder is not None
    recorder.flush_timeout_ms = 20

    async def life() -> tuple[bool, bool, bool]:
        await session.start()
        for _ in range(40):
            clock.advance(0.25)
            session.tick()
        with LockHolder(store.path):
            for _ in range(80):
                clock.advance(0.25)
                session.tick()
            session.request_end()
            session.tick()
            first = await session.finish()
            clock.advance(30)  # the retries come later; the end stays where it was
            second = await session.finish()
        return first, second, await session.finish()

    first, second, third = asyncio.run(life())
    assert (first, second, third) == (False, False, True)
    info = store.session_info(recorder.session_id)
    assert info.ended_at is not None and info.duration_s == pytest.approx(30.0, abs=0.3)
    times = sorted(s.t_s for s in store.load_session(recorder.session_id).samples)
    assert times[-1] >= 28.0 and max(b - a for a, b in pairwise(times)) < 2.0
    assert spill.read(store.path, recorder.session_id) == []


def test_a_headless_run_that_cannot_be_saved_says_where_it_is_kept(store: Any,
                                                                   tmp_path: Path) -> None:
    profile, program, name = load(TREADMILL)
    recorder = open_recorder(store, profile, name)
    recorder.flush_timeout_ms = 20
    records = simulate(profile, program.week(profile.program_week), recorder=recorder)
    next(records)
    with LockHolder(store.path), pytest.raises(StoreError) as raised:
        for _ in records:
            pass
    message = str(raised.value)
    [kept] = spill.read(store.path, recorder.session_id)
    assert "locked" in message and str(kept.path) in message and "\n" not in message
    assert [i.session_id for i in store.unfinished_sessions()] == [recorder.session_id]
    store.recover(recorder.session_id)
    assert store.load_session(recorder.session_id).samples
