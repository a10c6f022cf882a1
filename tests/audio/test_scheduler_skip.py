"""``ClickScheduler.skip``: an outage of the sound output keeps the beat grid."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from audio.scheduler_helpers import CLICK, SR, beat_samples, fixed, grid, render
from cadence.audio.scheduler import ClickScheduler, period_fraction


@pytest.mark.parametrize("bpm", [160.0, 172.5, 176.3])
@pytest.mark.parametrize("gap", [1, 479, 12_345, 48_000 * 7 + 17, 48_000 * 3600])
def test_beats_after_a_gap_sit_on_the_old_grid(bpm: float, gap: int) -> None:
    sched = ClickScheduler(CLICK, samplerate=SR, bpm=bpm, accent_every=4)
    sched.request_running(True)
    render(sched, 100_000, fixed(480))
    before = beat_samples(sched)
    sched.skip(gap)
    render(sched, 100_000, fixed(480))
    after = beat_samples(sched)[len(before):]
    period = Fraction(*period_fraction(bpm, SR))
    ideal = grid(before[0], period, 200_000)
    start = ideal.index(after[0])  # on the old grid: round(k * P) from the first beat
    assert after == ideal[start : start + len(after)]
    assert after[0] >= 100_000 + gap  # nothing is reported inside the gap
    assert start == len(before) + sum(1 for s in ideal if 100_000 <= s < 100_000 + gap)
    # the accent pattern counts the skipped beats, and the indices keep counting
    accents = [sched.beat(n).accented for n in range(len(before), sched.beat_count)]
    assert accents == [(start + i) % 4 == 0 for i in range(len(after))]
    assert sched.beat(len(before)).index == start


def test_skip_drops_the_sounding_click_and_keeps_queued_cues() -> None:
    sched = ClickScheduler(CLICK, samplerate=SR, bpm=170, accent_every=0)
    sched.request_running(True)
    render(sched, 10_000, fixed(480))
    cue = np.full(2_000, 0.25, np.float32)
    sched.queue_cue(cue)
    sched.skip(5_000)
    out = render(sched, 40_000, fixed(480))
    assert np.isclose(out, 0.25).sum() >= 1_500  # the queued cue still plays after the gap


def test_skip_before_clicks_start_just_moves_time() -> None:
    sched = ClickScheduler(CLICK, samplerate=SR, bpm=170, accent_every=0)
    sched.skip(10_000)
    assert sched.pos == 10_000
    sched.request_running(True)
    render(sched, 30_000, fixed(480))
    assert beat_samples(sched)[0] >= 10_000
