"""Helpers for the TUI tests: move the virtual clock, read what is on screen."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import Any

from textual.app import App
from textual.pilot import Pilot

from cadence.coach.actions import Phase
from cadence.live.clock import VirtualClock
from cadence.live.session import LiveSession
from cadence.store.recorder import SessionRecorder
from cadence.tui.app import CadenceApp

_TEXT = re.compile(r'<text class="[^"]*" x="([\d.]+)" y="([\d.]+)"[^>]*>(.*?)</text>')
_CHAR_W = 12.2  # Rich's SVG export: 0.61 em of a 20 px font per cell


def advance_until(
    app: CadenceApp, predicate: Callable[[], bool], limit_s: float, step_s: float = 1.0
) -> float:
    """Tick the virtual clock until ``predicate()``; returns the session time. Fails at limit."""
    clock = app.plan.clock
    assert isinstance(clock, VirtualClock)
    while not predicate():
        if clock.now_s() > limit_s:
            raise AssertionError(f"condition not met within {limit_s} s of session time")
        app.advance(step_s, step_s)
    return clock.now_s()


async def recording(
    app: CadenceApp, pilot: Pilot[Any], seconds: float = 5.0
) -> tuple[LiveSession, SessionRecorder]:
    """The started session and its recorder, ``seconds`` in, with what they hold on disk."""
    await pilot.pause()
    session = app.session
    assert session is not None and session.recorder is not None
    recorder = session.recorder
    app.advance(seconds)
    assert recorder.flush()
    return session, recorder


def in_phase(app: CadenceApp, phase: Phase) -> Callable[[], bool]:
    return lambda: app.session is not None and app.session.status.phase is phase


def screen_text(app: App[Any]) -> str:
    """The terminal as plain text, from the same SVG a screenshot would save."""
    rows: dict[float, list[tuple[float, str]]] = {}
    for m in _TEXT.finditer(app.export_screenshot()):
        x, y = float(m.group(1)), float(m.group(2))
        text = html.unescape(m.group(3)).replace("\xa0", " ")
        rows.setdefault(y, []).append((x, text))
    lines = []
    for y in sorted(rows):
        line = ""
        for x, text in sorted(rows[y]):
            col = round(x / _CHAR_W)
            line = line.ljust(col) + text
        lines.append(line.rstrip())
    return "\n".join(lines)


def flat(text: str) -> str:
    """Whitespace collapsed, so wrapped sentences can be searched."""
    return " ".join(text.split())
