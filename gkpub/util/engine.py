"""The engine's identity: caches written by other engine code are not trusted."""
from __future__ import annotations

import hashlib
from pathlib import Path

from gkpub import __version__

_ENGINE_KEY: str | None = None


def engine_key() -> str:
    """A hash of the engine's own Python code and version."""
    global _ENGINE_KEY
    if _ENGINE_KEY is None:
        h = hashlib.sha1(__version__.encode())
        package = Path(__file__).resolve().parent.parent
        for path in sorted(package.rglob("*.py")):
            h.update(path.relative_to(package).as_posix().encode())
            h.update(path.read_bytes())
        _ENGINE_KEY = h.hexdigest()
    return _ENGINE_KEY
