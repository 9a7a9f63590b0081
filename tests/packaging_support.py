"""Helpers shared by the packaging tests (test_wheel.py, test_offline_bundle.py): running a
command with its output in the failure message, the environment variables that would let an
installed gkpub see the checkout, and what building a package could disturb in the checkout."""
from __future__ import annotations

import os
import subprocess
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PAGEFIND = REPO / "node_modules" / "@pagefind" / "linux-x64" / "bin" / "pagefind_extended"
VERSION = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
# Variables that would let the installed gkpub see the checkout or another environment.
LEAKY = ("PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "PYTHONUSERBASE", "VIRTUAL_ENV", "PYTHONSAFEPATH")


def run(cmd: list[str], cwd: Path, env: dict[str, str] | None = None,
        check: bool = True) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    if check:
        assert proc.returncode == 0, (f"{' '.join(cmd)} → exit {proc.returncode}\n"
                                      f"stdout:\n{proc.stdout[-4000:]}\nstderr:\n{proc.stderr[-4000:]}")
    return proc


def repo_state() -> tuple[str, list[str]]:
    """What building the wheel could disturb: git's view of the checkout and its top level."""
    status = run(["git", "status", "--porcelain", "--untracked-files=all"], REPO).stdout
    return status, sorted(os.listdir(REPO))
