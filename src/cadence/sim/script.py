"""A runner script for ``cadence simulate``: what the simulated runner says and presses.

Why a file: scenario tests and demos need the same runner behaviour every
time (pain 3 at minute 7, a red-flag key at 5:00...). A script is YAML::

    answer_prompts: 1        # optional: answer every pain prompt with this rating
    answer_delay_s: 5        # optional: how long the runner takes to answer
    events:
      - {at_min: 7, pain: 3}
      - {at_s: 300, key: red_flag}
      - {at_s: 60, key: tap_tempo}

Keys: ``red_flag``, ``emergency``, ``pause``, ``mute``, ``end``, ``faster``
(or ``+``), ``slower`` (or ``-``), ``tap_tempo`` (ten seconds of footfall
taps at the runner's cadence). A pain event answers the open prompt if there
is one, else it is volunteered. Errors name the file, the line and the field.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from cadence.profile.errors import ProfileError
from cadence.profile.file_limits import DepthLimitedLoader, read_profile_text

KEYS = {
    "red_flag": "red_flag",
    "emergency": "emergency",
    "pause": "pause",
    "mute": "mute",
    "end": "end",
    "faster": "faster",
    "+": "faster",
    "slower": "slower",
    "-": "slower",
    "tap_tempo": "tap_tempo",
}


class ScriptError(ValueError):
    """A runner script that cannot be used; the message names file, line and field."""


@dataclass(frozen=True, slots=True)
class ScriptEvent:
    at_s: float
    pain: int | None = None
    key: str | None = None


@dataclass(frozen=True, slots=True)
class RunnerScript:
    events: tuple[ScriptEvent, ...] = ()
    answer_prompts: int | None = None
    answer_delay_s: float = 5.0
    source: str = ""

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
    unknown = set(data) - {"events", "answer_prompts", "answer_delay_s"}
    if unknown:
        name = sorted(map(str, unknown))[0]
        raise where.fail(name, "unknown field (expected events, answer_prompts, answer_delay_s)")
    answer = data.get("answer_prompts")
    if answer is not None:
        answer = _rating(answer, "answer_prompts", where)
    delay = data.get("answer_delay_s", 5.0)
    if not _is_number(delay) or delay < 0:
        raise where.fail("answer_delay_s", f"must be a number of seconds >= 0 (got {delay!r})")
    raw_events = data.get("events") or []
    if not isinstance(raw_events, list):
        raise where.fail("events", "must be a list of events")
    events = tuple(_event(raw, f"events[{i}]", where) for i, raw in enumerate(raw_events))
    return RunnerScript(events, answer, float(delay), source)


def _is_number(value: Any) -> bool:
    """A YAML number that fits a float (a 400-digit int would overflow every check)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return not isinstance(value, int) or abs(value) < 10**15


def _rating(value: Any, path: str, where: _Where) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10:
        raise where.fail(path, f"must be a whole number 0-10 (got {value!r})")
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
    if not _is_number(value) or value < 0:
        raise where.fail(f"{path}.{time_field}", f"must be a number >= 0 (got {value!r})")
    at_s = float(value) * (60.0 if time_field == "at_min" else 1.0)
    if ("pain" in raw) == ("key" in raw):
        raise where.fail(path, "give exactly one of pain or key")
    if "pain" in raw:
        return ScriptEvent(at_s, pain=_rating(raw["pain"], f"{path}.pain", where))
    key = raw["key"]
    if not isinstance(key, str) or key not in KEYS:
        raise where.fail(f"{path}.key", f"unknown key {key!r} (one of {', '.join(sorted(KEYS))})")
    return ScriptEvent(at_s, key=KEYS[key])
