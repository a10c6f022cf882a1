"""``cadence run``: a live treadmill session with the profile's own sensors."""

from __future__ import annotations

import argparse
import contextlib
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cadence.live.plan import SessionPlan
    from cadence.live.wiring import PlanOptions


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options ``cadence run`` and ``cadence demo`` share."""
    parser.add_argument("--profile", metavar="FILE", help="profile YAML (default: the shipped one)")
    parser.add_argument("--no-audio", action="store_true", help="no clicks; the screen only")
    parser.add_argument("--db", metavar="PATH", help="session database (default: data folder)")
    parser.add_argument("--skip-check", action="store_true",
                        help="skip the readiness questions before the session (recorded as "
                             "skipped; a hold from your history still applies)")


def run(args: argparse.Namespace) -> int:
    from cadence.live.wiring import PlanOptions

    return run_app(
        PlanOptions(profile_path=args.profile, db=args.db, no_audio=args.no_audio, virtual=False,
                    skip_check=args.skip_check)
    )


def run_app(options: PlanOptions) -> int:
    """Build the session, run the TUI, clean up; the exit code for both commands."""
    from cadence.live.wiring import SetupError, build_plan, close_plan

    command = "demo" if options.virtual else "run"
    if not options.skip_check and sys.stdin.isatty():
        from cadence.commands._programme import BadInput, ask_missed_followups, parse_at
        from cadence.store.db import StoreError

        try:
            ask_missed_followups(options.db, parse_at(None))
        except (BadInput, StoreError) as exc:
            print(f"cadence {command}: error: {exc}", file=sys.stderr)
            return 2
    # The audio callback needs the GIL for a moment every 10 ms block; a short switch
    # interval keeps the UI and BLE threads from holding it long enough to underrun.
    sys.setswitchinterval(0.001)
    try:
        plan = build_plan(options)
    except SetupError as exc:
        print(f"cadence {command}: error: {exc}", file=sys.stderr)
        return 2
    try:
        return run_tui(plan, command)
    finally:
        close_plan(plan)


def run_tui(plan: SessionPlan, command: str, *, headless: bool = False) -> int:
    """Run the app on ``plan``; its exit code, and its one closing line on stderr."""
    from cadence.commands._terminal import native_stderr_to_log
    from cadence.store.paths import data_dir
    from cadence.tui.app import CadenceApp

    folder = plan.store.path.parent if plan.store is not None else data_dir()
    guard = contextlib.nullcontext() if headless else native_stderr_to_log(folder)
    with guard:  # what native code prints to stderr goes to a log, not over the screen
        app = CadenceApp(plan)
        app.run(headless=headless)
    if app.exit_note:
        print(f"cadence {command}: {app.exit_note}", file=sys.stderr)
    # a crash inside the app (Textual has printed its traceback) is exit code 1, never 0,
    # and so is a quit that left the run outside the session file
    return app.exit_code
