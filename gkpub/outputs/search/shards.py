"""The search index as shards: Pagefind bundles under ``pagefind/``, listed by ``pagefind/gkpub-search.json``.

Layout (what /search/ and a city site that merges this one read):

    pagefind/gkpub-search.json   {"version": 1, "tokenizer": …, "pagefind": …,
                                  "bundles": ["/pagefind/", "/pagefind/s00/", …], "shards": {name: digest}}
    pagefind/                    Pagefind's runtime (pagefind.js, its worker, the wasm) and a
                                 one-record placeholder index, so that it is a bundle to import
    pagefind/s00/ …              one bundle per shard: index, fragments, filters, no runtime

Why shards: Pagefind writes a bundle from all its records at once, so one edited item meant
re-indexing the site (41–53 s at 10k). A record goes to the shard named by a stable hash of
its URL; a build re-indexes only the shards whose records changed (a shard's digest is over
its records) and swaps each in with one rename; the browser loads the first bundle and merges
the rest with mergeIndex. The shard count is a power of two chosen from the record count,
so it changes only when the site doubles (then every shard is rebuilt, as in a full build).
"""
from __future__ import annotations

import hashlib
import json
import shutil
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from gkpub.content.model import Site
from gkpub.outputs.search.pagefind import (
    BUNDLE_DIR,
    SearchIndexFailed,
    chosen,
)
from gkpub.outputs.search.records import Entry, site_entries
from gkpub.outputs.search.service import Service, ServiceError
from gkpub.outputs.search.tokens import NAME as TOKENIZER
from gkpub.store.staging import fsync_dir, leftover_path, remove_tree, swap_in, write_atomic
from gkpub.util import faults
from gkpub.util.parallel import worker_count

MANIFEST = "gkpub-search.json"
LANGUAGE = "unknown"  # no stemmer, no word segmenter: our letters-only tokens are the words (measured: indexing
# a 468-record shard 2.5 s against 3.8 s as zh-cn, whose segmenter runs over the tokens for nothing)
SHARD_RECORDS = 640  # aim per shard (measured: benchmarks/README.md, search)
MAX_SHARDS = 64
RUNTIME = ("pagefind.js", "pagefind-worker.js", "wasm.unknown.pagefind")  # what /search/ loads
UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
          "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js")
PLACEHOLDER_URL = "/search/"  # the runtime bundle's one record: its only token matches no query


def shard_count(records: int) -> int:
    n = 1
    while n * SHARD_RECORDS < records and n < MAX_SHARDS:
        n *= 2
    return n


def shard_name(i: int) -> str:
    return f"s{i:02d}"


def shard_of(url: str, count: int) -> int:
    return int(hashlib.sha1(url.encode("utf-8")).hexdigest()[:8], 16) % count


@dataclass
class Plan:
    """What the index should be, and what of it must be (re)built."""

    version: str
    shards: dict[str, list[Entry]]
    digests: dict[str, str]
    stale: list[str] = field(default_factory=list)  # shards to build
    gone: list[str] = field(default_factory=list)  # live shards not in the new index
    whole: bool = True  # no usable live index: build the runtime and every shard

    def manifest(self, names: list[str] | None = None) -> bytes:
        names = sorted(self.shards) if names is None else names
        data = {"version": 1, "tokenizer": TOKENIZER, "pagefind": self.version,
                "bundles": [f"/{BUNDLE_DIR}/"] + [f"/{BUNDLE_DIR}/{n}/" for n in names],
                "shards": {n: self.digests[n] for n in names}}
        return (json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")


def read_manifest(out_dir: Path) -> dict | None:
    try:
        data = json.loads((out_dir / BUNDLE_DIR / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def plan(site: Site, out_dir: Path | None = None) -> Plan:
    """Records by shard; against the live index in ``out_dir``, which shards are out of date."""
    _, version = chosen()
    records = site_entries(site)
    count = shard_count(len(records))
    shards: dict[str, list[Entry]] = {shard_name(i): [] for i in range(count)}
    for r in records:
        shards[shard_name(shard_of(r.url, count))].append(r)
    digests = {}
    for name, recs in shards.items():
        h = hashlib.sha1(f"{TOKENIZER}|{version}|{LANGUAGE}".encode())
        for r in recs:
            h.update(r.key.encode("ascii"))
        digests[name] = h.hexdigest()
    p = Plan(version=version, shards=shards, digests=digests, stale=sorted(shards))
    live = read_manifest(out_dir) if out_dir is not None else None
    if (live and live.get("tokenizer") == TOKENIZER and live.get("pagefind") == version
            and all((out_dir / BUNDLE_DIR / f).is_file() for f in RUNTIME)):  # type: ignore[operator]
        have = live.get("shards") or {}
        p.whole = False
        p.stale = [n for n in sorted(shards) if have.get(n) != digests[n]
                   or not (out_dir / BUNDLE_DIR / n).is_dir()]  # type: ignore[operator]
        p.gone = sorted(n for n in have if n not in shards)
    return p


def _prune(bundle: Path, runtime: bool) -> None:
    """Leave only what the page loads: never the UI files; the runtime only in the first bundle."""
    for name in UNUSED + (() if runtime else RUNTIME):
        (bundle / name).unlink(missing_ok=True)


def _write_shards(p: Plan, dest: Path, names: list[str]) -> None:
    """One Pagefind process writes these shards, one after the other (memory: one shard at a time)."""
    exe, _ = chosen()
    with Service(exe) as svc:
        for k, name in enumerate(names):
            index = svc.new_index()
            for e in p.shards[name]:
                r = e.make()
                svc.add_record(index, r.url, r.content(), LANGUAGE, r.meta, r.filters, r.sort)
            svc.write(index, dest / name)
            svc.delete(index)
            _prune(dest / name, runtime=False)
            if k == 0:
                faults.point("index")  # some shards written, others not yet


def _write_bundles(p: Plan, dest: Path, names: list[str], runtime: bool) -> None:
    """Write the runtime bundle (if asked) into ``dest`` and each named shard into ``dest``/name,
    over two Pagefind processes when there are several shards (a shard's bytes do not depend
    on which process wrote it)."""
    exe, _ = chosen()
    try:
        if runtime:
            with Service(exe) as svc:
                index = svc.new_index()
                svc.add_record(index, PLACEHOLDER_URL, "zz", LANGUAGE, {"title": ""}, {}, {})
                svc.write(index, dest)
                svc.delete(index)
            _prune(dest, runtime=True)
        lanes = max(1, min(2, worker_count(), len(names)))
        with ThreadPoolExecutor(lanes) as pool:
            for done in [pool.submit(_write_shards, p, dest, names[i::lanes]) for i in range(lanes)]:
                done.result()
    except ServiceError as e:
        raise SearchIndexFailed(f"生成检索索引失败（Pagefind）：{e}") from e
    faults.point("indexed")


def _write_tree(p: Plan, bundle: Path) -> None:
    if bundle.exists():
        shutil.rmtree(bundle)
    bundle.mkdir(parents=True)
    _write_bundles(p, bundle, sorted(p.shards), runtime=True)
    (bundle / MANIFEST).write_bytes(p.manifest())


def build_all(p: Plan, root: Path) -> None:
    """Full build: the whole index under ``root``/pagefind (a staging directory, not live)."""
    _write_tree(p, root / BUNDLE_DIR)


def retire(p: Plan, out_dir: Path) -> list[str]:
    """Before pages change: take the shards to be rebuilt (they may hold withdrawn text) out of
    the live index. The manifest goes first, so no visitor is sent to a missing bundle: search
    is off until update() writes the new one (every live file stays the old or the new one).
    Returns the shards removed. A whole rebuild takes the index out entirely (pagefind.retire_index)."""
    live = out_dir / BUNDLE_DIR
    out = [n for n in (p.stale + p.gone) if (live / n).exists()]
    if not out:
        return []
    (live / MANIFEST).unlink(missing_ok=True)
    fsync_dir(live)
    for n in out:
        gone = leftover_path(out_dir, "pagefind-old")
        (live / n).rename(gone)
        remove_tree(gone)
    fsync_dir(live)
    return out


def update(p: Plan, out_dir: Path) -> None:
    """Incremental build: build the stale shards beside the output and swap each in, then the
    manifest; or, with no usable live index, the whole ``pagefind/`` in one swap."""
    tmp = leftover_path(out_dir, "pagefind")
    if tmp.exists():
        remove_tree(tmp)
    live = out_dir / BUNDLE_DIR
    try:
        if p.whole:
            _write_tree(p, tmp)
            old = swap_in(tmp, live)
            if old is not None:
                remove_tree(old)
            return
        tmp.mkdir()
        _write_bundles(p, tmp, p.stale, runtime=False)
        for name in p.stale:
            old = swap_in(tmp / name, live / name)
            if old is not None:
                remove_tree(old)
        fsync_dir(live)
        for name in p.gone:
            if (live / name).exists():
                remove_tree(live / name)
        write_atomic(live / MANIFEST, p.manifest(), durable=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
