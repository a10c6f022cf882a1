"""The profile's ``treadmill:`` field: a treadmill session, and whether cadence drives the belt.

Two forms, both valid: ``treadmill: true`` (a treadmill session: treadmill
cues, drills by time instead of distance, as before) and a mapping of belt
settings, which is also a treadmill session:

    treadmill: {control: true, run_speed_kmh: 9.0, walk_speed_kmh: 5.0, incline_pct: 1.0}

``control`` is off unless written: the runner opts in to a belt that changes
speed by itself. The speed limits keep walks walks (at most 8 km/h) and runs
faster than walks; the incline stays what run-walk needs (0-10 %).
"""

from __future__ import annotations

from yaml.nodes import MappingNode

from cadence.profile.model import TreadmillControl
from cadence.profile.yaml_reader import MapReader, fmt

TREADMILL_FIELDS = ("control", "run_speed_kmh", "walk_speed_kmh", "incline_pct")


def is_treadmill_session(doc: MapReader) -> bool:
    """``treadmill: true`` as before, or a mapping of belt settings (also a treadmill session)."""
    if isinstance(doc.value_node("treadmill"), MappingNode):
        return True
    return doc.boolean("treadmill", False)


def read_treadmill_control(doc: MapReader) -> TreadmillControl:
    node = doc.value_node("treadmill")
    if not isinstance(node, MappingNode):
        return TreadmillControl()
    t = doc.section("treadmill", TREADMILL_FIELDS)
    defaults = TreadmillControl()
    run = t.number("run_speed_kmh", defaults.run_speed_kmh, 3, 20)
    walk = t.number(
        "walk_speed_kmh", defaults.walk_speed_kmh, 1, 8, why="faster than 8 km/h is running"
    )
    if walk >= run:
        if t.has("walk_speed_kmh"):
            t.error(
                "walk_speed_kmh",
                f"must be below run_speed_kmh (got {fmt(walk)} and {fmt(run)} km/h)",
            )
        else:
            t.error(
                "run_speed_kmh",
                f"must be above the walking speed, {fmt(walk)} km/h unless walk_speed_kmh "
                f"says otherwise (got {fmt(run)})",
            )
        run, walk = defaults.run_speed_kmh, defaults.walk_speed_kmh
    return TreadmillControl(
        control=t.boolean("control", False),
        run_speed_kmh=run,
        walk_speed_kmh=walk,
        incline_pct=t.number(
            "incline_pct",
            defaults.incline_pct,
            0,
            10,
            why="1 % is like running outdoors and 2-3 % helps posture; a steep belt is a hill "
            "session, not run-walk",
        ),
    )
