"""The shapes of a post-run summary and of a session's headline row.

Kept apart from the arithmetic (``summary``) so the renderers, the TUI screen and
history can import the shapes without numpy (the version of the arithmetic,
``SUMMARY_VERSION``, lives with it in ``summary``). ``SessionHeadline`` is what the
store caches per finished session, so ``cadence history`` over years of runs
reads one small row each instead of re-summarising every sample.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from cadence.coach.safety_log import SafetyEntry

#: "at today's target": running cadence within this of the session's target tempo
#: (a runner's steps wander a few spm around any beat; the band is 10 spm wide)
AT_TARGET_TOLERANCE_SPM = 3.0


@dataclass(frozen=True, slots=True)
class HistogramBin:
    low_spm: float
    high_spm: float
    seconds: float


@dataclass(frozen=True, slots=True)
class CadenceDrift:
    first_third_spm: float
    last_third_spm: float

    @property
    def drift_spm(self) -> float:
        return self.last_third_spm - self.first_third_spm


@dataclass(frozen=True, slots=True)
class IntervalRow:
    index: int  # 1-based position in the session
    phase: str  # a Phase value: warmup, run, walk, cooldown; "" before the first phase
    round_index: int
    start_s: float
    duration_s: float
    avg_cadence_spm: float | None
    avg_tempo_spm: float | None  # None: the metronome was off for the whole interval
    avg_hr_bpm: float | None


@dataclass(frozen=True, slots=True)
class Compliance:
    """How closely cadence followed the metronome, over the time it was playing."""

    seconds: float  # metronome on, with a cadence reading
    mean_abs_error_spm: float
    within_2_spm_pct: float


@dataclass(frozen=True, slots=True)
class PainPoint:
    t_s: float
    rating: int
    when: str  # "during" | "post_run"
    prompt_id: int | None


@dataclass(frozen=True, slots=True)
class Comparison:
    """This session against the mean of the previous ones given to ``summarize``."""

    previous_sessions: int
    previous_avg_cadence_spm: float | None
    delta_avg_cadence_spm: float | None
    previous_time_in_band_pct: float | None
    delta_time_in_band_pct: float | None


@dataclass(frozen=True, slots=True)
class Summary:
    session_id: int
    started_at: datetime
    finished: bool
    end_reason: str | None
    duration_s: float
    distance_m: float | None
    run_s: float
    walk_s: float
    warmup_s: float
    cooldown_s: float
    paused_s: float
    band_low_spm: float
    band_high_spm: float
    cadence_s: float  # running seconds with a cadence reading (the base of the figures below)
    avg_cadence_spm: float | None
    median_cadence_spm: float | None
    time_in_band_s: float
    time_in_band_pct: float | None
    target_spm: float | None  # today's target tempo (None: the coach never set one)
    time_at_target_s: float  # running within AT_TARGET_TOLERANCE_SPM of the target
    time_at_target_pct: float | None
    histogram: tuple[HistogramBin, ...]
    drift: CadenceDrift | None
    intervals: tuple[IntervalRow, ...]
    compliance: Compliance | None
    avg_hr_bpm: float | None
    max_hr_bpm: int | None
    pain: tuple[PainPoint, ...]
    max_pain: int | None
    cues_by_topic: tuple[tuple[str, int], ...]  # most frequent first
    stops: tuple[tuple[float, str], ...]  # (t_s, reason)
    red_flags: tuple[tuple[float, str], ...]  # (t_s, stored id)
    safety: tuple[SafetyEntry, ...]  # the safety log: plain words, oldest first
    sensor_drops: int
    comparison: Comparison | None

    @property
    def cues_total(self) -> int:
        return sum(n for _, n in self.cues_by_topic)


@dataclass(frozen=True, slots=True)
class SessionHeadline:
    session_id: int
    started_at: datetime
    finished: bool
    end_reason: str | None
    recovered: bool
    duration_s: float
    distance_m: float | None
    run_s: float
    walk_s: float
    avg_cadence_spm: float | None
    time_in_band_pct: float | None
    max_pain: int | None
    shoe_name: str
    profile_name: str
    program: str
    program_week: int

    def to_json(self) -> dict[str, Any]:
        out = asdict(self)
        out["started_at"] = self.started_at.isoformat()
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SessionHeadline:
        fields = dict(data)
        fields["started_at"] = datetime.fromisoformat(fields["started_at"])
        return cls(**fields)
