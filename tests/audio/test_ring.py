"""``SampleRing``: the callback copies exactly what the worker wrote, at the right samples."""

from __future__ import annotations

import numpy as np
import pytest

from cadence.audio.ring import SampleRing


def test_samples_come_out_at_their_stream_positions_across_the_wrap() -> None:
    ring = SampleRing(4096, max_frames=1024)
    ring.start_at(1000)
    data = np.arange(1, 3001, dtype=np.float32)
    out_all = []
    pos = 0
    written = 0
    while pos < 5000:
        while written < data.size and ring.room() >= 500:
            ring.write(data[written : written + 500])
            written += 500
        out = np.zeros(480, np.float32)
        ring.mix_into(out, pos, 1.0)
        out_all.append(out)
        pos += 480
    played = np.concatenate(out_all)
    assert not played[:1000].any()  # silence before the music starts
    assert np.array_equal(played[1000:4000], data)
    assert ring.starved >= 1  # after the last sample written: the worker "fell behind"


def test_nothing_after_the_end_and_gain_scales() -> None:
    ring = SampleRing(4096, max_frames=1024)
    ring.start_at(0)
    ring.write(np.ones(2000, np.float32))
    ring.finish_at(1000)
    out = np.zeros(1500, np.float32)
    ring.mix_into(out, 0, 0.5)
    assert np.all(out[:1000] == 0.5) and not out[1000:].any()
    assert ring.starved == 0


def test_the_writer_never_overwrites_what_was_not_played() -> None:
    ring = SampleRing(4096, max_frames=1024)
    ring.start_at(0)
    ring.write(np.ones(4096, np.float32))
    assert ring.room() == 0
    with pytest.raises(ValueError):
        ring.write(np.ones(1, np.float32))
    ring.mix_into(np.zeros(480, np.float32), 0, 1.0)
    assert ring.room() == 480
