"""The readiness check: warning signs and pain never let a run start."""

from __future__ import annotations

import pytest

from cadence.coach.warning_signs import (
    CHECK_SIGNS,
    WARNING_SIGNS,
    RedFlag,
    parse_sign,
    warning_sign,
)
from cadence.programme.advice import Advice
from cadence.programme.readiness import ReadinessAnswers, Verdict, assess

BLOCK = Advice("see_professional", "See someone first.", "You rated 4/10.", True)


def test_every_sign_has_a_label_and_parses_back() -> None:
    assert {s.flag for s in WARNING_SIGNS} == set(RedFlag)
    for sign in RedFlag:
        assert warning_sign(sign).label
        assert parse_sign(sign.value.upper().replace("_", "-")) is sign
    assert parse_sign("sore_toe") is None


@pytest.mark.parametrize("sign", [s.flag for s in CHECK_SIGNS if not s.emergency])
def test_any_warning_sign_means_no_run_and_professional_advice(sign: RedFlag) -> None:
    out = assess(ReadinessAnswers(0, (sign,)), stop_at=3)
    assert out.verdict is Verdict.NO_RUN and not out.may_run
    assert out.see_professional and out.options == ("walk", "rest")
    assert warning_sign(sign).label.lower() in out.reasons[0]


@pytest.mark.parametrize("sign", [s.flag for s in CHECK_SIGNS if s.emergency])
def test_an_emergency_sign_is_the_emergency_and_nothing_else(sign: RedFlag) -> None:
    out = assess(ReadinessAnswers(0, (RedFlag.NIGHT_PAIN, sign)), stop_at=3)
    assert out.verdict is Verdict.EMERGENCY and out.options == ()
    assert "emergency department" in " ".join(out.reasons)


@pytest.mark.parametrize(("pain", "stop_at", "verdict", "pro"), [
    (0, 3, Verdict.RUN, False), (2, 3, Verdict.RUN, False), (3, 3, Verdict.NO_RUN, False),
    (3, 4, Verdict.RUN, False), (4, 4, Verdict.NO_RUN, True), (7, 3, Verdict.NO_RUN, True),
])
def test_pain_at_or_above_stop_at_means_no_run(pain: int, stop_at: int, verdict: Verdict,
                                               pro: bool) -> None:
    out = assess(ReadinessAnswers(pain), stop_at=stop_at)
    assert out.verdict is verdict and out.see_professional is pro


def test_the_plans_block_stands_even_when_the_check_is_skipped() -> None:
    assert assess(ReadinessAnswers(None, skipped=True), 3).may_run
    out = assess(ReadinessAnswers(None, skipped=True), 3, (BLOCK,))
    assert out.verdict is Verdict.NO_RUN and out.see_professional
    assert assess(ReadinessAnswers(0), 3, (BLOCK,)).verdict is Verdict.NO_RUN


def test_pain_outside_0_10_is_refused() -> None:
    with pytest.raises(ValueError, match="0-10"):
        ReadinessAnswers(11)
