"""``cadence profile check FILE...`` and ``cadence profile show FILE``.

``check`` is what a runner uses after editing a copied profile or program: one
``ok: FILE`` line per good file on stdout, one ``file:line: field: message``
line per problem on stderr, exit 2 if anything is wrong. It tells programs
from profiles by their ``weeks:`` key. ``show`` prints the resolved profile
(defaults filled in) and the week-by-week program plan.

Only the standard library is imported at module level; YAML and the validator
load inside ``run`` so ``cadence --help`` stays fast.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cadence.profile.model import MusicSettings, Profile, Program, TreadmillControl


def add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", metavar="ACTION")
    check = actions.add_parser(
        "check",
        help="validate profile or program files",
        description="Validate profile or program files; exit 2 if any has a problem.",
    )
    check.add_argument("files", nargs="+", metavar="FILE", help="a profile or program YAML file")
    show = actions.add_parser(
        "show",
        help="print a profile with its defaults and its program plan",
        description="Print a profile with its defaults filled in, and its program week by week.",
    )
    show.add_argument("file", metavar="FILE", help="a profile YAML file")


def run(args: argparse.Namespace) -> int:
    action = getattr(args, "action", None)
    if action == "check":
        return _check(args.files)
    if action == "show":
        return _show(args.file)
    print("cadence profile: error: say 'check FILE...' or 'show FILE'", file=sys.stderr)
    return 2


def _check(files: list[str]) -> int:
    from cadence.profile.loader import check_file

    failed = False
    for name in files:
        issues = check_file(name)
        if issues:
            failed = True
            for issue in issues:
                print(issue, file=sys.stderr)
        else:
            print(f"ok: {name}")
    return 2 if failed else 0


def _show(name: str) -> int:
    from cadence.profile.errors import ProfileError
    from cadence.profile.loader import load_profile_and_program

    try:
        profile, program = load_profile_and_program(name)
    except ProfileError as exc:
        for issue in exc.issues:
            print(issue, file=sys.stderr)
        return 2
    print("\n".join([*describe_profile(profile), "", *describe_program(program, profile)]))
    return 0


def _belt_line(t: TreadmillControl) -> str:
    if not t.control:
        return "belt:        set on the console (cadence does not control the treadmill)"
    return (
        f"belt:        cadence sets it: runs {t.run_speed_kmh:g} km/h, walks "
        f"{t.walk_speed_kmh:g} km/h, incline {t.incline_pct:g} %"
    )


def _min(seconds: float) -> str:
    return f"{seconds / 60:g} min"


def describe_profile(p: Profile) -> list[str]:
    lines = [
        f"runner:      {p.runner_name}",
        f"band:        {p.band.low_spm:g}-{p.band.high_spm:g} spm",
        "baseline:    "
        + (
            f"{p.baseline_cadence_spm:g} spm" if p.baseline_cadence_spm else "measured at the start"
        ),
        f"pain:        asked every {_min(p.pain_prompt_interval_s)}; "
        f"running stops at {p.pain_stop_rating}/10",
        f"metronome:   {p.metronome.sound}, volume {p.metronome.volume:g}, "
        f"accent every {p.metronome.accent_every}, walk breaks: {p.metronome.walk.value}",
        f"tempo:       +{p.tempo.stage_increase_pct:g} % a stage, at most "
        f"+{p.tempo.max_increase_pct:g} %; {p.tempo.ramp_step_spm:g} spm every "
        f"{p.tempo.ramp_interval_s:g} s; fade ({p.tempo.fade_mode.value}) after "
        f"{_min(p.tempo.fade_after_s)}",
        f"heart rate:  easy cap {p.easy_hr_cap_bpm} bpm"
        if p.easy_hr_cap_bpm
        else "heart rate:  no cap",
        f"treadmill:   {'yes' if p.treadmill else 'no'}; cues at least {p.cue_min_gap_s:g} s apart",
        _belt_line(p.treadmill_control),
        _music_line(p.music),
    ]
    for s in p.sensors:
        found_by = ", ".join(x for x in (s.name and f"name {s.name!r}", s.address) if x)
        lines.append(
            f"sensor:      {s.role.value} ({found_by}; cadence unit {s.cadence_unit.value})"
        )
    if p.shoe.name:
        lines.append(
            f"shoe:        {p.shoe.name}, {p.shoe.start_km:g} km on them; "
            f"replace at {p.shoe.replace_km:g} km"
        )
    return lines


def describe_program(program: Program, profile: Profile) -> list[str]:
    lines = [
        f"program:     {program.title} ({program.name}), starting at week "
        f"{profile.program_week}; `cadence plan` gives today's week from your history",
        f"             weekly running time grows at most {program.max_weekly_increase_pct:g} %",
        f"after pain:  3/10 or more repeats the week with {profile.progression.flare_cut_pct:g} "
        f"% less running for {profile.progression.flare_cut_days} days",
        "feedback:    " + ", then ".join(s.value for s in profile.progression.feedback_schedule)
        + f" (a step every {profile.progression.feedback_step_sessions} sessions on target)",
    ]
    for w in program.weeks:
        if w.walk_s > 0:
            shape = f"{w.rounds} x ({_min(w.run_s)} run / {_min(w.walk_s)} walk)"
        else:
            shape = f"{_min(w.run_s)} continuous run"
        marker = ">" if w.week == profile.program_week else " "
        warmup = " + ".join(f"{b.name} {_min(b.duration_s)}" for b in w.warmup) or "none"
        extra = f", form check every {_min(w.form_check_every_s)}" if w.form_check_every_s else ""
        lines.append(
            f"{marker} week {w.week}: {shape}, {w.sessions} sessions; warm-up: {warmup}; "
            f"cool-down {_min(w.cooldown_s)}{extra}"
        )
    from cadence.profile.progression import STRENGTH_REMINDER

    lines.append(f"strength:    {STRENGTH_REMINDER}")
    return lines


def _music_line(m: MusicSettings | None) -> str:
    if m is None:
        return "music:       none (the metronome alone)"
    source = f"folder {m.folder}" if m.folder is not None else f"playlist {m.playlist}"
    clicks = "clicks on top" if m.clicks.value == "on_top" else "no clicks (music is the beat)"
    walk = {"walk_tempo": "at the walking tempo", "quieter": f"quieter ({m.walk_volume:g})",
            "off": "off"}[m.walk.value]
    return (f"music:       {source}, volume {m.volume:g}, {clicks}, stretched at most "
            f"{m.stretch_limit_pct:g} %, walks: {walk}")
