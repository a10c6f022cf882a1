"""The beat indicator's clock when there is no audio: steady, continuous, bounded."""

from __future__ import annotations

import itertools

import pytest

from cadence.live.beats import BeatFeed, TempoBeats


def test_beats_follow_the_tempo_and_accent_every_fourth() -> None:
    tb = TempoBeats(accent_every=4)
    beats = []
    t = 0.0
    while t <= 10.0 + 1e-9:
        beats += tb.poll(t, 180.0, running=True)
        t += 0.05
    assert len(beats) == 31  # 0, 1/3, ..., 10 s
    gaps = [b.t_s - a.t_s for a, b in itertools.pairwise(beats)]
    assert all(g == pytest.approx(1 / 3) for g in gaps)
    assert [b.accented for b in beats[:5]] == [True, False, False, False, True]
    assert [b.index for b in beats] == list(range(31))


def test_tempo_change_keeps_the_phase() -> None:
    tb = TempoBeats()
    first = tb.poll(0.0, 120.0, True)  # beat at 0, next due at 0.5
    assert [b.t_s for b in first] == [0.0]
    later = tb.poll(0.6, 60.0, True)  # the beat already due at 0.5 is kept
    assert [b.t_s for b in later] == [0.5]
    assert tb.poll(1.4, 60.0, True) == []  # next at 0.5 + 1.0 under the new tempo
    assert [b.t_s for b in tb.poll(1.5, 60.0, True)] == [1.5]


def test_no_beats_when_stopped_and_a_long_gap_is_not_replayed() -> None:
    tb = TempoBeats()
    assert tb.poll(5.0, 170.0, running=False) == []
    assert tb.poll(5.0, None, running=True) == []
    tb.poll(0.0, 170.0, True)
    burst = tb.poll(600.0, 170.0, True)  # ten minutes later (a virtual-clock jump)
    assert 1 <= len(burst) <= 5


def test_feed_lights_a_beat_briefly() -> None:
    feed = BeatFeed(None, lambda mono: mono, accent_every=4, flash_s=0.12)
    assert feed.poll(0.0, 150.0, True) == (0, True)
    assert feed.poll(0.1, 150.0, True) == (0, True)
    assert feed.poll(0.2, 150.0, True) == (0, False)
    assert feed.poll(0.41, 150.0, True) == (1, True)


def test_without_audio_the_feed_wakes_exactly_at_each_beat() -> None:
    feed = BeatFeed(None, lambda mono: mono, accent_every=4)
    assert feed.poll(0.0, 120.0, True) == (0, True)
    assert feed.next_poll_s(0.0, 120.0, True) == pytest.approx(0.5)  # the next beat
    assert feed.poll(0.5, 120.0, True)[0] == 1
    assert feed.next_poll_s(0.5, 120.0, True) == pytest.approx(1.0)


def test_stopped_or_stalled_the_feed_looks_again_a_few_times_a_second() -> None:
    from cadence.live.beats import IDLE_POLL_S

    feed = BeatFeed(None, lambda mono: mono)
    assert feed.next_poll_s(3.0, 170.0, running=False) == pytest.approx(3.0 + IDLE_POLL_S)
    assert feed.next_poll_s(3.0, None, running=True) == pytest.approx(3.0 + IDLE_POLL_S)
