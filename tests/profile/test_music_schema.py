"""The profile's ``music:`` section: good ones load, broken ones name file, line and field."""

from __future__ import annotations

from typing import Any

import pytest

from cadence.profile.errors import ProfileError
from cadence.profile.loader import load_profile
from cadence.profile.model import MusicClicks, MusicSettings, MusicWalk

MUSIC_CASES: list[tuple[str, str, int, str, str]] = [
    ("music-no-source", "runner: A\nmusic:\n  volume: 0.5\n", 3, "music.folder",
     "is required"),
    ("music-empty", "runner: A\nmusic:\n", 2, "music.folder", "is required"),
    ("music-both", "runner: A\nmusic:\n  folder: m\n  playlist: r.m3u\n", 4, "music.playlist",
     "not both"),
    ("music-playlist-not-m3u", "runner: A\nmusic: {playlist: songs.txt}\n", 2,
     "music.playlist", "must be an .m3u playlist"),
    ("music-volume", "runner: A\nmusic:\n  folder: m\n  volume: 2\n", 4, "music.volume",
     "between 0 and 1 (got 2)"),
    ("music-limit", "runner: A\nmusic:\n  folder: m\n  stretch_limit_pct: 30\n", 4,
     "music.stretch_limit_pct", "between 0 and 15 (got 30); stretched further"),
    ("music-clicks", "runner: A\nmusic:\n  folder: m\n  clicks: loud\n", 4, "music.clicks",
     "must be one of on_top, off"),
    ("music-walk", "runner: A\nmusic:\n  folder: m\n  walk: slower\n", 4, "music.walk",
     "must be one of walk_tempo, quieter, off"),
    ("music-typo", "runner: A\nmusic:\n  folder: m\n  volum: 0.3\n", 4, "music.volum",
     "did you mean 'volume'"),
    ("music-not-a-map", "runner: A\nmusic: ~/Music\n", 2, "music", "must be a mapping"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("case", "text", "line", "field", "fragment"), MUSIC_CASES, ids=[c[0] for c in MUSIC_CASES]
)
def test_broken_music_names_line_and_field(
    write_yaml: Any, profile_cli: Any, capsys: pytest.CaptureFixture[str],
    case: str, text: str, line: int, field: str, fragment: str,
) -> None:
    path = write_yaml(text)
    with pytest.raises(ProfileError) as caught:
        load_profile(path)
    matching = [i for i in caught.value.issues if i.field == field]
    assert matching and matching[0].line == line, str(caught.value)
    assert fragment in matching[0].message, str(matching[0])
    assert profile_cli("check", str(path)) == 2
    assert f"{path}:{line}: {field}: " in capsys.readouterr().err


def test_a_music_section_loads_with_its_defaults(write_yaml: Any) -> None:
    profile = load_profile(write_yaml("runner: A\nmusic:\n  folder: ~/Music/run\n"))
    assert profile.music == MusicSettings(folder="~/Music/run")
    assert profile.music is not None
    assert profile.music.clicks is MusicClicks.ON_TOP and profile.music.stretch_limit_pct == 8.0


def test_every_field_and_off_is_taken_as_written(write_yaml: Any) -> None:
    text = ("runner: A\nmusic:\n  playlist: run.m3u\n  volume: 0.4\n  clicks: off\n"
            "  stretch_limit_pct: 5\n  walk: walk_tempo\n  walk_volume: 0.2\n")
    profile = load_profile(write_yaml(text))
    assert profile.music == MusicSettings(
        playlist="run.m3u", volume=0.4, clicks=MusicClicks.OFF, stretch_limit_pct=5.0,
        walk=MusicWalk.WALK_TEMPO, walk_volume=0.2,
    )


def test_no_music_section_means_no_music(write_yaml: Any) -> None:
    profile = load_profile(write_yaml("runner: A\n"))
    assert profile.music is None
