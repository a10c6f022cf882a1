"""The coach across sessions: the readiness check, today's plan, the follow-ups.

Pure (no SQLite, no UI): the store hands in what it recorded as plain records
(``records``), these modules decide, and the commands and screens show the
result. It sits between ``profile`` (settings, programs, the week-to-week rule
in ``profile.progression``) and ``coach`` (one session): a plan from here says
which week, stage and feedback the coach runs today, or that it should not run.
"""
