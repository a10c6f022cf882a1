"""What the shell hands the coach on each tick.

Everything the runner or the sensors did since the previous tick, gathered by
the shell and passed in with the time; the coach never reads a clock or a queue.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from cadence.model.sample import Sample


class RedFlag(StrEnum):
    """A warning sign the runner reports (``warning_signs.WARNING_SIGNS`` has the words)."""

    LEG_SYMPTOMS = "leg_symptoms"  # pain, tingling or numbness spreading down a leg
    LEG_WEAKNESS = "leg_weakness"  # a leg or foot that feels weak
    NIGHT_PAIN = "night_pain"  # back pain that wakes the runner at night
    RECENT_FALL = "recent_fall"  # a recent fall or blow to the back
    CHEST_PAIN = "chest_pain"  # general exercise safety: stop at once
    FAINT = "faint"  # faintness or dizziness: stop at once
    EMERGENCY = "emergency"  # saddle-area numbness, new bladder or bowel changes


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
