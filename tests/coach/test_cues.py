"""Cue etiquette (spacing, rotation, prompts) and the cue texts themselves."""

from __future__ import annotations

import re

import pytest

from cadence.coach.actions import CueKind
from cadence.coach.cue_library import (
    FORM_CUES,
    PHASE_CUES,
    SAFETY_CUES,
    SPOKEN_CUES,
    wordings,
)
from cadence.coach.cues import MILE_M, CueRotor, CueScheduler, FormTimers


def test_rotation_cycles_through_every_wording() -> None:
    rotor = CueRotor()
    said = [rotor.cue("land_under", CueKind.FORM).sound_id for _ in range(6)]
    ids = [c.sound_id for c in FORM_CUES["land_under"]]
    assert said == ids + ids
    assert len(set(ids)) == 3


def test_optional_cues_are_spaced_by_the_minimum_gap() -> None:
    s = CueScheduler(min_gap_s=60.0)
    assert s.optional(0.0, "arms", CueKind.FORM, prompt_open=False) is not None
    assert s.optional(59.9, "arms", CueKind.FORM, prompt_open=False) is None
    assert s.optional(60.0, "arms", CueKind.FORM, prompt_open=False) is not None


def test_phase_and_safety_lines_always_go_and_reset_the_gap() -> None:
    s = CueScheduler(min_gap_s=60.0)
    s.optional(0.0, "arms", CueKind.FORM, prompt_open=False)
    cue = s.required(10.0, "pain_stop", CueKind.SAFETY)
    assert cue.sound_id == "pain_stop" and cue.kind is CueKind.SAFETY
    assert s.optional(65.0, "arms", CueKind.FORM, prompt_open=False) is None
    assert s.optional(70.0, "arms", CueKind.FORM, prompt_open=False) is not None


def test_no_optional_cue_while_a_pain_prompt_is_open() -> None:
    s = CueScheduler(min_gap_s=60.0)
    assert s.optional(500.0, "arms", CueKind.FORM, prompt_open=True) is None
    assert s.count_by_topic == {}


def test_form_timer_on_session_time_drill_on_running_time() -> None:
    t = FormTimers(600.0, 600.0, by_distance=False)
    t.advance(599.0, None)
    t.count_session(599.0)
    assert not t.form_due and not t.drill_due
    t.advance(1.0, None)
    t.count_session(1.0)
    assert t.form_due and t.drill_due
    t.form_said()
    t.drill_said()
    t.advance(300.0, None)
    t.count_session(300.0)
    assert not t.form_due
    # walk breaks count for the form check (issue 11), not for the drill
    walk = FormTimers(600.0, 600.0, by_distance=False)
    walk.advance(300.0, None)
    walk.count_session(600.0)
    assert walk.form_due and not walk.drill_due


def test_drill_every_mile_outdoors_and_by_time_without_distance() -> None:
    t = FormTimers(600.0, 600.0, by_distance=True)
    t.advance(300.0, MILE_M + 1)
    assert t.drill_due and not t.form_due
    treadmill = FormTimers(600.0, 600.0, by_distance=False)
    treadmill.advance(300.0, MILE_M + 1)  # treadmill distance does not count: every 10 min
    assert not treadmill.drill_due


def test_every_spoken_id_is_unique_and_a_file_stem() -> None:
    ids = [c.sound_id for table in (FORM_CUES, PHASE_CUES, SAFETY_CUES)
           for ws in table.values() for c in ws]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[a-z0-9_]+", i) for i in SPOKEN_CUES)
    for required in ("cue_run_tall", "phase_run", "phase_walk", "phase_cooldown",
                     "phase_warmup", "pain_stop", "red_flag_stop", "emergency_stop"):
        assert required in SPOKEN_CUES


def test_form_topics_cover_the_facts_file() -> None:
    for topic in ("run_tall", "lean", "land_under", "arms", "eyes_ahead", "ribs_down",
                  "glutes", "downhill", "late_run", "treadmill_incline"):
        assert topic in FORM_CUES
    # several wordings for the cues that repeat during a run
    for topic in ("run_tall", "form_check", "cadence_low", "land_under"):
        assert len(FORM_CUES[topic]) >= 2


def test_safety_texts_never_push_through_pain_or_diagnose() -> None:
    for ws in SAFETY_CUES.values():
        for c in ws:
            low = c.text.lower()
            assert "push through" not in low and "keep going" not in low
            for word in ("diagnos", "you have", "sciatica", "hernia", "cauda"):
                assert word not in low, (c.sound_id, word)


def test_emergency_wording_is_urgent_and_distinct() -> None:
    text = SAFETY_CUES["emergency_stop"][0].text.lower()
    assert "emergency" in text and ("now" in text or "right away" in text)
    assert "groin" in text and "bladder" in text
    red = SAFETY_CUES["red_flag_stop"][0].text.lower()
    assert "physiotherapist" in red and "doctor" in red and "stop" in red
    assert text != red


def test_wordings_lookup() -> None:
    assert wordings("walk") == PHASE_CUES["walk"]
    with pytest.raises(KeyError):
        wordings("no_such_topic")
