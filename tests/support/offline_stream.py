"""Driving the real ``Metronome`` callback without a sound card, block by block.

Why: the beat-locking of music (worker -> ring -> callback) can be checked
exactly and quickly without PortAudio: the stream is not started, so setters
apply directly, and each call of the production ``_callback`` renders one
block just as PortAudio's thread would. The worker really runs in its own
thread; the loop waits for it (``ahead_s``) the way real time would have, so
the result is what a fast-enough machine plays. The capture tests then check
the same through PulseAudio, in real time.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from types import SimpleNamespace

import numpy as np
from numpy.typing import NDArray

from cadence.audio.stream import Metronome
from cadence.music.player import MusicPlayer

BLOCK = 480


def render(
    metronome: Metronome, seconds: float, player: MusicPlayer | None = None, *,
    ahead_s: float = 0.5, at: dict[float, object] | None = None,
    follow: Callable[[], MusicPlayer | None] | None = None,
) -> NDArray[np.float32]:
    """``seconds`` of the stream; ``at`` maps a time (s) to a callable run then.

    ``follow``: where to find the player when it is made later (a session's music).
    """
    info = SimpleNamespace(outputBufferDacTime=0.0, currentTime=0.0)
    status = SimpleNamespace(output_underflow=False)
    out = np.zeros((BLOCK, 1), np.float32)
    blocks = round(seconds * metronome.samplerate / BLOCK)
    pending = sorted((at or {}).items())
    chunks = []
    for i in range(blocks):
        t = i * BLOCK / metronome.samplerate
        while pending and pending[0][0] <= t:
            action = pending.pop(0)[1]
            assert callable(action)
            action()
        if follow is not None:
            player = follow()
        ring = metronome._music
        if player is not None and player._paused:
            ring = None  # a paused player renders nothing: do not wait for it
        if player is not None and ring is not None and ring.end < 1 << 61:
            deadline = time.monotonic() + 10  # resumed: let the worker anchor again
            while ring.end < 1 << 61 and not player.finished.is_set():
                if time.monotonic() > deadline:
                    break
                time.sleep(0.002)
        if player is not None and ring is not None and ring.begin < 1 << 61:
            deadline = time.monotonic() + 10
            need = metronome.position + BLOCK + round(ahead_s * metronome.samplerate)
            while (ring.written < min(need, ring.end) and not player.finished.is_set()
                   and time.monotonic() < deadline):
                time.sleep(0.002)
        elif player is not None and metronome.beats_rendered > 0:
            deadline = time.monotonic() + 10  # let the worker load the track and anchor
            while ring is not None and ring.begin >= 1 << 61 and not player.finished.is_set():
                if time.monotonic() > deadline:
                    break
                time.sleep(0.002)
        metronome._callback(out, BLOCK, info, status)
        chunks.append(out[:, 0].copy())
    return np.concatenate(chunks)
