"""Run many ``cadence`` command lines in one interpreter, as a user would see each one.

Why: the damaged-database tests run a few hundred command lines (kinds of
damage x commands); a fresh interpreter per line costs ~0.3 s of imports each.
This child runs ``cadence.cli.main`` for each line of a JSON list with its own
stdout/stderr captured, and turns an exception that escapes ``main`` into the
traceback text a user's terminal would show, so the caller can look for it.
Print one JSON object per line: ``{"argv", "code", "stdout", "stderr"}``.

Use: ``python cli_batch.py LINES.json`` (a list of argv lists).
"""

from __future__ import annotations

import contextlib
import io
import json
import sys
import traceback

from cadence.cli import main


def run_one(argv: list[str]) -> dict[str, object]:
    out, err = io.StringIO(), io.StringIO()
    code: int
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        except BaseException:
            traceback.print_exc(file=err)
            code = 1
    return {"argv": argv, "code": code, "stdout": out.getvalue(), "stderr": err.getvalue()}


if __name__ == "__main__":
    with open(sys.argv[1]) as fh:
        lines = json.load(fh)
    for argv in lines:
        print(json.dumps(run_one(argv)), flush=True)
