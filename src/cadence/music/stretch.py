"""Beat-locked time-stretching: Rubber Band (through pedalboard) one beat at a time.

Why one beat at a time: asked for a single ratio over a whole track, Rubber
Band's output tempo is close but not exact (150 -> 170 bpm came out at 170.25
in its high-quality mode, which drifts a beat's worth in a few minutes), and
its transient handling can shift a kick by several ms. Here every
beat-to-beat segment is stretched on its own, with some context either side so
the stretcher has warmed up, to exactly the length the click grid gives that
beat; the pieces are cut a little before each beat (``LEAD_S``, in the quiet
before the attack) and joined with a short crossfade (``XFADE``). So every
beat lands on its grid sample whatever the stretcher does over a whole track,
and a tempo change simply changes the next segment's length.

The pitch is kept (``pitch_shift_in_semitones=0``): the runner hears their
track a little faster or slower, not higher or lower.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

Mono = NDArray[np.float32]

LEAD_S = 0.015  # each piece starts this long before its beat, before the attack
CONTEXT_S = 0.12  # extra input either side of a segment, for the stretcher to warm up
XFADE = 192  # samples of crossfade between pieces (4 ms at 48 kHz)


@dataclass(frozen=True, slots=True)
class Piece:
    """Output samples for the stream: ``samples`` sound from stream sample ``start``.

    The last ``XFADE`` samples are a fade-out tail to be overlapped with the
    next piece's faded-in head.
    """

    start: int
    samples: Mono


def _time_stretch(x: Mono, samplerate: int, factor: float, high_quality: bool) -> Mono:
    import pedalboard  # heavy (C++ Rubber Band); only once music plays

    out: Any = pedalboard.time_stretch(
        x, float(samplerate), stretch_factor=float(factor), pitch_shift_in_semitones=0.0,
        high_quality=high_quality, transient_mode="crisp",
    )
    return np.ascontiguousarray(np.asarray(out, dtype=np.float32).reshape(-1))


class BeatStretcher:
    """Stretches one track, beat by beat, onto the stream's beat grid.

    ``audio`` is the decoded track (mono float32 at the stream's rate) and
    ``beats`` its beat positions in (fractional) samples of ``audio``.
    """

    def __init__(
        self, audio: Mono, beats: NDArray[np.float64], samplerate: int, *,
        high_quality: bool = True,
    ) -> None:
        if beats.shape[0] < 2:
            raise ValueError("a track needs at least two beats to be stretched")
        self.audio = audio
        self.beats = beats
        self.samplerate = samplerate
        self.high_quality = high_quality
        self.lead = round(LEAD_S * samplerate)
        self.context = round(CONTEXT_S * samplerate)
        self._fade_in = np.linspace(0.0, 1.0, XFADE, endpoint=False, dtype=np.float32)
        self._fade_out = self._fade_in[::-1].copy()

    @property
    def segments(self) -> int:
        """How many beat-to-beat segments the track has (beats minus one)."""
        return int(self.beats.shape[0]) - 1

    def piece(self, k: int, grid_at: int, grid_next: int, grid_after: int) -> Piece:
        """Segment ``k`` (track beat ``k`` to ``k + 1``) placed on stream samples.

        ``grid_at`` and ``grid_next`` are the stream samples where track beats
        ``k`` and ``k + 1`` must sound, ``grid_after`` where beat ``k + 2`` will
        (it only sets where this piece hands over to the next). The piece runs
        from just before ``grid_at`` to just before ``grid_next``, plus its
        fade-out tail.
        """
        b0 = float(self.beats[k])
        b1 = float(self.beats[k + 1])
        out_len = grid_next - grid_at
        if out_len <= 0:
            raise ValueError("the grid must move forward")
        factor = (b1 - b0) / out_len  # > 1 speeds up (pedalboard's convention)
        d0 = round(self.lead / factor)
        nxt_factor = factor
        if k + 2 < self.beats.shape[0] and grid_after > grid_next:
            nxt_factor = (float(self.beats[k + 2]) - b1) / (grid_after - grid_next)
        d1 = round(self.lead / nxt_factor)
        start = grid_at - d0
        stop = grid_next - d1 + XFADE  # stream samples [start, stop)
        # input: from `context` before the piece's start to `context` after its end
        in_from = max(0, int(np.floor(b0 - self.lead - self.context)))
        in_to = min(self.audio.shape[0], int(np.ceil(b1 + (stop - grid_next) * factor))
                    + self.context)
        y = _time_stretch(self.audio[in_from:in_to], self.samplerate, factor, self.high_quality)
        # stream sample grid_at <-> input b0 <-> y index (b0 - in_from) / factor
        at = round((b0 - in_from) / factor)
        i0 = at - d0
        i1 = at + (stop - grid_at)
        piece = np.zeros(stop - start, np.float32)
        s, e = max(0, i0), min(y.shape[0], i1)
        if e > s:
            piece[s - i0 : e - i0] = y[s:e]
        piece[:XFADE] *= self._fade_in
        piece[-XFADE:] *= self._fade_out
        return Piece(start, piece)
