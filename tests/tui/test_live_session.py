"""A demo session on a virtual clock, checked through what the screen shows.

Real coach, real store (SQLite in tmp_path), a seeded simulated runner; only
time is virtual. Each test drives the app with Pilot key presses.
"""

from __future__ import annotations

from typing import Any

from textual.widgets import Digits

from cadence.coach.actions import Phase
from cadence.model.session import EventKind
from cadence.tui.app import CadenceApp
from cadence.tui.screens.confirm import ConfirmModal
from cadence.tui.screens.live import LiveScreen
from cadence.tui.screens.pain_modal import PainModal
from cadence.tui.screens.red_flag import RedFlagModal
from cadence.tui.screens.summary import SummaryScreen

from .conftest import SIZE, MakePlan
from .helpers import advance_until, flat, in_phase, screen_text

WARMUP_END_S = 5 * 60 + 30  # protocol A week 1: a 5-minute warm-up, then the runs


async def test_cadence_number_and_phase_change(make_plan: MakePlan) -> None:
    app = CadenceApp(make_plan())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, LiveScreen)
        app.advance(5)
        await pilot.pause()
        text = screen_text(app)
        assert "WARM-UP" in text
        assert "No audio device found" in text
        assert "footpod connected" in text
        advance_until(app, in_phase(app, Phase.RUN), WARMUP_END_S)
        app.advance(40)
        await pilot.pause()
        text = screen_text(app)
        assert "RUN" in text and "round 1/6" in text
        shown = app.screen.query_one(Digits).value
        reading = app.session.readings.cadence_spm if app.session else None
        assert reading is not None and shown == f"{reading:.0f}"
        assert 140 <= int(shown) <= 200
        assert "heart" in text and "bpm" in text and "incline  1.0 %" in text


async def test_pain_prompt_is_a_modal_that_does_not_stop_the_clock(
    make_plan: MakePlan, store: Any
) -> None:
    app = CadenceApp(make_plan())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        advance_until(app, lambda: isinstance(app.screen, PainModal), 20 * 60)
        await pilot.pause()
        assert "How is your back right now?" in screen_text(app)
        session = app.session
        assert session is not None
        elapsed = session.status.elapsed_s
        app.advance(10)  # nobody answers yet: the session goes on underneath
        await pilot.pause()
        assert session.status.elapsed_s >= elapsed + 9
        assert isinstance(app.screen, PainModal)
        await pilot.press("1")
        await pilot.pause()
        assert isinstance(app.screen, LiveScreen)
        assert session.status.last_pain_rating == 1
        assert session.status.running_stopped is False
        assert app.session_id is not None
        pains = [
            e for e in store.load_session(app.session_id).events if e.kind is EventKind.PAIN
        ]
        assert [e.payload["rating"] for e in pains] == [1]  # on disk at once


async def test_pain_at_three_stops_running_and_says_so(make_plan: MakePlan) -> None:
    app = CadenceApp(make_plan())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        advance_until(app, lambda: isinstance(app.screen, PainModal), 20 * 60)
        await pilot.press("3")
        await pilot.pause()
        app.advance(2)
        await pilot.pause()
        text = flat(screen_text(app))
        assert "Pain 3/10: running stops here for today" in text
        assert "COOL-DOWN" in text
        assert app.session is not None and app.session.status.running_stopped


async def test_volunteered_pain_while_running(make_plan: MakePlan) -> None:
    app = CadenceApp(make_plan())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        advance_until(app, in_phase(app, Phase.RUN), WARMUP_END_S)
        await pilot.press("p")
        assert isinstance(app.screen, PainModal)
        assert "Rate your back pain now" in screen_text(app)
        await pilot.press("4")
        await pilot.pause()
        app.advance(1)
        await pilot.pause()
        assert "Pain 4/10" in flat(screen_text(app))
        # screen and voice agree for 4+ (issue 11)
        assert "get advice from a physiotherapist or doctor before running again" in flat(
            screen_text(app)
        )
        assert app.session is not None and app.session.status.phase is Phase.COOLDOWN


async def test_a_warning_sign_after_a_pain_stop_is_shown(make_plan: MakePlan) -> None:
    """Issue 11: safety lines were dropped from the screen once running had stopped."""
    app = CadenceApp(make_plan())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        advance_until(app, in_phase(app, Phase.RUN), WARMUP_END_S)
        await pilot.press("p")
        await pilot.pause()
        await pilot.press("3")
        await pilot.pause()
        app.advance(2)
        await pilot.pause()
        assert app.session is not None and app.session.status.running_stopped
        await pilot.press("r", "4")  # leg symptoms (the menu lists the most urgent first)
        await pilot.pause()
        app.advance(1)
        await pilot.pause()
        assert "have a physiotherapist or doctor check it" in flat(screen_text(app))


async def test_red_flag_leg_symptoms_shows_advice(make_plan: MakePlan) -> None:
    app = CadenceApp(make_plan())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        advance_until(app, in_phase(app, Phase.RUN), WARMUP_END_S)
        await pilot.press("r")
        assert isinstance(app.screen, RedFlagModal)
        text = flat(screen_text(app))
        assert "spreading down a leg" in text and "bladder or bowel" in text
        for sign in ("feels weak", "wakes you at night", "fall or blow", "Chest pain",
                     "faint or dizzy"):  # the full list (issue 11)
            assert sign in text
        await pilot.press("4")
        await pilot.pause()
        text = flat(screen_text(app))
        assert "checked by a physiotherapist or doctor" in text
        assert app.session is not None and app.session.status.running_stopped


async def test_red_flag_emergency_says_emergency_department_now(make_plan: MakePlan) -> None:
    """Issue 11: an emergency ends the session; its instruction stays on top of the summary."""
    app = CadenceApp(make_plan())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.advance(30)
        await pilot.press("r", "1")  # the emergency signs come first
        await pilot.pause()
        for _ in range(3):
            await app.workers.wait_for_complete()
            await pilot.pause()
        text = flat(screen_text(app))
        assert "emergency department" in text and "emergency number now" in text
        assert "urgent care" not in text
        assert "Warning sign: Numbness between the legs" in text  # plain words, not an id
        assert app.session is not None and app.session.ended
        assert app.session.end_reason is not None and app.session.end_reason.value == "emergency"


async def test_red_flag_escape_changes_nothing(make_plan: MakePlan) -> None:
    app = CadenceApp(make_plan())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.advance(30)
        await pilot.press("r", "escape")
        await pilot.pause()
        assert isinstance(app.screen, LiveScreen)
        assert app.session is not None and not app.session.status.running_stopped


async def test_keys_nudge_mute_and_pause(make_plan: MakePlan) -> None:
    app = CadenceApp(make_plan())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        session = app.session
        assert session is not None
        advance_until(app, lambda: isinstance(app.screen, PainModal), 15 * 60)
        await pilot.press("0")  # the walk-break question first
        advance_until(
            app, lambda: session.status.phase is Phase.RUN and session.status.metronome_on, 15 * 60
        )
        await pilot.pause()
        before = session.status.tempo_spm
        assert before is not None
        await pilot.press("plus")
        await pilot.pause()
        assert session.status.tempo_spm == before + 2
        assert f"metronome  {before + 2:.0f} bpm" in screen_text(app)
        await pilot.press("minus", "minus")
        await pilot.pause()
        assert session.status.tempo_spm == before - 2
        await pilot.press("m")
        await pilot.pause()
        assert session.status.muted
        await pilot.press("space")
        await pilot.pause()
        assert "PAUSED" in screen_text(app)
        elapsed = session.status.elapsed_s
        app.advance(20)
        assert session.status.elapsed_s == elapsed  # the session clock stands still
        await pilot.press("space")
        app.advance(5)
        assert session.status.elapsed_s > elapsed


async def test_tap_tempo_gives_a_cadence_without_a_footpod(make_plan: MakePlan) -> None:
    """With no sensor cadence, footfall taps feed the coach's estimate on screen."""
    app = CadenceApp(make_plan(make_source=lambda status: _NoSensors()))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for _ in range(24):  # 0.4 s apart: 150 steps per minute
            await pilot.press("t")
            await pilot.pause()
            app.advance(0.4, 0.4)
        app.advance(3)  # the burst ends after a short gap
        await pilot.pause()
        shown = app.screen.query_one(Digits).value
        assert shown.isdigit() and abs(int(shown) - 150) <= 3
        assert "estimate" in screen_text(app)


async def test_quit_with_confirm_shows_summary_export_and_history(
    make_plan: MakePlan, tmp_path: Any
) -> None:
    app = CadenceApp(make_plan())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        advance_until(app, in_phase(app, Phase.RUN), WARMUP_END_S)
        app.advance(50)
        await pilot.press("q")
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("n")
        assert isinstance(app.screen, LiveScreen)
        await pilot.press("q", "y")
        await pilot.pause()
        # the coach may ask one last pain question before it ends the session
        if isinstance(app.screen, PainModal):
            await pilot.press("0")
        app.advance(2)
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        await app.workers.wait_for_complete()
        await pilot.pause()
        text = flat(screen_text(app))
        assert "summary" in text and "average running cadence" in text
        assert "ended by you" in text
        await pilot.press("e", "c")
        await app.workers.wait_for_complete()
        await pilot.pause()
        folder = tmp_path / "data" / "exports"
        exported = [p for p in folder.glob("*.csv") if not p.name.endswith("-events.csv")]
        assert len(exported) == 1 and exported[0].stat().st_size > 0
        assert (folder / f"{exported[0].stem}-events.csv").stat().st_size > 0
        assert str(exported[0]) in flat(screen_text(app)).replace(" ", "") or "written:" in text
        await pilot.press("h")
        await app.workers.wait_for_complete()
        await pilot.pause()
        text = screen_text(app)
        assert "Past sessions" in text and "protocol-a w1" in text


class _NoSensors:
    """A source with nothing connected (the runner taps instead)."""

    async def start(self, sink: Any) -> None:
        return None

    async def stop(self) -> None:
        return None

    def pump(self, now_s: float) -> None:
        return None


async def test_an_unanswered_prompt_closes_with_its_modal(make_plan: MakePlan) -> None:
    app = CadenceApp(make_plan())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        advance_until(app, lambda: isinstance(app.screen, PainModal), 20 * 60)
        app.advance(40)  # nobody answers: the coach closes the prompt, the modal goes
        await pilot.pause()
        assert isinstance(app.screen, LiveScreen)
        assert app.session is not None and app.session.status.pain_prompt_id is None


async def test_a_hidden_prompt_can_still_be_answered(make_plan: MakePlan) -> None:
    app = CadenceApp(make_plan())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        advance_until(app, lambda: isinstance(app.screen, PainModal), 20 * 60)
        await pilot.press("escape")  # hidden, but still open: the banner says so
        await pilot.pause()
        assert "press 0-9 any time to answer" in flat(screen_text(app))
        assert app.session is not None and app.session.status.pain_prompt_id is not None
        await pilot.press("2")
        await pilot.pause()
        assert app.session.status.last_pain_rating == 2
        assert app.session.status.pain_prompt_id is None


async def test_the_pain_question_names_the_profiles_own_stop_level(make_plan: MakePlan) -> None:
    """Issue 11: the prompt said "3 or more" whatever the profile's stop_at was."""
    from dataclasses import replace

    from cadence.live.wiring import coach_factory, load

    from .conftest import PROFILES

    prof, program, _ = load(str(PROFILES / "treadmill.yaml"))
    strict = replace(prof, pain_stop_rating=2)
    plan = replace(make_plan(), profile=strict, make_coach=coach_factory(strict, program))
    app = CadenceApp(plan)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        advance_until(app, lambda: isinstance(app.screen, PainModal), 20 * 60)
        await pilot.pause()
        text = flat(screen_text(app))
        assert "2 or more stops running for today" in text and "3 or more" not in text


async def test_what_the_banner_says_is_what_the_keys_do(make_plan: MakePlan) -> None:
    """Issue 11: "still open: press 0-9" stayed after the question closed, digits ignored."""
    app = CadenceApp(make_plan())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        advance_until(app, lambda: isinstance(app.screen, PainModal), 20 * 60)
        await pilot.press("escape")
        await pilot.pause()
        assert "still open: press 0-9" in flat(screen_text(app))
        app.advance(35)  # the coach closes the unanswered question
        await pilot.pause()
        text = flat(screen_text(app))
        assert "still open" not in text and "has closed. Press p" in text


async def test_esc_on_the_after_session_question_ends_at_once(make_plan: MakePlan) -> None:
    """Issue 11: Esc waited out the 60 s question and added it to the last phase."""
    app = CadenceApp(make_plan())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        advance_until(app, lambda: isinstance(app.screen, PainModal), 20 * 60)
        await pilot.press("0")
        app.advance(20)
        await pilot.press("q", "y")
        await pilot.pause()
        assert isinstance(app.screen, PainModal)
        session = app.session
        assert session is not None
        asked_at = app.plan.clock.now_s()
        await pilot.press("escape")
        await pilot.pause()
        app.advance(1)
        await pilot.pause()
        assert session.ended
        assert app.plan.clock.now_s() - asked_at < 5


async def test_ten_can_be_entered(make_plan: MakePlan) -> None:
    """Issue 11: the scale is 0-10 everywhere; the modal had keys for 0-9 only."""
    app = CadenceApp(make_plan())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        advance_until(app, lambda: isinstance(app.screen, PainModal), 20 * 60)
        await pilot.pause()
        assert "t for 10" in flat(screen_text(app))
        await pilot.press("t")
        await pilot.pause()
        app.advance(1)
        await pilot.pause()
        assert app.session is not None and app.session.status.last_pain_rating == 10
        assert app.session.status.running_stopped


async def test_rising_pain_offers_the_walk_and_w_takes_it(
    make_plan: MakePlan, store: Any
) -> None:
    """1 then 2: the banner names the key, and w turns the next run into a walk."""
    app = CadenceApp(make_plan())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        advance_until(app, in_phase(app, Phase.RUN), WARMUP_END_S)
        for rating in ("1", "2"):
            await pilot.press("p")
            await pilot.press(rating)
            await pilot.pause()
            app.advance(1)
            await pilot.pause()
        assert "Press w to walk it." in flat(screen_text(app))
        await pilot.press("w")
        await pilot.pause()
        app.advance(1)
        await pilot.pause()
        assert app.session is not None and app.session.recorder is not None
        assert app.session_id is not None
        app.session.recorder.flush()
        marks = [e.payload.get("kind") for e in store.load_session(app.session_id).events
                 if e.kind is EventKind.MARK]
        assert "walk_next_run" in marks
