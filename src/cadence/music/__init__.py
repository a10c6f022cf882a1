"""Music: the runner's own tracks, at today's tempo, beat-locked to the metronome.

- ``decode``: pedalboard's ``AudioFile`` -> mono float32 at the stream rate; ``MusicError``.
- ``analysis``: tempo and beat positions (librosa's tracker, refined from the attacks).
- ``stretch``: Rubber Band (pedalboard) time-stretch, one beat-to-beat segment at a time.
- ``choice``: which tracks suit a target tempo (as is, half or double, within a limit).
- ``library``: analyses cached in the store, redone when a file changes.
- ``player``: the render-ahead worker that fills the stream's music ring.

Nothing heavy is imported here or at the top of any module: librosa, numba and
pedalboard load only when a track is analysed or played, so commands that play
no music start as fast as before.
"""
