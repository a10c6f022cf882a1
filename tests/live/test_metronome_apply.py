"""Coach actions carried out on the real metronome (PortAudio -> private PulseAudio)."""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from cadence.coach.actions import Cue, CueKind, MetronomeOff, MetronomeOn, SetTempo
from cadence.live.actions_apply import apply_to_metronome
from cadence.live.beats import BeatFeed
from cadence.live.clock import MonotonicClock
from support.pulse import Capture, PrivatePulse, detect_onsets, pulse_missing, read_wav

pytestmark = [
    pytest.mark.audio,
    pytest.mark.slow,
    pytest.mark.skipif(pulse_missing() is not None, reason=str(pulse_missing())),
]


@pytest.fixture
def pulse() -> Iterator[PrivatePulse]:
    with PrivatePulse() as p:
        p.activate()
        yield p


def _first_beats(metronome: Any, timeout_s: float = 10.0) -> list[Any]:
    """Wait until the stream really plays (a fresh PulseAudio stream can take a moment)."""
    end = time.monotonic() + timeout_s
    while time.monotonic() < end:
        beats: list[Any] = metronome.poll_beats()
        if beats:
            return beats
        time.sleep(0.02)
    raise AssertionError("the metronome produced no beats")


def _beats_for(metronome: Any, seconds: float) -> list[Any]:
    beats: list[Any] = []
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        time.sleep(0.05)
        beats += metronome.poll_beats()
    return beats


def test_tempo_on_off_and_cues_reach_the_stream(pulse: PrivatePulse, tmp_path: Path) -> None:
    from cadence.audio.stream import Metronome

    m = Metronome(running=False)
    wav = tmp_path / "out.wav"
    with Capture(wav, env=pulse.env):
        m.start()
        try:
            apply_to_metronome(m, [SetTempo(180.0), MetronomeOn()])
            fast = _first_beats(m) + _beats_for(m, 2.0)
            apply_to_metronome(m, [SetTempo(150.0), Cue("no such sound", CueKind.INFO, "nope")])
            slow = _beats_for(m, 2.5)[2:]  # the change lands on the next beat
            apply_to_metronome(m, [MetronomeOff()])
            time.sleep(0.3)
            m.poll_beats()
            assert _beats_for(m, 0.6) == []
        finally:
            m.stop()
    gaps_fast = {b.sample - a.sample for a, b in itertools.pairwise(fast)}
    gaps_slow = {b.sample - a.sample for a, b in itertools.pairwise(slow)}
    assert gaps_fast == {16000} and gaps_slow == {19200}
    x, sr = read_wav(wav)
    onsets = detect_onsets(x, samplerate=sr)
    assert abs(len(onsets) - len(fast) - len(slow) - 2) <= 2
    assert set(np.diff(onsets[-len(slow) + 1 :]).tolist()) == {19200}


def test_beat_feed_follows_the_heard_clicks(pulse: PrivatePulse) -> None:
    from cadence.audio.stream import Metronome

    clock = MonotonicClock()
    m = Metronome(bpm=120.0, running=True)
    m.start()
    try:
        _first_beats(m)
        feed = BeatFeed(m, clock.from_monotonic, accent_every=4)
        seen: list[tuple[int, bool]] = []
        end = time.monotonic() + 2.5
        while time.monotonic() < end:
            seen.append(feed.poll(clock(), 120.0, True))
            time.sleep(0.02)
    finally:
        m.stop()
    indices = sorted({i for i, _ in seen if i >= 0})
    assert len(indices) >= 4 and indices == list(range(indices[0], indices[-1] + 1))
    assert any(lit for _, lit in seen) and not all(lit for _, lit in seen)


def test_waking_only_when_the_feed_says_shows_every_beat_as_it_is_heard(
    pulse: PrivatePulse,
) -> None:
    """The app wakes at ``next_poll_s`` instead of polling: about twice a beat, none missed."""
    from cadence.audio.stream import Metronome

    clock = MonotonicClock()
    bpm = 170.0
    m = Metronome(bpm=bpm, running=True)
    m.start()
    try:
        _first_beats(m)
        feed = BeatFeed(m, clock.from_monotonic, accent_every=4)
        feed.log = []
        shown: dict[int, float] = {}  # beat index -> session time it was first shown
        wakes = 0
        end_s = clock() + 5.0
        while clock() < end_s:
            due_s = feed.next_poll_s(clock(), bpm, True)
            time.sleep(max(0.0, clock.to_monotonic(due_s) - time.monotonic()))
            wakes += 1
            index, _ = feed.poll(clock(), bpm, True)
            shown.setdefault(index, clock())
    finally:
        m.stop()
    heard = {b.index: clock.from_monotonic(b.heard_at_s) for b in feed.log}
    beats = sorted(i for i in shown if i >= 0)[1:]  # the first may have been heard already
    assert len(beats) >= 12 and beats == list(range(beats[0], beats[-1] + 1))  # none skipped
    late_s = [shown[i] - heard[i] for i in beats]
    assert min(late_s) >= -1e-6  # never before the click is heard
    assert max(late_s) < 0.03  # a sleep's overshoot, not a polling period
    assert wakes <= 3 * len(shown)  # not a fixed-rate poll (25 a second was ~9 a beat)


def test_while_the_sound_server_is_stopped_the_feed_wakes_only_a_few_times_a_second(
    pulse: PrivatePulse,
) -> None:
    from cadence.audio.stream import Metronome
    from cadence.live.beats import IDLE_POLL_S

    clock = MonotonicClock()
    m = Metronome(bpm=170.0, running=True)
    m.start()
    try:
        _first_beats(m)
        feed = BeatFeed(m, clock.from_monotonic)
        pulse.freeze()  # the stream stops asking for blocks: no beats come
        try:
            time.sleep(0.5)
            feed.poll(clock(), 170.0, True)  # what was rendered before the stop
            wakes, t0 = 0, clock()
            while clock() < t0 + 2.0:
                due_s = feed.next_poll_s(clock(), 170.0, True)
                time.sleep(max(0.0, clock.to_monotonic(due_s) - time.monotonic()))
                feed.poll(clock(), 170.0, True)
                wakes += 1
        finally:
            pulse.thaw()
    finally:
        m.stop()
    assert wakes <= 2.0 / IDLE_POLL_S + 3  # no busy retry while nothing comes
