"""A program week becomes warm-up blocks, run/walk rounds and a cool-down."""

from __future__ import annotations

from cadence.coach.actions import Phase
from cadence.coach.plan import build_plan, planned_running_s
from support.coaching import CONTINUOUS_30, PROTOCOL_A_WEEK_1


def test_protocol_a_week_1_is_warmup_six_rounds_of_1_3_and_cooldown() -> None:
    plan = build_plan(PROTOCOL_A_WEEK_1)
    assert [s.phase for s in plan] == (
        [Phase.WARMUP] + [Phase.RUN, Phase.WALK] * 6 + [Phase.COOLDOWN]
    )
    assert plan[0].label == "Glute activation" and plan[0].exercises
    runs = [s for s in plan if s.phase is Phase.RUN]
    walks = [s for s in plan if s.phase is Phase.WALK]
    assert [s.duration_s for s in runs] == [60.0] * 6
    assert [s.duration_s for s in walks] == [180.0] * 6
    assert [s.round_index for s in runs] == [1, 2, 3, 4, 5, 6]
    assert all(s.rounds_total == 6 for s in runs + walks)
    assert planned_running_s(plan) == 360.0


def test_continuous_week_is_one_run() -> None:
    plan = build_plan(CONTINUOUS_30)
    assert [s.phase for s in plan] == [Phase.RUN, Phase.COOLDOWN]
    assert plan[0].duration_s == 1800.0


def test_rounds_without_walks_become_one_segment() -> None:
    from dataclasses import replace

    plan = build_plan(replace(CONTINUOUS_30, run_s=600.0, rounds=3))
    assert [(s.phase, s.duration_s, s.round_index) for s in plan] == [
        (Phase.RUN, 1800.0, 1), (Phase.COOLDOWN, 300.0, 0)]
    walking = build_plan(replace(CONTINUOUS_30, run_s=0.0, walk_s=300.0, rounds=2))
    assert [s.phase for s in walking] == [Phase.WALK, Phase.COOLDOWN]


def test_every_week_shape_runs_through_the_coach() -> None:
    from dataclasses import replace

    from cadence.coach.engine import Coach
    from cadence.coach.inputs import Inputs
    from cadence.profile.model import Profile

    for run_s, walk_s, rounds in [(60, 0, 3), (0, 120, 2), (30, 30, 1), (0, 0, 4), (60, 60, 0)]:
        week = replace(PROTOCOL_A_WEEK_1, run_s=float(run_s), walk_s=float(walk_s),
                       rounds=rounds)
        coach = Coach(Profile(), week)
        t = 0.0
        while not coach.ended and t < 3600:
            t += 1.0
            coach.step(t, Inputs())
        assert coach.ended, (run_s, walk_s, rounds)
