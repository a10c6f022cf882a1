"""The options every store command shares (``--db``), and one-line failures.

``store_command`` is the one place the store commands (summary, history,
export, recover) turn what can go wrong with the file into a line and exit 2:
the store's own ``StoreError``, any ``sqlite3`` error met while reading (a
damaged page is often only found when a query walks into it), and the value
errors a damaged row can cause. The file is named in every line.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable


def add_db_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db", metavar="PATH", default=None,
        help="session database file (default: $CADENCE_DATA_DIR or the user data folder)",
    )


def fail(message: str, code: int = 2) -> int:
    """Print ``cadence: error: message`` on one line to stderr; return the exit code."""
    print(f"cadence: error: {' '.join(message.split())}", file=sys.stderr)
    return code


def store_command(db_arg: str | None, body: Callable[[], int]) -> int:
    """``body()``, with every failure of the session database as one line and exit 2."""
    import sqlite3

    from cadence.store.db import DamagedRow, StoreError, store_failure
    from cadence.store.paths import resolve_db_path

    try:
        return body()
    except StoreError as exc:
        return fail(str(exc))
    except (sqlite3.Error, DamagedRow) as exc:
        return fail(str(store_failure(resolve_db_path(db_arg), exc)))
