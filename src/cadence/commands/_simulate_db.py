"""``cadence simulate --db FILE [--at ISO-TIME]``: one session of a whole programme.

Exactly what ``cadence run`` does around a session, headless: today's plan from
FILE's history, the readiness check answered from the script (``readiness:``;
a script without one is recorded as a skipped check), the session coached from
the plan (week, cut volume, stage from the original cadence, feedback step) and
recorded into FILE at ``--at``, then the script's ``followups:`` recorded at
their times (an hour after the end, 07:00 the next morning). The first JSON
line is the plan and the check's outcome; when running is not allowed it is
the only line and nothing but the check is recorded.
"""

from __future__ import annotations

import argparse
import json
from datetime import datetime, timedelta
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    from cadence.profile.model import Profile, Program
    from cadence.programme.readiness import ReadinessAnswers
    from cadence.sim.runner import RunnerParams
    from cadence.sim.script import RunnerScript
    from cadence.sim.session import SimConfig
    from cadence.store.store import Store


def _answers(script: RunnerScript | None) -> ReadinessAnswers:
    from cadence.programme.readiness import ReadinessAnswers

    if script is None or script.readiness is None:
        return ReadinessAnswers(None, (), skipped=True)
    return ReadinessAnswers(script.readiness.pain, script.readiness.warning_signs)


def run_with_db(args: argparse.Namespace, profile: Profile, program: Program, profile_name: str,
                script: RunnerScript | None, runner: RunnerParams, config: SimConfig,
                out: IO[str]) -> int:
    """Plan, check, run and record one session (see the module docstring); the exit code."""
    from dataclasses import replace

    from cadence.commands._programme import parse_at, plan_from_store, refuse_before_latest
    from cadence.live.headless import simulate
    from cadence.live.recording import open_recorder
    from cadence.programme.plan import profile_for_today
    from cadence.programme.readiness import assess
    from cadence.programme.records import ReadinessRecord
    from cadence.programme.render import outcome_to_json, plan_to_json
    from cadence.store.programme import attach_readiness, record_readiness
    from cadence.store.store import Store

    now = parse_at(args.at)
    with Store.open(args.db) as store:
        refuse_before_latest(store, now, "--at")
        plan = plan_from_store(store, profile, program, now)
        answers = _answers(script)
        outcome = assess(answers, profile.pain_stop_rating, plan.blocking)
        first = {"plan": plan_to_json(plan), "readiness": outcome_to_json(outcome),
                 "running_allowed": outcome.may_run}
        lines = _Lines(out)
        lines.write(first)
        check_at = now - timedelta(seconds=1)  # answered just before the start
        check_id = record_readiness(store, ReadinessRecord(
            check_at, answers.pain, answers.warning_signs, answers.skipped), outcome.verdict.value)
        if not outcome.may_run:
            return 0
        today = profile_for_today(profile, plan)
        recorder = open_recorder(store, today, profile_name, now)
        attach_readiness(store, check_id, recorder.session_id)
        for record in simulate(today, plan.plan, runner=runner, seed=args.seed, script=script,
                               config=replace(config, stage=plan.stage), recorder=recorder):
            lines.write(record)
        lines.flush()
        _after(store, profile, recorder.session_id, script, now)
    return 0


class _Lines:
    """JSON lines to ``out``; once the reader has gone (``| head``), the rest is dropped
    but the session still runs to its end, so the file never holds a cut-off session."""

    def __init__(self, out: IO[str]) -> None:
        self.out: IO[str] | None = out

    def write(self, record: dict[str, object]) -> None:
        if self.out is None:
            return
        try:
            self.out.write(json.dumps(record, separators=(",", ":")) + "\n")
        except BrokenPipeError:
            self._gone()

    def flush(self) -> None:
        if self.out is not None:
            try:
                self.out.flush()
            except BrokenPipeError:
                self._gone()

    def _gone(self) -> None:
        import os
        import sys

        self.out = None
        # as in simulate: stdout to devnull so the exit-time flush stays quiet
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def _after(store: Store, profile: Profile, session_id: int, script: RunnerScript | None,
           now: datetime) -> None:
    """Keep the original cadence (once) and record the script's follow-ups."""
    from cadence.programme.followups import due_at
    from cadence.programme.records import FollowUp
    from cadence.store.programme import keep_first_cadence, record_followup

    keep_first_cadence(store, profile, now)
    ended = store.session_info(session_id).ended_at or now
    for f in script.followups if script is not None else ():
        record_followup(store, session_id, FollowUp(f.when, f.pain, due_at(f.when, ended)))
