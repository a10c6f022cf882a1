"""``cadence checkin [--db FILE] [--pain N] [--when 1h|morning] [--at ISO-TIME]``.

The follow-ups after a session: how the back feels about an hour after it and
the next morning, against the pre-run rating (the day's baseline). Pain back
at that level is what lets the programme move on; above it counts as a flare.
Without ``--pain`` it asks. ``--seen-professional`` records that the runner has
seen a physiotherapist or doctor, which lifts the hold after a 4/10 or a
warning sign. Answers go to the last session unless ``--session`` says which.
"""

from __future__ import annotations

import argparse
import sys

from cadence.commands._arg_types import checked
from cadence.commands._programme import BadInput, add_at_argument
from cadence.commands._store_args import add_db_argument, fail

_rating = checked(int, lambda v: 0 <= v <= 10, "must be 0-10")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_db_argument(parser)
    parser.add_argument("--pain", type=_rating, metavar="N", default=None,
                        help="back pain now, 0-10 (asked when not given)")
    parser.add_argument("--when", choices=("1h", "morning"), default=None,
                        help="which follow-up (default: by the time since the session)")
    add_at_argument(parser, "when the answer was given")
    parser.add_argument("--session", metavar="ID", default="last",
                        help="the session it is about (default: the last one)")
    parser.add_argument("--seen-professional", action="store_true",
                        help="you have seen a physiotherapist or doctor about your back")


def _ask() -> int:
    try:
        text = input("How is your back right now, from 0 (no pain) to 10? ")
    except EOFError:
        raise BadInput("no answer given (use --pain N)") from None
    try:
        value = int(text.strip())
    except ValueError:
        raise BadInput(f"pain must be a whole number 0-10 (got {text.strip()!r})") from None
    if not 0 <= value <= 10:
        raise BadInput(f"pain must be 0-10 (got {value})")
    return value


def run(args: argparse.Namespace) -> int:
    from cadence.commands._programme import parse_at, refuse_before_latest
    from cadence.programme import followups
    from cadence.programme.records import FollowUp, FollowUpWhen
    from cadence.store.db import StoreError
    from cadence.store.programme import load_history, record_followup, record_professional_seen
    from cadence.store.store import Store

    try:
        now = parse_at(args.at)
        with Store.open(args.db, create=args.seen_professional) as store:
            refuse_before_latest(store, now, "--at")
            if args.seen_professional:
                record_professional_seen(store, now)
                print("Noted: you have seen a professional. Follow their advice on when and "
                      "how much to run.")
                if args.pain is None:
                    return 0
            session_id = store.resolve(args.session)
            history = load_history(store)
            session = next(s for s in history.sessions if s.session_id == session_id)
            if now < session.end:
                raise BadInput(f"--at {now.isoformat()} is before session {session_id} ended")
            when = (FollowUpWhen(args.when) if args.when
                    else followups.which_now(session, now))
            pain = args.pain if args.pain is not None else _ask()
            record_followup(store, session_id, FollowUp(when, pain, now))
    except BadInput as exc:
        return fail(str(exc))
    except StoreError as exc:
        return fail(str(exc))
    base = followups.baseline_pain(session)
    label = "one hour after" if when is FollowUpWhen.HOUR else "next morning"
    if pain > base:
        verdict = (f"that is above your {base}/10 before the run, so the plan eases off "
                   "(`cadence plan` shows how)")
    else:
        verdict = f"back to your {base}/10 before the run"
    print(f"Recorded the {label} check for session {session_id}: {pain}/10, {verdict}.")
    if pain >= 4:
        print("At 4/10 or more, please see a physiotherapist or doctor before running again.",
              file=sys.stdout)
    return 0
