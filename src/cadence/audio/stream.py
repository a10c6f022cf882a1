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
from cadence.audio.supervisor import OFF, SoundStatus, Supervisor
from cadence.model.start_stop import StartStop

#: PortAudio suggested latency. 'low' underruns when another Python thread holds
#: the GIL; this value was chosen by scripts/bench/metronome.py (docs/benchmarks.md).
DEFAULT_LATENCY_S = 0.04
#: With music rendered beside the clicks, a deeper buffer keeps the callback fed when
#: the render worker holds the GIL (design.md, "Audio"); clicks stay on their samples.
MUSIC_LATENCY_S = 0.1
DEFAULT_BLOCKSIZE = 480  # 10 ms at 48 kHz
COST_RING = 1 << 16
START_SILENCE_S = 0.1  # PulseAudio drops the first tens of ms of a new stream
MUSIC_DUCK = 0.25  # music gain while a spoken cue or earcon plays
#: A reopened stream is trusted once this many blocks came at (about) the block rate:
#: PulseAudio takes a few blocks, then stalls for up to ~2 s, before a new stream flows.
STEADY_BLOCKS = 20
#: A stream that flowed and then got no callback for this long stalled (the server was
#: stopped or starved): the clicks are put back on the wall-clock grid when it flows again.
STALL_S = 0.5


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
        # outage handling: the supervisor reopens, the callback finds the beat again
        self._supervisor: Supervisor | None = None
        self._resync = False  # set on reopen; the callback clears it once the stream flows
        self._steady = 0
        self._flowing = False  # STEADY_BLOCKS came at the block rate since the stream opened
        self.stalls = 0  # times the open stream stopped asking for blocks, then went on
        self._last_cb_s = 0.0
        self._heard_end_s = 0.0  # when the last rendered sample leaves the speaker

    # ------------------------------------------------------------ lifecycle
    def start(self) -> None:
        """Open and start the output stream; ``AudioUnavailable`` if there is none."""
        if self._stream is not None:
            return
        sd = import_sounddevice()
        silence_alsa_errors()
        if self.device is None and not has_output_device(sd):
            raise AudioUnavailable(f"no audio device: PortAudio finds no output; {DEVICE_HINT}")
        stream = self._open(sd)
        if self._sched.pos > 0:  # a restart: the new stream's first ms are dropped too
            self._sched.hold_silence(START_SILENCE_S)
        self._resync = False
        self._flowing = False
        self._live = True
        try:
            self._start(sd, stream)
        except AudioUnavailable:
            self._live = False
            raise
        self._supervisor = Supervisor(self)
        self._supervisor.start()

    def _open(self, sd: Any) -> Any:
        try:
            stream = sd.OutputStream(
                samplerate=self.samplerate,
                channels=1,
                dtype="float32",
                device=self.device,
                blocksize=self._blocksize,
                latency=self._latency_req,
                callback=self._callback,
                finished_callback=self._stream_finished,
            )
        except (sd.PortAudioError, ValueError) as exc:
            raise describe_error(exc, self.device) from None
        self._latency_s = float(stream.latency)
        return stream

    def _start(self, sd: Any, stream: Any) -> None:
        self._stream = stream
        try:
            stream.start()
        except sd.PortAudioError as exc:
            stream.close(ignore_errors=True)
            self._stream = None
            raise describe_error(exc, self.device) from None

    # ------------------------------------------------------------ supervision (its thread)
    def _stream_finished(self) -> None:
        """PortAudio's thread: the stream stopped (closed, or its server went away)."""
        sup = self._supervisor
        if sup is not None:
            sup.wake()

    def stream_alive(self) -> bool:
        stream = self._stream
        return stream is not None and bool(stream.active)

    def drop_stream(self) -> None:
        """Close the dead stream; setters keep queueing for the next one."""
        stream, self._stream = self._stream, None
        if stream is not None:
            stream.close(ignore_errors=True)

    def reopen_stream(self) -> None:
        """Open a new stream that first finds the beat again (``AudioUnavailable`` if none)."""
        sd = import_sounddevice()
        stream = self._open(sd)
        self._steady = 0
        self._flowing = False
        self._resync = True  # no callback runs now: the new one reads this first
        self._start(sd, stream)

    def stream_resynced(self) -> bool:
        return not self._resync

    def stream_stalled(self) -> bool:
        """It flowed, and no block was asked for in the last second (the server stopped)."""
        return self._flowing and time.monotonic() - self._last_cb_s > 2 * STALL_S

    @property
    def sound(self) -> SoundStatus:
        """What the output is doing (playing, lost, resuming), for a status line to poll."""
        sup = self._supervisor
        return OFF if sup is None else sup.status

    def stop(self) -> None:
        """Stop and close the stream (idempotent). Settings are kept for a restart."""
        sup, self._supervisor = self._supervisor, None
        if sup is not None:
            sup.stop()  # first: it must not reopen what is being closed
        stream, self._stream = self._stream, None
        if stream is None:
            self._live = False
            self._apply_commands()
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

    def _mix_music(self, out: Mono, frames: int) -> None:
        """Add the music the worker prepared for this block (a copy; ducked under a cue)."""
        music = self._music
        if music is not None:
            gain = self._music_gain * (MUSIC_DUCK if self._sched.cue_playing else 1.0)
            music.mix_into(out, self._sched.pos - frames, gain)
            np.minimum(out, 1.0, out=out)
            np.maximum(out, -1.0, out=out)

    def _callback(self, outdata: Any, frames: int, time_info: Any, status: Any) -> None:
        t0 = time.perf_counter_ns()
        if status.output_underflow:
            self._underflows += 1
        try:
            dac = time_info.outputBufferDacTime
            ahead = dac - time_info.currentTime if dac > 0 else self._latency_s
            now = time.monotonic()
            self._pace(now, frames)
            if self._resync and not self._find_beat(now + ahead):
                outdata.fill(0)
            else:
                self._apply_commands()
                out = outdata[:, 0]
                self._sched.render(out, now + ahead)
                self._heard_end_s = now + ahead + frames / self.samplerate
                self._mix_music(out, frames)
        except Exception:  # never let the stream die; count it and play silence
            self._errors += 1
            outdata.fill(0)
        self._frames = frames
        self._cost_ns[self._blocks % COST_RING] = time.perf_counter_ns() - t0
        self._blocks += 1


    def _pace(self, now_s: float, frames: int) -> None:
        """Track whether blocks come at the block rate; a long gap after flowing is a stall."""
        gap = now_s - self._last_cb_s
        self._last_cb_s = now_s
        self._steady = self._steady + 1 if gap < 3 * frames / self.samplerate else 0
        if self._flowing and gap > STALL_S and not self._resync:
            self._resync = True  # the clicks due during the stall are not played late
            self._flowing = False
            self.stalls += 1
        if self._steady >= STEADY_BLOCKS:
            self._flowing = True

    def _find_beat(self, heard_s: float) -> bool:
        """After a reopen or a stall: once blocks flow steadily, skip the time without sound.

        Returns True when the scheduler may render this block. Until then the
        stream plays silence (PulseAudio stalls a new stream for a while).
        """
        if self._steady < STEADY_BLOCKS:
            return False
        self._sched.skip(round((heard_s - self._heard_end_s) * self.samplerate))
        self._resync = False
        return True


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
