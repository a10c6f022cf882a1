"""The coach's status says what comes next and how much of the session is left.

The belt screen shows "next: WALK 3:00" and the session's time left from
these fields; they come from the plan the coach follows, so a safety stop
(which drops the rest of the plan) shows only the walking cool-down left.
"""

from __future__ import annotations

import pytest

from cadence.coach.actions import Phase
from cadence.coach.engine import Coach
from cadence.coach.inputs import PainAnswer
from cadence.profile.model import Profile
from support.coaching import PROTOCOL_A_WEEK_1, Drive

PROFILE = Profile(baseline_cadence_spm=160.0)

# warm-up 300 s, then 6 x (run 60 s, walk 180 s), then a 300 s cool-down
TOTAL_S = 300.0 + 6 * (60.0 + 180.0) + 300.0


@pytest.mark.parametrize("tick_s", [0.25, 1.0])
def test_next_phase_and_time_left_follow_the_plan(tick_s: float) -> None:
    d = Drive(Coach(PROFILE, PROTOCOL_A_WEEK_1), tick_s=tick_s)
    d.tick()
    s = d.coach.status(d.now_s)
    assert s.phase is Phase.WARMUP
    assert (s.next_phase, s.next_duration_s) == (Phase.RUN, 60.0)
    assert s.session_left_s == pytest.approx(TOTAL_S - d.now_s)
    d.until(310.0)
    s = d.coach.status(d.now_s)
    assert s.phase is Phase.RUN and (s.next_phase, s.next_duration_s) == (Phase.WALK, 180.0)
    assert s.session_left_s == pytest.approx(TOTAL_S - 310.0)
    assert s.elapsed_s + (s.session_left_s or 0.0) == pytest.approx(TOTAL_S)
    d.until(TOTAL_S - 100.0)
    s = d.coach.status(d.now_s)
    assert s.phase is Phase.COOLDOWN and s.next_phase is None and s.next_duration_s is None
    assert s.session_left_s == pytest.approx(100.0)


def test_after_a_pain_stop_only_the_walking_cool_down_is_left() -> None:
    d = Drive(Coach(PROFILE, PROTOCOL_A_WEEK_1), tick_s=0.5)
    d.until(330.0)  # into the first run
    d.tick(pain=PainAnswer(4, None))
    s = d.coach.status(d.now_s)
    assert s.running_stopped and s.phase is Phase.COOLDOWN
    assert s.next_phase is None  # no more runs: nothing is announced as next
    assert s.session_left_s is not None and s.session_left_s <= PROTOCOL_A_WEEK_1.cooldown_s
