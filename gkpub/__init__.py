"""gkpub: a static-site generator for Chinese government disclosure (政务公开)."""
from __future__ import annotations

__version__ = "0.1.0"


def engine_key() -> str:
    """A hash of the engine's own code: caches made by other code are not trusted."""
    global _ENGINE_KEY
    if _ENGINE_KEY is None:
        import hashlib
        from pathlib import Path

        h = hashlib.sha1(__version__.encode())
        for path in sorted(Path(__file__).resolve().parent.rglob("*.py")):
            h.update(path.read_bytes())
        _ENGINE_KEY = h.hexdigest()
    return _ENGINE_KEY


_ENGINE_KEY: str | None = None
