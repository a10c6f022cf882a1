"""Every warning sign cadence knows: its stored id, its words, and what it means.

Why one table: the readiness check before a run, the ``r`` menu during it,
the coach's reaction, the sim scripts, the store and the summary's safety log
all name the same signs. Two lists drifted apart (different ids, different
words for the same sign), so there is one: each row says where it is asked.

The signs follow ``shared/docs/coaching-facts.md`` (leg symptoms, leg or foot
weakness, night pain, a recent fall or blow, severe pain not easing, and the
emergency signs), plus chest pain, faintness and dizziness as general
exercise safety during a run.

- ``before_run``: asked by the readiness check (the history-ish sign "severe
  pain not easing after 5-7 days" only there; the two emergency signs each on
  their own line there).
- ``during_run``: offered by the ``r`` menu, most urgent first (one line for
  both emergency signs: fewer words to read mid-run).

What happens (coaching, never diagnosing; only ever easier or stopped):

- ``emergency``: go to an emergency department now, nothing else.
- ``ends_session``: stop everything at once, no walking cool-down, no more
  questions (the emergency signs; chest pain; faint or dizzy).
- otherwise running stops for today, with advice to see a physiotherapist or
  doctor first.

Stored ids never change (existing databases): ``RedFlag``'s values are what
the events, the readiness table, the scripts and ``--json`` use. The
readiness check once stored a fall as ``fall_or_blow``; it still reads back
as ``recent_fall``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from cadence.coach.actions import StopReason


class RedFlag(StrEnum):
    """A warning sign's stored id (``WARNING_SIGNS`` has the words)."""

    EMERGENCY = "emergency"  # during a run: either emergency sign below
    SADDLE_NUMBNESS = "saddle_numbness"  # numbness in the groin or saddle area (emergency)
    BLADDER_BOWEL = "bladder_bowel"  # new bladder or bowel changes (emergency)
    CHEST_PAIN = "chest_pain"  # general exercise safety: stop at once
    FAINT = "faint"  # faintness or dizziness: stop at once
    LEG_SYMPTOMS = "leg_symptoms"  # pain, tingling or numbness spreading down a leg
    LEG_WEAKNESS = "leg_weakness"  # a leg or foot that feels weak
    NIGHT_PAIN = "night_pain"  # back pain that wakes the runner at night
    RECENT_FALL = "recent_fall"  # a recent fall or blow to the back
    SEVERE_NOT_EASING = "severe_not_easing"  # 6/10 or more, not easing after 5-7 days

    @classmethod
    def _missing_(cls, value: object) -> RedFlag | None:
        return _OLD_IDS.get(str(value))


_OLD_IDS = {"fall_or_blow": RedFlag.RECENT_FALL}


@dataclass(frozen=True, slots=True)
class WarningSign:
    flag: RedFlag
    label: str  # the question or menu line and the safety-log entry, in the runner's words
    topic: str  # the SAFETY_CUES topic said when it is reported during a run
    stop_reason: StopReason
    ends_session: bool  # stop at once: no cool-down walk, no further prompts
    before_run: bool  # asked by the readiness check
    during_run: bool  # offered by the in-session menu

    @property
    def emergency(self) -> bool:
        return self.stop_reason is StopReason.EMERGENCY


def _sign(flag: RedFlag, label: str, topic: str, *, before: bool, during: bool,
          reason: StopReason = StopReason.RED_FLAG, ends: bool = False) -> WarningSign:
    return WarningSign(flag, label, topic, reason, ends, before, during)


#: The menu's order (most urgent first) and the readiness question's order (its
#: letters a, b, c... stay where runners learnt them) are both this one.
WARNING_SIGNS: tuple[WarningSign, ...] = (
    _sign(RedFlag.EMERGENCY,
          "Numbness between the legs or around the buttocks, or new trouble "
          "controlling your bladder or bowel",
          "emergency_stop", before=False, during=True,
          reason=StopReason.EMERGENCY, ends=True),
    _sign(RedFlag.CHEST_PAIN, "Chest pain or tightness",
          "chest_pain_stop", before=False, during=True, ends=True),
    _sign(RedFlag.FAINT, "Feeling faint or dizzy",
          "faint_stop", before=False, during=True, ends=True),
    _sign(RedFlag.LEG_SYMPTOMS,
          "Pain, pins and needles or numbness spreading down a leg (more so past the knee)",
          "red_flag_stop", before=True, during=True),
    _sign(RedFlag.LEG_WEAKNESS, "A leg or foot that feels weak",
          "leg_weakness_stop", before=True, during=True),
    _sign(RedFlag.NIGHT_PAIN, "Back pain that wakes you at night",
          "night_pain_stop", before=True, during=True),
    _sign(RedFlag.RECENT_FALL, "A recent fall or blow to your back",
          "recent_fall_stop", before=True, during=True),
    _sign(RedFlag.SEVERE_NOT_EASING, "Pain of 6/10 or more that has not eased for 5-7 days",
          "red_flag_stop", before=True, during=False),
    _sign(RedFlag.SADDLE_NUMBNESS, "Numb skin around the groin, genitals or inner thighs",
          "emergency_stop", before=True, during=False,
          reason=StopReason.EMERGENCY, ends=True),
    _sign(RedFlag.BLADDER_BOWEL, "Bladder or bowel control that has changed",
          "emergency_stop", before=True, during=False,
          reason=StopReason.EMERGENCY, ends=True),
)

#: what the readiness check asks, and what the ``r`` menu offers
CHECK_SIGNS: tuple[WarningSign, ...] = tuple(s for s in WARNING_SIGNS if s.before_run)
SESSION_SIGNS: tuple[WarningSign, ...] = tuple(s for s in WARNING_SIGNS if s.during_run)

_BY_FLAG = {sign.flag: sign for sign in WARNING_SIGNS}


def warning_sign(flag: RedFlag) -> WarningSign:
    return _BY_FLAG[flag]


def parse_sign(text: str) -> RedFlag | None:
    """The sign with id ``text`` (case and dashes forgiven, old ids too), or ``None``."""
    try:
        return RedFlag(text.strip().lower().replace("-", "_"))
    except ValueError:
        return None


def label_of(flag_id: str) -> str:
    """Plain words for a stored id (an unknown id is shown as it is)."""
    flag = parse_sign(flag_id)
    return flag_id if flag is None else _BY_FLAG[flag].label


def is_emergency(flags: Iterable[RedFlag]) -> bool:
    return any(_BY_FLAG[f].emergency for f in flags)
