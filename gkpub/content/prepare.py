"""The per-file work of loading items: read, split, parse YAML, lint and render Markdown, scan PII.

This part depends on nothing but the file itself (and the site's PII allow-list), so
it is cached by file content and spread over processes; what depends on the site
(vocabularies, the catalogue, other items) is checked afterwards in items.py.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from gkpub.content import markdown
from gkpub.content.frontmatter import Document, SourceError, read_text, split_document
from gkpub.content.pii_check import document_pii
from gkpub.util.cachefile import read_tagged, write_tagged
from gkpub.util.engine import engine_key
from gkpub.util.parallel import fork_map

# Below this many files to prepare, a process pool costs more than it saves.
POOL_THRESHOLD = 400


@dataclass
class Prepared:
    path: Path
    digest: str  # sha1 of the file's bytes: the item's fingerprint for incremental builds
    doc: Document | None = None
    source_error: tuple[int, str] | None = None  # (line, message) when the file is unreadable
    md_problems: list[tuple[int, str]] = field(default_factory=list)
    html: str = ""
    pii: list[tuple[int, str, str]] = field(default_factory=list)  # (line, field, message)
    refs: list[markdown.Ref] = field(default_factory=list)  # the body's links to local files


def file_digest(data: bytes) -> str:
    """The digest a file is known by: sha1 of its bytes (cheap: ~15 ms for 10k items)."""
    return hashlib.sha1(data).hexdigest()


def read_file(path: str | Path) -> bytes:
    with open(path, "rb", buffering=0) as f:  # unbuffered: one read, faster than Path.read_bytes
        return f.read()


def prepare(path: Path, allow: tuple[str, ...], data: bytes | None = None) -> Prepared:
    if data is None:
        data = read_file(path)
    out = Prepared(path=path, digest=file_digest(data))
    try:
        out.doc = split_document(path, read_text(path, data))
    except SourceError as exc:
        out.source_error = (exc.line, exc.message)
        return out
    out.md_problems, out.html = markdown.check_and_render(out.doc.body)
    if not out.md_problems:
        out.refs = markdown.local_references(out.doc.body)
    out.pii = list(document_pii(out.doc, allow))
    return out


def _prepare_job(args: tuple[Path, tuple[str, ...], bytes | None]) -> Prepared:
    return prepare(*args)


class PrepareCache:
    """Prepared files by path, each valid only for the bytes it was prepared from.

    A hit needs the digest of the file's bytes as they are now: size and mtime prove
    nothing (an edit that keeps the size with the mtime restored, an mtime-preserving copy
    or checkout would otherwise keep a withdrawn item published). At 10k items reading and
    hashing every file costs about 60 ms more than a stat. ``clean`` ignores what is stored
    (the entries made by this run replace it on save). Stored as one pickle under the cache
    dir; deleting it only costs a slower build.
    """

    def __init__(self, cache_dir: Path | None, allow: tuple[str, ...], clean: bool = False):
        self.file = cache_dir / "prepared.pickle" if cache_dir else None
        self.tag = (engine_key(), allow)
        self._entries: dict[str, Prepared] | None = {} if clean or not self.file else None
        self.dirty = clean  # a clean run rewrites the stored cache even when nothing differs

    @property
    def loaded(self) -> bool:
        return self._entries is not None

    def stored(self) -> bool:
        return self.file is not None and self.file.is_file()

    @property
    def entries(self) -> dict[str, Prepared]:
        """Read from disk when first needed: a build whose items are all known (loader's
        state file) never reads it."""
        if self._entries is None:
            assert self.file is not None
            self._entries = read_tagged(self.file, self.tag) or {}
        return self._entries

    def get(self, path: str, digest: str) -> Prepared | None:
        """The cached file if it was prepared from bytes with this digest."""
        hit = self.entries.get(path)
        return hit if hit is not None and hit.digest == digest else None

    def trusted(self, path: str) -> Prepared | None:
        """The cached file without reading it: only for a file a watcher saw no write to."""
        return self.entries.get(path)

    def put(self, path: str, prepared: Prepared) -> None:
        self.entries[path] = prepared
        self.dirty = True

    def prune(self, keep: set[str]) -> None:
        if self._entries is None:
            return  # not read: nothing in it was used, and what it holds is checked on use
        gone = set(self.entries) - keep
        for k in gone:
            del self.entries[k]
        self.dirty = self.dirty or bool(gone)

    def save(self) -> None:
        if not (self.file and self.dirty):
            return
        write_tagged(self.file, self.tag, self.entries)
        self.dirty = False


def prepare_all(paths: list[str], allow: tuple[str, ...], cache: PrepareCache | None = None,
                changed: set[str] | None = None, keep: set[str] | None = None) -> list[Prepared]:
    """Prepared files in the order of ``paths``, reusing the cache where the bytes are unchanged.

    ``changed`` (from a file watcher) names the only files that may differ from the cache;
    every other file is read and its digest compared. The cache keeps the files in ``keep``
    (default: ``paths``).
    """
    results: list[Prepared | None] = [None] * len(paths)
    todo: list[int] = []
    read: dict[int, bytes] = {}  # bytes already read for a miss: prepared from exactly these
    for i, path in enumerate(paths):
        hit = None
        if cache is not None and path in cache.entries:
            if changed is not None and path not in changed:
                hit = cache.trusted(path)
            else:
                data = read_file(path)
                hit = cache.get(path, file_digest(data))
                if hit is None:
                    read[i] = data
        if hit is not None:
            results[i] = hit
        else:
            todo.append(i)
    if todo:
        pool = len(todo) >= POOL_THRESHOLD
        # a pool pickles its jobs: let workers read the files rather than send the bytes
        jobs = [(Path(paths[i]), allow, None if pool else read.get(i)) for i in todo]
        done = fork_map(_prepare_job, jobs, chunksize=32) if pool else [_prepare_job(j) for j in jobs]
        for i, prepared in zip(todo, done, strict=True):
            results[i] = prepared
            if cache:
                cache.put(paths[i], prepared)
    if cache:
        cache.prune(set(paths) if keep is None else keep)
    return [r for r in results if r is not None]
