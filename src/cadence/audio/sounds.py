"""Load the shipped WAV sounds (clicks, earcons, spoken cues) as float32 arrays.

Why a module of its own: reading files is I/O, which must never happen in the
audio callback. Everything here runs on the main thread, before a sound is
handed to the stream.

Where the sounds live: the ``sounds/`` folder at the top of the repository
(``scripts/make_sounds.py`` generates it), found relative to this file for an
editable install. Set ``CADENCE_SOUNDS_DIR`` to use another folder (e.g. for a
non-editable install). File names: ``click_<name>.wav`` and
``click_<name>_accent.wav`` for a click sound; ``<sound_id>.wav`` for a cue,
e.g. ``earcon_countdown.wav`` or ``cue_run_tall.wav``. All are mono 16-bit
PCM: clicks and earcons at 48 kHz; spoken cues at 16 kHz (speech needs no more,
and it keeps the repository a third the size), upsampled here by an exact
integer factor when loaded.
"""

from __future__ import annotations

import os
import wave
from pathlib import Path

import numpy as np

from cadence.audio.scheduler import ClickPair, Mono

SOUNDS_ENV = "CADENCE_SOUNDS_DIR"


class SoundError(Exception):
    """A sound is missing or not in the expected format (message is user-facing)."""


def sounds_dir() -> Path:
    """The folder holding the WAVs: ``$CADENCE_SOUNDS_DIR`` or the repository's ``sounds/``."""
    override = os.environ.get(SOUNDS_ENV)
    if override:
        return Path(override)
    return Path(__file__).resolve().parents[3] / "sounds"


def load_wav(path: Path, samplerate: int = 48000) -> Mono:
    """A 16-bit PCM WAV as mono float32 in [-1, 1] (channels are averaged)."""
    try:
        with wave.open(str(path), "rb") as w:
            if w.getsampwidth() != 2:
                raise SoundError(f"{path}: expected 16-bit PCM, got {8 * w.getsampwidth()}-bit")
            file_rate = w.getframerate()
            if file_rate <= 0 or samplerate % file_rate:
                raise SoundError(
                    f"{path}: its rate {file_rate} Hz does not divide {samplerate} Hz"
                )
            channels = w.getnchannels()
            raw = w.readframes(w.getnframes())
    except FileNotFoundError:
        raise SoundError(f"sound file not found: {path} (run scripts/make_sounds.py)") from None
    except (wave.Error, EOFError) as exc:
        raise SoundError(f"{path}: not a readable WAV file ({exc})") from None
    data = np.frombuffer(raw, dtype="<i2").astype(np.float32) / np.float32(32768.0)
    if channels > 1:
        data = data.reshape(-1, channels).mean(axis=1, dtype=np.float32)
    factor = samplerate // file_rate
    if factor > 1:
        data = upsample(data, factor)
    return np.ascontiguousarray(data, dtype=np.float32)


def upsample(data: Mono, factor: int) -> Mono:
    """Linear interpolation by an integer factor (load time only, never in the callback)."""
    positions = np.arange(len(data) * factor, dtype=np.float64) / factor
    return np.interp(positions, np.arange(len(data)), data).astype(np.float32)


def click_names(folder: Path | None = None) -> list[str]:
    """Names of the click sounds available, e.g. ``["beep", "cowbell", "woodblock"]``."""
    base = folder or sounds_dir()
    names = []
    for path in base.glob("click_*.wav"):
        stem = path.stem.removeprefix("click_")
        if not stem.endswith("_accent"):
            names.append(stem)
    return sorted(names)


def load_click(name: str, samplerate: int = 48000, folder: Path | None = None) -> ClickPair:
    """The normal and accented sounds of click ``name``."""
    base = folder or sounds_dir()
    if not (base / f"click_{name}.wav").exists():
        available = ", ".join(click_names(base)) or "none found"
        raise SoundError(f"unknown click sound {name!r} (available: {available}) in {base}")
    return ClickPair(
        normal=load_wav(base / f"click_{name}.wav", samplerate),
        accent=load_wav(base / f"click_{name}_accent.wav", samplerate),
    )


def load_cue(sound_id: str, samplerate: int = 48000, folder: Path | None = None) -> Mono:
    """Cue ``sound_id`` (a file stem in the sounds folder)."""
    if not sound_id or "/" in sound_id or "\\" in sound_id or sound_id.startswith("."):
        raise SoundError(f"not a sound id: {sound_id!r}")
    return load_wav((folder or sounds_dir()) / f"{sound_id}.wav", samplerate)
