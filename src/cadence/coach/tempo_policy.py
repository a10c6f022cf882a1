"""Where the metronome is heading this session, and how fast it gets there.

The rules (``shared/docs/coaching-facts.md``): raise cadence 5-10 % above the
runner's own, toward a 170-180 spm band, in small steps.

- ``session_target_spm``: baseline x (1 + stage x 5 %), never more than +10 %
  above baseline. The band is a *cap and a goal*, not a floor: a 158 spm runner
  at stage 1 aims at 165.9 spm, not at 170, because a jump of 12 spm in one go
  is more than the +5 % a stage allows. Above the band's top the target is cut
  to the top (a 168 runner at stage 2 aims at 180, not 184.8). A runner who
  already runs above the band keeps their own cadence: the coach never slows
  anyone down.
- ``TempoRamp``: the metronome starts at the runner's own cadence and moves
  ``ramp_step_spm`` toward the target every ``ramp_interval_s`` of running, but
  holds while the runner lags the beat by more than ``lag_tolerance_spm`` (or
  while there is no cadence reading). Every increase is therefore at most one
  step, and happens only when the runner is within tolerance of the beat.
  Manual nudges (+/- keys) switch the ramp to manual for the rest of the
  session: the runner's choice wins, up to a cap.
- The cap (``tempo_cap_spm``): neither the keys nor the ramp take the beat above
  the band's top or the runner's own cadence, whichever is higher. A runner
  who already runs above the band is never slowed, and nobody is pushed past it.
- ``hold``: rising pain below the stop level freezes the climb for the rest
  of the session (the beat stays where it is; the runner may still slow it).
"""

from __future__ import annotations

from cadence.profile.model import CadenceBand, FadeMode, TempoPolicy

MIN_TEMPO_SPM = 60.0
MAX_TEMPO_SPM = 240.0


def session_target_spm(
    baseline_spm: float, stage: int, policy: TempoPolicy, band: CadenceBand
) -> float:
    """The tempo this session ramps toward (see the module docstring)."""
    pct = min(max(stage, 0) * policy.stage_increase_pct, policy.max_increase_pct)
    raised = baseline_spm * (1.0 + pct / 100.0)
    capped = min(raised, band.high_spm)
    return round(max(capped, baseline_spm), 1)


def tempo_cap_spm(baseline_spm: float, band: CadenceBand) -> float:
    """The highest beat this runner may get: the band's top or their own cadence."""
    return max(band.high_spm, baseline_spm)


class TempoRamp:
    """The metronome tempo during running, advanced on running time only."""

    def __init__(
        self,
        start_spm: float,
        target_spm: float,
        policy: TempoPolicy,
        cap_spm: float = MAX_TEMPO_SPM,
    ) -> None:
        self.policy = policy
        self.cap_spm = cap_spm
        self.target_spm = min(target_spm, cap_spm)
        self.tempo_spm = round(start_spm, 1)
        self.manual = False
        self.held = False  # rising pain: no more increases this session
        self._held_at_spm = MAX_TEMPO_SPM
        self._since_step_s = 0.0

    def hold(self) -> None:
        """Freeze the climb: no more automatic increases, no + past the current beat."""
        self.held = True
        self._held_at_spm = min(self._held_at_spm, self.tempo_spm)

    @property
    def at_target(self) -> bool:
        return self.tempo_spm >= self.target_spm

    def advance(self, run_dt_s: float, cadence_spm: float | None) -> float | None:
        """Count ``run_dt_s`` of running; returns the new tempo when it stepped."""
        if self.manual or self.held or self.at_target:
            return None
        self._since_step_s += run_dt_s
        if self._since_step_s < self.policy.ramp_interval_s:
            return None
        if cadence_spm is None or cadence_spm < self.tempo_spm - self.policy.lag_tolerance_spm:
            return None  # lagging (or blind): hold the beat until the runner catches up
        self._since_step_s = 0.0
        step = min(self.policy.ramp_step_spm, self.target_spm - self.tempo_spm)
        self.tempo_spm = round(self.tempo_spm + step, 1)
        return self.tempo_spm

    def nudge(self, delta_spm: float) -> float:
        """The runner pressed +/-: move the tempo and stop auto-ramping.

        Never above the cap; once held, never above the beat it was held at.
        """
        self.manual = True
        top = min(MAX_TEMPO_SPM, self.cap_spm)
        if self.held:
            top = min(top, self._held_at_spm)
        wanted = self.tempo_spm + delta_spm
        if delta_spm > 0:
            wanted = min(top, wanted)
        self.tempo_spm = round(min(MAX_TEMPO_SPM, max(MIN_TEMPO_SPM, wanted)), 1)
        return self.tempo_spm


class FadedFeedback:
    """Fade the metronome once the runner holds the target; bring it back on a slip.

    "Holding" means cadence within ``HOLD_SPM`` below the beat (or above it) while
    the ramp has arrived. After ``policy.fade_after_s`` of running like that, the
    metronome fades out (``FadeMode.FADE``) or plays ``INTERMITTENT_ON_S`` out of
    every ``INTERMITTENT_ON_S + INTERMITTENT_OFF_S`` seconds. It comes back when
    cadence stays below ``min(band low, target - lag tolerance)`` for ``SLIP_S``:
    for a runner whose target sits inside the band that is the band's floor; for
    one still working up to the band it is a margin below their own target.
    """

    HOLD_SPM = 2.0
    SLIP_S = 5.0
    INTERMITTENT_ON_S = 30.0
    INTERMITTENT_OFF_S = 60.0

    def __init__(self, policy: TempoPolicy, band: CadenceBand) -> None:
        self.policy = policy
        self.band = band
        self.faded = False
        self.hold_s = 0.0
        self._slip_s = 0.0
        self._faded_run_s = 0.0

    def update(
        self, run_dt_s: float, cadence_spm: float | None, ramp: TempoRamp
    ) -> str | None:
        """Count running time; returns "fade_out" or "fade_back" when the state flips."""
        if self.policy.fade_mode is FadeMode.NONE or cadence_spm is None:
            return None
        if not self.faded:
            arrived = ramp.at_target or ramp.manual
            if arrived and cadence_spm >= ramp.tempo_spm - self.HOLD_SPM:
                self.hold_s += run_dt_s
            else:
                self.hold_s = 0.0
            if self.hold_s >= self.policy.fade_after_s:
                self.faded = True
                self._faded_run_s = 0.0
                self._slip_s = 0.0
                return "fade_out"
            return None
        self._faded_run_s += run_dt_s
        floor = min(self.band.low_spm, ramp.target_spm - self.policy.lag_tolerance_spm)
        self._slip_s = self._slip_s + run_dt_s if cadence_spm < floor else 0.0
        if self._slip_s >= self.SLIP_S:
            self.faded = False
            self.hold_s = 0.0
            return "fade_back"
        return None

    @property
    def silent(self) -> bool:
        """Whether the beat should be inaudible right now."""
        if not self.faded:
            return False
        if self.policy.fade_mode is FadeMode.FADE:
            return True
        cycle = self.INTERMITTENT_ON_S + self.INTERMITTENT_OFF_S
        return self._faded_run_s % cycle >= self.INTERMITTENT_ON_S
