"""Synthetic music tracks of exactly known tempo, for the music tests (no copyrighted audio).

Why synthetic: a test of beat tracking and beat-locked stretching needs the
true beat positions to the sample. Each track here is a kick drum on every
beat (a pitch-swept sine from 150 Hz down to 50 Hz, starting at phase zero, so
its onset is the exact beat time) over a sustained low chord. Everything stays
below ~400 Hz, so a capture can tell the music from cadence's clicks, whose
onsets are sharp steps.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import soundfile as sf
from numpy.typing import NDArray

KICK_S = 0.3  # long enough to have died away (an abrupt end would be an onset)


@dataclass(frozen=True, slots=True)
class SynthTrack:
    path: Path
    tempo_bpm: float
    first_beat_s: float
    duration_s: float
    samplerate: int

    def beats_s(self) -> NDArray[np.float64]:
        period = 60.0 / self.tempo_bpm
        n = int((self.duration_s - self.first_beat_s) / period) + 1
        b = self.first_beat_s + period * np.arange(n)
        return b[b < self.duration_s - KICK_S]


def kick_track(
    tempo_bpm: float, *, duration_s: float = 20.0, first_beat_s: float = 0.5,
    samplerate: int = 44100, chord: bool = True, kick_gain: float = 0.6,
) -> NDArray[np.float32]:
    """Mono samples: a kick exactly on every beat from ``first_beat_s``, over a chord."""
    n = int(duration_s * samplerate)
    t = np.arange(n) / samplerate
    y = np.zeros(n, np.float64)
    if chord:
        y += 0.05 * np.sin(2 * np.pi * 110.0 * t) + 0.04 * np.sin(2 * np.pi * 164.8 * t)
    period = 60.0 / tempo_bpm
    beat = first_beat_s
    while beat < duration_s - KICK_S:
        i0 = int(np.ceil(beat * samplerate))
        i1 = min(n, i0 + int(KICK_S * samplerate))
        tau = t[i0:i1] - beat  # exact time since the onset (sub-sample)
        # frequency sweeps 150 -> 50 Hz; phase is its integral, zero at the onset
        f0, f1, k = 150.0, 50.0, 30.0
        phase = 2 * np.pi * (f1 * tau + (f0 - f1) * (1 - np.exp(-k * tau)) / k)
        y[i0:i1] += kick_gain * np.sin(phase) * np.exp(-tau / 0.04)
        beat += period
    return y.astype(np.float32)


def write_track(
    folder: Path, tempo_bpm: float, *, fmt: str = "wav", duration_s: float = 20.0,
    first_beat_s: float = 0.5, samplerate: int = 44100, name: str | None = None,
) -> SynthTrack:
    """Write a kick track as WAV, FLAC or OGG (Vorbis) and say where its beats are."""
    y = kick_track(tempo_bpm, duration_s=duration_s, first_beat_s=first_beat_s,
                   samplerate=samplerate)
    path = folder / f"{name or f'kick_{tempo_bpm:g}'}.{fmt}"
    stereo = np.stack([y, y], axis=1)
    if fmt == "ogg":
        sf.write(path, stereo, samplerate, format="OGG", subtype="VORBIS")
    else:
        sf.write(path, stereo, samplerate)
    return SynthTrack(path, tempo_bpm, first_beat_s, duration_s, samplerate)


def write_noise(folder: Path, *, duration_s: float = 15.0, samplerate: int = 44100) -> Path:
    """A track with no beat at all: a slowly swelling chord with soft noise."""
    rng = np.random.default_rng(7)
    n = int(duration_s * samplerate)
    t = np.arange(n) / samplerate
    swell = 0.5 + 0.5 * np.sin(2 * np.pi * 0.1 * t)
    y = 0.1 * swell * np.sin(2 * np.pi * 220.0 * t) + 0.01 * rng.standard_normal(n)
    path = folder / "no_beat.wav"
    sf.write(path, y.astype(np.float32), samplerate)
    return path
