"""Pain rules: stop at the profile's level, ease off on a rise, red flags, prompts."""

from __future__ import annotations

import pytest

from cadence.coach.actions import AskPain, PainPromptClosed, StopReason
from cadence.coach.inputs import RedFlag
from cadence.coach.pain import PainPrompts, PainVerdict, judge_rating, judge_red_flag


@pytest.mark.parametrize(
    ("rating", "previous", "verdict"),
    [
        (0, None, PainVerdict.OK),
        (2, None, PainVerdict.OK),  # first rating: nothing to compare with
        (2, 1, PainVerdict.EASE_OFF),  # rising, still below 3
        (1, 2, PainVerdict.OK),
        (2, 2, PainVerdict.OK),
        (3, None, PainVerdict.STOP),
        (3, 0, PainVerdict.STOP),
        (4, 1, PainVerdict.STOP_PROFESSIONAL),
        (10, None, PainVerdict.STOP_PROFESSIONAL),
    ],
)
def test_rating_rules(rating: int, previous: int | None, verdict: PainVerdict) -> None:
    assert judge_rating(rating, previous).verdict is verdict


def test_a_stricter_stop_level_from_the_profile() -> None:
    assert judge_rating(2, None, stop_rating=2).stop_reason is StopReason.PAIN
    assert judge_rating(1, 0, stop_rating=2).verdict is PainVerdict.EASE_OFF


def test_stop_messages_are_clear_and_4_plus_mentions_professional_advice() -> None:
    stop = judge_rating(3, None)
    assert stop.stop_reason is StopReason.PAIN and "stop" in stop.message.lower()
    pro = judge_rating(5, None)
    assert pro.stop_reason is StopReason.PAIN
    assert "physiotherapist" in pro.message and "doctor" in pro.message
    assert judge_rating(1, None).message == ""


def test_red_flags() -> None:
    leg = judge_red_flag(RedFlag.LEG_SYMPTOMS)
    assert leg.stop_reason is StopReason.RED_FLAG
    assert "physiotherapist or doctor" in leg.message
    urgent = judge_red_flag(RedFlag.EMERGENCY)
    assert urgent.stop_reason is StopReason.EMERGENCY
    assert "emergency department" in urgent.message.lower()
    assert "emergency number" in urgent.message.lower()  # not "urgent care" (issue 11)
    assert urgent.ends_session


def test_prompts_time_out_and_number_themselves() -> None:
    p = PainPrompts()
    opened = p.ask(10.0, "walk_break", 30.0)
    assert opened == [AskPain(1, "walk_break", 30.0)]
    assert not p.expired(39.9)
    assert p.expired(40.0)
    assert p.close(answered=False) == PainPromptClosed(1, False)
    assert p.unanswered == 1 and not p.is_open


def test_a_new_prompt_closes_the_old_one_first() -> None:
    p = PainPrompts()
    p.ask(0.0, "interval", 30.0)
    out = p.ask(5.0, "walk_break", 30.0)
    assert out == [PainPromptClosed(1, False), AskPain(2, "walk_break", 30.0)]
