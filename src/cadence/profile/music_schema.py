"""The profile's ``music:`` section: the runner's own tracks at the session's tempo.

    music:
      folder: ~/Music/running     # or  playlist: ~/Music/run.m3u  (one of the two)
      volume: 0.6                 # 0-1
      clicks: on_top              # on_top (clicks over the music) or off (music alone)
      stretch_limit_pct: 8        # tracks further than this from the tempo are not played
      walk: quieter               # walk_tempo, quieter or off
      walk_volume: 0.3            # with walk: quieter

The limit stops at 15 %: past that a stretched track sounds wrong, and a
track that far off its own tempo is better left for another day. Whether the
folder holds anything usable is a question for the session's start, not for
the profile check (the files may change between runs).
"""

from __future__ import annotations

from cadence.profile.model import MusicClicks, MusicSettings, MusicWalk
from cadence.profile.yaml_reader import MapReader

MUSIC_FIELDS = ("folder", "playlist", "volume", "clicks", "stretch_limit_pct", "walk",
                "walk_volume")


def read_music(doc: MapReader) -> MusicSettings | None:
    """``MusicSettings`` from ``music:``, or None when the profile has no music."""
    if not doc.has("music"):
        return None
    m = doc.section("music", MUSIC_FIELDS)
    folder = m.optional_text("folder")
    playlist = m.optional_text("playlist")
    if folder is not None and playlist is not None:
        m.error("playlist", "give a folder or a playlist, not both")
    elif folder is None and playlist is None:
        m.error("folder", "is required: a folder of tracks, or a playlist: an .m3u file")
    if playlist is not None and not playlist.lower().endswith((".m3u", ".m3u8")):
        m.error("playlist", f"must be an .m3u playlist file (got {playlist!r})")
    defaults = MusicSettings()
    return MusicSettings(
        folder=folder,
        playlist=playlist,
        volume=m.number("volume", defaults.volume, 0, 1),
        clicks=m.choice("clicks", MusicClicks, defaults.clicks),
        stretch_limit_pct=m.number(
            "stretch_limit_pct", defaults.stretch_limit_pct, 0, 15,
            why="stretched further a track sounds wrong",
        ),
        walk=m.choice("walk", MusicWalk, defaults.walk),
        walk_volume=m.number("walk_volume", defaults.walk_volume, 0, 1),
    )
