"""The search index as shards: Pagefind bundles under ``pagefind/``, listed by ``pagefind/gkpub-search.json``.

Layout (what /search/ and a city site that merges this one read):

    pagefind/gkpub-search.json   {"version": LAYOUT, "tokenizer": …, "pagefind": …,
                                  "bundles": ["/pagefind/", "/pagefind/s-jiuzhu_2025-0/", …],
                                  "shards": {name: digest}, "words": {"buckets": B, "files": […]},
                                  "filters": {filter: {value: records}}}
    pagefind/                    Pagefind's runtime (pagefind.js, its worker, the wasm) and a
                                 one-record placeholder index, so that it is a bundle to import
    pagefind/s-<family>-<n>/     one bundle per shard (family: _all, _pages, 领域 or 领域_年份):
                                 index, fragments, filters, no runtime;
                                 gkpub-shard.json: its tokens and filter counts (for the build);
                                 dates-<digest>.json: page id → 发布日期 (the page sorts by date)
    pagefind/words/<b>-<digest>.json   the word directory: token → which shards hold it

Why shards: Pagefind writes a bundle from all its records at once, so one edited item meant
re-indexing the site (41–53 s at 10k). A build re-indexes only the shards whose records
changed (a shard's digest is over its records) and swaps each in with one rename.

Why by 领域 and year, and the word directory: a query costs the browser one index chunk
(~25 KB) and the pf_meta of every bundle it searches, so searching every shard made the first
query grow with the site (716 KB at 10k with 16 shards). A topic word lives in a few 领域, so
the page reads the directory buckets of the query's tokens (one small file each), merges only
the shards that hold every token, and searches those: the same results, since a shard without
one of the tokens has no page that matches. The families (_families): a small site is one; a
larger one has a family per 领域, split by 发布年份 when the 领域 is large. A family larger than
SHARD_RECORDS is split into a power of two of parts, whole 事项 to a part (by a hash of the URL
when one 事项 is too large), so its part count changes only when it doubles, and one edit
re-indexes one small shard.

Everything here is a pure function of the records: an incremental build writes the same bytes
as a clean one.
"""
from __future__ import annotations

import gzip
import hashlib
import json
import shutil
import threading
from collections import Counter, defaultdict
from collections.abc import Iterator
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
from gkpub.outputs.search.service import RecordArgs, Service, ServiceError
from gkpub.outputs.search.tokens import NAME as TOKENIZER
from gkpub.store.staging import fsync_dir, leftover_path, remove_tree, swap_in, write_atomic
from gkpub.util import faults
from gkpub.util.parallel import worker_count

MANIFEST = "gkpub-search.json"
LAYOUT = 4  # the manifest's "version" and part of every shard's digest: raise it whenever what a
# shard holds changes (2: shards by 领域 and year with the word directory; 3: fragments without the
# token string, a date table per shard, families named 领域_年份; 4: no Pagefind sort index, the
# page sorts by the date tables — 0.4 KB less pf_meta per shard a query reads)
LANGUAGE = "unknown"  # no stemmer, no word segmenter: our letters-only tokens are the words (measured: indexing
# a 468-record shard 2.5 s against 3.8 s as zh-cn, whose segmenter runs over the tokens for nothing)
SHARD_RECORDS = 320  # most records per shard (measured: benchmarks/README.md, search)
SUMMARY = "gkpub-shard.json"  # per shard: its tokens and filter counts, read back by later builds
WORDS_DIR = "words"
BUCKET_TOKENS = 512  # aim per directory bucket
UNCOUNTED = ("索引号", "文号")  # one value per record: looked up in the shards, not totalled
RUNTIME = ("pagefind.js", "pagefind-worker.js", "wasm.unknown.pagefind")  # what /search/ loads
UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
          "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js")
PLACEHOLDER_URL = "/search/"  # the runtime bundle's one record: its only token matches no query


def parts_for(records: int) -> int:
    n = 1
    while n * SHARD_RECORDS < records:
        n *= 2
    return n


def part_of(url: str, count: int) -> int:
    return int(hashlib.sha1(url.encode("utf-8")).hexdigest()[:8], 16) % count


def bucket_of(token: str, buckets: int) -> int:
    """FNV-1a (32 bit) of the token, as search.js computes it."""
    h = 0x811C9DC5
    for b in token.encode("ascii"):
        h = ((h ^ b) * 0x01000193) & 0xFFFFFFFF
    return h % buckets


@dataclass
class Plan:
    """What the index should be, and what of it must be (re)built."""

    version: str
    shards: dict[str, list[Entry]]
    digests: dict[str, str]
    stale: list[str] = field(default_factory=list)  # shards to build
    gone: list[str] = field(default_factory=list)  # live shards not in the new index
    whole: bool = True  # no usable live index: build the runtime and every shard

    def manifest(self, words: dict, filters: dict) -> bytes:
        names = sorted(self.shards)
        data = {"version": LAYOUT, "tokenizer": TOKENIZER, "pagefind": self.version,
                "bundles": [f"/{BUNDLE_DIR}/"] + [f"/{BUNDLE_DIR}/{n}/" for n in names],
                "shards": {n: self.digests[n] for n in names}, "words": words, "filters": filters}
        return (json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")


def read_manifest(out_dir: Path) -> dict | None:
    try:
        data = json.loads((out_dir / BUNDLE_DIR / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _parts(recs: list[Entry]) -> list[list[Entry]]:
    """A family in 2ⁿ parts of ≤ SHARD_RECORDS: whole 事项 to a part where they fit (a topic word
    mostly lives in one 事项, so a query reads fewer shards), largest first into the emptiest
    part; by a hash of the URL when a 事项 alone is too large to fit."""
    count = parts_for(len(recs))
    if count == 1:
        return [recs]
    by_matter: dict[str, list[Entry]] = defaultdict(list)
    for e in recs:
        by_matter[e.group[2]].append(e)
    parts: list[list[Entry]] = [[] for _ in range(count)]
    for matter in sorted(by_matter, key=lambda m: (-len(by_matter[m]), m)):
        emptiest = min(range(count), key=lambda k: (len(parts[k]), k))
        parts[emptiest] += by_matter[matter]
    if max(map(len, parts)) > SHARD_RECORDS:
        parts = [[] for _ in range(count)]
        for e in recs:
            parts[part_of(e.url, count)].append(e)
    return [sorted(p, key=lambda e: e.url) for p in parts]


def _families(entries: list[Entry]) -> dict[str, list[Entry]]:
    """A small site is one family; otherwise each 领域 is one, or one per year when it holds
    more than SHARD_RECORDS (the fixed pages are a family of their own)."""
    if len(entries) <= SHARD_RECORDS:
        return {"_all": entries}
    by_domain: dict[str, list[Entry]] = defaultdict(list)
    for e in entries:
        by_domain[e.group[0]].append(e)
    out: dict[str, list[Entry]] = {}
    for domain, recs in by_domain.items():
        if len(recs) <= SHARD_RECORDS or domain == "_pages":
            out[domain] = recs
            continue
        for e in recs:
            out.setdefault(f"{domain}_{e.group[1]}", []).append(e)  # "_": never in a slug (no clash)
    return out


def plan(site: Site, out_dir: Path | None = None) -> Plan:
    """Records by shard; against the live index in ``out_dir``, which shards are out of date."""
    _, version = chosen()
    families = _families(site_entries(site))
    shards: dict[str, list[Entry]] = {}
    for group, recs in families.items():
        for i, part in enumerate(_parts(recs)):
            shards[f"s-{group}-{i}"] = part
    shards = {n: recs for n, recs in shards.items() if recs}
    digests = {}
    for name, recs in shards.items():
        h = hashlib.sha1(f"{TOKENIZER}|{version}|{LANGUAGE}|{LAYOUT}".encode())
        for r in recs:
            h.update(r.key.encode("ascii"))
        digests[name] = h.hexdigest()
    p = Plan(version=version, shards=shards, digests=digests, stale=sorted(shards))
    live = read_manifest(out_dir) if out_dir is not None else None
    if (live and live.get("version") == LAYOUT and live.get("tokenizer") == TOKENIZER
            and live.get("pagefind") == version
            and all((out_dir / BUNDLE_DIR / f).is_file() for f in RUNTIME)):  # type: ignore[operator]
        have = live.get("shards") or {}
        p.whole = False
        p.stale = [n for n in sorted(shards) if have.get(n) != digests[n]
                   or not (out_dir / BUNDLE_DIR / n / SUMMARY).is_file()  # type: ignore[operator]
                   or not (out_dir / BUNDLE_DIR / n / dates_name(digests[n])).is_file()]  # type: ignore[operator]
        p.gone = sorted(n for n in have if n not in shards)
    return p


def _prune(bundle: Path, runtime: bool) -> None:
    """Leave only what the page loads: never the UI files; the runtime only in the first bundle."""
    for name in UNUSED + (() if runtime else RUNTIME):
        (bundle / name).unlink(missing_ok=True)


FRAGMENT_MAGIC = b"pagefind_dcd"


def dates_name(digest: str) -> str:
    """A shard's date table, named by the shard's digest (a rebuilt shard has a new one)."""
    return f"dates-{digest[:12]}.json"


def _slim_fragments(bundle: Path) -> dict[str, str]:
    """Empty the ``content`` of every fragment Pagefind wrote: it is our token string (about 3 KB
    of a 5 KB fragment, gzip'd), which the page never reads (excerpts come from meta.text, the
    phrase check from the index's locations). Measured: 62 KB → 30 KB for a page of ten results.
    The file keeps its name (Pagefind's index refers to it) and stays a function of the record.
    Returns page id (the fragment's name) → 发布日期, for the shard's date table: Pagefind sorts
    within each merged index and then mixes them by rank, so the page sorts by date itself."""
    dates = {}
    for f in sorted((bundle / "fragment").iterdir()):
        raw = gzip.decompress(f.read_bytes())
        if not raw.startswith(FRAGMENT_MAGIC):
            raise SearchIndexFailed(f"Pagefind 写出的片段格式不认识：{f}")
        data = json.loads(raw[len(FRAGMENT_MAGIC):])
        data["content"] = ""
        body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        f.write_bytes(gzip.compress(FRAGMENT_MAGIC + body, mtime=0))
        dates[f.name.removesuffix(".pf_fragment")] = (data.get("meta") or {}).get("date", "")
    return dates


def _summary(records: list[tuple[str, dict[str, list[str]]]]) -> bytes:
    """A shard's tokens and filter counts (what the word directory and the manifest's totals need)."""
    tokens: set[str] = set()
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for content, filters in records:
        tokens.update(content.split(" "))
        for name, values in filters.items():
            if name not in UNCOUNTED:
                counts[name].update(values)
    tokens.discard("")
    data = {"tokens": sorted(tokens), "filters": {n: dict(sorted(c.items())) for n, c in sorted(counts.items())}}
    return (json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True) + "\n").encode("utf-8")


def _made(entries: list[Entry], seen: list[tuple[str, dict[str, list[str]]]]) -> Iterator[RecordArgs]:
    """The shard's records as Pagefind takes them, made one at a time (while Pagefind indexes the
    one before); each one's tokens and filters also go to ``seen``, for the shard's summary."""
    for e in entries:
        r = e.make()
        seen.append((r.content(), r.filters))
        yield r.url, seen[-1][0], LANGUAGE, r.meta, r.filters


Seen = list[tuple[str, dict[str, list[str]]]]  # a shard's records: (tokens, filters) each, for its summary


def _add_shard(svc: Service, p: Plan, name: str) -> tuple[int, Seen]:
    """A new index in ``svc`` holding the shard's records."""
    index = svc.new_index()
    seen: Seen = []
    svc.add_records(index, _made(p.shards[name], seen))
    return index, seen


def _write_shard(svc: Service, p: Plan, dest: Path, name: str, index: int, seen: Seen) -> None:
    """Write an index _add_shard() filled as the shard's bundle, with its date table and summary."""
    svc.write(index, dest / name)
    svc.delete(index)
    _prune(dest / name, runtime=False)
    dates = _slim_fragments(dest / name)
    (dest / name / dates_name(p.digests[name])).write_bytes(
        (json.dumps(dates, separators=(",", ":"), sort_keys=True) + "\n").encode("ascii"))
    (dest / name / SUMMARY).write_bytes(_summary(seen))


def _write_shards(p: Plan, dest: Path, names: list[str]) -> None:
    """One Pagefind process writes these shards, one after the other (memory: one shard at a time)."""
    exe, _ = chosen()
    with Service(exe) as svc:
        for k, name in enumerate(names):
            _write_shard(svc, p, dest, name, *_add_shard(svc, p, name))
            if k == 0:
                faults.point("index")  # some shards written, others not yet


def _directory(p: Plan, folder: Path) -> tuple[dict[str, bytes], dict, dict]:
    """The word directory and the manifest's totals, from the summaries of every shard in
    ``folder``: (bucket file name → bytes, the manifest's "words", its "filters")."""
    names = sorted(p.shards)
    where: dict[str, int] = defaultdict(int)  # token → bit mask over names
    totals: dict[str, Counter[str]] = defaultdict(Counter)
    for i, name in enumerate(names):
        data = json.loads((folder / name / SUMMARY).read_bytes())
        bit = 1 << i
        for t in data["tokens"]:
            where[t] |= bit
        for f, values in data["filters"].items():
            totals[f].update(values)
    buckets = 1
    while buckets * BUCKET_TOKENS < len(where):
        buckets *= 2
    rows: list[dict[str, str]] = [{} for _ in range(buckets)]
    for t in sorted(where):
        rows[bucket_of(t, buckets)][t] = format(where[t], "x")
    files: dict[str, bytes] = {}
    order = []
    for b, row in enumerate(rows):
        body = (json.dumps(row, separators=(",", ":"), sort_keys=True) + "\n").encode("ascii")
        fname = f"{b}-{hashlib.sha1(body).hexdigest()[:12]}.json"
        files[fname] = body
        order.append(f"{WORDS_DIR}/{fname}")
    filters = {f: dict(sorted(c.items())) for f, c in sorted(totals.items())}
    return files, {"buckets": buckets, "files": order}, filters


def _write_directory(p: Plan, folder: Path) -> tuple[bytes, set[str]]:
    """Write the directory buckets under ``folder``/words (leaving the files of the live
    manifest, for a visitor who read it); return the manifest to write after them and the
    names of its buckets."""
    files, words, filters = _directory(p, folder)
    (folder / WORDS_DIR).mkdir(exist_ok=True)
    for fname, body in files.items():
        target = folder / WORDS_DIR / fname
        if not target.is_file():
            write_atomic(target, body)
    return p.manifest(words, filters), set(files)


def _drop_old_words(folder: Path, keep: set[str]) -> None:
    for f in (folder / WORDS_DIR).iterdir():
        if f.name not in keep:
            f.unlink()


def _write_bundles(p: Plan, dest: Path, names: list[str], runtime: bool) -> None:
    """Write the runtime bundle (if asked) into ``dest`` and each named shard into ``dest``/name,
    over two Pagefind processes when there are several shards (a shard's bytes do not depend
    on which process wrote it)."""
    exe, _ = chosen()
    try:
        if runtime:
            with Service(exe) as svc:
                index = svc.new_index()
                svc.add_record(index, PLACEHOLDER_URL, "zz", LANGUAGE, {"title": ""}, {})
                svc.write(index, dest)
                svc.delete(index)
            _prune(dest, runtime=True)
        lanes = max(1, min(2, worker_count(), len(names)))
        with ThreadPoolExecutor(lanes) as pool:
            for done in [pool.submit(_write_shards, p, dest, names[i::lanes]) for i in range(lanes)]:
                done.result()
    except ServiceError as e:
        raise _failed(e) from e
    faults.point("indexed")


def _write_tree(p: Plan, bundle: Path) -> None:
    if bundle.exists():
        shutil.rmtree(bundle)
    bundle.mkdir(parents=True)
    _write_bundles(p, bundle, sorted(p.shards), runtime=True)
    (bundle / MANIFEST).write_bytes(_write_directory(p, bundle)[0])


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
    if (live / WORDS_DIR).exists():  # it lists the words of the shards going out: update() writes it anew
        gone = leftover_path(out_dir, "pagefind-old")
        (live / WORDS_DIR).rename(gone)
        remove_tree(gone)
    for n in out:
        gone = leftover_path(out_dir, "pagefind-old")
        (live / n).rename(gone)
        remove_tree(gone)
    fsync_dir(live)
    return out


def _failed(e: ServiceError) -> SearchIndexFailed:
    return SearchIndexFailed(f"生成检索索引失败（Pagefind）：{e}")


def _fresh_workdir(out_dir: Path) -> Path:
    """The empty working folder beside the output where shards are written before they go in."""
    tmp = leftover_path(out_dir, "pagefind")
    if tmp.exists():
        remove_tree(tmp)
    tmp.mkdir()
    return tmp


class Staged:
    """The few stale shards of an incremental build, handed to Pagefind when the pages are done
    and written beside the output while the build writes the rest; update() swaps them in.
    Nothing live changes before that.

    The records go in from the build's own thread (0.3 s for a shard of 320 records; from a
    second thread they took 1.3–1.4 s, waiting for the interpreter lock the build's checks held),
    and the thread only waits for Pagefind's WriteFiles (~1.1 s a shard), beside the compliance
    checks and the open data (~1 s at 10k). Pagefind holds every staged index until it is
    written: at most STAGED_MAX shards, more go the way of a full update. The fault points
    ``index`` and ``indexed`` are met in wait(), in the build's thread, in the order a build
    without staging meets them."""

    def __init__(self, p: Plan, out_dir: Path):
        self.plan = p
        self.tmp = _fresh_workdir(out_dir)
        self._error: BaseException | None = None
        svc = None
        try:
            svc = Service(chosen()[0])
            self._filled = [(name, *_add_shard(svc, p, name)) for name in p.stale]
        except BaseException as e:
            if svc is not None:
                svc.close()
            shutil.rmtree(self.tmp, ignore_errors=True)
            if isinstance(e, ServiceError):
                raise _failed(e) from e
            raise
        self._svc = svc
        self._thread = threading.Thread(target=self._write, name="gkpub-search-shards", daemon=True)
        self._thread.start()

    def _write(self) -> None:
        svc = self._svc
        try:
            with svc:
                for name, index, seen in self._filled:
                    _write_shard(svc, self.plan, self.tmp, name, index, seen)
        except BaseException as e:  # raised again by wait(), in the build's own thread
            self._error = e

    def wait(self) -> None:
        """Return once the shards are written; raise the thread's error if it failed."""
        faults.point("index")  # Pagefind writing (or done with) the shards
        self._thread.join()
        if isinstance(self._error, ServiceError):
            raise _failed(self._error) from self._error
        if self._error is not None:
            raise self._error
        faults.point("indexed")

    def discard(self) -> None:
        """A build that stops before update(): Pagefind is stopped, nothing is left behind."""
        self._svc.proc.kill()  # the thread sees the service stop and ends
        self._thread.join()
        shutil.rmtree(self.tmp, ignore_errors=True)


STAGED_MAX = 4


def stage(p: Plan, out_dir: Path) -> Staged | None:
    """Start writing the stale shards of ``p`` (an incremental plan with 1 to STAGED_MAX of
    them; None otherwise: update() writes them)."""
    return Staged(p, out_dir) if not p.whole and 0 < len(p.stale) <= STAGED_MAX else None


def update(p: Plan, out_dir: Path, staged: Staged | None = None) -> None:
    """Incremental build: build the stale shards beside the output (or take those ``staged``
    wrote) and swap each in, then the manifest; or, with no usable live index, the whole
    ``pagefind/`` in one swap."""
    tmp = staged.tmp if staged is not None else _fresh_workdir(out_dir)
    live = out_dir / BUNDLE_DIR
    try:
        if staged is not None:
            assert staged.plan is p and not p.whole
            staged.wait()
        elif p.whole:
            _write_tree(p, tmp)
            old = swap_in(tmp, live)
            if old is not None:
                remove_tree(old)
            return
        else:
            _write_bundles(p, tmp, p.stale, runtime=False)
        for name in p.stale:
            old = swap_in(tmp / name, live / name)
            if old is not None:
                remove_tree(old)
        fsync_dir(live)
        for name in p.gone:
            if (live / name).exists():
                remove_tree(live / name)
        manifest, buckets = _write_directory(p, live)
        fsync_dir(live / WORDS_DIR)
        write_atomic(live / MANIFEST, manifest, durable=True)
        _drop_old_words(live, buckets)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
