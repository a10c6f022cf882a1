"""A runner script for ``cadence simulate``: what the simulated runner says and presses.

Why a file: scenario tests and demos need the same runner behaviour every
time (pain 3 at minute 7, a red-flag key at 5:00...). A script is YAML::

    answer_prompts: 1        # optional: answer every pain prompt with this rating
    answer_delay_s: 5        # optional: how long the runner takes to answer
    events:
      - {at_min: 7, pain: 3}
      - {at_s: 300, key: red_flag}
      - {at_s: 60, key: tap_tempo}


Keys: ``red_flag`` (leg symptoms), the warning signs of the in-session menu
by their ids (``coach.warning_signs.SESSION_SIGNS``: ``emergency``,
``chest_pain``, ``faint``, ``leg_symptoms``, ``leg_weakness``, ``night_pain``,
``recent_fall``), ``pause``, ``mute``, ``end``, ``faster`` (or ``+``),
``slower`` (or ``-``), ``walk_next`` (walk the next run interval),
``tap_tempo`` (ten seconds of footfall taps at the runner's cadence). With
treadmill control on: ``hold_speed`` and ``give_back`` (the screen's belt
keys), and the treadmill's console: ``console_faster``/``console_slower``
(1 km/h), ``console_stop``, ``safety_key``. A pain event answers the open
prompt if there is one, else it is volunteered.
Errors name the file, the line and the field.

With ``cadence simulate --db`` a script also answers around the session::

    readiness: {pain: 1, warning_signs: [night_pain]}   # the check before it
    followups:                                          # after it
      - {when: 1h, pain: 1}
      - {when: morning, pain: 0}

Warning-sign ids are those of ``cadence.coach.warning_signs`` (the
same ids as the keys); every time and
number must be finite (``.nan`` and ``.inf`` are refused).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from cadence.coach.warning_signs import CHECK_SIGNS, SESSION_SIGNS, RedFlag, parse_sign
from cadence.profile.errors import ProfileError
from cadence.profile.file_limits import DepthLimitedLoader, read_profile_text
from cadence.programme.records import FollowUpWhen

KEYS = {
    "red_flag": "red_flag",  # leg symptoms
    "pause": "pause",
    "mute": "mute",
    "end": "end",
    "faster": "faster",
    "+": "faster",
    "slower": "slower",
    "-": "slower",
    "tap_tempo": "tap_tempo",
    "walk_next": "walk_next",
    # the warning signs of the in-session menu, by their stored ids
    **{sign.flag.value: sign.flag.value for sign in SESSION_SIGNS},
    # treadmill control (a profile with ``treadmill: {control: true}``)
    "hold_speed": "hold_speed",
    "give_back": "give_back",
    "console_faster": "console_faster",
    "console_slower": "console_slower",
    "console_stop": "console_stop",
    "safety_key": "safety_key",
}


class ScriptError(ValueError):
    """A runner script that cannot be used; the message names file, line and field."""


@dataclass(frozen=True, slots=True)
class ScriptEvent:
    at_s: float
    pain: int | None = None
    key: str | None = None


@dataclass(frozen=True, slots=True)
class ScriptReadiness:
    pain: int
    warning_signs: tuple[RedFlag, ...] = ()


@dataclass(frozen=True, slots=True)
class ScriptFollowUp:
    when: FollowUpWhen
    pain: int


@dataclass(frozen=True, slots=True)
class RunnerScript:
    events: tuple[ScriptEvent, ...] = ()
    answer_prompts: int | None = None
    answer_delay_s: float = 5.0
    source: str = ""
    readiness: ScriptReadiness | None = None
    followups: tuple[ScriptFollowUp, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "events", tuple(sorted(self.events, key=lambda e: e.at_s)))


@dataclass
class _Where:
    source: str
    lines: dict[str, int] = field(default_factory=dict)

    def fail(self, path: str, message: str) -> ScriptError:
        line = self.lines.get(path) or self.lines.get(path.rsplit(".", 1)[0]) or self.lines.get("")
        where = f"{self.source}:{line}" if line else self.source
        return ScriptError(f"{where}: {path}: {message}")


def _index_lines(node: yaml.Node | None, path: str, out: dict[str, int]) -> None:
    if node is None:
        return
    out[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            name = f"{path}.{key.value}" if path else str(key.value)
            out[name] = key.start_mark.line + 1
            _index_lines(value, name, out)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _index_lines(item, f"{path}[{i}]", out)


def load_script(path: str | Path) -> RunnerScript:
    """Read and check a script file.

    Raises:
        ScriptError: unreadable, not YAML, or a bad field (file:line: field: why).
    """
    try:
        text = read_profile_text(Path(path))  # a small regular file: no FIFO, no /dev/zero
    except ProfileError as exc:
        raise ScriptError(f"{path}: cannot be read ({exc.issues[0].message})") from None
    return parse_script(text, str(path))


def parse_script(text: str, source: str = "<script>") -> RunnerScript:
    """Parse script text (see the module docstring for the format)."""
    where = _Where(source)
    try:
        _index_lines(yaml.compose(text, Loader=DepthLimitedLoader), "", where.lines)
        data = yaml.load(text, Loader=DepthLimitedLoader)  # a SafeLoader: safe
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None)
        detail = f" ({problem})" if problem else ""
        raise ScriptError(f"{source}{line}: not valid YAML{detail}") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise where.fail("", "a script is a mapping with an 'events:' list")
    unknown = set(data) - set(FIELDS)
    if unknown:
        name = sorted(map(str, unknown))[0]
        raise where.fail(name, f"unknown field (expected {', '.join(FIELDS)})")
    answer = data.get("answer_prompts")
    if answer is not None:
        answer = _rating(answer, "answer_prompts", where)
    delay = data.get("answer_delay_s", 5.0)
    if not _is_number(delay) or not math.isfinite(delay) or delay < 0:
        raise where.fail(
            "answer_delay_s", f"must be a number of seconds >= 0 (got {_shown(delay)})"
        )
    raw_events = data.get("events") or []
    if not isinstance(raw_events, list):
        raise where.fail("events", "must be a list of events")
    events = tuple(_event(raw, f"events[{i}]", where) for i, raw in enumerate(raw_events))
    readiness = _readiness(data["readiness"], where) if "readiness" in data else None
    raw_followups = data.get("followups") or []
    if not isinstance(raw_followups, list):
        raise where.fail("followups", "must be a list like [{when: 1h, pain: 1}]")
    followups = tuple(_followup(raw, f"followups[{i}]", where)
                      for i, raw in enumerate(raw_followups))
    if len({f.when for f in followups}) < len(followups):
        raise where.fail("followups", "each follow-up (1h, morning) at most once")
    return RunnerScript(events, answer, float(delay), source, readiness, followups)


FIELDS = ("events", "answer_prompts", "answer_delay_s", "readiness", "followups")


def _readiness(raw: Any, where: _Where) -> ScriptReadiness:
    if not isinstance(raw, dict):
        raise where.fail("readiness", "must be a mapping like {pain: 1, warning_signs: []}")
    unknown = set(raw) - {"pain", "warning_signs"}
    if unknown:
        raise where.fail(f"readiness.{sorted(map(str, unknown))[0]}",
                         "unknown field (expected pain, warning_signs)")
    if "pain" not in raw:
        raise where.fail("readiness", "needs pain: the rating before the session, 0-10")
    pain = _rating(raw["pain"], "readiness.pain", where)
    raw_signs = raw.get("warning_signs") or []
    if not isinstance(raw_signs, list):
        raise where.fail("readiness.warning_signs", "must be a list of warning-sign ids")
    signs: list[RedFlag] = []
    for i, value in enumerate(raw_signs):
        sign = parse_sign(value) if isinstance(value, str) else None
        if sign is None:
            known = ", ".join(s.flag.value for s in CHECK_SIGNS)
            raise where.fail(f"readiness.warning_signs[{i}]",
                             f"unknown warning sign {value!r} (one of {known})")
        signs.append(sign)
    return ScriptReadiness(pain, tuple(signs))


def _followup(raw: Any, path: str, where: _Where) -> ScriptFollowUp:
    if not isinstance(raw, dict):
        raise where.fail(path, "a follow-up is a mapping like {when: 1h, pain: 1}")
    unknown = set(raw) - {"when", "pain"}
    if unknown:
        raise where.fail(f"{path}.{sorted(map(str, unknown))[0]}", "unknown field")
    when = raw.get("when")
    options = [w.value for w in FollowUpWhen]
    if str(when) not in options:
        raise where.fail(
            f"{path}.when", f"must be one of {', '.join(options)} (got {_shown(when)})"
        )
    if "pain" not in raw:
        raise where.fail(path, "needs pain: the rating, 0-10")
    return ScriptFollowUp(FollowUpWhen(str(when)), _rating(raw["pain"], f"{path}.pain", where))


def _shown(value: object) -> str:
    """A value for an error line: short enough to keep the line one line."""
    text = repr(value)
    return text if len(text) <= 40 else f"{text[:20]}... ({len(text)} characters)"


def _is_number(value: Any) -> bool:
    """A YAML number that fits a float (a 400-digit int would overflow every check)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return not isinstance(value, int) or abs(value) < 10**15


def _rating(value: Any, path: str, where: _Where) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10:
        raise where.fail(path, f"must be a whole number 0-10 (got {_shown(value)})")
    return value


def _event(raw: Any, path: str, where: _Where) -> ScriptEvent:
    if not isinstance(raw, dict):
        raise where.fail(path, "an event is a mapping like {at_s: 300, key: red_flag}")
    unknown = set(raw) - {"at_s", "at_min", "pain", "key"}
    if unknown:
        raise where.fail(f"{path}.{sorted(map(str, unknown))[0]}", "unknown field")
    if ("at_s" in raw) == ("at_min" in raw):
        raise where.fail(path, "give exactly one of at_s or at_min")
    time_field = "at_s" if "at_s" in raw else "at_min"
    value = raw[time_field]
    if not _is_number(value) or not math.isfinite(value) or value < 0:
        raise where.fail(f"{path}.{time_field}",
                         f"must be a finite number >= 0 (got {_shown(value)})")
    at_s = float(value) * (60.0 if time_field == "at_min" else 1.0)
    if ("pain" in raw) == ("key" in raw):
        raise where.fail(path, "give exactly one of pain or key")
    if "pain" in raw:
        return ScriptEvent(at_s, pain=_rating(raw["pain"], f"{path}.pain", where))
    key = raw["key"]
    if not isinstance(key, str) or key not in KEYS:
        raise where.fail(f"{path}.key", f"unknown key {key!r} (one of {', '.join(sorted(KEYS))})")
    return ScriptEvent(at_s, key=KEYS[key])
