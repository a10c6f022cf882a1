"""Pain and safety rules: what a rating or a red-flag key means for the run.

The rules come straight from ``shared/docs/coaching-facts.md`` and only ever
make a run easier or stop it:

- a rating at or above ``stop_rating`` (3 by default) ends the running part;
- 4 or more (``professional_rating``) also suggests getting professional
  advice if it does not settle;
- a rating that rises but stays below the stop level gets an ease-off cue
  (and the engine freezes the tempo climb for the rest of the session);
- a warning sign (``warning_signs.WARNING_SIGNS``) stops the run and advises a
  physiotherapist or doctor; the emergency signs, chest pain and faintness
  stop everything at once (emergency department / emergency number now).

The coach coaches; it never diagnoses. ``PainPrompts`` tracks open questions so
an unanswered prompt times out instead of blocking the session.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from cadence.coach.actions import AskPain, PainPromptClosed, StopReason
from cadence.coach.cue_library import SAFETY_CUES
from cadence.coach.inputs import RedFlag
from cadence.coach.warning_signs import warning_sign

PAIN_SCALE_MAX = 10


class PainVerdict(StrEnum):
    OK = "ok"
    EASE_OFF = "ease_off"
    STOP = "stop"
    STOP_PROFESSIONAL = "stop_professional"
    RED_FLAG = "red_flag"
    EMERGENCY = "emergency"


@dataclass(frozen=True, slots=True)
class SafetyOutcome:
    verdict: PainVerdict
    topic: str | None  # a SAFETY_CUES topic to say, if any
    stop_reason: StopReason | None
    ends_session: bool = False  # stop at once: no cool-down, no more prompts

    @property
    def message(self) -> str:
        return SAFETY_CUES[self.topic][0].text if self.topic else ""


_OUTCOMES = {
    PainVerdict.OK: SafetyOutcome(PainVerdict.OK, None, None),
    PainVerdict.EASE_OFF: SafetyOutcome(PainVerdict.EASE_OFF, "ease_off", None),
    PainVerdict.STOP: SafetyOutcome(PainVerdict.STOP, "pain_stop", StopReason.PAIN),
    PainVerdict.STOP_PROFESSIONAL: SafetyOutcome(
        PainVerdict.STOP_PROFESSIONAL, "pain_stop_professional", StopReason.PAIN
    ),
    PainVerdict.RED_FLAG: SafetyOutcome(
        PainVerdict.RED_FLAG, "red_flag_stop", StopReason.RED_FLAG
    ),
    PainVerdict.EMERGENCY: SafetyOutcome(
        PainVerdict.EMERGENCY, "emergency_stop", StopReason.EMERGENCY
    ),
}


def judge_rating(
    rating: int, previous: int | None, stop_rating: int = 3, professional_rating: int = 4
) -> SafetyOutcome:
    """What a 0-10 rating means, given the previous rating this session."""
    if rating >= max(stop_rating, professional_rating):
        return _OUTCOMES[PainVerdict.STOP_PROFESSIONAL]
    if rating >= stop_rating:
        return _OUTCOMES[PainVerdict.STOP]
    if previous is not None and rating > previous:
        return _OUTCOMES[PainVerdict.EASE_OFF]
    return _OUTCOMES[PainVerdict.OK]


def judge_red_flag(flag: RedFlag) -> SafetyOutcome:
    sign = warning_sign(flag)
    verdict = PainVerdict.EMERGENCY if sign.emergency else PainVerdict.RED_FLAG
    return SafetyOutcome(verdict, sign.topic, sign.stop_reason, sign.ends_session)


class PainPrompts:
    """At most one open pain question at a time, each with a timeout."""

    def __init__(self) -> None:
        self._next_id = 1
        self.open_prompt: AskPain | None = None
        self._opened_s = 0.0
        self.unanswered = 0

    @property
    def is_open(self) -> bool:
        return self.open_prompt is not None

    def ask(
        self, now_s: float, reason: str, timeout_s: float, stop_at: int = 3
    ) -> list[AskPain | PainPromptClosed]:
        """Open a prompt; an older open one is closed unanswered first."""
        out: list[AskPain | PainPromptClosed] = []
        if self.open_prompt is not None:
            out.append(self.close(answered=False))
        self.open_prompt = AskPain(self._next_id, reason, timeout_s, stop_at, PAIN_SCALE_MAX)
        self._next_id += 1
        self._opened_s = now_s
        out.append(self.open_prompt)
        return out

    def close(self, answered: bool) -> PainPromptClosed:
        assert self.open_prompt is not None
        closed = PainPromptClosed(self.open_prompt.prompt_id, answered)
        if not answered:
            self.unanswered += 1
        self.open_prompt = None
        return closed

    def expired(self, now_s: float) -> bool:
        return (
            self.open_prompt is not None
            and now_s - self._opened_s >= self.open_prompt.timeout_s
        )
