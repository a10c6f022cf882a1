"""Judging a belt (pure): arrived, not following, moved by someone else; and the belt model."""

from __future__ import annotations

import pytest

from cadence.sensors.ble.belt_watch import BeltWatch, BeltWatchRules, Verdict
from cadence.sim.belt import Belt


def ramp(watch: BeltWatch, start_s: float, end_s: float, speed: object) -> list[Verdict]:
    """Readings every 0.5 s; ``speed(t)`` gives the belt speed."""
    out = []
    t = start_s
    while t <= end_s + 1e-9:
        out.append(watch.reading(t, speed(t), command_in_flight=False))  # type: ignore[operator]
        t += 0.5
    return out


def test_a_belt_ramping_at_the_slowest_real_rate_arrives() -> None:
    w = BeltWatch()
    w.reading(0.0, 5.0, command_in_flight=False)
    w.commanded(0.0, 9.0)
    verdicts = ramp(w, 0.5, 20.0, lambda t: min(9.0, 5.0 + 0.3 * t))
    assert Verdict.NOT_FOLLOWING not in verdicts
    assert verdicts.count(Verdict.ARRIVED) == 1
    assert w.arrived_after_s == pytest.approx(12.5, abs=0.5)


def test_a_belt_that_does_not_move_is_reported_once_after_the_start_check() -> None:
    w = BeltWatch()
    w.reading(0.0, 5.0, command_in_flight=False)
    w.commanded(0.0, 9.0)
    verdicts = ramp(w, 0.5, 10.0, lambda _t: 5.0)
    assert verdicts.count(Verdict.NOT_FOLLOWING) == 1
    assert verdicts.index(Verdict.NOT_FOLLOWING) == 5  # at 3.0 s
    assert Verdict.MOVED_BY_OTHERS not in verdicts  # it never arrived: nothing to defend


def test_a_belt_that_starts_but_never_gets_there_is_reported_at_the_deadline() -> None:
    w = BeltWatch(BeltWatchRules(grace_s=2.0))
    w.reading(0.0, 5.0, command_in_flight=False)
    w.commanded(0.0, 9.0)  # deadline 4 / 0.3 + 2 = 15.3 s
    verdicts = ramp(w, 0.5, 20.0, lambda t: min(7.0, 5.0 + 0.5 * t))
    assert verdicts.index(Verdict.NOT_FOLLOWING) == 30  # at 15.5 s


def test_after_arrival_two_readings_off_target_mean_someone_else_moved_it() -> None:
    w = BeltWatch()
    w.commanded(0.0, 8.0)
    assert w.reading(1.0, 8.0, command_in_flight=False) is Verdict.ARRIVED
    assert w.reading(2.0, 8.6, command_in_flight=False) is Verdict.NONE
    assert w.reading(2.5, 8.0, command_in_flight=False) is Verdict.NONE  # one blip is noise
    assert w.reading(3.0, 8.6, command_in_flight=False) is Verdict.NONE
    assert w.reading(3.5, 9.0, command_in_flight=False) is Verdict.MOVED_BY_OTHERS
    assert w.reading(4.0, 9.0, command_in_flight=False) is Verdict.NONE  # said once


def test_no_takeover_verdict_while_a_command_is_in_flight() -> None:
    w = BeltWatch()
    w.commanded(0.0, 8.0)
    w.reading(1.0, 8.0, command_in_flight=False)
    for t in (2.0, 2.5, 3.0):
        assert w.reading(t, 9.5, command_in_flight=True) is Verdict.NONE


def test_belt_ramps_both_ways_and_stops_when_not_running() -> None:
    b = Belt(accel_kmh_per_s=0.5)
    b.advance_to(0.0)
    b.running, b.target_speed_kmh, b.target_incline_pct = True, 5.0, 1.0
    b.advance_to(4.0)
    assert b.speed_kmh == pytest.approx(2.0) and b.incline_pct == pytest.approx(1.0)
    b.advance_to(20.0)
    assert b.speed_kmh == 5.0
    b.running = False
    b.advance_to(24.0)
    assert b.speed_kmh == pytest.approx(3.0)
    b.advance_to(23.0)  # time never runs backwards
    assert b.speed_kmh == pytest.approx(3.0)
    b.advance_to(60.0)
    assert b.speed_kmh == 0.0 and b.target_speed_kmh == 5.0  # kept for a resume
