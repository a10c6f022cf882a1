"""What a headless session is made of: its settings, a script's keys, one JSON record per tick.

Why here, apart from the loop: ``cadence simulate`` runs the app's own
``LiveSession`` (``cadence.live.headless``), and what it prints must stay the
same for a seed. The pure parts that decide that output live in this module:
``SimConfig``, how a runner script turns into key presses and answers
(``ScriptedRunner``), and the record written for each tick (``tick_record``).
Nothing here touches the disk or a real clock.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from cadence.coach.actions import Action, AskPain, action_to_json
from cadence.coach.inputs import Inputs, RedFlag
from cadence.coach.status import CoachStatus
from cadence.sim.runner import RunnerReading
from cadence.sim.script import RunnerScript

NUDGE_SPM = 2.0
TAP_TEMPO_S = 10.0
#: a script event or answer due within this of a tick's time happens at that tick
DUE_EPS_S = 1e-9
#: after the time limit's end press, a second press this much later ends without waiting
SECOND_END_PRESS_S = 120.0
_FLAG_IDS = frozenset(flag.value for flag in RedFlag)


@dataclass(frozen=True, slots=True)
class SimConfig:
    tick_s: float = 0.5
    footpod_hz: float = 2.0
    footpod: bool = True  # False: no footpod (a tap-tempo runner)
    hr_hz: float = 1.0
    stage: int = 1
    max_duration_s: float | None = None  # None: the plan's length plus 10 minutes
    with_inputs: bool = True  # include the inputs in each record (bigger output)


@dataclass(frozen=True, slots=True)
class Press:
    """What the scripted runner does at one tick (the session's key methods, as data)."""

    pain_rating: int | None = None
    pain_prompt_id: int | None = None
    red_flag: RedFlag | None = None
    toggle_pause: bool = False
    toggle_mute: bool = False
    end: bool = False
    nudge_spm: float = 0.0
    taps_s: tuple[float, ...] = ()
    walk_next: bool = False
    hold_belt: bool = False
    give_belt_back: bool = False
    console: str | None = None  # the treadmill's console: faster, slower, stop, safety_key


@dataclass
class ScriptedRunner:
    """A runner script played against the session clock, tick by tick.

    Args:
        script: the events and the standing answer to pain prompts.
        limit_s: when the runner presses end (and, 2 minutes later, again).
    """

    script: RunnerScript
    limit_s: float
    _events: list[Any] = field(default_factory=list)
    _answers: list[tuple[float, int, int | None]] = field(default_factory=list)
    _taps_s: list[float] = field(default_factory=list)
    _end_sent: bool = False

    def __post_init__(self) -> None:
        self._events = list(self.script.events)

    def press(self, now_s: float, status: CoachStatus, last: RunnerReading | None) -> Press:
        """What is pressed at ``now_s``; ``status`` is the coach before this tick's step."""
        due = now_s + DUE_EPS_S
        out: dict[str, Any] = {}
        pain: tuple[int, int | None] | None = None
        while self._events and self._events[0].at_s <= due:
            ev = self._events.pop(0)
            if ev.pain is not None:
                pain = (ev.pain, status.pain_prompt_id)
            elif ev.key is not None:
                self._key(ev.key, now_s, out, last)
        answers = [a for a in self._answers if a[0] <= due]
        if pain is None and answers:
            _, rating, prompt_id = answers[0]
            self._answers.remove(answers[0])
            if prompt_id == status.pain_prompt_id:
                pain = (rating, prompt_id)
        if pain is not None:
            out["pain_rating"], out["pain_prompt_id"] = pain
        out["taps_s"] = tuple(t for t in self._taps_s if t <= due)
        self._taps_s = [t for t in self._taps_s if t > due]
        if now_s >= self.limit_s and not self._end_sent:
            out["end"] = self._end_sent = True
        elif self._end_sent and now_s >= self.limit_s + SECOND_END_PRESS_S:
            out["end"] = True  # the second press ends without waiting
        return Press(**out)

    def _key(self, key: str, now_s: float, out: dict[str, Any], last: RunnerReading | None) -> None:
        if key == "red_flag":
            out["red_flag"] = RedFlag.LEG_SYMPTOMS
        elif key in _FLAG_IDS:
            out["red_flag"] = RedFlag(key)
        elif key == "walk_next":
            out["walk_next"] = True
        elif key == "pause":
            out["toggle_pause"] = True
        elif key == "mute":
            out["toggle_mute"] = True
        elif key == "end":
            out["end"] = True
        elif key in ("faster", "slower"):
            out["nudge_spm"] = NUDGE_SPM if key == "faster" else -NUDGE_SPM
        elif key == "hold_speed":
            out["hold_belt"] = True
        elif key == "give_back":
            out["give_belt_back"] = True
        elif key.startswith("console_") or key == "safety_key":
            out["console"] = key.removeprefix("console_")
        elif key == "tap_tempo" and last is not None and last.cadence_spm > 0:
            interval_s = 60.0 / last.cadence_spm
            count = math.floor(TAP_TEMPO_S / interval_s)
            self._taps_s.extend(round(now_s + i * interval_s, 4) for i in range(1, count + 1))

    def heard(self, actions: tuple[Action, ...] | list[Action], now_s: float) -> None:
        """Note this tick's pain prompts: the runner answers them after a delay, if scripted."""
        rating = self.script.answer_prompts
        if rating is None:
            return
        for a in actions:
            if isinstance(a, AskPain):
                self._answers.append((now_s + self.script.answer_delay_s, rating, a.prompt_id))


def plan_length_s(plan: Any) -> float:
    """The planned length of a coach's segments, in seconds."""
    return sum(s.duration_s or 0.0 for s in plan)


def tick_record(
    now_s: float,
    status: CoachStatus,
    actions: tuple[Action, ...],
    inputs: Inputs,
    habit_spm: float | None,
    *,
    with_inputs: bool = True,
) -> dict[str, Any]:
    """One JSON-ready line of ``cadence simulate`` (``status`` after the coach's step)."""
    record: dict[str, Any] = {
        "t_s": now_s,
        "phase": status.phase.value,
        "round": status.round_index,
        "tempo_spm": status.tempo_spm,
        "metronome_on": status.metronome_on,
        "volume": status.volume,
        "cadence_spm": None if status.cadence_spm is None else round(status.cadence_spm, 2),
        "runner_spm": None if habit_spm is None else round(habit_spm, 2),
        "actions": [action_to_json(a) for a in actions],
    }
    if with_inputs:
        record["inputs"] = inputs_json(inputs)
    return record


def inputs_json(inputs: Inputs) -> dict[str, Any]:
    out: dict[str, Any] = {
        "samples": [
            {k: v for k, v in (("t_s", s.t_s), ("role", s.role.value),
                               ("cadence_spm", s.cadence_spm), ("hr_bpm", s.hr_bpm),
                               ("distance_m", s.distance_m)) if v is not None}
            for s in inputs.samples
        ]
    }
    if inputs.taps_s:
        out["taps_s"] = list(inputs.taps_s)
    if inputs.pain is not None:
        out["pain"] = {"rating": inputs.pain.rating, "prompt_id": inputs.pain.prompt_id}
    if inputs.red_flag is not None:
        out["red_flag"] = inputs.red_flag.value
    for name in ("tempo_nudge_spm", "toggle_mute", "toggle_pause", "end_requested",
                 "walk_next_run"):
        value = getattr(inputs, name)
        if value:
            out[name] = value
    return out
