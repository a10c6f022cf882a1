"""Which tracks suit today's tempo, and how each is mapped onto the beat grid.

A track is used as it is, at half speed or at double: a 85 bpm track runs at
170 steps per minute with a step on every half beat (each of its beats spans
two clicks), a 150 bpm track walks at 75. The stretch is how much faster (or
slower) it has to play; beyond the limit (the profile's ``stretch_limit_pct``,
8 % by default) it would sound wrong, so the track is not used.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from cadence.model.music import TrackAnalysis

DEFAULT_LIMIT_PCT = 8.0
#: track beats per click: 2.0 for a track at half the tempo, 0.5 at double
MULTIPLES = (1.0, 2.0, 0.5)


@dataclass(frozen=True, slots=True)
class TrackFit:
    track: TrackAnalysis
    clicks_per_beat: float  # 1, 2 (a half-tempo track) or 0.5 (a double-tempo track)
    stretch: float  # playback speed: target / (tempo * clicks_per_beat); 1.0 unchanged

    @property
    def stretch_pct(self) -> float:
        return 100.0 * (self.stretch - 1.0) + 0.0  # + 0.0: never "-0.0 %"


def fit(track: TrackAnalysis, target_spm: float) -> TrackFit | None:
    """The closest way to play ``track`` at ``target_spm`` (any stretch); None if unusable."""
    if not track.usable or track.tempo_bpm <= 0:
        return None
    best = None
    for m in MULTIPLES:
        stretch = target_spm / (track.tempo_bpm * m)
        if best is None or abs(stretch - 1.0) < abs(best.stretch - 1.0):
            best = TrackFit(track, m, stretch)
    return best


def within_limit(f: TrackFit, limit_pct: float) -> bool:
    return abs(f.stretch_pct) <= limit_pct + 1e-9


def choose(
    tracks: Iterable[TrackAnalysis], target_spm: float, limit_pct: float = DEFAULT_LIMIT_PCT,
) -> list[TrackFit]:
    """The usable tracks within ``limit_pct`` of ``target_spm``, in the order given."""
    out = []
    for t in tracks:
        f = fit(t, target_spm)
        if f is not None and within_limit(f, limit_pct):
            out.append(f)
    return out


def why_not(f: TrackFit | None, track: TrackAnalysis, target_spm: float, limit_pct: float) -> str:
    """One line: why ``track`` is not played at ``target_spm``."""
    if f is None:
        return track.problem or f"{track.path}: no beat found"
    return (f"{track.path}: {track.tempo_bpm:.1f} bpm would need {f.stretch_pct:+.1f} % for "
            f"{target_spm:g} steps/min (the limit is {limit_pct:g} %)")
