"""Run ``python -m cadence ...`` in a fresh interpreter, the way a user meets the CLI.

Why shared: every area has a test that goes through the real entry point (exit
codes, one-line errors, nothing printed to stdout on failure); each used to
spell out the same ``subprocess.run``. The child imports the same ``cadence``
package as the test process, whatever the caller's ``PYTHONPATH``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

import cadence

_SRC = str(Path(cadence.__file__).resolve().parent.parent)


def run_cadence(
    *args: str, env: Mapping[str, str] | None = None, timeout_s: float = 120.0
) -> subprocess.CompletedProcess[str]:
    """``python -m cadence ARGS`` with text output captured.

    Args:
        args: the command line after ``cadence``.
        env: the child's whole environment (default: this process's).
        timeout_s: a generous limit, so a hang fails the test instead of the run.
    """
    child_env = dict(os.environ if env is None else env)
    child_env["PYTHONPATH"] = os.pathsep.join(filter(None, [_SRC, child_env.get("PYTHONPATH")]))
    return subprocess.run(
        [sys.executable, "-m", "cadence", *args],
        capture_output=True,
        text=True,
        timeout=timeout_s,
        env=child_env,
    )
