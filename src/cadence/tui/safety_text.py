"""The app's own words for stops and warning signs.

Written to coach, never to diagnose: they say what to do now and who to ask,
not what the cause might be.
"""

from __future__ import annotations

from cadence.coach.actions import StopReason

PROFESSIONAL_RATING = 4  # from 4/10 on: advice before running again (coaching-facts.md)

RED_FLAG_QUESTION = "Are you noticing one of these? Press its number."


def stop_advice(reason: StopReason, rating: int | None = None) -> str:
    """The line that stays on screen after the running part has stopped."""
    if reason is StopReason.PAIN and rating is not None and rating >= PROFESSIONAL_RATING:
        return (  # the same advice the voice gives for 4 or more
            f"Pain {rating}/10: running stops here for today. Walk gently for the cool-down, "
            "and get advice from a physiotherapist or doctor before running again."
        )
    if reason is StopReason.PAIN:
        level = f"{rating}/10" if rating is not None else "3/10 or more"
        return (
            f"Pain {level}: running stops here for today. Walk gently for the cool-down. "
            "If the pain stays or gets worse, talk to a physiotherapist or doctor before "
            "your next run."
        )
    if reason is StopReason.RED_FLAG:
        return (
            "Running stops here for today. Please have these leg symptoms checked by a "
            "physiotherapist or doctor before you run again."
        )
    if reason is StopReason.EMERGENCY:
        return (
            "Stop now. These symptoms need help today: go to an emergency department or "
            "call your emergency number now. Ask someone to take you; don't drive yourself."
        )
    return ""
