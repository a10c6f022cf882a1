"""The Textual app: shows one ``LiveSession`` and forwards the runner's keys, then the summary.

The session owns its lifecycle (``cadence.live.session``: sensors, coach,
recorder, metronome; ``cadence.live.plan.open_session`` builds it). The app is
only the event loop it runs on: it starts the session once the live screen is
up, ticks it on a timer, shows each tick and each sensor reading, and asks it
to finish (or to abandon on a quit). Screens get values (attributes down) and
send the runner's keys back as messages (messages up).
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import math
import time
from collections.abc import Callable

from textual import on, work
from textual.app import App
from textual.timer import Timer

from cadence.live.beats import BeatFeed
from cadence.live.clock import VirtualClock
from cadence.live.plan import NO_TREADMILL_NOTE, SessionPlan, open_session
from cadence.live.session import LiveSession, TickResult
from cadence.sensors.source import SensorItem
from cadence.tui.messages import ReadingsChanged
from cadence.tui.screens.live import LiveScreen
from cadence.tui.widgets.store_status import StoreStatusLine

#: With audio on, the heap is frozen once the screen is up and again after the
#: sensors have connected: a full garbage collection over the start-up objects
#: (imports, Textual, the BLE stack) takes ~80 ms with the GIL held, long enough
#: for the audio callback to miss its 40 ms deadline and the stream to underrun
#: (measured: scripts/bench/demo.py). Frozen objects are skipped by later collections.
FREEZE_HEAP_AFTER_S = 5.0
#: the extra tick at a phase change comes this long after it (never a hair before)
SWITCH_TICK_AFTER_S = 0.005
#: the beat indicator's wake-ups are never further apart than this (a tempo change, a
#: resumed session or a clock jump is seen this soon)
MAX_BEAT_WAIT_S = 0.25


class CadenceApp(App[int]):
    CSS_PATH = "app.tcss"
    TITLE = "cadence"
    ENABLE_COMMAND_PALETTE = False

    def __init__(self, plan: SessionPlan) -> None:
        super().__init__()
        self.plan = plan
        self.session: LiveSession | None = None
        self.session_id: int | None = None
        self.live_screen: LiveScreen | None = None
        self._session_timers: list[Timer] = []
        self._beat_wake: asyncio.TimerHandle | None = None  # the next beat's wake-up
        self.beat_feed = BeatFeed(
            plan.metronome,
            plan.clock.from_monotonic,
            accent_every=plan.profile.metronome.accent_every,
        )
        self._finishing = False
        self._switch_due_s: float | None = None
        self._store_error: str | None = None
        #: pain ratings confirmed on screen that neither the file nor the journal took
        self._unsaved_ratings: tuple[int, ...] = ()
        #: one line for the shell to print after the app has closed (a store problem at
        #: start, or what a quit kept and where); it always means a non-zero ``exit_code``
        self.exit_note: str | None = None
        self.save_retry_s = 2.0  # how often a failed end-of-run write is tried again
        #: called with a sensor item's session time once the screen showing it is drawn (bench)
        self.latency_probe: Callable[[float], None] | None = None

    # ----- start ---------------------------------------------------------------------------------
    def on_mount(self) -> None:
        from cadence.tui.recovery import offer_recovery

        if self.plan.store is not None and self.plan.offer_recovery:
            offer_recovery(self, self.plan.store, then=self.check_readiness)
        else:
            self.check_readiness()

    def check_readiness(self) -> None:
        """Today's plan and the readiness check first (``tui.readiness_flow``)."""
        from cadence.tui.readiness_flow import ask

        ask(self, self.plan, then=self.start_session, on_store_error=self.stop_for_store)

    def start_session(self, check_id: int | None = None) -> None:
        from cadence.store.db import StoreError

        plan = self.plan
        try:
            self.session = open_session(plan, on_item=self._on_sensor_item)
            self.session_id = self.session.session_id
            if check_id is not None and plan.store is not None and self.session_id is not None:
                from cadence.store.programme import attach_readiness

                attach_readiness(plan.store, check_id, self.session_id)
        except StoreError as exc:
            self.stop_for_store(exc)
            return
        self.live_screen = LiveScreen(
            plan.title, plan.audio_note, plan.profile.metronome.accent_every,
            belt_note=self._belt_note(),
        )
        self.push_screen(self.live_screen, wait_for_dismiss=False)
        self.call_after_refresh(self._begin)

    def _belt_note(self) -> str:
        """Said on screen when the profile turns treadmill control on but there is no treadmill."""
        wants_belt = self.plan.profile.treadmill_control.control
        if wants_belt and self.session is not None and self.session.belt is None:
            return NO_TREADMILL_NOTE
        return ""

    def _begin(self) -> None:
        """Once the live screen is up: the session starts, the timers and the first tick."""
        plan = self.plan
        self._start_session()
        if plan.metronome is not None:
            gc.freeze()  # everything loaded so far
            self.set_timer(FREEZE_HEAP_AFTER_S, gc.freeze)  # and the connected sensors
        if plan.auto_tick:
            self._session_timers = [self.set_interval(plan.tick_s, self.tick)]
            self._beats_on_time()
        self.tick()

    @work(group="sensors", exclusive=True, exit_on_error=False)
    async def _start_session(self) -> None:
        session = self.session
        if session is not None:
            # with the timers off (tests), nothing flushes behind the test's back
            await session.start(flush_every_s=self.plan.flush_s if self.plan.auto_tick else None)

    def _on_sensor_item(self, item: SensorItem) -> None:
        """The session took a sensor item in: redraw the readings."""
        self.post_message(ReadingsChanged(item.t_s))

    def stop_for_store(self, exc: Exception) -> None:
        """The store failed before the run began: close with its one line and exit code 2."""
        from cadence.store.write_check import advice

        store = self.plan.store
        self.exit_note = f"error: {advice(store.path, exc) if store is not None else exc}"
        self.exit(None, return_code=2)

    # ----- the clock -----------------------------------------------------------------------------
    def tick(self) -> None:
        session = self.session
        if session is None or session.ended:
            return
        result = session.tick()
        if session.belt is not None:
            self._tick_at_switch(result)
        if self.live_screen is not None:
            self.live_screen.show_tick(result)
            if self.plan.metronome is not None:  # the sound server gone, or finding the beat
                self.live_screen.show_sound(self.plan.metronome.sound.message)
        self._show_store_problem(session)
        if result.ended:
            self._finish()

    def _tick_at_switch(self, result: TickResult) -> None:
        """With treadmill control, one extra tick at the next phase change itself.

        Why: the belt command goes out with the tick that sees the change, and
        the regular tick may come up to ``tick_s`` later; the target is the
        command written within 0.5 s of the change (design.md).
        """
        s = result.status
        if s.phase_left_s is None or s.paused or not self.plan.auto_tick:
            return
        due_s = result.now_s + s.phase_left_s
        delay_s = self.plan.clock.to_monotonic(due_s) - time.monotonic()
        if 0.0 < delay_s <= self.plan.tick_s and due_s != self._switch_due_s:
            self._switch_due_s = due_s
            self.set_timer(delay_s + SWITCH_TICK_AFTER_S, self.tick)

    def _show_store_problem(self, session: LiveSession) -> None:
        """A failing disk is shown on one line, updated in place; the recorder keeps the data."""
        recorder = session.recorder
        if recorder is None or self.live_screen is None:
            return
        problem = recorder.problem
        if problem is not None or self._store_error is not None:
            self._store_error = problem
            line = self._store_line()
            if line is not None:
                line.damaged = recorder.damaged
            self.live_screen.show_store_problem(problem, recorder.held_span_s())
        if self._unsaved_ratings and problem is None:  # written after all, with the rest
            self._unsaved_ratings = ()
            self._show_unsaved_ratings()

    def poll_beats(self) -> None:
        session, screen = self.session, self.live_screen
        if session is None or screen is None or session.ended:
            return
        s = session.status
        index, lit = self.beat_feed.poll(
            self.plan.clock(), s.tempo_spm, s.metronome_on and not s.paused
        )
        screen.show_beat(index, lit)

    def _beats_on_time(self) -> None:
        """Show the beat, then wake again when the next one is due (not at a fixed rate).

        A plain loop callback rather than a Textual timer: it runs about twice a
        beat for the whole session, and a timer's task costs more per wake-up.
        """
        self._beat_wake = None
        session = self.session
        if session is None or session.ended or self._finishing:
            return
        self.poll_beats()
        s = session.status
        clock = self.plan.clock
        due_s = self.beat_feed.next_poll_s(clock(), s.tempo_spm, s.metronome_on and not s.paused)
        delay_s = min(max(clock.to_monotonic(due_s) - time.monotonic(), 0.0), MAX_BEAT_WAIT_S)
        self._beat_wake = asyncio.get_running_loop().call_later(delay_s, self._beats_on_time)

    def advance(self, seconds: float, step_s: float = 1.0) -> None:
        """Move a virtual clock on, ticking the session as the timers would (tests)."""
        clock = self.plan.clock
        if not isinstance(clock, VirtualClock):
            raise TypeError("advance() needs a VirtualClock")
        for _ in range(max(1, math.ceil(seconds / step_s - 1e-9))):
            if self.session is None or self.session.ended:
                break
            clock.advance(step_s)
            self.tick()
        self.poll_beats()

    # ----- messages up from the live screen ------------------------------------------------------
    @on(ReadingsChanged)
    def _readings(self, message: ReadingsChanged) -> None:
        session = self.session
        if self.live_screen is not None and session is not None:
            # the session's newest values, not the message's: a tick may have run since
            self.live_screen.show_readings(session.readings, tuple(session.links.values()))
            if self.latency_probe is not None:
                self.call_after_refresh(self.latency_probe, message.item_t_s)

    @on(LiveScreen.PainGiven)
    def _pain(self, message: LiveScreen.PainGiven) -> None:
        if self.session is not None:
            if not self.session.answer_pain(message.rating, message.prompt_id):
                self._unsaved_ratings += (message.rating,)
                self._show_unsaved_ratings()  # at once, before the tick
            self.tick()

    def _show_unsaved_ratings(self) -> None:
        """Ratings nowhere could take, on the store line."""
        line = self._store_line()
        if line is not None:
            line.unsaved_ratings = self._unsaved_ratings

    def _store_line(self) -> StoreStatusLine | None:
        """The live screen's store line, if it is up."""
        from textual.css.query import NoMatches

        if self.live_screen is None:
            return None
        try:
            return self.live_screen.query_one(StoreStatusLine)
        except NoMatches:  # the screen is being torn down
            return None

    @on(LiveScreen.RedFlagGiven)
    def _red_flag(self, message: LiveScreen.RedFlagGiven) -> None:
        if self.session is not None:
            self.session.report_red_flag(message.flag)
            self.tick()

    @on(LiveScreen.TempoNudged)
    def _nudge(self, message: LiveScreen.TempoNudged) -> None:
        if self.session is not None:
            self.session.nudge(message.direction * self.plan.nudge_step_spm)
            self.tick()

    @on(LiveScreen.MuteToggled)
    def _mute(self) -> None:
        if self.session is not None:
            self.session.toggle_mute()
            self.tick()

    @on(LiveScreen.Tapped)
    def _tap(self) -> None:
        if self.session is not None:
            self.session.tap()

    @on(LiveScreen.PauseToggled)
    def _pause(self) -> None:
        if self.session is not None:
            self.session.toggle_pause()
            self.tick()

    @on(LiveScreen.WalkNextRun)
    def _walk_next(self) -> None:
        if self.session is not None:
            self.session.walk_next_run()
            self.tick()

    @on(LiveScreen.BeltHeld)
    def _hold_belt(self) -> None:
        if self.session is not None:
            self.session.hold_belt()
            self.tick()

    @on(LiveScreen.BeltGivenBack)
    def _belt_back(self) -> None:
        if self.session is not None:
            self.session.give_belt_back()
            self.tick()

    @on(LiveScreen.EndRequested)
    def _end(self) -> None:
        if self.session is not None:
            self.session.request_end()
            self.tick()

    # ----- the end -------------------------------------------------------------------------------
    def _finish(self) -> None:
        if self._finishing:
            return
        self._finishing = True
        for timer in self._session_timers:
            timer.stop()
        if self._beat_wake is not None:
            self._beat_wake.cancel()
            self._beat_wake = None
        self._stop_parts()

    @work(group="shutdown", exclusive=True, exit_on_error=False)
    async def _stop_parts(self) -> None:
        from cadence.tui.screens.summary import SummaryScreen

        session = self.session
        if session is not None:
            saved = await session.finish()
            if not saved:
                saved = await self._wait_until_saved(session)
            if not saved:
                return
            if self.plan.store is not None and self.plan.today is not None:
                from datetime import datetime

                from cadence.store.db import StoreError
                from cadence.store.programme import keep_first_cadence

                with contextlib.suppress(StoreError):  # the summary says if the file failed
                    keep_first_cadence(self.plan.store, self.plan.profile,
                                       datetime.now().astimezone())
        while len(self.screen_stack) > 1 and self.screen is not self.live_screen:
            self.pop_screen()
        if self.plan.store is not None and self.session_id is not None:
            await self.switch_screen(SummaryScreen(self.plan.store, self.session_id))
        else:
            self.exit(0)

    async def _wait_until_saved(self, session: LiveSession) -> bool:
        """The end could not be written: retry on a screen of its own until it is, or
        the runner quits (told what is kept where; exit code 1)."""
        from cadence.tui.screens.save_retry import SaveRetryScreen, kept_text

        while len(self.screen_stack) > 1 and self.screen is not self.live_screen:
            self.pop_screen()
        if await self.push_screen_wait(SaveRetryScreen(session, self.save_retry_s)):
            return True
        if session.recorder is not None:
            kept = kept_text(session.recorder)
            self.exit_note = f"the run is not in the session file yet: {kept}"
        self.exit(None, return_code=1)
        return False

    @property
    def exit_code(self) -> int:
        """The command's exit code: 1 whenever something is left unwritten (``exit_note``).

        Why not only ``return_code``: a quit (ctrl+q) mid-run exits with 0, and only
        while the app unmounts does it learn that the session file could not take
        what was held; the runner's shell must still see that the run is not saved.
        """
        code = self.return_code or 0
        return 1 if code == 0 and self.exit_note is not None else code

    async def on_unmount(self) -> None:
        """Quit mid-session (ctrl+q): the session stops its sensors and writes what is held.

        It stays unfinished, so the next start offers to recover it. If the store can't
        take what is held (mid-run, or a quit while the end was being retried), it is
        spilled to a file, and the shell says where.
        """
        session = self.session
        if session is None or session.saved or self.exit_note is not None:
            return
        if self._finishing:
            if not session.finished:
                return  # the end is on its way; nothing was left held
            from cadence.store.recorder_status import RecorderHealth

            recorder = session.recorder
            if recorder is None:
                return
            recorder.leave_for_recovery()  # waits for a write under way
            if recorder.health is RecorderHealth.FINISHED:
                return
        elif await session.abandon():
            return
        if session.recorder is not None:
            from cadence.tui.screens.save_retry import kept_text

            kept = kept_text(session.recorder)
            self.exit_note = f"the session file could not be written: {kept}"
