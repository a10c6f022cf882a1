"""Command-line entry point: ``cadence <command> ...``.

Each command lives in ``cadence.commands.<module>`` with two functions,
``add_arguments(parser)`` and ``run(args) -> int``. Command modules import only
the standard library at module level (heavy imports go inside ``run``), so
``cadence --help`` stays fast.

Exit codes: 0 success (also when a reader such as ``head`` closes the output
pipe early), 1 unexpected failure, 2 bad input (usage, profile,
missing session, unwritable path), 3 no audio device (``cadence metronome``) or no
Bluetooth adapter (``cadence devices``).
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from typing import NoReturn

from cadence import __version__

#: command name -> (module under cadence.commands, one-line help)
COMMANDS: dict[str, tuple[str, str]] = {
    "demo": ("demo", "the live treadmill screen on virtual sensors (no hardware needed)"),
    "run": ("run", "the live treadmill screen with the profile's sensors"),
    "simulate": ("simulate", "run a whole session headless on a virtual clock; JSON lines"),
    "plan": ("plan", "today's session from your history, and why"),
    "checkin": ("checkin", "how your back feels after a session (1 h later, next morning)"),
    "metronome": ("metronome", "play the metronome on its own (or with your music)"),
    "music": ("music", "analyse your own tracks and see how they fit a tempo"),
    "devices": ("devices", "scan for footpods, heart-rate straps and treadmills"),
    "summary": ("summary", "the cadence summary of a recorded session"),
    "history": ("history", "past sessions, weekly volume and cadence trend"),
    "export": ("export", "write a session as FIT, TCX, CSV or PNG"),
    "profile": ("profile", "check or show a profile file"),
    "recover": ("recover", "finish a session that was cut off (crash, kill)"),
}


class _Parser(argparse.ArgumentParser):
    """An argparse parser whose errors are one line and exit 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="cadence",
        description="A real-time running cadence coach.",
    )
    parser.add_argument("--version", action="version", version=f"cadence {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name, (module_name, help_text) in COMMANDS.items():
        module = importlib.import_module(f"cadence.commands.{module_name}")
        cmd = sub.add_parser(name, help=help_text, description=help_text)
        module.add_arguments(cmd)
        cmd.set_defaults(_module=module)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    try:
        code: int = args._module.run(args)
        sys.stdout.flush()  # a closed pipe shows up here for output still buffered
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return _reader_went_away()
    return code


def _reader_went_away() -> int:
    """``cadence summary | head``: the reader closed the pipe; stop quietly, exit 0.

    Why 0: the reader took what it wanted, which is not a failure of cadence.
    stdout is pointed at /dev/null so the interpreter's own flush at exit
    does not raise the same error again (the recipe in Python's signal docs).
    """
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
