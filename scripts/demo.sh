#!/usr/bin/env bash
# One command: set up, then start `cadence demo` (the TUI on virtual sensors).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
exec .venv/bin/cadence demo "$@"
