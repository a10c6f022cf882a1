"""``Metronome``: one long-lived PortAudio output stream around the pure click scheduler.

Why this shape: the audio callback runs on PortAudio's thread and must never
wait, so it allocates no buffers, takes no locks and does no I/O. The main
thread turns each setting change into a small immutable ``(method, args)``
tuple and appends it to a ``collections.deque``; the callback pops them
(``append``/``popleft`` are atomic in CPython) at the start of the next block
and the scheduler applies them at the next beat. Sounds are read from disk on
the main thread, before they are handed over.

The stream opens once and stays open: PulseAudio drops the first tens of ms of
a new stream and the last buffer of a closing one, so clicks are turned on and
off inside the stream (``set_running``) rather than by reopening it. The
stream starts with ``start_silence_s`` of silence.
"""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from cadence.audio import backend
from cadence.audio.backend import (
    DEVICE_HINT,
    AudioUnavailable,
    describe_error,
    has_output_device,
    import_sounddevice,
    silence_alsa_errors,
)
from cadence.audio.ring import SampleRing
from cadence.audio.scheduler import BEAT_RING, ClickScheduler, Mono, period_fraction
from cadence.audio.sounds import load_click, load_cue
from cadence.model.start_stop import StartStop

#: PortAudio suggested latency. 'low' underruns when another Python thread holds
#: the GIL; this value was chosen by scripts/bench/metronome.py (docs/benchmarks.md).
DEFAULT_LATENCY_S = 0.04
DEFAULT_BLOCKSIZE = 480  # 10 ms at 48 kHz
COST_RING = 1 << 16
START_SILENCE_S = 0.1  # PulseAudio drops the first tens of ms of a new stream
MUSIC_DUCK = 0.25  # music gain while a spoken cue or earcon plays


@dataclass(frozen=True, slots=True)
class Beat:
    """A beat the stream has rendered: for a beat indicator in step with the sound."""

    index: int  # 0 for the first beat after the clicks were turned on
    accented: bool
    muted: bool
    heard_at_s: float  # estimated time it leaves the speaker, on time.monotonic()
    sample: int  # onset, in samples since the stream started


@dataclass(frozen=True, slots=True)
class StreamStats:
    """How the callback is doing."""

    blocks: int
    frames_per_block: int
    budget_us: float  # real-time length of one block
    cost_p50_us: float
    cost_p99_us: float
    cost_max_us: float
    underflows: int  # blocks PortAudio flagged output_underflow (misses server-side ones)
    callback_errors: int
    latency_s: float
    cues_dropped: int
    alsa_messages: int  # libasound messages swallowed (they would scribble on the TUI)
    music_starved: int = 0  # blocks whose music the worker had not rendered in time


class Metronome(StartStop):
    """A sample-accurate click track with cue sounds, on one PortAudio output stream.

    Setters may be called from one thread (the app's main/asyncio thread) at any
    time, before or after ``start``; changes land on the next beat.
    """

    def __init__(
        self,
        device: str | int | None = None,
        *,
        samplerate: int = 48000,
        click: str = "woodblock",
        accent_every: int = 4,
        volume: float = 0.8,
        bpm: float = 170.0,
        running: bool = False,
        cue_volume: float = 1.0,
        blocksize: int = DEFAULT_BLOCKSIZE,
        latency: float | str = DEFAULT_LATENCY_S,
        sounds_folder: Path | None = None,
    ) -> None:
        self.device = device
        self.samplerate = samplerate
        self._blocksize = blocksize
        self._latency_req = latency
        self._folder = sounds_folder
        self._sched = ClickScheduler(
            load_click(click, samplerate, sounds_folder),
            samplerate=samplerate,
            bpm=bpm,
            volume=_check_volume(volume),
            accent_every=_check_accent(accent_every),
            cue_volume=_check_volume(cue_volume),
            start_silence_s=START_SILENCE_S,
        )
        self._sched.request_running(running)
        self._cues: dict[str, Mono] = {}
        self._cmds: deque[tuple[Callable[..., None], tuple[Any, ...]]] = deque()
        self._stream: Any = None
        self._live = False
        self._polled = 0
        self._latency_s = 0.0
        self._cost_ns = np.zeros(COST_RING, np.int64)
        self._blocks = 0
        self._frames = 0
        self._underflows = 0
        self._errors = 0
        # music: a worker fills the ring (cadence.music.player); the callback only copies
        self._music: SampleRing | None = None
        self._music_gain = 0.0

    # ------------------------------------------------------------ lifecycle
    def start(self) -> None:
        """Open and start the output stream; ``AudioUnavailable`` if there is none."""
        if self._stream is not None:
            return
        sd = import_sounddevice()
        silence_alsa_errors()
        if self.device is None and not has_output_device(sd):
            raise AudioUnavailable(f"no audio device: PortAudio finds no output; {DEVICE_HINT}")
        try:
            stream = sd.OutputStream(
                samplerate=self.samplerate,
                channels=1,
                dtype="float32",
                device=self.device,
                blocksize=self._blocksize,
                latency=self._latency_req,
                callback=self._callback,
            )
        except (sd.PortAudioError, ValueError) as exc:
            raise describe_error(exc, self.device) from None
        self._stream = stream
        self._latency_s = float(stream.latency)
        if self._sched.pos > 0:  # a restart: the new stream's first ms are dropped too
            self._sched.hold_silence(START_SILENCE_S)
        self._live = True
        try:
            stream.start()
        except sd.PortAudioError as exc:
            self._live = False
            stream.close(ignore_errors=True)
            self._stream = None
            raise describe_error(exc, self.device) from None

    def stop(self) -> None:
        """Stop and close the stream (idempotent). Settings are kept for a restart."""
        stream, self._stream = self._stream, None
        if stream is None:
            return
        try:
            stream.stop()
        finally:
            stream.close(ignore_errors=True)
            self._live = False
            self._apply_commands()  # anything the callback did not get to

    close = stop

    # ------------------------------------------------------------ setters
    def _send(self, fn: Callable[..., None], *args: Any) -> None:
        if self._live:
            self._cmds.append((fn, args))
        else:  # no callback thread: safe to apply directly
            fn(*args)

    def set_tempo(self, bpm: float, at_sample: int = 0) -> None:
        """Beats per minute (30-300); the interval after the next beat uses it.

        With ``at_sample``: from the first beat at or after that stream sample
        (music rendered ahead chooses the beat where it changes tempo).
        """
        num, den = period_fraction(float(bpm), self.samplerate)
        self._send(self._sched.request_tempo, num, den, int(at_sample))

    def attach_music(self, ring: SampleRing | None, volume: float = 0.7) -> None:
        """Mix ``ring`` (filled by a music worker) into the stream; None detaches it."""
        self._music_gain = _check_volume(volume)
        self._music = ring

    def set_music_volume(self, volume: float) -> None:
        """Music volume 0-1 (ducked further while a cue plays)."""
        self._music_gain = _check_volume(volume)

    def set_running(self, on: bool) -> None:
        """Clicks on or off. The stream keeps running, so cues still play."""
        self._send(self._sched.request_running, bool(on))

    def set_volume(self, volume: float, fade_s: float = 0.0) -> None:
        """Click volume 0-1, reached linearly over ``fade_s`` seconds from the next beat."""
        if not math.isfinite(fade_s) or fade_s < 0:
            raise ValueError(f"fade time must be 0 s or more, got {fade_s}")
        fade = round(fade_s * self.samplerate)
        self._send(self._sched.request_volume, _check_volume(volume), fade)

    def set_muted(self, muted: bool) -> None:
        """Silence the clicks (beats keep being reported; cues still play)."""
        self._send(self._sched.request_muted, bool(muted))

    def set_accent_every(self, n: int) -> None:
        """Accent the first of every ``n`` beats (0: no accent), from the next beat."""
        self._send(self._sched.request_accent_every, _check_accent(n))

    def set_click(self, name: str) -> None:
        """Switch click sound (``SoundError`` if unknown), from the next beat."""
        self._send(self._sched.request_click, load_click(name, self.samplerate, self._folder))

    def play_cue(self, sound_id: str) -> None:
        """Queue cue ``sound_id`` (a WAV stem in sounds/); ``SoundError`` if it is missing."""
        sound = self._cues.get(sound_id)
        if sound is None:
            sound = load_cue(sound_id, self.samplerate, self._folder)
            self._cues[sound_id] = sound
        self._send(self._sched.queue_cue, sound)

    # ------------------------------------------------------------ readings
    def poll_beats(self) -> list[Beat]:
        """Beats rendered since the last call (at most the last ~1000)."""
        count = self._sched.beat_count
        first = max(self._polled, count - BEAT_RING + 8)
        self._polled = count
        beats = []
        for n in range(first, count):
            rec = self._sched.beat(n)
            beats.append(Beat(rec.index, rec.accented, rec.muted, rec.t_s, rec.sample))
        return beats

    @property
    def grid(self) -> tuple[int, int, int]:
        """The beat grid: ``(origin, num, den)``, beat k at ``origin + round(k * num / den)``."""
        return self._sched.grid

    @property
    def position(self) -> int:
        """Stream samples rendered so far."""
        return self._sched.pos

    @property
    def beats_rendered(self) -> int:
        return self._sched.beat_count

    @property
    def latency_s(self) -> float:
        """Output latency reported by the stream (0.0 before ``start``)."""
        return self._latency_s

    @property
    def active(self) -> bool:
        return self._stream is not None

    @property
    def stats(self) -> StreamStats:
        n = min(self._blocks, COST_RING)
        costs = self._cost_ns[:n] / 1000.0
        frames = self._frames
        return StreamStats(
            blocks=self._blocks,
            frames_per_block=frames,
            budget_us=1e6 * frames / self.samplerate,
            cost_p50_us=float(np.percentile(costs, 50)) if n else 0.0,
            cost_p99_us=float(np.percentile(costs, 99)) if n else 0.0,
            cost_max_us=float(costs.max()) if n else 0.0,
            underflows=self._underflows,
            callback_errors=self._errors,
            latency_s=self._latency_s,
            cues_dropped=self._sched.cues_dropped,
            alsa_messages=backend.alsa_messages,
            music_starved=self._music.starved if self._music is not None else 0,
        )

    # ------------------------------------------------------------ audio thread
    def _apply_commands(self) -> None:
        """Hand the queued setting changes to the scheduler, oldest first."""
        cmds = self._cmds
        while cmds:
            fn, args = cmds.popleft()
            fn(*args)

    def _callback(self, outdata: Any, frames: int, time_info: Any, status: Any) -> None:
        t0 = time.perf_counter_ns()
        if status.output_underflow:
            self._underflows += 1
        try:
            self._apply_commands()
            dac = time_info.outputBufferDacTime
            ahead = dac - time_info.currentTime if dac > 0 else self._latency_s
            out = outdata[:, 0]
            self._sched.render(out, time.monotonic() + ahead)
            music = self._music
            if music is not None:
                gain = self._music_gain * (MUSIC_DUCK if self._sched.cue_playing else 1.0)
                music.mix_into(out, self._sched.pos - frames, gain)
                np.minimum(out, 1.0, out=out)
                np.maximum(out, -1.0, out=out)
        except Exception:  # never let the stream die; count it and play silence
            self._errors += 1
            outdata.fill(0)
        self._frames = frames
        self._cost_ns[self._blocks % COST_RING] = time.perf_counter_ns() - t0
        self._blocks += 1


def _check_volume(volume: float) -> float:
    v = float(volume)
    if not (math.isfinite(v) and 0.0 <= v <= 1.0):
        raise ValueError(f"volume must be between 0 and 1, got {volume}")
    return v


def _check_accent(n: int) -> int:
    if int(n) != n or n < 0:
        raise ValueError(f"accent must be a whole number of beats, 0 or more, got {n}")
    return int(n)


__all__ = ["AudioUnavailable", "Beat", "Metronome", "StreamStats"]
