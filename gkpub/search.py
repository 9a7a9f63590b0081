"""Full-text search: index the written site with Pagefind (extended build, from npm).

Pagefind reads the HTML the build wrote and writes a static bundle under ``pagefind/``
(runtime JS + wasm, index chunks, one fragment per page). Only item pages carry
``data-pagefind-body`` (layouts/item.html), so listings, navigation and fixed pages stay
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
from pathlib import Path

from .errors import UsageError
from .web import ENGINE_DIR

PAGEFIND_VERSION = "1.6.0"  # pinned in package.json; installed by scripts/setup.sh
BUNDLE_DIR = "pagefind"
ITEM_PAGES = "xxgk/**/*.html"  # only item pages are read: nothing else can reach the index
_ARCH = {"x86_64": "x64", "amd64": "x64", "aarch64": "arm64", "arm64": "arm64"}
_ENTRY = "pagefind-entry.json"  # the bundle's table of contents: replaced last on an update

MISSING = ("找不到生成检索索引的 Pagefind（{version}，扩展版）。请在 gkpub 目录运行 "
           "bash scripts/setup.sh 安装（需要 Node.js 和 npm）；或加 --no-search 跳过检索索引。")


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


def candidates(engine_dir: Path = ENGINE_DIR) -> list[Path]:
    """$GKPUB_PAGEFIND, then the engine repo's node_modules, then PATH."""
    found: list[Path] = []
    if os.environ.get("GKPUB_PAGEFIND"):
        found.append(Path(os.environ["GKPUB_PAGEFIND"]))
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


def find_pagefind(engine_dir: Path = ENGINE_DIR) -> tuple[Path, str]:
    """The first runnable Pagefind 1.6 or newer, as (path, version); SearchToolMissing if none.

    Older versions are passed over: before 1.6 the browser and the index split Chinese
    differently and common queries miss pages.
    """
    cands = candidates(engine_dir)
    key = tuple(cands)
    if key in _FOUND:
        return _FOUND[key]
    for exe in cands:
        if not (exe.is_file() and os.access(exe, os.X_OK)):
            continue
        try:
            version = binary_version(exe)
        except (OSError, subprocess.SubprocessError):
            continue
        if version and tuple(int(x) for x in version.split(".")) >= (1, 6, 0):
            _FOUND[key] = (exe, version)
            return exe, version
    raise SearchToolMissing(MISSING.format(version=PAGEFIND_VERSION))


def run_pagefind(site_root: Path, bundle: Path) -> None:
    """Index the HTML under ``site_root`` and write the bundle to ``bundle``."""
    exe, _ = find_pagefind()
    proc = subprocess.run([str(exe), "--site", str(site_root), "--glob", ITEM_PAGES,
                           "--output-path", str(bundle), "--quiet"], capture_output=True, text=True)
    if proc.returncode != 0:
        detail = (proc.stderr or proc.stdout).strip().splitlines()[-5:]
        raise SearchIndexFailed("生成检索索引失败（Pagefind 退出码 %d）：%s"
                                % (proc.returncode, " / ".join(detail) or "无输出"))


def index_staged(site_root: Path) -> None:
    """Full build: index the staged directory in place (it is not live yet)."""
    bundle = site_root / BUNDLE_DIR
    if bundle.exists():
        shutil.rmtree(bundle)
    run_pagefind(site_root, bundle)


def reindex_live(out_dir: Path) -> None:
    """Incremental build: index the live site into a temporary directory, then update
    ``pagefind/`` so that a visitor never meets a half-written index.

    Pagefind names its index files after their content, so the new files go in beside
    the old ones first, then the entry file that points to them is replaced atomically,
    and only then are the old files removed. A search that started on the old index can
    finish on it.
    """
    tmp = out_dir.parent / f".{out_dir.name}.pagefind-{os.getpid()}"
    if tmp.exists():
        shutil.rmtree(tmp)
    try:
        run_pagefind(out_dir, tmp)
        merge_bundle(tmp, out_dir / BUNDLE_DIR)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def merge_bundle(new: Path, live: Path) -> None:
    new_files = sorted(p.relative_to(new).as_posix() for p in new.rglob("*") if p.is_file())
    entry_last = [f for f in new_files if f != _ENTRY] + ([_ENTRY] if _ENTRY in new_files else [])
    for rel in entry_last:
        src, dst = new / rel, live / rel
        if dst.is_file() and _same(src, dst):
            continue
        dst.parent.mkdir(parents=True, exist_ok=True)
        tmp = dst.with_name(f".{dst.name}.tmp-{os.getpid()}")
        shutil.copyfile(src, tmp)
        os.replace(tmp, dst)
    keep = set(new_files)
    if live.is_dir():
        for path in sorted(live.rglob("*"), reverse=True):
            rel = path.relative_to(live).as_posix()
            if path.is_file() and rel not in keep:
                path.unlink()
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()


def remove_index(out_dir: Path) -> None:
    """Drop a live index that no longer matches the pages (a build with --no-search)."""
    shutil.rmtree(out_dir / BUNDLE_DIR, ignore_errors=True)


def _same(a: Path, b: Path) -> bool:
    if a.stat().st_size != b.stat().st_size:
        return False
    return a.read_bytes() == b.read_bytes()
