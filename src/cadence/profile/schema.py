"""The profile file format: which fields exist, their types and limits.

Each ``read_*`` function walks a composed YAML node with ``MapReader`` and
builds the dataclasses of ``cadence.profile.model``, reporting every problem
into ``Issues``. The limits are not arbitrary; the safety-relevant ones come
from ``shared/docs/coaching-facts.md`` and are explained in their messages:

- the cadence band lies within 140-190 spm: the band's top caps the beat (with
  the runner's own cadence), so a top of 230 would let the keys push a runner
  far past the advice.
- pain ``stop_at`` is 1-4: stopping at 3/10 is the default; 4 covers the
  source that says "above 3". Anything higher would mean running through pain.
- tempo ``max_increase_pct`` is at most 10 (+5-10 % above the runner's own
  cadence is the advice), and a stage never exceeds the maximum.
- a program's weekly running time grows by at most 10 % a week from its
  ``volume_cap_from_week`` on (the program file: ``program_schema``).

File access and program lookup live in ``cadence.profile.loader``; this module
only reads nodes, so it is easy to test with YAML text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from yaml.nodes import Node, ScalarNode

from cadence.model.sample import SensorRole
from cadence.profile.model import (
    CadenceBand,
    CadenceUnit,
    FadeMode,
    FeedbackStep,
    MetronomeSettings,
    Profile,
    ProgressionSettings,
    SensorConfig,
    ShoeSettings,
    TempoPolicy,
    WalkMetronome,
)
from cadence.profile.music_schema import read_music
from cadence.profile.treadmill_schema import is_treadmill_session, read_treadmill_control
from cadence.profile.yaml_reader import Issues, MapReader, did_you_mean, fmt

#: Click sounds the metronome knows (``sounds/click_<name>.wav``).
KNOWN_CLICKS: tuple[str, ...] = ("woodblock", "beep", "cowbell")


_MAC = re.compile(r"^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){5}$")
_UUID = re.compile(r"^[0-9A-Fa-f]{8}(-[0-9A-Fa-f]{4}){3}-[0-9A-Fa-f]{12}$")
_SENSOR_ROLES = (SensorRole.FOOTPOD, SensorRole.HEART_RATE, SensorRole.TREADMILL)

PROFILE_FIELDS = (
    "runner",
    "band",
    "baseline_cadence_spm",
    "sensors",
    "easy_hr_cap_bpm",
    "body_mass_kg",
    "pain",
    "metronome",
    "tempo",
    "program",
    "treadmill",
    "cues",
    "shoe",
    "progression",
    "music",
)



@dataclass(frozen=True, slots=True)
class ProgramRef:
    """Where the profile names its program, so lookup errors can point there."""

    name: str
    week: int
    name_node: Node | None
    week_node: Node | None
    field: str


def read_profile(root: Node | None, issues: Issues) -> tuple[Profile, ProgramRef]:
    """Build a ``Profile`` from the document node (problems go to ``issues``)."""
    doc = MapReader(issues, root, "", PROFILE_FIELDS, required=("runner",))
    if root is None:
        issues.add(None, "", "the file is empty; a profile needs at least 'runner:'")
    band = _read_band(doc)
    pain = doc.section("pain", ("prompt_every_min", "stop_at"))
    cues = doc.section("cues", ("min_gap_s",))
    profile = Profile(
        runner_name=doc.text("runner", "Runner"),
        band=band,
        baseline_cadence_spm=doc.optional_number("baseline_cadence_spm", None, 100, 220),
        sensors=_read_sensors(doc),
        easy_hr_cap_bpm=doc.optional_whole("easy_hr_cap_bpm", None, 80, 220),
        body_mass_kg=doc.optional_number("body_mass_kg", None, 25, 250),
        pain_prompt_interval_s=pain.number("prompt_every_min", 10, 1, 30) * 60,
        pain_stop_rating=pain.whole(
            "stop_at",
            3,
            1,
            4,
            why="a rating of 3 should end the run (4 at the very most); higher would mean "
            "running through pain",
        ),
        metronome=_read_metronome(doc),
        tempo=_read_tempo(doc),
        treadmill=is_treadmill_session(doc),
        treadmill_control=read_treadmill_control(doc),
        cue_min_gap_s=cues.number("min_gap_s", 60, 60, 900),
        shoe=_read_shoe(doc),
        progression=_read_progression(doc),
        music=read_music(doc),
    )
    ref = _read_program_ref(doc)
    return _with_program(profile, ref), ref


def _with_program(profile: Profile, ref: ProgramRef) -> Profile:
    return replace(profile, program=ref.name, program_week=ref.week)


BAND_MIN_SPM = 140  # a band's sensible limits: the coaching aims at 170-180 spm
BAND_MAX_SPM = 190


def _read_band(doc: MapReader) -> CadenceBand:
    band = doc.section("band", ("low_spm", "high_spm"), required=("low_spm", "high_spm"))
    low = band.number("low_spm", 170, BAND_MIN_SPM, BAND_MAX_SPM - 5)
    high = band.number(
        "high_spm", 180, BAND_MIN_SPM + 5, BAND_MAX_SPM,
        why="the beat never goes above the band's top, and the coaching aims at 170-180",
    )
    if band.has("low_spm") and band.has("high_spm") and low >= high:
        band.error("low_spm", f"must be below high_spm (got {fmt(low)} and {fmt(high)})")
        return CadenceBand()
    return CadenceBand(low_spm=low, high_spm=high)


def _read_sensors(doc: MapReader) -> tuple[SensorConfig, ...]:
    sensors: list[SensorConfig] = []
    for i, node in enumerate(doc.items("sensors")):
        path = f"{doc.field('sensors')}[{i}]"
        entry = MapReader(
            doc.issues, node, path, ("role", "address", "name", "cadence_unit"), ("role",)
        )
        role = entry.choice("role", SensorRole, SensorRole.FOOTPOD)
        if entry.has("role") and role not in _SENSOR_ROLES:
            entry.error("role", "tap tempo needs no sensor entry; use footpod, hr or treadmill")
        address = entry.optional_text("address")
        name = entry.optional_text("name")
        bad_address = address is not None and not (_MAC.match(address) or _UUID.match(address))
        if bad_address:
            entry.error(
                "address",
                f"must look like C0:FF:EE:00:11:22 (or a macOS device UUID); got {address!r}",
            )
            address = None
        if entry.has("role") and address is None and name is None and not bad_address:
            entry.issues.add(node, path, "needs an address or a name to find the sensor")
        unit = entry.choice("cadence_unit", CadenceUnit, CadenceUnit.AUTO)
        if entry.has("cadence_unit") and role is SensorRole.HEART_RATE:
            entry.error("cadence_unit", "only footpods and treadmills report cadence")
        sensors.append(SensorConfig(role=role, address=address, name=name, cadence_unit=unit))
    return tuple(sensors)


def _read_metronome(doc: MapReader) -> MetronomeSettings:
    m = doc.section("metronome", ("sound", "volume", "accent_every", "walk", "walk_tempo_spm"))
    sound = m.text("sound", "woodblock").lower()
    if m.has("sound") and sound not in KNOWN_CLICKS:
        m.error("sound", f"unknown click sound {sound!r}{did_you_mean(sound, KNOWN_CLICKS)}")
        sound = "woodblock"
    return MetronomeSettings(
        sound=sound,
        volume=m.number("volume", 0.8, 0, 1),
        accent_every=m.whole("accent_every", 4, 0, 16),
        walk=m.choice("walk", WalkMetronome, WalkMetronome.OFF),
        walk_tempo_spm=m.number("walk_tempo_spm", 115, 80, 140),
    )


def _read_tempo(doc: MapReader) -> TempoPolicy:
    t = doc.section(
        "tempo",
        (
            "stage_increase_pct",
            "max_increase_pct",
            "ramp_step_spm",
            "ramp_interval_s",
            "lag_tolerance_spm",
            "fade_after_min",
            "fade_mode",
        ),
    )
    max_pct = t.number(
        "max_increase_pct",
        10,
        0,
        10,
        lo_open=True,
        why="the advice is +5-10 % above your own cadence, no more",
    )
    stage_pct = t.number("stage_increase_pct", 5, 0, 10, lo_open=True)
    if t.has("stage_increase_pct") and stage_pct > max_pct:
        t.error(
            "stage_increase_pct",
            f"must not exceed max_increase_pct (got {fmt(stage_pct)} > {fmt(max_pct)})",
        )
        stage_pct = min(stage_pct, max_pct)
    return TempoPolicy(
        stage_increase_pct=stage_pct,
        max_increase_pct=max_pct,
        ramp_step_spm=t.number("ramp_step_spm", 1, 0, 5, lo_open=True),
        ramp_interval_s=t.number("ramp_interval_s", 30, 5, 300),
        lag_tolerance_spm=t.number("lag_tolerance_spm", 3, 1, 15),
        fade_after_s=t.number("fade_after_min", 3, 0.5, 30) * 60,
        fade_mode=t.choice("fade_mode", FadeMode, FadeMode.FADE),
    )


def _read_shoe(doc: MapReader) -> ShoeSettings:
    s = doc.section("shoe", ("name", "start_km", "replace_warn_km", "replace_km"))
    warn = s.number("replace_warn_km", 480, 0, 3000, lo_open=True)
    replace = s.number("replace_km", 800, 0, 3000, lo_open=True)
    if warn > replace:
        s.error(
            "replace_warn_km",
            f"must not be more than replace_km (got {fmt(warn)} > {fmt(replace)})",
        )
        warn = replace
    return ShoeSettings(
        name=s.text("name", "", allow_blank=True),
        start_km=s.number("start_km", 0, 0, 5000),
        replace_warn_km=warn,
        replace_km=replace,
    )


def _read_progression(doc: MapReader) -> ProgressionSettings:
    p = doc.section(
        "progression",
        ("flare_cut_pct", "flare_cut_days", "feedback_schedule", "feedback_step_sessions"),
    )
    schedule: list[FeedbackStep] = []
    options = [step.value for step in FeedbackStep]
    for i, node in enumerate(p.items("feedback_schedule")):
        path = f"{p.field('feedback_schedule')}[{i}]"
        raw = str(node.value).strip().lower() if isinstance(node, ScalarNode) else ""
        if raw not in options:
            got = node.value if isinstance(node, ScalarNode) else "a list or mapping"
            p.issues.add(node, path, f"must be one of {', '.join(options)} (got {got!r})"
                         + did_you_mean(raw, options, list_all=False))
            continue
        schedule.append(FeedbackStep(raw))
    if p.has("feedback_schedule") and not p.items("feedback_schedule") and not p.issues.items:
        p.error("feedback_schedule", "needs at least one step (continuous, intermittent, "
                "bandwidth)")
    return ProgressionSettings(
        flare_cut_pct=p.number(
            "flare_cut_pct", 40, 30, 50,
            why="after a flare, running is cut by 30-50 %",
        ),
        flare_cut_days=p.whole(
            "flare_cut_days", 7, 5, 7, why="a flare's cut lasts 5-7 days",
        ),
        feedback_schedule=tuple(schedule) or ProgressionSettings().feedback_schedule,
        feedback_step_sessions=p.whole("feedback_step_sessions", 2, 1, 20),
    )


def _read_program_ref(doc: MapReader) -> ProgramRef:
    node = doc.value_node("program")
    if isinstance(node, ScalarNode) and node.tag != "tag:yaml.org,2002:null":
        name = doc.text("program", "continuous")  # shorthand: "program: protocol-a"
        return ProgramRef(name, 1, node, None, "program")
    p = doc.section("program", ("name", "week"), required=("name",))
    return ProgramRef(
        name=p.text("name", "continuous"),
        week=p.whole("week", 1, 1, 52),
        name_node=p.value_node("name"),
        week_node=p.value_node("week"),
        field=p.field("name"),
    )
