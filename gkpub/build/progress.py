"""A progress line for builds that take more than a moment; silent when not on a terminal."""
from __future__ import annotations

import sys
import time


class Progress:
    DELAY = 0.8  # seconds before anything is shown: quick builds stay quiet

    def __init__(self, enabled: bool = True, stream=None):
        self.stream = stream or sys.stderr
        self.enabled = enabled and hasattr(self.stream, "isatty") and self.stream.isatty()
        self.start = time.monotonic()
        self.label = ""
        self.total = 0
        self.count = 0
        self.last = 0.0
        self.shown = False

    def stage(self, label: str, total: int = 0) -> None:
        self.label, self.total, self.count = label, total, 0
        self._draw(force=True)

    def advance(self, n: int = 1) -> None:
        self.count += n
        self._draw()

    def _draw(self, force: bool = False) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self.start < self.DELAY or (not force and now - self.last < 0.1):
            return
        self.last = now
        if self.total:
            width = 30
            filled = int(width * min(self.count, self.total) / self.total)
            bar = "█" * filled + "░" * (width - filled)
            text = f"\r{self.label} {bar} {self.count}/{self.total}"
        else:
            text = f"\r{self.label}……"
        self.stream.write(text.ljust(60))
        self.stream.flush()
        self.shown = True

    def done(self) -> None:
        if self.shown:
            self.stream.write("\r" + " " * 60 + "\r")
            self.stream.flush()
