"""When to say which cue: spacing, rotation and the timed/triggered form rules.

Why separate from the engine: cue etiquette is its own set of rules that are
easy to test in isolation. A runner who hears a cue every 20 s stops listening,
and a cue spoken over a pain question is noise, so:

- form and tempo cues are at least ``min_gap_s`` apart (from any cue,
  including phase announcements), never while a pain prompt is open, and only
  while running;
- phase and safety lines always go out immediately (they are not optional);
- each topic rotates through its wordings.

Timed rules: a form check every ``form_check_every_s`` of session time in the
run-walk part (10 min by default, the week's own value when the program sets
one; walk breaks count, so protocol A's week 2 really checks every 10 minutes,
said at the next moment of running); a "run tall" drill
every mile (1609 m) or, on a treadmill or without distance data, every 10 min
of running; the treadmill incline tip at the start. Triggered rules (checked by
the engine, which passes the topic here): cadence slipping below the band,
late-run drift, heart rate over the easy cap.
"""

from __future__ import annotations

from cadence.coach.actions import Cue, CueKind
from cadence.coach.cue_library import CueText, wordings

MILE_M = 1609.344


class CueRotor:
    """Hands out the wordings of each topic in turn."""

    def __init__(self) -> None:
        self._next: dict[str, int] = {}

    def cue(self, topic: str, kind: CueKind, wording: str | None = None) -> Cue:
        """The next wording of ``wording`` (default: the topic's own), labelled ``topic``."""
        key = wording or topic
        options = wordings(key)
        i = self._next.get(key, 0)
        self._next[key] = (i + 1) % len(options)
        chosen = options[i % len(options)]
        return Cue(text=chosen.text, kind=kind, sound_id=chosen.sound_id, topic=topic)


class CueScheduler:
    """Decides whether an optional cue may be spoken now, and records cues said."""

    def __init__(self, min_gap_s: float) -> None:
        self.min_gap_s = min_gap_s
        self.rotor = CueRotor()
        self.last_cue_s: float | None = None
        self.count_by_topic: dict[str, int] = {}

    def may_speak(self, now_s: float, prompt_open: bool) -> bool:
        if prompt_open:
            return False
        return self.last_cue_s is None or now_s - self.last_cue_s >= self.min_gap_s

    def optional(
        self, now_s: float, topic: str, kind: CueKind, prompt_open: bool,
        wording: str | None = None,
    ) -> Cue | None:
        """A form/tempo cue if spacing allows, else None (the caller retries later)."""
        if not self.may_speak(now_s, prompt_open):
            return None
        return self.required(now_s, topic, kind, wording)

    def required(
        self, now_s: float, topic: str, kind: CueKind, wording: str | None = None
    ) -> Cue:
        """A phase or safety line: always spoken; it still resets the spacing clock.

        ``wording`` picks another topic's sentences under this topic's name (the
        run announcement without a beat is still the "run" announcement).
        """
        self.last_cue_s = now_s
        self.count_by_topic[topic] = self.count_by_topic.get(topic, 0) + 1
        return self.rotor.cue(topic, kind, wording)

    def say(self, now_s: float, text: CueText, kind: CueKind, topic: str) -> Cue:
        """A required line with one fixed wording (a rating's acknowledgement, an exercise)."""
        self.last_cue_s = now_s
        self.count_by_topic[topic] = self.count_by_topic.get(topic, 0) + 1
        return Cue(text=text.text, kind=kind, sound_id=text.sound_id, topic=topic)


class FormTimers:
    """The timed form rules: form checks on session time, the drill on running time or distance."""

    def __init__(self, form_check_every_s: float, drill_every_s: float, by_distance: bool) -> None:
        self.form_check_every_s = form_check_every_s
        self.drill_every_s = drill_every_s
        self.by_distance = by_distance
        self._form_run_s = 0.0
        self._drill_run_s = 0.0
        self._drill_m = 0.0
        self.form_due = False
        self.drill_due = False
        self.saw_distance = False

    def advance(self, run_dt_s: float, run_dm: float | None) -> None:
        """Count running time, and distance when a sensor reports it (else None)."""
        self._drill_run_s += run_dt_s
        if run_dm is not None:
            self._drill_m += run_dm
            self.saw_distance = True
        if self.by_distance and self.saw_distance:
            self.drill_due = self.drill_due or self._drill_m >= MILE_M
        elif self._drill_run_s >= self.drill_every_s:
            self.drill_due = True

    def count_session(self, dt_s: float) -> None:
        """Count session time in runs and walks (the form-check clock)."""
        self._form_run_s += dt_s
        if self._form_run_s >= self.form_check_every_s:
            self.form_due = True

    def form_said(self) -> None:
        self.form_due = False
        self._form_run_s = 0.0

    def drill_said(self) -> None:
        self.drill_due = False
        self._drill_run_s = 0.0
        self._drill_m = 0.0
