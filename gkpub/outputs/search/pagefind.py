"""Finding Pagefind (the npm 1.6 binary, or GKPUB_PAGEFIND), and taking a live index out.

The index is written from records the build prepares (records.py, shards.py), through the
binary's service mode (service.py): Pagefind no longer reads the HTML. Why the npm 1.6.0
binary and not the PyPI package (1.5.2): the bundle's browser runtime is 1.6's, whose
mergeIndex and result locations the page relies on; any 1.6 or newer binary will do.
"""
from __future__ import annotations

import os
import platform
import re
import shutil
import subprocess
import sys
from pathlib import Path

from gkpub.store.staging import fsync_dir, leftover_path, remove_tree
from gkpub.util.errors import UsageError

PAGEFIND_VERSION = "1.6.0"  # pinned in package.json; installed by scripts/setup.sh
BUNDLE_DIR = "pagefind"
_ARCH = {"x86_64": "x64", "amd64": "x64", "aarch64": "arm64", "arm64": "arm64"}

# The engine's own folder: a checkout's root, where scripts/setup.sh runs `npm ci`.
ENGINE_ROOT = Path(__file__).resolve().parents[3]

MISSING = ("找不到生成检索索引的 Pagefind（{version} 或更新，扩展版）。安装方法（需要 Node.js 和 npm）："
           "在站点目录运行 npm install pagefind@{version}；或设置环境变量 GKPUB_PAGEFIND=Pagefind 可执行文件的路径；"
           "或把 pagefind_extended 放进 PATH。也可以加 --no-search，这次不生成检索索引。")


class SearchToolMissing(UsageError):
    """No usable Pagefind binary (exit code 2, with the way out in Chinese)."""


class SearchIndexFailed(UsageError):
    """Pagefind ran and failed."""


def _npm_binaries(root: Path) -> list[Path]:
    """Where `npm install` puts the binary: the same rule as the npm wrapper's resolver."""
    plat = {"win32": "windows", "darwin": "darwin", "linux": "linux"}.get(sys.platform, sys.platform)
    if plat.startswith("freebsd"):
        plat = "freebsd"
    machine = platform.machine().lower()
    arch = _ARCH.get(machine, machine)
    exe = ".exe" if plat == "windows" else ""
    base = root / "node_modules" / "@pagefind" / f"{plat}-{arch}" / "bin"
    return [base / f"pagefind_extended{exe}", base / f"pagefind{exe}"]


def candidates(site_dir: Path | None = None, engine_dir: Path = ENGINE_ROOT) -> list[Path]:
    """$GKPUB_PAGEFIND, then the site's node_modules, then the engine's, then PATH."""
    found: list[Path] = []
    if os.environ.get("GKPUB_PAGEFIND"):
        found.append(Path(os.environ["GKPUB_PAGEFIND"]))
    if site_dir is not None:
        found += _npm_binaries(site_dir)
    found += _npm_binaries(engine_dir)
    for name in ("pagefind_extended", "pagefind"):
        hit = shutil.which(name)
        if hit:
            found.append(Path(hit))
    return found


def binary_version(exe: Path) -> str:
    out = subprocess.run([str(exe), "--version"], capture_output=True, text=True, timeout=30).stdout
    m = re.search(r"(\d+\.\d+\.\d+)", out)
    return m.group(1) if m else ""


_FOUND: dict[tuple, tuple[Path, str]] = {}
_CHOSEN: tuple[Path, str] | None = None  # what the last find_pagefind() chose, for run_pagefind


def find_pagefind(site_dir: Path | None = None) -> tuple[Path, str]:
    """The first runnable Pagefind 1.6 or newer, as (path, version); SearchToolMissing if none.

    Older versions are passed over: before 1.6 the browser and the index split Chinese
    differently and common queries miss pages.
    """
    global _CHOSEN
    cands = candidates(site_dir)
    key = tuple(cands)
    if key in _FOUND:
        _CHOSEN = _FOUND[key]
        return _CHOSEN
    for exe in cands:
        if not (exe.is_file() and os.access(exe, os.X_OK)):
            continue
        try:
            version = binary_version(exe)
        except (OSError, subprocess.SubprocessError):
            continue
        if version and tuple(int(x) for x in version.split(".")) >= (1, 6, 0):
            _FOUND[key] = _CHOSEN = (exe, version)
            return exe, version
    raise SearchToolMissing(MISSING.format(version=PAGEFIND_VERSION))


def chosen() -> tuple[Path, str]:
    """The Pagefind binary this build uses (found once, at the start of the build)."""
    return _CHOSEN or find_pagefind()


def retire_index(out_dir: Path) -> bool:
    """Take the live index out of the site in one rename, then delete it. True if there was one.

    An incremental build calls this before it changes any page: an index of the old pages
    may hold text just withdrawn or redacted, and a build killed later must not leave it
    live. The site has no search until the new index is in place.
    """
    live = out_dir / BUNDLE_DIR
    if not live.exists():
        return False
    gone = leftover_path(out_dir, "pagefind-old")
    live.rename(gone)
    fsync_dir(out_dir)
    remove_tree(gone)
    return True


def remove_index(out_dir: Path) -> None:
    """Drop a live index that no longer matches the pages (a build with --no-search)."""
    retire_index(out_dir)
