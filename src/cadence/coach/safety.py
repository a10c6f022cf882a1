"""What the coach does with a pain rating or a warning sign.

Why its own object: the safety flows are the part of the coach a runner has
to be able to trust, so they sit together and are read together. The rules
(``pain.judge_rating``, ``warning_signs``) say what a rating or a sign means;
this carries it out on the session's parts (phase machine, plan cursor,
metronome, tempo, cues, prompts):

- every rating is acknowledged out loud and on screen, whatever the state;
- a rating that rises below the stop level freezes the tempo climb for the
  rest of the session and offers to walk the next run interval;
- a pain stop or a warning sign stops running (``StopRun``), the beat goes
  off and the rest of the plan becomes a walking cool-down;
- an emergency sign, chest pain or faintness stops everything at once:
  ``end_now`` is set and the engine ends the session with no cool-down and no
  further prompts;
- on a treadmill every stop first says to hold the rails, slow the belt and
  step off (a numb or weak leg on a moving belt is a fall risk);
- safety lines are required cues: they are said in every state, also after a
  stop and while the post-run question is open.
"""

from __future__ import annotations

from cadence.coach.actions import (
    Action,
    CueKind,
    Mark,
    Phase,
    PhaseChange,
    StopReason,
    StopRun,
)
from cadence.coach.cue_library import PAIN_NOTED
from cadence.coach.cues import CueScheduler
from cadence.coach.inputs import PainAnswer, RedFlag
from cadence.coach.lifecycle import Lifecycle
from cadence.coach.metronome_sync import MetronomeSync
from cadence.coach.pain import (
    PainPrompts,
    PainVerdict,
    SafetyOutcome,
    judge_rating,
    judge_red_flag,
)
from cadence.coach.phases import PhaseEvent, PhaseMachine
from cadence.coach.plan_cursor import PlanCursor
from cadence.coach.tempo_course import TempoCourse
from cadence.profile.model import Profile, ProgramWeek

_RANK = {StopReason.PAIN: 1, StopReason.RED_FLAG: 2, StopReason.EMERGENCY: 3}


class SafetyRules:
    """Pain answers and warning signs, carried out on the session's parts."""

    def __init__(
        self,
        profile: Profile,
        week: ProgramWeek,
        *,
        lifecycle: Lifecycle,
        machine: PhaseMachine,
        cursor: PlanCursor,
        metronome: MetronomeSync,
        tempo: TempoCourse,
        cues: CueScheduler,
        prompts: PainPrompts,
    ) -> None:
        self.profile = profile
        self.week = week
        self.lifecycle = lifecycle
        self.machine = machine
        self.cursor = cursor
        self.metronome = metronome
        self.tempo = tempo
        self.cues = cues
        self.prompts = prompts
        self.last_rating: int | None = None
        self.post_run_rating: int | None = None
        self.stop_reason: StopReason | None = None
        self.end_now: StopReason | None = None  # set: the engine ends the session at once

    def red_flag(self, now_s: float, flag: RedFlag, out: list[Action]) -> None:
        out.append(Mark("red_flag", {"flag": flag.value}))
        self._apply(now_s, judge_red_flag(flag), out)

    def pain(self, now_s: float, answer: PainAnswer, out: list[Action]) -> None:
        prompt = self.prompts.open_prompt
        reason = "volunteered"
        if prompt is not None and answer.prompt_id in (None, prompt.prompt_id):
            reason = prompt.reason
            out.append(self.prompts.close(answered=True))
        if not 0 <= answer.rating <= 10:
            out.append(Mark("pain_invalid", {"rating": answer.rating}))
            return
        stop_at = self.profile.pain_stop_rating
        outcome = judge_rating(answer.rating, self.last_rating, stop_at)
        out.append(
            Mark("pain", {"rating": answer.rating, "prompt_id": answer.prompt_id,
                          "reason": reason, "verdict": outcome.verdict.value})
        )
        out.append(self.cues.say(now_s, PAIN_NOTED[answer.rating], CueKind.INFO, "pain_noted"))
        self.last_rating = answer.rating
        if reason == "post_run" or self.machine.phase is Phase.DONE:
            self.post_run_rating = answer.rating
            if outcome.verdict is PainVerdict.STOP_PROFESSIONAL:
                out.append(self.cues.required(now_s, "post_run_high", CueKind.SAFETY))
            elif outcome.verdict is PainVerdict.STOP:
                out.append(self.cues.required(now_s, "post_run_sore", CueKind.SAFETY))
            return
        self._apply(now_s, outcome, out)

    def _apply(self, now_s: float, outcome: SafetyOutcome, out: list[Action]) -> None:
        if outcome.topic is None:
            return
        if outcome.stop_reason is None:
            self._ease_off(now_s, out)
            return
        reason = outcome.stop_reason
        first_stop = self.stop_reason is None and not self.machine.running_stopped
        upgrade = self.stop_reason is not None and _RANK[reason] > _RANK[self.stop_reason] and (
            reason is StopReason.EMERGENCY or outcome.ends_session
        )
        if first_stop or upgrade or (outcome.ends_session and self.end_now is None):
            if self.stop_reason is None or _RANK[reason] > _RANK[self.stop_reason]:
                self.stop_reason = reason
            out.append(StopRun(reason, outcome.message))
            out.append(self.metronome.stopped())
            if not outcome.ends_session and self._can_enter_cooldown():
                self.machine.process(PhaseEvent.STOP_RUNNING)
                seg = self.cursor.enter_stop_cooldown(self.week.cooldown_s)
                out.append(PhaseChange(seg.phase, seg.round_index, seg.rounds_total,
                                       seg.duration_s, seg.label))
        if self.profile.treadmill:
            out.append(self.cues.required(now_s, "treadmill_step_off", CueKind.SAFETY))
        out.append(self.cues.required(now_s, outcome.topic, CueKind.SAFETY))
        if outcome.ends_session:
            self.end_now = self.stop_reason

    def _can_enter_cooldown(self) -> bool:
        return (
            self.machine.phase is not Phase.DONE
            and not self.lifecycle.closing
            and not self.machine.running_stopped
        )

    def _ease_off(self, now_s: float, out: list[Action]) -> None:
        """Rising pain below the stop: hold the tempo for good, offer a walk."""
        if self.tempo.freeze():
            out.append(Mark("tempo_frozen", {"rating": self.last_rating,
                                             "tempo_spm": self.tempo.tempo_spm}))
        moving = self.machine.phase in (Phase.WARMUP, Phase.RUN, Phase.WALK) and not (
            self.machine.running_stopped or self.lifecycle.closing
        )
        out.append(
            self.cues.required(now_s, "ease_off" if moving else "ease_off_stopped",
                               CueKind.SAFETY)
        )
