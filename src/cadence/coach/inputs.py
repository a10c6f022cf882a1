"""What the shell hands the coach on each tick.

Everything the runner or the sensors did since the previous tick, gathered by
the shell and passed in with the time; the coach never reads a clock or a queue.
"""

from __future__ import annotations

from dataclasses import dataclass

from cadence.coach.warning_signs import RedFlag
from cadence.model.sample import Sample

__all__ = ["Inputs", "PainAnswer", "RedFlag"]


@dataclass(frozen=True, slots=True)
class PainAnswer:
    rating: int  # 0-10
    prompt_id: int | None = None  # None: volunteered without a prompt


@dataclass(frozen=True, slots=True)
class Inputs:
    samples: tuple[Sample, ...] = ()
    taps_s: tuple[float, ...] = ()  # footfall taps (session clock) for tap-tempo
    pain: PainAnswer | None = None
    red_flag: RedFlag | None = None
    tempo_nudge_spm: float = 0.0  # +/- keys: the runner overrides the tempo
    toggle_mute: bool = False
    toggle_pause: bool = False
    end_requested: bool = False
    walk_next_run: bool = False  # the runner takes the offer to walk the next run interval
