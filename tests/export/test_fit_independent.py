"""FIT round trips through fitdecode, a decoder the project did not write (issue 13).

What platforms recompute from the records must match what the file says:
laps cover the session exactly, lap figures come from the records inside each
lap with paused seconds left out, timestamps never go back, and the developer
fields and the workout decode with their names and units.
"""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings

from cadence.export.common import wall_origin
from cadence.export.fit import CADENCE_RESOLUTION_SPM, encode_fit, steps_from_strides
from cadence.model.session import SessionData

from .conftest import DURATION_S, ROUNDS
from .demo_like import (
    AFTER_DONE_S,
    STRADDLING_PAUSE,
    UTC_OFFSET_S,
    demo_like_session,
)
from .fitdecode_reader import IndependentFit, Message, read_fit
from .strategies import sessions


@pytest.fixture(scope="module")
def data() -> SessionData:
    return demo_like_session()


@pytest.fixture(scope="module")
def fit(data: SessionData) -> IndependentFit:
    return read_fit(encode_fit(data))


def _records_in(fit: IndependentFit, lap: Message, last: bool) -> list[Message]:
    start, end = lap.values["start_time"], lap.values["timestamp"]
    return [r for r in fit.of("record")
            if start <= r.values["timestamp"] < end or (last and r.values["timestamp"] == end)]


def test_laps_cover_the_session_exactly_with_no_stub_lap(
    fit: IndependentFit, data: SessionData
) -> None:
    laps = fit.of("lap")
    session = fit.of("session")[0].values
    assert len(laps) == 2 + 2 * ROUNDS  # warm-up, the rounds, cool-down: no extra lap
    assert laps[0].values["start_time"] == session["start_time"] == wall_origin(data)
    assert laps[-1].values["timestamp"] == session["timestamp"]
    for before, after in itertools.pairwise(laps):
        assert after.values["start_time"] == before.values["timestamp"]
    assert min(lap.values["total_elapsed_time"] for lap in laps) >= 60.0
    assert sum(lap.values["total_elapsed_time"] for lap in laps) == pytest.approx(
        session["total_elapsed_time"])
    # the seconds after the coach's "done" are in the last lap, and recorded
    last_record = fit.of("record")[-1].values["timestamp"]
    assert last_record == wall_origin(data) + timedelta(seconds=DURATION_S)
    # the cool-down runs to the end of the session, not to the coach's "done"
    assert laps[-1].values["total_elapsed_time"] == pytest.approx(300.0)
    assert AFTER_DONE_S > 0


def test_every_record_is_inside_a_lap(fit: IndependentFit) -> None:
    laps = fit.of("lap")
    counted = sum(len(_records_in(fit, lap, k == len(laps) - 1)) for k, lap in enumerate(laps))
    assert counted == len(fit.of("record"))


def test_timestamps_never_go_back(fit: IndependentFit) -> None:
    stamps: list[datetime] = [m.values["timestamp"] for m in fit.messages
                              if isinstance(m.values.get("timestamp"), datetime)]
    assert stamps == sorted(stamps)


def test_lap_figures_are_what_the_records_inside_say(fit: IndependentFit) -> None:
    laps = fit.of("lap")
    for k, lap in enumerate(laps):
        records = _records_in(fit, lap, k == len(laps) - 1)
        hrs = [r.values["heart_rate"] for r in records if r.values.get("heart_rate")]
        cad = [steps_from_strides(r.values["cadence"], r.values.get("fractional_cadence"))
               for r in records if r.values.get("cadence")]
        assert lap.values["avg_heart_rate"] == round(sum(hrs) / len(hrs))
        assert lap.values["max_heart_rate"] == max(hrs)
        avg = steps_from_strides(lap.values["avg_running_cadence"],
                                 lap.values.get("avg_fractional_cadence"))
        assert avg == pytest.approx(sum(cad) / len(cad), abs=2 * CADENCE_RESOLUTION_SPM)


def test_paused_seconds_have_no_records_and_stop_the_timer(fit: IndependentFit,
                                                          data: SessionData) -> None:
    a, b = STRADDLING_PAUSE
    origin = wall_origin(data)
    inside = [r for r in fit.of("record")
              if origin + timedelta(seconds=a) < r.values["timestamp"]
              < origin + timedelta(seconds=b)]
    assert inside == []
    timers = [(e.values["event_type"], e.values["timestamp"]) for e in fit.of("event")
              if e.values["event"] == "timer"]
    assert ("stop_all", origin + timedelta(seconds=int(a))) in timers
    assert ("start", origin + timedelta(seconds=int(b))) in timers


def test_developer_fields_decode_with_names_and_units(fit: IndependentFit) -> None:
    descriptions = {m.values["field_name"]: m.values.get("units") for m in
                    fit.of("field_description")}
    assert descriptions["target_tempo"] == "spm"
    assert "metronome_on" in descriptions and "pain_rating" in descriptions
    records = fit.of("record")
    running = [r for r in records if r.developer.get("metronome_on") == 1]
    walking = [r for r in records if r.developer.get("metronome_on") == 0]
    assert running and walking
    assert all(168.0 < r.developer["target_tempo"] <= 168.0 + ROUNDS for r in running)
    assert all("target_tempo" not in r.developer for r in walking)
    assert running[0].units["target_tempo"] == "spm"


def test_pain_warning_signs_and_phases_are_events(fit: IndependentFit) -> None:
    events = fit.of("event")
    pain = [e for e in events if "pain_rating" in e.developer]
    assert [e.developer["pain_rating"] for e in pain] == [1 + k % 2 for k in range(1, ROUNDS + 1)]
    assert all(e.developer["coach_note"].startswith("pain ") for e in pain)
    assert any("warning sign" in e.developer.get("coach_note", "") for e in events)
    steps = [e for e in events if e.values["event"] == "workout_step"]
    assert [e.values["data"] for e in steps] == list(range(2 + 2 * ROUNDS))


def test_the_workout_has_a_step_per_lap_with_cadence_targets(fit: IndependentFit,
                                                             data: SessionData) -> None:
    workout = fit.of("workout")[0].values
    steps = fit.of("workout_step")
    laps = fit.of("lap")
    assert workout["num_valid_steps"] == len(steps) == len(laps)
    assert workout["wkt_name"] == "run-walk-beginner week 2"
    assert [lap.values["wkt_step_index"] for lap in laps] == list(range(len(laps)))
    runs = [s for s in steps if s.values["intensity"] == "active"]
    assert len(runs) == ROUNDS
    for step in runs:
        assert step.values["target_type"] == "cadence"
        assert step.values["custom_target_cadence_low"] == data.info.band_low_spm / 2
        assert step.values["custom_target_cadence_high"] == data.info.band_high_spm / 2
        assert step.values["duration_time"] == 90.0
    walks = [s for s in steps if s.values["intensity"] == "recovery"]
    assert all(s.values["target_type"] == "open" for s in walks)


def test_a_device_info_per_sensor_and_a_file_creator(fit: IndependentFit) -> None:
    devices = fit.of("device_info")
    assert devices[0].values["device_index"] == "creator"
    sensors = {d.values["descriptor"]: d.values for d in devices[1:]}
    assert set(sensors) == {"pod-1", "strap", "belt"}
    assert sensors["pod-1"]["product_name"] == "Stryd Next"
    assert sensors["pod-1"]["serial_number"] == 12345
    assert sensors["pod-1"]["ble_device_type"] == "footpod"
    assert sensors["strap"]["ble_device_type"] == "heart_rate"
    assert all(d["source_type"] == "bluetooth_low_energy" for d in sensors.values())
    assert fit.of("file_creator")[0].values["software_version"] == 1


def test_totals_strides_step_length_and_calories(fit: IndependentFit) -> None:
    laps = fit.of("lap")
    session = fit.of("session")[0].values
    assert sum(lap.values["total_strides"] for lap in laps) == pytest.approx(
        session["total_strides"], abs=len(laps))
    for lap in laps:
        records = _records_in(fit, lap, lap is laps[-1])
        strides = sum(steps_from_strides(r.values["cadence"], r.values.get("fractional_cadence"))
                      for r in records if r.values.get("cadence")) / 120.0
        assert lap.values["total_strides"] == pytest.approx(strides, rel=0.03, abs=2)
        steps = 2 * lap.values["total_strides"]
        assert lap.values["avg_step_length"] == pytest.approx(
            lap.values["total_distance"] / steps * 1000.0, rel=0.02)  # strides are rounded
    assert 0.6 < session["avg_step_length"] / 1000.0 < 1.2
    # ~30 minutes of walking and easy running at 70 kg: a few hundred kcal
    assert 150 < session["total_calories"] < 400
    assert sum(lap.values["total_calories"] for lap in laps) == pytest.approx(
        session["total_calories"], abs=len(laps))


def test_local_timestamp_uses_the_recorded_offset(fit: IndependentFit) -> None:
    activity = fit.of("activity")[0].values
    stop = activity["timestamp"]
    fit_epoch = datetime(1989, 12, 31, tzinfo=stop.tzinfo)
    local = activity["local_timestamp"]
    seconds = local if isinstance(local, int) else int((local - fit_epoch).total_seconds())
    assert seconds == int((stop - fit_epoch).total_seconds()) + UTC_OFFSET_S


def test_garmins_sdk_reads_it_too(data: SessionData) -> None:
    from .decode import decode_fit

    decoded = decode_fit(encode_fit(data))
    assert decoded.is_fit and decoded.integrity_ok and decoded.errors == []
    assert len(decoded.mesgs("workout_step")) == len(decoded.mesgs("lap"))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=sessions())
def test_property_laps_cover_any_session_and_time_never_goes_back(data: SessionData) -> None:
    fit = read_fit(encode_fit(data))
    laps = fit.of("lap")
    session = fit.of("session")[0].values
    assert laps[0].values["start_time"] == session["start_time"]
    assert laps[-1].values["timestamp"] == session["timestamp"]
    for before, after in itertools.pairwise(laps):
        assert after.values["start_time"] == before.values["timestamp"]
    stamps = [m.values["timestamp"] for m in fit.messages
              if isinstance(m.values.get("timestamp"), datetime)]
    assert stamps == sorted(stamps)
    counted = sum(len(_records_in(fit, lap, k == len(laps) - 1)) for k, lap in enumerate(laps))
    assert counted == len(fit.of("record"))
