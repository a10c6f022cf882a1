"""FTMS control end to end: the production controller and hub (bleak) against the
virtual treadmill on Bumble, for every control-point path and every refusal
real machines are reported to make (design.md, "Treadmill control").

The belt ramps at 4 km/h per s here to keep the suite short; one test uses the
realistic 0.5 km/h per s. Timeouts are generous functional limits.
"""

from __future__ import annotations

import asyncio

import pytest

from cadence.model.sample import SensorRole
from cadence.model.treadmill import BeltTarget, ControlState, TreadmillEventKind
from cadence.sensors.ble.treadmill_control import TreadmillController
from cadence.sensors.gatt.ftms_control import ControlOp, StopKind
from support.ble_bed import Bench, config
from support.treadmill_bed import BELT, TreadmillBed, make_bed

pytestmark = pytest.mark.ble
K = TreadmillEventKind


@pytest.fixture
async def bed(bench: Bench) -> TreadmillBed:
    b = await make_bed(bench)
    await b.in_control()
    return b


def speeds_sent(bed: TreadmillBed) -> list[float]:
    return [
        r.speed_kmh or 0.0
        for _t, r in bed.treadmill.log.requests
        if r.op is ControlOp.SET_TARGET_SPEED
    ]


async def test_take_control_start_speed_and_incline(bed: TreadmillBed) -> None:
    assert await bed.controller.apply(BeltTarget(9.0, incline_pct=1.0))
    assert bed.ops() == [
        ControlOp.REQUEST_CONTROL,
        ControlOp.START_OR_RESUME,
        ControlOp.SET_TARGET_SPEED,
        ControlOp.SET_TARGET_INCLINATION,
    ]
    arrived = await bed.event(K.BELT_AT_TARGET)
    assert arrived.target_kmh == pytest.approx(9.0)
    assert bed.treadmill.belt.running and bed.treadmill.belt.target_speed_kmh == 9.0
    await bed.until(lambda: abs(bed.treadmill.advance().incline_pct - 1.0) < 1e-9)
    # the next switch: only the speed (the incline is kept, not re-sent)
    assert await bed.controller.apply(BeltTarget(5.0, incline_pct=1.0))
    assert bed.ops()[4:] == [ControlOp.SET_TARGET_SPEED]
    await bed.event(K.BELT_AT_TARGET)
    await bed.until(lambda: abs((bed.samples[-1].speed_mps or 0) * 3.6 - 5.0) < 0.01)


async def test_targets_are_clamped_to_the_supported_ranges(bed: TreadmillBed) -> None:
    # the virtual treadmill supports 1-20 km/h in 0.1 steps and -3..15 % in 0.5 steps
    assert bed.controller.speed_range is not None and bed.controller.speed_range.max_kmh == 20.0
    assert await bed.controller.apply(BeltTarget(25.0, incline_pct=30.0))
    assert bed.treadmill.belt.target_speed_kmh == 20.0
    assert bed.treadmill.belt.target_incline_pct == 15.0
    assert await bed.controller.apply(BeltTarget(0.4, incline_pct=1.2))
    assert bed.treadmill.belt.target_speed_kmh == 1.0
    assert bed.treadmill.belt.target_incline_pct == 1.0
    assert all(resp.ok for resp in bed.treadmill.log.responses)


async def test_a_write_with_no_indication_fails_within_2_s_and_is_not_retried(
    bed: TreadmillBed,
) -> None:
    bed.treadmill.faults.no_indication = True
    loop = asyncio.get_running_loop()
    t0 = loop.time()
    assert not await bed.controller.apply(BeltTarget(9.0))
    took_s = loop.time() - t0
    assert 1.9 <= took_s < 3.0
    failed = await bed.event(K.COMMAND_FAILED)
    assert "did not answer 'start' within 2 s" in failed.message
    await asyncio.sleep(0.5)
    assert bed.ops().count(ControlOp.START_OR_RESUME) == 1
    assert bed.controller.state is ControlState.IN_CONTROL  # the next switch tries again


async def test_control_not_permitted_asks_again_once_and_carries_on(bed: TreadmillBed) -> None:
    assert await bed.controller.apply(BeltTarget(6.0))
    bed.treadmill.revoke_control()  # the machine forgot who controls it
    assert await bed.controller.apply(BeltTarget(8.0))
    assert bed.ops()[3:] == [
        ControlOp.SET_TARGET_SPEED,  # answered "control not permitted"
        ControlOp.REQUEST_CONTROL,
        ControlOp.SET_TARGET_SPEED,
    ]
    assert bed.treadmill.belt.target_speed_kmh == 8.0
    assert K.CONTROL_LOST in bed.kinds()


async def test_control_refused_twice_gives_up_and_says_so(bench: Bench) -> None:
    bed = await make_bed(bench, start=False)
    bed.treadmill.faults.deny_control = True
    await bed.hub.start()
    refused = await bed.event(K.CONTROL_REFUSED)
    assert "use the console" in refused.message
    assert bed.ops() == [ControlOp.REQUEST_CONTROL, ControlOp.REQUEST_CONTROL]
    assert bed.controller.state is ControlState.REFUSED
    assert not await bed.controller.apply(BeltTarget(9.0))
    await asyncio.sleep(0.5)
    assert len(bed.ops()) == 2  # nothing more was asked


async def test_control_lost_after_a_pause_is_taken_back_on_resume(bed: TreadmillBed) -> None:
    bed.treadmill.faults.lose_control_on_pause = True
    assert await bed.controller.apply(BeltTarget(8.0, incline_pct=1.0))
    assert await bed.controller.apply(BeltTarget(8.0, pause=True))
    assert not bed.treadmill.in_control
    await bed.until(lambda: bed.treadmill.advance().speed_kmh == 0.0)
    assert await bed.controller.apply(BeltTarget(8.0, incline_pct=1.0))
    stop = [r for _t, r in bed.treadmill.log.requests if r.op is ControlOp.STOP_OR_PAUSE]
    assert stop[0].stop is StopKind.PAUSE
    assert bed.ops()[5:] == [
        ControlOp.START_OR_RESUME,  # not permitted
        ControlOp.REQUEST_CONTROL,
        ControlOp.START_OR_RESUME,
        ControlOp.SET_TARGET_SPEED,
    ]
    await bed.event(K.BELT_AT_TARGET)
    assert bed.treadmill.advance().running


async def test_firmware_that_ignores_speed_writes_is_reported_once_not_retried(
    bed: TreadmillBed,
) -> None:
    assert await bed.controller.apply(BeltTarget(5.0))
    await bed.event(K.BELT_AT_TARGET)
    bed.treadmill.faults.speed_writes_ignored = True
    assert await bed.controller.apply(BeltTarget(9.0))  # "success", and nothing happens
    stuck = await bed.event(K.BELT_NOT_FOLLOWING, timeout_s=8.0)
    assert stuck.target_kmh == 9.0 and stuck.belt_kmh == pytest.approx(5.0)
    assert "not the 9.0 km/h" in stuck.message
    await asyncio.sleep(2.0)
    assert speeds_sent(bed) == [5.0, 9.0]
    assert bed.kinds().count(K.BELT_NOT_FOLLOWING) == 0  # reported once (taken above)


async def test_speed_write_answered_operation_failed(bed: TreadmillBed) -> None:
    bed.treadmill.faults.speed_writes_fail = True
    assert not await bed.controller.apply(BeltTarget(9.0))
    failed = await bed.event(K.COMMAND_FAILED)
    assert "refused 'set speed' (operation failed)" in failed.message
    assert speeds_sent(bed) == [9.0]


async def test_console_speed_button_hands_the_belt_to_the_runner(bed: TreadmillBed) -> None:
    assert await bed.controller.apply(BeltTarget(9.0))
    await bed.event(K.BELT_AT_TARGET)
    await bed.treadmill.press_speed(7.5)  # with a Target Speed Changed status
    took = await bed.event(K.RUNNER_TOOK_OVER)
    assert took.belt_kmh == pytest.approx(7.5)
    assert bed.controller.state is ControlState.RUNNER_IN_CHARGE
    n = len(bed.ops())
    assert not await bed.controller.apply(BeltTarget(5.0))  # the next switch: hands off
    assert len(bed.ops()) == n and bed.treadmill.belt.target_speed_kmh == 7.5
    assert await bed.controller.resume_control()  # asked again: the wanted state is sent
    assert bed.treadmill.belt.target_speed_kmh == 5.0
    assert bed.controller.state is ControlState.IN_CONTROL


async def test_console_change_without_a_status_is_seen_in_the_belt_speed(
    bed: TreadmillBed,
) -> None:
    bed.treadmill.faults.announce_console = False
    assert await bed.controller.apply(BeltTarget(8.0))
    await bed.event(K.BELT_AT_TARGET)
    await bed.treadmill.press_speed(10.0)
    took = await bed.event(K.RUNNER_TOOK_OVER)
    assert took.belt_kmh is not None and took.belt_kmh > 8.3
    assert speeds_sent(bed) == [8.0]  # cadence did not fight the runner


async def test_machine_that_reverts_after_3_s_is_reported_not_fought(bed: TreadmillBed) -> None:
    bed.treadmill.faults.revert_after_s = 3.0
    assert await bed.controller.apply(BeltTarget(5.0))
    await bed.event(K.BELT_AT_TARGET)
    assert await bed.controller.apply(BeltTarget(8.0))
    await bed.event(K.BELT_AT_TARGET)
    await bed.event(K.RUNNER_TOOK_OVER, timeout_s=6.0)  # the speed went back by itself
    await asyncio.sleep(1.0)
    assert speeds_sent(bed) == [5.0, 8.0]


@pytest.mark.parametrize("safety_key", [False, True])
async def test_stopped_by_user_is_an_event_the_session_can_pause_on(
    bed: TreadmillBed, safety_key: bool
) -> None:
    assert await bed.controller.apply(BeltTarget(8.0))
    if safety_key:
        await bed.treadmill.pull_safety_key()
    else:
        await bed.treadmill.press_stop()
    stopped = await bed.event(K.STOPPED_BY_USER)
    assert stopped.safety_key is safety_key
    assert ("safety key" in stopped.message) is safety_key
    assert "pauses" in stopped.message
    await bed.until(lambda: bed.treadmill.advance().speed_kmh == 0.0)
    await asyncio.sleep(0.5)
    assert K.RUNNER_TOOK_OVER not in bed.kinds()  # a stop is not a speed takeover
    assert await bed.controller.apply(BeltTarget(8.0))  # the session resumes: start again
    assert bed.ops()[-2:] == [ControlOp.START_OR_RESUME, ControlOp.SET_TARGET_SPEED]


async def test_emergency_stop_slows_the_belt_to_a_standstill(bed: TreadmillBed) -> None:
    assert await bed.controller.apply(BeltTarget(9.0))
    await bed.event(K.BELT_AT_TARGET)
    assert await bed.controller.apply(BeltTarget(0.0, stop=True))
    stop = [r for _t, r in bed.treadmill.log.requests if r.op is ControlOp.STOP_OR_PAUSE]
    assert stop[-1].stop is StopKind.STOP
    await bed.event(K.BELT_AT_TARGET)
    await bed.until(lambda: bed.treadmill.advance().speed_kmh == 0.0, timeout_s=2.0)


async def test_link_drop_mid_command_resumes_control_and_resends_the_state(
    bed: TreadmillBed,
) -> None:
    assert await bed.controller.apply(BeltTarget(5.0, incline_pct=1.0))
    bed.treadmill.faults.no_indication = True  # the command below is never answered...
    loop = asyncio.get_running_loop()
    t0 = loop.time()
    pending = asyncio.create_task(bed.controller.apply(BeltTarget(9.0, incline_pct=2.0)))
    await bed.until(lambda: speeds_sent(bed)[-1:] == [9.0])
    bed.treadmill.faults.no_indication = False
    bed.treadmill.belt.target_speed_kmh = 5.0  # ...and lost with the link
    await bed.treadmill.drop_connections()
    assert not await pending
    assert loop.time() - t0 < 1.9  # the drop ended it, not the 2 s timeout
    await bed.event(K.LINK_LOST)
    resumed = await bed.event(K.CONTROL_RESUMED, timeout_s=15.0)
    assert resumed.target_kmh == 9.0
    assert bed.controller.state is ControlState.IN_CONTROL
    after_drop = bed.ops()[-4:]
    assert after_drop == [
        ControlOp.REQUEST_CONTROL,
        ControlOp.START_OR_RESUME,
        ControlOp.SET_TARGET_SPEED,
        ControlOp.SET_TARGET_INCLINATION,
    ]
    assert bed.treadmill.belt.target_speed_kmh == 9.0
    assert bed.treadmill.belt.target_incline_pct == 2.0


async def test_treadmill_without_a_control_point_is_left_alone(bench: Bench) -> None:
    plain = await bench.sensor(BELT, "Plain Belt", [SensorRole.TREADMILL])
    bench.stream(plain, SensorRole.TREADMILL, lambda _s: b"\x00\x00\x84\x03")
    controller = TreadmillController()
    hub = bench.hub([config(SensorRole.TREADMILL, BELT)])
    hub.watch_client(SensorRole.TREADMILL, controller.attach)
    await hub.start()
    async with asyncio.timeout(10):
        event = await controller.events.get()
    assert event.kind is K.UNSUPPORTED and controller.state is ControlState.UNSUPPORTED
    assert not await controller.apply(BeltTarget(9.0))


def arrived_after(bed: TreadmillBed) -> float:
    arrived = bed.controller.watch.arrived_after_s
    assert arrived is not None
    return float(arrived)


@pytest.mark.slow
async def test_realistic_ramp_half_a_km_h_per_second(bench: Bench) -> None:
    bed = await make_bed(bench, accel_kmh_per_s=0.5)
    await bed.in_control()
    assert await bed.controller.apply(BeltTarget(5.0))
    first = await bed.event(K.BELT_AT_TARGET, timeout_s=20.0)
    # "at target" is within tolerance_kmh (0.3): 0 -> 4.7 km/h at 0.5 km/h/s is 9.4 s, then up
    # to one notification period before the belt's report is seen
    assert 9.4 - 0.2 <= arrived_after(bed) <= 10.0 + 0.6  # 0 -> 5
    assert first.target_kmh == 5.0
    assert await bed.controller.apply(BeltTarget(9.0))
    await bed.event(K.BELT_AT_TARGET, timeout_s=20.0)
    assert 7.4 - 0.2 <= arrived_after(bed) <= 8.0 + 0.6  # 5 -> 9 (8.7 km/h after 7.4 s)
    assert K.BELT_NOT_FOLLOWING not in bed.kinds()


async def test_a_target_asked_for_before_control_is_sent_once_control_is_taken(
    bench: Bench,
) -> None:
    bed = await make_bed(bench, start=False)
    assert not await bed.controller.apply(BeltTarget(6.0, incline_pct=1.0))  # no link yet
    await bed.hub.start()
    await bed.in_control()
    await bed.event(K.BELT_AT_TARGET)
    assert bed.ops() == [
        ControlOp.REQUEST_CONTROL,
        ControlOp.START_OR_RESUME,
        ControlOp.SET_TARGET_SPEED,
        ControlOp.SET_TARGET_INCLINATION,
    ]


async def test_a_safety_slow_down_reaches_the_belt_even_when_the_runner_holds_it(
    bed: TreadmillBed,
) -> None:
    assert await bed.controller.apply(BeltTarget(8.0))
    await bed.event(K.BELT_AT_TARGET)
    await bed.treadmill.press_speed(10.0)
    await bed.event(K.RUNNER_TOOK_OVER)
    await bed.until(lambda: bed.treadmill.advance().speed_kmh == 10.0)
    await asyncio.sleep(0.3)  # a reading at 10 reaches the controller
    assert not await bed.controller.apply(BeltTarget(12.0), safety=True)  # never faster
    assert bed.treadmill.belt.target_speed_kmh == 10.0
    assert await bed.controller.apply(BeltTarget(5.0), safety=True)  # a pain stop: walk
    assert bed.treadmill.belt.target_speed_kmh == 5.0
    assert bed.controller.state is ControlState.RUNNER_IN_CHARGE
    assert not await bed.controller.apply(BeltTarget(9.0))  # and the plan stays hands off
