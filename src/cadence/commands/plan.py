"""``cadence plan [--profile P] [--db FILE] [--at ISO-TIME] [--json]``: today's session.

Worked out from the runner's history in the session database exactly as
``cadence run`` and ``cadence simulate --db`` do before a session: program and
week, the rounds, running time against the last seven days (and whether the
10 % rule applies yet), stage and target cadence, how the metronome leads,
whether running is allowed, and every piece of advice with its reason.
It records nothing (at most the store refreshes a stale summary cache row).
"""

from __future__ import annotations

import argparse
import json

from cadence.commands._programme import BadInput, add_at_argument
from cadence.commands._store_args import add_db_argument, fail


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--profile", metavar="FILE", default=None,
                        help="profile YAML (default: profiles/default.yaml)")
    add_db_argument(parser)
    add_at_argument(parser, "plan for this moment")
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")


def run(args: argparse.Namespace) -> int:
    from cadence.commands._programme import history_of, load_profile_program, parse_at
    from cadence.profile.errors import ProfileError
    from cadence.programme.plan import plan_today
    from cadence.programme.render import plan_to_json, render_plan
    from cadence.store.db import StoreError

    try:
        now = parse_at(args.at)
        profile, program, _ = load_profile_program(args.profile)
        history = history_of(args.db)
    except BadInput as exc:
        return fail(str(exc))
    except ProfileError as exc:
        return fail(str(exc.issues[0]))
    except StoreError as exc:
        return fail(str(exc))
    plan = plan_today(profile, program, history, now)
    if args.json:
        print(json.dumps(plan_to_json(plan), indent=2))
    else:
        print(render_plan(plan))
    return 0
