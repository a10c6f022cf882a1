#!/usr/bin/env bash
# Set up cadence on a Debian machine: system packages (apt), then a virtual
# environment in .venv with cadence and its test tools installed (pip).
# Safe to run again: it only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  python3 python3-venv python3-pip      # the interpreter and venv
  libportaudio2                         # PortAudio, used by sounddevice
  pulseaudio pulseaudio-utils           # sound server; the tests run a private one
  libasound2-plugins                    # ALSA 'pulse' plugin so PortAudio reaches PulseAudio
  espeak-ng sox                         # render the spoken cues and click sounds
  tmux                                  # the end-to-end terminal test
)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "setup: installing system packages: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

PY="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
stamp=.venv/.cadence-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  echo "setup: installing Python packages into .venv"
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e ".[test,music]"
  touch "$stamp"
fi
