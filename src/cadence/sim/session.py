"""A whole coached session on a virtual clock: coach + simulated runner + script.

Why: the coach's behaviour over 30 minutes (ramp, fades, phases, pain stops)
cannot be checked tick by tick by hand. This driver wires the real ``Coach`` to
``SimulatedRunner`` the way the live app wires it to sensors, only with a
virtual clock, so a session runs in well under a second and the scenario tests
and ``cadence simulate`` assert on its JSON lines.

Wiring per tick (``tick_s``):
- the runner is stepped at each footpod reading time (``footpod_hz``) since the
  last tick and hears the metronome only while it is on and audible (muted or
  faded: the runner keeps their habit); gait follows the phase (run in RUN,
  walk in warm-up, walk and cool-down, stand when done);
- footpod and heart-rate ``Sample``s, script keys and pain answers become
  ``Inputs``; ``coach.step`` returns actions;
- one record per tick: time, inputs, actions, phase, tempo, estimate, truth.

Nothing here touches the disk or a real clock.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from cadence.coach.actions import Action, AskPain, Phase, action_to_json
from cadence.coach.engine import Coach
from cadence.coach.inputs import Inputs, PainAnswer, RedFlag
from cadence.model.sample import Sample, SensorRole
from cadence.profile.model import Profile, ProgramWeek
from cadence.sim.runner import Gait, RunnerParams, RunnerReading, SimulatedRunner
from cadence.sim.script import RunnerScript

_GAIT = {
    Phase.WARMUP: Gait.WALK,
    Phase.RUN: Gait.RUN,
    Phase.WALK: Gait.WALK,
    Phase.COOLDOWN: Gait.WALK,
    Phase.DONE: Gait.STAND,
}
NUDGE_SPM = 2.0
TAP_TEMPO_S = 10.0


@dataclass(frozen=True, slots=True)
class SimConfig:
    tick_s: float = 0.5
    footpod_hz: float = 2.0
    footpod: bool = True  # False: no footpod (a tap-tempo runner)
    hr_hz: float = 1.0
    stage: int = 1
    max_duration_s: float | None = None  # None: the plan's length plus 10 minutes
    with_inputs: bool = True  # include the inputs in each record (bigger output)


@dataclass
class _Pending:
    answers: list[tuple[float, int, int | None]] = field(default_factory=list)
    taps_s: list[float] = field(default_factory=list)


def plan_length_s(coach: Coach) -> float:
    return sum(s.duration_s or 0.0 for s in coach.plan)


def simulate(
    profile: Profile,
    week: ProgramWeek,
    *,
    runner: RunnerParams | None = None,
    seed: int = 0,
    script: RunnerScript | None = None,
    config: SimConfig | None = None,
) -> Iterator[dict[str, Any]]:
    """Run one session; yields one JSON-ready record per tick until it ends."""
    cfg = config or SimConfig()
    script = script or RunnerScript()
    coach = Coach(profile, week, start_s=0.0, stage=cfg.stage)
    person = SimulatedRunner(runner, seed=seed)
    limit_s = cfg.max_duration_s if cfg.max_duration_s is not None else plan_length_s(coach) + 600
    pod_dt = 1.0 / cfg.footpod_hz
    hr_dt = 1.0 / cfg.hr_hz
    next_pod_s, next_hr_s = 0.0, 0.0
    events = list(script.events)
    pending = _Pending()
    end_sent = False
    last: RunnerReading | None = None
    tick = 0
    while not coach.ended:
        now_s = round(tick * cfg.tick_s, 6)
        tick += 1
        status = coach.status(now_s)
        audible = status.metronome_on and status.volume > 0 and not status.muted
        tempo = status.tempo_spm if audible else None
        gait = _GAIT[status.phase]
        samples: list[Sample] = []
        if not cfg.footpod:
            last = person.step(now_s, tempo, gait)  # the runner moves; nothing measures it
        while cfg.footpod and next_pod_s <= now_s + 1e-9:
            last = person.step(next_pod_s, tempo, gait)
            samples.append(
                Sample(next_pod_s, SensorRole.FOOTPOD, cadence_spm=round(last.cadence_spm, 1),
                       speed_mps=last.speed_mps, distance_m=round(last.distance_m, 2),
                       sensor_id="sim-footpod")
            )
            next_pod_s = round(next_pod_s + pod_dt, 6)
        if last is not None and next_hr_s <= now_s + 1e-9:
            samples.append(Sample(now_s, SensorRole.HEART_RATE, hr_bpm=last.hr_bpm,
                                  sensor_id="sim-hr"))
            next_hr_s = round(next_hr_s + hr_dt, 6)
        kwargs: dict[str, Any] = {}
        pain = None
        while events and events[0].at_s <= now_s + 1e-9:
            ev = events.pop(0)
            if ev.pain is not None:
                pain = PainAnswer(ev.pain, status.pain_prompt_id)
            elif ev.key is not None:
                _apply_key(ev.key, now_s, kwargs, pending, last)
        due = [a for a in pending.answers if a[0] <= now_s + 1e-9]
        if pain is None and due:
            _, rating, prompt_id = due[0]
            pending.answers.remove(due[0])
            if prompt_id == status.pain_prompt_id:
                pain = PainAnswer(rating, prompt_id)
        taps = tuple(t for t in pending.taps_s if t <= now_s + 1e-9)
        pending.taps_s = [t for t in pending.taps_s if t > now_s + 1e-9]
        if now_s >= limit_s and not end_sent:
            kwargs["end_requested"] = True
            end_sent = True
        elif end_sent and now_s >= limit_s + 120.0:
            kwargs["end_requested"] = True  # the second press ends without waiting
        inputs = Inputs(samples=tuple(samples), taps_s=taps, pain=pain, **kwargs)
        actions = coach.step(now_s, inputs)
        _schedule_answers(actions, now_s, script, pending)
        after = coach.status(now_s)
        record: dict[str, Any] = {
            "t_s": now_s,
            "phase": after.phase.value,
            "round": after.round_index,
            "tempo_spm": after.tempo_spm,
            "metronome_on": after.metronome_on,
            "volume": after.volume,
            "cadence_spm": None if after.cadence_spm is None else round(after.cadence_spm, 2),
            "runner_spm": None if last is None else round(person.habit_spm, 2),
            "actions": [action_to_json(a) for a in actions],
        }
        if cfg.with_inputs:
            record["inputs"] = _inputs_json(inputs)
        yield record


def _apply_key(
    key: str, now_s: float, kwargs: dict[str, Any], pending: _Pending, last: RunnerReading | None
) -> None:
    if key == "red_flag":
        kwargs["red_flag"] = RedFlag.LEG_SYMPTOMS
    elif key in {flag.value for flag in RedFlag}:
        kwargs["red_flag"] = RedFlag(key)
    elif key == "walk_next":
        kwargs["walk_next_run"] = True
    elif key == "pause":
        kwargs["toggle_pause"] = True
    elif key == "mute":
        kwargs["toggle_mute"] = True
    elif key == "end":
        kwargs["end_requested"] = True
    elif key in ("faster", "slower"):
        kwargs["tempo_nudge_spm"] = NUDGE_SPM if key == "faster" else -NUDGE_SPM
    elif key == "tap_tempo" and last is not None and last.cadence_spm > 0:
        interval_s = 60.0 / last.cadence_spm
        count = math.floor(TAP_TEMPO_S / interval_s)
        pending.taps_s.extend(round(now_s + i * interval_s, 4) for i in range(1, count + 1))


def _schedule_answers(
    actions: list[Action], now_s: float, script: RunnerScript, pending: _Pending
) -> None:
    if script.answer_prompts is None:
        return
    for a in actions:
        if isinstance(a, AskPain):
            pending.answers.append((now_s + script.answer_delay_s, script.answer_prompts,
                                    a.prompt_id))


def _inputs_json(inputs: Inputs) -> dict[str, Any]:
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
