"""A run that ends while the session file can't be written is kept, not thrown away.

A second process holds ``BEGIN EXCLUSIVE`` on the real session file when the
run ends. The app must not show a summary of an unfinished session: it shows
that the run is not saved yet and keeps trying; the held samples are copied to
a spill file meanwhile. Freed, the run saves by itself and the summary follows.
If the runner quits instead, they are told what is kept where (exit code 1),
and the next start recovers every sample from the spill.
"""

from __future__ import annotations

import asyncio
from itertools import pairwise
from pathlib import Path

from textual.pilot import Pilot

from cadence.model.session import EventKind
from cadence.report.words import duration_text
from cadence.store import spill
from cadence.store.store import Store
from cadence.tui.app import CadenceApp
from cadence.tui.screens.confirm import ConfirmModal
from cadence.tui.screens.save_retry import SaveRetryScreen
from cadence.tui.screens.summary import SummaryScreen
from support.store_faults import LockHolder, damage_in_use, fill, small_disk

from .conftest import SIZE, MakePlan
from .helpers import flat, recording, screen_text


async def _end_run(app: CadenceApp, pilot: Pilot[int]) -> None:
    session = app.session
    assert session is not None
    session.request_end()
    for _ in range(5):  # the coach may ask a last pain question first
        app.advance(1)
        await pilot.pause()
        if session.ended:
            break
        if session.status.pain_prompt_id is not None:
            session.answer_pain(1, session.status.pain_prompt_id)
    assert session.ended


async def _wait_for(pilot: Pilot[int], predicate: object, limit_s: float = 10.0) -> None:
    assert callable(predicate)
    for _ in range(int(limit_s / 0.05)):
        if predicate():
            return
        await asyncio.sleep(0.05)
        await pilot.pause()
    raise AssertionError("the screen never got there")


def _no_gaps(times: list[float], until_s: float) -> None:
    assert times, "no samples stored"
    assert max(b - a for a, b in pairwise(sorted(times))) < 2.0
    assert max(times) >= until_s - 2.0


async def test_a_locked_file_at_the_end_is_retried_until_the_run_saves(
    make_plan: MakePlan, store: Store
) -> None:
    app = CadenceApp(make_plan())
    app.save_retry_s = 0.2
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        session = app.session
        assert session is not None and session.recorder is not None
        recorder = session.recorder
        recorder.flush_timeout_ms = 20
        app.advance(5)
        assert recorder.flush()
        holder = LockHolder(store.path)
        try:
            app.advance(20)
            await _end_run(app, pilot)
            end_s = app.plan.clock.now_s()
            await _wait_for(pilot, lambda: isinstance(app.screen, SaveRetryScreen))
            text = flat(screen_text(app))
            assert "not saved yet" in text and "locked" in text and "Trying again" in text
            assert "Press q to quit now" in text
            kept = spill.read(store.path, recorder.session_id)
            assert kept and kept[0].end_reason is not None, "the held samples were not spilled"
            assert max(row[0] for row in kept[0].samples) >= end_s - 2.0
            await asyncio.sleep(0.5)
            await pilot.pause()
            assert isinstance(app.screen, SaveRetryScreen), "it gave up while still locked"
        finally:
            holder.release()
        await _wait_for(pilot, lambda: isinstance(app.screen, SummaryScreen))

    info = store.session_info(recorder.session_id)
    assert info.ended_at is not None and info.end_reason == "user"
    _no_gaps([s.t_s for s in store.load_session(recorder.session_id).samples], end_s)
    assert spill.read(store.path, recorder.session_id) == []


async def test_quitting_while_locked_says_what_is_kept_and_the_next_start_recovers_it(
    make_plan: MakePlan, store: Store
) -> None:
    app = CadenceApp(make_plan())
    app.save_retry_s = 0.2
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        session = app.session
        assert session is not None and session.recorder is not None
        session.recorder.flush_timeout_ms = 20
        sid = session.recorder.session_id
        holder = LockHolder(store.path)
        try:
            app.advance(15)
            assert not session.recorder.flush()
            await _end_run(app, pilot)
            end_s = app.plan.clock.now_s()
            await _wait_for(pilot, lambda: isinstance(app.screen, SaveRetryScreen))
            await pilot.press("q")
            await _wait_for(pilot, lambda: app.return_code is not None)
        except BaseException:
            holder.release()
            raise
    assert app.return_code == 1
    note = app.exit_note or ""
    kept = spill.read(store.path, sid)
    assert len(kept) == 1 and str(kept[0].path) in note, note
    assert "not in the session file yet" in note and "recover" in note
    holder.release()

    # the next start offers it, counting what only the spill kept, and recovers it
    again = CadenceApp(make_plan())
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(again.screen, ConfirmModal)
        text = flat(screen_text(again))
        assert f"about {duration_text(end_s)}" in text, text
        await pilot.press("y")
        await pilot.pause()
    info = store.session_info(sid)
    assert info.end_reason == "user" and info.duration_s >= end_s - 0.5
    _no_gaps([s.t_s for s in store.load_session(sid).samples], end_s)
    assert not Path(kept[0].path).exists()


async def test_a_quit_mid_run_while_locked_spills_and_says_where(
    make_plan: MakePlan, store: Store
) -> None:
    app = CadenceApp(make_plan())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        session = app.session
        assert session is not None and session.recorder is not None
        session.recorder.flush_timeout_ms = 20
        sid = session.recorder.session_id
        app.advance(5)
        assert session.recorder.flush()
        holder = LockHolder(store.path)
        try:
            app.advance(12)
            quit_s = app.plan.clock.now_s()
            app.exit()  # what ctrl+q does
            await pilot.pause()
        except BaseException:
            holder.release()
            raise
    note = app.exit_note or ""
    kept = spill.read(store.path, sid)
    assert len(kept) == 1 and str(kept[0].path) in note, note
    assert note.startswith("the session file could not be written")
    assert app.exit_code == 1  # the shell learns the run is not saved
    holder.release()
    later = Store.open(store.path)
    try:
        later.recover(sid)
        _no_gaps([s.t_s for s in later.load_session(sid).samples], quit_s)
    finally:
        later.close()


async def test_closing_the_app_while_the_end_is_retried_says_what_is_kept(
    make_plan: MakePlan, store: Store
) -> None:
    app = CadenceApp(make_plan())
    app.save_retry_s = 0.2
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        session = app.session
        assert session is not None and session.recorder is not None
        session.recorder.flush_timeout_ms = 20
        sid = session.recorder.session_id
        holder = LockHolder(store.path)
        try:
            app.advance(10)
            await _end_run(app, pilot)
            await _wait_for(pilot, lambda: isinstance(app.screen, SaveRetryScreen))
            app.exit()  # ctrl+q, not the screen's own q
            await pilot.pause()
        except BaseException:
            holder.release()
            raise
    holder.release()
    note = app.exit_note or ""
    [kept] = spill.read(store.path, sid)
    assert str(kept.path) in note and kept.end_reason == "user"
    assert [i.session_id for i in store.unfinished_sessions()] == [sid]  # free to recover


async def test_a_full_disk_at_the_end_keeps_samples_and_ratings_until_there_is_room(
    make_plan: MakePlan, tmp_path: Path
) -> None:
    with small_disk(tmp_path / "tiny", "600k") as tiny:
        full = Store.open(tiny / "sessions.sqlite3")
        app = CadenceApp(make_plan(store=full))
        app.save_retry_s = 0.2
        try:
            async with app.run_test(size=SIZE) as pilot:
                await pilot.pause()
                session = app.session
                assert session is not None and session.recorder is not None
                recorder = session.recorder
                app.advance(5)
                assert recorder.flush()
                ballast = fill(tiny)
                app.advance(10)
                session.answer_pain(2, None)  # volunteered while nothing can be written
                app.advance(10)
                recorder.flush()
                await _end_run(app, pilot)
                end_s = app.plan.clock.now_s()
                await _wait_for(pilot, lambda: isinstance(app.screen, SaveRetryScreen))
                text = flat(screen_text(app))
                assert "not saved yet" in text and "disk" in text, text
                [kept] = spill.read(full.path, recorder.session_id)
                assert kept.path.parent == tmp_path / "spill-elsewhere"  # off the full disk
                ballast.unlink()
                await _wait_for(pilot, lambda: isinstance(app.screen, SummaryScreen))
            data = full.load_session(recorder.session_id)
            assert data.info.ended_at is not None
            ratings = [e.payload["rating"] for e in data.events if e.kind is EventKind.PAIN]
            assert 2 in ratings
            _no_gaps([s.t_s for s in data.samples], end_s)
            assert spill.read(full.path, recorder.session_id) == []
        finally:
            full.close()


async def test_a_file_damaged_mid_run_is_not_retried_at_the_end(
    make_plan: MakePlan, store: Store
) -> None:
    """Retrying can't mend a damaged file: the screen says how to keep a copy, and q quits."""
    app = CadenceApp(make_plan())
    app.save_retry_s = 0.2
    async with app.run_test(size=SIZE) as pilot:
        _, recorder = await recording(app, pilot)
        assert damage_in_use(store.connection, store.path)
        app.advance(10)
        assert not recorder.flush() and recorder.damaged
        await _end_run(app, pilot)
        await _wait_for(pilot, lambda: isinstance(app.screen, SaveRetryScreen))
        text = flat(screen_text(app))
        assert "can't be used any more" in text and "keep a copy of" in text, text
        assert "Trying again" not in text
        await pilot.press("q")
        await _wait_for(pilot, lambda: app.return_code is not None)
    assert app.exit_code == 1
    [kept] = spill.read(store.path, recorder.session_id)
    assert kept.end_reason == "user" and str(kept.path) in (app.exit_note or "")
