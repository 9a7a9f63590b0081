"""The no-op stamp: what the last successful build into an output folder saw and left.

One file in the build cache per output folder (``noop-<tag>.pickle``, through util/cachefile):
the key of everything that is not a file (engine, options, date, environment), the ``stat``
of every input file taken before the build read anything, the ``stat`` of every file the
build left (the output folder and its internal report), and the summary it printed. While
all of that is as recorded, a build would write the same bytes again: `gkpub build` skips
it (cli/noop.py decides). The stamp is removed before a build starts and written only at
the very end of a successful one, with its locks still held, so a failed or killed build
leaves none.

``stat`` means (size, mtime_ns, ctime_ns, inode). A change to a file moves its ctime, which
nobody can set back; but timestamps come from a clock that advances in ticks (at most 10 ms
on Linux; whole seconds on some file systems), so a file changed within a tick of being
looked at could keep its stat. Such "racy" files (changed within ``window`` before the
snapshot) are also read and their SHA-256 kept; a check reads them again. A check stats
every recorded file and folder and lists none (see Snapshot).
"""
from __future__ import annotations

import hashlib
import os
import time
from array import array
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from stat import S_ISDIR
from typing import Any

from gkpub.util.cachefile import read_tagged, write_tagged

Stat = tuple[int, int, int, int]  # size, mtime_ns, ctime_ns, inode
Tree = dict[str, Stat]  # absolute path → stat

FORMAT = 2
FINE_WINDOW_NS = 20_000_000  # more than one tick of the kernel's file-time clock
COARSE_WINDOW_NS = 2_000_000_000  # file systems that keep whole (or two) seconds
MAX_RACY = 2000  # more racy files than this: no stamp (the next build is a real one)
MISSING: Stat = (-1, -1, -1, -1)  # a path looked at that does not exist: its appearing counts


def _stat(st: os.stat_result) -> Stat:
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


Skip = Callable[[str], bool]


def _never(path: str) -> bool:
    return False


def walk(root: Path, skip: Skip = _never, follow: bool = True, by_names: Iterable[str] = ()) -> tuple[Tree, set[str]]:
    """Every file and folder under ``root`` (folders end in "/") → its stat (of the target,
    with ``follow``: symbolic links to folders are walked, once each); and the folders that
    hold something ``skip(path)`` leaves out, or may come to (``by_names``: where skipped
    things are made): their stat moves with what is skipped, so they are compared by their
    names instead (see Snapshot)."""
    found: Tree = {}
    listed = {f.rstrip("/") + "/" for f in by_names}
    top = str(root)
    try:
        found[top + "/"] = _stat(os.stat(top, follow_symlinks=follow))
    except OSError:
        found[top + "/"] = MISSING
        return found, listed
    if not os.path.isdir(top):
        found[top + "/"] = MISSING  # a file where a folder was looked for: never as recorded
        return found, listed
    seen: set[tuple[int, int]] = set()
    stack = [top]
    while stack:
        folder = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue  # unreadable: its stat is recorded
        for e in entries:
            path = e.path
            if skip(path):
                listed.add(folder + "/")
                continue
            try:
                if e.is_dir(follow_symlinks=follow):
                    st = e.stat(follow_symlinks=follow)
                    if e.is_symlink():
                        if (st.st_dev, st.st_ino) in seen:
                            continue
                        seen.add((st.st_dev, st.st_ino))
                    found[path + "/"] = _stat(st)
                    stack.append(path)
                    continue
                found[path] = _stat(e.stat(follow_symlinks=follow))
            except OSError:  # a dangling link, or gone while walking: its own stat
                try:
                    found[path] = _stat(os.lstat(path))
                except OSError:
                    continue
    listed &= found.keys()
    for folder in listed:
        del found[folder]
    return found, listed


def stat_files(paths: Iterable[Path]) -> Tree:
    """The stat of each of ``paths`` (following links; MISSING where there is none)."""
    found: Tree = {}
    for path in paths:
        try:
            found[str(path)] = _stat(os.stat(path))
        except OSError:
            found[str(path)] = MISSING
    return found


def _stat_now(path: str, follow: bool) -> Stat:
    folder = path.endswith("/")
    name = path[:-1] if folder else path
    try:
        st = os.stat(name, follow_symlinks=follow)
    except OSError:
        try:
            return _stat(os.lstat(name))  # a dangling link
        except OSError:
            return MISSING
    if folder and not S_ISDIR(st.st_mode):
        return MISSING
    return _stat(st)


def _digest(path: str, skip: Skip) -> str:
    """SHA-256 of a file's bytes, or of a folder's names (those not skipped)."""
    try:
        if path.endswith("/"):
            names = sorted(e.name for e in os.scandir(path[:-1]) if not skip(e.path))
            return hashlib.sha256("\0".join(names).encode("utf-8", "surrogateescape")).hexdigest()
        with open(path, "rb") as f:
            return hashlib.file_digest(f, "sha256").hexdigest()
    except OSError:
        return ""


def window(files: Tree) -> int:
    """How close to a snapshot a change may fall unseen: a tick, or two seconds where every
    time in the tree is a whole millisecond (a file system without fine timestamps)."""
    times = [st for st in files.values() if st != MISSING]
    coarse = bool(times) and all(st[1] % 1_000_000 == 0 and st[2] % 1_000_000 == 0 for st in times)
    return COARSE_WINDOW_NS if coarse else FINE_WINDOW_NS


class Snapshot:
    """Files and folders as they were at ``taken``. A check stats each again (no listing: a
    folder's stat moves when anything is added, removed or renamed in it); folders that hold
    skipped things, and entries changed within ``window`` before ``taken``, are also compared
    by content (``digests``: a file's bytes, a folder's names). Pickled as one string of paths
    and one array of numbers: a stamp of 30k files loads in a few milliseconds."""

    def __init__(self, taken: int, files: Tree, digests: dict[str, str] | None = None, follow: bool = True):
        self.taken = taken  # time.time_ns() just before the files were looked at
        self.paths = list(files)
        self.stats = array("q", [n for st in files.values() for n in st])
        self.digests = digests or {}
        self.follow = follow

    @property
    def files(self) -> Tree:
        it = iter(self.stats)
        return {path: (next(it), next(it), next(it), next(it)) for path in self.paths}

    def __getstate__(self) -> dict[str, Any]:
        return {"taken": self.taken, "paths": "\0".join(self.paths), "stats": self.stats.tobytes(),
                "digests": self.digests, "follow": self.follow}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.taken, self.digests, self.follow = state["taken"], state["digests"], state["follow"]
        self.paths = state["paths"].split("\0") if state["paths"] else []
        self.stats = array("q")
        self.stats.frombytes(state["stats"])

    @classmethod
    def take(cls, look: Callable[[], tuple[Tree, set[str]]], skip: Skip = _never, follow: bool = True) -> Snapshot:
        taken = time.time_ns()
        files, listed = look()
        near = taken - window(files)
        check = sorted(listed) + [p for p, st in files.items() if max(st[1], st[2]) >= near]
        if len(check) > MAX_RACY:
            return cls(taken, files, dict.fromkeys(check, ""), follow)  # `trusted` says no
        return cls(taken, files, {p: _digest(p, skip) for p in check}, follow)

    @property
    def racy(self) -> int:
        return len(self.digests)

    @property
    def trusted(self) -> bool:
        return len(self.digests) <= MAX_RACY

    def differs(self, skip: Skip = _never) -> str | None:
        """The first file or folder that is not as it was (新增/删除/改动 and its path), or None."""
        follow = self.follow
        now = array("q")
        add = now.extend
        for path in self.paths:
            add(_stat_now(path, follow))
        if now != self.stats:
            i = next(i for i in range(len(self.paths)) if now[4 * i:4 * i + 4] != self.stats[4 * i:4 * i + 4])
            was, is_now = tuple(self.stats[4 * i:4 * i + 4]), tuple(now[4 * i:4 * i + 4])
            what = "删除" if is_now == MISSING else "新增" if was == MISSING else "改动"
            return f"{what} {self.paths[i]}"
        for path, sha in self.digests.items():
            if _digest(path, skip) != sha:
                return f"改动 {path}"
        return None


@dataclass
class Stamp:
    key: str  # everything that is not a file: engine, options, date, environment
    inputs: Snapshot  # taken before the build read anything
    outputs: Snapshot  # taken after it wrote the last file
    summary: dict[str, Any]  # what the build printed (cli/noop.py)


def location(cache_dir: Path, out_dir: Path) -> Path:
    tag = hashlib.sha1(str(out_dir).encode()).hexdigest()[:12]
    return cache_dir / f"noop-{tag}.pickle"


def _tag(out_dir: Path) -> tuple[str, int, str]:
    return "noop-stamp", FORMAT, str(out_dir)


def read(cache_dir: Path, out_dir: Path) -> Stamp | None:
    value = read_tagged(location(cache_dir, out_dir), _tag(out_dir))
    return value if isinstance(value, Stamp) else None


def write(cache_dir: Path, out_dir: Path, stamp: Stamp) -> None:
    write_tagged(location(cache_dir, out_dir), _tag(out_dir), stamp)


def discard(cache_dir: Path, out_dir: Path) -> None:
    """Before a build changes anything: no stamp says the output is fresh until it has succeeded."""
    location(cache_dir, out_dir).unlink(missing_ok=True)
