"""One value pickled into a file of the build cache, under a tag that says what it is valid for
(engine, site…). A missing, damaged or foreign file reads as nothing: a cache only saves time.
Written through a temporary file beside it and renamed over, so a reader never sees half."""
from __future__ import annotations

import os
import pickle
from pathlib import Path
from typing import Any


def read_tagged(path: Path, tag: object) -> Any | None:
    """The value stored in ``path`` under ``tag``; None when there is none (or another tag's)."""
    try:
        with path.open("rb") as f:  # streamed: the file's bytes are never held beside what they make
            stored_tag, value = pickle.load(f)
    except Exception:  # missing or damaged: computed again, never trusted
        return None
    return value if stored_tag == tag else None


def write_tagged(path: Path, tag: object, value: object) -> None:
    """Streamed into the file: a pickle of ~260 MB (the prepared files at 50k items) is never
    held in memory as one bytes object (it was not the build's peak, though: benchmarks/README.md)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with tmp.open("wb") as f:
            pickle.dump((tag, value), f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
