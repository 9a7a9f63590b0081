"""Deterministic fault points, for the fault-injection tests (tests/test_faults.py).

``GKPUB_FAULT=POINT[:N[:ACTION]]`` acts the N-th time (default 1) the build reaches POINT:

- ``kill`` (default): SIGKILL, as ``kill -9`` or a cancelled CI job would. When the process
  leads its own process group (the tests start it so), the whole group is killed: render
  workers and a running Pagefind die with it, as they do when a CI runner stops a job.
- ``hold``: create the file named by ``GKPUB_FAULT_FLAG``, then wait until it is deleted
  (at most 120 s). Lets a test start a second build while the first sits at POINT.

Points, in the order an incremental build meets them (a full build writes the search index
before its data files: ``index`` and ``indexed`` come before ``extras`` there):

==============  =========================================================================
``locked``      the output's build lock is held, nothing read yet
``load``        sources read and validated; the output not touched yet
``render``      after each batch of pages rendered and written (staging or live output)
``write``       after each single file written (any write of pages or extra files)
``extras``      data files, feeds, sitemap, report and assets written
``remove``      pages and files that are no longer produced removed (incremental)
``index``       while Pagefind runs, once it has started writing its bundle
``indexed``     Pagefind finished; its bundle not yet in place
``swap``        full build: staging complete with its manifest, just before the swap
``swap-half``   between the two renames of a swap (only where the atomic exchange is
                unavailable, or forced with ``GKPUB_SWAP=rename``)
``swapped``     the new output in place, the old one not yet removed
``manifest``    incremental build: all files in place, manifest not yet saved
``saved``       incremental build: manifest saved, in-progress marker not yet removed
==============  =========================================================================

Points act only in the process that read GKPUB_FAULT, never in its forked render workers.
Unset, a point costs one comparison with None.
"""
from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path


def _parse(spec: str | None) -> tuple[str, int, str] | None:
    if not spec:
        return None
    name, _, rest = spec.partition(":")
    count, _, action = rest.partition(":")
    return name, int(count or 1), action or "kill"


_SPEC = _parse(os.environ.get("GKPUB_FAULT"))
_MAIN = os.getpid()
_seen = 0
_lock = threading.Lock()


def armed(name: str) -> bool:
    """Whether ``name`` is the point a fault is set for (to skip work done only for it)."""
    return _SPEC is not None and _SPEC[0] == name


def point(name: str) -> None:
    """Act here if GKPUB_FAULT names this point and this is its N-th visit."""
    if _SPEC is None or _SPEC[0] != name or os.getpid() != _MAIN:
        return
    global _seen
    with _lock:
        _seen += 1
        if _seen != _SPEC[1]:
            return
    if _SPEC[2] == "hold":
        _hold()
        return
    if os.getpgid(0) == os.getpid():
        os.killpg(os.getpid(), signal.SIGKILL)
    os.kill(os.getpid(), signal.SIGKILL)


def _hold() -> None:
    flag = Path(os.environ["GKPUB_FAULT_FLAG"])
    flag.write_text(str(os.getpid()), encoding="utf-8")
    deadline = time.monotonic() + 120
    while flag.exists() and time.monotonic() < deadline:
        time.sleep(0.02)
