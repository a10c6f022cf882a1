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
CONTEXT_S = 0.2  # input either side of a segment for the stretcher to warm up (0.12 s let
# a kick in twenty slip by 3-4 ms; 0.2 s keeps them all within ~1.5 ms)
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
    """Stretches one decoded track (mono float32 at the stream's rate), a segment at a time."""

    def __init__(self, audio: Mono, samplerate: int, *, high_quality: bool = True) -> None:
        self.audio = audio
        self.samplerate = samplerate
        self.high_quality = high_quality
        self.lead = round(LEAD_S * samplerate)
        self.context = round(CONTEXT_S * samplerate)
        self._fade_in = np.linspace(0.0, 1.0, XFADE, endpoint=False, dtype=np.float32)
        self._fade_out = self._fade_in[::-1].copy()

    def piece(self, b0: float, b1: float, grid_at: int, grid_next: int) -> Piece:
        """Track audio from beat ``b0`` to ``b1`` (samples of the track) on stream samples.

        The beat at ``b0`` sounds at stream sample ``grid_at`` and the one at
        ``b1`` at ``grid_next``. The piece runs from ``LEAD_S`` before
        ``grid_at`` to ``LEAD_S`` before ``grid_next`` (so consecutive pieces
        meet exactly whatever their tempo), plus its ``XFADE`` fade-out tail;
        its first ``XFADE`` samples are faded in.
        """
        out_len = grid_next - grid_at
        if out_len <= 0 or b1 <= b0:
            raise ValueError("beats and the grid must move forward")
        factor = (b1 - b0) / out_len  # > 1 speeds up (pedalboard's convention)
        start = grid_at - self.lead
        n = out_len + XFADE  # stream samples [start, start + n)
        # input: `context` either side of what the piece needs
        need_from = b0 - self.lead * factor
        need_to = b0 + (n - self.lead) * factor
        in_from = max(0, int(np.floor(need_from)) - self.context)
        in_to = min(self.audio.shape[0], int(np.ceil(need_to)) + self.context)
        piece = np.zeros(n, np.float32)
        if in_to - in_from > 2 * XFADE:
            y = _time_stretch(self.audio[in_from:in_to], self.samplerate, factor,
                              self.high_quality)
            # stream sample G <-> track sample b0 + (G - grid_at) * factor <-> y index /factor
            i0 = round((need_from - in_from) / factor)
            s, e = max(0, i0), min(y.shape[0], i0 + n)
            if e > s:
                piece[s - i0 : e - i0] = y[s:e]
        piece[:XFADE] *= self._fade_in
        piece[-XFADE:] *= self._fade_out
        return Piece(start, piece)
