"""Beats for the on-screen indicator, in session time.

With audio, beats come from the metronome (``poll_beats``: when each click is
heard). Without audio the indicator still has to pulse at the tempo, so
``TempoBeats`` derives beats from the clock and the current tempo, keeping the
phase continuous across tempo changes so the pulse never jumps.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cadence.audio.stream import Beat, Metronome

#: with nothing beating, look again this often (session seconds): a start is seen this soon
IDLE_POLL_S = 0.25
#: the stream hands a beat over when it renders it, one output latency (40-100 ms) before it
#: is heard; the feed looks for the next one this long before it is due
RENDER_AHEAD_S = 0.03
#: a beat due but not handed over yet (a stalled stream): look again after this long
RETRY_S = 0.02


@dataclass(frozen=True, slots=True)
class BeatTick:
    index: int  # counts from 0 since the metronome started
    accented: bool
    t_s: float  # session time at which the click is (or would be) heard


class TempoBeats:
    """Beats derived from the tempo when there is no audio stream."""

    def __init__(self, accent_every: int = 4) -> None:
        self.accent_every = accent_every
        self._next_t_s: float | None = None
        self._index = 0

    @property
    def next_t_s(self) -> float | None:
        """When the next beat falls (None while stopped)."""
        return self._next_t_s

    def poll(self, now_s: float, tempo_spm: float | None, running: bool) -> list[BeatTick]:
        """Beats due up to ``now_s`` since the last poll (none while stopped)."""
        if not running or tempo_spm is None or tempo_spm <= 0:
            self._next_t_s = None
            return []
        period_s = 60.0 / tempo_spm
        if self._next_t_s is None:
            self._next_t_s = now_s
        out: list[BeatTick] = []
        # A long gap (a suspended laptop, a test jumping minutes) yields only the last beat.
        if now_s - self._next_t_s > 4 * period_s:
            skipped = int((now_s - self._next_t_s) / period_s)
            self._index += skipped
            self._next_t_s += skipped * period_s
        while self._next_t_s <= now_s:
            accented = self.accent_every > 0 and self._index % self.accent_every == 0
            out.append(BeatTick(self._index, accented, self._next_t_s))
            self._index += 1
            self._next_t_s += period_s
        return out


class BeatFeed:
    """Which beat the indicator shows now, from the metronome or from the tempo.

    ``poll`` returns ``(index, lit)``: the last beat heard up to ``now_s`` and
    whether it was heard less than ``flash_s`` ago. With audio, beats come from
    ``metronome.poll_beats()`` (monotonic times when each click is heard, which
    may be slightly in the future: they wait in a queue until due).
    """

    def __init__(
        self,
        metronome: Metronome | None,
        to_session_s: Callable[[float], float],
        accent_every: int = 4,
        flash_s: float = 0.12,
    ) -> None:
        self.metronome = metronome
        self.to_session_s = to_session_s
        self.flash_s = flash_s
        self._tempo_beats = TempoBeats(accent_every)
        self._queue: deque[BeatTick] = deque(maxlen=64)
        self._last: BeatTick | None = None
        self.log: list[Beat] | None = None  # set to a list to keep every metronome Beat (bench)

    def poll(self, now_s: float, tempo_spm: float | None, running: bool) -> tuple[int, bool]:
        if self.metronome is None:
            self._queue.extend(self._tempo_beats.poll(now_s, tempo_spm, running))
        else:
            beats = self.metronome.poll_beats()
            if self.log is not None:
                self.log.extend(beats)
            for beat in beats:
                t_s = self.to_session_s(beat.heard_at_s)
                self._queue.append(BeatTick(beat.index, beat.accented, t_s))
        while self._queue and self._queue[0].t_s <= now_s:
            self._last = self._queue.popleft()
        if self._last is None:
            return -1, False
        return self._last.index, now_s - self._last.t_s < self.flash_s

    def next_poll_s(self, now_s: float, tempo_spm: float | None, running: bool) -> float:
        """When (session time) ``poll`` will next have something new: the next beat's moment.

        Why: the indicator changes once a beat, so the screen asks at each beat
        instead of polling many times a second (each wake-up of the app's loop
        costs CPU). A beat already handed over is due at its own time; with
        audio the next one is looked for just before it can be heard.
        """
        if self._queue:
            return max(now_s, self._queue[0].t_s)
        if not running or tempo_spm is None or tempo_spm <= 0:
            return now_s + IDLE_POLL_S
        if self.metronome is None:
            due = self._tempo_beats.next_t_s
            return now_s + IDLE_POLL_S if due is None else max(now_s, due)
        period_s = 60.0 / tempo_spm
        if self._last is None:
            return now_s + min(period_s, IDLE_POLL_S)
        due = self._last.t_s + period_s - RENDER_AHEAD_S
        if not math.isfinite(due) or now_s - due > period_s:  # no beats coming (a stall)
            return now_s + IDLE_POLL_S
        if due <= now_s:  # due, but the stream has not rendered it yet
            return now_s + RETRY_S
        return due

