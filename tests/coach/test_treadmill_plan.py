"""The belt's side of a session, driven by the real coach: phase speeds, 3 s
announcements, safety (walk at once, stop on emergency), hold, pause, and
cadence never moving the belt."""

from __future__ import annotations

from dataclasses import replace

import pytest

from cadence.coach.actions import Countdown, Phase, PhaseChange
from cadence.coach.engine import Coach
from cadence.coach.inputs import PainAnswer, RedFlag
from cadence.coach.treadmill_plan import BeltCommand, BeltReason, SwitchAhead, TreadmillPlan
from cadence.profile.model import Profile, TreadmillControl
from support.coaching import PROTOCOL_A_WEEK_1, Drive

BELT = TreadmillControl(control=True, run_speed_kmh=9.0, walk_speed_kmh=5.0, incline_pct=1.0)
PROFILE = Profile(treadmill=True, treadmill_control=BELT, baseline_cadence_spm=160.0)


class Session:
    """A coach on a 0.5 s tick with the belt plan fed every step's actions."""

    def __init__(self, spm: float = 160.0) -> None:
        self.coach = Coach(PROFILE, PROTOCOL_A_WEEK_1)
        self.drive = Drive(self.coach, spm=lambda _t: spm)
        self.plan = TreadmillPlan(BELT, self.coach.plan)
        self.log: list[tuple[float, object]] = []

    def tick(self, **inputs: object) -> list[object]:
        belt = self.plan.step(self.drive.tick(**inputs))
        self.log.extend((self.drive.now_s, b) for b in belt)
        return list(belt)

    def until(self, t_s: float) -> None:
        while self.drive.now_s < t_s - 1e-9 and not self.coach.ended:
            self.tick()

    def commands(self) -> list[tuple[float, BeltCommand]]:
        return [(t, b) for t, b in self.log if isinstance(b, BeltCommand)]

    def speeds(self) -> list[float]:
        return [c.target.speed_kmh for _t, c in self.commands() if c.target.moving]


def test_whole_session_walk_run_walk_then_stop_with_announcements() -> None:
    s = Session()
    s.until(4000)
    assert s.coach.ended
    cmds = s.commands()
    # warm-up walk, 6 x (run, walk), the cool-down keeps the walk speed, then the stop
    assert s.speeds() == [5.0] + [9.0, 5.0] * 6
    assert cmds[0][0] == pytest.approx(0.5) and cmds[0][1].phase is Phase.WARMUP
    assert cmds[1][0] == pytest.approx(300.0) and cmds[1][1].phase is Phase.RUN
    assert cmds[2][0] == pytest.approx(360.0)
    assert all(c.target.incline_pct == 1.0 for _t, c in cmds)
    last = cmds[-1][1]
    assert last.reason is BeltReason.DONE and last.target.stop
    # each speed change announced 3 s before it ("walk in 3"), then the coach's 3-2-1
    ahead = [(t, b) for t, b in s.log if isinstance(b, SwitchAhead)]
    assert len(ahead) == 12
    assert ahead[0][1].text == "Run in 3: belt to 9.0 km/h"
    assert ahead[1][1].text == "Walk in 3: belt to 5.0 km/h"
    changes = [t for t, c in cmds[1:13]]
    for (t_ahead, a), t_change in zip(ahead, changes, strict=True):
        assert t_change - t_ahead == pytest.approx(3.0, abs=0.5)
        assert a.seconds_left == 3
    counts = [t for t, a in s.drive.log if isinstance(a, Countdown)]
    assert len(counts) >= 36  # the 3-2-1 itself comes from the coach


@pytest.mark.parametrize(
    "inputs",
    [
        {"pain": PainAnswer(3)},  # a pain stop
        {"red_flag": RedFlag.LEG_SYMPTOMS},  # a warning sign
    ],
    ids=["pain", "red_flag"],
)
def test_pain_stop_or_warning_sign_walks_at_once_and_never_runs_again(
    inputs: dict[str, object],
) -> None:
    s = Session()
    s.until(310)  # in the first run, belt at 9
    assert s.plan.target is not None and s.plan.target.speed_kmh == 9.0
    belt = s.tick(**inputs)
    walk = [b for b in belt if isinstance(b, BeltCommand)]
    assert walk and walk[0].reason is BeltReason.SAFETY_WALK
    assert walk[0].target.speed_kmh == 5.0 and walk[0].target.moving
    s.until(4000)
    later = [c for t, c in s.commands() if t > 310.5 and c.target.moving]
    assert all(c.target.speed_kmh <= 5.0 for c in later)
    assert not [b for t, b in s.log if t > 310.5 and isinstance(b, SwitchAhead)
                and b.speed_kmh > 5.0]  # fmt: skip


def test_emergency_stops_the_belt_and_nothing_restarts_it() -> None:
    s = Session()
    s.until(320)
    belt = s.tick(red_flag=RedFlag.EMERGENCY)
    (stop,) = [b for b in belt if isinstance(b, BeltCommand)]
    assert stop.reason is BeltReason.EMERGENCY_STOP and stop.target.stop
    n = len(s.log)
    s.until(5000)
    assert len(s.log) == n  # stays stopped through the cool-down and the end
    assert s.plan.target is not None and s.plan.target.stop


def test_cadence_never_changes_the_belt() -> None:
    slow, fast = Session(spm=140.0), Session(spm=195.0)
    slow.until(4000)
    fast.until(4000)
    assert slow.commands() == fast.commands()


def test_hold_keeps_the_speed_for_one_switch_only() -> None:
    s = Session()
    s.until(355)  # the first run, 5 s before the walk
    assert s.plan.hold_next_switch()
    s.until(361)
    held = s.commands()[-1][1]
    assert held.reason is BeltReason.HOLD and held.target.speed_kmh == 9.0
    assert held.phase is Phase.WALK
    assert not [b for t, b in s.log if 355 < t <= 361 and isinstance(b, SwitchAhead)]
    s.until(900)  # the next switches follow the plan again
    assert s.speeds()[:5] == [5.0, 9.0, 9.0, 5.0, 9.0]  # held walk; the run needs no change


def test_pause_pauses_the_belt_and_resume_restores_the_phase_speed() -> None:
    s = Session()
    s.until(320)
    (pause,) = [b for b in s.tick(toggle_pause=True) if isinstance(b, BeltCommand)]
    assert pause.reason is BeltReason.PAUSE and pause.target.pause and not pause.target.moving
    (resume,) = [b for b in s.tick(toggle_pause=True) if isinstance(b, BeltCommand)]
    assert resume.reason is BeltReason.RESUME and resume.target == replace(
        pause.target, pause=False
    )
    assert resume.target.speed_kmh == 9.0


def test_ending_the_session_slows_to_a_walk_while_the_last_question_is_open() -> None:
    s = Session()
    s.until(320)
    belt = s.tick(end_requested=True)
    (walk,) = [b for b in belt if isinstance(b, BeltCommand)]
    assert walk.reason is BeltReason.ENDING and walk.target.speed_kmh == 5.0


def test_phase_change_done_is_not_a_speed() -> None:
    plan = TreadmillPlan(BELT, ())
    assert plan.step([PhaseChange(Phase.DONE, 0, 0, 0.0)]) == []
    assert plan.target is None and not plan.hold_next_switch()


def test_only_slowing_for_safety_is_marked_safety() -> None:
    s = Session()
    s.until(310)
    (walk,) = [b for b in s.tick(pain=PainAnswer(3)) if isinstance(b, BeltCommand)]
    assert walk.safety
    assert not any(c.safety for t, c in s.commands() if t < 310)
