"""util/parallel.fork_map: the order of a plain map, the work shared by the calling process and
its forked workers, and an error in either raised to the caller."""
from __future__ import annotations

import os
import signal
from concurrent.futures.process import BrokenProcessPool

import pytest

from gkpub.util.parallel import can_fork, fork_map

PARENT = os.getpid()


def square_and_pid(x: int) -> tuple[int, int]:
    return x * x, os.getpid()


def fails_at(x: int) -> int:
    if x == 37:
        raise ValueError(f"bad {x}")
    return x


def dies_in_a_worker(x: int) -> int:
    if os.getpid() != PARENT and x == 65:  # block 13 of 5: a worker's
        os.kill(os.getpid(), signal.SIGKILL)  # as the OOM killer would
    return x


def fails_in_parent(x: int) -> int:
    if os.getpid() == PARENT and x > 3:
        raise ValueError("parent")
    return x


def test_results_in_order_and_the_caller_does_a_share() -> None:
    assert can_fork()
    out = fork_map(square_and_pid, range(1000), chunksize=7, workers=2)
    assert [v for v, _ in out] == [x * x for x in range(1000)]
    pids = {p for _, p in out}
    assert PARENT in pids and len(pids) == 2  # the caller and one forked worker, not two workers


def test_blocks_alternate_between_the_caller_and_the_workers() -> None:
    out = fork_map(square_and_pid, range(40), chunksize=10, workers=2)
    owners = [out[i][1] for i in range(0, 40, 10)]
    assert owners[0] == owners[2] == PARENT and owners[1] == owners[3] != PARENT


@pytest.mark.parametrize("func", [fails_at, fails_in_parent])
def test_an_error_in_a_worker_or_in_the_caller_is_raised(func) -> None:
    with pytest.raises(ValueError):
        fork_map(func, range(100), chunksize=5, workers=2)


def test_one_worker_or_one_block_runs_here() -> None:
    assert fork_map(square_and_pid, range(5), workers=1) == [(x * x, PARENT) for x in range(5)]
    assert fork_map(square_and_pid, range(5), chunksize=16, workers=2) == [(x * x, PARENT) for x in range(5)]


def test_a_worker_killed_is_an_error_not_a_hang() -> None:
    with pytest.raises(BrokenProcessPool):
        fork_map(dies_in_a_worker, range(100), chunksize=5, workers=2)
