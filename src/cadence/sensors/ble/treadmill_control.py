"""Setting the belt over FTMS: take control, start, set speed and incline, and cope.

Why it works this way (design.md, "Treadmill control (FTMS), what real
machines do"):

* bleak's public API only, on the treadmill's one connection: the hub owns
  the link and hands each connected ``BleakClient`` in through
  ``SensorHub.watch_client`` (``attach``); tests may also ``connect`` a
  client of their own. After every reconnect control is requested again and
  the wanted state is sent again: a treadmill forgets its controller with the
  link.
* One command at a time (a lock). Each write waits for its indication at most
  ``indication_timeout_s`` (2 s); no answer fails that command and says so.
* "Control Not Permitted" gets exactly one more Request Control; if the
  treadmill refuses that too, cadence stops trying and says so. This also
  covers machines that drop control after a pause.
* The belt is judged by what it reports (``observe``, fed with the
  treadmill's samples), with ``BeltWatch``: a belt that does not follow is
  reported once and never re-sent; a belt moved from the console, or a
  console status saying so, puts the runner in charge until
  ``resume_control``.
* "Stopped or paused by the user" and the safety key become
  ``STOPPED_BY_USER`` events: the session pauses on them.

Interface for the session: ``apply(BeltTarget)``, ``observe(sample)``,
``resume_control()``, ``state``, and the ``events`` queue of
``TreadmillEvent``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable

from bleak import BleakClient
from bleak.exc import BleakError

from cadence.model.sample import Sample, SensorRole
from cadence.model.treadmill import BeltTarget, ControlState, TreadmillEvent, TreadmillEventKind
from cadence.sensors.ble.belt_watch import BeltWatch, BeltWatchRules, Verdict
from cadence.sensors.ble.ftms_link import ControlPointLink, LinkGone, NoAnswer, has_control_point
from cadence.sensors.gatt.ftms_control import (
    ControlOp,
    ControlRequest,
    ControlResponse,
    InclineRange,
    MachineStatus,
    ResultCode,
    SpeedRange,
    StatusOp,
    StopKind,
)

log = logging.getLogger(__name__)

EVENTS_MAXSIZE = 256
_SAME_KMH = 0.05
_WHAT = {
    ControlOp.REQUEST_CONTROL: "take control",
    ControlOp.START_OR_RESUME: "start",
    ControlOp.SET_TARGET_SPEED: "set speed",
    ControlOp.SET_TARGET_INCLINATION: "set incline",
    ControlOp.STOP_OR_PAUSE: "stop",
    ControlOp.RESET: "reset",
}
K = TreadmillEventKind


class TreadmillController:
    """Drives one FTMS treadmill toward the session's ``BeltTarget``.

    Args:
        clock: the session clock for event times and belt judgement (loop time if None).
        indication_timeout_s: a write unanswered this long has failed.
        retry_control_after_s: pause before the one repeated Request Control.
        rules: how the belt is judged (``BeltWatchRules``).
    """

    def __init__(
        self,
        *,
        clock: Callable[[], float] | None = None,
        indication_timeout_s: float = 2.0,
        retry_control_after_s: float = 0.5,
        rules: BeltWatchRules | None = None,
    ) -> None:
        self._clock = clock
        self.indication_timeout_s = indication_timeout_s
        self.retry_control_after_s = retry_control_after_s
        self.events: asyncio.Queue[TreadmillEvent] = asyncio.Queue(EVENTS_MAXSIZE)
        self.state = ControlState.NO_LINK
        self.wanted: BeltTarget | None = None
        self.speed_range: SpeedRange | None = None
        self.incline_range: InclineRange | None = None
        self.watch = BeltWatch(rules)
        self._link: ControlPointLink | None = None
        self._lock = asyncio.Lock()
        self._setup: asyncio.Task[ControlState] | None = None
        self._started = False
        self._ever_controlled = False
        self._sent_incline: float | None = None
        self._speeds_in_flight: set[float] = set()

    # ------------------------------------------------------------------ link

    def now_s(self) -> float:
        return self._clock() if self._clock is not None else asyncio.get_running_loop().time()

    def attach(self, client: BleakClient | None) -> None:
        """``SensorHub.watch_client`` listener: a new connection, or None when it ended."""
        if self._setup is not None and not self._setup.done():
            self._setup.cancel()
        if client is None:
            self._link_ended()
            return
        self._setup = asyncio.get_running_loop().create_task(
            self.connect(client), name="treadmill-control-setup"
        )

    async def connect(self, client: BleakClient) -> ControlState:
        """Subscribe, read the ranges, take control, and send the wanted state again."""
        if self._link is not None:
            self._link.close()
        self._link = None
        self._started = False
        self._sent_incline = None
        if not has_control_point(client):
            self._set(ControlState.UNSUPPORTED)
            self._emit(K.UNSUPPORTED, "This treadmill cannot be controlled over Bluetooth.")
            return self.state
        link = ControlPointLink(client, self.indication_timeout_s, self._on_status)
        try:
            await link.open()
            self._link = link
            self.speed_range, self.incline_range = link.speed_range, link.incline_range
            if self.state in (ControlState.RUNNER_IN_CHARGE, ControlState.REFUSED):
                return self.state  # hands off until the runner asks again
            async with self._lock:
                if not await self._take_control():
                    return self.state
                resumed = self._ever_controlled
                self._ever_controlled = True
                if not resumed:
                    self._emit(K.CONTROL_TAKEN, "cadence is setting the belt speed.")
                wanted = self.wanted  # asked for before control was there, or before the drop
                sent = wanted is not None and await self._send(wanted)
                if resumed:
                    self._emit(
                        K.CONTROL_RESUMED,
                        "Treadmill back: cadence has control again"
                        + (" and set the belt as planned." if sent else "."),
                        target_kmh=wanted.speed_kmh if sent and wanted is not None else None,
                    )
        except (LinkGone, BleakError, TimeoutError) as exc:
            log.info("treadmill control setup ended: %s", exc)
        return self.state

    def _link_ended(self) -> None:
        if self._link is not None:
            self._link.close()
        self._link = None
        self._started = False
        self.watch.forget()
        if self.state in (ControlState.IN_CONTROL, ControlState.TAKING_CONTROL):
            self._set(ControlState.NO_LINK)
            self._emit(
                K.LINK_LOST,
                "Lost the treadmill's connection; cadence sets the belt again once it is back.",
            )

    # --------------------------------------------------------------- commands

    async def apply(self, target: BeltTarget, *, safety: bool = False) -> bool:
        """Make ``target`` the wanted state and send it if cadence is in control.

        Returns True when the treadmill accepted every command. The wanted
        state is kept either way, to be sent after a reconnect.

        ``safety`` (a pain stop, a warning sign, an emergency): sent even when
        the runner has taken the belt over on the console, but only if it
        makes the belt slower or stops it; the runner stays in charge after.
        """
        self.wanted = target
        if self.state is ControlState.RUNNER_IN_CHARGE and safety and self._eases(target):
            async with self._lock:
                try:
                    return await self._send(target)
                except (LinkGone, BleakError):
                    return False
                finally:
                    self.watch.forget()
                    self._set(ControlState.RUNNER_IN_CHARGE)
        if self.state is not ControlState.IN_CONTROL:
            return False
        async with self._lock:
            try:
                return await self._send(target)
            except (LinkGone, BleakError):
                return False

    def _eases(self, target: BeltTarget) -> bool:
        belt = self.watch.belt_kmh
        return not target.moving or (belt is not None and target.speed_kmh < belt)

    async def resume_control(self) -> bool:
        """The runner hands the belt back: take control again and send the wanted state."""
        if self.state is ControlState.IN_CONTROL:
            return True
        if self._link is None or self.state is ControlState.UNSUPPORTED:
            return False
        self._set(ControlState.TAKING_CONTROL)
        async with self._lock:
            try:
                if not await self._take_control():
                    return False
                self._ever_controlled = True
                self._emit(K.CONTROL_TAKEN, "cadence is setting the belt speed again.")
                return self.wanted is None or await self._send(self.wanted)
            except (LinkGone, BleakError):
                return False

    async def _send(self, target: BeltTarget) -> bool:
        """The commands that bring the belt to ``target`` (lock held)."""
        if not target.moving:
            kind = StopKind.PAUSE if target.pause else StopKind.STOP
            if not await self._command(ControlRequest.stop_or_pause(kind)):
                return False
            self._started = False
            self.watch.commanded(self.now_s(), 0.0)
            return True
        if not self._started:
            if not await self._command(ControlRequest.start_or_resume()):
                return False
            self._started = True
        speed = target.speed_kmh
        if self.speed_range is not None:
            speed = self.speed_range.clamp(speed)
        self._speeds_in_flight.add(speed)
        try:
            if not await self._command(ControlRequest.set_target_speed(speed)):
                return False
        finally:
            self._speeds_in_flight.discard(speed)
        self.watch.commanded(self.now_s(), speed)
        self._emit(K.COMMAND_SENT, f"Belt to {speed:.1f} km/h.", target_kmh=speed)
        if target.incline_pct is None:
            return True
        incline = target.incline_pct
        if self.incline_range is not None:
            incline = self.incline_range.clamp(incline)
        if self._sent_incline is not None and abs(incline - self._sent_incline) < 0.05:
            return True
        if not await self._command(ControlRequest.set_target_inclination(incline)):
            return False
        self._sent_incline = incline
        return True

    async def _take_control(self) -> bool:
        """Request Control, and once more if refused; then give up and say so."""
        self._set(ControlState.TAKING_CONTROL)
        for attempt in range(2):
            response = await self._exchange(ControlRequest.request_control())
            if response is None:  # no answer at all: asking again would only wait again
                self._set(ControlState.REFUSED)
                self._emit(
                    K.CONTROL_REFUSED,
                    "The treadmill does not answer control requests: use the console. "
                    "cadence has stopped asking.",
                )
                return False
            if response.ok:
                self._set(ControlState.IN_CONTROL)
                return True
            if response.result != ResultCode.CONTROL_NOT_PERMITTED:
                break
            if attempt == 0:
                await asyncio.sleep(self.retry_control_after_s)
        self._set(ControlState.REFUSED)
        self._emit(
            K.CONTROL_REFUSED,
            "The treadmill won't let cadence set its speed: use the console. "
            "cadence has stopped asking.",
        )
        return False

    async def _command(self, request: ControlRequest) -> bool:
        """Send one command; on "not permitted" take control once more and repeat it once."""
        response = await self._exchange(request)
        if response is not None and response.result == ResultCode.CONTROL_NOT_PERMITTED:
            self._emit(K.CONTROL_LOST, "The treadmill dropped cadence's control; asking again.")
            if not await self._take_control():
                return False
            response = await self._exchange(request)
            if response is not None and response.result == ResultCode.CONTROL_NOT_PERMITTED:
                self._set(ControlState.REFUSED)
                self._emit(
                    K.CONTROL_REFUSED,
                    "The treadmill keeps refusing cadence's commands: use the console. "
                    "cadence has stopped asking.",
                )
                return False
        return self._judge(request, response)

    def _judge(self, request: ControlRequest, response: ControlResponse | None) -> bool:
        if response is None:
            return False
        if not response.ok:
            self._emit(
                K.COMMAND_FAILED,
                f"The treadmill refused '{_WHAT[request.op]}' ({response.result_name}).",
                target_kmh=request.speed_kmh,
            )
            return False
        return True

    async def _exchange(self, request: ControlRequest) -> ControlResponse | None:
        """Write ``request`` and wait for its answer; None (and an event) if none came."""
        if self._link is None:
            raise LinkGone("not connected")
        try:
            return await self._link.exchange(request)
        except NoAnswer:
            self._emit(
                K.COMMAND_FAILED,
                f"The treadmill did not answer '{_WHAT[request.op]}' within "
                f"{self.indication_timeout_s:g} s.",
                target_kmh=request.speed_kmh,
            )
            return None

    # ---------------------------------------------------------- from the belt

    def _on_status(self, status: MachineStatus) -> None:
        if status.stopped_by_user:
            self._started = False
            self.watch.forget()
            what = "The safety key was pulled" if status.safety_key else "Stopped on the console"
            self._emit(
                K.STOPPED_BY_USER, f"{what}: the session pauses.", safety_key=status.safety_key
            )
        elif status.op == StatusOp.STARTED_OR_RESUMED_BY_USER:
            self._started = True
            self._emit(K.STARTED_BY_USER, "Started on the console.")
        elif status.op == StatusOp.CONTROL_PERMISSION_LOST:
            if self.state is ControlState.IN_CONTROL:
                self._emit(K.CONTROL_LOST, "The treadmill withdrew cadence's control.")
        elif status.op == StatusOp.TARGET_SPEED_CHANGED and status.speed_kmh is not None:
            ours = {*self._speeds_in_flight}
            if self.watch.target_kmh is not None:
                ours.add(self.watch.target_kmh)
            if self.state is ControlState.IN_CONTROL and all(
                abs(status.speed_kmh - s) > _SAME_KMH for s in ours
            ):
                self._runner_took_over(status.speed_kmh)

    def observe(self, sample: Sample) -> None:
        """A treadmill sample from the hub: judge the belt against the target."""
        if sample.role is SensorRole.TREADMILL and sample.speed_mps is not None:
            self.observe_speed(sample.speed_mps * 3.6)

    def observe_speed(self, belt_kmh: float) -> None:
        if self.state is not ControlState.IN_CONTROL:
            self.watch.belt_kmh = belt_kmh
            return
        verdict = self.watch.reading(self.now_s(), belt_kmh, command_in_flight=self._lock.locked())
        target = self.watch.target_kmh
        if verdict is Verdict.ARRIVED:
            after = self.watch.arrived_after_s or 0.0
            self._emit(
                K.BELT_AT_TARGET,
                f"Belt at {belt_kmh:.1f} km/h after {after:.1f} s.",
                target_kmh=target,
                belt_kmh=belt_kmh,
            )
        elif verdict is Verdict.NOT_FOLLOWING:
            self._emit(
                K.BELT_NOT_FOLLOWING,
                f"The belt is at {belt_kmh:.1f} km/h, not the {target or 0.0:.1f} km/h cadence "
                "asked for: set it on the console if you want it.",
                target_kmh=target,
                belt_kmh=belt_kmh,
            )
        elif verdict is Verdict.MOVED_BY_OTHERS:
            self._runner_took_over(belt_kmh)

    def _runner_took_over(self, belt_kmh: float) -> None:
        self.watch.forget()
        self._set(ControlState.RUNNER_IN_CHARGE)
        self._emit(
            K.RUNNER_TOOK_OVER,
            f"The belt went to {belt_kmh:.1f} km/h without cadence asking: the speed is "
            "yours until you hand it back.",
            belt_kmh=belt_kmh,
        )

    # ----------------------------------------------------------------- helpers

    def _set(self, state: ControlState) -> None:
        self.state = state

    def _emit(
        self,
        kind: TreadmillEventKind,
        message: str,
        *,
        target_kmh: float | None = None,
        belt_kmh: float | None = None,
        safety_key: bool = False,
    ) -> None:
        event = TreadmillEvent(self.now_s(), kind, message, target_kmh, belt_kmh, safety_key)
        if self.events.full():
            self.events.get_nowait()
        self.events.put_nowait(event)

    async def close(self) -> None:
        """Stop the setup task; the connection belongs to whoever made it."""
        if self._setup is not None:
            self._setup.cancel()
            with contextlib.suppress(BaseException):
                await self._setup
