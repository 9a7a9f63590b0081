#!/usr/bin/env bash
# One command: set up this machine (with test dependencies) and run every test.
set -euo pipefail
cd "$(dirname "$0")/.."
GKPUB_EXTRAS=test bash scripts/setup.sh
python3 -m pytest -q "$@"
