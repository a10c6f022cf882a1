"""A read-only snapshot of the coach for the screen and the JSON log."""

from __future__ import annotations

from dataclasses import dataclass

from cadence.coach.actions import Phase


@dataclass(frozen=True, slots=True)
class CoachStatus:
    now_s: float
    phase: Phase
    phase_left_s: float | None
    round_index: int
    rounds_total: int
    tempo_spm: float | None  # what the metronome is set to (None before the first beat)
    metronome_on: bool
    muted: bool
    volume: float
    cadence_spm: float | None  # the coach's estimate, steps per minute
    target_spm: float  # where the ramp is heading this session
    band_low_spm: float
    band_high_spm: float
    paused: bool
    running_stopped: bool  # True after a pain stop or a red flag
    pain_prompt_id: int | None  # an open prompt, or None
    last_pain_rating: int | None
    elapsed_s: float  # active (unpaused) session time
    pain_stop_at: int = 3  # the profile's stop level, for the pain question's text
