"""Helpers for driving the coach in tests: weeks, steady footpods, action filters."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from cadence.coach.actions import Action
from cadence.coach.engine import Coach
from cadence.coach.inputs import Inputs
from cadence.model.sample import Sample, SensorRole
from cadence.profile.model import ProgramWeek, WarmupBlock

A = TypeVar("A")

GLUTES = WarmupBlock("Glute activation", 300.0, ("Glute bridges", "Hip circles"))

PROTOCOL_A_WEEK_1 = ProgramWeek(
    week=1, run_s=60.0, walk_s=180.0, rounds=6, sessions=3, warmup=(GLUTES,), cooldown_s=300.0
)
CONTINUOUS_30 = ProgramWeek(week=1, run_s=1800.0, walk_s=0.0, rounds=1, sessions=3,
                            cooldown_s=300.0)
RUN_ONLY_20 = ProgramWeek(week=1, run_s=1200.0, walk_s=0.0, rounds=1, sessions=3, cooldown_s=60.0)


def footpod(t_s: float, spm: float) -> Sample:
    return Sample(t_s, SensorRole.FOOTPOD, cadence_spm=spm, sensor_id="test")


@dataclass
class Drive:
    """Steps a coach on a fixed tick with a steady (or scripted) footpod."""

    coach: Coach
    tick_s: float = 0.5
    spm: Callable[[float], float | None] = lambda t: 160.0
    now_s: float = 0.0
    log: list[tuple[float, Action]] = field(default_factory=list)

    def tick(self, **inputs: Any) -> list[Action]:
        self.now_s = round(self.now_s + self.tick_s, 6)
        value = self.spm(self.now_s)
        samples = () if value is None else (footpod(self.now_s, value),)
        actions = self.coach.step(self.now_s, Inputs(samples=samples, **inputs))
        self.log.extend((self.now_s, a) for a in actions)
        return actions

    def until(self, t_s: float, stop: Callable[[list[Action]], bool] | None = None) -> None:
        while self.now_s < t_s - 1e-9 and not self.coach.ended:
            actions = self.tick()
            if stop is not None and stop(actions):
                return

    def of(self, kind: type[A]) -> list[tuple[float, A]]:
        return [(t, a) for t, a in self.log if isinstance(a, kind)]


def only(actions: Iterable[Action], kind: type[A]) -> list[A]:
    return [a for a in actions if isinstance(a, kind)]
