"""What an output directory holds, and the check that it still holds it.

Two records, each with one job:

- ``.gkpub-manifest.sha256`` in the output: the SHA-256 of every file gkpub put there, in
  ``sha256sum`` format (``cd public && sha256sum --quiet -c .gkpub-manifest.sha256`` checks
  a deployed copy). It depends only on the files, so it is the same bytes for an
  incremental and a clean build. Written last, after the files are in place; fsynced.
- ``output-<tag>.pickle`` in the cache: for that manifest (by its digest), the input
  signature of every page (what decides re-rendering) and the ``stat`` of every file when
  its digest was last confirmed (what makes checking cheap).

``verify()`` establishes that the disk is what the manifest says: no file missing, none
foreign; a file whose stat is what the cache recorded is trusted, any other is read and
its digest compared. A reboot since the record was made (boot id), or a file changed
within two seconds before the record was taken (coarse timestamps), means reading
it again. Any disagreement is a reason for a full build, except under ``print/``, which
`gkpub print` writes between builds (under the same lock): those files are taken as they
are, and the build keeps or drops them by the rules of print carry-over.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from gkpub.store.staging import IO_THREADS, MANIFEST_NAME, MARKER_FILES, StatKey, digest, stat_key, write_atomic

RACY_NS = 2_000_000_000


def _boot_id() -> str:
    try:
        return Path("/proc/sys/kernel/random/boot_id").read_text(encoding="ascii").strip()
    except OSError:
        return ""


# -- the manifest file ---------------------------------------------------------------------


def _escape(rel: str) -> tuple[str, str]:
    if "\\" in rel or "\n" in rel or "\r" in rel:  # sha256sum's escaping of odd names
        return "\\", rel.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r")
    return "", rel


def _unescape(name: str) -> str:
    out, i = [], 0
    while i < len(name):
        if name[i] == "\\" and i + 1 < len(name):
            out.append({"\\": "\\", "n": "\n", "r": "\r"}.get(name[i + 1], name[i + 1]))
            i += 2
        else:
            out.append(name[i])
            i += 1
    return "".join(out)


def dump(files: dict[str, str]) -> bytes:
    lines = []
    for rel in sorted(files):
        mark, name = _escape(rel)
        lines.append(f"{mark}{files[rel]}  {name}\n")
    return "".join(lines).encode("utf-8")


def parse(data: bytes) -> dict[str, str] | None:
    """The manifest's files, or None if it is not one gkpub wrote."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if text and not text.endswith("\n"):
        return None  # cut short
    files: dict[str, str] = {}
    for line in text.splitlines():
        escaped = line.startswith("\\")
        body = line[1:] if escaped else line
        hexdigest, sep, name = body.partition("  ")
        if not sep or len(hexdigest) != 64 or not name or any(c not in "0123456789abcdef" for c in hexdigest):
            return None
        files[_unescape(name) if escaped else name] = hexdigest
    return files


def read(out_dir: Path) -> tuple[bytes, dict[str, str]] | None:
    try:
        data = (out_dir / MANIFEST_NAME).read_bytes()
    except OSError:
        return None
    files = parse(data)
    return (data, files) if files is not None else None


def write(root: Path, files: dict[str, str]) -> str:
    """Write the manifest durably into ``root``; return the digest of its bytes."""
    data = dump(files)
    write_atomic(root / MANIFEST_NAME, data, durable=True)
    return hashlib.sha256(data).hexdigest()


# -- the cache's record ----------------------------------------------------------------------


@dataclass
class Record:
    manifest: str  # sha256 of the manifest file this record describes
    key: str  # engine and options the output was built with; another key means a full build
    sigs: dict[str, str]  # page → signature of its inputs
    stats: dict[str, StatKey] = field(default_factory=dict)  # file → stat when its digest was confirmed
    boot: str = field(default_factory=_boot_id)
    stamp: int = field(default_factory=time.time_ns)

    @staticmethod
    def location(cache_dir: Path, out_dir: Path) -> Path:
        tag = hashlib.sha1(str(out_dir.resolve()).encode()).hexdigest()[:12]
        return cache_dir / f"output-{tag}.pickle"

    @classmethod
    def load(cls, cache_dir: Path, out_dir: Path) -> Record | None:
        try:
            data = pickle.loads(cls.location(cache_dir, out_dir).read_bytes())
            return cls(**data) if isinstance(data, dict) else None
        except Exception:  # missing or damaged: build everything
            return None

    def vouches(self, rel: str, st: StatKey, boot: str) -> bool:
        """Whether the digest recorded for ``rel`` still holds for a file whose stat is ``st``:
        the stat recorded, the same boot (``boot``: _boot_id() now), and no change within
        RACY_NS before the record was saved (a coarse clock could hide a later one)."""
        return boot == self.boot and self.stats.get(rel) == st and max(st[1], st[2]) < self.stamp - RACY_NS

    def save(self, cache_dir: Path, out_dir: Path) -> None:
        self.boot, self.stamp = _boot_id(), time.time_ns()
        path = self.location(cache_dir, out_dir)
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, pickle.dumps(self.__dict__, protocol=pickle.HIGHEST_PROTOCOL))


# -- the check -----------------------------------------------------------------------------------


def scan(root: Path, under: str = "") -> dict[str, StatKey]:
    """Every file (and symlink) under ``root``/``under`` → its stat; the root's marker files left out."""
    found: dict[str, StatKey] = {}
    start = root / under if under else root
    if not start.is_dir():
        return found
    stack = [(str(start), under.rstrip("/") + "/" if under else "")]
    while stack:
        path, prefix = stack.pop()
        with os.scandir(path) as entries:
            for e in entries:
                if e.is_dir(follow_symlinks=False):
                    stack.append((e.path, prefix + e.name + "/"))
                elif prefix or e.name not in MARKER_FILES:
                    found[prefix + e.name] = stat_key(e.stat(follow_symlinks=False))
    return found


def file_digest(path: Path) -> str | None:
    try:
        return digest(path.read_bytes())
    except OSError:
        return None


def digest_files(root: Path, rels: list[str]) -> dict[str, str | None]:
    """rel → digest of its bytes now (None if unreadable), read over a thread pool."""
    if not rels:
        return {}
    with ThreadPoolExecutor(IO_THREADS) as pool:
        return dict(zip(rels, pool.map(lambda r: file_digest(root / r), rels, chunksize=64), strict=True))


def _some(paths: list[str]) -> str:
    shown = "、".join(paths[:3])
    return shown + (f" 等 {len(paths)} 个" if len(paths) > 3 else "")


@dataclass
class Verdict:
    doubt: str | None  # why the disk is not what the manifest says (in Chinese), or None
    rechecked: int  # files whose digest had to be read again
    adopted: list[str]  # files under the adopted folder that were added, changed or removed


def verify(out_dir: Path, files: dict[str, str], record: Record, adopt: str = "") -> Verdict:
    """Whether the disk holds exactly ``files``; stats in ``record`` are refreshed for files read again.

    Files under ``adopt`` (``print/``, which `gkpub print` writes between builds) may have been
    added, replaced or removed: ``files`` takes them as they are, for the build to decide on.
    """
    on_disk = scan(out_dir)

    def outside(rels: set[str]) -> list[str]:
        return sorted(r for r in rels if not (adopt and r.startswith(adopt)))

    foreign = outside(set(on_disk) - set(files))
    if foreign:
        return Verdict(f"输出目录中有不在上次生成记录中的文件：{_some(foreign)}", 0, [])
    missing = set(files) - set(on_disk)
    if outside(missing):
        return Verdict(f"输出目录中少了上次生成的文件：{_some(outside(missing))}", 0, [])
    boot = _boot_id()
    recheck = [rel for rel, st in on_disk.items() if not record.vouches(rel, st, boot)]
    now = digest_files(out_dir, recheck)
    changed = outside({rel for rel, d in now.items() if d != files.get(rel)})
    if changed:
        return Verdict(f"输出目录中的文件与上次生成的记录不一致：{_some(changed)}", len(recheck), [])
    adopted = sorted(missing | {rel for rel, d in now.items() if d != files.get(rel)})
    for rel in missing:
        del files[rel]
        record.stats.pop(rel, None)
    for rel, d in now.items():
        if d is not None:
            files[rel], record.stats[rel] = d, on_disk[rel]
    return Verdict(None, len(recheck), adopted)


def tree_entries(root: Path, under: str, known: tuple[Record, dict[str, str]] | None = None,
                 ) -> dict[str, tuple[str, StatKey]]:
    """rel → (digest, stat) of every file under ``root``/``under`` (a tree another tool wrote).

    ``known``: a record and the digests it holds (the manifest's files) of a tree of which part
    was rewritten: a file the record vouches for keeps its digest unread (after one search
    shard of 10k items was rebuilt, reading the other ~10k files of the index took ~1.3 s)."""
    stats = scan(root, under)
    kept: dict[str, str] = {}
    if known is not None:
        record, files = known
        boot = _boot_id()
        kept = {rel: files[rel] for rel, st in stats.items() if rel in files and record.vouches(rel, st, boot)}
    digests = digest_files(root, sorted(rel for rel in stats if rel not in kept))
    return {rel: (kept.get(rel) or digests.get(rel) or "", st) for rel, st in sorted(stats.items())}
