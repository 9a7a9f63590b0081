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

    The calling process forks n - 1 workers and works too: it takes the blocks no worker has
    started, from the back of the queue while the workers take from the front, so a slower
    process (a worker pays for the pages it copies) does fewer blocks. The same number of
    processes is at work, and one copy fewer of the memory pages the work writes to (a page
    written after the fork is copied for each process that writes it; measured on a
    50k-item build: 1.71 GB PSS with two forked renderers and an idle parent)."""
    items = list(args)
    n = min(workers or worker_count(), len(items))
    blocks = [items[i:i + chunksize] for i in range(0, len(items), chunksize)]
    if n <= 1 or len(blocks) < 2 or not can_fork():
        return [func(a) for a in items]
    done: dict[int, list[R]] = {}
    # an executor, not a Pool: a worker killed (by the OOM killer, say) is an error, not a wait for ever
    with ProcessPoolExecutor(n - 1, mp_context=multiprocessing.get_context("fork")) as pool:
        futures = [pool.submit(_run_block, (func, block)) for block in blocks]
        try:
            for k in reversed(range(len(blocks))):
                if futures[k].cancel():  # not started: a worker will not take it now
                    done[k] = _run_block((func, blocks[k]))
            for k, f in enumerate(futures):
                if k not in done:
                    done[k] = f.result()
        except BaseException:
            pool.shutdown(wait=True, cancel_futures=True)  # blocks under way finish their writes
            raise
    return [r for k in range(len(blocks)) for r in done[k]]
