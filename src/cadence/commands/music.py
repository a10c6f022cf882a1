"""``cadence music add PATH...`` and ``cadence music list [--target SPM] [--json]``.

``add`` analyses the runner's own tracks (files, folders, .m3u playlists):
tempo and beat positions, kept in the store so a session can choose from them
at once. A file already analysed and unchanged (same size and mtime) is not
decoded again. Each file that can't be used is one line on stderr; the usable
ones are kept anyway, and the exit code is 2 if any was unusable (0 if all were
fine), so a script notices.

``list`` shows what the store holds: each track's tempo and, with
``--target``, how it would be played at that many steps per minute (as is, at
half or at double speed, and by how much it is stretched), and whether it is
within the stretch limit.

Standard library only at module level: the store, librosa and pedalboard load
inside ``run``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from cadence.commands._arg_types import checked
from cadence.commands._store_args import add_db_argument, fail

_spm = checked(float, lambda v: 30 <= v <= 300, "target must be 30-300 steps per minute")
_limit = checked(float, lambda v: 0 <= v <= 25, "stretch limit must be 0-25 %")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", metavar="ACTION")
    add = actions.add_parser(
        "add", help="analyse tracks (files, folders, .m3u playlists) and keep them",
        description="Analyse tracks (tempo and beats) and keep them in the store.",
    )
    add.add_argument("paths", nargs="+", metavar="PATH", help="a track, folder or .m3u playlist")
    add_db_argument(add)
    show = actions.add_parser(
        "list", help="the analysed tracks, their tempo and the stretch for a target",
        description="The analysed tracks, their tempo and how each would play at a target.",
    )
    show.add_argument("--target", type=_spm, default=None, metavar="SPM",
                      help="steps per minute to play them at")
    show.add_argument("--stretch-limit", type=_limit, default=8.0, metavar="PCT",
                      help="tracks further than this from the target are not used (default 8)")
    show.add_argument("--json", action="store_true", help="one JSON array instead of text")
    add_db_argument(show)


def run(args: argparse.Namespace) -> int:
    action = getattr(args, "action", None)
    if action == "add":
        return _add(args.paths, args.db)
    if action == "list":
        return _list(args)
    print("cadence music: error: say 'add PATH...' or 'list'", file=sys.stderr)
    return 2


def _add(paths: list[str], db: str | None) -> int:
    from cadence.music.library import analyse, expand
    from cadence.store.db import StoreError
    from cadence.store.store import Store

    try:
        store = Store.open(db)
    except StoreError as exc:
        return fail(str(exc))
    files, problems = expand(Path(p) for p in paths)
    for line in problems:
        print(f"cadence music: {line}", file=sys.stderr, flush=True)
    bad = bool(problems)
    with store:
        for f in files:
            a = analyse(f, store.connection)
            if a.problem:
                bad = True
                print(f"cadence music: {a.problem}", file=sys.stderr, flush=True)
            else:
                print(f"{a.tempo_bpm:6.1f} bpm  {_minutes(a.duration_s)}  {a.path}", flush=True)
    return 2 if bad else 0


def _minutes(seconds: float) -> str:
    s = round(seconds)
    return f"{s // 60}:{s % 60:02d}"


def _list(args: argparse.Namespace) -> int:
    from cadence.music.choice import fit, within_limit
    from cadence.store.db import StoreError
    from cadence.store.music_cache import all_analyses
    from cadence.store.store import Store

    try:
        with Store.open(args.db, create=False) as store:
            tracks = all_analyses(store.connection)
    except StoreError as exc:
        return fail(str(exc))
    rows = []
    for t in tracks:
        row: dict[str, object] = {
            "path": t.path, "tempo_bpm": round(t.tempo_bpm, 2),
            "duration_s": round(t.duration_s, 1), "beats": len(t.beats_s),
            "problem": t.problem or None, "changed": _changed(t.path, t.size_bytes, t.mtime_ns),
        }
        if args.target is not None:
            f = fit(t, args.target)
            row["played_as"] = (None if f is None else
                                {1.0: "as is", 2.0: "half tempo", 0.5: "double tempo"}[
                                    f.clicks_per_beat])
            row["stretch_pct"] = None if f is None else round(f.stretch_pct, 1) + 0.0
            row["usable"] = f is not None and within_limit(f, args.stretch_limit)
        rows.append(row)
    if args.json:
        print(json.dumps(rows, indent=1))
        return 0
    if not rows:
        print("no tracks yet; add some with 'cadence music add PATH...'")
        return 0
    for r in rows:
        print(_text(r, args.target is not None))
    return 0


def _changed(path: str, size: int, mtime_ns: int) -> bool:
    try:
        st = Path(path).stat()
    except OSError:
        return True
    return (st.st_size, st.st_mtime_ns) != (size, mtime_ns)


def _text(r: dict[str, object], with_target: bool) -> str:
    if r["problem"]:
        return f"     -           {r['problem']}"
    tempo = float(str(r["tempo_bpm"]))
    line = f"{tempo:6.1f} bpm"
    if with_target:
        if r["usable"]:
            line += f"  {float(str(r['stretch_pct'])):+5.1f} % {r['played_as']:<12}"
        else:
            line += f"  {float(str(r['stretch_pct'])):+5.1f} % {'too far':<12}"
    line += f"  {r['path']}"
    if r["changed"]:
        line += "  (changed since; run 'cadence music add' again)"
    return line
