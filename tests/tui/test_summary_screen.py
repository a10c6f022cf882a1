"""The summary screen after a run: today's target, the safety log and the follow-ups.

A session recorded through the real recorder into a real SQLite file, a
readiness check and a follow-up through the programme store, then the screen
on its own in a Pilot app, read back as the terminal shows it.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from textual.app import App

from cadence.coach.actions import Mark, Phase, PhaseChange
from cadence.coach.warning_signs import RedFlag
from cadence.model.sample import Sample, SensorRole
from cadence.programme.records import FollowUp, FollowUpWhen, ReadinessRecord
from cadence.store.events import red_flag_event
from cadence.store.programme import attach_readiness, record_followup, record_readiness
from cadence.store.store import Store
from cadence.tui.screens.summary import SummaryScreen

from .conftest import SIZE
from .helpers import flat, screen_text

T0 = datetime(2026, 11, 2, 7, 0, tzinfo=UTC)


def _week_one_session(store: Store) -> int:
    """Two minutes of running at 166 spm against a 166 target (0 % in the band), a red flag."""
    rec = store.begin_session(profile_name="p", runner_name="Ana", program="protocol-a",
                              program_week=1, started_at=T0, treadmill=False, shoe_name="")
    rec.add_action(0.0, Mark("session_start", {"week": 1, "stage": 1, "baseline_spm": 160.0,
                                                "target_spm": 166.0, "segments": 2}))
    rec.add_action(0.0, PhaseChange(Phase.RUN, 1, 1, 120.0))
    for t in range(121):
        rec.add_sample(Sample(float(t), SensorRole.FOOTPOD, cadence_spm=166.0))
    rec.add_action(120.0, PhaseChange(Phase.COOLDOWN, 0, 1, None))
    rec.add_event(red_flag_event(100.0, RedFlag.NIGHT_PAIN))
    rec.add_pain(130.0, 1, prompt_id=2, when="post_run")
    assert rec.finish("program_done", 140.0)
    return rec.session_id


class _Host(App[None]):
    def __init__(self, store: Store, session_id: int) -> None:
        super().__init__()
        self._screen = SummaryScreen(store, session_id)

    def on_mount(self) -> None:
        self.push_screen(self._screen)


async def _shown(store: Store, session_id: int) -> str:
    app = _Host(store, session_id)
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(3):
            await pilot.pause()
            await app.workers.wait_for_complete()
        await pilot.pause()
        return flat(screen_text(app))


async def test_the_summary_screen_shows_time_at_todays_target(store: Store) -> None:
    text = await _shown(store, _week_one_session(store))
    assert "time in band 170-180: 0 %" in text
    assert "at today's target 166 spm (within 3 spm): 2:00 (100 % of running time)" in text
    assert "1:40 Warning sign: Back pain that wakes you at night" in text


async def test_the_summary_screen_shows_the_check_and_the_follow_ups(store: Store) -> None:
    sid = _week_one_session(store)
    rid = record_readiness(store, ReadinessRecord(T0 - timedelta(minutes=2), 1), "run")
    attach_readiness(store, rid, sid)
    record_followup(store, sid, FollowUp(FollowUpWhen.HOUR, 2, T0 + timedelta(hours=1)))
    record_followup(store, sid, FollowUp(FollowUpWhen.MORNING, 1, T0 + timedelta(hours=24)))
    text = await _shown(store, sid)
    assert "Before the run: 1/10" in text
    assert "an hour after 2/10 (above the pre-run level)" in text
    assert "next morning 1/10" in text


async def test_no_follow_up_yet_says_how_to_give_one(store: Store) -> None:
    text = await _shown(store, _week_one_session(store))
    assert "no follow-ups yet (`cadence checkin`)" in text
