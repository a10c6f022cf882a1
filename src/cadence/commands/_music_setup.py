"""Turning the music the runner named into playable tracks, for ``metronome`` and ``music``.

Only the standard library at module level: the store, the analysis (librosa)
and the decoder (pedalboard) load inside the functions, when music is asked for.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cadence.model.music import TrackAnalysis
    from cadence.music.choice import TrackFit


def say(prog: str, line: str) -> None:
    print(f"{prog}: {line}", file=sys.stderr, flush=True)


def analyse_all(prog: str, names: Sequence[str], db: str | None) -> list[TrackAnalysis]:
    """Every track named (files, folders, playlists), analysed or from the store's cache.

    Problems are one line each on stderr; the store being unusable only costs
    the cache (the tracks are analysed anyway).
    """
    from cadence.music.library import analyse, expand
    from cadence.store.db import StoreError
    from cadence.store.store import Store

    files, problems = expand(Path(n) for n in names)
    for line in problems:
        say(prog, line)
    store = None
    try:
        store = Store.open(db)
    except StoreError as exc:
        say(prog, f"{exc}; analysing without the cache")
    try:
        conn = store.connection if store is not None else None
        out = []
        for f in files:
            a = analyse(f, conn)
            if a.problem:
                say(prog, a.problem)
            out.append(a)
        return out
    finally:
        if store is not None:
            store.close()


def playable(
    prog: str, tracks: Sequence[TrackAnalysis], target_spm: float, limit_pct: float
) -> list[TrackFit]:
    """The tracks that suit ``target_spm``; one line for each usable one that does not."""
    from cadence.music.choice import fit, why_not, within_limit

    out = []
    for t in tracks:
        if not t.usable:
            continue
        f = fit(t, target_spm)
        if f is not None and within_limit(f, limit_pct):
            out.append(f)
        else:
            say(prog, why_not(f, t, target_spm, limit_pct))
    return out
