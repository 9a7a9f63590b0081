"""Spreading CPU-bound work over the machine's cores with forked worker processes.

Fork (not spawn) is used on purpose: workers inherit the loaded site and the
compiled templates instead of pickling them. GKPUB_WORKERS=1 turns it off.
"""
from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
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


def _run_block(task: tuple[Callable[[T], R], list[T]]) -> list[R]:
    func, block = task
    return [func(a) for a in block]


def fork_map(func: Callable[[T], R], args: Iterable[T], chunksize: int = 16,
             workers: int | None = None) -> list[R]:
    """``[func(a) for a in args]`` over forked processes, in order.

    The calling process does every n-th block of ``chunksize`` itself and forks n - 1 workers
    for the others: the same number of processes at work, and one copy fewer of the memory
    pages the work writes to (a page written after the fork is copied for each process that
    writes it; measured on a 50k-item build: 1.71 GB PSS with two forked renderers and an idle
    parent)."""
    items = list(args)
    n = min(workers or worker_count(), len(items))
    if n <= 1 or not can_fork():
        return [func(a) for a in items]
    blocks = [items[i:i + chunksize] for i in range(0, len(items), chunksize)]
    if len(blocks) < 2:
        return [func(a) for a in items]
    mine = range(0, len(blocks), n)
    theirs = [k for k in range(len(blocks)) if k % n]
    done: dict[int, list[R]] = {}
    # an executor, not a Pool: a worker killed (by the OOM killer, say) is an error, not a wait for ever
    with ProcessPoolExecutor(min(n - 1, len(theirs)), mp_context=multiprocessing.get_context("fork")) as pool:
        futures = [pool.submit(_run_block, (func, blocks[k])) for k in theirs]
        try:
            for k in mine:
                done[k] = _run_block((func, blocks[k]))
            for k, f in zip(theirs, futures, strict=True):
                done[k] = f.result()
        except BaseException:
            pool.shutdown(wait=True, cancel_futures=True)  # blocks under way finish their writes
            raise
    return [r for k in range(len(blocks)) for r in done[k]]
