"""One build at a time per output directory (and per cache directory).

The lock is ``flock`` on a small file beside the output, ``.<name>.lock`` in its parent
(never inside the folder that is deployed). The kernel drops it when the holder dies, so
a killed build never leaves a stale lock. A second build waits, saying so on stderr, up
to ``GKPUB_LOCK_TIMEOUT`` seconds (default 600), then gives up with exit code 2.

Forked workers (parsing, rendering) inherit the lock's descriptor; ``register_at_fork``
closes it in them, so an orphaned worker of a killed build never keeps holding it.
"""
from __future__ import annotations

import fcntl
import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from gkpub.util.errors import UsageError

TIMEOUT_ENV = "GKPUB_LOCK_TIMEOUT"
DEFAULT_TIMEOUT = 600.0
POLL = 0.1

_held: set[int] = set()


def _close_in_child() -> None:
    for fd in _held:
        try:
            os.close(fd)
        except OSError:
            pass
    _held.clear()


os.register_at_fork(after_in_child=_close_in_child)


class OutputBusy(UsageError):
    """Another build kept the lock for longer than the timeout (exit code 2)."""


def lock_file(out_dir: Path) -> Path:
    """The lock of an output directory: beside it, not in it."""
    return out_dir.parent / f".{out_dir.name}.lock"


def cache_lock_file(cache_dir: Path) -> Path:
    return cache_dir / "lock"


def timeout() -> float:
    text = os.environ.get(TIMEOUT_ENV, "").strip()
    if not text:
        return DEFAULT_TIMEOUT
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 <= value < float("inf"):
        raise UsageError(f"环境变量 {TIMEOUT_ENV} 应为等待的秒数（如 600，0 表示不等待），而不是「{text}」")
    return value


def _try(fd: int) -> bool:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False


def _holder(fd: int) -> str:
    try:
        pid = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
    except OSError:
        pid = ""
    return f"（进程 {pid}）" if pid.isdigit() else ""


@contextmanager
def hold(path: Path, what: str, wait: float | None = None, err: TextIO | None = None) -> Iterator[None]:
    """Hold the lock in ``path`` for the block; ``what`` names the locked thing in messages."""
    wait = timeout() if wait is None else wait
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o644)
    try:
        if not _try(fd):
            who = _holder(fd)
            print(f"另一个生成正在写入 {what}{who}，等待…（最多 {wait:g} 秒）",
                  file=err or sys.stderr, flush=True)
            deadline = time.monotonic() + wait
            while not _try(fd):
                if time.monotonic() >= deadline:
                    raise OutputBusy(
                        f"另一个生成仍在写入 {what}{who}，等了 {wait:g} 秒仍未结束，本次没有生成。"
                        f"同一输出目录同一时间只能有一个生成：请等它结束后再运行"
                        f"（等待的秒数可用环境变量 {TIMEOUT_ENV} 设置）")
                time.sleep(POLL)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
        _held.add(fd)
        try:
            yield
        finally:
            _held.discard(fd)
            os.ftruncate(fd, 0)
    finally:
        os.close(fd)  # releases the lock
