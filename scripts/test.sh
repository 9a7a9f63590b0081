#!/usr/bin/env bash
# One command: set up this machine (with test dependencies), check the code (ruff, mypy)
# and run every test. Extra arguments go to pytest (e.g. -m "not browser" for the fast core).
set -euo pipefail
cd "$(dirname "$0")/.."
GKPUB_EXTRAS=test bash scripts/setup.sh
echo "==> 代码检查（ruff、mypy）"
python3 -m ruff check .
python3 -m mypy
python3 -m pytest -q "$@"
