"""What a ``SessionRecorder`` tells the screen: its health and one line about it.

Apart from the recorder so the screen and the store can name these without
the writing machinery.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum


class RecorderHealth(StrEnum):
    OK = "ok"
    HOLDING = "holding"  # writes are failing; data is held in memory and retried
    FINISHED = "finished"


@dataclass(frozen=True, slots=True)
class RecorderStatus:
    health: RecorderHealth
    message: str  # one line for the screen; "" when all is well
    held_samples: int
    held_events: int
    dropped_samples: int  # oldest samples dropped because the hold bound was reached


StatusCallback = Callable[[RecorderStatus], None]
