"""The readiness check: warning signs and pain never let a run start."""

from __future__ import annotations

import pytest

from cadence.programme.advice import Advice
from cadence.programme.readiness import ReadinessAnswers, Verdict, assess
from cadence.programme.signs import EMERGENCY_SIGNS, SIGN_LABELS, WarningSign, parse_sign

BLOCK = Advice("see_professional", "See someone first.", "You rated 4/10.", True)


def test_every_sign_has_a_label_and_parses_back() -> None:
    assert set(SIGN_LABELS) == set(WarningSign)
    for sign in WarningSign:
        assert parse_sign(sign.value.upper().replace("_", "-")) is sign
    assert parse_sign("sore_toe") is None


@pytest.mark.parametrize("sign", [s for s in WarningSign if s not in EMERGENCY_SIGNS])
def test_any_warning_sign_means_no_run_and_professional_advice(sign: WarningSign) -> None:
    out = assess(ReadinessAnswers(0, (sign,)), stop_at=3)
    assert out.verdict is Verdict.NO_RUN and not out.may_run
    assert out.see_professional and out.options == ("walk", "rest")
    assert SIGN_LABELS[sign].lower() in out.reasons[0]


@pytest.mark.parametrize("sign", sorted(EMERGENCY_SIGNS))
def test_an_emergency_sign_is_the_emergency_and_nothing_else(sign: WarningSign) -> None:
    out = assess(ReadinessAnswers(0, (WarningSign.NIGHT_PAIN, sign)), stop_at=3)
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
