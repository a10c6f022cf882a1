"""What the coach asks the shell to do.

``Coach.step`` returns a list of these; the shell (TUI, ``cadence simulate``,
the recorder) carries them out. They are frozen, slotted dataclasses so they can
be compared in tests, logged as JSON and stored as events.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any


class Phase(StrEnum):
    WARMUP = "warmup"
    RUN = "run"
    WALK = "walk"
    COOLDOWN = "cooldown"
    DONE = "done"


class StopReason(StrEnum):
    PAIN = "pain"  # a rating at or above the profile's stop level
    RED_FLAG = "red_flag"  # a warning sign (leg symptoms, night pain...): see a professional
    EMERGENCY = "emergency"  # saddle numbness, bladder/bowel changes: emergency department now
    USER = "user"  # the runner ended the session
    PROGRAM_DONE = "program_done"


class CueKind(StrEnum):
    FORM = "form"
    PHASE = "phase"
    TEMPO = "tempo"
    SAFETY = "safety"
    INFO = "info"


@dataclass(frozen=True, slots=True)
class SetTempo:
    tempo_spm: float  # steps per minute: one click per step
    reason: str = ""


@dataclass(frozen=True, slots=True)
class MetronomeOn:
    pass


@dataclass(frozen=True, slots=True)
class MetronomeOff:
    reason: str = ""


@dataclass(frozen=True, slots=True)
class MetronomeVolume:
    volume: float  # 0.0-1.0; faded feedback lowers it, then brings it back
    fade_s: float = 0.0


@dataclass(frozen=True, slots=True)
class Cue:
    text: str
    kind: CueKind
    sound_id: str | None = None  # a file stem in sounds/, e.g. "cue_run_tall"
    topic: str = ""  # e.g. "run_tall"; lets the store count cues by topic


@dataclass(frozen=True, slots=True)
class AskPain:
    prompt_id: int
    reason: str  # "walk_break" | "interval" | "post_run"
    timeout_s: float = 30.0
    stop_at: int = 3  # the profile's stop level: a rating this high ends the running
    scale_max: int = 10  # ratings run 0 to scale_max

    @property
    def question(self) -> str:
        """The question as shown: names the whole scale and the real stop level."""
        return (
            f"How is your back? 0 is no pain, {self.scale_max} the worst; "
            f"{self.stop_at} or more stops the running for today."
        )


@dataclass(frozen=True, slots=True)
class PainPromptClosed:
    prompt_id: int
    answered: bool


@dataclass(frozen=True, slots=True)
class PhaseChange:
    phase: Phase
    round_index: int  # 1-based within the program's rounds; 0 outside rounds
    rounds_total: int
    duration_s: float | None  # None: open-ended (e.g. cool-down after a stop)
    label: str = ""  # e.g. "Glute activation" for a warm-up block


@dataclass(frozen=True, slots=True)
class Countdown:
    seconds_left: int  # 3, 2, 1 before a phase change: the shell beeps


@dataclass(frozen=True, slots=True)
class StopRun:
    reason: StopReason
    message: str


@dataclass(frozen=True, slots=True)
class Mark:
    kind: str  # e.g. "pain", "tap_tempo", "baseline", "tempo_nudge", "pause", "resume"
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class SessionEnded:
    reason: StopReason


Action = (
    SetTempo
    | MetronomeOn
    | MetronomeOff
    | MetronomeVolume
    | Cue
    | AskPain
    | PainPromptClosed
    | PhaseChange
    | Countdown
    | StopRun
    | Mark
    | SessionEnded
)


def action_to_json(action: Action) -> dict[str, Any]:
    """A flat JSON-ready dict with the action's type name under ``"type"``."""
    out: dict[str, Any] = {"type": type(action).__name__}
    out.update(asdict(action))
    return out
