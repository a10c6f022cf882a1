"""The sound server dies mid-run (SIGKILL of the private PulseAudio daemon) and comes back.

Real parts only: the production ``Metronome`` plays through PortAudio and the
ALSA pulse plugin into the private daemon; the daemon is killed, restarted, and
what came out is captured before and after. The stream must notice, say so,
reopen by itself and put the clicks back on the grid the runner was following.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from numpy.typing import NDArray

import cadence
from audio.test_stream_capture import wait_beats, wait_blocks
from cadence.audio.scheduler import period_fraction
from cadence.audio.stream import Beat, Metronome
from cadence.audio.supervisor import SoundState
from support.pulse import Capture, PrivatePulse, detect_onsets, ideal_grid, read_wav

pytestmark = pytest.mark.audio
SR = 48000
SRC = str(Path(cadence.__file__).resolve().parent.parent)


def wait_for(check: Callable[[], bool], what: str, timeout_s: float) -> float:
    """Seconds until ``check()`` holds (functional timeout only)."""
    t0 = time.monotonic()
    while not check():
        assert time.monotonic() - t0 < timeout_s, f"{what} did not happen in {timeout_s} s"
        time.sleep(0.01)
    return time.monotonic() - t0


def captured(pulse: PrivatePulse, wav: Path, m: Metronome, beats: int) -> list[Beat]:
    """Capture while ``beats`` more beats are rendered; the beats reported meanwhile."""
    got: list[Beat] = m.poll_beats()
    with Capture(wav, env=pulse.env):
        wait_beats(m, len(got) + beats, got)
    return got + m.poll_beats()


def run_of(onsets: NDArray[np.int64], beats: list[Beat]) -> list[Beat]:
    """The consecutive reported beats whose spacing is exactly that of the captured onsets.

    The capture starts and ends between beats the stream rendered ahead, so its
    clicks are some run of the reported ones; finding that run proves every
    captured click is a reported beat at its exact sample, with none missing.
    """
    rel = (onsets - onsets[0]).tolist()
    samples = [b.sample for b in beats]
    for j in range(len(samples) - len(rel) + 1):
        if [x - samples[j] for x in samples[j : j + len(rel)]] == rel:
            return beats[j : j + len(rel)]
    raise AssertionError(f"captured onsets {rel} are no run of the reported beats")


def check_same_grid(tmp_path: Path, before: list[Beat], after: list[Beat], last_before: Beat,
                    period: Fraction, m: Metronome) -> None:
    """Both captures are runs of reported beats, and the beats after are on the old grid."""
    assert m.stats.callback_errors == 0
    # What came out on each side of the restart: a run of reported beats, sample-exact.
    for wav, beats in ((tmp_path / "before.wav", before), (tmp_path / "after.wav", after)):
        # the recording starts and stops while clicks sound: the first and last may be cut
        onsets = detect_onsets(read_wav(wav)[0])[1:-1]
        assert len(onsets) >= 8
        run_of(onsets, beats)
    # The beats after the restart are on the grid of the beats before it: beat
    # ``index`` at ``first + round(index * P)``, one grid from the first click on
    # (no new grid started where the sound came back) ...
    assert before[0].index == 0
    grid = ideal_grid(before[0].sample, period, after[-1].index + 1)
    assert [b.sample for b in [*before, *after]] == [grid[b.index] for b in [*before, *after]]
    skipped = after[0].index - last_before.index - 1
    assert skipped > 0  # the beats that fell in the outage were not played late
    assert [b.accented for b in after] == [b.index % 4 == 0 for b in after]
    # ... and that grid kept its place in real time: the first click after the
    # outage sounds when the old beat said it would (to within the reported latency).
    expected_s = last_before.heard_at_s + (skipped + 1) * float(period) / SR
    assert abs(after[0].heard_at_s - expected_s) < 0.02
    assert after[0].heard_at_s - last_before.heard_at_s > 1.0  # it was really away


def test_clicks_come_back_on_the_same_grid_after_the_server_restarts(
    pulse: PrivatePulse, tmp_path: Path
) -> None:
    bpm = 172.5
    period = Fraction(*period_fraction(bpm, SR))
    m = Metronome("pulse", bpm=bpm, accent_every=4)
    m.start()
    try:
        wait_blocks(m, 100)  # PulseAudio stalls a new stream for a moment
        m.poll_beats()
        m.set_running(True)
        assert m.sound.state is SoundState.PLAYING and m.sound.message == ""
        before = captured(pulse, tmp_path / "before.wav", m, 10)
        pulse.crash()
        try:
            wait_for(lambda: m.sound.state is SoundState.LOST, "noticing the loss", 2.0)
            before += m.poll_beats()  # rendered before the stream died
            last_before = before[-1]
            lost = m.sound
            assert lost.outages == 1 and "sound lost" in lost.message
            time.sleep(1.0)  # the server is away for a while
            assert m.sound.state is SoundState.LOST  # and keeps saying so
        finally:
            pulse.start()
        wait_for(lambda: m.sound.state is SoundState.PLAYING, "playing again", 20.0)
        back = m.sound
        assert back.outages == 1 and back.message == "" and back.lost_s > 1.0
        after = captured(pulse, tmp_path / "after.wav", m, 10)
    finally:
        m.stop()
    check_same_grid(tmp_path, before, after, last_before, period, m)


def test_a_stalled_server_is_reported_and_the_beat_found_again(
    pulse: PrivatePulse, tmp_path: Path
) -> None:
    """SIGSTOP: the stream stays open but asks for nothing; SIGCONT: it flows again."""
    bpm = 160.0
    period = Fraction(*period_fraction(bpm, SR))
    m = Metronome("pulse", bpm=bpm, accent_every=4)
    m.start()
    try:
        wait_blocks(m, 100)
        m.poll_beats()
        m.set_running(True)
        before = captured(pulse, tmp_path / "before.wav", m, 10)
        pulse.freeze()
        try:
            wait_for(lambda: m.sound.state is SoundState.LOST, "noticing the stall", 3.0)
            assert m.sound.outages == 1 and "sound lost" in m.sound.message
            before += m.poll_beats()
            last_before = before[-1]
            time.sleep(1.5)
        finally:
            pulse.thaw()
        wait_for(lambda: m.sound.state is SoundState.PLAYING, "playing again", 20.0)
        assert m.sound.outages == 1 and m.sound.lost_s > 1.0
        after = captured(pulse, tmp_path / "after.wav", m, 10)
    finally:
        m.stop()
    check_same_grid(tmp_path, before, after, last_before, period, m)


def _metronome(pulse: PrivatePulse, *args: str) -> subprocess.Popen[str]:
    path = os.pathsep.join(filter(None, [SRC, os.environ.get("PYTHONPATH")]))
    env = dict(pulse.env, PYTHONPATH=path)
    proc = subprocess.Popen(
        [sys.executable, "-m", "cadence", "metronome", *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )
    assert proc.stdout is not None
    assert "steps/min" in proc.stdout.readline()  # printed once the stream runs
    return proc


def _cadence_lines(stderr: str) -> list[str]:
    """Our own stderr lines (PortAudio's C code prints its own when the server dies)."""
    assert "Traceback" not in stderr
    return [line for line in stderr.splitlines() if line.startswith("cadence metronome:")]


def test_metronome_command_says_so_and_plays_on_when_the_server_is_back(
    pulse: PrivatePulse, tmp_path: Path
) -> None:
    proc = _metronome(pulse, "--bpm", "160", "--accent", "0", "--duration", "14")
    try:
        time.sleep(3.0)
        pulse.crash()
        time.sleep(1.5)
        pulse.start()
        time.sleep(4.0)  # reopen, PulseAudio's start-up stall, the beat found again
        with Capture(tmp_path / "after.wav", env=pulse.env):
            time.sleep(3.0)
        _out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        if not pulse.running:
            pulse.start()
    assert proc.returncode == 0, err
    lines = _cadence_lines(err)
    assert len(lines) == 2, err  # once when it went away, once when it came back
    assert "sound lost" in lines[0] and "sound back" in lines[1]
    onsets = detect_onsets(read_wav(tmp_path / "after.wav")[0])[1:-1]  # edges may be cut
    assert len(onsets) >= 6  # clicks after the restart: the metronome did not die silently
    period = Fraction(*period_fraction(160, SR))
    assert (np.diff(onsets) == period).all()  # 160 spm: 18000 samples, none missing


def test_metronome_command_exits_3_when_it_could_not_play(pulse: PrivatePulse) -> None:
    proc = _metronome(pulse, "--bpm", "170", "--duration", "5")
    try:
        time.sleep(2.0)
        pulse.crash()
        _out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        pulse.start()
    assert proc.returncode == 3, err
    lines = _cadence_lines(err)
    assert len(lines) == 2, err
    assert "sound lost" in lines[0] and "could not play" in lines[1]
