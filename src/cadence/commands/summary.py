"""``cadence summary [ID|last] [--json]``: the post-run summary of one session.

Works on unfinished sessions too (a run in progress elsewhere, or one cut off
by a crash), summarising what was recorded so far. Finished sessions are read
from the summary cache written when they ended (see ``store.summary_cache``).
"""

from __future__ import annotations

import argparse
import json

from cadence.commands._arg_types import checked
from cadence.commands._store_args import add_db_argument, store_command

MAX_COMPARE = 10_000
_compare = checked(int, lambda v: v <= MAX_COMPARE, f"must be at most {MAX_COMPARE} sessions")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("session", nargs="?", default="last",
                        help="session id, or 'last' (default)")
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")
    parser.add_argument("--compare", type=_compare, default=5, metavar="N",
                        help="compare with the N sessions before it (default 5)")
    add_db_argument(parser)


def run(args: argparse.Namespace) -> int:
    return store_command(args.db, lambda: _run(args))


def _run(args: argparse.Namespace) -> int:
    from cadence.programme.render import checks_to_json, render_checks
    from cadence.report.summary_render import render_text, summary_to_json
    from cadence.store.programme import session_checks
    from cadence.store.store import Store

    with Store.open(args.db, create=False) as store:
        # cached for finished sessions; live from the columns for unfinished ones
        summary = store.summary(args.session, compare=max(0, args.compare))
        readiness, followups = session_checks(store, summary.session_id)
    if args.json:
        print(json.dumps({**summary_to_json(summary),
                          **checks_to_json(readiness, followups)}, indent=2))
    else:
        print(render_text(summary))
        print(render_checks(readiness, followups))
    return 0
