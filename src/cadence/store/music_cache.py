"""The music library's cache: each track's analysis, kept until the file changes.

Why cache: analysing a track (decode, onset envelope, beat fit) takes seconds;
a session choosing from a folder of 200 tracks can't redo that at the start of
every run. A row is keyed by the file's absolute path and valid only while the
file's size and mtime (ns) are what they were when it was analysed, and the
analysis version is the current one: an edited, replaced or re-tagged file is
analysed again. Files that could not be used are kept too (``problem``), so a
damaged or DRM-locked file costs one decode attempt, not one per session.

Beats are stored as little-endian float64 seconds in a BLOB: a 5-minute track
at 180 bpm is 900 beats, 7 kB, read back with one ``np.frombuffer``.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

import numpy as np

from cadence.model.music import ANALYSER_VERSION, TrackAnalysis

_COLUMNS = "path, size_bytes, mtime_ns, duration_s, tempo_bpm, beats, problem"


def cached_analysis(
    conn: sqlite3.Connection, path: str, size_bytes: int, mtime_ns: int
) -> TrackAnalysis | None:
    """The stored analysis of ``path`` if the file is unchanged since; else None."""
    row = conn.execute(
        f"SELECT {_COLUMNS} FROM music_tracks WHERE path = ? AND size_bytes = ? "
        "AND mtime_ns = ? AND analyser_version = ?",
        (path, size_bytes, mtime_ns, ANALYSER_VERSION),
    ).fetchone()
    return None if row is None else _from_row(row)


def store_analysis(conn: sqlite3.Connection, analysis: TrackAnalysis) -> None:
    """Keep ``analysis`` (replacing any older one for the same path)."""
    beats = np.asarray(analysis.beats_s, dtype="<f8").tobytes()
    with conn:
        conn.execute(
            "INSERT OR REPLACE INTO music_tracks (path, size_bytes, mtime_ns, analyser_version, "
            "duration_s, tempo_bpm, beats, problem, analysed_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (analysis.path, analysis.size_bytes, analysis.mtime_ns, ANALYSER_VERSION,
             analysis.duration_s, analysis.tempo_bpm, beats, analysis.problem,
             datetime.now(UTC).isoformat(timespec="seconds")),
        )


def all_analyses(conn: sqlite3.Connection) -> list[TrackAnalysis]:
    """Every track analysed so far (of any version), by path."""
    rows = conn.execute(f"SELECT {_COLUMNS} FROM music_tracks ORDER BY path").fetchall()
    return [_from_row(r) for r in rows]


def _from_row(row: tuple[object, ...]) -> TrackAnalysis:
    path, size, mtime, duration, tempo, beats, problem = row
    assert isinstance(beats, bytes)
    return TrackAnalysis(
        path=str(path), size_bytes=int(str(size)), mtime_ns=int(str(mtime)),
        duration_s=float(str(duration)), tempo_bpm=float(str(tempo)),
        beats_s=tuple(float(b) for b in np.frombuffer(beats, dtype="<f8")),
        problem=str(problem),
    )
