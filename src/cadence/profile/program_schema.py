"""The program file format: a return-to-running program's weeks and warm-up.

Read like the profile (``cadence.profile.schema``): each function walks a
composed YAML node with ``MapReader`` and reports every problem into
``Issues``. A program's weekly running time may grow by at most 10 % a week
from its ``volume_cap_from_week`` on (``shared/docs/coaching-facts.md``).
"""

from __future__ import annotations

import re

from yaml.nodes import Node

from cadence.profile.model import Program, ProgramWeek, WarmupBlock
from cadence.profile.progression import weekly_run_s
from cadence.profile.yaml_reader import Issues, MapReader, fmt

PROGRAM_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
PROGRAM_FIELDS = (
    "name",
    "title",
    "max_weekly_increase_pct",
    "volume_cap_from_week",
    "warmup",
    "cooldown_min",
    "weeks",
)
WEEK_FIELDS = (
    "week",
    "run_min",
    "walk_min",
    "rounds",
    "sessions",
    "warmup",
    "cooldown_min",
    "form_check_every_min",
)


def read_program(root: Node | None, issues: Issues, default_name: str) -> Program | None:
    """Build a ``Program`` from its document node; ``None`` when unusable."""
    if root is None:
        issues.add(None, "", "the file is empty; a program needs 'title:' and 'weeks:'")
        return None
    doc = MapReader(issues, root, "", PROGRAM_FIELDS, required=("title", "weeks"))
    name = doc.text("name", default_name)
    if not PROGRAM_NAME.match(name):
        doc.error("name", f"use lower-case letters, digits and dashes (got {name!r})")
    max_pct = doc.number(
        "max_weekly_increase_pct",
        10,
        0,
        10,
        lo_open=True,
        why="weekly running time should rise by 10 % at most",
    )
    default_warmup = _read_warmup(doc)
    default_cooldown = doc.number("cooldown_min", 5, 0, 30) * 60
    weeks: list[ProgramWeek] = []
    week_nodes: list[Node] = []
    for i, node in enumerate(doc.items("weeks")):
        week = _read_week(doc, i, node, default_warmup, default_cooldown)
        if week is not None:
            weeks.append(week)
            week_nodes.append(node)
    if doc.has("weeks") and not doc.items("weeks") and not issues.items:
        doc.error("weeks", "needs at least one week")
    cap_from = doc.whole("volume_cap_from_week", 1, 1, 52)
    _check_volume_growth(issues, doc.field("weeks"), weeks, week_nodes, max_pct, cap_from)
    if not weeks:
        return None
    return Program(
        name=name,
        title=doc.text("title", name),
        weeks=tuple(weeks),
        max_weekly_increase_pct=max_pct,
        volume_cap_from_week=cap_from,
    )


def _read_warmup(m: MapReader) -> tuple[WarmupBlock, ...]:
    blocks: list[WarmupBlock] = []
    for i, node in enumerate(m.items("warmup")):
        b = MapReader(
            m.issues,
            node,
            f"{m.field('warmup')}[{i}]",
            ("name", "min", "exercises"),
            ("name", "min"),
        )
        blocks.append(
            WarmupBlock(
                name=b.text("name", "Warm-up"),
                duration_s=b.number("min", 5, 0, 20, lo_open=True) * 60,
                exercises=b.text_list("exercises"),
            )
        )
    return tuple(blocks)


def _read_week(
    doc: MapReader, i: int, node: Node, default_warmup: tuple[WarmupBlock, ...], cooldown_s: float
) -> ProgramWeek | None:
    w = MapReader(
        doc.issues,
        node,
        f"{doc.field('weeks')}[{i}]",
        WEEK_FIELDS,
        ("week", "run_min", "rounds", "sessions"),
    )
    if w.node is None or not w.has("week"):
        return None
    number = w.whole("week", i + 1, 1, 52)
    if w.has("week") and number != i + 1:
        w.error(
            "week", f"weeks must be numbered 1, 2, 3... in order (expected {i + 1}, got {number})"
        )
    walk_s = w.number("walk_min", 0, 0, 30) * 60
    rounds = w.whole("rounds", 1, 1, 40)
    if walk_s == 0 and rounds != 1:
        w.error("rounds", f"a continuous week (walk_min 0) has 1 round (got {rounds})")
        rounds = 1
    form_min = w.optional_number("form_check_every_min", None, 1, 60)
    return ProgramWeek(
        week=i + 1,
        run_s=w.number("run_min", 1, 0, 120, lo_open=True) * 60,
        walk_s=walk_s,
        rounds=rounds,
        sessions=w.whole("sessions", 3, 1, 7),
        warmup=_read_warmup(w) if w.has("warmup") else default_warmup,
        cooldown_s=w.number("cooldown_min", cooldown_s / 60, 0, 30) * 60,
        form_check_every_s=None if form_min is None else form_min * 60,
    )


def _check_volume_growth(
    issues: Issues,
    path: str,
    weeks: list[ProgramWeek],
    nodes: list[Node],
    max_pct: float,
    cap_from: int,
) -> None:
    """From ``cap_from`` on, each week's running time is within +max_pct of the week before."""
    for prev, week, node in zip(weeks, weeks[1:], nodes[1:], strict=False):
        if week.week < cap_from:
            continue
        before, after = weekly_run_s(prev), weekly_run_s(week)
        if after > before * (1 + max_pct / 100) + 1e-6:
            growth = (after / before - 1) * 100
            issues.add(
                node,
                f"{path}[{week.week - 1}]",
                f"weekly running time rises {growth:.0f} % over week {prev.week} "
                f"({fmt(before / 60)} -> {fmt(after / 60)} min); the limit is {fmt(max_pct)} %",
            )
