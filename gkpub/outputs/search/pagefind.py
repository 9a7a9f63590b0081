"""Full-text search: index the written site with Pagefind (extended build, from npm).

Pagefind reads the HTML the build wrote and writes a static bundle under ``pagefind/``
(runtime JS + wasm, index chunks, one fragment per page). Only item pages carry
``data-pagefind-body`` (gkpub/theme/layouts/item.html), so listings, navigation and fixed pages stay
out of the index, and so does everything the disclosure gate holds back (it has no page).

Why the npm 1.6.0 extended binary and not the PyPI package (1.5.2): 1.6.0 segments Chinese
with ICU4X both when indexing and in the browser; 1.5.2 segments with jieba at index time
only and silently drops pages for common two-character queries such as 低保. The binary
is called directly on the output directory: one process, no service protocol.
"""
from __future__ import annotations

import os
import platform
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

from gkpub.store.staging import fsync_dir, leftover_path, remove_tree, swap_in
from gkpub.util import faults
from gkpub.util.errors import UsageError

PAGEFIND_VERSION = "1.6.0"  # pinned in package.json; installed by scripts/setup.sh
BUNDLE_DIR = "pagefind"
ITEM_PAGES = "xxgk/**/*.html"  # only item pages are read: nothing else can reach the index
_ARCH = {"x86_64": "x64", "amd64": "x64", "aarch64": "arm64", "arm64": "arm64"}
ENTRY = "pagefind-entry.json"  # the bundle's table of contents, with the Pagefind version

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


def run_pagefind(site_root: Path, bundle: Path) -> None:
    """Index the HTML under ``site_root`` and write the bundle to ``bundle``."""
    exe, _ = _CHOSEN or find_pagefind()
    proc = subprocess.Popen([str(exe), "--site", str(site_root), "--glob", ITEM_PAGES,
                             "--output-path", str(bundle), "--quiet"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if faults.armed("index"):
        _wait_for_files(bundle, proc)
        faults.point("index")
    stdout, stderr = proc.communicate()
    if proc.returncode != 0:
        detail = (stderr or stdout).strip().splitlines()[-5:]
        raise SearchIndexFailed(f"生成检索索引失败（Pagefind 退出码 {proc.returncode}）："
                                f"{' / '.join(detail) or '无输出'}")
    faults.point("indexed")


def _wait_for_files(bundle: Path, proc: subprocess.Popen) -> None:
    """For the fault point "index": until Pagefind has begun writing (or has ended)."""
    while proc.poll() is None and not (bundle.is_dir() and any(p.is_file() for p in bundle.rglob("*"))):
        time.sleep(0.005)


def index_staged(site_root: Path) -> None:
    """Full build: index the staged directory in place (it is not live yet)."""
    bundle = site_root / BUNDLE_DIR
    if bundle.exists():
        shutil.rmtree(bundle)
    run_pagefind(site_root, bundle)


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


def reindex_live(out_dir: Path) -> None:
    """Incremental build: index the live pages into a directory beside the output, then
    swap it in whole as ``pagefind/``; a visitor never meets a half-written index."""
    tmp = leftover_path(out_dir, "pagefind")
    if tmp.exists():
        remove_tree(tmp)
    try:
        run_pagefind(out_dir, tmp)
        old = swap_in(tmp, out_dir / BUNDLE_DIR)
        if old is not None:
            remove_tree(old)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def remove_index(out_dir: Path) -> None:
    """Drop a live index that no longer matches the pages (a build with --no-search)."""
    retire_index(out_dir)


def index_current(out_dir: Path) -> bool:
    """A bundle is there and was written by the Pagefind version in use."""
    import json
    try:
        entry = json.loads((out_dir / BUNDLE_DIR / ENTRY).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return entry.get("version") == (_CHOSEN or find_pagefind())[1]
