"""Benchmark: what the live screen costs in a real terminal, today's tree against another.

``cadence demo`` runs in tmux (a real pseudo-terminal; tmux parses every byte
Textual writes, as a terminal emulator does) once per tree, all at the same
time, so both see the same machine load. Each process's CPU is read from
/proc/<pid>/stat (user + system time over wall time, from ``--warmup-s`` on)
and the bytes it wrote from /proc/<pid>/io (``wchar``: the terminal output,
plus the session file's writes, the same in both).

The other tree is any checkout of the project, e.g. today's screen before a
change::

    git archive 8b17787 | tar -x -C /tmp/cadence-8b17787
    python scripts/bench/screen.py --other /tmp/cadence-8b17787 --minutes 10

``--audio`` plays the clicks through a private PulseAudio null sink (as
scripts/bench/demo.py does); without it both run ``--no-audio``.
"""

from __future__ import annotations

import argparse
import os
import shlex
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CLK_TCK = os.sysconf("SC_CLK_TCK")


@dataclass
class Run:
    name: str
    tree: Path
    session: str
    pid: int = 0
    cpu0_s: float = 0.0
    wchar0: int = 0
    t0_s: float = 0.0


def cpu_s(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK  # utime, stime


def wchar(pid: int) -> int:
    for line in Path(f"/proc/{pid}/io").read_text().splitlines():
        if line.startswith("wchar:"):
            return int(line.split()[1])
    return 0


def demo_pid(shell_pid: int, timeout_s: float = 10.0) -> int:
    """The ``python -m cadence demo`` process under the pane's shell."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        for child in Path(f"/proc/{shell_pid}/task/{shell_pid}/children").read_text().split():
            cmd = Path(f"/proc/{child}/cmdline").read_bytes().split(b"\0")
            if b"cadence" in cmd and b"demo" in cmd:
                return int(child)
        time.sleep(0.1)
    raise RuntimeError("the demo did not start")


def pane_text(tmux: list[str], session: str) -> str:
    """What the session's pane shows now (to read a demo that failed or ended)."""
    return subprocess.run(
        [*tmux, "capture-pane", "-p", "-t", session], capture_output=True, text=True, check=False
    ).stdout


def skips_check(tree: Path) -> bool:
    """Whether that tree's ``cadence demo`` has ``--skip-check`` (the readiness check)."""
    run_py = tree / "src" / "cadence" / "commands" / "run.py"
    return run_py.exists() and "--skip-check" in run_py.read_text()


def alive(pid: int) -> bool:
    return Path(f"/proc/{pid}").exists()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--other", type=Path, required=True, help="another checkout to compare")
    ap.add_argument("--minutes", type=float, default=10.0)
    ap.add_argument("--speed", type=float, default=1.0, help="session clock speed (demo --speed)")
    ap.add_argument("--size", default="120x40", help="terminal size, COLSxROWS")
    ap.add_argument("--warmup-s", type=float, default=15.0, help="not counted: start-up")
    ap.add_argument("--audio", action="store_true", help="clicks on a private PulseAudio sink")
    args = ap.parse_args()
    cols, rows = args.size.split("x")
    socket = f"cadence-bench-screen-{os.getpid()}"
    tmux = ["tmux", "-L", socket, "-f", os.devnull]
    runs = [Run("this tree", ROOT, "this"), Run("other tree", args.other.resolve(), "other")]
    env_extra: dict[str, str] = {}
    pulse = None
    if args.audio:
        sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tests")]
        from support.pulse import PrivatePulse

        pulse = PrivatePulse()
        pulse.start()
        env_extra = {k: v for k, v in pulse.env.items() if os.environ.get(k) != v}
    audio_flag = "" if args.audio else "--no-audio"
    with tempfile.TemporaryDirectory(prefix="cadence-bench-screen-") as tmp:
        try:
            for run in runs:
                env = {
                    **env_extra,
                    "CADENCE_DATA_DIR": f"{tmp}/{run.session}",
                    "PYTHONPATH": str(run.tree / "src"),
                    "TERM": "xterm-256color",
                }
                assign = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
                # a tree with the readiness check skips it, so the live screen is what runs
                check = " --skip-check" if skips_check(run.tree) else ""
                # the pane stays after the demo ends, so a failed run can be read
                command = (
                    f"env -u COLUMNS -u LINES {assign} {sys.executable} -m cadence demo "
                    f"{audio_flag}{check} --speed {args.speed:g}; sleep 3600"
                )
                subprocess.run(
                    [*tmux, "new-session", "-d", "-s", run.session, "-x", cols, "-y", rows,
                     command], check=True,
                )
                out = subprocess.run(
                    [*tmux, "display-message", "-p", "-t", run.session, "#{pane_pid}"],
                    capture_output=True, text=True, check=True,
                )
                run.pid = demo_pid(int(out.stdout.strip()))
            time.sleep(args.warmup_s)
            for run in runs:
                if not alive(run.pid):
                    pane = pane_text(tmux, run.session)
                    raise SystemExit(f"{run.name}: the demo did not stay up; its pane:\n{pane}")
            for run in runs:
                run.cpu0_s, run.wchar0, run.t0_s = cpu_s(run.pid), wchar(run.pid), time.monotonic()
            print(f"measuring {args.minutes:g} min at {args.size}, demo --speed {args.speed:g}"
                  f"{' with audio' if args.audio else ', no audio'} ...", flush=True)
            time.sleep(args.minutes * 60)
            print(f"\n{'':12s} {'cpu % of a core':>16s} {'KiB/s written':>14s}")
            for run in runs:
                if not alive(run.pid):
                    pane = pane_text(tmux, run.session)
                    print(f"{run.name}: the demo ended early; its pane:\n{pane}")
                    continue
                wall = time.monotonic() - run.t0_s
                cpu = 100.0 * (cpu_s(run.pid) - run.cpu0_s) / wall
                kib = (wchar(run.pid) - run.wchar0) / 1024.0 / wall
                print(f"{run.name:12s} {cpu:16.2f} {kib:14.1f}   ({run.tree})")
            for run in runs:
                pane = pane_text(tmux, run.session)
                live = alive(run.pid) and "FINISHED" not in pane
                print(f"{run.name}: session {'still live' if live else 'NOT live'} at the end")
        finally:
            subprocess.run([*tmux, "kill-server"], capture_output=True)
            if pulse is not None:
                pulse.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
