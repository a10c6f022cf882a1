"""The real stack: Metronome -> PortAudio -> ALSA pulse plugin -> PulseAudio null sink.

Each test plays through a private daemon, records the sink's monitor with
parecord and judges what actually came out, sample by sample.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from numpy.typing import NDArray

from cadence.audio.scheduler import period_fraction
from cadence.audio.sounds import load_click, load_cue
from cadence.audio.stream import Beat, Metronome
from support.pulse import Capture, PrivatePulse, detect_onsets, grid_errors, read_wav

pytestmark = [pytest.mark.audio, pytest.mark.slow]
SR = 48000


def wait_blocks(m: Metronome, blocks: int, timeout_s: float = 15.0) -> None:
    """Wait until the stream has rendered ``blocks`` more blocks (functional timeout only)."""
    target = m.stats.blocks + blocks
    deadline = time.monotonic() + timeout_s
    while m.stats.blocks < target:
        assert time.monotonic() < deadline, "the audio stream stopped asking for blocks"
        time.sleep(0.01)


def wait_beats(m: Metronome, count: int, sink: list[Beat], timeout_s: float = 30.0) -> None:
    """Poll beats into ``sink`` until it holds ``count`` of them."""
    deadline = time.monotonic() + timeout_s
    while len(sink) < count:
        assert time.monotonic() < deadline, f"only {len(sink)} beats came"
        sink += m.poll_beats()
        time.sleep(0.005)


def play(
    pulse: PrivatePulse,
    tmp_path: Path,
    script: Callable[[Metronome, list[Beat]], None],
    **kwargs: object,
) -> tuple[NDArray[np.float32], list[Beat], Metronome]:
    """Start a stream, let it settle, run ``script`` while capturing, return the capture."""
    kwargs.setdefault("device", "pulse")
    m = Metronome(**kwargs)  # type: ignore[arg-type]
    beats: list[Beat] = []
    wav = tmp_path / "capture.wav"
    m.start()
    try:
        wait_blocks(m, 100)  # PulseAudio stalls for a moment after a stream opens
        with Capture(wav, env=pulse.env):
            script(m, beats)
            m.set_running(False)
            wait_blocks(m, 30)
        beats += m.poll_beats()
    finally:
        m.stop()
    assert m.stats.callback_errors == 0
    x, sr = read_wav(wav)
    assert sr == SR
    return x, beats, m


def run_for(beats_wanted: int) -> Callable[[Metronome, list[Beat]], None]:
    def script(m: Metronome, beats: list[Beat]) -> None:
        m.set_running(True)
        wait_beats(m, beats_wanted, beats)

    return script


def align(onsets: NDArray[np.int64], beats: list[Beat]) -> NDArray[np.int64]:
    """Capture positions of the reported beats (stream samples shifted onto the capture)."""
    samples = np.array([b.sample for b in beats], np.int64)
    return samples - samples[0] + onsets[0]


@pytest.mark.parametrize(("bpm", "device"), [(160, "pulse"), (172.5, "pulse"), (180, None)])
def test_every_click_lands_on_its_exact_sample(
    pulse: PrivatePulse, tmp_path: Path, bpm: float, device: str | None
) -> None:
    x, beats, m = play(pulse, tmp_path, run_for(24), bpm=bpm, accent_every=4, device=device)
    onsets = detect_onsets(x)
    period = Fraction(*period_fraction(bpm, SR))
    assert len(onsets) == len(beats) >= 24  # none lost, none extra
    assert not grid_errors(onsets, period).any()  # every onset on round(k * period): no drift
    np.testing.assert_array_equal(onsets, align(onsets, beats))
    assert m.latency_s <= 0.05
    # the beat reports a TUI indicator follows are spaced like the clicks (generous bound)
    heard = np.diff([b.heard_at_s for b in beats])
    np.testing.assert_allclose(heard, float(period) / SR, atol=0.01)


def test_tempo_change_lands_on_the_next_beat(pulse: PrivatePulse, tmp_path: Path) -> None:
    asked: list[int] = []

    def script(m: Metronome, beats: list[Beat]) -> None:
        m.set_running(True)
        wait_beats(m, 6, beats)
        m.set_tempo(180)  # just after a beat was rendered
        asked.append(len(beats))  # index of "the next beat"
        wait_beats(m, 16, beats)

    x, beats, _ = play(pulse, tmp_path, script, bpm=160, accent_every=0)
    k = asked[0]
    onsets = detect_onsets(x)
    assert len(onsets) == len(beats) >= 16
    old, new = Fraction(*period_fraction(160, SR)), Fraction(*period_fraction(180, SR))
    gaps = np.diff(onsets)
    assert (gaps[:k] == old).all()  # up to the next beat, which keeps its time
    assert (gaps[k:] == new).all()  # every gap after it at the new tempo
    assert not grid_errors(onsets[k:], new).any()


def test_accented_beats_are_louder(pulse: PrivatePulse, tmp_path: Path) -> None:
    x, beats, _ = play(pulse, tmp_path, run_for(12), bpm=176, accent_every=4, volume=0.8)
    onsets = detect_onsets(x)
    assert len(onsets) == len(beats)
    peaks = np.array([np.abs(x[o : o + 200]).max() for o in onsets])
    accented = np.array([b.accented for b in beats])
    assert list(np.flatnonzero(accented)) == [0, 4, 8]
    assert peaks[accented].min() > 1.5 * peaks[~accented].max()
    # the capture is the shipped sound at the set volume (16-bit rounding aside)
    click = load_click("woodblock")
    o = onsets[1]
    np.testing.assert_allclose(x[o : o + click.normal.size], 0.8 * click.normal, atol=2e-4)


def test_mute_and_clicks_off_are_silent(pulse: PrivatePulse, tmp_path: Path) -> None:
    def script(m: Metronome, beats: list[Beat]) -> None:
        m.set_running(True)
        wait_beats(m, 4, beats)
        m.set_muted(True)
        wait_beats(m, 10, beats)
        m.set_muted(False)
        wait_beats(m, 14, beats)
        m.set_running(False)
        wait_blocks(m, 100)  # one second with clicks off

    x, beats, _ = play(pulse, tmp_path, script, bpm=170, accent_every=0)
    heard = [b for b in beats if not b.muted]
    muted = [b for b in beats if b.muted]
    assert 4 <= len(muted) <= 7
    onsets = detect_onsets(x)
    np.testing.assert_array_equal(onsets, align(onsets, heard))  # exactly the unmuted beats
    assert not np.abs(x[onsets[-1] + 4800 :]).any()  # after "off", digital silence


def test_cues_never_sound_over_a_click_onset(pulse: PrivatePulse, tmp_path: Path) -> None:
    def script(m: Metronome, beats: list[Beat]) -> None:
        m.set_running(True)
        wait_beats(m, 4, beats)
        m.play_cue("earcon_stop")
        m.play_cue("earcon_phase")
        wait_beats(m, 12, beats)

    x, beats, _m = play(pulse, tmp_path, script, bpm=180, accent_every=0, cue_volume=1.0)
    click = 0.8 * load_click("woodblock").normal
    first = detect_onsets(x[: SR * 2])[0]  # the first click sounds before any cue
    expected = align(np.array([first]), beats)
    pre, post = int(0.002 * SR), int(0.02 * SR)
    cue_energy = 0.0
    for a, b in itertools.pairwise(expected):
        # just before the onset: silence; from the onset: exactly the click, no cue in it
        assert not np.abs(x[a - pre : a]).any()
        np.testing.assert_allclose(x[a : a + post], click[:post], atol=2e-4)
        cue_energy += float(np.abs(x[a + post + 48 : b - pre - 48]).sum())
    stop_alert = load_cue("earcon_stop")
    assert cue_energy > 0.25 * float(np.abs(stop_alert).sum())  # the cues did play
