"""One live session: the loop between the sensors, the coach, the metronome and the store.

The TUI owns a ``LiveSession`` and does three things with it: hands it what the
runner pressed (``tap``, ``answer_pain``, ``nudge``...), lets the sensor
source feed it samples, and calls ``tick(now_s)`` on a timer. Each tick
gathers everything since the previous one into a coach ``Inputs``, steps the
pure coach, carries the actions out on the metronome (command methods only),
records samples and events, and returns what the screen needs. No Textual
here, so the same loop runs in the benchmarks and headless tests.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from cadence.coach.actions import Action, AskPain, Phase, SessionEnded, StopReason
from cadence.coach.inputs import Inputs, PainAnswer, RedFlag
from cadence.coach.status import CoachStatus
from cadence.live.actions_apply import MetronomeCommands, apply_to_metronome
from cadence.live.sources import SensorItem, SensorSource
from cadence.model.link import SensorStatus
from cadence.model.sample import Sample, SensorRole
from cadence.sim.runner import Gait
from cadence.store.events import red_flag_event

if TYPE_CHECKING:
    from cadence.store.recorder import SessionRecorder

logger = logging.getLogger(__name__)


class CoachLike(Protocol):
    """What the session needs from ``cadence.coach.engine.Coach``."""

    def step(self, now_s: float, inputs: Inputs) -> list[Action]: ...

    def status(self, now_s: float) -> CoachStatus: ...


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
    actions: tuple[Action, ...]
    status: CoachStatus
    readings: Readings
    links: tuple[SensorStatus, ...]
    ended: bool


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
        )


class LiveSession:
    """Wires one session together; see the module docstring."""

    def __init__(
        self,
        coach: CoachLike,
        source: SensorSource | None,
        clock: Callable[[], float],
        *,
        metronome: MetronomeCommands | None = None,
        recorder: SessionRecorder | None = None,
    ) -> None:
        self.coach = coach
        self.source = source
        self.clock = clock
        self.metronome = metronome
        self.recorder = recorder
        self.readings = Readings()
        self.links: dict[str, SensorStatus] = {}
        self.ended = False
        self.end_reason: StopReason | None = None
        self._pending = _Pending()
        self._muted_applied = False
        self._prompt_reasons: dict[int, str] = {}
        self._last_status: CoachStatus = coach.status(clock())
        self.sample_count = 0

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
        if self.recorder is not None:
            self.recorder.add_sample(item)

    # ----- what the runner does (keys) -------------------------------------------------------
    def tap(self) -> None:
        self._pending.taps_s.append(self.clock())

    def answer_pain(self, rating: int, prompt_id: int | None) -> None:
        if not 0 <= rating <= 10:
            raise ValueError("a pain rating is 0 to 10")
        self._pending.pain = PainAnswer(rating, prompt_id)
        if self.recorder is not None:
            # Written through at once: a rating must survive a crash in the next second.
            reason = self._prompt_reasons.get(prompt_id) if prompt_id is not None else None
            when = "post_run" if reason == "post_run" else "during"
            self.recorder.add_pain(self.clock(), rating, prompt_id, when)

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

    def request_end(self) -> None:
        self._pending.end_requested = True

    # ----- the tick -----------------------------------------------------------------------------
    @property
    def status(self) -> CoachStatus:
        return self._last_status

    def gait(self) -> Gait:
        """What the (simulated) runner is doing now, from the coach's phase."""
        s = self._last_status
        if s.paused or s.phase is Phase.DONE:
            return Gait.STAND
        if s.phase is Phase.RUN and not s.running_stopped:
            return Gait.RUN
        return Gait.WALK

    def heard_tempo(self) -> float | None:
        """The tempo the runner can hear (None when the metronome is off or muted)."""
        s = self._last_status
        if not s.metronome_on or s.muted:
            return None
        return s.tempo_spm

    def tick(self, now_s: float | None = None) -> TickResult:
        """Step the coach once with everything gathered since the last tick."""
        now = self.clock() if now_s is None else now_s
        if self.source is not None:
            self.source.pump(now)
        pending, self._pending = self._pending, _Pending()
        actions = tuple(self.coach.step(now, pending.to_inputs()))
        status = self.coach.status(now)
        self._last_status = status
        if self.metronome is not None:
            apply_to_metronome(self.metronome, actions)
            if status.muted != self._muted_applied:
                self.metronome.set_muted(status.muted)
                self._muted_applied = status.muted
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
            actions=actions,
            status=status,
            readings=self.readings,
            links=tuple(self.links.values()),
            ended=self.ended,
        )


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
