"""Values a build would compute again and again, kept in the build cache for the next build.

Each value is stored under a key that says everything it depends on (the caller hashes
exactly the inputs of the computation), so a hit is the value a computation would give now.
One pickle per memo in the cache folder, tagged with the engine; a build keeps only the
entries it used. Deleting the file only costs a slower build.
"""
from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from gkpub.util.cachefile import read_tagged, write_tagged
from gkpub.util.engine import engine_key

T = TypeVar("T")


class Memo:
    """``path`` None: nothing kept (every value computed); ``read`` False: start empty
    (``gkpub build --clean``) and replace what is stored."""

    def __init__(self, path: Path | None, read: bool = True):
        self.path = path
        self.old: dict[bytes, object] = {}
        self.new: dict[bytes, object] = {}
        self.added = not read
        if read and path is not None:
            self.old = read_tagged(path, engine_key()) or {}

    def get(self, key: str | bytes, make: Callable[[], T]) -> T:
        """The value stored under ``key``, or ``make()`` stored under it."""
        k = hashlib.sha1(key.encode() if isinstance(key, str) else key).digest()
        if k in self.new:
            return self.new[k]  # type: ignore[return-value]
        if k in self.old:
            value = self.old[k]
        else:
            value, self.added = make(), True
        self.new[k] = value
        return value  # type: ignore[return-value]

    def save(self) -> None:
        """Keep what this build used (the caller holds the cache lock)."""
        if self.path is not None and (self.added or len(self.new) != len(self.old)):
            write_tagged(self.path, engine_key(), self.new)
        self.old, self.added = self.new, False  # without a file too: only what was used is kept
        self.new = {}
