"""The tracks a session's ``music:`` section names, analysed within a time budget.

Why a budget: analysis costs ~2 s per minute of audio, and a runner who just
pointed the profile at a folder of 200 new tracks should not wait ten minutes
for the run to start. Tracks already in the store's cache cost nothing; new
ones are analysed until ``ANALYSE_BUDGET_S`` is spent, and the note says how
many are left for ``cadence music add``. Everything here reports in one line
and never stops a session.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from cadence.model.music import TrackAnalysis
from cadence.music.library import analyse, expand
from cadence.profile.model import MusicSettings
from cadence.store.music_cache import cached_analysis

ANALYSE_BUDGET_S = 20.0


def gather_tracks(
    settings: MusicSettings, base: Path, conn: sqlite3.Connection | None,
    budget_s: float = ANALYSE_BUDGET_S,
) -> tuple[list[TrackAnalysis], str]:
    """Usable analysed tracks, and one line for the screen ("" when all went well)."""
    name = settings.folder if settings.folder is not None else settings.playlist
    assert name is not None
    where = Path(name).expanduser()
    if not where.is_absolute():
        where = base / where
    files, problems = expand([where])
    if problems:
        return [], f"Music: {problems[0]}; the clicks alone."
    tracks: list[TrackAnalysis] = []
    unusable = 0
    left = 0
    deadline = time.monotonic() + budget_s
    for f in files:
        a = _cached(f, conn)
        if a is None:
            if time.monotonic() > deadline:
                left += 1
                continue
            a = analyse(f, conn)
        if a.usable:
            tracks.append(a)
        else:
            unusable += 1
    if not tracks:
        return [], f"Music: nothing usable in {where}; the clicks alone."
    notes = []
    if unusable:
        notes.append(f"{unusable} file{'s' if unusable != 1 else ''} unusable")
    if left:
        notes.append(f"{left} not analysed yet (cadence music add {where})")
    return tracks, ("Music: " + "; ".join(notes) + ".") if notes else ""


def _cached(path: Path, conn: sqlite3.Connection | None) -> TrackAnalysis | None:
    if conn is None:
        return None
    try:
        st = path.stat()
    except OSError:
        return None
    return cached_analysis(conn, str(path.resolve()), st.st_size, st.st_mtime_ns)
