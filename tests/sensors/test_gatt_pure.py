"""The parsing core stays free of radio stacks (the import-linter contract, checked live)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import cadence


def test_parsers_and_decoder_import_no_bleak_or_bumble() -> None:
    code = (
        "import sys\n"
        "import cadence.sensors.gatt.cadence_units, cadence.sensors.gatt.decode\n"
        "heavy = ('bleak', 'bumble', 'textual', 'sqlite3')\n"
        "print(','.join(m for m in heavy if m in sys.modules))\n"
    )
    src = str(Path(cadence.__file__).resolve().parent.parent)
    env = dict(os.environ, PYTHONPATH=src)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""
