"""The build: load the site, render every output, write them.

Two ways to write, same bytes:
- a full build renders everything into a temporary directory and swaps it into place;
- an incremental build (when the cache knows what the output directory holds) renders
  only the pages whose inputs changed and replaces those files one by one, each
  atomically. Validation finishes before anything is written, so a content error
  leaves the previous output untouched either way.
"""
from __future__ import annotations

import datetime as dt
import gc
import hashlib
import os
import pickle
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Optional

from . import engine_key
from .compliance.checks import Report, check_site
from .compliance.page import report_page
from .loader import LoadState, load_site
from .model import Site
from .opendata.publish import opendata_outputs
from .outguard import OUTPUT_MARKER, marker_bytes
from .output import StagedOutput, staged, write_atomic, write_many
from .parallel import fork_map, worker_count
from .progress import Progress
from .search import BUNDLE_DIR, find_pagefind, index_staged, reindex_live, remove_index
from .templates_sig import TemplateSigner
from .web import Job, WebRenderer, template_dirs

# Below this many pages, forking render workers costs more than it saves.
PARALLEL_THRESHOLD = 600


@dataclass
class BuildOptions:
    site_dir: Path
    out_dir: Path
    today: dt.date = field(default_factory=dt.date.today)
    drafts: bool = False
    future: bool = False
    search: bool = True
    cache_dir: Optional[Path] = None  # None: no cache, always a full build
    clean: bool = False  # ignore what the cache knows and rebuild everything
    progress: bool = False


@dataclass
class BuildResult:
    site: Site
    pages: int
    report: Optional[Report] = None  # compliance findings, also written to public/_report/
    rendered: int = 0  # pages rendered this time (all of them in a full build)
    incremental: bool = False
    removed: int = 0


def layouts_dir(site_dir: Path) -> list[Path]:
    return template_dirs(site_dir, "layouts")


def asset_files(layouts: list[Path]) -> Iterable[tuple[str, Path]]:
    found: dict[str, Path] = {}
    for folder in reversed(layouts):  # the site's own assets replace the engine's
        assets = folder / "assets"
        if assets.is_dir():
            for src in assets.rglob("*"):
                if src.is_file():
                    found["assets/" + src.relative_to(assets).as_posix()] = src
    return sorted(found.items())


def _sha1(data: bytes) -> str:
    return hashlib.sha1(data).hexdigest()


def site_key(site: Site, opts: BuildOptions) -> str:
    """What every page depends on: engine, configuration, catalogue, build date and options."""
    data = f"{engine_key()}|{opts.today}|{opts.drafts}|{opts.future}|{site.inputs_key}"
    return hashlib.sha1(data.encode()).hexdigest()


# -- the cache's record of an output directory ------------------------------------------


@dataclass
class Manifest:
    key: str  # options the output was built with; another key means a full build
    files: dict[str, str]  # output path → signature of its inputs (pages) or of its bytes

    @staticmethod
    def location(cache_dir: Path, out_dir: Path) -> Path:
        tag = hashlib.sha1(str(out_dir.resolve()).encode()).hexdigest()[:12]
        return cache_dir / f"output-{tag}.pickle"

    @classmethod
    def load(cls, cache_dir: Path, out_dir: Path) -> Optional["Manifest"]:
        try:
            data = pickle.loads(cls.location(cache_dir, out_dir).read_bytes())
            return cls(**data) if isinstance(data, dict) else None
        except Exception:  # missing or damaged: build everything
            return None

    def save(self, cache_dir: Path, out_dir: Path) -> None:
        path = self.location(cache_dir, out_dir)
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, pickle.dumps({"key": self.key, "files": self.files},
                                        protocol=pickle.HIGHEST_PROTOCOL))


# -- rendering in worker processes ---------------------------------------------------------

_FORK_STATE: dict[str, object] = {}


def _render_chunk(chunk: list[int]) -> int:
    """In a forked worker: render these jobs and write them under the target root."""
    jobs: list[Job] = _FORK_STATE["jobs"]  # type: ignore[assignment]
    root: Path = _FORK_STATE["root"]  # type: ignore[assignment]
    write_many(root, [(jobs[i].path, jobs[i].render().encode("utf-8")) for i in chunk])
    return len(chunk)


def render_to(root: Path, jobs: list[Job], progress: Progress, env=None) -> None:
    """Render ``jobs`` into files under ``root``, over all cores when there are many."""
    if len(jobs) >= PARALLEL_THRESHOLD and worker_count() > 1:
        if env is not None:  # compile the templates once, before the workers are forked
            for name in sorted({j.template for j in jobs}):
                env.get_template(name)
        _FORK_STATE.update(jobs=jobs, root=root)
        size = 250
        chunks = [list(range(i, min(i + size, len(jobs)))) for i in range(0, len(jobs), size)]
        try:
            for n in fork_map(_render_chunk, chunks, chunksize=1):
                progress.advance(n)
        finally:
            _FORK_STATE.clear()
        return
    batch: list[tuple[str, bytes]] = []
    for job in jobs:
        batch.append((job.path, job.render().encode("utf-8")))
        if len(batch) >= 1000:
            write_many(root, batch)
            progress.advance(len(batch))
            batch = []
    write_many(root, batch)
    progress.advance(len(batch))


def extra_outputs(site: Site, renderer: WebRenderer, report: Report, page_paths: list[str],
                  layouts: list[Path]) -> Iterable[tuple[str, bytes]]:
    """Everything besides the portal pages, as (path, bytes)."""
    yield from opendata_outputs(site, renderer, page_paths)
    path, html = report_page(report, renderer)
    yield path, html.encode("utf-8")
    for rel, src in asset_files(layouts):
        yield rel, src.read_bytes()
    for item in site.published:
        for att in item.attachments:
            yield "files/" + att.rel, att.source.read_bytes()
    yield OUTPUT_MARKER, marker_bytes(site.preview)  # the folder is gkpub's (see outguard)


class Builder:
    """Builds one site into one output directory, as often as asked.

    `gkpub build` runs it once; `gkpub serve` keeps it, so parsed and validated items,
    and what the output directory holds, stay in memory between rebuilds.
    """

    def __init__(self, opts: BuildOptions, keep_state: bool = False):
        self.opts = opts
        self.state = LoadState() if keep_state else None
        self.manifest: Optional[Manifest] = None
        self.signer: Optional[TemplateSigner] = None  # kept: it remembers signatures already computed
        self._env_key: tuple = ()
        self._env_obj = None
        self.out_key = f"{engine_key()}|{opts.drafts}|{opts.future}|{opts.today}"
        self._pages_changed = False  # since the search index was last brought up to date

    def _env(self, layouts: list[Path], site: Site):
        """The template environment, kept between builds while layouts and base URL stay."""
        from urllib.parse import urlparse

        from .web import make_env
        key = (tuple(layouts), urlparse(site.config.base_url).path.rstrip("/"))
        if self._env_key != key:
            self._env_key, self._env_obj = key, make_env(list(layouts), key[1])
        return self._env_obj

    def _previous(self) -> Optional[Manifest]:
        opts = self.opts
        if opts.clean or not opts.out_dir.is_dir():
            return None
        previous = self.manifest
        if previous is None and opts.cache_dir:
            previous = Manifest.load(opts.cache_dir, opts.out_dir)
        return previous if previous and previous.key == self.out_key else None

    def run(self, extras: bool = True, changed: Optional[set[str]] = None) -> BuildResult:
        """Build; with ``extras=False`` only the portal pages (see run_extras).

        ``changed``: item files a file watcher reported (others are trusted unchanged).
        """
        if self.state is not None:
            self.state.changed = changed
        # The cycle collector walks every live object; with 10k items loaded that is most of
        # a warm rebuild's time. Nothing a build makes needs it: collect afterwards (tidy()).
        gc_was_enabled = gc.isenabled()
        gc.disable()
        try:
            return self._run(extras)
        finally:
            if gc_was_enabled:
                gc.enable()

    def tidy(self) -> None:
        """Collect garbage and freeze what survives, off the critical path (serve calls it when idle)."""
        gc.unfreeze()
        gc.collect()
        gc.freeze()

    def _run(self, extras: bool) -> BuildResult:
        opts = self.opts
        if opts.search:
            find_pagefind()  # a missing tool stops the build before any work, with the way out
        progress = Progress(enabled=opts.progress)
        progress.stage("读取和检查内容")
        site = load_site(opts.site_dir, opts.today, drafts=opts.drafts, future=opts.future,
                         cache_dir=opts.cache_dir, state=self.state, clean=opts.clean)
        layouts = layouts_dir(opts.site_dir)
        renderer = WebRenderer(site, layouts, self._env(layouts, site))
        jobs = list(renderer.jobs())
        key = site_key(site, opts)
        if self.signer is None or self.signer.site_key != key:
            self.signer = TemplateSigner(renderer.env, key)
        else:
            self.signer.refresh(renderer.env)
        sigs = {job.path: "p:" + self.signer.sign(job) for job in jobs}  # p: pages, x: other files
        previous = self._previous()
        page_paths = [j.path for j in jobs]
        files: dict[str, str] = dict(sigs)
        report = None
        if previous is None:
            progress.stage("生成页面", total=len(jobs))
            report = check_site(site)
            with staged(opts.out_dir) as out:
                render_to(out.tmp, jobs, progress, renderer.env)
                for path, data in extra_outputs(site, renderer, report, page_paths, layouts):
                    files[path] = "x:" + _sha1(data)
                    out.write_bytes(path, data)
                _carry_prints(out, opts.out_dir, site)
                if opts.search and site.published:
                    progress.stage("生成检索索引")
                    out.flush()
                    index_staged(out.tmp)  # before the swap: the live site never has half an index
            rendered, removed = len(jobs), 0
            self._pages_changed = False
        else:
            # a one-shot build also checks the files are still there; serve trusts its own record
            check = self.state is None
            changed = [j for j in jobs if previous.files.get(j.path) != sigs[j.path]
                       or (check and not (opts.out_dir / j.path).is_file())]
            progress.stage("更新页面", total=len(changed))
            render_to(opts.out_dir, changed, progress, renderer.env)
            # extras keep their previous digests until run_extras() recomputes them
            files.update({p: d for p, d in previous.files.items() if d.startswith("x:")})
            stale = sorted(p for p, sig in previous.files.items() if sig.startswith("p:") and p not in sigs)
            self._remove(stale)
            rendered, removed = len(changed), len(stale)
            self._pages_changed = self._pages_changed or bool(changed or stale)
        self.manifest = Manifest(key=self.out_key, files=files)
        self.site, self.renderer, self.page_paths = site, renderer, page_paths
        if previous is None:
            if opts.cache_dir:
                self.manifest.save(opts.cache_dir, opts.out_dir)
        elif extras:
            report = self.run_extras()  # saves the manifest
        progress.done()
        return BuildResult(site=site, pages=len(jobs), report=report, rendered=rendered,
                           incremental=previous is not None, removed=removed)

    def run_extras(self) -> Report:
        """Open data, feeds, sitemap, report page, assets, attachments of the last run(): write
        what changed."""
        site, renderer, page_paths = self.site, self.renderer, self.page_paths
        assert self.manifest is not None
        files = self.manifest.files
        opts = self.opts
        report = check_site(site)
        updates: list[tuple[str, bytes]] = []
        produced: set[str] = set()
        for path, data in extra_outputs(site, renderer, report, page_paths, layouts_dir(opts.site_dir)):
            produced.add(path)
            digest = "x:" + _sha1(data)
            if files.get(path) != digest or not (opts.out_dir / path).is_file():
                updates.append((path, data))
            files[path] = digest
        write_many(opts.out_dir, updates)
        pages = set(page_paths)
        stale = sorted(p for p in files if p not in produced and p not in pages)
        for p in stale:
            del files[p]
        self._remove(stale)
        _carry_prints(_InPlace(opts.out_dir), opts.out_dir, site)
        self._update_search(site)
        if opts.cache_dir:
            self.manifest.save(opts.cache_dir, opts.out_dir)
        return report

    def _update_search(self, site: Site) -> None:
        """After an incremental build: the index covers the whole site, so any changed page
        means a new index. Without search, an index that may show what changed (or was
        withdrawn) is removed rather than left stale."""
        out = self.opts.out_dir
        live = out / BUNDLE_DIR
        if not self.opts.search:
            if self._pages_changed:
                remove_index(out)
                self._pages_changed = False
            return
        if not site.published:
            remove_index(out)
        elif self._pages_changed or not _index_current(live):
            try:
                reindex_live(out)
            except BaseException:
                remove_index(out)  # no index is better than one that shows withdrawn text
                raise
        self._pages_changed = False

    def _remove(self, rels: list[str]) -> None:
        for rel in rels:
            try:
                os.unlink(self.opts.out_dir / rel)
            except FileNotFoundError:
                pass
        _prune_empty_dirs(self.opts.out_dir, rels)

    def close(self) -> None:
        if self.state is not None and self.state.prepare is not None:
            self.state.prepare.save()


def build(opts: BuildOptions) -> BuildResult:
    return Builder(opts).run()


def _index_current(bundle: Path) -> bool:
    """A bundle is there and was written by the Pagefind version in use."""
    import json
    try:
        entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return entry.get("version") == find_pagefind()[1]


def _prune_empty_dirs(root: Path, removed: list[str]) -> None:
    for rel in removed:
        parent = (root / rel).parent
        while parent != root:
            try:
                parent.rmdir()
            except OSError:
                break
            parent = parent.parent


class _InPlace:
    """The slice of StagedOutput's interface that print carry-over uses, writing in place."""

    def __init__(self, root: Path):
        self.root = root

    def copy_file(self, src: Path, rel: str) -> None:
        if src.resolve() != (self.root / rel).resolve():
            write_atomic(self.root / rel, src.read_bytes())

    def write_text(self, rel: str, content: str) -> None:
        write_atomic(self.root / rel, content.encode("utf-8"))


def _carry_prints(out: StagedOutput | _InPlace, out_dir: Path, site: Site) -> None:
    """Posters from `gkpub print` outlive a web build while every item on them is published."""
    from .print_manifest import carry_over, print_root
    dropped = carry_over(out, out_dir, site)  # type: ignore[arg-type]
    if isinstance(out, _InPlace):
        for rel in dropped:
            try:
                os.unlink(print_root(out_dir) / rel)
            except FileNotFoundError:
                pass
