"""Keep what C libraries print to stderr off the live screen: into a log beside the store.

Why: when the sound server goes away, PortAudio prints debug lines
("Expression '...' failed in 'src/hostapi/alsa/pa_linux_alsa.c'") straight to
file descriptor 2, and so can ALSA and other native code. Textual draws the
whole screen on that same descriptor (``sys.__stderr__``), so those lines land
in the middle of the runner's screen. While the screen is up, Textual gets its
own duplicate of the terminal and descriptor 2 points at a log file; when it
closes, descriptor 2 is the terminal again (tracebacks and closing lines print
as before).
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path

LOG_NAME = "native-messages.log"


@contextlib.contextmanager
def native_stderr_to_log(folder: Path) -> Iterator[Path | None]:
    """Descriptor 2 into ``folder/native-messages.log`` while the block runs.

    Yields the log's path, or None when nothing was redirected (stderr is not a
    terminal, or the log can't be opened: then the screen may get the lines,
    which is better than no screen).
    """
    terminal = sys.__stderr__
    if terminal is None or not os.isatty(2):
        yield None
        return
    log = folder / LOG_NAME
    try:
        folder.mkdir(parents=True, exist_ok=True)
        log_fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    except OSError:
        yield None
        return
    saved_fd = os.dup(2)
    screen = open(  # noqa: SIM115 - closed below, after descriptor 2 is back
        os.dup(2), "w", encoding=terminal.encoding, errors="backslashreplace"
    )
    terminal.flush()
    # Textual's driver draws on sys.__stderr__ (typed Final: set it through setattr)
    setattr(sys, "__stderr__", screen)  # noqa: B010
    os.dup2(log_fd, 2)
    os.close(log_fd)
    try:
        yield log
    finally:
        with contextlib.suppress(OSError, ValueError):
            screen.flush()
        setattr(sys, "__stderr__", terminal)  # noqa: B010
        os.dup2(saved_fd, 2)
        os.close(saved_fd)
        with contextlib.suppress(OSError, ValueError):
            screen.close()
