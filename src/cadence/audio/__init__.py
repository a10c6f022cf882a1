"""Audio: pure click rendering and scheduling, and the PortAudio stream around it.

- ``cadence.audio.scheduler``: ``ClickScheduler``, pure numpy, sample-exact
  (no sounddevice; unit-tested offline for any block size).
- ``cadence.audio.stream``: ``Metronome``, one long-lived sounddevice output
  stream whose callback drives the scheduler; ``Beat``, ``StreamStats``.
- ``cadence.audio.supervisor``: a thread that notices a lost output (the sound
  server restarted), keeps a ``SoundStatus`` for the screen and reopens the
  stream; the callback then skips the gap so the beat stays on its grid.
- ``cadence.audio.backend``: lazy sounddevice import, ``AudioUnavailable``,
  ``list_output_devices``.
- ``cadence.audio.sounds``: WAV loading from ``sounds/`` (or
  ``$CADENCE_SOUNDS_DIR``), on the main thread only.

Nothing is re-exported here, so importing ``cadence.audio`` stays cheap and
never touches PortAudio.
"""
