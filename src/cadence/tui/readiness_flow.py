"""The readiness check in the app: before the live screen, never after it.

``ask`` shows today's plan and the questions (``screens.readiness``), records
the answers in the store, and then either starts the session (``then`` gets the
check's id, so the session can be attached to it) or shows why there is no
running today and offers an easy 20-minute walk instead (coached, recorded
apart from the program) or rest (the app closes). With ``--skip-check`` nothing is asked and
the check is recorded as skipped; a hold from the history (a 4/10 or a warning
sign not yet seen by a professional) still stops the run.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from textual.app import App

from cadence.live.plan import SessionPlan
from cadence.programme.readiness import ReadinessAnswers, ReadinessOutcome, assess
from cadence.programme.records import ReadinessRecord
from cadence.programme.render import render_plan
from cadence.tui.screens.readiness import NoRunScreen, ReadinessScreen

Start = Callable[[int | None], None]


def ask(app: App[int], plan: SessionPlan, then: Start,
        on_store_error: Callable[[Exception], None] | None = None) -> None:
    """Run the check for ``plan`` on ``app``; ``then(check_id)`` starts the session.

    ``on_store_error`` gets a ``StoreError`` from recording the answers (the app
    closes with its one line) instead of it crashing the screen.
    """
    def decide(answers: ReadinessAnswers) -> None:
        from cadence.store.db import StoreError

        try:
            _decide(app, plan, answers, then)
        except StoreError as exc:
            if on_store_error is None:
                raise
            on_store_error(exc)

    if plan.today is None or not plan.readiness_check:
        if plan.today is None:
            then(None)
            return
        decide(ReadinessAnswers(None, skipped=True))
        return

    def answered(answers: ReadinessAnswers | None) -> None:
        if answers is None:
            app.exit(0)  # the runner left before answering: nothing recorded, no session
            return
        decide(answers)

    app.push_screen(ReadinessScreen(render_plan(plan.today)), answered)


def _record(plan: SessionPlan, answers: ReadinessAnswers, outcome: ReadinessOutcome) -> int | None:
    if plan.store is None:
        return None
    from cadence.store.programme import record_readiness

    record = ReadinessRecord(datetime.now().astimezone(), answers.pain, answers.warning_signs,
                             answers.skipped)
    return record_readiness(plan.store, record, outcome.verdict.value)


def _decide(app: App[int], plan: SessionPlan, answers: ReadinessAnswers, then: Start) -> None:
    assert plan.today is not None
    outcome = assess(answers, plan.profile.pain_stop_rating, plan.today.blocking)
    check_id = _record(plan, answers, outcome)
    if outcome.may_run:
        then(check_id)  # the question screen has dismissed itself
        return
    def chosen(choice: str | None) -> None:
        if choice == "walk":
            _walk_instead(plan)
            then(check_id)
        else:
            app.exit(0)

    app.push_screen(NoRunScreen(outcome), chosen)


def _walk_instead(plan: SessionPlan) -> None:
    """Turn today's session into an easy walk (recorded apart from the program)."""
    from cadence.live.wiring import week_coach
    from cadence.programme.plan import walk_instead

    assert plan.today is not None
    profile, week = walk_instead(plan.profile, plan.today)
    plan.profile = profile
    plan.make_coach = week_coach(profile, week)
    plan.title = f"{plan.title}  ·  easy walk"
