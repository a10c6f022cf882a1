"""A session's planned timeline, built from one program week.

Why a flat list: the engine only needs "which segment am I in and how long is
left", and tests can count rounds by reading the plan. A week becomes:
warm-up blocks (one segment per block, named), then ``rounds`` x (run, walk),
then the cool-down (an easy walk, then the stretches, its exercises). The last
round keeps its walk, so "6 rounds of 1:3" really is six runs and six walks,
followed by the cool-down. A continuous week (``walk_s == 0``) is one long run
(``rounds`` x ``run_s``), so two segments of the same phase never follow each
other as planned (the phase machine has no RUN -> RUN; WALK -> WALK only
happens when the runner chooses to walk a run interval).
"""

from __future__ import annotations

from dataclasses import dataclass

from cadence.coach.actions import Phase
from cadence.profile.model import ProgramWeek


@dataclass(frozen=True, slots=True)
class Segment:
    phase: Phase
    duration_s: float | None  # None: open-ended (a cool-down after an emergency stop)
    round_index: int = 0  # 1-based in the rounds; 0 for warm-up and cool-down
    rounds_total: int = 0
    label: str = ""
    exercises: tuple[str, ...] = ()


def build_plan(week: ProgramWeek) -> tuple[Segment, ...]:
    """The segments of one session of ``week`` in order."""
    segments: list[Segment] = []
    for block in week.warmup:
        if block.duration_s > 0:
            segments.append(
                Segment(Phase.WARMUP, block.duration_s, 0, week.rounds, block.name, block.exercises)
            )
    if week.run_s > 0 and week.walk_s > 0:
        for n in range(1, week.rounds + 1):
            segments.append(Segment(Phase.RUN, week.run_s, n, week.rounds, "Run"))
            segments.append(Segment(Phase.WALK, week.walk_s, n, week.rounds, "Walk"))
    elif week.rounds > 0 and (week.run_s > 0 or week.walk_s > 0):
        # No breaks between rounds: back-to-back runs (or walks) are one segment.
        phase, each_s = (Phase.RUN, week.run_s) if week.run_s > 0 else (Phase.WALK, week.walk_s)
        label = "Run" if phase is Phase.RUN else "Walk"
        segments.append(Segment(phase, each_s * week.rounds, 1, 1, label))
    if week.cooldown_s > 0:
        segments.append(Segment(Phase.COOLDOWN, week.cooldown_s, 0, week.rounds, "Cool-down",
                                week.cooldown_exercises))
    return tuple(segments)


def planned_running_s(plan: tuple[Segment, ...]) -> float:
    return sum(s.duration_s or 0.0 for s in plan if s.phase is Phase.RUN)
