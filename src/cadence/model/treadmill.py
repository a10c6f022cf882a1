"""Treadmill control records: what the belt should do, and what happened when asked.

Shared by the pure policy (``cadence.coach.treadmill_plan`` decides a
``BeltTarget`` per phase) and the BLE controller
(``cadence.sensors.ble.treadmill_control`` carries it out and reports
``TreadmillEvent``), so neither imports the other.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


@dataclass(frozen=True, slots=True)
class BeltTarget:
    """The belt's wanted state.

    ``stop`` brings the belt to a standstill (``speed_kmh`` is then ignored);
    ``pause`` is a stop the session means to resume from (FTMS "pause").
    ``incline_pct`` None leaves the incline as it is.
    """

    speed_kmh: float
    incline_pct: float | None = None
    stop: bool = False
    pause: bool = False

    @property
    def moving(self) -> bool:
        return not (self.stop or self.pause)


class ControlState(StrEnum):
    NO_LINK = "no_link"  # no connection to the treadmill (yet, or it dropped)
    TAKING_CONTROL = "taking_control"
    IN_CONTROL = "in_control"
    UNSUPPORTED = "unsupported"  # the treadmill has no FTMS Control Point
    REFUSED = "refused"  # the treadmill would not give control: set the belt by hand
    RUNNER_IN_CHARGE = "runner_in_charge"  # the console was used: hands off until asked


class TreadmillEventKind(StrEnum):
    CONTROL_TAKEN = "control_taken"
    CONTROL_RESUMED = "control_resumed"  # after a reconnect, the wanted state was sent again
    CONTROL_LOST = "control_lost"  # the treadmill withdrew control; asked again at once
    CONTROL_REFUSED = "control_refused"  # asked twice, refused twice: cadence gave up
    UNSUPPORTED = "unsupported"
    COMMAND_SENT = "command_sent"
    COMMAND_FAILED = "command_failed"  # no answer within the timeout, or an error result
    BELT_AT_TARGET = "belt_at_target"
    BELT_NOT_FOLLOWING = "belt_not_following"
    RUNNER_TOOK_OVER = "runner_took_over"  # the console changed the speed
    STOPPED_BY_USER = "stopped_by_user"  # console stop/pause or the safety key
    STARTED_BY_USER = "started_by_user"
    LINK_LOST = "link_lost"


@dataclass(frozen=True, slots=True)
class TreadmillEvent:
    """Something about the belt the runner or the session should know.

    ``message`` is a plain sentence for the screen; the session can act on
    ``kind`` (e.g. pause on ``STOPPED_BY_USER``).
    """

    t_s: float
    kind: TreadmillEventKind
    message: str
    target_kmh: float | None = None
    belt_kmh: float | None = None
    safety_key: bool = False
