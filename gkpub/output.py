"""Write a build into a temporary directory and swap it into place only when complete.

File-system latency, not bandwidth, bounds writing thousands of small pages
(measured here: 0.7 ms per file from one thread, four times faster from a pool
of threads), so writes and the removal of the old tree go through a thread pool.
Writes are batched and flushed while the main thread waits: threads writing
while the main thread renders fight over the GIL and were slower than one thread.
"""
from __future__ import annotations

import os
import shutil
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

IO_THREADS = 8
BATCH = 2000


def _write(path: Path, data: bytes) -> None:
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        os.write(fd, data)
    finally:
        os.close(fd)


def write_many(root: Path, files: list[tuple[str, bytes]]) -> None:
    """Write (relative path, bytes) pairs under ``root`` through the thread pool."""
    if not files:
        return
    with ThreadPoolExecutor(IO_THREADS) as pool:
        list(pool.map(lambda f: _write(root / f[0], f[1]), files, chunksize=32))


def write_atomic(path: Path, data: bytes) -> None:
    """Replace one file so that a reader sees the old bytes or the new, never half."""
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    _write(tmp, data)
    os.replace(tmp, path)


def remove_tree(root: Path) -> None:
    """rmtree, with the unlinks spread over threads."""
    if not root.exists():
        return
    files: list[str] = []
    dirs: list[str] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirs.append(dirpath)
        files.extend(os.path.join(dirpath, f) for f in filenames)
    with ThreadPoolExecutor(IO_THREADS) as pool:
        list(pool.map(os.unlink, files, chunksize=256))
    for d in reversed(dirs):
        os.rmdir(d)


class StagedOutput:
    """A directory next to the target that becomes the target on commit()."""

    def __init__(self, target: Path):
        self.target = target.resolve()
        self.target.parent.mkdir(parents=True, exist_ok=True)
        self.tmp = self.target.parent / f".{self.target.name}.tmp-{os.getpid()}"
        if self.tmp.exists():
            shutil.rmtree(self.tmp)
        self.tmp.mkdir()
        self._pending: list[tuple[str, bytes]] = []

    def write_text(self, rel: str, content: str) -> None:
        self.write_bytes(rel, content.encode("utf-8"))

    def write_bytes(self, rel: str, data: bytes) -> None:
        self._pending.append((rel, data))
        if len(self._pending) >= BATCH:
            self._drain()

    def copy_file(self, src: Path, rel: str) -> None:
        self.write_bytes(rel, src.read_bytes())

    def flush(self) -> None:
        """Write everything queued so far (before a tool reads the staged tree)."""
        self._drain()

    def _drain(self) -> None:
        pending, self._pending = self._pending, []
        write_many(self.tmp, pending)  # re-raises a failed write

    def commit(self) -> None:
        self._drain()
        old = self.target.parent / f".{self.target.name}.old-{os.getpid()}"
        if self.target.exists():
            self.target.rename(old)
        self.tmp.rename(self.target)
        remove_tree(old)

    def abort(self) -> None:
        shutil.rmtree(self.tmp, ignore_errors=True)


@contextmanager
def staged(target: Path) -> Iterator[StagedOutput]:
    out = StagedOutput(target)
    try:
        yield out
    except BaseException:
        out.abort()
        raise
    out.commit()
