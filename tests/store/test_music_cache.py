"""The music cache on a real SQLite file: kept by path, redone when size or mtime change."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cadence.model.music import TrackAnalysis
from cadence.music.library import analyse, expand
from cadence.store.music_cache import all_analyses, cached_analysis, store_analysis
from cadence.store.store import Store
from support.synth_tracks import write_track


def test_a_row_round_trips_exactly(tmp_path: Path) -> None:
    a = TrackAnalysis("/m/x.flac", 1234, 5678, 201.5, 171.25, (0.1, 0.45, 0.8), "")
    with Store.open(tmp_path / "db.sqlite") as store:
        store_analysis(store.connection, a)
        assert cached_analysis(store.connection, a.path, 1234, 5678) == a
        assert cached_analysis(store.connection, a.path, 1234, 5679) is None  # touched
        assert cached_analysis(store.connection, a.path, 1235, 5678) is None  # rewritten
        assert all_analyses(store.connection) == [a]


@pytest.mark.slow
def test_an_unchanged_file_comes_from_the_cache_and_a_changed_one_is_analysed_again(
    tmp_path: Path,
) -> None:
    track = write_track(tmp_path, 150.0, duration_s=12)
    with Store.open(tmp_path / "db.sqlite") as store:
        conn = store.connection
        first = analyse(track.path, conn)
        assert first.tempo_bpm == pytest.approx(150.0, abs=0.1)
        # the cache answers for the same size and mtime: prove it by planting a row
        planted = TrackAnalysis(first.path, first.size_bytes, first.mtime_ns, 12.0, 123.0,
                                (0.0, 1.0), "")
        store_analysis(conn, planted)
        assert analyse(track.path, conn) == planted
        # a different track written over the same path is analysed again
        write_track(tmp_path, 172.0, duration_s=12, name="kick_150")
        st = track.path.stat()
        os.utime(track.path, ns=(st.st_atime_ns, first.mtime_ns + 10**9))
        again = analyse(track.path, conn)
        assert again.tempo_bpm == pytest.approx(172.0, abs=0.1)
        assert cached_analysis(conn, again.path, again.size_bytes, again.mtime_ns) == again


def test_an_unusable_file_is_cached_with_its_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "x.mp3"
    bad.write_text("not audio")
    with Store.open(tmp_path / "db.sqlite") as store:
        a = analyse(bad, store.connection)
        assert not a.usable and "can't decode" in a.problem
        st = bad.stat()
        assert cached_analysis(store.connection, a.path, st.st_size, st.st_mtime_ns) == a


def test_expand_finds_audio_in_folders_and_playlists_and_says_what_gave_nothing(
    tmp_path: Path,
) -> None:
    (tmp_path / "music" / "sub").mkdir(parents=True)
    for rel in ("music/a.flac", "music/sub/b.mp3", "music/notes.txt"):
        (tmp_path / rel).write_bytes(b"x")
    (tmp_path / "empty").mkdir()
    (tmp_path / "run.m3u").write_text("#EXTM3U\nmusic/a.flac\n# comment\nmusic/sub/b.mp3\n")
    files, problems = expand([tmp_path / "music", tmp_path / "run.m3u", tmp_path / "empty",
                              tmp_path / "missing.ogg"])
    assert [f.name for f in files] == ["a.flac", "b.mp3"]  # no repeats from the playlist
    assert len(problems) == 2
    assert "no music files in this folder" in problems[0] and "empty" in problems[0]
    assert "missing.ogg: no such file" in problems[1]
