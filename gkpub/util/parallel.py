"""Spreading CPU-bound work over the machine's cores with forked worker processes.

Fork (not spawn) is used on purpose: workers inherit the loaded site and the
compiled templates instead of pickling them. GKPUB_WORKERS=1 turns it off.
"""
from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


def worker_count() -> int:
    env = os.environ.get("GKPUB_WORKERS")
    if env and env.isdigit() and int(env) > 0:
        return int(env)
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def fork_map(func: Callable[[T], R], args: Iterable[T], chunksize: int = 16,
             workers: int | None = None) -> list[R]:
    """``[func(a) for a in args]`` over forked processes, in order."""
    items = list(args)
    n = min(workers or worker_count(), len(items))
    if n <= 1 or not can_fork():
        return [func(a) for a in items]
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(n) as pool:
        return pool.map(func, items, chunksize=chunksize)
