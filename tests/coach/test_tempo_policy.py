"""Tempo policy math: stage targets, the band as a cap, the ramp and faded feedback."""

from __future__ import annotations

import pytest

from cadence.coach.tempo_policy import FadedFeedback, TempoRamp, session_target_spm
from cadence.profile.model import CadenceBand, FadeMode, TempoPolicy

BAND = CadenceBand()
POLICY = TempoPolicy()


@pytest.mark.parametrize(
    ("baseline", "stage", "target"),
    [
        (158.0, 1, 165.9),  # +5 %: below the band, and that is the aim (not 170)
        (158.0, 2, 173.8),  # +10 %
        (158.0, 3, 173.8),  # never more than +10 %
        (150.0, 2, 165.0),
        (168.0, 1, 176.4),
        (168.0, 2, 180.0),  # +10 % would be 184.8: capped at the band's top
        (176.0, 1, 180.0),
        (185.0, 1, 185.0),  # already above the band: never slowed down
        (160.0, 0, 160.0),  # stage 0: hold the runner's own cadence
    ],
)
def test_session_target(baseline: float, stage: int, target: float) -> None:
    assert session_target_spm(baseline, stage, POLICY, BAND) == pytest.approx(target)


def test_a_custom_band_caps_too() -> None:
    assert session_target_spm(160.0, 2, POLICY, CadenceBand(165.0, 170.0)) == 170.0


def test_ramp_steps_once_per_interval_when_the_runner_keeps_up() -> None:
    ramp = TempoRamp(158.0, 165.9, POLICY)
    steps = []
    for _ in range(600):  # 5 minutes at 0.5 s
        new = ramp.advance(0.5, ramp.tempo_spm)  # a runner exactly on the beat
        if new is not None:
            steps.append(new)
    assert steps == [159.0, 160.0, 161.0, 162.0, 163.0, 164.0, 165.0, 165.9]
    assert ramp.at_target


def test_ramp_holds_while_the_runner_lags_and_resumes_when_they_catch_up() -> None:
    ramp = TempoRamp(160.0, 170.0, POLICY)
    assert ramp.advance(30.0, 160.0) == 161.0
    assert ramp.advance(30.0, 157.9) is None  # 3.1 behind: hold
    assert ramp.advance(30.0, None) is None  # no reading: hold
    assert ramp.tempo_spm == 161.0
    assert ramp.advance(0.5, 158.0) == 162.0  # caught up: step at once


def test_ramp_never_steps_more_than_one_step_even_on_a_long_tick() -> None:
    ramp = TempoRamp(160.0, 170.0, POLICY)
    assert ramp.advance(300.0, 160.0) == 161.0


def test_nudge_moves_tempo_and_makes_the_ramp_manual() -> None:
    ramp = TempoRamp(160.0, 170.0, POLICY)
    assert ramp.nudge(-2.0) == 158.0
    assert ramp.manual
    assert ramp.advance(120.0, 158.0) is None
    assert ramp.nudge(500.0) == 240.0


def hold(fb: FadedFeedback, ramp: TempoRamp, seconds: float, spm: float) -> list[str]:
    flips = []
    for _ in range(int(seconds / 0.5)):
        flip = fb.update(0.5, spm, ramp)
        if flip:
            flips.append(flip)
    return flips


def test_fade_out_after_holding_then_back_on_a_slip() -> None:
    ramp = TempoRamp(174.0, 174.0, POLICY)
    fb = FadedFeedback(POLICY, BAND)
    assert hold(fb, ramp, 179.0, 173.5) == []
    assert not fb.silent
    assert hold(fb, ramp, 2.0, 173.5) == ["fade_out"]
    assert fb.silent
    assert hold(fb, ramp, 60.0, 171.0) == []  # still inside the band: stays faded
    assert hold(fb, ramp, 4.0, 168.0) == []  # below the band, not for long enough yet
    assert hold(fb, ramp, 2.0, 168.0) == ["fade_back"]
    assert not fb.silent


def test_a_runner_below_the_band_fades_back_relative_to_their_target() -> None:
    ramp = TempoRamp(165.9, 165.9, POLICY)
    fb = FadedFeedback(POLICY, BAND)
    assert hold(fb, ramp, 181.0, 165.5) == ["fade_out"]
    assert hold(fb, ramp, 30.0, 164.0) == []  # 164 < 170 but within 3 of the target
    assert hold(fb, ramp, 6.0, 162.0) == ["fade_back"]


def test_no_fade_while_still_ramping_or_lagging() -> None:
    fb = FadedFeedback(POLICY, BAND)
    assert hold(fb, TempoRamp(160.0, 170.0, POLICY), 600.0, 160.0) == []
    assert hold(fb, TempoRamp(170.0, 170.0, POLICY), 600.0, 167.0) == []


def test_intermittent_mode_plays_some_and_rests_some() -> None:
    policy = TempoPolicy(fade_mode=FadeMode.INTERMITTENT)
    ramp = TempoRamp(172.0, 172.0, policy)
    fb = FadedFeedback(policy, BAND)
    assert hold(fb, ramp, 181.0, 172.0) == ["fade_out"]
    audible = []
    for _ in range(360):  # 3 minutes
        fb.update(0.5, 172.0, ramp)
        audible.append(not fb.silent)
    share = sum(audible) / len(audible)
    assert 0.2 < share < 0.5
    assert audible[0] and not all(audible)


def test_fade_mode_none_never_fades() -> None:
    policy = TempoPolicy(fade_mode=FadeMode.NONE)
    fb = FadedFeedback(policy, BAND)
    assert hold(fb, TempoRamp(172.0, 172.0, policy), 900.0, 172.0) == []
