"""`cadence demo` in a real terminal: tmux runs it, the test types and reads the pane.

This is the whole product as a user meets it: the real command, the virtual
Bumble sensors read through the production bleak code, the Textual app in a
real pseudo-terminal, the store in a temporary data folder. No audio
(``--no-audio``) so it runs anywhere; the clock runs 20x faster.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import cadence
from support.store_faults import LockHolder

pytestmark = [
    pytest.mark.tmux,
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]

SESSION = "demo"
SOCKET = f"cadence-test-{os.getpid()}"  # a private tmux server: no user config, no clashes
TMUX = ["tmux", "-L", SOCKET, "-f", os.devnull]


def _pane() -> str:
    out = subprocess.run(
        [*TMUX, "capture-pane", "-p", "-t", SESSION], capture_output=True, text=True, check=True
    )
    return out.stdout


def _keys(*keys: str) -> None:
    subprocess.run([*TMUX, "send-keys", "-t", SESSION, *keys], check=True)


def _wait_for(check: Callable[[str], bool], what: str, timeout_s: float = 30.0) -> str:
    deadline = time.monotonic() + timeout_s
    text = ""
    while time.monotonic() < deadline:
        text = _pane()
        if check(text):
            return text
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}; the pane shows:\n{text}")


def _start(tmp_path: Path, *args: str, audio_env: dict[str, str] | None = None) -> Path:
    """Start `cadence demo --no-audio --speed 20 ARGS` in a detached 120x40 tmux session.

    With ``audio_env`` (a private PulseAudio's variables) the clicks play there instead.
    """
    src = Path(cadence.__file__).resolve().parents[1]
    exit_file = tmp_path / "exit_code"
    # COLUMNS/LINES from the test runner would override the pane's real size
    env = (
        f"env -u COLUMNS -u LINES CADENCE_DATA_DIR={tmp_path / 'data'} PYTHONPATH={src} "
        "TERM=xterm-256color TEXTUAL_ANIMATIONS=none"
    )
    if audio_env:
        env += " " + " ".join(f"{k}={shlex.quote(v)}" for k, v in audio_env.items())
    sound = "" if audio_env else "--no-audio "
    command = (
        f"{env} {sys.executable} -m cadence demo {sound}--speed 20 {' '.join(args)}; "
        f"echo $? > {exit_file}; sleep 600"
    )
    subprocess.run(
        [*TMUX, "new-session", "-d", "-s", SESSION, "-x", "120", "-y", "40", command], check=True
    )
    return exit_file


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[Path]:
    try:
        yield _start(tmp_path)
    finally:
        subprocess.run([*TMUX, "kill-server"], capture_output=True)


@pytest.fixture
def controlled_demo(tmp_path: Path) -> Iterator[Path]:
    """The demo with cadence setting the virtual treadmill's belt over FTMS.

    At 10x, not 20x: the belt ramps in real time (0.5 km/h a second), so 0 -> 5 km/h
    takes about 10 s; at 20x the 5-minute warm-up lasts 15 s, and after the sensors
    connect a loaded machine could end it before the belt got there.
    """
    try:
        yield _start(tmp_path, "--belt-control", "--speed", "10")
    finally:
        subprocess.run([*TMUX, "kill-server"], capture_output=True)


def test_demo_in_a_real_terminal(demo: Path, tmp_path: Path) -> None:
    text = _wait_for(lambda t: "How is your back right now?" in t, "the readiness check")
    assert "Today: " in text and "week 1" in text  # today's plan, from the (empty) history
    _keys("0")
    _wait_for(lambda t: "Since your last session" in t, "the warning-sign question")
    _keys("Enter")
    text = _wait_for(
        lambda t: "WARM-UP" in t and "footpod connected" in t, "the live screen with sensors"
    )
    assert "demo, virtual sensors" in text
    assert "Sound off (--no-audio)." in text
    assert "steps/min" in text

    _keys("p")
    _wait_for(lambda t: "Rate your back pain now" in t, "the pain question")
    _keys("1")
    _wait_for(lambda t: "Rate your back pain now" not in t, "the question to close")

    _keys("q")
    _wait_for(lambda t: "End the session now?" in t, "the end confirmation")
    _keys("y")
    text = _wait_for(lambda t: "Session over" in t or "summary" in t, "the post-run question")
    if "Session over" in text:
        _keys("0")
    text = _wait_for(
        lambda t: "ended by you" in t and "1/10 (you said)" in t, "the summary screen"
    )
    assert "Session 1: summary" in text

    _keys("e")
    _wait_for(lambda t: "Export this session as" in t, "the export choice")
    _keys("c")
    text = _wait_for(lambda t: "written:" in t, "the export path")
    exports = sorted((tmp_path / "data" / "exports").glob("cadence-1-*.csv"))
    assert len(exports) == 2 and exports[0].name.endswith("-events.csv")  # and its events

    _keys("q")
    assert _exited(demo) == "0"


def _exited(exit_file: Path) -> str:
    deadline = time.monotonic() + 15
    while not exit_file.exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    return exit_file.read_text().strip()


def test_a_controlled_treadmill_demo_in_a_real_terminal(
    controlled_demo: Path, tmp_path: Path
) -> None:
    """The belt follows the plan (walk speed in the warm-up, run speed in the run), the runner
    holds it with h, and every command and belt report is in the session's record."""
    _wait_for(lambda t: "How is your back right now?" in t, "the readiness check")
    _keys("0")
    _wait_for(lambda t: "Since your last session" in t, "the warning-sign question")
    _keys("Enter")
    text = _wait_for(lambda t: "belt ● cadence sets the belt · 5.0 km/h" in t,
                     "the belt at walking speed in the warm-up", timeout_s=40)
    assert "belt set by cadence" in text
    assert "hold speed" in text and "belt to cadence" in text
    # 5 minutes of warm-up at 10x: the run, and the belt at run speed (8 km/h)
    text = _wait_for(lambda t: "RUN" in t and "cadence sets the belt · 8.0 km/h" in t,
                     "the belt at run speed in the run", timeout_s=70)
    _keys("h")
    _wait_for(lambda t: "holding this speed" in t, "the hold")

    _keys("q")
    _wait_for(lambda t: "End the session now?" in t, "the end confirmation")
    _keys("y")
    text = _wait_for(lambda t: "Session over" in t or "summary" in t, "the post-run question")
    if "Session over" in text:
        _keys("0")
    _wait_for(lambda t: "Session 1: summary" in t, "the summary screen")
    _keys("q")
    assert _exited(controlled_demo) == "0"

    db = next((tmp_path / "data").rglob("*.sqlite3"))
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT payload FROM events WHERE kind = 'treadmill'").fetchall()
    belt = [json.loads(p) for (p,) in rows]
    commands = [(b["reason"], b["target_kmh"]) for b in belt if b["event"] == "command"]
    assert commands[:2] == [("phase", 5.0), ("phase", 8.0)]
    assert commands[-1][0] == "done"
    arrived = [b["target_kmh"] for b in belt if b["event"] == "belt_at_target"]
    assert 5.0 in arrived and 8.0 in arrived
    assert {b["event"] for b in belt} >= {"control_taken", "hold", "command_sent"}


def test_quitting_while_the_file_is_locked_is_exit_code_1(demo: Path, tmp_path: Path) -> None:
    """ctrl+q mid-run while another program holds the session file: the shell is told
    what is kept where, and the exit code says the run is not saved."""
    _wait_for(lambda t: "How is your back right now?" in t, "the readiness check")
    _keys("0")
    _wait_for(lambda t: "Since your last session" in t, "the warning-sign question")
    _keys("Enter")
    _wait_for(lambda t: "WARM-UP" in t and "footpod connected" in t, "the live screen")
    db = next((tmp_path / "data").rglob("*.sqlite3"))
    with LockHolder(db):
        _wait_for(lambda t: "Session file:" in t and "locked" in t, "the store line")
        _keys("C-q")
        code = _exited(demo)
        text = _pane()
    assert code == "1", text
    assert "cadence demo: the session file could not be written" in " ".join(text.split())


@pytest.mark.audio
def test_a_sound_server_dying_under_the_screen_prints_nothing_over_it(tmp_path: Path) -> None:
    """PortAudio's debug lines go to the log beside the store, not over the live screen."""
    from cadence.commands._terminal import LOG_NAME
    from support.pulse import PrivatePulse, pulse_missing

    if pulse_missing() is not None:
        pytest.skip(str(pulse_missing()))
    with PrivatePulse() as pulse:
        env = {k: pulse.env[k] for k in ("XDG_RUNTIME_DIR", "HOME", "PULSE_SERVER")}
        try:
            _start(tmp_path, "--skip-check", audio_env=env)
            _wait_for(lambda t: "steps/min" in t, "the live screen")
            time.sleep(2.0)
            pulse.crash()
            _wait_for(lambda t: "sound lost" in t, "the sound-lost line")
            time.sleep(1.0)
            pulse.start()
            _wait_for(lambda t: "sound lost" not in t, "the sound back", timeout_s=30)
            time.sleep(1.0)
            text = _pane()
            assert "steps/min" in text  # the screen is whole
            assert "Expression" not in text and "pa_linux_alsa" not in text
        finally:
            subprocess.run([*TMUX, "kill-server"], capture_output=True)
    log = (tmp_path / "data" / LOG_NAME).read_text()
    assert "pa_linux_alsa" in log  # what PortAudio printed went here
