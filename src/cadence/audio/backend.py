"""Reach PortAudio through sounddevice, turning every way it can be missing into one error.

Why: ``import sounddevice`` itself raises ``OSError`` when libportaudio2 is not
installed, opening a stream raises ``PortAudioError`` on a box with no sound
device, and a ``--device`` name can match nothing. The user should see one
plain line for all of these, and the TUI should be able to carry on visually,
so they all become ``AudioUnavailable``. The import is lazy so that the rest of
cadence (and ``cadence --help``) works without PortAudio.
"""

from __future__ import annotations

import ctypes
import ctypes.util
from types import ModuleType
from typing import Any

DEVICE_HINT = "list devices with `cadence metronome --list-devices`, pick one with --device"


class AudioUnavailable(Exception):
    """No usable audio output. ``str(exc)`` is one user-facing line."""


def import_sounddevice() -> ModuleType:
    """The ``sounddevice`` module, or ``AudioUnavailable`` if PortAudio is missing."""
    try:
        import sounddevice
    except OSError as exc:  # libportaudio2 missing: raised at import time
        raise AudioUnavailable(
            f"no audio: the PortAudio library is not installed ({exc}); "
            "install libportaudio2 (scripts/setup.sh does)"
        ) from None
    module: ModuleType = sounddevice
    return module


def describe_error(exc: BaseException, device: str | int | None) -> AudioUnavailable:
    """A one-line ``AudioUnavailable`` for a failure to open an output stream."""
    what = "the default output" if device is None else f"output device {device!r}"
    detail = " ".join(str(exc).split()) or type(exc).__name__
    return AudioUnavailable(f"no audio device: cannot open {what} ({detail}); {DEVICE_HINT}")


def has_output_device(sd: ModuleType) -> bool:
    """Whether PortAudio has any output device at all."""
    try:
        devices: Any = sd.query_devices()
    except sd.PortAudioError:
        return False
    return any(int(dev["max_output_channels"]) > 0 for dev in devices)


def list_output_devices() -> list[str]:
    """Names of the output devices PortAudio can see, default first if there is one."""
    sd = import_sounddevice()
    try:
        devices: Any = sd.query_devices()
        default_out = sd.default.device[1]
    except sd.PortAudioError as exc:
        raise describe_error(exc, None) from None
    names: list[str] = []
    for index, dev in enumerate(devices):
        if int(dev["max_output_channels"]) > 0:
            name = str(dev["name"])
            if index == default_out:
                names.insert(0, name)
            else:
                names.append(name)
    return names


_ALSA_HANDLER_TYPE = ctypes.CFUNCTYPE(
    None, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p
)
_alsa_handler: Any = None
alsa_messages = 0  # ALSA error messages swallowed (e.g. "underrun occurred")


def silence_alsa_errors() -> None:
    """Stop libasound printing to stderr (it would scribble over the TUI); count instead.

    ALSA writes messages such as "underrun occurred" straight to file descriptor 2.
    Underruns are measured from the capture in the benchmarks; here they are only
    counted in ``alsa_messages``. Does nothing where libasound is not present.
    """
    global _alsa_handler
    if _alsa_handler is not None:
        return
    name = ctypes.util.find_library("asound")
    if name is None:
        return
    try:
        lib = ctypes.CDLL(name)
    except OSError:
        return

    def _count(_file: bytes, _line: int, _func: bytes, _err: int, _fmt: bytes) -> None:
        global alsa_messages
        alsa_messages += 1

    _alsa_handler = _ALSA_HANDLER_TYPE(_count)  # kept alive: libasound holds the pointer
    lib.snd_lib_error_set_handler(_alsa_handler)
