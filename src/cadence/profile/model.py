"""Typed, validated shape of a runner profile and of a run-walk program.

The loader (``cadence.profile.loader``) turns YAML into these; everything else
reads only these dataclasses. Defaults follow ``shared/docs/coaching-facts.md``:
a 170-180 spm band, stop at a pain rating of 3, +5 % per stage and never more
than +10 % above the runner's own cadence, at most +10 % weekly volume.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from cadence.model.sample import SensorRole


class CadenceUnit(StrEnum):
    STRIDES = "strides"  # one foot per minute: what the RSC spec means
    STEPS = "steps"  # both feet per minute: what some footpods send
    AUTO = "auto"  # decide from the value and the speed


class WalkMetronome(StrEnum):
    OFF = "off"
    WALK_TEMPO = "walk_tempo"


class MusicClicks(StrEnum):
    ON_TOP = "on_top"  # the clicks play over the music
    OFF = "off"  # the music alone is the beat (its kicks are on the grid)


class MusicWalk(StrEnum):
    WALK_TEMPO = "walk_tempo"  # walks get tracks near the walking tempo
    QUIETER = "quieter"  # the running track plays on, softer, through walks
    OFF = "off"  # no music while walking


class FadeMode(StrEnum):
    FADE = "fade"  # volume fades out, returns when cadence slips
    INTERMITTENT = "intermittent"  # plays some bars, rests some bars
    NONE = "none"  # never fade


class FeedbackStep(StrEnum):
    """How much the metronome leads in one session, from most to least (faded feedback).

    Crowell & Davis 2011 and Willy 2016 fade the external cue over sessions so the
    new rhythm becomes the runner's own instead of the beat's.
    """

    CONTINUOUS = "continuous"  # the beat plays the whole run
    INTERMITTENT = "intermittent"  # some bars on, some off
    BANDWIDTH = "bandwidth"  # silent while on target, back when cadence leaves it


@dataclass(frozen=True, slots=True)
class ProgressionSettings:
    """Across sessions: how a flare cuts volume, and how feedback fades.

    ``flare_cut_pct`` and ``flare_cut_days`` follow the facts' 30-50 % for 5-7
    days; the feedback schedule moves one step after every
    ``feedback_step_sessions`` sessions in which the runner held the target.
    """

    flare_cut_pct: float = 40.0
    flare_cut_days: int = 7
    feedback_schedule: tuple[FeedbackStep, ...] = (
        FeedbackStep.CONTINUOUS, FeedbackStep.INTERMITTENT, FeedbackStep.BANDWIDTH)
    feedback_step_sessions: int = 2


@dataclass(frozen=True, slots=True)
class SensorConfig:
    role: SensorRole
    address: str | None = None
    name: str | None = None
    cadence_unit: CadenceUnit = CadenceUnit.AUTO


@dataclass(frozen=True, slots=True)
class CadenceBand:
    low_spm: float = 170.0
    high_spm: float = 180.0


@dataclass(frozen=True, slots=True)
class TempoPolicy:
    stage_increase_pct: float = 5.0
    max_increase_pct: float = 10.0
    ramp_step_spm: float = 1.0  # one nudge of the metronome
    ramp_interval_s: float = 30.0  # time between nudges
    lag_tolerance_spm: float = 3.0  # ramp pauses while cadence is further behind than this
    fade_after_s: float = 180.0  # hold the target this long, then fade
    fade_mode: FadeMode = FadeMode.FADE


@dataclass(frozen=True, slots=True)
class MetronomeSettings:
    sound: str = "woodblock"  # a click sound in sounds/
    volume: float = 0.8  # 0.0-1.0
    accent_every: int = 4  # 0: no accent
    walk: WalkMetronome = WalkMetronome.OFF
    walk_tempo_spm: float = 115.0


@dataclass(frozen=True, slots=True)
class ShoeSettings:
    name: str = ""
    start_km: float = 0.0  # distance already on the shoes when first used here
    replace_warn_km: float = 480.0  # 300 miles
    replace_km: float = 800.0  # 500 miles


@dataclass(frozen=True, slots=True)
class TreadmillControl:
    """Whether cadence may set the belt (FTMS control), and to what.

    Off by default: the runner opts in, since a belt that changes speed on its
    own is a surprise on a machine you are standing on.
    """

    control: bool = False
    run_speed_kmh: float = 8.0  # belt speed for runs
    walk_speed_kmh: float = 5.0  # walks, warm-up and cool-down
    incline_pct: float = 1.0  # kept through the session (1 % is like running outdoors)


@dataclass(frozen=True, slots=True)
class Profile:
    runner_name: str = "Runner"
    band: CadenceBand = field(default_factory=CadenceBand)
    baseline_cadence_spm: float | None = None  # None: measured in the first minutes
    sensors: tuple[SensorConfig, ...] = ()
    easy_hr_cap_bpm: int | None = None
    body_mass_kg: float | None = None  # only for the exports' calorie estimate; None: none
    pain_prompt_interval_s: float = 600.0
    pain_stop_rating: int = 3  # a rating at or above this ends the running part
    metronome: MetronomeSettings = field(default_factory=MetronomeSettings)
    tempo: TempoPolicy = field(default_factory=TempoPolicy)
    program: str = "continuous"  # a program name in profiles/programs/ or a path
    program_week: int = 1
    treadmill: bool = False  # a treadmill session: treadmill cues, no distance-based drills
    treadmill_control: TreadmillControl = field(default_factory=TreadmillControl)
    cue_min_gap_s: float = 60.0
    shoe: ShoeSettings = field(default_factory=ShoeSettings)
    progression: ProgressionSettings = field(default_factory=ProgressionSettings)
    music: MusicSettings | None = None  # None: no music, the metronome alone
    source_path: Path | None = None


@dataclass(frozen=True, slots=True)
class MusicSettings:
    """The runner's own music for sessions (the profile's ``music:`` section).

    ``folder`` or ``playlist`` (an .m3u) as written, relative to the
    profile's folder; whether they hold anything usable is only known when the
    session starts (then one line, and the plain metronome if nothing fits).
    """

    folder: str | None = None
    playlist: str | None = None
    volume: float = 0.6
    clicks: MusicClicks = MusicClicks.ON_TOP
    stretch_limit_pct: float = 8.0  # tracks further from today's tempo are not played
    walk: MusicWalk = MusicWalk.QUIETER
    walk_volume: float = 0.3  # with walk: quieter


@dataclass(frozen=True, slots=True)
class WarmupBlock:
    name: str  # e.g. "Glute activation"
    duration_s: float
    exercises: tuple[str, ...] = ()


#: The static stretches after a run (coaching-facts.md, "Before and after").
COOLDOWN_STRETCHES: tuple[str, ...] = (
    "Figure-4 glute stretch, 20-30 s each side",
    "Knee-to-chest, 30 s, three times",
    "Cat-cow, 10 slow rounds",
)


@dataclass(frozen=True, slots=True)
class ProgramWeek:
    week: int
    run_s: float  # one run interval; for a continuous week, the whole run
    walk_s: float  # one walk interval; 0 for continuous running
    rounds: int
    sessions: int  # sessions planned in the week
    warmup: tuple[WarmupBlock, ...] = ()
    cooldown_s: float = 300.0
    form_check_every_s: float | None = None  # e.g. 600 in protocol A week 2
    cooldown_exercises: tuple[str, ...] = COOLDOWN_STRETCHES  # said during the cool-down


@dataclass(frozen=True, slots=True)
class Program:
    name: str
    title: str
    weeks: tuple[ProgramWeek, ...]
    max_weekly_increase_pct: float = 10.0
    source_path: Path | None = None
    # The first week whose weekly running time may exceed the week before by at
    # most max_weekly_increase_pct. Earlier weeks are the protocol's prescribed
    # run-walk steps (protocol A weeks 1-3 grow faster than 10 %: mostly walking).
    volume_cap_from_week: int = 1

    def week(self, number: int) -> ProgramWeek:
        """The plan for ``number`` (1-based); past the last week, the last week repeats."""
        for w in self.weeks:
            if w.week == number:
                return w
        return self.weeks[-1]
