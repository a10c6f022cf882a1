"""``cadence demo``: the live screen on virtual sensors, so anyone can try it with no hardware.

A simulated runner (who follows the metronome) drives in-process Bumble BLE
peripherals, and the production bleak code reads them, so the demo exercises
the real sensor path. The metronome is real; with no audio device the screen
says so and coaching carries on visually. With ``--belt-control`` (or a profile
with ``treadmill: {control: true}``) the production FTMS controller sets the
virtual treadmill's belt through bleak, phase by phase.
"""

from __future__ import annotations

import argparse
import sys

from cadence.commands._arg_types import finite_float


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from cadence.commands import run as run_command

    run_command.add_arguments(parser)
    parser.add_argument(
        "--speed",
        type=finite_float,
        default=1.0,
        metavar="X",
        help="run the session clock X times faster (phases pass quicker; default 1)",
    )
    parser.add_argument("--seed", type=int, default=1, help="the simulated runner's seed")
    parser.add_argument(
        "--belt-control",
        action="store_true",
        help="let cadence set the virtual treadmill's belt for each phase, as a profile with "
        "treadmill: {control: true} does",
    )


def run(args: argparse.Namespace) -> int:
    from cadence.commands.run import run_app
    from cadence.live.wiring import PlanOptions

    if args.speed <= 0 or args.speed > 60:
        print("cadence demo: error: --speed must be above 0 and at most 60", file=sys.stderr)
        return 2
    return run_app(
        PlanOptions(
            profile_path=args.profile,
            db=args.db,
            no_audio=args.no_audio,
            virtual=True,
            speed=args.speed,
            seed=args.seed,
            skip_check=args.skip_check,
            belt_control=args.belt_control,
        )
    )
