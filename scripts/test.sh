#!/usr/bin/env bash
# One command: set up, lint, type-check, check the import contracts, run the tests.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export PATH="$PWD/.venv/bin:$PATH"
echo "== ruff";          ruff check src tests scripts
echo "== mypy";          mypy
echo "== import-linter"; lint-imports
echo "== pytest";        python -m pytest "$@"
