"""Write a build into a temporary directory and swap it into place only when complete."""
from __future__ import annotations

import os
import shutil
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator


class StagedOutput:
    """A directory next to the target that becomes the target on commit()."""

    def __init__(self, target: Path):
        self.target = target.resolve()
        self.target.parent.mkdir(parents=True, exist_ok=True)
        self.tmp = self.target.parent / f".{self.target.name}.tmp-{os.getpid()}"
        if self.tmp.exists():
            shutil.rmtree(self.tmp)
        self.tmp.mkdir()
        self._dirs: set[Path] = {self.tmp}

    def write_text(self, rel: str, content: str) -> None:
        self.write_bytes(rel, content.encode("utf-8"))

    def write_bytes(self, rel: str, data: bytes) -> None:
        path = self.tmp / rel
        parent = path.parent
        if parent not in self._dirs:
            parent.mkdir(parents=True, exist_ok=True)
            self._dirs.add(parent)
        path.write_bytes(data)

    def copy_file(self, src: Path, rel: str) -> None:
        self.write_bytes(rel, src.read_bytes())

    def commit(self) -> None:
        old = self.target.parent / f".{self.target.name}.old-{os.getpid()}"
        if self.target.exists():
            self.target.rename(old)
        self.tmp.rename(self.target)
        if old.exists():
            shutil.rmtree(old)

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
