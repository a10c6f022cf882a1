"""The warning signs a runner is asked about before a session.

The full list from the coaching facts. None of them is ever coached through:
any one of them means no running today and advice to see a physiotherapist or
doctor; the two emergency signs mean going to an emergency department now and
nothing else. The ids are what scripts, the store and ``--json`` use; the
labels are the question text, in the app's own words.
"""

from __future__ import annotations

from enum import StrEnum


class WarningSign(StrEnum):
    LEG_SYMPTOMS = "leg_symptoms"  # pain, tingling or numbness running down a leg
    LEG_WEAKNESS = "leg_weakness"  # weakness in a leg or foot
    NIGHT_PAIN = "night_pain"  # back pain that wakes you at night
    FALL_OR_BLOW = "fall_or_blow"  # a recent fall or blow to the back
    SEVERE_NOT_EASING = "severe_not_easing"  # 6/10 or more, not easing after 5-7 days
    SADDLE_NUMBNESS = "saddle_numbness"  # numbness in the groin or saddle area (emergency)
    BLADDER_BOWEL = "bladder_bowel"  # new bladder or bowel changes (emergency)


EMERGENCY_SIGNS: frozenset[WarningSign] = frozenset(
    {WarningSign.SADDLE_NUMBNESS, WarningSign.BLADDER_BOWEL}
)

#: what the readiness screen asks, one line per sign
SIGN_LABELS: dict[WarningSign, str] = {
    WarningSign.LEG_SYMPTOMS: "Pain, tingling or numbness going down a leg (more so past the knee)",
    WarningSign.LEG_WEAKNESS: "A leg or foot that feels weak",
    WarningSign.NIGHT_PAIN: "Back pain that has woken you up at night",
    WarningSign.FALL_OR_BLOW: "A fall, or a knock to your back, since the last run",
    WarningSign.SEVERE_NOT_EASING: "Pain of 6/10 or more that has not eased for 5-7 days",
    WarningSign.SADDLE_NUMBNESS: "Numb skin around the groin, genitals or inner thighs",
    WarningSign.BLADDER_BOWEL: "Bladder or bowel control that has changed",
}


def parse_sign(text: str) -> WarningSign | None:
    """The sign with id ``text`` (case and dashes forgiven), or ``None``."""
    key = text.strip().lower().replace("-", "_")
    try:
        return WarningSign(key)
    except ValueError:
        return None


def is_emergency(signs: frozenset[WarningSign] | tuple[WarningSign, ...]) -> bool:
    return any(s in EMERGENCY_SIGNS for s in signs)
