"""One warning-sign table for the readiness check, the ``r`` menu, scripts, store and summary."""

from __future__ import annotations

import pytest

from cadence.coach.safety_log import safety_log
from cadence.coach.warning_signs import (
    CHECK_SIGNS,
    SESSION_SIGNS,
    WARNING_SIGNS,
    RedFlag,
    label_of,
    parse_sign,
)
from cadence.model.session import EventKind, EventRecord
from cadence.sim.script import KEYS, parse_script


def test_the_check_and_the_menu_are_subsets_of_one_table_with_one_id_each() -> None:
    assert len({s.flag for s in WARNING_SIGNS}) == len(WARNING_SIGNS) == len(RedFlag)
    assert set(CHECK_SIGNS) | set(SESSION_SIGNS) == set(WARNING_SIGNS)
    shared = {s.flag for s in CHECK_SIGNS} & {s.flag for s in SESSION_SIGNS}
    assert {RedFlag.LEG_SYMPTOMS, RedFlag.LEG_WEAKNESS, RedFlag.NIGHT_PAIN,
            RedFlag.RECENT_FALL} <= shared
    assert RedFlag.SEVERE_NOT_EASING in {s.flag for s in CHECK_SIGNS} - shared


@pytest.mark.parametrize("sign", WARNING_SIGNS, ids=lambda s: s.flag.value)
def test_every_stored_id_reads_as_plain_words_in_the_safety_log(sign: object) -> None:
    from cadence.coach.warning_signs import WarningSign

    assert isinstance(sign, WarningSign)
    assert label_of(sign.flag.value) == sign.label != sign.flag.value
    log = safety_log([EventRecord(10.0, EventKind.RED_FLAG, {"flag": sign.flag.value})])
    assert log[0].what == f"Warning sign: {sign.label}"


def test_the_old_readiness_id_of_a_fall_is_the_same_sign() -> None:
    assert parse_sign("fall_or_blow") is parse_sign("recent_fall") is RedFlag.RECENT_FALL
    assert label_of("fall_or_blow") == label_of("recent_fall")


def test_a_script_names_a_sign_by_the_same_id_before_and_during_the_run() -> None:
    script = parse_script("readiness: {pain: 0, warning_signs: [recent_fall, night_pain]}\n"
                          "events:\n  - {at_s: 60, key: recent_fall}\n")
    assert script.readiness is not None
    assert script.readiness.warning_signs == (RedFlag.RECENT_FALL, RedFlag.NIGHT_PAIN)
    assert script.events[0].key == RedFlag.RECENT_FALL.value
    assert {s.flag.value for s in SESSION_SIGNS} <= set(KEYS)
