"""The rules that only apply while the runner is running.

Measuring the baseline, the tempo ramp, faded feedback, timed and triggered
form cues and the interval pain prompt. They all run on running time (walk
breaks, pauses and the cool-down do not count), so the engine calls ``tick``
with the running seconds of each step and this object keeps its own running
clock and distance.

Composed, not inherited: it is handed the collaborators it reads (the plan
cursor, the readings, the tempo course, the cue scheduler, the pain prompts,
the phase machine) and owns only the running-time state.
"""

from __future__ import annotations

from cadence.coach.actions import Action, CueKind, Mark, Phase
from cadence.coach.cues import CueScheduler, FormTimers
from cadence.coach.pain import PainPrompts
from cadence.coach.phases import PhaseMachine
from cadence.coach.plan_cursor import PlanCursor
from cadence.coach.readings import Readings
from cadence.coach.tempo_course import TempoCourse
from cadence.profile.model import Profile, ProgramWeek

DRILL_EVERY_S = 600.0
LATE_RUN_MIN_S = 600.0
LATE_RUN_M = 4828.0  # three miles
SLIP_CUE_AFTER_S = 10.0
HR_CUE_AFTER_S = 15.0
TRIGGER_REPEAT_S = 180.0
QUIET_BEFORE_CHANGE_S = 10.0  # no optional cue just before a phase announcement
PROMPT_MIN_LEFT_S = 30.0  # no interval prompt in a run's last seconds (a walk break asks)
INTERVAL_PROMPT_TIMEOUT_S = 30.0
FORM_TOPICS = ("form_check", "land_under", "ribs_down", "arms", "eyes_ahead", "lean", "glutes")


class RunningRules:
    """Running-time state and the while-running rules."""

    def __init__(
        self,
        profile: Profile,
        week: ProgramWeek,
        *,
        cursor: PlanCursor,
        machine: PhaseMachine,
        readings: Readings,
        tempo: TempoCourse,
        cues: CueScheduler,
        prompts: PainPrompts,
    ) -> None:
        self.profile = profile
        self.cursor = cursor
        self.machine = machine
        self.readings = readings
        self.tempo = tempo
        self.cues = cues
        self.prompts = prompts
        self.run_s = 0.0
        self.run_m = 0.0
        self.since_prompt_s = 0.0
        self.timers = FormTimers(
            week.form_check_every_s or 600.0, DRILL_EVERY_S, by_distance=not profile.treadmill
        )
        self._form_topic = 0
        self._late_said = False
        self._tap_prompted = False
        self._slip_s = 0.0
        self._hr_high_s = 0.0
        self._last_trigger_s: dict[str, float] = {}
        self._in_step: tuple[float, float] | None = None  # (cadence, tempo) when last in step
        self.beat_heard = True  # False while muted: the words must not mention a beat

    def restart_prompt_clock(self) -> None:
        """A walk break just asked about pain: the interval prompt counts from here."""
        self.since_prompt_s = 0.0

    def count_session(self, dt_s: float) -> None:
        """Session time in a run or a walk: the form-check clock counts it."""
        if not self.machine.running_stopped:
            self.timers.count_session(dt_s)

    def tick(self, now_s: float, run_dt: float, out: list[Action]) -> None:
        """Everything that runs on running time; ``run_dt`` may be 0."""
        dm = self.readings.take_distance_m()
        if self.machine.phase is not Phase.RUN or self.machine.running_stopped:
            return
        self.run_s += run_dt
        if dm is not None:
            self.run_m += dm
        c = self.readings.cadence(now_s)
        if self.tempo.ramp is None:
            self._measure_baseline(now_s, c, out)
        self._tempo_rules(now_s, run_dt, c, out)
        self._interval_prompt(now_s, run_dt, out)
        self.timers.advance(run_dt, dm)
        self._form_cues(now_s, run_dt, c, out)

    def _tempo_rules(self, now_s: float, run_dt: float, c: float | None, out: list[Action]) -> None:
        ramp = self.tempo.ramp
        if ramp is None:
            return
        stepped = ramp.advance(run_dt, c)
        if stepped is not None:
            self.tempo.reason = "ramp"
            if ramp.at_target:
                out.append(Mark("ramp_target_reached", {"tempo_spm": stepped}))
        flip = self.tempo.fade.update(run_dt, c, ramp)
        if flip is not None:
            out.append(Mark(flip, {"cadence_spm": round(c or 0.0, 1)}))
            self._maybe_cue(now_s, flip, CueKind.TEMPO, out)

    def _interval_prompt(self, now_s: float, run_dt: float, out: list[Action]) -> None:
        self.since_prompt_s += run_dt
        left = self.cursor.left_s()
        if self.since_prompt_s >= self.profile.pain_prompt_interval_s and (
            left is None or left >= PROMPT_MIN_LEFT_S
        ):
            self.since_prompt_s = 0.0
            out.extend(self.prompts.ask(now_s, "interval", INTERVAL_PROMPT_TIMEOUT_S,
                                        self.profile.pain_stop_rating))

    def _measure_baseline(self, now_s: float, c: float | None, out: list[Action]) -> None:
        measured = self.tempo.measure(self.run_s, c)
        if measured:
            out.append(Mark("baseline", {"spm": self.tempo.baseline_spm, "source": "sensor",
                                         "target_spm": self.tempo.target_spm}))
            self._maybe_cue(now_s, "baseline", CueKind.TEMPO, out)
        elif measured is False and not self._tap_prompted:
            self._tap_prompted = self._maybe_cue(now_s, "tap_prompt", CueKind.INFO, out)

    def _maybe_cue(
        self, now_s: float, topic: str, kind: CueKind, out: list[Action],
        wording: str | None = None,
    ) -> bool:
        left = self.cursor.left_s()
        if left is not None and left <= QUIET_BEFORE_CHANGE_S:
            return False
        cue = self.cues.optional(now_s, topic, kind, self.prompts.is_open, wording)
        if cue is not None:
            out.append(cue)
        return cue is not None

    def _trigger(self, now_s: float, topic: str, out: list[Action]) -> bool:
        last = self._last_trigger_s.get(topic)
        if last is not None and now_s - last < TRIGGER_REPEAT_S:
            return False
        quiet = not self.beat_heard and topic in ("cadence_low", "cadence_behind")
        wording = "cadence_low_quiet" if quiet else None
        if self._maybe_cue(now_s, topic, CueKind.FORM, out, wording):
            self._last_trigger_s[topic] = now_s
            return True
        return False

    def _runner_slowed(self, c: float | None) -> bool:
        """Whether a lag is the runner slowing (True) or the beat moving up without them.

        The beat moved ahead when it is higher than when the runner was last in
        step while their cadence has stayed where it was then.
        """
        tempo = self.tempo.tempo_spm
        if self._in_step is None or c is None or tempo is None:
            return True
        was_c, was_tempo = self._in_step
        beat_moved = tempo > was_tempo + 0.05
        held_pace = c >= was_c - self.profile.tempo.lag_tolerance_spm
        return not (beat_moved and held_pace)

    def _form_cues(self, now_s: float, run_dt: float, c: float | None, out: list[Action]) -> None:
        late = self.run_s >= max(LATE_RUN_MIN_S, 0.5 * self.cursor.planned_run_s) or (
            self.run_m >= LATE_RUN_M
        )
        tempo = self.tempo.tempo_spm
        floor = None if tempo is None else min(self.profile.band.low_spm, tempo)
        lagging = c is not None and floor is not None and (
            c < floor - self.profile.tempo.lag_tolerance_spm
        )
        if not lagging and c is not None and tempo is not None:
            self._in_step = (c, tempo)
        pushing_ok = not (self.tempo.fade.faded or self.tempo.frozen)  # no push after rising pain
        self._slip_s = self._slip_s + run_dt if lagging and pushing_ok else 0.0
        hr, cap = self.readings.hr_bpm(now_s), self.profile.easy_hr_cap_bpm
        self._hr_high_s = self._hr_high_s + run_dt if hr and cap and hr > cap else 0.0
        slowed = self._runner_slowed(c)
        slip_topic = "cadence_behind" if not slowed else "late_run" if late else "cadence_low"
        if self._slip_s >= SLIP_CUE_AFTER_S and self._trigger(now_s, slip_topic, out):
            self._late_said = self._late_said or (late and slowed)
            return
        if self._hr_high_s >= HR_CUE_AFTER_S and self._trigger(now_s, "hr_high", out):
            return
        if self.timers.form_due:
            topic = FORM_TOPICS[self._form_topic % len(FORM_TOPICS)]
            if self._maybe_cue(now_s, topic, CueKind.FORM, out):
                self._form_topic += 1
                self.timers.form_said()
            return
        if self.timers.drill_due:
            if self._maybe_cue(now_s, "run_tall", CueKind.FORM, out):
                self.timers.drill_said()
            return
        if late and not self._late_said:
            self._late_said = self._maybe_cue(now_s, "late_run", CueKind.FORM, out)
