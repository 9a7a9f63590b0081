"""The per-file work of loading items: read, split, parse YAML, lint and render Markdown, scan PII.

This part depends on nothing but the file itself (and the site's PII allow-list), so
it is cached by file content and spread over processes; what depends on the site
(vocabularies, the catalogue, other items) is checked afterwards in items.py.
"""
from __future__ import annotations

import hashlib
import os
import pickle
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from . import engine_key, markdown
from .frontmatter import Document, SourceError, read_text, split_document
from .parallel import fork_map
from .pii_check import document_pii

# Below this many files to prepare, a process pool costs more than it saves.
POOL_THRESHOLD = 400


@dataclass
class Prepared:
    path: Path
    digest: str  # sha1 of the file's bytes: the item's fingerprint for incremental builds
    doc: Optional[Document] = None
    source_error: Optional[tuple[int, str]] = None  # (line, message) when the file is unreadable
    md_problems: list[tuple[int, str]] = field(default_factory=list)
    html: str = ""
    pii: list[tuple[int, str, str]] = field(default_factory=list)  # (line, field, message)


def prepare(path: Path, allow: tuple[str, ...], data: bytes | None = None) -> Prepared:
    if data is None:
        data = path.read_bytes()
    out = Prepared(path=path, digest=hashlib.sha1(data).hexdigest())
    try:
        out.doc = split_document(path, read_text(path, data))
    except SourceError as exc:
        out.source_error = (exc.line, exc.message)
        return out
    out.md_problems, out.html = markdown.check_and_render(out.doc.body)
    out.pii = list(document_pii(out.doc, allow))
    return out


def _prepare_job(args: tuple[Path, tuple[str, ...]]) -> Prepared:
    return prepare(*args)


class PrepareCache:
    """Prepared files keyed by (path, size, mtime); the file's digest guards against stale stats.

    Stored as one pickle under the cache dir; deleting it only costs a slower build.
    """

    def __init__(self, cache_dir: Optional[Path], allow: tuple[str, ...]):
        self.file = cache_dir / "prepared.pickle" if cache_dir else None
        self.tag = (engine_key(), allow)
        self.entries: dict[str, tuple[int, int, Prepared]] = {}
        self.dirty = False
        if self.file and self.file.is_file():
            try:
                tag, entries = pickle.loads(self.file.read_bytes())
                if tag == self.tag:
                    self.entries = entries
            except Exception:  # a damaged cache is rebuilt, never trusted
                self.entries = {}

    def get(self, path: str, st: Optional[os.stat_result]) -> Optional[Prepared]:
        """The cached file if unchanged; with ``st`` None, trust the caller that it is."""
        hit = self.entries.get(path)
        if hit and (st is None or (hit[0] == st.st_size and hit[1] == st.st_mtime_ns)):
            return hit[2]
        return None

    def put(self, path: str, st: os.stat_result, prepared: Prepared) -> None:
        self.entries[path] = (st.st_size, st.st_mtime_ns, prepared)
        self.dirty = True

    def prune(self, keep: set[str]) -> None:
        gone = set(self.entries) - keep
        for k in gone:
            del self.entries[k]
        self.dirty = self.dirty or bool(gone)

    def save(self) -> None:
        if not (self.file and self.dirty):
            return
        self.file.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.file.with_suffix(".tmp")
        tmp.write_bytes(pickle.dumps((self.tag, self.entries), protocol=pickle.HIGHEST_PROTOCOL))
        tmp.replace(self.file)
        self.dirty = False


def prepare_all(paths: list[str], allow: tuple[str, ...], cache: Optional[PrepareCache] = None,
                changed: Optional[set[str]] = None) -> list[Prepared]:
    """Prepared files in the order of ``paths``, reusing the cache where the file is unchanged.

    ``changed`` (from a file watcher) names the only files that may differ from the cache.
    """
    results: list[Optional[Prepared]] = [None] * len(paths)
    todo: list[int] = []
    stats: dict[int, os.stat_result] = {}
    for i, path in enumerate(paths):
        hit = cache.get(path, None) if cache and changed is not None and path not in changed else None
        if hit is None:
            st = os.stat(path)
            stats[i] = st
            hit = cache.get(path, st) if cache else None
        if hit is not None:
            results[i] = hit
        else:
            todo.append(i)
    if todo:
        jobs = [(Path(paths[i]), allow) for i in todo]
        done = fork_map(_prepare_job, jobs, chunksize=32) if len(todo) >= POOL_THRESHOLD \
            else [_prepare_job(j) for j in jobs]
        for i, prepared in zip(todo, done):
            results[i] = prepared
            if cache:
                cache.put(paths[i], stats[i], prepared)
    if cache:
        cache.prune(set(paths))
    return [r for r in results if r is not None]
