"""The options every store command shares (``--db``), and one-line failures."""

from __future__ import annotations

import argparse
import sys


def add_db_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db", metavar="PATH", default=None,
        help="session database file (default: $CADENCE_DATA_DIR or the user data folder)",
    )


def fail(message: str, code: int = 2) -> int:
    """Print ``cadence: error: message`` on one line to stderr; return the exit code."""
    print(f"cadence: error: {' '.join(message.split())}", file=sys.stderr)
    return code
