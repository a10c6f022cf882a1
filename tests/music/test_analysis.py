"""Tempo and beats of synthetic tracks of exactly known tempo, through pedalboard and librosa."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from cadence.music.analysis import analyse_file
from cadence.music.decode import MusicError
from support.synth_tracks import SynthTrack, write_noise, write_track


def _phase_errors_ms(found: tuple[float, ...], track: SynthTrack) -> np.ndarray:
    """Each true kick's distance to the nearest beat found, in ms."""
    b = np.asarray(found)
    truth = track.beats_s()
    return np.array([1000.0 * (b[np.argmin(np.abs(b - t))] - t) for t in truth])


@pytest.mark.parametrize(
    ("tempo", "fmt", "first_beat_s"),
    [(150.0, "wav", 0.5), (85.0, "flac", 0.31), (172.5, "ogg", 1.234), (190.0, "wav", 0.05)],
)
def test_tempo_within_a_tenth_and_beats_within_5_ms(
    tmp_path: Path, tempo: float, fmt: str, first_beat_s: float
) -> None:
    # 150 and 85 are the tempos librosa alone got wrong (152.0, 86.1; beats ~37 ms late)
    track = write_track(tmp_path, tempo, fmt=fmt, first_beat_s=first_beat_s, duration_s=30)
    a = analyse_file(track.path)
    assert a.usable and not a.problem
    assert abs(a.tempo_bpm - tempo) < 0.1, a.tempo_bpm
    err = _phase_errors_ms(a.beats_s, track)
    assert np.abs(err).max() < 5.0, err
    assert a.duration_s == pytest.approx(30.0, abs=0.01)


def test_no_clear_beat_is_one_line(tmp_path: Path) -> None:
    path = write_noise(tmp_path)
    with pytest.raises(MusicError, match="no clear beat") as info:
        analyse_file(path)
    assert str(path) in str(info.value) and "\n" not in str(info.value)


def test_not_audio_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "bought.m4a"  # what a DRM-locked purchase looks like to a decoder
    path.write_bytes(b"\x00\x00\x00\x20ftypM4P " + bytes(4000))
    with pytest.raises(MusicError, match="can't decode") as info:
        analyse_file(path)
    assert str(path) in str(info.value) and "\n" not in str(info.value)
