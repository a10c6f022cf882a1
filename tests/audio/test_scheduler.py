"""The pure click scheduler: exact sample positions, whatever the block size."""

from __future__ import annotations

import itertools
from fractions import Fraction

import numpy as np
import pytest

from audio.scheduler_helpers import (
    CLICK,
    SR,
    beat_samples,
    fixed,
    grid,
    new_scheduler,
    period_of,
    random_sizes,
    render,
)
from cadence.audio.scheduler import ClickPair, ClickScheduler, period_fraction


def _busy_script() -> dict[int, object]:
    """Requests at fixed samples: every setting changes at least once."""
    return {
        0: lambda s: s.request_running(True),
        70_000: lambda s: s.request_tempo(*period_fraction(172.5, SR)),
        100_000: lambda s: s.request_accent_every(3),
        130_000: lambda s: s.request_volume(0.2, fade_samples=SR),
        150_000: lambda s: s.queue_cue(np.full(30_000, 0.25, np.float32)),
        200_000: lambda s: s.request_muted(True),
        230_000: lambda s: s.request_muted(False),
        260_000: lambda s: s.request_tempo(*period_fraction(180, SR)),
        300_000: lambda s: s.request_running(False),
        330_000: lambda s: s.request_running(True),
    }


@pytest.mark.parametrize(
    "sizes",
    [fixed(1), fixed(7), fixed(256), fixed(480), fixed(10_000), random_sizes(1), random_sizes(2)],
    ids=["1", "7", "256", "480", "10000-over-scratch", "random-a", "random-b"],
)
def test_any_block_size_gives_identical_output(sizes: object) -> None:
    total = 400_000
    reference = render(new_scheduler(bpm=160), total, fixed(total), _busy_script())  # type: ignore[arg-type]
    out = render(new_scheduler(bpm=160), total, sizes, _busy_script())  # type: ignore[arg-type]
    assert np.count_nonzero(reference) > 10_000  # clicks and the cue are really there
    np.testing.assert_array_equal(out, reference)


def test_fractional_tempo_has_no_drift_over_an_hour() -> None:
    sched = new_scheduler(bpm=172.5)
    sched.request_running(True)
    block = np.zeros(SR, np.float32)
    hour = 3600
    beats: list[int] = []
    for second in range(hour):
        seen = sched.beat_count
        sched.render(block)
        new = [sched.beat(n).sample for n in range(seen, sched.beat_count)]
        beats += new
        if second >= hour - 60:  # the audio agrees: each click starts on its sample
            for onset in (b - second * SR for b in new):
                assert block[onset] == CLICK.normal[0] * np.float32(0.8)
                assert onset == 0 or block[onset - 1] == 0.0
    period = period_of(172.5)
    assert len(beats) == 10_350  # 172.5 a minute for 60 minutes
    assert beats == grid(beats[0], period, len(beats))
    # floor and ceil alternate exactly: the last beat is where the exact fraction says
    assert beats[-1] - beats[0] == round((len(beats) - 1) * period)


def test_first_beat_waits_for_the_start_silence() -> None:
    sched = new_scheduler(bpm=180)
    sched.request_running(True)
    render(sched, SR, fixed(480))
    assert beat_samples(sched)[0] == int(0.1 * SR)


def test_tempo_change_mid_block_lands_on_the_next_beat() -> None:
    sched = new_scheduler(bpm=160)
    sched.request_running(True)
    old, new = period_of(160), period_of(180)
    first = int(0.1 * SR)
    # Ask for 180 in the middle of a 4096-sample block, between beats 2 and 3.
    ask_at = first + int(2.5 * float(old))
    render(
        sched, 8 * SR, fixed(4096),
        {ask_at - ask_at % 4096 + 1000: lambda s: s.request_tempo(*period_fraction(180, SR))},
    )
    beats = beat_samples(sched)
    change = ask_at - ask_at % 4096 + 1000
    k = next(i for i, b in enumerate(beats) if b >= change)  # the next beat
    assert beats[: k + 1] == grid(first, old, k + 1)  # it keeps its old time
    assert beats[k:] == grid(beats[k], new, len(beats) - k)  # every gap after it is new


def test_accent_pattern_and_its_change() -> None:
    sched = new_scheduler(bpm=180, accent_every=4)
    sched.request_running(True)
    period = float(period_of(180))
    change = int(0.1 * SR + 9.5 * period)  # between beat 9 and beat 10
    out = render(sched, 10 * SR, fixed(512), {change: lambda s: s.request_accent_every(2)})
    records = [sched.beat(n) for n in range(sched.beat_count)]
    accented = [r.index for r in records if r.accented]
    assert accented[:3] == [0, 4, 8]
    assert accented[3:6] == [10, 12, 14]  # the group restarts on the next beat
    for r in records:
        expected = CLICK.accent if r.accented else CLICK.normal
        np.testing.assert_array_equal(
            out[r.sample : r.sample + expected.size], expected * np.float32(0.8)
        )


def test_no_accent_when_every_is_zero() -> None:
    sched = new_scheduler(bpm=170, accent_every=0)
    sched.request_running(True)
    render(sched, 5 * SR, fixed(480))
    assert not any(sched.beat(n).accented for n in range(sched.beat_count))


def test_fade_is_a_linear_ramp_sampled_at_each_onset() -> None:
    sched = new_scheduler(bpm=180, volume=0.0)
    sched.request_running(True)
    out = render(sched, 6 * SR, fixed(480), {0: lambda s: s.request_volume(0.8, 2 * SR)})
    beats = beat_samples(sched)
    start = beats[0]  # the fade starts on the first beat after the request
    gains = [out[b] / CLICK.normal[0] for b in beats]
    for b, gain in zip(beats, gains, strict=True):
        expected = 0.8 * min(1.0, (b - start) / (2 * SR))
        assert gain == pytest.approx(expected, abs=1e-6)
        # never reshaped mid-click: the whole click carries that one gain
        np.testing.assert_allclose(out[b : b + CLICK.normal.size], CLICK.normal * gain, atol=1e-7)
    assert gains[0] == 0.0 and gains[-1] == pytest.approx(0.8)


def test_mute_keeps_the_grid_and_running_off_finishes_the_click() -> None:
    sched = new_scheduler(bpm=180)
    sched.request_running(True)
    period = period_of(180)
    first = int(0.1 * SR)
    mute_at = first + int(3.5 * float(period))
    unmute_at = first + int(6.5 * float(period))
    stop_at = first + int(9 * float(period)) + 10  # 10 samples into beat 9's click
    out = render(sched, 5 * SR, fixed(480), {
        mute_at: lambda s: s.request_muted(True),
        unmute_at: lambda s: s.request_muted(False),
        stop_at: lambda s: s.request_running(False),
    })
    records = [sched.beat(n) for n in range(sched.beat_count)]
    assert [r.sample for r in records] == grid(first, period, 10)  # grid unbroken by mute
    assert [r.index for r in records if r.muted] == [4, 5, 6]
    for r in records:
        segment = out[r.sample : r.sample + CLICK.normal.size]
        assert (not segment.any()) if r.muted else segment[0] != 0.0
    last = records[-1].sample
    np.testing.assert_array_equal(  # the click sounding at "off" is played to its end
        out[last : last + CLICK.normal.size], CLICK.normal * np.float32(0.8)
    )
    assert not out[last + CLICK.normal.size :].any()


def _cue_contribution(script_cue_at: int, cue: np.ndarray, total: int) -> tuple:
    def start(s: ClickScheduler) -> None:
        s.request_running(True)

    with_cue = new_scheduler(bpm=180)
    without = new_scheduler(bpm=180)
    script = {0: start, script_cue_at: lambda s: s.queue_cue(cue)}
    out_cue = render(with_cue, total, fixed(333), script)
    out_plain = render(without, total, fixed(333), {0: start})
    return out_cue - out_plain, beat_samples(with_cue), with_cue


def test_cue_is_ducked_to_silence_around_every_onset_and_otherwise_intact() -> None:
    cue = np.full(2 * SR, 0.3, np.float32)  # 2 s: spans several beats
    ask = int(0.1 * SR + 2.3 * float(period_of(180)))
    diff, beats, sched = _cue_contribution(ask, cue, 5 * SR)
    pre, post, ramp = sched.duck_pre, sched.duck_post, sched.duck_ramp
    during = [b for b in beats if b > ask]
    assert len(during) >= 5
    cue_samples = np.flatnonzero(diff)
    cue_start, cue_end = cue_samples[0], cue_samples[-1] + 1
    assert cue_start >= ask
    for b in during:
        if b < cue_end:
            assert not diff[b - pre : b + post].any()  # nothing of the cue at a click onset
    # between the duck windows the cue is exactly itself
    for a, b in itertools.pairwise(during):
        lo, hi = max(a + post + ramp, cue_start), min(b - pre - ramp, cue_end)
        if hi > lo:
            np.testing.assert_allclose(diff[lo:hi], 0.3, atol=1e-6)
    for b in beats:  # it does not start inside a click's window
        assert not b - pre - ramp <= cue_start < b + post + ramp


def test_cue_asked_for_during_a_click_starts_after_its_window() -> None:
    onset = int(0.1 * SR + 3 * float(period_of(180)))
    cue = np.full(SR // 10, 0.3, np.float32)
    diff, beats, sched = _cue_contribution(onset + 5, cue, 2 * SR)
    assert onset in beats
    assert np.flatnonzero(diff)[0] == onset + sched.duck_post + sched.duck_ramp


def test_cue_plays_at_once_when_clicks_are_off_and_cues_queue() -> None:
    sched = new_scheduler(bpm=180)
    a = np.full(1000, 0.2, np.float32)
    b = np.full(500, -0.4, np.float32)
    out = render(sched, SR, fixed(480), {6000: lambda s: (s.queue_cue(a), s.queue_cue(b))})
    np.testing.assert_allclose(out[6000:7000], 0.2)
    gap_end = 7000 + sched.cue_gap
    assert not out[7000:gap_end].any()
    np.testing.assert_allclose(out[gap_end : gap_end + 500], -0.4)
    assert sched.beat_count == 0


def test_cues_play_over_muted_clicks_without_ducking() -> None:
    sched = new_scheduler(bpm=180)
    sched.request_muted(True)
    cue = np.full(SR, 0.1, np.float32)
    out = render(sched, 2 * SR, fixed(480), {
        0: lambda s: s.request_running(True), 6000: lambda s: s.queue_cue(cue),
    })
    assert sched.beat_count > 2
    np.testing.assert_allclose(out[6000 : 6000 + SR], 0.1)


def test_period_fraction_is_exact_and_checked() -> None:
    assert Fraction(*period_fraction(172.5, SR)) == Fraction(60 * SR) / Fraction(345, 2)
    assert Fraction(*period_fraction(176.3, SR)) == Fraction(60 * SR * 10, 1763)
    for bad in (0.0, 29.9, 300.1, float("nan")):
        with pytest.raises(ValueError):
            period_fraction(bad, SR)


def test_render_allocates_no_buffers() -> None:
    """The audio callback's work: no numpy buffer may be allocated per block."""
    import tracemalloc

    from cadence.audio.sounds import load_click

    sched = ClickScheduler(load_click("woodblock"), samplerate=SR, bpm=180, accent_every=4)
    sched.request_running(True)
    sched.queue_cue(np.full(3 * SR, 0.2, np.float32))
    block = np.zeros(4800, np.float32)
    for _ in range(5):
        sched.render(block)  # warm up: first-use caches
    tracemalloc.start()
    try:
        for _ in range(40):  # 4 s: clicks, accents, a ducked cue, block-straddling clicks
            before = tracemalloc.get_traced_memory()[0]
            tracemalloc.reset_peak()
            sched.render(block)
            # Python's small temporaries only: a copy of even one click (2400 samples,
            # 9600 bytes) or of a block (19 200 bytes) would not fit under this.
            assert tracemalloc.get_traced_memory()[1] - before < 4096
    finally:
        tracemalloc.stop()
    assert sched.beat_count >= 12


def test_restarting_clicks_never_cuts_a_ringing_click() -> None:
    from audio.scheduler_helpers import make_click

    long_click = make_click(length=2000)
    sched = ClickScheduler(ClickPair(long_click, long_click), samplerate=SR, accent_every=0)
    sched.request_running(True)
    first = int(0.1 * SR)
    toggle = first + 20  # off and on again while beat 0 still rings
    out = render(sched, SR, fixed(480), {
        toggle: lambda s: (s.request_running(False), s.request_running(True)),
    })
    beats = beat_samples(sched)
    assert beats[:2] == [first, first + long_click.size]  # the new grid waits for the end
    np.testing.assert_array_equal(out[first : first + long_click.size],
                                  long_click * np.float32(0.8))


def test_hold_silence_delays_the_grid_and_restarts_it() -> None:
    sched = new_scheduler(bpm=180)
    sched.request_running(True)
    render(sched, SR // 2, fixed(480))
    before = beat_samples(sched)
    sched.hold_silence(0.1)
    render(sched, SR, fixed(480))
    after = beat_samples(sched)[len(before) :]
    assert after[0] >= SR // 2 + int(0.1 * SR)
    assert after == grid(after[0], period_of(180), len(after))
