#!/usr/bin/env bash
# One command for a new user: set up this machine and build the demo district into public/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
python3 build.py "$@"
