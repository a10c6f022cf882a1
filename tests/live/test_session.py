"""``LiveSession`` with the real coach, a simulated runner and a real SQLite store."""

from __future__ import annotations

import asyncio
from typing import Any

from cadence.coach.actions import AskPain, Phase, StopReason
from cadence.coach.inputs import RedFlag
from cadence.live.recording import finish_recorder
from cadence.live.session import LiveSession
from cadence.model.sample import Sample, SensorRole
from cadence.model.session import EventKind
from cadence.sim.readout import gait_for
from cadence.store.recorder import SessionRecorder

from .conftest import make_session


def _recorder(session: LiveSession) -> SessionRecorder:
    assert session.recorder is not None
    return session.recorder


def _run(session: Any, clock: Any, seconds: float, step_s: float = 0.25) -> list[Any]:
    actions: list[Any] = []
    for _ in range(round(seconds / step_s)):
        clock.advance(step_s)
        actions += session.tick().actions
    return actions


def test_ticks_feed_samples_to_the_coach_and_the_store(store: Any) -> None:
    session, clock = make_session(store)
    assert session.source is not None
    asyncio.run(session.source.start(session.feed))
    _run(session, clock, 5.5 * 60)  # warm-up, then into the first run
    status = session.status
    assert status.phase is Phase.RUN
    assert status.cadence_spm is not None and 140 < status.cadence_spm < 200
    assert session.readings.speed_role is SensorRole.TREADMILL
    assert session.readings.incline_pct == 1.0
    assert gait_for(session.status).value == "run"
    _recorder(session).flush()
    data = store.load_session(_recorder(session).session_id)
    roles = {s.role for s in data.samples}
    assert roles == {SensorRole.FOOTPOD, SensorRole.HEART_RATE, SensorRole.TREADMILL}
    assert any(e.kind is EventKind.PHASE for e in data.events)
    assert any(e.kind is EventKind.SENSOR for e in data.events)


def test_pain_answer_is_on_disk_before_the_next_tick(store: Any) -> None:
    session, clock = make_session(store)
    asked = [a for a in _run(session, clock, 7 * 60) if isinstance(a, AskPain)]
    assert asked, "protocol A asks at the first walk break"
    assert session.answer_pain(3, asked[0].prompt_id) is True
    # durable at once: already committed when answer_pain returns
    pains = [
        e
        for e in store.load_session(_recorder(session).session_id).events
        if e.kind is EventKind.PAIN
    ]
    assert [e.payload["rating"] for e in pains] == [3]
    clock.advance(0.25)
    session.tick()
    assert session.status.running_stopped
    assert gait_for(session.status).value == "walk"


def test_a_volunteered_rating_is_stored_exactly_once(store: Any) -> None:
    """Issue 11: the key handler's write and the coach's echo used to make two rows."""
    session, clock = make_session(store)
    _run(session, clock, 30)
    clock.advance(0.13)  # the key is pressed between two ticks
    session.answer_pain(2, None)
    _run(session, clock, 2)
    session.answer_pain(2, None)  # the same rating again later is a second rating
    _run(session, clock, 2)
    _recorder(session).flush()
    events = store.load_session(_recorder(session).session_id).events
    pains = [e for e in events if e.kind is EventKind.PAIN]
    assert [(e.payload["rating"], e.payload["prompt_id"]) for e in pains] == [(2, None)] * 2
    assert pains[1].t_s - pains[0].t_s > 1.9
    verdicts = [e for e in events
                if e.kind is EventKind.MARK and e.payload.get("kind") == "pain_verdict"]
    assert len(verdicts) == 2


def test_red_flag_then_end_records_the_reason(store: Any) -> None:
    session, clock = make_session(store)
    _run(session, clock, 30)
    session.report_red_flag(RedFlag.EMERGENCY)
    _run(session, clock, 1)
    assert session.status.running_stopped
    session.request_end()
    _run(session, clock, 1)
    if session.status.pain_prompt_id is not None:  # the post-run question
        session.answer_pain(0, session.status.pain_prompt_id)
        _run(session, clock, 1)
    assert session.ended
    assert finish_recorder(_recorder(session), session.end_reason, clock())
    info = store.session_info(_recorder(session).session_id)
    assert session.end_reason is not None
    assert info.end_reason == session.end_reason.value
    assert session.end_reason in (StopReason.EMERGENCY, StopReason.USER)
    events = store.load_session(info.session_id).events
    assert any(e.kind is EventKind.RED_FLAG for e in events)


def test_keys_reach_the_coach_once_per_tick() -> None:
    session, clock = make_session(None)
    _run(session, clock, 10)
    assert session.answer_pain(1, None) is True  # nothing recorded: nothing to lose
    session.toggle_pause()
    _run(session, clock, 0.25)
    assert session.status.paused
    assert gait_for(session.status).value == "stand"
    session.toggle_pause()
    session.toggle_pause()  # pressed twice before a tick: no change
    _run(session, clock, 0.25)
    assert session.status.paused


def test_readings_prefer_the_treadmill_for_speed() -> None:
    session, _clock = make_session(None)
    session.feed(Sample(1.0, SensorRole.FOOTPOD, cadence_spm=160.0, speed_mps=2.5))
    assert session.readings.speed_mps == 2.5
    session.feed(Sample(1.1, SensorRole.TREADMILL, speed_mps=2.8, incline_pct=2.0))
    session.feed(Sample(2.0, SensorRole.FOOTPOD, cadence_spm=162.0, speed_mps=2.4))
    r = session.readings
    assert (r.speed_mps, r.cadence_spm, r.incline_pct) == (2.8, 162.0, 2.0)


def test_start_and_finish_own_the_sensors_the_flushes_and_the_end(store: Any) -> None:
    """``LiveSession`` alone runs a session's life: the source feeds it from ``start``,
    the recorder is flushed in the background, ``finish`` writes the end."""

    async def life() -> tuple[LiveSession, int, int]:
        session, clock = make_session(store)
        seen: list[Any] = []
        session.on_item = seen.append
        await session.start(flush_every_s=0.05)
        for _ in range(40):
            clock.advance(0.25)
            session.tick()
        await asyncio.sleep(0.3)  # a few background flushes
        on_disk = len(store.load_session(_recorder(session).session_id).samples)
        session.request_end()
        while not session.ended:
            clock.advance(0.25)
            session.tick()
        assert await session.finish()
        return session, on_disk, len(seen)

    session, on_disk, seen = asyncio.run(life())
    assert on_disk > 0 and seen > on_disk  # flushed without anyone calling flush()
    info = store.session_info(_recorder(session).session_id)
    assert info.end_reason == StopReason.USER.value
    assert session.finished


def test_abandon_keeps_the_session_recoverable(store: Any) -> None:
    async def quit_midway() -> int:
        session, clock = make_session(store)
        await session.start()
        for _ in range(20):
            clock.advance(0.25)
            session.tick()
        await session.abandon()
        before = session.sample_count
        clock.advance(5)
        session.tick()  # a stopped source reads nothing more
        assert session.sample_count == before
        return _recorder(session).session_id

    session_id = asyncio.run(quit_midway())
    assert store.load_session(session_id).samples  # what was held is on disk
    assert store.session_info(session_id).ended_at is None
