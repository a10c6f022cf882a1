"""The imperative shell of a live session: clocks, sensor sources, the session loop.

Everything here does I/O or keeps time so that ``cadence.coach`` does not have
to. The TUI drives a ``LiveSession``; the session drives the coach, the
metronome and the recorder.
"""
