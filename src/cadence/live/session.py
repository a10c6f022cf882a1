"""One live session: the loop between the sensors, the coach, the metronome and the store.

``LiveSession`` owns the whole life of a session, on any clock:

- ``start()`` connects the sensor source (its sink is ``feed``) and starts
  flushing the recorder in a worker thread;
- ``tick(now_s)`` gathers everything since the previous tick (samples, keys)
  into a coach ``Inputs``, pumps a clock-driven source, steps the pure coach,
  carries the actions out on the metronome (command methods only), records
  actions, and returns what a screen needs;
- ``finish()`` after the coach has ended: stops the sensors, silences the
  metronome, writes the session's end. If the store can't be written it returns
  False and the recorder keeps everything (in memory and a spill file); calling
  ``finish()`` again retries the write, with the same end. ``abandon()`` on a
  quit mid-session stops the sensors and writes what is held (or spills it),
  leaving the session recoverable.

Between ticks a shell hands it what the runner pressed (``tap``,
``answer_pain``, ``nudge``...). ``cadence run``/``demo`` drive it from the
Textual app's timers (``cadence.tui.app``), ``cadence simulate`` from a virtual
clock (``cadence.live.headless``). No Textual here.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from cadence.coach.actions import Action, AskPain, Countdown, SessionEnded, StopReason
from cadence.coach.inputs import Inputs, PainAnswer, RedFlag
from cadence.coach.plan import Segment
from cadence.coach.status import CoachStatus
from cadence.coach.treadmill_plan import BeltAction, SwitchAhead
from cadence.live.actions_apply import MetronomeCommands, apply_to_metronome, play_cue
from cadence.live.belt import BeltSession, BeltView
from cadence.live.recording import finish_recorder
from cadence.model.link import SensorStatus
from cadence.model.sample import Sample, SensorRole
from cadence.model.treadmill import TreadmillEventKind
from cadence.sensors.source import SensorItem, SensorSource
from cadence.store.events import red_flag_event

if TYPE_CHECKING:
    from cadence.store.recorder import SessionRecorder

logger = logging.getLogger(__name__)


class CoachLike(Protocol):
    """What the session needs from ``cadence.coach.engine.Coach``."""

    def step(self, now_s: float, inputs: Inputs) -> list[Action]: ...

    def status(self, now_s: float) -> CoachStatus: ...

    @property
    def plan(self) -> Sequence[Segment]: ...


@dataclass(frozen=True, slots=True)
class Readings:
    """The latest value of each measurement, for the screen."""

    cadence_spm: float | None = None  # the sensor's own reading, steps per minute
    cadence_t_s: float | None = None
    speed_mps: float | None = None
    distance_m: float | None = None
    incline_pct: float | None = None
    hr_bpm: int | None = None
    speed_role: SensorRole | None = None  # which sensor the speed came from


@dataclass(frozen=True, slots=True)
class TickResult:
    now_s: float
    inputs: Inputs  # what the coach was given this tick
    actions: tuple[Action, ...]
    status: CoachStatus
    readings: Readings
    links: tuple[SensorStatus, ...]
    ended: bool
    belt: BeltView | None = None  # treadmill control (None: off)
    belt_actions: tuple[BeltAction, ...] = ()  # commands and announcements this tick


@dataclass
class _Pending:
    """What the runner and sensors did since the last tick."""

    samples: list[Sample] = field(default_factory=list)
    taps_s: list[float] = field(default_factory=list)
    pain: PainAnswer | None = None
    red_flag: RedFlag | None = None
    nudge_spm: float = 0.0
    toggle_mute: bool = False
    toggle_pause: bool = False
    end_requested: bool = False
    walk_next_run: bool = False

    def to_inputs(self) -> Inputs:
        return Inputs(
            samples=tuple(self.samples),
            taps_s=tuple(self.taps_s),
            pain=self.pain,
            red_flag=self.red_flag,
            tempo_nudge_spm=self.nudge_spm,
            toggle_mute=self.toggle_mute,
            toggle_pause=self.toggle_pause,
            end_requested=self.end_requested,
            walk_next_run=self.walk_next_run,
        )


class MusicHook(Protocol):
    """The session's music (``cadence.music.session_music.SessionMusic``): follows each tick."""

    def on_tick(self, actions: Sequence[Action], status: CoachStatus) -> None: ...


class LiveSession:
    """Wires one session together and runs it; see the module docstring.

    Args:
        coach: the coach, built for a session starting now.
        source: where samples come from (None: only what ``feed`` is given).
        clock: session seconds; taps, pain answers and the end are stamped with it.
        metronome: command methods of the running audio stream (None: no audio).
        music: shown each tick's actions and status (the profile's music; None: none).
        recorder: the session in the store (None: nothing recorded).
        on_item: called after each sensor item is taken in (a screen's redraw).
        belt: treadmill control (None: the belt is the runner's alone).
    """

    def __init__(
        self,
        coach: CoachLike,
        source: SensorSource | None,
        clock: Callable[[], float],
        *,
        metronome: MetronomeCommands | None = None,
        music: MusicHook | None = None,
        recorder: SessionRecorder | None = None,
        on_item: Callable[[SensorItem], None] | None = None,
        belt: BeltSession | None = None,
    ) -> None:
        self.coach = coach
        self.source = source
        self.clock = clock
        self.metronome = metronome
        self.music = music
        self.recorder = recorder
        self.on_item = on_item
        self.belt = belt
        self.readings = Readings()
        self.links: dict[str, SensorStatus] = {}
        self.ended = False
        self.end_reason: StopReason | None = None
        self.finished = False  # finish() or abandon() has run
        self.saved = False  # the end is written (finish) or nothing is left held (abandon)
        self._end_s: float | None = None  # session time of the end, fixed at the first finish()
        self._pending = _Pending()
        self._muted_applied = False
        self._prompt_reasons: dict[int, str] = {}
        self._last_status: CoachStatus = coach.status(clock())
        self._flusher: asyncio.Task[None] | None = None
        self.sample_count = 0

    @property
    def session_id(self) -> int | None:
        """The store's id of this session (None when nothing is recorded)."""
        return self.recorder.session_id if self.recorder is not None else None

    # ----- start ---------------------------------------------------------------------------------
    async def start(self, *, flush_every_s: float | None = None) -> None:
        """Connect the sensors; with ``flush_every_s``, flush the recorder that often.

        Flushes run in a worker thread, so an fsync never holds up the event loop.
        """
        if self.belt is not None:
            self.belt.start()
        if flush_every_s is not None and self.recorder is not None:
            self._flusher = asyncio.create_task(
                self._flush_every(flush_every_s), name="recorder-flush"
            )
        if self.source is not None:
            await self.source.start(self._take)

    async def _flush_every(self, period_s: float) -> None:
        recorder = self.recorder
        assert recorder is not None
        while True:
            await asyncio.sleep(period_s)
            await asyncio.to_thread(recorder.flush)

    def _take(self, item: SensorItem) -> None:
        """The source's sink: feed the item in, then tell the screen."""
        if self.ended:
            return
        self.feed(item)
        if self.on_item is not None:
            self.on_item(item)

    # ----- what the source calls -------------------------------------------------------------
    def feed(self, item: SensorItem) -> None:
        """Take one sensor item (called by the source, on the event loop's thread)."""
        if isinstance(item, SensorStatus):
            self.links[item.sensor_id or item.role.value] = item
            if self.recorder is not None:
                self.recorder.add_sensor_status(item)
            return
        self._pending.samples.append(item)
        self.sample_count += 1
        self.readings = _merge(self.readings, item)
        if self.belt is not None:
            self.belt.observe(item)
        if self.recorder is not None:
            self.recorder.add_sample(item)

    # ----- what the runner does (keys) -------------------------------------------------------
    def tap(self, t_s: float | None = None) -> None:
        """A footfall tap, at ``t_s`` (default now)."""
        self._pending.taps_s.append(self.clock() if t_s is None else t_s)

    def answer_pain(self, rating: int, prompt_id: int | None) -> bool:
        """Hand the coach a rating and write it through; whether it is kept on disk.

        False only when neither the session file nor the pain journal could take
        it: the coach still uses it today, but the caller must tell the runner at
        once that it may be lost (True without a recorder: nothing is recorded).
        """
        if not 0 <= rating <= 10:
            raise ValueError("a pain rating is 0 to 10")
        self._pending.pain = PainAnswer(rating, prompt_id)
        if self.recorder is None:
            return True
        # Written through at once: a rating must survive a crash in the next second.
        reason = self._prompt_reasons.get(prompt_id) if prompt_id is not None else None
        when = "post_run" if reason == "post_run" else "during"
        return self.recorder.add_pain(self.clock(), rating, prompt_id, when)

    def report_red_flag(self, flag: RedFlag) -> None:
        self._pending.red_flag = flag
        if self.recorder is not None:
            self.recorder.add_event(red_flag_event(self.clock(), flag))

    def nudge(self, delta_spm: float) -> None:
        self._pending.nudge_spm += delta_spm

    def toggle_mute(self) -> None:
        self._pending.toggle_mute = not self._pending.toggle_mute

    def toggle_pause(self) -> None:
        self._pending.toggle_pause = not self._pending.toggle_pause

    def walk_next_run(self) -> None:
        """Take the coach's offer: the next run interval becomes a walk."""
        self._pending.walk_next_run = True

    def request_end(self) -> None:
        self._pending.end_requested = True

    def hold_belt(self) -> bool:
        """Keep the belt's speed through the next switch (False: no control, or nothing to hold)."""
        return self.belt is not None and self.belt.hold()

    def give_belt_back(self) -> None:
        """Let cadence set the belt again after the runner used the console."""
        if self.belt is not None:
            self.belt.give_back()

    # ----- the tick -----------------------------------------------------------------------------
    @property
    def status(self) -> CoachStatus:
        return self._last_status

    def tick(self, now_s: float | None = None) -> TickResult:
        """Step the coach once with everything gathered since the last tick."""
        now = self.clock() if now_s is None else now_s
        if self.source is not None:
            self.source.pump(now)
        if self.belt is not None:
            self._belt_events()
        pending, self._pending = self._pending, _Pending()
        inputs = pending.to_inputs()
        actions = tuple(self.coach.step(now, inputs))
        status = self.coach.status(now)
        self._last_status = status
        belt_actions = tuple(self.belt.step(now, actions)) if self.belt is not None else ()
        if self.metronome is not None:
            self._sound(actions, belt_actions)
            if status.muted != self._muted_applied:
                self.metronome.set_muted(status.muted)
                self._muted_applied = status.muted
        if self.music is not None:
            self.music.on_tick(actions, status)
        if self.recorder is not None:
            for action in actions:
                self.recorder.add_action(now, action)
        for action in actions:
            if isinstance(action, AskPain):
                self._prompt_reasons[action.prompt_id] = action.reason
            elif isinstance(action, SessionEnded):
                self.ended = True
                self.end_reason = action.reason
        return TickResult(
            now_s=now,
            inputs=inputs,
            actions=actions,
            status=status,
            readings=self.readings,
            links=tuple(self.links.values()),
            ended=self.ended,
            belt=self.belt.view if self.belt is not None else None,
            belt_actions=belt_actions,
        )

    def _belt_events(self) -> None:
        """The treadmill's news; the console's stop or the safety key pauses the session."""
        assert self.belt is not None
        stopped = any(e.kind is TreadmillEventKind.STOPPED_BY_USER for e in self.belt.drain())
        if stopped and not self._last_status.paused and not self._pending.toggle_pause:
            self._pending.toggle_pause = True

    def _sound(self, actions: tuple[Action, ...], belt_actions: tuple[BeltAction, ...]) -> None:
        """The coach's sounds; a belt switch's "walk in 3" is said in place of the first beep."""
        metronome = self.metronome
        assert metronome is not None
        spoken = [a.sound_id for a in belt_actions if isinstance(a, SwitchAhead) and a.sound_id]
        if spoken:
            actions = tuple(a for a in actions if a != Countdown(3))
        apply_to_metronome(metronome, actions)
        for sound_id in spoken:
            play_cue(metronome, sound_id)

    # ----- the end -------------------------------------------------------------------------------
    async def finish(self) -> bool:
        """After the coach has ended: sensors off, metronome quiet, the end written.

        The end is written in a worker thread (the store may fsync). Returns False
        if the store could not be written: everything stays held (and spilled to a
        file, see ``SessionRecorder.spill``) and the next call tries again.
        """
        if self.saved:
            return True
        if not self.finished:
            self.finished = True
            self._end_s = self.clock()
            if self.belt is not None:
                await self.belt.close()  # the stop written while the link is still up
            await self._stop_sensors()
            if self.metronome is not None:
                self.metronome.set_running(False)
        if self.recorder is None:
            self.saved = True
            return True
        end_s = self._end_s if self._end_s is not None else self.clock()
        self.saved = await asyncio.to_thread(
            finish_recorder, self.recorder, self.end_reason, end_s
        )
        return self.saved

    async def abandon(self) -> bool:
        """Quit mid-session: sensors off and what is held written; the session stays
        unfinished, so the next start offers to recover it.

        False if the store could not take what was held: it is then copied to a spill
        file (``recorder.spill_path``; None if even that failed) for that recovery.
        """
        if self.finished:
            return self.saved
        self.finished = True
        if self.belt is not None:
            await self.belt.close()  # the stop written while the link is still up
        await self._stop_sensors()
        if self.recorder is None or self.recorder.flush():
            self.saved = True
        else:
            self.recorder.leave_for_recovery()
        return self.saved

    async def _stop_sensors(self) -> None:
        if self._flusher is not None:
            self._flusher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._flusher
            self._flusher = None
        if self.source is not None:
            await self.source.stop()


def _merge(r: Readings, s: Sample) -> Readings:
    """Readings with ``s`` folded in; once a treadmill reports, it wins for speed and distance."""
    cadence, cadence_t = r.cadence_spm, r.cadence_t_s
    if s.cadence_spm is not None and s.role is SensorRole.FOOTPOD:
        cadence, cadence_t = s.cadence_spm, s.t_s
    speed, distance, speed_role = r.speed_mps, r.distance_m, r.speed_role
    if s.role is SensorRole.TREADMILL or speed_role is not SensorRole.TREADMILL:
        if s.speed_mps is not None:
            speed, speed_role = s.speed_mps, s.role
        if s.distance_m is not None:
            distance = s.distance_m
    return Readings(
        cadence_spm=cadence,
        cadence_t_s=cadence_t,
        speed_mps=speed,
        distance_m=distance,
        incline_pct=s.incline_pct if s.incline_pct is not None else r.incline_pct,
        hr_bpm=s.hr_bpm if s.hr_bpm is not None else r.hr_bpm,
        speed_role=speed_role,
    )
