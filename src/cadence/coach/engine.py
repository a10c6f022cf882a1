"""``Coach``: ties the estimator, tempo policy, phases, cues and pain rules together.

Functional core: the shell calls ``coach.step(now_s, inputs)`` every 0.25-1 s
with the session clock and everything that happened since the last call, and
carries out the returned actions. The coach reads no clock, does no I/O and
uses no randomness, so the same inputs always give the same actions; that is
what makes ``cadence simulate`` and the scenario tests possible.

Tick-rate independence: all timers advance by the time passed in, phase
boundaries carry their overshoot into the next segment (no drift at coarse
ticks), and the metronome's on/off/tempo/volume is reconciled from the desired
state at the end of each step (``_sync_metronome``) instead of being toggled
by individual events.

Order inside a step: sensor data, then safety (red flags, pain answers, always
handled, even while paused; an emergency ends the session right there), then
keys (pause, mute, nudge, walk the next run, end), then the clock and the plan,
then running rules (baseline, ramp, fade, cues, interval prompts), then prompt
timeouts, then the metronome.
"""

from __future__ import annotations

from dataclasses import replace

from cadence.coach.actions import (
    Action,
    Countdown,
    CueKind,
    Mark,
    Phase,
    PhaseChange,
    SessionEnded,
    StopReason,
)
from cadence.coach.cue_library import exercise_cue
from cadence.coach.cues import CueScheduler
from cadence.coach.exercise_guide import ExerciseGuide
from cadence.coach.inputs import Inputs
from cadence.coach.lifecycle import Lifecycle, LifecycleEvent
from cadence.coach.metronome_sync import MetronomeSync
from cadence.coach.pain import PainPrompts
from cadence.coach.phases import PhaseEvent, PhaseMachine
from cadence.coach.plan import Segment
from cadence.coach.plan_cursor import PlanCursor
from cadence.coach.readings import FOOTPOD_WINS, Readings
from cadence.coach.running import RunningRules
from cadence.coach.safety import SafetyRules
from cadence.coach.status import CoachStatus
from cadence.coach.tempo_course import TempoCourse
from cadence.profile.model import FadeMode, Profile, ProgramWeek, WalkMetronome

PAIN_TIMEOUT_S = 30.0
POST_RUN_TIMEOUT_S = 60.0
GENTLE_FADE_S = 8.0
_ENTER_EVENT = {
    Phase.RUN: PhaseEvent.START_RUN,
    Phase.WALK: PhaseEvent.START_WALK,
    Phase.COOLDOWN: PhaseEvent.START_COOLDOWN,
    Phase.WARMUP: PhaseEvent.NEXT_WARMUP_BLOCK,
}
_FINE = (StopReason.PROGRAM_DONE, StopReason.USER)


class Coach:
    """One session's coach.

    Args:
        profile: the runner's settings (band, baseline, pain rules, metronome...).
        week: the program week this session follows (warm-up, rounds, cool-down).
        start_s: the session clock's value at the start (the shell's monotonic clock).
        stage: tempo stage: the target is baseline + ``stage`` x 5 %, at most +10 %.

    Call ``step(now_s, inputs)`` every 0.25-1 s with everything since the last
    call; carry out the returned actions in order. ``status(now_s)`` is a
    read-only snapshot for the screen. After ``SessionEnded`` every step
    returns ``[]``.

    The coach is composed of small parts, each with one job: ``lifecycle``
    (not started / active / paused / closing / ended), ``machine`` (the
    run-walk phase), ``cursor`` (where in the plan), ``readings`` (what the
    sensors say), ``tempo`` (baseline, ramp, fade), ``running`` (the rules
    on running time), ``safety`` (pain and warning signs), ``cues``,
    ``prompts``, ``exercises`` and ``metronome`` (what was sent).
    """

    def __init__(
        self, profile: Profile, week: ProgramWeek, *, start_s: float = 0.0, stage: int = 1
    ) -> None:
        self.profile = profile
        self.week = week
        self.stage = stage
        self.start_s = start_s
        self._last_now_s = start_s
        self.lifecycle = Lifecycle()
        self.cursor = PlanCursor(week)
        self.machine = PhaseMachine(self.cursor.first_phase)
        self.readings = Readings()
        self.tempo = TempoCourse(profile, stage)
        self.cues = CueScheduler(profile.cue_min_gap_s)
        self.prompts = PainPrompts()
        self.metronome = MetronomeSync()
        self.exercises = ExerciseGuide()
        self.running = RunningRules(
            profile, week, cursor=self.cursor, machine=self.machine, readings=self.readings,
            tempo=self.tempo, cues=self.cues, prompts=self.prompts,
        )
        self.safety = SafetyRules(
            profile, week, lifecycle=self.lifecycle, machine=self.machine, cursor=self.cursor,
            metronome=self.metronome, tempo=self.tempo, cues=self.cues, prompts=self.prompts,
        )
        self._muted = False

    @property
    def plan(self) -> tuple[Segment, ...]:
        return self.cursor.plan

    @property
    def last_rating(self) -> int | None:
        return self.safety.last_rating

    # ------------------------------------------------------------------ public

    def step(self, now_s: float, inputs: Inputs) -> list[Action]:
        """Advance to ``now_s`` (session clock, seconds) and return what to do."""
        if self.lifecycle.ended:
            return []
        out: list[Action] = []
        dt_s = max(0.0, now_s - self._last_now_s)
        self._last_now_s = max(self._last_now_s, now_s)
        if not self.lifecycle.started:
            self._start(now_s, out)
        self._ingest(now_s, inputs, out)
        if inputs.red_flag is not None:
            self.safety.red_flag(now_s, inputs.red_flag, out)
        if inputs.pain is not None:
            self.safety.pain(now_s, inputs.pain, out)
        if self.safety.end_now is not None:
            self._end_at_once(self.safety.end_now, out)
            return out
        self._on_keys(now_s, inputs, out)
        if self.lifecycle.active:
            self._advance(now_s, dt_s, out)
        if self.prompts.expired(now_s):
            out.append(self.prompts.close(answered=False))
        if self.lifecycle.closing and not self.prompts.is_open:
            self._finish(out)
        self._sync_metronome(out)
        return out

    def status(self, now_s: float) -> CoachStatus:
        """A snapshot for the screen and the JSON log."""
        seg = self.cursor.segment
        prompt = self.prompts.open_prompt
        target = self.tempo.target_spm
        return CoachStatus(
            now_s=now_s,
            phase=Phase.DONE if self.lifecycle.ended else self.machine.phase,
            phase_left_s=self.cursor.left_s(),
            round_index=seg.round_index,
            rounds_total=seg.rounds_total,
            tempo_spm=self.metronome.tempo_spm,
            metronome_on=self.metronome.on,
            muted=self._muted,
            volume=max(self.metronome.volume, 0.0),
            cadence_spm=self.readings.cadence(now_s),
            target_spm=target if target is not None else 0.0,
            band_low_spm=self.profile.band.low_spm,
            band_high_spm=self.profile.band.high_spm,
            paused=self.lifecycle.paused,
            running_stopped=self.machine.running_stopped or self.safety.end_now is not None,
            pain_prompt_id=prompt.prompt_id if prompt else None,
            last_pain_rating=self.last_rating,
            elapsed_s=self.cursor.active_s,
            pain_stop_at=self.profile.pain_stop_rating,
        )

    @property
    def ended(self) -> bool:
        return self.lifecycle.ended

    # ------------------------------------------------------------- internals

    def _start(self, now_s: float, out: list[Action]) -> None:
        self.lifecycle.process(LifecycleEvent.START)
        out.append(
            Mark(
                "session_start",
                {"week": self.week.week, "stage": self.stage,
                 "baseline_spm": self.tempo.baseline_spm, "target_spm": self.tempo.target_spm,
                 "segments": len(self.plan)},
            )
        )
        if not self.plan:
            self.lifecycle.close(StopReason.PROGRAM_DONE)
            return
        self._announce(now_s, self.cursor.segment, out)
        if self.profile.treadmill:
            out.append(self.cues.required(now_s, "treadmill_incline", CueKind.INFO))

    def _ingest(self, now_s: float, inputs: Inputs, out: list[Action]) -> None:
        self.readings.ingest(inputs.samples, inputs.taps_s)
        spm, refused = self.readings.finished_taps(now_s)
        if refused:
            out.append(Mark("tap_tempo_refused", {"why": refused}))
            topic = "tap_not_needed" if refused == FOOTPOD_WINS else "tap_refused"
            out.append(self.cues.required(now_s, topic, CueKind.INFO))
        if spm is None:
            return
        out.append(Mark("tap_tempo", {"spm": round(spm, 1)}))
        said = self.cues.required(now_s, "tap_done", CueKind.INFO)
        out.append(replace(said, text=f"{said.text.rstrip('.')}: {spm:.0f} steps a minute."))
        if self.tempo.baseline_spm is None and self.machine.phase is Phase.RUN:
            self.tempo.set_baseline(spm)
            # the target too, as a sensor baseline records it: the planner counts
            # "target held" (and raises the stage) from this mark
            out.append(Mark("baseline", {"spm": round(spm, 1), "source": "tap",
                                         "target_spm": self.tempo.target_spm}))

    def _on_keys(self, now_s: float, inputs: Inputs, out: list[Action]) -> None:
        if inputs.toggle_pause and not self.lifecycle.closing:
            paused = not self.lifecycle.paused
            self.lifecycle.process(LifecycleEvent.PAUSE if paused else LifecycleEvent.RESUME)
            out.append(Mark("pause" if paused else "resume", {"active_s": self.cursor.active_s}))
            topic = "paused" if paused else "resumed"
            out.append(self.cues.required(now_s, topic, CueKind.INFO))
        if inputs.toggle_mute:
            self._muted = not self._muted
            out.append(Mark("mute" if self._muted else "unmute"))
        if inputs.tempo_nudge_spm and self.tempo.ramp is not None:
            tempo = self.tempo.ramp.nudge(inputs.tempo_nudge_spm)
            detail = {"delta_spm": inputs.tempo_nudge_spm, "tempo_spm": tempo}
            out.append(Mark("tempo_nudge", detail))
            self.tempo.reason = "nudge"
        if inputs.walk_next_run and not (self.lifecycle.closing or self.machine.running_stopped):
            walked = self.cursor.walk_next_run()
            if walked is not None:
                out.append(Mark("walk_next_run", {"round": walked.round_index}))
                out.append(self.cues.required(now_s, "walk_next_ok", CueKind.INFO))
        if inputs.end_requested:
            if not self.lifecycle.closing:
                self.lifecycle.close(StopReason.USER)
                out.extend(self._ask(now_s, "post_run", POST_RUN_TIMEOUT_S))
            elif self.prompts.is_open:  # asked to end twice: don't wait for the answer
                out.append(self.prompts.close(answered=False))

    def _ask(self, now_s: float, reason: str, timeout_s: float) -> list[Action]:
        return list(self.prompts.ask(now_s, reason, timeout_s, self.profile.pain_stop_rating))

    def _advance(self, now_s: float, dt_s: float, out: list[Action]) -> None:
        """Move the active clock by ``dt_s``, crossing as many segments as needed."""
        remaining = dt_s
        run_dt = 0.0
        while remaining > 0.0 and self.lifecycle.active:
            phase = self.cursor.segment.phase
            take = self.cursor.take(remaining)
            remaining -= take
            if phase is Phase.RUN:
                run_dt += take
            if phase in (Phase.RUN, Phase.WALK):
                self.running.count_session(take)
            if self.cursor.segment_over:
                self._next_segment(now_s, run_dt, out)
                run_dt = 0.0
        if self.lifecycle.active:
            count = self.cursor.countdown_due()
            if count is not None:
                out.append(Countdown(count))
            self._say_exercise(now_s, out)
            self.running.beat_heard = not self._muted
            self.running.tick(now_s, run_dt, out)

    def _say_exercise(self, now_s: float, out: list[Action]) -> None:
        name = self.exercises.due(self.cursor.segment, self.cursor.seg_elapsed_s)
        if name is not None:
            out.append(self.cues.say(now_s, exercise_cue(name), CueKind.INFO, "exercise"))

    def _next_segment(self, now_s: float, run_dt: float, out: list[Action]) -> None:
        ended = self.cursor.segment
        if ended.phase is Phase.RUN:
            self.running.tick(now_s, run_dt, out)
        nxt = self.cursor.advance()
        if nxt is None:
            self.lifecycle.close(self.safety.stop_reason or StopReason.PROGRAM_DONE)
            out.extend(self._ask(now_s, "post_run", POST_RUN_TIMEOUT_S))
            return
        if nxt.phase is Phase.RUN and self.machine.running_stopped:
            raise AssertionError("a stopped session never plans another run")
        self.machine.process(_ENTER_EVENT[nxt.phase])
        self._announce(now_s, nxt, out)
        if ended.phase is Phase.RUN and nxt.phase is Phase.WALK:
            self.running.restart_prompt_clock()
            out.extend(self._ask(now_s, "walk_break", PAIN_TIMEOUT_S))

    def _announce(self, now_s: float, seg: Segment, out: list[Action]) -> None:
        out.append(_phase_change(seg))
        no_beat = seg.phase is Phase.RUN and (
            self.tempo.tempo_spm is None or self._muted or self.tempo.fade.faded
        )
        wording = "run_no_beat" if no_beat else None
        if seg.phase is Phase.COOLDOWN and not seg.exercises:
            wording = "cooldown_walk"  # don't promise stretches the plan doesn't have
        out.append(self.cues.required(now_s, seg.phase.value, CueKind.PHASE, wording))
        self.exercises.new_block()
        if seg.exercises:
            kind = "warmup_block" if seg.phase is Phase.WARMUP else "cooldown_block"
            out.append(Mark(kind, {"name": seg.label, "exercises": list(seg.exercises)}))

    def _finish(self, out: list[Action]) -> None:
        self.lifecycle.process(LifecycleEvent.FINISH)
        stop = self.safety.stop_reason
        reason = stop or self.lifecycle.close_reason or StopReason.PROGRAM_DONE
        if self.machine.phase is not Phase.DONE:
            self.machine.process(PhaseEvent.FINISH)
        out.append(PhaseChange(Phase.DONE, 0, self.cursor.segment.rounds_total, 0.0, "Done"))
        after = self.safety.post_run_rating
        if reason not in _FINE:
            topic = "done_stopped"
        elif after is not None and after >= self.profile.pain_stop_rating:
            topic = "done_rest"  # no praise after a sore run
        else:
            topic = "done"
        out.append(self.cues.required(self._last_now_s, topic, CueKind.PHASE))
        out.append(SessionEnded(reason))

    def _end_at_once(self, reason: StopReason, out: list[Action]) -> None:
        """An emergency (or chest pain, faintness): the session ends here and now.

        No cool-down, no post-run question, no closing line over the advice just given.
        """
        if self.prompts.is_open:
            out.append(self.prompts.close(answered=False))
        self.lifecycle.stop_at_once(reason)
        if self.machine.phase is not Phase.DONE:
            self.machine.process(PhaseEvent.FINISH)
        out.append(PhaseChange(Phase.DONE, 0, self.cursor.rounds_total, 0.0, "Stopped"))
        out.append(SessionEnded(reason))

    def _sync_metronome(self, out: list[Action]) -> None:
        """Work out the wanted metronome state; ``MetronomeSync`` sends the differences."""
        phase = self.machine.phase
        live = self.lifecycle.active and not self.machine.running_stopped
        tempo: float | None = None
        if live and phase is Phase.RUN:
            tempo = self.tempo.tempo_spm
        elif live and phase is Phase.WALK and (
            self.profile.metronome.walk is WalkMetronome.WALK_TEMPO
        ):
            tempo = self.profile.metronome.walk_tempo_spm
        silent = self._muted or (phase is Phase.RUN and self.tempo.fade.silent)
        volume = 0.0 if silent else self.profile.metronome.volume
        gentle = self.tempo.fade.faded and self.profile.tempo.fade_mode is FadeMode.FADE
        reason = self.tempo.take_reason() or phase.value
        out.extend(
            self.metronome.reconcile(
                tempo, volume, tempo_reason=reason,
                off_reason="pause" if self.lifecycle.paused else phase.value,
                fade_s=GENTLE_FADE_S if gentle and not self._muted else 0.0,
            )
        )


def _phase_change(seg: Segment) -> PhaseChange:
    """The announcement that ``seg`` begins."""
    return PhaseChange(seg.phase, seg.round_index, seg.rounds_total, seg.duration_s, seg.label)
