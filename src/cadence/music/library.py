"""The runner's tracks: files, folders and playlists in; analyses (cached in the store) out.

Why here and not in the commands: ``cadence music add``, ``cadence music
list``, ``cadence metronome --music`` and a session's ``music:`` profile
section all turn what the runner named into analysed tracks the same way, and
all report an unusable file the same way (one line, then carry on).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from pathlib import Path

from cadence.model.music import TrackAnalysis
from cadence.music.decode import AUDIO_SUFFIXES, MusicError
from cadence.store.music_cache import cached_analysis, store_analysis

PLAYLIST_SUFFIXES = frozenset({".m3u", ".m3u8"})


def expand(paths: Iterable[Path]) -> tuple[list[Path], list[str]]:
    """Files to analyse from files, folders (recursively, by name ending) and .m3u playlists.

    Returns the files (in order, without repeats) and one line per name that
    gave nothing (missing, or a folder or playlist with no audio in it).
    """
    files: list[Path] = []
    problems: list[str] = []
    seen: set[Path] = set()

    def add(p: Path) -> None:
        r = p.resolve()
        if r not in seen:
            seen.add(r)
            files.append(r)

    for p in paths:
        if p.is_dir():
            found = sorted(f for f in p.rglob("*") if f.suffix.lower() in AUDIO_SUFFIXES
                           and f.is_file())
            if not found:
                problems.append(f"{p}: no music files in this folder (WAV, FLAC, OGG or MP3)")
            for f in found:
                add(f)
        elif p.suffix.lower() in PLAYLIST_SUFFIXES and p.is_file():
            entries = _playlist(p)
            if not entries:
                problems.append(f"{p}: the playlist names no tracks")
            for f in entries:
                add(f)
        elif p.exists():
            add(p)
        else:
            problems.append(f"{p}: no such file or folder")
    return files, problems


def _playlist(path: Path) -> list[Path]:
    """Entries of an .m3u playlist, relative ones taken from the playlist's folder."""
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []
    out = []
    for line in lines:
        line = line.strip()
        if line and not line.startswith("#"):
            entry = Path(line)
            out.append(entry if entry.is_absolute() else path.parent / entry)
    return out


def analyse(path: Path, conn: sqlite3.Connection | None = None) -> TrackAnalysis:
    """``path``'s analysis: from the cache if the file is unchanged, else analysed (and kept).

    A file that can't be used comes back with ``problem`` set (and is cached
    like that too); nothing here raises for a bad file.
    """
    try:
        stat = path.stat()
    except OSError as exc:
        return TrackAnalysis(str(path), 0, 0, 0.0, 0.0, (), f"{path}: can't read ({exc.strerror})")
    key = str(path.resolve())
    if conn is not None:
        hit = cached_analysis(conn, key, stat.st_size, stat.st_mtime_ns)
        if hit is not None:
            return hit
    from cadence.music.analysis import analyse_file

    try:
        result = analyse_file(path)
    except MusicError as exc:
        result = TrackAnalysis(key, stat.st_size, stat.st_mtime_ns, 0.0, 0.0, (), str(exc))
    if conn is not None:
        store_analysis(conn, result)
    return result
