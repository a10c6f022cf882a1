"""The ``cadence simulate`` runs whose output is pinned byte for byte (see test_golden.py).

Why pinned: ``cadence simulate`` is the headless whole-session check; when its
wiring changes (e.g. it moves onto ``LiveSession``), a seed must still print the
same JSON lines. Each case is a command line; ``{profiles}`` and ``{golden}``
are filled in with the shipped profiles folder and this folder's golden/.

Re-record (only when a change is *meant* to alter the output, and say so):
    PYTHONPATH=src:tests python -m sim.golden_cases
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import io
import json
from pathlib import Path

from cadence.commands import simulate

HERE = Path(__file__).resolve().parent
GOLDEN = HERE / "golden"
PROFILES = HERE.parents[1] / "profiles"

CASES: dict[str, list[str]] = {
    "minimal-seed0": ["--profile", "{golden}/minimal.yaml"],
    "minimal-pain7-seed3-tick1": ["--profile", "{golden}/minimal.yaml",
                                  "--script", "{golden}/pain7.yaml", "--seed", "3",
                                  "--tick-s", "1"],
    "protocol-a-week2-12min": ["--profile", "{golden}/minimal.yaml", "--program", "protocol-a",
                               "--week", "2", "--duration-min", "12",
                               "--runner-start-spm", "150", "--noise", "0", "--no-inputs"],
    "treadmill-keys-seed7": ["--profile", "{profiles}/treadmill.yaml",
                             "--script", "{golden}/keys.yaml", "--seed", "7"],
    "default-stage2-answers": ["--profile", "{profiles}/default.yaml",
                               "--script", "{golden}/answers.yaml", "--seed", "11",
                               "--stage", "2", "--footpod-hz", "1", "--tick-s", "0.25",
                               "--duration-min", "15"],
}


def argv(name: str) -> list[str]:
    return [a.format(profiles=PROFILES, golden=GOLDEN) for a in CASES[name]]


def run_case(name: str) -> str:
    """The case's stdout, from the command module exactly as the CLI wires it."""
    parser = argparse.ArgumentParser(prog="cadence simulate")
    simulate.add_arguments(parser)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = simulate.run(parser.parse_args(argv(name)))
    if code != 0:
        raise RuntimeError(f"{name}: cadence simulate exited {code}")
    return out.getvalue()


def digest(text: str) -> dict[str, object]:
    return {"sha256": hashlib.sha256(text.encode()).hexdigest(),
            "lines": text.count("\n")}


def record() -> None:
    pins = {name: digest(run_case(name)) for name in CASES}
    (GOLDEN / "pins.json").write_text(json.dumps(pins, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    record()
