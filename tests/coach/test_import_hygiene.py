"""The functional core stays pure: importing it pulls in no UI, audio, BLE or database.

Checked in a fresh interpreter (``sys.modules`` of the test process is polluted
by whatever other tests imported), like harlequin's ``test_import_hygiene.py``.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src"
FORBIDDEN = ("textual", "sounddevice", "bleak", "bumble", "sqlite3", "_sqlite3")

PROBE = """
import importlib, json, pkgutil, sys
mods = ["cadence.coach.engine", "cadence.sim.session", "cadence.sim.script"]
import cadence.profile
mods += [m.name for m in pkgutil.iter_modules(cadence.profile.__path__, "cadence.profile.")]
import cadence.coach
mods += [m.name for m in pkgutil.iter_modules(cadence.coach.__path__, "cadence.coach.")]
try:
    importlib.util.find_spec("cadence.sensors.gatt") and mods.append("cadence.sensors.gatt")
except ImportError:
    pass
for m in mods:
    importlib.import_module(m)
print(json.dumps({"imported": mods, "loaded": sorted(sys.modules)}))
"""


def test_core_imports_nothing_heavy() -> None:
    result = subprocess.run(
        [sys.executable, "-c", "import importlib.util\n" + PROBE],
        capture_output=True, text=True, timeout=60,
        env={"PYTHONPATH": str(SRC), "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert "cadence.coach.engine" in report["imported"]
    assert "cadence.sim.session" in report["imported"]
    assert "cadence.profile.model" in report["imported"]
    loaded = set(report["loaded"])
    bad = sorted(m for m in loaded if m.split(".")[0] in FORBIDDEN)
    assert bad == []
