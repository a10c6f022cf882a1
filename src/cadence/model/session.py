"""The session record as the rest of the app reads it back from the store.

Summaries, history and every exporter take a ``SessionData``; none of them
touch SQLite. Events are stored with a kind and a small JSON payload; the
payload keys per kind are fixed here so writers and readers agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from cadence.model.sample import Sample


class EventKind(StrEnum):
    PHASE = "phase"  # {"phase", "round_index", "rounds_total", "duration_s", "label"}
    TEMPO = "tempo"  # {"bpm", "reason"}
    METRONOME = "metronome"  # {"on": bool} or {"volume": float}
    CUE = "cue"  # {"text", "kind", "topic"}
    PAIN = "pain"  # {"rating", "prompt_id", "when": "during"|"post_run"}
    PAIN_PROMPT = "pain_prompt"  # {"prompt_id", "reason", "answered": bool|None}
    RED_FLAG = "red_flag"  # {"flag"}
    STOP = "stop"  # {"reason", "message"}
    SENSOR = "sensor"  # {"role", "sensor_id", "state", "detail"} + DeviceIdentity.as_payload()
    MARK = "mark"  # {"kind", **detail}
    PAUSE = "pause"  # {"paused": bool}
    # treadmill control: {"event": a TreadmillEventKind, "command" or "state", "message",
    #  "target_kmh", "belt_kmh", "state", ...}
    TREADMILL = "treadmill"


@dataclass(frozen=True, slots=True)
class EventRecord:
    t_s: float  # session clock, seconds from the session's start
    kind: EventKind
    payload: dict[str, Any]


@dataclass(frozen=True, slots=True)
class SessionInfo:
    session_id: int
    started_at: datetime  # timezone-aware UTC wall time of t_s == 0
    ended_at: datetime | None  # None while running or after a crash (until recovered)
    duration_s: float
    profile_name: str
    runner_name: str
    program: str
    program_week: int
    end_reason: str | None  # a StopReason value, "recovered", or None
    recovered: bool = False
    shoe_name: str = ""
    treadmill: bool = False
    band_low_spm: float = 170.0  # the target band the session was coached to
    band_high_spm: float = 180.0


@dataclass(frozen=True, slots=True)
class SessionData:
    info: SessionInfo
    samples: tuple[Sample, ...]  # in time order, all roles interleaved
    events: tuple[EventRecord, ...]  # in time order
