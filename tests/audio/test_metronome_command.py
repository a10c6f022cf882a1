"""``cadence metronome`` as a user runs it: real process, real audio stack, real exit codes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from fractions import Fraction
from pathlib import Path

import pytest

from cadence.audio.scheduler import period_fraction
from support.cli import run_cadence
from support.pulse import Capture, PrivatePulse, detect_onsets, grid_errors, read_wav

SR = 48000


def cadence(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return run_cadence("metronome", *args, env=env, timeout_s=60)


@pytest.mark.audio
def test_list_devices_shows_the_pulse_device(pulse: PrivatePulse) -> None:
    result = cadence("--list-devices", env=pulse.env)
    assert result.returncode == 0, result.stderr
    assert "pulse" in result.stdout.splitlines()


@pytest.mark.audio
@pytest.mark.slow
def test_plays_for_the_given_duration_sample_exact(pulse: PrivatePulse, tmp_path: Path) -> None:
    wav = tmp_path / "cli.wav"
    with Capture(wav, env=pulse.env):
        result = cadence("--bpm", "180", "--duration", "4", "--accent", "0", env=pulse.env)
    assert result.returncode == 0, result.stderr
    assert "180 steps/min" in result.stdout
    onsets = detect_onsets(read_wav(wav)[0])
    assert len(onsets) >= 9
    assert not grid_errors(onsets, Fraction(*period_fraction(180, SR))).any()


@pytest.mark.audio
def test_ctrl_c_stops_cleanly_with_exit_0(pulse: PrivatePulse) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "cadence", "metronome", "--bpm", "170"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=pulse.env,
        # A runner started as a background job inherits SIGINT as ignored, and
        # Python then installs no KeyboardInterrupt handler: give the child the
        # terminal's default, as a user's shell would.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()  # printed once the stream is running
        assert "stops after Ctrl-C" in first
        time.sleep(1.0)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:  # never leave clicks playing into later tests
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, err
    assert "stopped" in out
    assert "Traceback" not in err


def _one_line_exit_3(result: subprocess.CompletedProcess[str]) -> None:
    assert result.returncode == 3
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "no audio device" in lines[0] and "--list-devices" in lines[0]


def test_no_audio_device_is_one_line_and_exit_3(tmp_path: Path) -> None:
    # A machine with no sound server and no sound card: PortAudio sees no output.
    env = dict(os.environ, PULSE_SERVER=f"unix:{tmp_path}/none", XDG_RUNTIME_DIR=str(tmp_path))
    _one_line_exit_3(cadence("--duration", "1", env=env))


@pytest.mark.audio
def test_unknown_device_is_one_line_and_exit_3(pulse: PrivatePulse) -> None:
    _one_line_exit_3(cadence("--device", "no-such-card", "--duration", "1", env=pulse.env))


def test_unknown_click_sound_is_exit_2() -> None:
    result = cadence("--click", "tuba", "--duration", "1")
    assert result.returncode == 2
    assert "tuba" in result.stderr and "woodblock" in result.stderr
