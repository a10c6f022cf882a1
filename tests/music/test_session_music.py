"""The profile's music in a session: tracks chosen at the run's tempo, tempo changes on a beat,
walks and pause per the profile, bad folders one line; the real stream callback, block by block."""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from cadence.audio.scheduler import period_fraction
from cadence.audio.stream import Metronome
from cadence.coach.actions import Phase, PhaseChange
from cadence.coach.status import CoachStatus
from cadence.music.library import analyse
from cadence.music.session_music import SessionMusic
from cadence.music.session_tracks import gather_tracks
from cadence.profile.model import MusicClicks, MusicSettings, MusicWalk
from support.music_judge import click_onsets, kick_errors_ms, kick_onsets
from support.offline_stream import render
from support.pulse import grid_errors
from support.synth_tracks import write_track

SR = 48000

RUN = CoachStatus(
    now_s=0.0, phase=Phase.RUN, phase_left_s=60.0, round_index=1, rounds_total=3,
    tempo_spm=170.0, metronome_on=True, muted=False, volume=0.8, cadence_spm=168.0,
    target_spm=172.0, band_low_spm=170.0, band_high_spm=180.0, paused=False,
    running_stopped=False, pain_prompt_id=None, last_pain_rating=None, elapsed_s=0.0,
)


def _phase(phase: Phase) -> PhaseChange:
    return PhaseChange(phase, 1, 3, 60.0)


def _session(tmp_path: Path, **settings: object) -> tuple[Metronome, SessionMusic]:
    track = write_track(tmp_path, 166.0, fmt="flac", duration_s=40, first_beat_s=0.3)
    m = Metronome(bpm=170.0, running=False, accent_every=0, volume=0.8)
    music = SessionMusic(m, MusicSettings(folder=str(tmp_path), **settings),  # type: ignore[arg-type]
                         [analyse(track.path)])
    return m, music


def _begin(m: Metronome, music: SessionMusic) -> None:
    music.set_running(True)
    music.set_tempo(170.0)
    music.on_tick([_phase(Phase.RUN)], RUN)


@pytest.mark.slow
def test_run_walk_run_with_a_tempo_change(tmp_path: Path) -> None:
    m, music = _session(tmp_path, walk=MusicWalk.OFF)
    walk = replace(RUN, phase=Phase.WALK)
    try:
        x = render(m, 14.0, None, at={
            0.0: lambda: _begin(m, music),
            4.0: lambda: music.set_tempo(174.0),
            8.0: lambda: music.on_tick([_phase(Phase.WALK)], replace(walk, tempo_spm=174.0)),
            10.0: lambda: music.on_tick([_phase(Phase.RUN)], replace(RUN, tempo_spm=174.0)),
        }, follow=lambda: music.player)
    finally:
        music.stop()
    player = music.player
    assert player is not None and player.problems == []
    assert "1 track near 170" in music.note
    assert [bpm for _, bpm in player.changes] == [174.0]
    at = player.changes[0][0]
    clicks = click_onsets(x)
    assert at in clicks
    assert not grid_errors(clicks[clicks <= at], Fraction(*period_fraction(170.0, SR))).any()
    assert not grid_errors(clicks[clicks >= at], Fraction(*period_fraction(174.0, SR))).any()
    kicks = kick_onsets(x)
    err = kick_errors_ms(kicks, clicks)
    assert np.abs(err).max() < 5.0, err
    # the walk (walk: off) silenced the music; the next run brought it back on the beat
    walk_from, walk_to = int(8.3 * SR), int(10.0 * SR)
    assert not ((kicks > walk_from) & (kicks < walk_to)).any()
    assert ((kicks > 10.5 * SR) & (kicks < 13.5 * SR)).sum() >= 6


@pytest.mark.slow
def test_pause_stops_the_music_and_clicks_off_leaves_it_alone_as_the_beat(tmp_path: Path) -> None:
    m, music = _session(tmp_path, clicks=MusicClicks.OFF)
    try:
        x = render(m, 9.0, None, at={
            0.0: lambda: (music.set_volume(0.8), _begin(m, music)),
            5.0: lambda: music.on_tick([], replace(RUN, paused=True)),
        }, follow=lambda: music.player)
    finally:
        music.stop()
    assert click_onsets(x).size == 0  # clicks: off
    kicks = kick_onsets(x)
    assert ((kicks > 2 * SR) & (kicks < 5 * SR)).sum() >= 6
    assert not (kicks > 5.2 * SR).any()  # paused
    period = float(Fraction(*period_fraction(170.0, SR)))
    rel = (kicks - m.grid[0]) / period
    assert np.abs(rel - np.round(rel)).max() * period / SR * 1000 < 5.0


def test_nothing_near_the_tempo_is_one_line_and_no_music(tmp_path: Path) -> None:
    m, music = _session(tmp_path, stretch_limit_pct=1.0)
    _begin(m, music)
    assert music.player is None
    assert music.note == "Music: nothing fits 170 steps/min within 1 %; the clicks alone."


@pytest.mark.slow
def test_gather_tracks_says_what_is_wrong_in_one_line(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    tracks, note = gather_tracks(MusicSettings(folder="empty"), tmp_path, None)
    assert tracks == [] and note.startswith("Music: ") and "no music files" in note
    mixed = tmp_path / "mixed"
    mixed.mkdir()
    write_track(mixed, 170.0, duration_s=12)
    (mixed / "locked.m4a").write_bytes(bytes(1000))
    tracks, note = gather_tracks(MusicSettings(folder=str(mixed)), tmp_path, None)
    assert len(tracks) == 1 and note == "Music: 1 file unusable."
    tracks, note = gather_tracks(MusicSettings(playlist="none.m3u"), tmp_path, None)
    assert tracks == [] and "none.m3u: no such file" in note


@pytest.mark.slow
def test_the_session_plan_gets_the_profile_music_and_a_bad_folder_is_one_note(
    tmp_path: Path,
) -> None:
    from cadence.live.wiring import prepare_music
    from cadence.profile.model import Profile
    from cadence.store.store import Store

    (tmp_path / "music").mkdir()
    write_track(tmp_path / "music", 172.0, duration_s=12)
    m = Metronome(bpm=170.0)
    with Store.open(tmp_path / "db.sqlite") as store:
        profile = Profile(runner_name="A", music=MusicSettings(folder="music"),
                          source_path=tmp_path / "me.yaml")
        music, note = prepare_music(profile, m, store)
        assert music is not None and note == ""
        assert [Path(t.path).name for t in music.tracks] == ["kick_172.wav"]
        # cached now: a second session start does not analyse again
        from cadence.store.music_cache import all_analyses
        assert len(all_analyses(store.connection)) == 1
        missing = replace(profile, music=MusicSettings(folder="nowhere"))
        music, note = prepare_music(missing, m, store)
        assert music is None
        assert note.startswith("Music: ") and "nowhere: no such file or folder" in note
