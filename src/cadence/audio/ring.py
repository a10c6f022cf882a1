"""``SampleRing``: prepared samples handed from a worker thread to the audio callback.

Why: music has to be decoded and time-stretched, which takes milliseconds per
beat and allocates; the audio callback must do neither. So a worker renders
ahead into this preallocated ring, addressed by absolute stream sample, and
the callback only copies (``mix_into``) the samples for the block it is
filling. One writer, one reader, no locks: the writer fills samples before it
publishes ``written`` (one int assignment, atomic in CPython), and the reader
publishes ``read_to`` after it has copied, so the writer never overwrites a
sample that has not been played.

Samples before ``begin`` or from ``end`` on are silence by design; a sample the
worker had not written in time is silence too and counts as a ``starved``
block (the worker fell behind).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

Mono = NDArray[np.float32]
NEVER = 1 << 62


class SampleRing:
    """A single-producer, single-consumer ring of mono float32 samples."""

    def __init__(self, capacity: int, max_frames: int = 8192) -> None:
        if capacity < 2 * max_frames:
            raise ValueError("the ring must hold at least two blocks")
        self.capacity = capacity
        self._buf = np.zeros(capacity, np.float32)
        self._tmp = np.zeros(max_frames, np.float32)
        self.begin = NEVER  # first stream sample that has music (set by the writer)
        self.end = NEVER  # first stream sample after the music ends
        self.written = 0  # the writer has filled every sample below this one
        self.read_to = 0  # the reader has played every sample below this one
        self.starved = 0  # blocks that found music missing

    # ------------------------------------------------------------ writer
    def room(self) -> int:
        """How many samples the writer may add after ``written`` now."""
        return max(0, self.read_to + self.capacity - self.written)

    def start_at(self, sample: int) -> None:
        """Music starts at stream sample ``sample`` (before any ``write``)."""
        self.begin = NEVER  # the reader sees no music while the positions move
        self.end = NEVER
        self.written = sample
        self.begin = sample

    def write(self, samples: Mono) -> None:
        """Append ``samples`` at ``written``; the caller checked ``room()``."""
        n = samples.shape[0]
        if n > self.room():
            raise ValueError("no room in the ring for that many samples")
        at = self.written % self.capacity
        first = min(n, self.capacity - at)
        self._buf[at : at + first] = samples[:first]
        if first < n:
            self._buf[: n - first] = samples[first:]
        self.written += n  # publish only after the samples are in place

    def finish_at(self, sample: int) -> None:
        """No music from stream sample ``sample`` on (a track ended, music stopped)."""
        self.end = sample

    # ------------------------------------------------------------ reader (audio thread)
    def mix_into(self, out: Mono, pos: int, gain: float) -> None:
        """Add ``gain`` times the music for stream samples ``pos..pos+len(out)`` to ``out``."""
        n = out.shape[0]
        stop = pos + n
        s = max(pos, self.begin)
        e = min(stop, self.end)
        if e > s and gain > 0.0:
            have = min(e, self.written)
            if have < e:
                self.starved += 1
            if have > s:
                self._add(out, s - pos, s, have - s, gain)
        self.read_to = stop

    def _add(self, out: Mono, o: int, sample: int, n: int, gain: float) -> None:
        done = 0
        while done < n:
            at = (sample + done) % self.capacity
            m = min(n - done, self.capacity - at, self._tmp.shape[0])
            tmp = self._tmp[:m]
            np.multiply(self._buf[at : at + m], gain, out=tmp)
            out[o + done : o + done + m] += tmp
            done += m
