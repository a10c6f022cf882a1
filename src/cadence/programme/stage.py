"""The tempo stage, the original cadence and faded feedback, across sessions.

- The runner's **original cadence** is kept once: the profile's
  ``baseline_cadence_spm`` if set, else the first baseline a session measured.
  Every later target is worked out from it, so however many sessions pass the
  target stays at or below original +``max_increase_pct`` (10 %) and the band's
  top; a runner already above the band keeps their own rhythm. A newer measured
  cadence is shown as the current one but never replaces the original.
- The **stage** rises by one only after a session in which the runner held the
  target with pain at 2/10 or less (and pain settled afterwards); anything else
  keeps it. Past the stage that reaches the cap, more stages add nothing, so the
  stage stops there.
- **Feedback fades** across sessions: one step along the profile's schedule
  (continuous beat, then intermittent, then a beat only when off target) after
  every ``feedback_step_sessions`` sessions with the target held.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from cadence.coach.tempo_policy import session_target_spm
from cadence.profile.model import FadeMode, FeedbackStep, Profile
from cadence.programme.followups import later_pain, not_settled
from cadence.programme.records import PastSession, RunnerCadence

HOLD_SPM = 2.0  # "held": the last run's average within this of the target
STAGE_MAX_PAIN = 2

#: how each feedback step is played by the coach's within-session fader
FEEDBACK_FADE: dict[FeedbackStep, FadeMode] = {
    FeedbackStep.CONTINUOUS: FadeMode.NONE,
    FeedbackStep.INTERMITTENT: FadeMode.INTERMITTENT,
    FeedbackStep.BANDWIDTH: FadeMode.FADE,
}


def held_target(target_spm: float | None, reached: bool, faded: bool,
                last_run_avg_spm: float | None) -> bool:
    """Whether a session counts as "target held".

    The coach fades the beat only after the runner kept to the target for a
    while, so a fade is proof; otherwise the ramp must have arrived and the
    last run interval's average cadence be within ``HOLD_SPM`` of the target.
    """
    if target_spm is None:
        return False
    if faded:
        return True
    return reached and last_run_avg_spm is not None and last_run_avg_spm >= target_spm - HOLD_SPM


def original_cadence(stored: RunnerCadence | None, profile: Profile,
                     sessions: Sequence[PastSession]) -> RunnerCadence | None:
    """The original cadence to keep: the stored one, else the profile's, else the first measured."""
    if stored is not None:
        return stored
    if profile.baseline_cadence_spm is not None:
        return RunnerCadence(profile.baseline_cadence_spm, "profile")
    for s in sessions:
        if s.baseline_spm is not None and s.baseline_source in ("sensor", "tap"):
            return RunnerCadence(s.baseline_spm, "measured", s.session_id)
    return None


def top_stage(profile: Profile) -> int:
    """The first stage at which the +max % cap is reached (more would add nothing)."""
    t = profile.tempo
    return max(1, math.ceil(t.max_increase_pct / t.stage_increase_pct - 1e-9))


def _clean(s: PastSession) -> bool:
    peak = max(s.max_pain_during or 0, s.post_run_pain or 0, later_pain(s) or 0)
    return peak <= STAGE_MAX_PAIN and not not_settled(s)


def next_stage(profile: Profile, sessions: Sequence[PastSession]) -> tuple[int, str]:
    """Today's stage and why."""
    ran = [s for s in sessions if s.stage is not None]
    if not ran:
        return 1, "First stage: the beat starts a little above your own cadence."
    last = ran[-1]
    stage = last.stage or 1
    if last.held_target and _clean(last):
        if stage >= top_stage(profile):
            return stage, "You held the highest target last time: it stays there."
        return stage + 1, "You held the target last time with little or no pain: one stage up."
    if not last.held_target:
        return stage, "Last time the target was not held yet: same stage again."
    return stage, "Pain came up last time: same stage again."


def target_spm(profile: Profile, original: RunnerCadence | None, stage: int) -> float | None:
    """Today's target from the original cadence (``None`` until it is known)."""
    if original is None:
        return None
    return session_target_spm(original.original_spm, stage, profile.tempo, profile.band)


def feedback_step(profile: Profile, sessions: Sequence[PastSession]) -> FeedbackStep:
    settings = profile.progression
    held = sum(1 for s in sessions if s.held_target and _clean(s))
    index = min(held // settings.feedback_step_sessions, len(settings.feedback_schedule) - 1)
    return settings.feedback_schedule[index]
