"""``cadence recover [ID | --all]``: close sessions a crash or kill left unfinished.

With no argument it lists them. Recovering keeps everything that reached the
disk (all but the last second or two) and ends the session there, marked
"recovered", so it shows in summaries and history. A session another cadence is
still recording is never touched.
"""

from __future__ import annotations

import argparse

from cadence.commands._store_args import add_db_argument, fail, store_command


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("session", nargs="?", default=None, help="the session id to recover")
    parser.add_argument("--all", action="store_true", help="recover every unfinished session")
    add_db_argument(parser)


def run(args: argparse.Namespace) -> int:
    if args.all and args.session is not None:
        return fail("give a session id or --all, not both")
    return store_command(args.db, lambda: _recover(args))


def _recover(args: argparse.Namespace) -> int:
    from cadence.report.words import duration_text
    from cadence.store.store import Store

    with Store.open(args.db, create=False) as store:
        pending = store.unfinished_sessions()
        if args.session is None and not args.all:
            if not pending:
                print("No unfinished sessions.")
                return 0
            for info in pending:
                print(f"session {info.session_id}: started {info.started_at:%Y-%m-%d %H:%M} "
                      f"UTC, {duration_text(info.duration_s)} recorded")
            print("Recover with: cadence recover ID  (or --all)")
            return 0
        targets = [i.session_id for i in pending] if args.all else [store.resolve(args.session)]
        for session_id in targets:
            info = store.recover(session_id)
            print(f"recovered session {info.session_id}: "
                  f"{duration_text(info.duration_s)} kept")
        if args.all and not targets:
            print("No unfinished sessions.")
    return 0
