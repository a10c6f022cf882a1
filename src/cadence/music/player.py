"""``MusicPlayer``: the worker that renders tracks ahead onto the metronome's beat grid.

Why a worker: decoding and Rubber Band stretching take tens of ms per beat;
the audio callback may take none of that. The worker reads the metronome's
beat grid (``Metronome.grid``: origin and exact period, the same integer
formula the click scheduler uses), stretches each beat-to-beat segment of the
track to the grid's next interval (``BeatStretcher``) and appends it to the
stream's ``SampleRing``, at most ``AHEAD_S`` ahead of what has been played.
The callback only copies from the ring.

Tempo changes go through the player while music plays (``set_tempo``): the
worker picks the first beat it has not rendered yet, tells the metronome to
change tempo exactly there (``Metronome.set_tempo(bpm, at_sample=...)``) and
renders on at the new tempo, so clicks and music change together, on a beat,
with no gap. Pause cuts the music at once and resumes the track where it was,
on a beat of the grid as it is then.

Unusable tracks (undecodable, DRM) are skipped with one line in ``problems``;
with nothing left the player ends and the clicks go on alone.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from fractions import Fraction
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from cadence.audio.ring import NEVER, SampleRing
from cadence.audio.scheduler import period_fraction
from cadence.audio.stream import Metronome
from cadence.model.start_stop import StartStop
from cadence.music.choice import TrackFit
from cadence.music.decode import MusicError, decode_mono
from cadence.music.stretch import XFADE, BeatStretcher

AHEAD_S = 1.0  # how far ahead of the speaker the music is rendered
START_AHEAD_S = 0.4  # the first beat with music is at least this far ahead when it is chosen
RING_S = 4.0
POLL_S = 0.01


#: How long a Python thread may hold the GIL before a waiting one gets it.
SWITCH_INTERVAL_S = 0.001


def _share_the_gil() -> None:
    """Let the audio callback get the GIL within a millisecond while the worker renders.

    Why not a lower priority for the worker: a thread that the OS puts off while it
    holds the GIL makes the callback wait for it (a priority inversion); measured
    as 150 ms gaps in the capture on a busy 2-core machine. A short switch interval
    (design.md, "Audio") keeps the worker's hold short instead.
    """
    if sys.getswitchinterval() > SWITCH_INTERVAL_S:
        sys.setswitchinterval(SWITCH_INTERVAL_S)


def _onset(origin: int, num: int, den: int, k: int) -> int:
    """Beat ``k`` of a grid segment: ``origin + round(k * num / den)``, as the scheduler does."""
    return origin + (2 * k * num + den) // (2 * den)


class _Track:
    """A decoded track and its segment boundaries (track samples) with clicks per segment."""

    def __init__(self, fit: TrackFit, audio: NDArray[np.float32], samplerate: int) -> None:
        beats = np.asarray(fit.track.beats_s, dtype=np.float64) * samplerate
        self.clicks = 1
        if fit.clicks_per_beat == 0.5:
            beats = beats[::2]  # a double-tempo track: two of its beats per click
        elif fit.clicks_per_beat == 2.0:
            self.clicks = 2  # a half-tempo track: each of its beats spans two clicks
        self.name = Path(fit.track.path).name
        self.fit = fit
        self.bounds = beats
        self.stretcher = BeatStretcher(audio, samplerate)
        self.next_segment = 0

    @property
    def done(self) -> bool:
        return self.next_segment >= int(self.bounds.shape[0]) - 1


class MusicPlayer(StartStop):
    """Plays ``tracks`` one after the other, beat-locked to ``metronome``'s clicks."""

    def __init__(
        self, metronome: Metronome, tracks: Sequence[TrackFit], *, volume: float = 0.7,
        ahead_s: float = AHEAD_S,
    ) -> None:
        self._metro = metronome
        self._fits = list(tracks)
        self._volume = float(volume)
        self._sr = metronome.samplerate
        self._ahead = round(ahead_s * self._sr)
        self._ring = SampleRing(round(RING_S * self._sr))
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()
        self._want_bpm: float | None = None
        self._paused = False
        self.problems: list[str] = []  # one line per track that could not be played
        self.now_playing: str | None = None
        self.current: TrackFit | None = None  # the track being rendered
        self.finished = threading.Event()
        self.changes: list[tuple[int, float]] = []  # (stream sample, bpm) of each tempo change

    # ------------------------------------------------------------ control (main thread)
    def start(self) -> None:
        if self._thread is not None:
            return
        _share_the_gil()
        self._metro.attach_music(self._ring, self._volume)
        self._thread = threading.Thread(target=self._run, name="cadence-music", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        thread, self._thread = self._thread, None
        if thread is None:
            return
        self._stop.set()
        thread.join(timeout=5)
        self._ring.finish_at(self._ring.read_to)

    def set_tempo(self, bpm: float) -> None:
        """Clicks and music move to ``bpm`` together, on the first beat not yet rendered."""
        period_fraction(bpm, self._sr)  # ValueError now rather than in the worker
        self._want_bpm = float(bpm)

    def set_volume(self, volume: float) -> None:
        self._volume = float(volume)
        self._metro.set_music_volume(self._volume)

    def set_paused(self, paused: bool) -> None:
        """Cut the music now (the ring plays nothing more), or resume it on a coming beat."""
        self._paused = bool(paused)
        if paused:  # now, not when the worker next looks (it may be asleep for 10 ms)
            self._ring.finish_at(self._ring.read_to)

    @property
    def starved_blocks(self) -> int:
        """Blocks the callback found without their music (the worker fell behind)."""
        return self._ring.starved

    @property
    def music_from(self) -> int:
        """Stream sample where the music (last) started."""
        return self._ring.begin

    # ------------------------------------------------------------ worker
    def _run(self) -> None:
        try:
            self._play()
        except Exception as exc:  # the clicks must go on whatever happens to the music
            self.problems.append(f"music stopped: {exc}")
        finally:
            self._ring.finish_at(self._ring.written)
            self.now_playing = None
            self.finished.set()

    def _play(self) -> None:
        with ThreadPoolExecutor(1, thread_name_prefix="cadence-music-load") as pool:
            loads: list[Future[_Track | None]] = [
                pool.submit(self._load, f) for f in self._fits[:1]
            ]
            queued = 1
            grid: tuple[int, int, int] | None = None
            k = 0
            tail: NDArray[np.float32] | None = None
            known: set[int] = set()  # grid origins that are ours (one may still be pending)
            while loads and not self._stop.is_set():
                track = loads.pop(0).result()
                if queued < len(self._fits):  # decode the next one while this one plays
                    loads.append(pool.submit(self._load, self._fits[queued]))
                    queued += 1
                if track is None:
                    continue
                self.now_playing = track.name
                self.current = track.fit
                while not track.done and not self._stop.is_set():
                    cut = self._ring.end != NEVER  # paused (maybe already resumed)
                    if self._paused or cut or grid is None or self._metro.grid[0] not in known:
                        if tail is not None:
                            self._ring.write(tail)  # let the last piece fade out
                            tail = None
                        if self._paused:
                            self._ring.finish_at(self._ring.read_to)
                            time.sleep(POLL_S)
                            grid = None
                            continue
                        anchored = self._anchor()
                        if anchored is None:
                            continue
                        grid, k = anchored
                        known = {grid[0]}
                    if not self._wait_for_room():
                        continue
                    grid, k = self._maybe_change_tempo(grid, k)
                    known = {known_origin for known_origin in known if known_origin >= grid[0]
                             or known_origin == self._metro.grid[0]}
                    known.add(grid[0])
                    origin, num, den = grid
                    j = track.next_segment
                    piece = track.stretcher.piece(
                        float(track.bounds[j]), float(track.bounds[j + 1]),
                        _onset(origin, num, den, k), _onset(origin, num, den, k + track.clicks),
                    )
                    samples = piece.samples
                    if tail is not None:
                        samples[:XFADE] += tail
                    self._ring.write(samples[:-XFADE])
                    tail = samples[-XFADE:].copy()
                    track.next_segment += 1
                    k += track.clicks
            if tail is not None and self._ring.room() >= tail.shape[0]:
                self._ring.write(tail)

    def _load(self, fit: TrackFit) -> _Track | None:
        try:
            audio = decode_mono(Path(fit.track.path), self._sr)
        except MusicError as exc:
            self.problems.append(str(exc))
            return None
        return _Track(fit, audio, self._sr)

    def _anchor(self) -> tuple[tuple[int, int, int], int] | None:
        """Start the music on a grid beat far enough ahead; None until the grid runs."""
        if self._metro.beats_rendered == 0:
            time.sleep(POLL_S)
            return None
        grid = self._metro.grid
        origin, num, den = grid
        period = Fraction(num, den)
        lead = round(0.015 * self._sr)
        earliest = self._metro.position + round(START_AHEAD_S * self._sr) + lead
        k = max(0, int(Fraction(earliest - origin) / period) + 1)
        self._ring.start_at(_onset(origin, num, den, k) - lead)
        return grid, k

    def _wait_for_room(self) -> bool:
        """Sleep until the ring may take another piece; False if woken to stop or pause."""
        ring = self._ring
        while ring.written - ring.read_to > self._ahead or ring.room() < self._sr:
            if self._stop.is_set() or self._paused:
                return False
            time.sleep(POLL_S)
        return True

    def _maybe_change_tempo(
        self, grid: tuple[int, int, int], k: int
    ) -> tuple[tuple[int, int, int], int]:
        want = self._want_bpm
        if want is None:
            return grid, k
        self._want_bpm = None
        origin, num, den = grid
        at = _onset(origin, num, den, k)
        new_num, new_den = period_fraction(want, self._sr)
        if (new_num, new_den) == (num, den):
            return grid, k
        self._metro.set_tempo(want, at_sample=at)
        self.changes.append((at, want))
        return (at, new_num, new_den), 0


