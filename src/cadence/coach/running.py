"""The coach's session state and its rules while running.

Split from ``engine.py`` to keep each file to one job: the engine sequences a
step (safety, keys, clock, plan, metronome); this module owns the state those
steps share and the rules that only apply while the runner is running:
measuring the baseline, the tempo ramp, faded feedback, timed and triggered
form cues and the interval pain prompt.
"""

from __future__ import annotations

from statistics import median

from cadence.coach.actions import Action, CueKind, Mark, Phase
from cadence.coach.cadence_estimate import CadenceEstimator, TapCollector
from cadence.coach.cues import CueScheduler, FormTimers
from cadence.coach.inputs import Inputs
from cadence.coach.pain import PainPrompts
from cadence.coach.phases import PhaseMachine
from cadence.coach.plan import Segment, build_plan, planned_running_s
from cadence.coach.tempo_policy import FadedFeedback, TempoRamp, session_target_spm
from cadence.model.sample import SensorRole
from cadence.profile.model import Profile, ProgramWeek

BASELINE_SKIP_S = 10.0  # ignore the first seconds of running (still speeding up)
BASELINE_RUN_S = 60.0  # "the first minute of running"
TAP_VALID_S = 90.0
HR_STALE_S = 10.0
DRILL_EVERY_S = 600.0
LATE_RUN_MIN_S = 600.0
LATE_RUN_M = 4828.0  # three miles
SLIP_CUE_AFTER_S = 10.0
HR_CUE_AFTER_S = 15.0
TRIGGER_REPEAT_S = 180.0
QUIET_BEFORE_CHANGE_S = 10.0  # no optional cue just before a phase announcement
PROMPT_MIN_LEFT_S = 30.0  # no interval prompt in a run's last seconds (a walk break asks)
FORM_TOPICS = ("form_check", "land_under", "ribs_down", "arms", "eyes_ahead", "lean", "glutes")


class RunningRules:
    """Shared session state plus the while-running rules (base of ``Coach``)."""

    def __init__(self, profile: Profile, week: ProgramWeek, stage: int) -> None:
        self.profile = profile
        self.week = week
        self.stage = stage
        self.plan = build_plan(week)
        self._plan_index = 0
        self._stop_segment: Segment | None = None
        self.machine = PhaseMachine(self.plan[0].phase if self.plan else Phase.COOLDOWN)
        self.active_s = 0.0
        self.seg_elapsed_s = 0.0
        self.run_s = 0.0
        self.run_m = 0.0
        self.since_prompt_s = 0.0
        self.estimator = CadenceEstimator()
        self.taps = TapCollector()
        self._tap: tuple[float, float] | None = None
        self._hr: tuple[float, int] | None = None
        self._distance_src: tuple[SensorRole, str] | None = None
        self._last_distance_m: float | None = None
        self._pending_dm: float | None = None
        self.baseline_spm = profile.baseline_cadence_spm
        self._baseline_readings: list[float] = []
        self.target_spm: float | None = None
        self.ramp: TempoRamp | None = None
        self.fade = FadedFeedback(profile.tempo, profile.band)
        self.tempo_reason = ""
        self.cues = CueScheduler(profile.cue_min_gap_s)
        self.timers = FormTimers(
            week.form_check_every_s or 600.0, DRILL_EVERY_S, by_distance=not profile.treadmill
        )
        self._form_topic = 0
        self._late_said = False
        self._tap_prompted = False
        self._slip_s = 0.0
        self._hr_high_s = 0.0
        self._last_trigger_s: dict[str, float] = {}
        self.prompts = PainPrompts()
        self.last_rating: int | None = None
        self._planned_run_s = planned_running_s(self.plan)
        if self.baseline_spm is not None:
            self._set_baseline(self.baseline_spm)

    # --------------------------------------------------------------- plan

    @property
    def segment(self) -> Segment:
        if self._stop_segment is not None:
            return self._stop_segment
        if not self.plan:
            return Segment(Phase.COOLDOWN, 0.0)
        return self.plan[min(self._plan_index, len(self.plan) - 1)]

    def advance_plan(self) -> Segment | None:
        self.seg_elapsed_s = 0.0
        if self._stop_segment is not None:
            return None
        self._plan_index += 1
        return self.plan[self._plan_index] if self._plan_index < len(self.plan) else None

    def segment_left_s(self) -> float | None:
        seg = self.segment
        return None if seg.duration_s is None else max(0.0, seg.duration_s - self.seg_elapsed_s)

    def has_next_segment(self) -> bool:
        return self._stop_segment is None and self._plan_index + 1 < len(self.plan)

    def next_segment(self) -> Segment | None:
        """The segment after this one (None after a stop or at the end): "next: WALK 3:00"."""
        return self.plan[self._plan_index + 1] if self.has_next_segment() else None

    def session_left_s(self) -> float | None:
        """Planned time left in the whole session; None while a segment is open-ended.

        After a safety stop only the walking cool-down is left: the plan's later
        segments will not happen, so they are not counted.
        """
        left = self.segment_left_s()
        if left is None:
            return None
        if self._stop_segment is not None:
            return left
        later = self.plan[self._plan_index + 1 :]
        return left + sum(s.duration_s or 0.0 for s in later)

    def enter_stop_cooldown(self, duration_s: float | None) -> None:
        rounds = self.plan[0].rounds_total if self.plan else 0
        self._stop_segment = Segment(Phase.COOLDOWN, duration_s, 0, rounds, "Walking cool-down")
        self.seg_elapsed_s = 0.0

    # ------------------------------------------------------------ sensors

    def cadence(self, now_s: float) -> float | None:
        """Footpod estimate, else a recent tap-tempo result, else None."""
        est = self.estimator.estimate(now_s)
        if est is not None:
            return est
        if self._tap is not None and now_s - self._tap[0] <= TAP_VALID_S:
            return self._tap[1]
        return None

    def hr_bpm(self, now_s: float) -> int | None:
        if self._hr is None or now_s - self._hr[0] > HR_STALE_S:
            return None
        return self._hr[1]

    def _ingest(self, now_s: float, inputs: Inputs, out: list[Action]) -> None:
        for s in inputs.samples:
            if s.cadence_spm is not None and s.role is not SensorRole.HEART_RATE:
                self.estimator.add(s.t_s, s.cadence_spm)
            if s.hr_bpm is not None:
                self._hr = (s.t_s, s.hr_bpm)
            if s.distance_m is not None:
                self._take_distance((s.role, s.sensor_id), s.distance_m)
        if inputs.taps_s:
            self.taps.add(inputs.taps_s)
        spm = self.taps.finished(now_s)
        if spm is not None:
            self._tap = (now_s, spm)
            out.append(Mark("tap_tempo", {"spm": round(spm, 1)}))
            if self.baseline_spm is None and self.machine.phase is Phase.RUN:
                self._set_baseline(spm)
                out.append(Mark("baseline", {"spm": round(spm, 1), "source": "tap"}))

    def _take_distance(self, source: tuple[SensorRole, str], distance_m: float) -> None:
        if self._distance_src is None:
            self._distance_src = source
        if source != self._distance_src:
            return
        if self._last_distance_m is not None and 0.0 <= distance_m - self._last_distance_m < 200:
            self._pending_dm = (self._pending_dm or 0.0) + distance_m - self._last_distance_m
        self._last_distance_m = distance_m

    # ---------------------------------------------------------- running

    def _set_baseline(self, spm: float) -> None:
        self.baseline_spm = round(spm, 1)
        self.target_spm = session_target_spm(
            self.baseline_spm, self.stage, self.profile.tempo, self.profile.band
        )
        self.ramp = TempoRamp(self.baseline_spm, self.target_spm, self.profile.tempo)
        self.tempo_reason = "baseline"

    def running_rules(self, now_s: float, run_dt: float, out: list[Action]) -> None:
        """Everything that runs on running time; ``run_dt`` may be 0."""
        dm = self._pending_dm
        self._pending_dm = None
        if self.machine.phase is not Phase.RUN or self.machine.running_stopped:
            return
        self.run_s += run_dt
        if dm is not None:
            self.run_m += dm
        c = self.cadence(now_s)
        if self.ramp is None:
            self._measure_baseline(now_s, c, out)
        if self.ramp is not None:
            stepped = self.ramp.advance(run_dt, c)
            if stepped is not None:
                self.tempo_reason = "ramp"
                if self.ramp.at_target:
                    out.append(Mark("ramp_target_reached", {"tempo_spm": stepped}))
            flip = self.fade.update(run_dt, c, self.ramp)
            if flip is not None:
                out.append(Mark(flip, {"cadence_spm": round(c or 0.0, 1)}))
                self._maybe_cue(now_s, flip, CueKind.TEMPO, out)
        self.since_prompt_s += run_dt
        left = self.segment_left_s()
        if self.since_prompt_s >= self.profile.pain_prompt_interval_s and (
            left is None or left >= PROMPT_MIN_LEFT_S
        ):
            self.since_prompt_s = 0.0
            out.extend(self.prompts.ask(now_s, "interval", 30.0))
        self.timers.advance(run_dt, dm)
        self._form_cues(now_s, run_dt, c, out)

    def _measure_baseline(self, now_s: float, c: float | None, out: list[Action]) -> None:
        if c is not None and self.run_s >= BASELINE_SKIP_S:
            self._baseline_readings.append(c)
        if self.run_s < BASELINE_RUN_S:
            return
        if len(self._baseline_readings) >= 3:
            spm = median(self._baseline_readings)
            self._set_baseline(spm)
            out.append(Mark("baseline", {"spm": self.baseline_spm, "source": "sensor",
                                         "target_spm": self.target_spm}))
            self._maybe_cue(now_s, "baseline", CueKind.TEMPO, out)
        elif not self._tap_prompted:
            self._tap_prompted = self._maybe_cue(now_s, "tap_prompt", CueKind.INFO, out)

    def _maybe_cue(self, now_s: float, topic: str, kind: CueKind, out: list[Action]) -> bool:
        left = self.segment_left_s()
        if left is not None and left <= QUIET_BEFORE_CHANGE_S:
            return False
        cue = self.cues.optional(now_s, topic, kind, self.prompts.is_open)
        if cue is not None:
            out.append(cue)
        return cue is not None

    def _trigger(self, now_s: float, topic: str, out: list[Action]) -> bool:
        last = self._last_trigger_s.get(topic)
        if last is not None and now_s - last < TRIGGER_REPEAT_S:
            return False
        if self._maybe_cue(now_s, topic, CueKind.FORM, out):
            self._last_trigger_s[topic] = now_s
            return True
        return False

    def _form_cues(self, now_s: float, run_dt: float, c: float | None, out: list[Action]) -> None:
        late = self.run_s >= max(LATE_RUN_MIN_S, 0.5 * self._planned_run_s) or (
            self.run_m >= LATE_RUN_M
        )
        tempo = self.ramp.tempo_spm if self.ramp is not None else None
        floor = None if tempo is None else min(self.profile.band.low_spm, tempo)
        lagging = c is not None and floor is not None and (
            c < floor - self.profile.tempo.lag_tolerance_spm
        )
        self._slip_s = self._slip_s + run_dt if lagging and not self.fade.faded else 0.0
        hr, cap = self.hr_bpm(now_s), self.profile.easy_hr_cap_bpm
        self._hr_high_s = self._hr_high_s + run_dt if hr and cap and hr > cap else 0.0
        if self._slip_s >= SLIP_CUE_AFTER_S and self._trigger(
            now_s, "late_run" if late else "cadence_low", out
        ):
            self._late_said = self._late_said or late
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
