"""The warning signs a runner can report, in plain words, and what each one means.

Why one table: the menu on screen, the coach's reaction, the safety log in the
summary and the simulator's keys all need the same list, in the same order
and with the same words. The list follows ``shared/docs/coaching-facts.md``
(leg symptoms, leg or foot weakness, night pain, a recent fall or blow, and
the emergency signs), plus chest pain, faintness and dizziness as general
exercise safety.

What happens (coaching, never diagnosing; only ever easier or stopped):

- ``ends_session``: stop everything at once, no walking cool-down, no more
  questions (the emergency signs; chest pain; faint or dizzy).
- otherwise running stops for today and the session finishes with a walking
  cool-down, with advice to see a physiotherapist or doctor first.
"""

from __future__ import annotations

from dataclasses import dataclass

from cadence.coach.actions import StopReason
from cadence.coach.inputs import RedFlag


@dataclass(frozen=True, slots=True)
class WarningSign:
    flag: RedFlag
    label: str  # the menu line and the safety-log entry, in the runner's words
    topic: str  # the SAFETY_CUES topic said when it is reported
    stop_reason: StopReason
    ends_session: bool  # stop at once: no cool-down walk, no further prompts


#: Most urgent first: the order of the menu on screen.
WARNING_SIGNS: tuple[WarningSign, ...] = (
    WarningSign(RedFlag.EMERGENCY,
                "Numbness between the legs or around the buttocks, or new trouble "
                "controlling your bladder or bowel",
                "emergency_stop", StopReason.EMERGENCY, True),
    WarningSign(RedFlag.CHEST_PAIN, "Chest pain or tightness",
                "chest_pain_stop", StopReason.RED_FLAG, True),
    WarningSign(RedFlag.FAINT, "Feeling faint or dizzy",
                "faint_stop", StopReason.RED_FLAG, True),
    WarningSign(RedFlag.LEG_SYMPTOMS,
                "Pain, pins and needles or numbness spreading down a leg",
                "red_flag_stop", StopReason.RED_FLAG, False),
    WarningSign(RedFlag.LEG_WEAKNESS, "A leg or foot that feels weak",
                "leg_weakness_stop", StopReason.RED_FLAG, False),
    WarningSign(RedFlag.NIGHT_PAIN, "Back pain that wakes you at night",
                "night_pain_stop", StopReason.RED_FLAG, False),
    WarningSign(RedFlag.RECENT_FALL, "A recent fall or blow to your back",
                "recent_fall_stop", StopReason.RED_FLAG, False),
)

_BY_FLAG = {sign.flag: sign for sign in WARNING_SIGNS}


def warning_sign(flag: RedFlag) -> WarningSign:
    return _BY_FLAG[flag]


def label_of(flag_id: str) -> str:
    """Plain words for a stored flag id (an unknown id is shown as it is)."""
    try:
        return _BY_FLAG[RedFlag(flag_id)].label
    except ValueError:
        return flag_id
