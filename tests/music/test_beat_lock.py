"""Music mixed by the real metronome callback: every kick on a click, through tempo changes.

The stream is driven block by block (``support.offline_stream``) so the
errors are exact and the test needs no sound card; the capture tests in
tests/audio check the same through PulseAudio.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from cadence.audio.scheduler import period_fraction
from cadence.audio.stream import Metronome
from cadence.music.choice import fit
from cadence.music.library import analyse
from cadence.music.player import MusicPlayer
from support.music_judge import click_onsets, kick_errors_ms, kick_onsets
from support.offline_stream import render
from support.pulse import grid_errors
from support.synth_tracks import write_track

SR = 48000


def _player(path: Path, target: float, **kw: object) -> tuple[Metronome, MusicPlayer]:
    a = analyse(path)
    f = fit(a, target)
    assert f is not None
    m = Metronome(bpm=target, running=True, accent_every=0, volume=0.8)
    p = MusicPlayer(m, [f], volume=0.7)
    p.start()
    return m, p


def _tempo_from(kicks: np.ndarray) -> float:
    k = np.round((kicks - kicks[0]) / np.median(np.diff(kicks)))
    slope = np.polyfit(k, kicks, 1)[0]
    return 60.0 * SR / float(slope)


@pytest.mark.slow
def test_a_160_track_at_170_lands_every_kick_on_a_click(tmp_path: Path) -> None:
    track = write_track(tmp_path, 160.0, fmt="flac", duration_s=20, first_beat_s=0.4)
    m, p = _player(track.path, 170.0)
    try:
        x = render(m, 12.0, p)
    finally:
        p.stop()
    clicks = click_onsets(x)
    assert not grid_errors(clicks, Fraction(*period_fraction(170.0, SR))).any()  # sample-exact
    kicks = kick_onsets(x)
    kicks = kicks[(kicks > clicks[0] - SR // 10) & (kicks < clicks[-1] + SR // 10)]
    assert kicks.size >= 25
    err = kick_errors_ms(kicks, clicks)
    print(f"kick - click: mean {err.mean():.2f} ms, max |{np.abs(err).max():.2f}| ms")
    assert np.abs(err).max() < 5.0, err
    assert abs(_tempo_from(kicks) - 170.0) < 0.1
    assert p.starved_blocks == 0


@pytest.mark.slow
def test_a_half_tempo_track_puts_a_kick_on_every_other_click(tmp_path: Path) -> None:
    track = write_track(tmp_path, 88.0, fmt="wav", duration_s=20, first_beat_s=0.2)
    m, p = _player(track.path, 172.0)
    try:
        x = render(m, 10.0, p)
    finally:
        p.stop()
    clicks, kicks = click_onsets(x), kick_onsets(x)
    kicks = kicks[kicks < clicks[-1] + SR // 10]
    assert np.abs(kick_errors_ms(kicks, clicks)).max() < 5.0
    assert abs(_tempo_from(kicks) - 86.0) < 0.1  # a kick every two steps


@pytest.mark.slow
def test_a_tempo_change_moves_clicks_and_music_together_on_a_beat(tmp_path: Path) -> None:
    track = write_track(tmp_path, 165.0, fmt="wav", duration_s=30, first_beat_s=0.3)
    m, p = _player(track.path, 170.0)
    try:
        x = render(m, 16.0, p, at={6.0: lambda: p.set_tempo(176.0)})
    finally:
        p.stop()
    assert len(p.changes) == 1
    at, bpm = p.changes[0]
    assert bpm == 176.0
    clicks = click_onsets(x)
    assert at in clicks  # the change is on a click
    before, after = clicks[clicks <= at], clicks[clicks >= at]
    assert not grid_errors(before, Fraction(*period_fraction(170.0, SR))).any()
    assert not grid_errors(after, Fraction(*period_fraction(176.0, SR))).any()
    kicks = kick_onsets(x)
    kicks = kicks[kicks < clicks[-1] + SR // 10]
    err = kick_errors_ms(kicks, clicks)
    assert np.abs(err).max() < 5.0, err
    late = kicks[kicks > at + SR // 100]
    assert abs(_tempo_from(late) - 176.0) < 0.1
    # no gap: a kick on every click from the first music beat to the end
    first = kicks[0] - SR / 100
    on = clicks[(clicks > first) & (clicks < kicks[-1] + SR / 100)]
    assert on.size == kicks.size


@pytest.mark.slow
def test_volume_0_plays_the_music_alone_still_on_the_grid(tmp_path: Path) -> None:
    track = write_track(tmp_path, 175.0, fmt="ogg", duration_s=20, first_beat_s=0.25)
    a = analyse(track.path)
    f = fit(a, 170.0)
    assert f is not None
    m = Metronome(bpm=170.0, running=True, accent_every=0, volume=0.0)
    p = MusicPlayer(m, [f])
    p.start()
    try:
        x = render(m, 8.0, p)
    finally:
        p.stop()
    assert click_onsets(x).size == 0  # no clicks at all
    kicks = kick_onsets(x)
    first_grid = m.grid[0]
    period = Fraction(*period_fraction(170.0, SR))
    rel = (kicks - first_grid) / float(period)
    assert np.abs(rel - np.round(rel)).max() * float(period) / SR * 1000 < 5.0


@pytest.mark.slow
def test_a_cue_ducks_the_music_under_it(tmp_path: Path) -> None:
    track = write_track(tmp_path, 170.0, fmt="wav", duration_s=15, first_beat_s=0.2)
    f = fit(analyse(track.path), 170.0)
    assert f is not None

    def run(music: bool, cue: bool) -> np.ndarray:
        m = Metronome(bpm=170.0, running=True, accent_every=0, volume=0.0)
        p = MusicPlayer(m, [f], volume=0.7) if music else None
        if p is not None:
            p.start()
        try:
            at = {3.0: lambda: m.play_cue("cue_arms")} if cue else {}
            return render(m, 6.0, p, at=at)
        finally:
            if p is not None:
                p.stop()

    music_only, cue_only, both = run(True, False), run(False, True), run(True, True)
    heard = np.flatnonzero(np.abs(cue_only) > 1e-4)
    assert heard.size > SR // 4  # the cue really plays from 3 s
    start, stop = int(heard[0]), int(heard[-1])
    music_under_cue = both[start:stop] - cue_only[start:stop]
    ratio = np.abs(music_under_cue).max() / np.abs(music_only[start:stop]).max()
    assert ratio == pytest.approx(0.25, abs=0.02)  # MUSIC_DUCK
    # before the cue was asked for (at 3 s) the music is untouched
    assert np.array_equal(both[SR : 3 * SR], music_only[SR : 3 * SR])
