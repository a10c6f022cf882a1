"""``cadence simulate`` prints exactly the pinned output for a few seeds, scripts and profiles.

Why: the command's wiring may change (it runs on ``LiveSession`` now), its
output for a given seed must not. The pins were recorded before the move.
"""

from __future__ import annotations

import json

import pytest

from sim.golden_cases import CASES, GOLDEN, digest, run_case

PINS = json.loads((GOLDEN / "pins.json").read_text(encoding="utf-8"))


def test_every_case_is_pinned() -> None:
    assert sorted(PINS) == sorted(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_output_matches_the_pin(name: str) -> None:
    assert digest(run_case(name)) == PINS[name]
