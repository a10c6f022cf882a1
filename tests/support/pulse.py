"""A private PulseAudio daemon with a null sink, a ``parecord`` capture, and onset analysis.

Why: the machines that run the tests have no sound card, yet audio tests must
go through the real stack (sounddevice -> PortAudio -> ALSA pulse plugin ->
PulseAudio) and judge what actually came out. ``PrivatePulse`` starts its own
daemon in a temporary folder (no systemd, no D-Bus, works as root), ``Capture``
records the null sink's monitor to a WAV, and ``detect_onsets`` /
``grid_errors`` / ``inter_onset_stats`` measure click timing in samples.

Typical use::

    with PrivatePulse() as pulse:
        pulse.activate()            # env vars + re-scan PortAudio devices
        with Capture(tmp / "out.wav", env=pulse.env):
            ... play through device "pulse" ...
        x, sr = read_wav(tmp / "out.wav")
        onsets = detect_onsets(x)
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time
import wave
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from cadence.model.start_stop import StartStop

SAMPLERATE = 48000
SINK = "metro"
_CONF = """\
load-module module-null-sink sink_name={sink} sink_properties=device.description=CadenceNull \
rate={rate} channels=2
load-module module-native-protocol-unix auth-anonymous=1
set-default-sink {sink}
set-default-source {sink}.monitor
"""


def pulse_missing() -> str | None:
    """Why the private daemon cannot run here, or None if it can."""
    for tool in ("pulseaudio", "pactl", "parecord"):
        if shutil.which(tool) is None:
            return f"{tool} is not installed (apt: pulseaudio pulseaudio-utils)"
    return None


class PrivatePulse(StartStop):
    """A PulseAudio daemon of our own, with one null sink ``metro`` at 48 kHz."""

    def __init__(self, root: Path | None = None, *, rate: int = SAMPLERATE) -> None:
        self._own_root = root is None
        self.root = Path(tempfile.mkdtemp(prefix="cadence-pulse-")) if root is None else root
        self.rate = rate
        self.sink = SINK
        self.monitor = f"{SINK}.monitor"
        xdg = self.root / "xdg"
        self.env = dict(
            os.environ,
            XDG_RUNTIME_DIR=str(xdg),
            HOME=str(self.root / "home"),
            PULSE_SERVER=f"unix:{xdg}/pulse/native",
        )
        self._saved: dict[str, str | None] | None = None
        self.running = False

    def pactl(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["pactl", *args], env=self.env, capture_output=True, text=True, timeout=10
        )

    def start(self, timeout_s: float = 10.0) -> None:
        reason = pulse_missing()
        if reason:
            raise RuntimeError(reason)
        xdg = Path(self.env["XDG_RUNTIME_DIR"])
        xdg.mkdir(mode=0o700, parents=True, exist_ok=True)
        xdg.chmod(0o700)
        Path(self.env["HOME"]).mkdir(parents=True, exist_ok=True)
        conf = self.root / "pa.conf"
        conf.write_text(_CONF.format(sink=self.sink, rate=self.rate))
        subprocess.run(
            ["pulseaudio", "--daemonize=yes", "-n", "-F", str(conf), "--exit-idle-time=-1",
             "--use-pid-file=yes", "--realtime=no", "--system=no",
             f"--log-target=file:{self.root / 'pulse.log'}"],
            env=self.env, check=True, capture_output=True, timeout=timeout_s,
        )
        self.running = True
        deadline = time.monotonic() + timeout_s
        while self.pactl("info").returncode != 0:
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"pulseaudio did not come up; see {self.root / 'pulse.log'}")
            time.sleep(0.03)

    def activate(self) -> None:
        """Point this process at the daemon and make PortAudio re-scan its devices."""
        keys = ("XDG_RUNTIME_DIR", "PULSE_SERVER")
        if self._saved is None:
            self._saved = {k: os.environ.get(k) for k in keys}
        os.environ.update({k: self.env[k] for k in keys})
        _reinit_portaudio()

    def stop(self) -> None:
        if self._saved is not None:
            for k, v in self._saved.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v
            self._saved = None
            _reinit_portaudio()
        if self.running:
            subprocess.run(["pulseaudio", "--kill"], env=self.env, capture_output=True, timeout=10)
            for _ in range(100):
                check = subprocess.run(["pulseaudio", "--check"], env=self.env, capture_output=True)
                if check.returncode != 0:
                    break
                time.sleep(0.05)
            self.running = False
        if self._own_root:
            shutil.rmtree(self.root, ignore_errors=True)


    def freeze(self) -> None:
        """SIGSTOP the daemon: its clients' streams stay open but get no callbacks."""
        os.kill(_daemon_pid(self), signal.SIGSTOP)

    def thaw(self) -> None:
        """SIGCONT the daemon after ``freeze``."""
        os.kill(_daemon_pid(self), signal.SIGCONT)

    def crash(self, timeout_s: float = 10.0) -> None:
        """SIGKILL the daemon, as a crashing sound server goes (``start()`` brings it back).

        Our own processes connected to it (streams, captures) see the socket close.
        """
        pid_file = Path(self.env["XDG_RUNTIME_DIR"]) / "pulse" / "pid"
        pid = int(pid_file.read_text().split()[0])
        os.kill(pid, signal.SIGKILL)
        deadline = time.monotonic() + timeout_s
        while _alive(pid):
            if time.monotonic() > deadline:
                raise RuntimeError(f"pulseaudio {pid} survived SIGKILL")
            time.sleep(0.01)
        # A zombie nobody reaps still answers kill(pid, 0): pulseaudio would take the
        # stale pid file for a live daemon, so remove it as a reboot would.
        pid_file.unlink(missing_ok=True)
        self.running = False


def _daemon_pid(pulse: PrivatePulse) -> int:
    pid_file = Path(pulse.env["XDG_RUNTIME_DIR"]) / "pulse" / "pid"
    return int(pid_file.read_text().split()[0])


def _alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie, killed but not reaped, does not count)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def _reinit_portaudio() -> None:
    try:
        import sounddevice as sd
    except OSError:
        return
    sd._terminate()
    sd._initialize()


class Capture(StartStop):
    """Record the null sink's monitor with ``parecord`` (16-bit mono WAV) while in the block."""

    def __init__(
        self, path: Path, *, env: dict[str, str], device: str = f"{SINK}.monitor",
        rate: int = SAMPLERATE,
    ) -> None:
        self.path = Path(path)
        self.env = env
        self.cmd = ["parecord", f"--device={device}", f"--rate={rate}", "--channels=1",
                    "--format=s16le", "--file-format=wav", "--latency-msec=20", str(self.path)]
        self._proc: subprocess.Popen[bytes] | None = None

    def _recorders(self) -> int:
        out = subprocess.run(["pactl", "list", "short", "source-outputs"], env=self.env,
                             capture_output=True, text=True, timeout=10).stdout
        return len(out.strip().splitlines())

    def start(self, timeout_s: float = 10.0) -> None:
        before = self._recorders()
        self._proc = subprocess.Popen(self.cmd, env=self.env)
        deadline = time.monotonic() + timeout_s
        while True:  # wait until our record stream exists on the server
            if self._recorders() > before:
                break
            if self._proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("parecord did not start recording")
            time.sleep(0.02)
        time.sleep(0.1)

    def stop(self, tail_s: float = 0.3) -> None:
        if self._proc is None:
            return
        time.sleep(tail_s)  # let the last buffers through
        self._proc.send_signal(signal.SIGINT)  # parecord finalises the WAV header on SIGINT
        self._proc.wait(timeout=10)
        self._proc = None


def read_wav(path: Path) -> tuple[NDArray[np.float32], int]:
    """First channel of a 16-bit WAV as float32 in [-1, 1], and its sample rate."""
    with wave.open(str(path), "rb") as w:
        if w.getsampwidth() != 2:
            raise ValueError(f"{path}: expected 16-bit samples")
        sr = w.getframerate()
        ch = w.getnchannels()
        raw = w.readframes(w.getnframes())
    x = np.frombuffer(raw, dtype="<i2").reshape(-1, ch)[:, 0]
    return x.astype(np.float32) / np.float32(32768.0), sr


def detect_onsets(
    x: NDArray[np.float32], *, threshold: float = 0.02, refractory_s: float = 0.1,
    samplerate: int = SAMPLERATE,
) -> NDArray[np.int64]:
    """Sample indices where ``|x|`` first exceeds ``threshold`` after ``refractory_s`` quiet.

    cadence's clicks start at their loudest sample, so with an absolute threshold
    well below the quietest click this is the exact onset sample.
    """
    above = np.flatnonzero(np.abs(x) > threshold)
    if above.size == 0:
        return above.astype(np.int64)
    gap = int(refractory_s * samplerate)
    keep = np.concatenate(([True], np.diff(above) > gap))
    return above[keep].astype(np.int64)


def _beat_offset(k: int, period: Fraction) -> int:
    """``round(k * period)`` with halves rounded up, in exact integer arithmetic."""
    return (2 * k * period.numerator + period.denominator) // (2 * period.denominator)


def ideal_grid(first: int, period: float | Fraction, count: int) -> NDArray[np.int64]:
    """``first + round(k * period)`` for k in 0..count-1, rounding halves up (exact)."""
    p = Fraction(period)
    return np.array([first + _beat_offset(k, p) for k in range(count)], dtype=np.int64)


def grid_errors(onsets: NDArray[np.int64], period: float | Fraction) -> NDArray[np.int64]:
    """Each onset minus its place on the ideal grid anchored at the first onset.

    A missing click does not shift the rest: each onset is matched to its nearest
    grid beat. All zeros means sample-exact, with no drift.
    """
    if onsets.size == 0:
        return onsets
    p = Fraction(period)
    rel = onsets - onsets[0]
    k = np.round(rel / float(p)).astype(np.int64)
    ideal = np.array([_beat_offset(int(kk), p) for kk in k], dtype=np.int64)
    return (rel - ideal).astype(np.int64)


@dataclass(frozen=True, slots=True)
class IoiStats:
    """Inter-onset timing against an ideal period, in samples."""

    onsets: int
    missing: int  # gaps spanning more than one period
    ioi_err_mean: float
    ioi_err_std: float
    ioi_err_max_abs: float
    grid_err_max_abs: int  # cumulative: worst onset vs the ideal grid (drift included)


def inter_onset_stats(onsets: NDArray[np.int64], period: float | Fraction) -> IoiStats:
    """Inter-onset error against the exact grid, and the worst grid error.

    Each gap is compared with the gap between the same two beats on the ideal
    grid (``round(k * period)``), so a fractional period's floor/ceil
    alternation counts as exact; missing clicks are counted, not timed.
    """
    p = float(Fraction(period))
    if onsets.size < 2:
        return IoiStats(int(onsets.size), 0, float("nan"), float("nan"), float("nan"), 0)
    ioi = np.diff(onsets).astype(np.float64)
    missing = int((np.maximum(1, np.round(ioi / p)) - 1).sum())
    grid = grid_errors(onsets, period)
    err = np.diff(grid).astype(np.float64)
    return IoiStats(
        onsets=int(onsets.size),
        missing=missing,
        ioi_err_mean=float(err.mean()),
        ioi_err_std=float(err.std()),
        ioi_err_max_abs=float(np.abs(err).max()),
        grid_err_max_abs=int(np.abs(grid).max()),
    )
