"""The plan cursor: segments in order, the stop cool-down, and the 3-2-1 countdown."""

from __future__ import annotations

from cadence.coach.actions import Phase
from cadence.coach.plan_cursor import STOP_COOLDOWN_LABEL, PlanCursor
from support.coaching import PROTOCOL_A_WEEK_1


def test_take_stops_at_the_segment_boundary() -> None:
    cursor = PlanCursor(PROTOCOL_A_WEEK_1)
    first = cursor.segment
    assert first.duration_s is not None
    assert cursor.take(first.duration_s + 50.0) == first.duration_s
    assert cursor.segment_over and cursor.left_s() == 0.0
    assert cursor.active_s == first.duration_s
    nxt = cursor.advance()
    assert nxt is not None and nxt is cursor.segment and cursor.seg_elapsed_s == 0.0


def test_the_stop_cooldown_replaces_the_rest_of_the_plan() -> None:
    cursor = PlanCursor(PROTOCOL_A_WEEK_1)
    seg = cursor.enter_stop_cooldown(None)
    assert seg.phase is Phase.COOLDOWN and seg.label == STOP_COOLDOWN_LABEL
    assert cursor.segment is seg and cursor.left_s() is None and not cursor.has_next()
    cursor.take(1e6)
    assert not cursor.segment_over
    assert cursor.advance() is None


def test_the_countdown_says_3_2_1_once_each_per_segment() -> None:
    cursor = PlanCursor(PROTOCOL_A_WEEK_1)
    first = cursor.segment
    assert first.duration_s is not None
    said: list[int] = []
    for _ in range(2):
        cursor.take(first.duration_s - 3.5 - cursor.seg_elapsed_s)
        while not cursor.segment_over:
            cursor.take(0.25)
            count = cursor.countdown_due()
            if count is not None:
                said.append(count)
        cursor.advance()
        first = cursor.segment
        assert first.duration_s is not None
    assert said == [3, 2, 1, 3, 2, 1]
