"""Runner scripts: the format, and errors that name file, line and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from cadence.sim.script import ScriptError, ScriptEvent, load_script, parse_script


def test_a_full_script() -> None:
    s = parse_script(
        "answer_prompts: 1\n"
        "answer_delay_s: 3\n"
        "events:\n"
        "  - {at_min: 7, pain: 3}\n"
        "  - {at_s: 300, key: red_flag}\n"
        "  - {at_s: 10, key: '+'}\n"
    )
    assert s.answer_prompts == 1 and s.answer_delay_s == 3.0
    assert s.events == (
        ScriptEvent(10.0, key="faster"),
        ScriptEvent(300.0, key="red_flag"),
        ScriptEvent(420.0, pain=3),
    )


def test_empty_script_is_fine() -> None:
    assert parse_script("").events == ()
    assert parse_script("events: []\n").answer_prompts is None


@pytest.mark.parametrize(
    ("text", "line", "field", "why"),
    [
        ("events:\n  - {at_s: 5, pain: 11}\n", 2, "events[0].pain", "0-10"),
        ("events:\n  - {at_s: 5, pain: 2.5}\n", 2, "events[0].pain", "whole number"),
        ("events:\n  - {at_s: -1, pain: 2}\n", 2, "events[0].at_s", ">= 0"),
        ("events:\n  - {at_s: 1, at_min: 2, pain: 2}\n", 2, "events[0]", "exactly one of at_s"),
        ("events:\n  - {pain: 2}\n", 2, "events[0]", "exactly one of at_s"),
        ("events:\n  - {at_s: 1}\n", 2, "events[0]", "exactly one of pain or key"),
        ("events:\n  - {at_s: 1, key: jump}\n", 2, "events[0].key", "unknown key 'jump'"),
        ("events:\n  - at_s: 1\n    colour: red\n    pain: 1\n", 3, "events[0].colour",
         "unknown field"),
        ("events:\n  - {at_s: 1, pain: 1}\n  - 7\n", 3, "events[1]", "mapping"),
        ("events: 5\n", 1, "events", "list"),
        ("answer_prompts: yes\n", 1, "answer_prompts", "0-10"),
        ("answer_delay_s: soon\n", 1, "answer_delay_s", "seconds"),
        ("speed: 3\n", 1, "speed", "unknown field"),
    ],
)
def test_errors_name_line_and_field(text: str, line: int, field: str, why: str) -> None:
    with pytest.raises(ScriptError) as info:
        parse_script(text, "run.yaml")
    message = str(info.value)
    assert message.startswith(f"run.yaml:{line}: {field}: "), message
    assert why in message


def test_not_yaml_and_not_a_mapping() -> None:
    with pytest.raises(ScriptError, match=r"^s.yaml:3: not valid YAML \(expected"):
        parse_script("events:\n  - {at_s: 1\n", "s.yaml")
    with pytest.raises(ScriptError, match="mapping"):
        parse_script("- 1\n- 2\n", "s.yaml")


def test_load_script_from_a_file(tmp_path: Path) -> None:
    p = tmp_path / "s.yaml"
    p.write_text("events:\n  - {at_s: 2, key: emergency}\n", encoding="utf-8")
    assert load_script(p).events == (ScriptEvent(2.0, key="emergency"),)
    with pytest.raises(ScriptError, match="cannot be read"):
        load_script(tmp_path / "missing.yaml")
