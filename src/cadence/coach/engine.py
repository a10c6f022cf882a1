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
handled, even while paused), then keys (pause, mute, nudge, end), then the
clock and the plan, then running rules (baseline, ramp, fade, cues, interval
prompts), then prompt timeouts, then the metronome.
"""

from __future__ import annotations

from cadence.coach import running
from cadence.coach.actions import (
    Action,
    Countdown,
    CueKind,
    Mark,
    MetronomeOff,
    MetronomeOn,
    MetronomeVolume,
    Phase,
    PhaseChange,
    SessionEnded,
    SetTempo,
    StopReason,
    StopRun,
)
from cadence.coach.inputs import Inputs, PainAnswer
from cadence.coach.pain import PainVerdict, SafetyOutcome, judge_rating, judge_red_flag
from cadence.coach.phases import PhaseEvent
from cadence.coach.plan import Segment
from cadence.coach.status import CoachStatus
from cadence.profile.model import FadeMode, Profile, ProgramWeek, WalkMetronome

PAIN_TIMEOUT_S = 30.0
POST_RUN_TIMEOUT_S = 60.0
_ENTER_EVENT = {
    Phase.RUN: PhaseEvent.START_RUN,
    Phase.WALK: PhaseEvent.START_WALK,
    Phase.COOLDOWN: PhaseEvent.START_COOLDOWN,
    Phase.WARMUP: PhaseEvent.NEXT_WARMUP_BLOCK,
}


class Coach(running.RunningRules):
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
    """

    def __init__(
        self, profile: Profile, week: ProgramWeek, *, start_s: float = 0.0, stage: int = 1
    ) -> None:
        super().__init__(profile, week, stage)
        self.start_s = start_s
        self._last_now_s = start_s
        self._started = False
        self._ended = False
        self._paused = False
        self._muted = False
        self._ending_reason: StopReason | None = None  # set once the post-run question is due
        self._stop_reason: StopReason | None = None
        self._countdown_from = 4
        self._emitted: tuple[bool, float | None, float] = (False, None, -1.0)

    # ------------------------------------------------------------------ public

    def step(self, now_s: float, inputs: Inputs) -> list[Action]:
        """Advance to ``now_s`` (session clock, seconds) and return what to do."""
        if self._ended:
            return []
        out: list[Action] = []
        dt_s = max(0.0, now_s - self._last_now_s)
        self._last_now_s = max(self._last_now_s, now_s)
        if not self._started:
            self._start(now_s, out)
        self._ingest(now_s, inputs, out)
        if inputs.red_flag is not None:
            out.append(Mark("red_flag", {"flag": inputs.red_flag.value}))
            self._apply_safety(now_s, judge_red_flag(inputs.red_flag), out)
        if inputs.pain is not None:
            self._on_pain(now_s, inputs.pain, out)
        self._on_keys(now_s, inputs, out)
        if not self._paused and self._ending_reason is None:
            self._advance(now_s, dt_s, out)
        if self.prompts.expired(now_s):
            out.append(self.prompts.close(answered=False))
        if self._ending_reason is not None and not self.prompts.is_open:
            self._finish(out)
        self._sync_metronome(out)
        return out

    def status(self, now_s: float) -> CoachStatus:
        """A snapshot for the screen and the JSON log."""
        seg = self.segment
        on, tempo, volume = self._emitted
        prompt = self.prompts.open_prompt
        nxt = None if self._ended else self.next_segment()
        return CoachStatus(
            now_s=now_s,
            phase=Phase.DONE if self._ended else self.machine.phase,
            phase_left_s=self.segment_left_s(),
            round_index=seg.round_index,
            rounds_total=seg.rounds_total,
            tempo_spm=tempo,
            metronome_on=on,
            muted=self._muted,
            volume=max(volume, 0.0),
            cadence_spm=self.cadence(now_s),
            target_spm=self.target_spm if self.target_spm is not None else 0.0,
            band_low_spm=self.profile.band.low_spm,
            band_high_spm=self.profile.band.high_spm,
            paused=self._paused,
            running_stopped=self.machine.running_stopped,
            pain_prompt_id=prompt.prompt_id if prompt else None,
            last_pain_rating=self.last_rating,
            elapsed_s=self.active_s,
            next_phase=nxt.phase if nxt is not None else None,
            next_duration_s=nxt.duration_s if nxt is not None else None,
            session_left_s=0.0 if self._ended else self.session_left_s(),
        )

    @property
    def ended(self) -> bool:
        return self._ended

    # ------------------------------------------------------------- internals

    def _start(self, now_s: float, out: list[Action]) -> None:
        self._started = True
        out.append(
            Mark(
                "session_start",
                {"week": self.week.week, "stage": self.stage, "baseline_spm": self.baseline_spm,
                 "target_spm": self.target_spm, "segments": len(self.plan)},
            )
        )
        if not self.plan:
            self._ending_reason = StopReason.PROGRAM_DONE
            return
        self._announce(now_s, self.segment, out)
        if self.profile.treadmill:
            out.append(self.cues.required(now_s, "treadmill_incline", CueKind.INFO))

    def _on_keys(self, now_s: float, inputs: Inputs, out: list[Action]) -> None:
        if inputs.toggle_pause and self._ending_reason is None:
            self._paused = not self._paused
            out.append(Mark("pause" if self._paused else "resume", {"active_s": self.active_s}))
            topic = "paused" if self._paused else "resumed"
            out.append(self.cues.required(now_s, topic, CueKind.INFO))
        if inputs.toggle_mute:
            self._muted = not self._muted
            out.append(Mark("mute" if self._muted else "unmute"))
        if inputs.tempo_nudge_spm and self.ramp is not None:
            tempo = self.ramp.nudge(inputs.tempo_nudge_spm)
            detail = {"delta_spm": inputs.tempo_nudge_spm, "tempo_spm": tempo}
            out.append(Mark("tempo_nudge", detail))
            self.tempo_reason = "nudge"
        if inputs.end_requested:
            if self._ending_reason is None:
                self._ending_reason = StopReason.USER
                self._paused = False
                out.extend(self.prompts.ask(now_s, "post_run", POST_RUN_TIMEOUT_S))
            elif self.prompts.is_open:  # asked to end twice: don't wait for the answer
                out.append(self.prompts.close(answered=False))

    def _on_pain(self, now_s: float, answer: PainAnswer, out: list[Action]) -> None:
        prompt = self.prompts.open_prompt
        reason = "volunteered"
        if prompt is not None and answer.prompt_id in (None, prompt.prompt_id):
            reason = prompt.reason
            out.append(self.prompts.close(answered=True))
        if not 0 <= answer.rating <= 10:
            out.append(Mark("pain_invalid", {"rating": answer.rating}))
            return
        outcome = judge_rating(answer.rating, self.last_rating, self.profile.pain_stop_rating)
        out.append(
            Mark("pain", {"rating": answer.rating, "prompt_id": answer.prompt_id,
                          "reason": reason, "verdict": outcome.verdict.value})
        )
        self.last_rating = answer.rating
        if reason == "post_run" or self.machine.phase is Phase.DONE:
            if outcome.verdict is PainVerdict.STOP_PROFESSIONAL:
                out.append(self.cues.required(now_s, "post_run_high", CueKind.SAFETY))
            return
        self._apply_safety(now_s, outcome, out)

    def _apply_safety(self, now_s: float, outcome: SafetyOutcome, out: list[Action]) -> None:
        if outcome.topic is None:
            return
        if outcome.stop_reason is None:  # ease off: only worth saying while on the move
            if self.machine.phase in (Phase.RUN, Phase.WALK) and not self.machine.running_stopped:
                out.append(self.cues.required(now_s, outcome.topic, CueKind.SAFETY))
            return
        first_stop = not self.machine.running_stopped
        upgrade = outcome.stop_reason is StopReason.EMERGENCY and (
            self._stop_reason is not StopReason.EMERGENCY
        )
        if first_stop or upgrade:
            self._stop_reason = outcome.stop_reason
            out.append(StopRun(outcome.stop_reason, outcome.message))
            out.append(MetronomeOff(reason="stop"))
            self._emitted = (False, self._emitted[1], self._emitted[2])
            if self.machine.phase is not Phase.DONE and self._ending_reason is None:
                self.machine.process(PhaseEvent.STOP_RUNNING)
                open_ended = outcome.stop_reason is StopReason.EMERGENCY
                self.enter_stop_cooldown(None if open_ended else self.week.cooldown_s)
                out.append(_phase_change(self.segment))
        out.append(self.cues.required(now_s, outcome.topic, CueKind.SAFETY))

    def _advance(self, now_s: float, dt_s: float, out: list[Action]) -> None:
        """Move the active clock by ``dt_s``, crossing as many segments as needed."""
        remaining = dt_s
        run_dt = 0.0
        while remaining > 0.0 and self._ending_reason is None:
            seg = self.segment
            left = self.segment_left_s()
            take = remaining if left is None else min(remaining, left)
            self.active_s += take
            self.seg_elapsed_s += take
            remaining -= take
            if seg.phase is Phase.RUN:
                run_dt += take
            if seg.duration_s is not None and self.seg_elapsed_s >= seg.duration_s - 1e-9:
                self._next_segment(now_s, run_dt, out)
                run_dt = 0.0
        if self._ending_reason is None:
            self._countdown(out)
            self.running_rules(now_s, run_dt, out)

    def _next_segment(self, now_s: float, run_dt: float, out: list[Action]) -> None:
        ended = self.segment
        if ended.phase is Phase.RUN:
            self.running_rules(now_s, run_dt, out)
        nxt = self.advance_plan()
        if nxt is None:
            self._ending_reason = self._stop_reason or StopReason.PROGRAM_DONE
            out.extend(self.prompts.ask(now_s, "post_run", POST_RUN_TIMEOUT_S))
            return
        if nxt.phase is Phase.RUN and self.machine.running_stopped:
            raise AssertionError("a stopped session never plans another run")
        self.machine.process(_ENTER_EVENT[nxt.phase])
        self._announce(now_s, nxt, out)
        if ended.phase is Phase.RUN and nxt.phase is Phase.WALK:
            self.since_prompt_s = 0.0
            out.extend(self.prompts.ask(now_s, "walk_break", PAIN_TIMEOUT_S))

    def _announce(self, now_s: float, seg: Segment, out: list[Action]) -> None:
        self._countdown_from = 4
        out.append(_phase_change(seg))
        out.append(self.cues.required(now_s, seg.phase.value, CueKind.PHASE))
        if seg.exercises:
            out.append(Mark("warmup_block", {"name": seg.label, "exercises": list(seg.exercises)}))

    def _countdown(self, out: list[Action]) -> None:
        seg = self.segment
        if seg.duration_s is None or seg.duration_s <= 3.0 or not self.has_next_segment():
            return
        left = seg.duration_s - self.seg_elapsed_s
        due = [k for k in (1, 2, 3) if left <= k]
        if due and min(due) < self._countdown_from:
            self._countdown_from = min(due)
            out.append(Countdown(self._countdown_from))

    def _finish(self, out: list[Action]) -> None:
        self._ended = True
        reason = self._stop_reason or self._ending_reason or StopReason.PROGRAM_DONE
        if self.machine.phase is not Phase.DONE:
            self.machine.process(PhaseEvent.FINISH)
        out.append(PhaseChange(Phase.DONE, 0, self.segment.rounds_total, 0.0, "Done"))
        topic = "done" if reason in (StopReason.PROGRAM_DONE, StopReason.USER) else "done_stopped"
        out.append(self.cues.required(self._last_now_s, topic, CueKind.PHASE))
        out.append(SessionEnded(reason))

    def _sync_metronome(self, out: list[Action]) -> None:
        """Emit only the differences between the wanted and the last-sent metronome state."""
        phase = self.machine.phase
        live = not (self._paused or self._ended or self._ending_reason is not None
                    or self.machine.running_stopped)
        tempo: float | None = None
        if live and phase is Phase.RUN and self.ramp is not None:
            tempo = self.ramp.tempo_spm
        elif live and phase is Phase.WALK and (
            self.profile.metronome.walk is WalkMetronome.WALK_TEMPO
        ):
            tempo = self.profile.metronome.walk_tempo_spm
        on = tempo is not None
        silent = self._muted or (phase is Phase.RUN and self.fade.silent)
        volume = 0.0 if silent else self.profile.metronome.volume
        was_on, was_tempo, was_volume = self._emitted
        if tempo is not None and tempo != was_tempo:
            out.append(SetTempo(tempo, self.tempo_reason or phase.value))
        self.tempo_reason = ""
        if on and not was_on:
            out.append(MetronomeOn())
        if not on and was_on:
            out.append(MetronomeOff(reason="pause" if self._paused else phase.value))
        if on and volume != was_volume:
            gentle = self.fade.faded and self.profile.tempo.fade_mode is FadeMode.FADE
            fade_s = 8.0 if gentle and not self._muted else 0.0
            out.append(MetronomeVolume(volume, fade_s))
        self._emitted = (on, tempo if on else was_tempo, volume if on else was_volume)


def _phase_change(seg: Segment) -> PhaseChange:
    """The announcement that ``seg`` begins."""
    return PhaseChange(seg.phase, seg.round_index, seg.rounds_total, seg.duration_s, seg.label)
