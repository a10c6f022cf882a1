"""Decoding a local track to mono float32 at the stream's rate (pedalboard's ``AudioFile``).

Why pedalboard: one wheel reads WAV, FLAC, OGG and MP3 (and AIFF/M4A where the
platform allows) and resamples on the way in, so no separate decoder or
resampler is needed. Anything it cannot open (a damaged file, a DRM-locked
purchase, a text file renamed .mp3) becomes one ``MusicError`` line.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from numpy.typing import NDArray

#: file name endings offered to the decoder when a folder is scanned
AUDIO_SUFFIXES = frozenset({".wav", ".flac", ".ogg", ".oga", ".mp3", ".aif", ".aiff", ".m4a"})
MAX_TRACK_S = 30 * 60.0  # a 30-minute "track" is a mix or a podcast, not a song to run to


class MusicError(Exception):
    """A track that cannot be used, in one line that names the file."""


def decode_mono(path: Path, samplerate: int) -> NDArray[np.float32]:
    """The whole track as mono float32 at ``samplerate``; ``MusicError`` if unusable."""
    from pedalboard.io import AudioFile  # heavy; only when music is used

    if not path.is_file():
        raise MusicError(f"{path}: no such file")
    try:
        with AudioFile(str(path)) as f:
            if f.duration > MAX_TRACK_S:
                raise MusicError(
                    f"{path}: {f.duration / 60:.0f} minutes long; tracks over "
                    f"{MAX_TRACK_S / 60:.0f} minutes are not used"
                )
            with f.resampled_to(float(samplerate)) as r:
                data = r.read(r.frames)
    except MusicError:
        raise
    except (OSError, ValueError, RuntimeError):
        raise MusicError(f"{path}: can't decode this file (DRM-locked, damaged or not audio)")\
            from None
    mono = np.asarray(data, dtype=np.float32)
    if mono.ndim == 2:
        mono = mono.mean(axis=0, dtype=np.float32)
    if mono.shape[0] < samplerate:
        raise MusicError(f"{path}: shorter than a second; nothing to run to")
    return np.ascontiguousarray(mono)
