"""``cadence run``: a live treadmill session with the profile's own sensors."""

from __future__ import annotations

import argparse
import sys


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--profile", metavar="FILE", help="profile YAML (default: the shipped one)")
    parser.add_argument("--no-audio", action="store_true", help="no clicks; the screen only")
    parser.add_argument("--db", metavar="PATH", help="session database (default: data folder)")


def run(args: argparse.Namespace) -> int:
    return run_app(profile_path=args.profile, db=args.db, no_audio=args.no_audio, virtual=False)


def run_app(
    *,
    profile_path: str | None,
    db: str | None,
    no_audio: bool,
    virtual: bool,
    speed: float = 1.0,
    seed: int = 1,
) -> int:
    """Build the session, run the TUI, clean up; the exit code for both commands."""
    from cadence.live.wiring import SetupError, build_plan, close_plan
    from cadence.tui.app import CadenceApp

    command = "demo" if virtual else "run"
    # The audio callback needs the GIL for a moment every 10 ms block; a short switch
    # interval keeps the UI and BLE threads from holding it long enough to underrun.
    sys.setswitchinterval(0.001)
    try:
        plan = build_plan(
            profile_path=profile_path,
            db=db,
            no_audio=no_audio,
            virtual=virtual,
            speed=speed,
            seed=seed,
        )
    except SetupError as exc:
        print(f"cadence {command}: error: {exc}", file=sys.stderr)
        return 2
    try:
        code = CadenceApp(plan).run()
    finally:
        close_plan(plan)
    return code or 0
