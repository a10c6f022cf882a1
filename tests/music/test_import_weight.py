"""The music stack (librosa, numba, pedalboard) loads only when music is analysed or played."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("librosa", "numba", "pedalboard", "scipy", "soundfile", "sklearn")


def test_the_metronome_and_the_session_without_music_load_none_of_it() -> None:
    code = (
        "import sys\n"
        "import cadence.audio.stream, cadence.live.session, cadence.commands.metronome\n"
        "import cadence.music.player, cadence.music.library, cadence.music.choice\n"
        f"print(','.join(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""
