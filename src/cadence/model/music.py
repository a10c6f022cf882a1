"""``TrackAnalysis``: what cadence knows about one local music track.

A plain record shared by the analysis (``cadence.music``), the store's cache
(``cadence.store.music_cache``) and the commands. A file that could not be used
is recorded too, with ``problem`` saying why in one line, so a folder scan does
not decode it again until the file changes.
"""

from __future__ import annotations

from dataclasses import dataclass

#: bump when the analysis changes, so cached results are redone
ANALYSER_VERSION = 1


@dataclass(frozen=True, slots=True)
class TrackAnalysis:
    path: str  # absolute
    size_bytes: int
    mtime_ns: int
    duration_s: float
    tempo_bpm: float  # 0.0 when the track is unusable
    beats_s: tuple[float, ...]  # beat onsets, seconds from the start of the file
    problem: str = ""  # one line when the track can't be used; "" when it can

    @property
    def usable(self) -> bool:
        return not self.problem and len(self.beats_s) >= 2

    @property
    def name(self) -> str:
        return self.path.rsplit("/", 1)[-1]
