"""``cadence simulate``: a whole coached session, headless, on a virtual clock.

Prints one JSON object per line (time, inputs, actions, phase, tempo, cadence
estimate, the simulated runner's true cadence) and writes nothing to disk, so
it can be piped into ``jq`` or read by tests. With ``--db FILE`` it plans the
session from FILE's history and records it there, as ``cadence run`` would
(``commands._simulate_db``). It is the app's own
``LiveSession`` (``cadence.live.headless``): the same coach and wiring as
``cadence run``, with a virtual clock, simulated sensors and no audio or screen.

Only the standard library is imported at module level (``cadence --help``
stays fast); the coach, the loader and YAML load inside ``run``.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING

from cadence.commands._arg_types import checked
from cadence.commands._programme import BadInput, add_at_argument

if TYPE_CHECKING:
    from cadence.profile.model import Profile, Program, ProgramWeek
    from cadence.sim.script import RunnerScript


_positive = checked(float, lambda v: v > 0, "must be more than 0")
_non_negative = checked(float, lambda v: v >= 0, "must be 0 or more")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--profile", metavar="FILE",
                        help="profile YAML (default: profiles/default.yaml or built-in defaults)")
    parser.add_argument("--program", metavar="NAME",
                        help="program name or file (default: the profile's)")
    parser.add_argument("--week", type=int, metavar="N",
                        help="program week (default: the profile's)")
    parser.add_argument("--stage", type=int, default=1, metavar="N",
                        help="tempo stage: +5 %% of baseline per stage, at most +10 %% (default 1)")
    parser.add_argument("--script", metavar="FILE",
                        help="runner script YAML: pain ratings and key presses at set times")
    parser.add_argument("--seed", type=int, default=0,
                        help="random seed for the runner (default 0)")
    parser.add_argument("--duration-min", type=_positive, metavar="M",
                        help="end the session after M minutes (default: when the plan ends)")
    parser.add_argument("--tick-s", type=_positive, default=0.5, metavar="S",
                        help="coach tick in seconds (default 0.5)")
    parser.add_argument("--footpod-hz", type=_positive, default=2.0, metavar="HZ",
                        help="footpod readings per second (default 2)")
    parser.add_argument("--runner-start-spm", type=_positive, default=158.0, metavar="SPM",
                        help="the runner's own cadence at the start (default 158)")
    parser.add_argument("--entrainment", type=_non_negative, default=0.02, metavar="PER_S",
                        help="share of the gap to the beat the runner closes per second (0.02)")
    parser.add_argument("--noise", type=_non_negative, default=1.5, metavar="SPM",
                        help="footpod noise, standard deviation in spm (default 1.5)")
    parser.add_argument("--fatigue", type=_non_negative, default=0.3, metavar="SPM_PER_MIN",
                        help="cadence drift per minute after 20 min of running (default 0.3)")
    parser.add_argument("--no-inputs", action="store_true",
                        help="leave the inputs out of each line")
    parser.add_argument("--db", metavar="FILE", default=None,
                        help="plan from this session database's history and record into it")
    add_at_argument(parser, "with --db: when the session starts")


def run(args: argparse.Namespace) -> int:
    from cadence.profile.errors import ProfileError
    from cadence.store.db import StoreError

    try:
        profile, program, week, profile_name = _load(args)
        script = _script(args.script)
    except ProfileError as exc:
        print(exc, file=sys.stderr)
        return 2
    except ValueError as exc:
        print(f"cadence simulate: error: {exc}", file=sys.stderr)
        return 2
    if args.at is not None and args.db is None:
        print("cadence simulate: error: --at needs --db", file=sys.stderr)
        return 2
    from cadence.live.headless import simulate
    from cadence.sim.runner import RunnerParams
    from cadence.sim.session import SimConfig

    runner = RunnerParams(
        start_cadence_spm=args.runner_start_spm,
        entrainment_per_s=args.entrainment,
        noise_spm=args.noise,
        fatigue_drift_spm_per_min=args.fatigue,
    )
    config = SimConfig(
        tick_s=args.tick_s,
        footpod_hz=args.footpod_hz,
        stage=args.stage,
        max_duration_s=None if args.duration_min is None else args.duration_min * 60.0,
        with_inputs=not args.no_inputs,
    )
    out = sys.stdout
    if args.db is not None:
        from cadence.commands._simulate_db import run_with_db

        try:
            return run_with_db(args, profile, program, profile_name, script, runner, config, out)
        except (BadInput, StoreError) as exc:
            print(f"cadence simulate: error: {exc}", file=sys.stderr)
            return 2
    try:
        for record in simulate(profile, week, runner=runner, seed=args.seed, script=script,
                               config=config):
            out.write(json.dumps(record, separators=(",", ":")))
            out.write("\n")
        out.flush()
    except BrokenPipeError:  # e.g. piped into `head`: not an error
        import os

        # Python's advice: point stdout at devnull so the exit-time flush stays quiet.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


def _load(args: argparse.Namespace) -> tuple[Profile, Program, ProgramWeek, str]:
    from cadence.commands._programme import load_profile_program
    from cadence.profile.loader import load_program

    profile, program, name = load_profile_program(args.profile)
    if args.db is not None and (args.week is not None or args.stage != 1):
        raise ValueError("with --db the week and stage come from the history; "
                         "drop --week and --stage")
    if args.program:
        program = load_program(args.program)
    number = args.week if args.week is not None else profile.program_week
    if number < 1:
        raise ValueError(f"--week must be 1 or more (got {number})")
    if args.stage < 0:
        raise ValueError(f"--stage must be 0 or more (got {args.stage})")
    return profile, program, program.week(number), name


def _script(path: str | None) -> RunnerScript | None:
    if path is None:
        return None
    from cadence.sim.script import load_script

    return load_script(path)
