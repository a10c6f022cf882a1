"""The audio backend's error handling, against the real libasound and PortAudio."""

from __future__ import annotations

import ctypes.util
import subprocess
import sys

import pytest

OPEN_BOGUS_PCM = """
import ctypes, ctypes.util
from cadence.audio import backend
if {silence}:
    backend.silence_alsa_errors()
lib = ctypes.CDLL(ctypes.util.find_library("asound"))
pcm = ctypes.c_void_p()
rc = lib.snd_pcm_open(ctypes.byref(pcm), b"no_such_pcm_device", 0, 0)
print(rc < 0, backend.alsa_messages)
"""


@pytest.mark.skipif(ctypes.util.find_library("asound") is None, reason="libasound2 not installed")
@pytest.mark.parametrize("silence", [False, True])
def test_alsa_messages_are_counted_not_printed(silence: bool) -> None:
    result = subprocess.run(
        [sys.executable, "-c", OPEN_BOGUS_PCM.format(silence=silence)],
        capture_output=True, text=True, timeout=30,
    )
    failed, messages = result.stdout.split()
    assert failed == "True"
    if silence:
        assert "ALSA lib" not in result.stderr
        assert int(messages) > 0
    else:  # without it, libasound writes straight to stderr (what would garble the TUI)
        assert "ALSA lib" in result.stderr


def test_import_failure_of_portaudio_becomes_audio_unavailable() -> None:
    # libportaudio missing: sounddevice raises OSError at import; we say it in one line.
    code = (
        "import ctypes.util, sys\n"
        "real = ctypes.util.find_library\n"
        "ctypes.util.find_library = lambda n: None if 'portaudio' in n else real(n)\n"
        "sys.modules.pop('_sounddevice_data', None)\n"
        "from cadence.audio.backend import AudioUnavailable, import_sounddevice\n"
        "try:\n    import_sounddevice()\nexcept AudioUnavailable as e:\n    print(e)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    lines = result.stdout.strip().splitlines()
    assert result.returncode == 0, result.stderr
    if not lines:
        pytest.skip("sounddevice found PortAudio without ctypes.util (bundled library)")
    assert len(lines) == 1 and "PortAudio" in lines[0] and "libportaudio2" in lines[0]
