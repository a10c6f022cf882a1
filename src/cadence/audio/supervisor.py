"""Watch the output stream; when the sound server goes away or stalls, say so and recover.

Why: when PulseAudio restarts (an update, a crash, a Bluetooth headset
reconnecting), PortAudio's stream simply stops calling back. Nothing raises,
so without a watcher the metronome falls silent while the screen still says
"metronome 160 bpm". This thread looks at the stream four times a second while
it plays (at once when PortAudio says the stream finished) and twenty times a
second while it is lost or coming back, turns
the state into a ``SoundStatus`` that the screen and ``cadence metronome`` can
show, closes the dead stream and keeps trying to open a new one. A stream that
is still open but gets no callbacks (the server stopped with SIGSTOP, or
starved) is reported the same way and left to flow again by itself. The beat grid
itself is kept by the stream's callback (``ClickScheduler.skip``), which is
the only thread that touches the scheduler.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

POLL_S = 0.05  # while the sound is lost or coming back
#: while it plays: each look wakes a thread (about 0.3 % of a core at POLL_S), and a stream
#: that dies says so through ``wake`` at once; this only bounds how late a stall is seen
PLAYING_POLL_S = 0.25
RETRY_S = 0.5


class SoundState(StrEnum):
    OFF = "off"  # not started, or stopped
    PLAYING = "playing"
    LOST = "lost"  # the output went away; retrying
    RESUMING = "resuming"  # a new stream is open; waiting for it to play steadily


@dataclass(frozen=True, slots=True)
class SoundStatus:
    """What the sound output is doing, for a status line. ``message`` is one line."""

    state: SoundState
    message: str
    since_s: float  # time.monotonic() of the last change
    outages: int = 0  # times the output went away since start
    lost_s: float = 0.0  # seconds without sound over all outages that ended


OFF = SoundStatus(SoundState.OFF, "", 0.0)
LOST_TEXT = ("sound lost: the audio output went away (sound server restarted?); "
             "the clicks come back on the beat when it returns")
RESUMING_TEXT = "sound: the audio output is back, finding the beat"


class Watched(Protocol):
    """The stream operations the supervisor needs (``Metronome`` implements them)."""

    def stream_alive(self) -> bool: ...
    def drop_stream(self) -> None: ...
    def reopen_stream(self) -> None: ...  # raises AudioUnavailable while there is no device
    def stream_resynced(self) -> bool: ...
    def stream_stalled(self) -> bool: ...


class Supervisor:
    """A daemon thread that keeps ``status`` current and reopens a lost stream."""

    def __init__(
        self,
        target: Watched,
        *,
        poll_s: float = POLL_S,
        playing_poll_s: float = PLAYING_POLL_S,
        retry_s: float = RETRY_S,
    ) -> None:
        self._target = target
        self._poll_s = poll_s
        self._playing_poll_s = playing_poll_s
        self._retry_s = retry_s
        self._halt = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self.status = SoundStatus(SoundState.PLAYING, "", time.monotonic())
        self.last_error = ""
        self._lost_at = 0.0
        self._dropped = False  # the dead stream was closed; a new one is to be opened

    def start(self) -> None:
        self._halt.clear()
        self._thread = threading.Thread(target=self._run, name="cadence-sound-watch", daemon=True)
        self._thread.start()

    def wake(self) -> None:
        """Look at the stream now (PortAudio's thread calls this when a stream finishes)."""
        self._wake.set()

    def stop(self) -> None:
        self._halt.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=5.0)
            self._thread = None

    def _run(self) -> None:
        next_try = 0.0
        while True:
            playing = self.status.state is SoundState.PLAYING
            self._wake.wait(self._playing_poll_s if playing else self._poll_s)
            self._wake.clear()
            if self._halt.is_set():
                return
            state = self.status.state
            now = time.monotonic()
            alive = self._target.stream_alive() if not self._dropped else False
            if not self._dropped and not alive:
                self._target.drop_stream()
                self._dropped = True
                self._lost(now)
                next_try = now + self._retry_s
            elif state is SoundState.PLAYING and self._target.stream_stalled():
                self._lost(now)  # still open: it may flow again by itself
            elif state is SoundState.LOST and not self._dropped:
                if not self._target.stream_stalled():
                    self._change(SoundState.RESUMING, RESUMING_TEXT)
            elif state is SoundState.LOST and now >= next_try:
                next_try = now + self._retry_s
                try:
                    self._target.reopen_stream()
                except Exception as exc:  # AudioUnavailable while the server is away
                    self.last_error = " ".join(str(exc).split())
                    continue
                self._dropped = False
                self._change(SoundState.RESUMING, RESUMING_TEXT)
            elif (state is SoundState.RESUMING and self._target.stream_resynced()
                  and not self._target.stream_stalled()):
                self._change(SoundState.PLAYING, "", lost_s=now - self._lost_at)

    def _lost(self, now: float) -> None:
        old = self.status
        outages = old.outages + (old.state is SoundState.PLAYING)
        if old.state is SoundState.PLAYING:
            self._lost_at = now
        self.status = SoundStatus(SoundState.LOST, LOST_TEXT, now, outages, old.lost_s)

    def _change(self, state: SoundState, message: str, *, lost_s: float = 0.0) -> None:
        old = self.status
        self.status = SoundStatus(state, message, time.monotonic(), old.outages,
                                  old.lost_s + lost_s)
