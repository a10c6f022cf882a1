"""Every sentence the coach says, in one place.

Why a table: the audio side pre-renders one sound file per spoken line (from
``SPOKEN_CUES``), the store counts cues by topic, and reviewers can read all of
the safety wording at once. The engine picks texts from here by topic and
rotates wordings, so a runner does not hear the same sentence over and over.

Wording rules (``shared/docs/coaching-facts.md``): the coach coaches, it never
diagnoses; safety lines only ever make the run easier or stop it, never ask the
runner to push through pain. Emergency symptoms get their own line pointing at
an emergency department or the emergency number now; other warning signs stop
the run and point at a physiotherapist or a doctor; chest pain, faintness and
dizziness stop all exercise at once. All texts are written fresh for this project.

Sound ids: each wording has its own id. The first wording of topic ``x`` is
``cue_x`` (``phase_x`` for phase announcements, plain names for safety lines),
further wordings append ``_2``, ``_3``...
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class CueText:
    """One spoken wording of a topic."""

    sound_id: str
    text: str


def _topic(prefix: str, *texts: str) -> tuple[CueText, ...]:
    return tuple(
        CueText(prefix if i == 0 else f"{prefix}_{i + 1}", text) for i, text in enumerate(texts)
    )


#: Form cues (topic -> wordings). Rotated by ``cues.CueRotor``.
FORM_CUES: dict[str, tuple[CueText, ...]] = {
    "run_tall": _topic(
        "cue_run_tall",
        "Run tall: let the crown of your head float up, as if a string lifts it.",
        "Drill for twenty seconds: picture a rope gently pulling your head up to the sky.",
        "Grow tall through the spine and let your feet stay quick underneath you.",
    ),
    "lean": _topic(
        "cue_lean",
        "Tip forward a touch from the ankles, not from the waist.",
        "A small lean from the ankles; keep the hips under you, not behind.",
    ),
    "land_under": _topic(
        "cue_land_under",
        "Land with your feet under your body: shorter, softer steps.",
        "Quiet feet. Let each foot come down beneath your hips, not out in front.",
        "No reaching with the heel: small quick steps carry you just as far.",
    ),
    "arms": _topic(
        "cue_arms",
        "Let your hands travel from hip to chest and back; keep them off the midline.",
        "Loosen the shoulders and let the elbows drive back and forth.",
    ),
    "eyes_ahead": _topic(
        "cue_eyes_ahead",
        "Eyes up: look a few metres ahead, not down at your feet.",
        "Lift your gaze to the horizon; your feet know where to go.",
    ),
    "ribs_down": _topic(
        "cue_ribs_down",
        "Ribs down, chest stacked over your pelvis; no arch in the lower back.",
        "Keep your chest over your hips, like stacked blocks, and the lower back relaxed.",
    ),
    "glutes": _topic(
        "cue_glutes",
        "Push the ground away behind you and feel your glutes do the work.",
        "Let the hip open fully behind you on each stride.",
    ),
    "form_check": _topic(
        "cue_form_check",
        "Form check: tall posture, relaxed shoulders, quick light steps.",
        "Quick check-in: head up, ribs down, feet landing under you.",
        "Time for a form scan: stacked posture, soft landings, easy arms.",
    ),
    "late_run": _topic(
        "cue_late_run",
        "Getting tired is when form slips. Stand tall again and keep the steps short.",
        "Late in the run: reset your posture and feel your glutes push you along.",
    ),
    "cadence_low": _topic(
        "cue_cadence_low",
        "Your steps are slowing. Quicken them a little to match the beat.",
        "Shorter, quicker steps: catch up with the click.",
        "Let your feet pick up the rhythm again; small steps, light contact.",
    ),
    # the same while the beat is muted: no "beat" or "click" in the words
    "cadence_low_quiet": _topic(
        "cue_cadence_low_quiet",
        "Your step rate has dropped below today's target. Shorter, quicker, lighter steps.",
    ),
    # the runner kept their rhythm but the beat moved up: not "slowing"
    "cadence_behind": _topic(
        "cue_cadence_behind",
        "The beat has moved up a little. Shorten your steps to meet it.",
        "The click is just ahead of you now; small, quick steps will catch it.",
    ),
    "hr_high": _topic(
        "cue_hr_high",
        "Heart rate is above your easy limit. Slow the pace but keep the quick steps.",
        "Ease the effort until you could chat comfortably; keep the rhythm.",
    ),
    "treadmill_incline": _topic(
        "cue_treadmill_incline",
        "Treadmill tip: set an incline of one to two percent; it helps keep you stacked.",
        "Before you settle in, raise the belt to at least one percent incline.",
    ),
    "downhill": _topic(
        "cue_downhill",
        "Downhill: shorten the stride and lean a touch from the ankles.",
    ),
}

#: Tempo and faded-feedback information.
TEMPO_CUES: dict[str, tuple[CueText, ...]] = {
    "fade_out": _topic(
        "cue_fade_out",
        "Nice rhythm. The beat steps back now; keep it going on your own.",
        "You're holding the target. Time to run it without the click.",
    ),
    "fade_back": _topic(
        "cue_fade_back",
        "Your steps slowed, so the beat is back. Lock onto it again.",
        "The metronome is back to help you find the rhythm.",
    ),
    "baseline": _topic(
        "cue_baseline",
        "Got your natural cadence. The beat starts right there.",
    ),
    "tap_prompt": _topic(
        "cue_tap_prompt",
        "No step data yet. Press the tap key with each footstep for about ten seconds.",
    ),
    # said on its own; the screen shows the number with it ("...: 162 steps a minute")
    "tap_done": _topic("cue_tap_done", "Tap tempo taken."),
    "tap_refused": _topic(
        "cue_tap_refused",
        "Those taps were too uneven to use. Try again: one tap on every footstep.",
    ),
    "tap_not_needed": _topic(
        "cue_tap_not_needed",
        "No need to tap: your footpod is already counting your steps.",
    ),
}

#: Phase announcements, spoken at each phase change.
PHASE_CUES: dict[str, tuple[CueText, ...]] = {
    "warmup": _topic("phase_warmup", "Warm-up. Easy, dynamic movement to get ready."),
    "run": _topic("phase_run", "Run now. Light, quick steps with the beat."),
    # the same announcement when no beat plays (baseline not known yet, faded, muted)
    "run_no_beat": _topic("phase_run_no_beat", "Run now. Light, quick, easy steps."),
    "walk": _topic("phase_walk", "Walk now. Breathe easy and relax your back."),
    "cooldown": _topic(
        "phase_cooldown",
        "Cool-down. Walk easy and let your breathing settle; the stretches follow.",
    ),
    # a cool-down without stretches in the plan
    "cooldown_walk": _topic(
        "phase_cooldown_walk", "Cool-down. Walk easy and let your breathing settle."
    ),
    "done": _topic("phase_done", "Session complete. Well done; remember your stretches."),
    # after a post-run rating at or above the stop level: no praise
    "done_rest": _topic(
        "phase_done_rest",
        "Session over. Rest your back now, and go by the advice you just heard.",
    ),
    # after a safety stop: no praise and no stretching, just the advice already given
    "done_stopped": _topic(
        "phase_done_stopped",
        "Session over. Take it easy now, and follow the advice you heard when running stopped.",
    ),
    "paused": _topic("phase_paused", "Paused."),
    "resumed": _topic("phase_resumed", "Resuming."),
}

#: Safety lines. Coaching, never diagnosing; they only ever ease or stop a run.
SAFETY_CUES: dict[str, tuple[CueText, ...]] = {
    "pain_ask": _topic(
        "pain_ask",
        "How is your back right now? Rate it from zero to ten.",
    ),
    # rising pain below the stop level, while running is still on
    "ease_off": _topic(
        "ease_off",
        "Your back rating went up. The beat stays where it is for today: ease off, "
        "and walk the next run interval if you'd rather.",
        "That rating is higher than before. No more tempo increases today; take it "
        "easier, and walk the next run interval if you like.",
    ),
    # rising pain after running has already stopped
    "ease_off_stopped": _topic(
        "ease_off_stopped",
        "Your rating went up. Keep the walk slow and gentle, or stop and rest.",
    ),
    "walk_next_ok": _topic(
        "walk_next_ok",
        "Fine: the next run interval becomes a walk.",
    ),
    "pain_stop": _topic(
        "pain_stop",
        "That pain rating means running stops for today. "
        "Walk gently to cool down; please don't run through pain.",
    ),
    "pain_stop_professional": _topic(
        "pain_stop_professional",
        "That rating is high, so running stops here. Walk easy, and please get "
        "advice from a physiotherapist or doctor before you run again.",
    ),
    "red_flag_stop": _topic(
        "red_flag_stop",
        "Pain, tingling or numbness down a leg means running stops now. "
        "Walk gently or rest, and have a physiotherapist or doctor check it "
        "before your next run.",
    ),
    "leg_weakness_stop": _topic(
        "leg_weakness_stop",
        "A leg or foot that feels weak means running stops now. Walk carefully or "
        "rest, and have a physiotherapist or doctor check it before you run again.",
    ),
    "night_pain_stop": _topic(
        "night_pain_stop",
        "Back pain that wakes you at night needs checking first. Running stops for "
        "today; please see a physiotherapist or doctor before your next run.",
    ),
    "recent_fall_stop": _topic(
        "recent_fall_stop",
        "After a fall or a blow to the back, running stops for today. Have it "
        "checked by a physiotherapist or doctor before you run again.",
    ),
    "chest_pain_stop": _topic(
        "chest_pain_stop",
        "Stop exercising now and sit down. Chest pain during exercise needs help: "
        "if it does not ease within a few minutes, call your emergency number.",
    ),
    "faint_stop": _topic(
        "faint_stop",
        "Stop exercising now. Sit or lie down where you cannot fall, and get help "
        "if the faint or dizzy feeling does not pass within a few minutes.",
    ),
    "post_run_high": _topic(
        "post_run_high",
        "That's a high rating after a run. Rest now, and get advice from a "
        "physiotherapist or doctor before running again.",
    ),
    "post_run_sore": _topic(
        "post_run_sore",
        "Noted. Take it easy for the rest of the day; if it has not settled within "
        "an hour, get advice before your next run.",
    ),
    "emergency_stop": _topic(
        "emergency_stop",
        "Stop now. Numbness around the groin or new bladder or bowel changes need "
        "help today: go to an emergency department or call your emergency number now.",
    ),
    # on a treadmill a numb or weak leg is a fall risk: off the belt first
    "treadmill_step_off": _topic(
        "treadmill_step_off",
        "Hold the handrails, bring the belt speed right down, then step off to the side.",
    ),
}

_NUMBERS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
            "ten")

#: The acknowledgement of a pain rating, one per value 0-10 (said and shown).
PAIN_NOTED: dict[int, CueText] = {
    n: CueText(f"pain_noted_{n}", f"Noted: {word} out of ten.") for n, word in enumerate(_NUMBERS)
}

#: Warm-up and cool-down exercises, by a keyword found in the program's exercise
#: name (lower case). The screen shows the program's own line; this is what is said.
EXERCISE_CUES: dict[str, CueText] = {
    "single-leg": CueText("ex_single_leg_bridge",
                          "Single-leg bridges: one foot down, lift the hips, lower slowly."),
    "bridge": CueText("ex_glute_bridge",
                      "Glute bridges: lie on your back, squeeze the glutes, lift the hips."),
    "leg swing": CueText("ex_leg_swings",
                         "Leg swings: hold on to something and swing each leg for about twenty "
                         "seconds."),
    "hip circle": CueText("ex_hip_circles", "Hip circles: slow, big circles, a few each side."),
    "lunge": CueText("ex_walking_lunges", "Walking lunges: long steps, upright chest, ten steps."),
    "butt kick": CueText("ex_butt_kicks", "Butt kicks: easy jog on the spot, heels towards you."),
    "figure-4": CueText("ex_figure_four",
                        "Figure-four stretch: ankle over the other knee, sit back gently, twenty "
                        "to thirty seconds a side."),
    "knee-to-chest": CueText("ex_knee_to_chest",
                             "Knee to chest: lying down, hug one knee in for thirty seconds, three "
                             "times."),
    "cat-cow": CueText("ex_cat_cow",
                       "Cat-cow: on hands and knees, round then gently arch your back, ten slow "
                       "times."),
}
EXERCISE_FALLBACK = CueText("ex_next", "Next exercise: take it slow and easy.")


def exercise_cue(name: str) -> CueText:
    """The spoken line for a program's exercise name (a general one if none matches)."""
    low = name.lower()
    for key, cue in EXERCISE_CUES.items():
        if key in low:
            return cue
    return EXERCISE_FALLBACK


#: Every wording by sound id: what the audio side renders to files.
#: Said 3 s before cadence changes the belt's speed (treadmill control), in place of the
#: first countdown beep; the 2 and 1 beeps follow. Keyed by the phase that comes next.
BELT_SWITCH_CUES: dict[str, tuple[str, str]] = {
    "run": ("belt_run_in_3", "Run in three."),
    "walk": ("belt_walk_in_3", "Walk in three."),
    "cooldown": ("belt_cooldown_in_3", "Cool-down in three."),
    "warmup": ("belt_warmup_in_3", "Warm-up in three."),
}

SPOKEN_CUES: dict[str, str] = {
    cue.sound_id: cue.text
    for table in (FORM_CUES, TEMPO_CUES, PHASE_CUES, SAFETY_CUES)
    for wordings in table.values()
    for cue in wordings
} | {
    cue.sound_id: cue.text
    for cue in (*PAIN_NOTED.values(), *EXERCISE_CUES.values(), EXERCISE_FALLBACK)
} | dict(BELT_SWITCH_CUES.values())


def wordings(topic: str) -> tuple[CueText, ...]:
    """All wordings of ``topic``, whichever table it is in.

    Raises:
        KeyError: the topic does not exist.
    """
    for table in (FORM_CUES, TEMPO_CUES, PHASE_CUES, SAFETY_CUES):
        if topic in table:
            return table[topic]
    raise KeyError(topic)
