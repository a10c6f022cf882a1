"""The belt's side of a live session: the plan's commands out, the treadmill's events in.

Why apart from ``LiveSession``: treadmill control is opt-in and has its own
small life (commands sent in the background, events to record and show, the
runner's two belt keys), and the session's tick must stay the same with it
off. The pure policy (``cadence.coach.treadmill_plan``) decides what the belt
should do from each tick's coach actions; the controller (FTMS over bleak,
or the simulated belt of ``cadence simulate``) carries it out; this module
joins them:

* each ``BeltCommand`` is handed to the controller at once, as a task on the
  session's loop (the tick itself never waits on the radio); tasks run in
  order (one command at a time, the controller's lock is first come, first
  served), so an emergency stop follows the walk it interrupts;
* a ``SwitchAhead`` is kept for the screen until the switch, and only while
  cadence is in control (no "belt to 5.0" while the runner holds the belt);
* every command, controller event and control-state change is recorded;
  ``STOPPED_BY_USER`` (the console's stop or the safety key) is returned to
  the session, which pauses.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from cadence.coach.actions import Action, PhaseChange
from cadence.coach.treadmill_plan import BeltAction, BeltCommand, TreadmillPlan
from cadence.model.sample import Sample, SensorRole
from cadence.model.treadmill import ControlState, TreadmillEvent, TreadmillEventKind
from cadence.sensors.source import BeltController
from cadence.store.events import belt_command_event, belt_note_event, treadmill_event

if TYPE_CHECKING:
    from cadence.store.recorder import SessionRecorder

log = logging.getLogger(__name__)

K = TreadmillEventKind
#: events the runner must see (a warning, not just news)
ALERTS = frozenset({K.BELT_NOT_FOLLOWING, K.RUNNER_TOOK_OVER, K.CONTROL_REFUSED,
                    K.STOPPED_BY_USER, K.COMMAND_FAILED, K.LINK_LOST, K.UNSUPPORTED})
#: routine events that do not replace a warning on screen
_QUIET = frozenset({K.COMMAND_SENT, K.BELT_AT_TARGET})
#: warnings a new command makes stale
_ANSWERED_BY_A_COMMAND = frozenset({K.BELT_NOT_FOLLOWING, K.COMMAND_FAILED, K.STOPPED_BY_USER})
#: at the end, wait this long for the last command (the stop) to be written
SETTLE_TIMEOUT_S = 3.0


@dataclass(frozen=True, slots=True)
class BeltView:
    """What the screen shows of the belt (one line)."""

    state: ControlState
    target_kmh: float | None  # the speed cadence wants now; None before the first command
    stopped: bool  # cadence wants the belt stopped or paused
    belt_kmh: float | None  # what the treadmill reports
    holding: bool  # the runner keeps this speed through the next switch
    ahead: str  # "Walk in 3: belt to 5.0 km/h" until that switch, else ""
    next_kmh: float | None  # what cadence will set at the next switch (None: nothing planned)
    message: str  # the latest thing the treadmill said worth showing
    alert: bool  # ``message`` is a warning


class BeltSession:
    """Treadmill control for one session.

    Args:
        controller: the treadmill's controller (from the source's ``belt_controller``).
        plan: the per-phase speed policy for this session's segments.
        clock: session seconds.
        recorder: where commands and events are recorded (None: not recorded).
    """

    def __init__(
        self,
        controller: BeltController,
        plan: TreadmillPlan,
        clock: Callable[[], float],
        recorder: SessionRecorder | None = None,
    ) -> None:
        self.controller = controller
        self.plan = plan
        self.clock = clock
        self.recorder = recorder
        self.events: list[TreadmillEvent] = []  # everything the controller reported, in order
        self._loop: asyncio.AbstractEventLoop | None = None
        self._tasks: list[asyncio.Task[Any]] = []
        self._unsent: list[Coroutine[Any, Any, Any]] = []
        self._state = controller.state
        self._ahead = ""
        self._message = ""
        self._alert = False
        self._shown_kind: TreadmillEventKind | None = None
        self._belt_kmh: float | None = None

    # ----- life ----------------------------------------------------------------------------------
    def start(self) -> None:
        """On the session's loop (``LiveSession.start``): commands are tasks on it."""
        self._loop = asyncio.get_running_loop()
        unsent, self._unsent = self._unsent, []
        for coro in unsent:
            self._spawn(coro)

    async def settle(self, timeout_s: float | None = None) -> None:
        """Wait for the commands handed over so far (``cadence simulate`` after each tick)."""
        tasks = [t for t in self._tasks if not t.done()]
        self._tasks = tasks
        if not tasks:
            return
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(timeout_s):
                await asyncio.gather(*tasks, return_exceptions=True)

    async def close(self) -> None:
        """The last command (the stop) written, then the controller let go."""
        await self.settle(SETTLE_TIMEOUT_S)
        for task in self._tasks:
            task.cancel()
        for coro in self._unsent:
            coro.close()
        self._unsent = []
        await self.controller.close()

    # ----- in ------------------------------------------------------------------------------------
    def observe(self, sample: Sample) -> None:
        """A treadmill sample: the controller judges the belt against its target."""
        if sample.role is SensorRole.TREADMILL and sample.speed_mps is not None:
            self._belt_kmh = sample.speed_mps * 3.6
            self.controller.observe(sample)

    def drain(self) -> list[TreadmillEvent]:
        """The controller's events since the last call, recorded and noted for the screen."""
        out: list[TreadmillEvent] = []
        queue = self.controller.events
        while not queue.empty():
            event = queue.get_nowait()
            out.append(event)
            self.events.append(event)
            if self.recorder is not None:
                self.recorder.add_event(treadmill_event(event, self.controller.state))
            if self._replaces_message(event.kind):
                self._message, self._alert = event.message, event.kind in ALERTS
                self._shown_kind = event.kind
        self._note_state()
        return out

    def _replaces_message(self, kind: TreadmillEventKind) -> bool:
        """News replaces news; a warning stays until something answers it (a new command
        answers a belt that did not follow, a failed command or the console's stop)."""
        if kind not in _QUIET or not self._alert:
            return True
        return kind is K.COMMAND_SENT and self._shown_kind in _ANSWERED_BY_A_COMMAND

    # ----- out -----------------------------------------------------------------------------------
    def step(self, now_s: float, actions: Sequence[Action]) -> list[BeltAction]:
        """This tick's coach actions through the plan; commands handed to the controller."""
        out = self.plan.step(actions)
        if any(isinstance(a, PhaseChange) for a in actions):
            self._ahead = ""
        shown: list[BeltAction] = []
        for action in out:
            if isinstance(action, BeltCommand):
                self._send(now_s, action)
                shown.append(action)
            elif self.controller.state is ControlState.IN_CONTROL:
                self._ahead = action.text
                self._record(belt_note_event(now_s, "switch_ahead", self.controller.state,
                                             text=action.text, target_kmh=action.speed_kmh))
                shown.append(action)
        return shown

    def _send(self, now_s: float, command: BeltCommand) -> None:
        state = self.controller.state
        self._record(belt_command_event(now_s, command.target, command.reason.value,
                                        command.safety, state))
        self._spawn(self.controller.apply(command.target, safety=command.safety))

    def _spawn(self, coro: Coroutine[Any, Any, Any]) -> None:
        """Run ``coro`` on the session's loop: the running one (the app's timers tick on it),
        else the one ``start`` ran on (``cadence simulate`` ticks between its runs); before
        either, it waits for ``start`` (the app's first tick can come first)."""
        try:
            loop: asyncio.AbstractEventLoop | None = asyncio.get_running_loop()
        except RuntimeError:
            loop = self._loop
        if loop is None:
            self._unsent.append(coro)
            return
        self._tasks = [t for t in self._tasks if not t.done()]
        self._tasks.append(loop.create_task(coro, name="belt-command"))

    # ----- the runner's belt keys ----------------------------------------------------------------
    def hold(self) -> bool:
        """Keep the current speed through the next switch; False if there is nothing to hold."""
        held = self.plan.hold_next_switch()
        if held:
            self._ahead = ""
            self._message, self._alert = "Holding this speed through the next switch.", False
            self._record(belt_note_event(self.clock(), "hold", self.controller.state))
        return held

    def give_back(self) -> None:
        """The runner hands the belt back to cadence (after the console was used)."""
        self._record(belt_note_event(self.clock(), "give_back", self.controller.state))
        self._spawn(self.controller.resume_control())

    # ----- what the screen shows ----------------------------------------------------------------
    @property
    def view(self) -> BeltView:
        target = self.plan.target
        return BeltView(
            state=self.controller.state,
            target_kmh=None if target is None else target.speed_kmh,
            stopped=target is not None and not target.moving,
            belt_kmh=self._belt_kmh,
            holding=self.plan.holding,
            ahead=self._ahead,
            next_kmh=self.plan.next_speed_kmh,
            message=self._message,
            alert=self._alert,
        )

    def _note_state(self) -> None:
        state = self.controller.state
        if state is not self._state:
            self._state = state
            self._record(belt_note_event(self.clock(), "state", state))

    def _record(self, event: Any) -> None:
        if self.recorder is not None:
            self.recorder.add_event(event)
