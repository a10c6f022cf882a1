"""``cadence history [--weeks N] [--json]``: past sessions, weekly volume, trend, shoes.

Shoe thresholds come from ``--profile`` (its ``shoe`` settings) or the defaults
(warn at 480 km, replace at 800 km: 300 and 500 miles).
"""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING

from cadence.commands._arg_types import checked
from cadence.commands._store_args import add_db_argument, fail, store_command

MAX_WEEKS = 5200  # a hundred years
_weeks = checked(int, lambda v: v <= MAX_WEEKS, f"must be at most {MAX_WEEKS} weeks")

if TYPE_CHECKING:
    from cadence.report.history import ShoeThresholds


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--weeks", type=_weeks, default=None, metavar="N",
                        help="only the last N weeks (default: everything)")
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")
    parser.add_argument("--profile", metavar="FILE", default=None,
                        help="profile whose shoe settings give the replacement distances")
    add_db_argument(parser)


def _shoe_thresholds(profile_path: str | None) -> ShoeThresholds:
    from cadence.report.history import ShoeThresholds

    if profile_path is None:
        return ShoeThresholds()
    from cadence.profile.loader import load_profile

    shoe = load_profile(profile_path).shoe
    return ShoeThresholds(shoe.name, shoe.start_km, shoe.replace_warn_km, shoe.replace_km)


def _cap_from_weeks(programs: set[str]) -> dict[str, int]:
    """Each program's ``volume_cap_from_week`` (1, the rule always applies, if unknown)."""
    from cadence.profile.errors import ProfileError
    from cadence.profile.loader import load_program

    out: dict[str, int] = {}
    for name in programs:
        try:
            out[name] = load_program(name).volume_cap_from_week if name else 1
        except ProfileError:
            out[name] = 1
    return out


def run(args: argparse.Namespace) -> int:
    return store_command(args.db, lambda: _run(args))


def _run(args: argparse.Namespace) -> int:
    from datetime import UTC, datetime

    from cadence.profile.errors import ProfileError
    from cadence.report.history import build_history
    from cadence.report.history_render import history_to_json, render_history
    from cadence.store.paths import resolve_db_path
    from cadence.store.store import Store

    if args.weeks is not None and args.weeks < 1:
        return fail("--weeks must be 1 or more")
    try:
        shoe = _shoe_thresholds(args.profile)
    except ProfileError as exc:
        more = len(exc.issues) - 1
        return fail(str(exc.issues[0]) + (f" (and {more} more problem(s))" if more else ""))
    if not resolve_db_path(args.db).exists():
        headlines = []  # nothing recorded yet is not an error for a list
    else:
        with Store.open(args.db, create=False) as store:
            headlines = store.headlines()
    cap_from = _cap_from_weeks({h.program for h in headlines})
    history = build_history(headlines, weeks=args.weeks, shoe=shoe,
                            today=datetime.now(UTC).date(),
                            rule_applies=lambda h: h.program_week >= cap_from.get(h.program, 1))
    if args.json:
        print(json.dumps(history_to_json(history), indent=2))
    else:
        from cadence.profile.progression import STRENGTH_REMINDER

        print(render_history(history))
        print(f"\n{STRENGTH_REMINDER}")
    return 0
