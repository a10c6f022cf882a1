"""The imperative shell of a live session: clocks, the session loop, headless runs.

Everything here does I/O or keeps time so that ``cadence.coach`` does not have
to. ``LiveSession`` owns a session from start to finish (sensors, coach,
metronome, recorder); the TUI and ``cadence simulate`` only drive its clock.
"""
