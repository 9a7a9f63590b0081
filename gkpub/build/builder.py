"""The build: load the site, render every output, write them — and know what the output holds.

Two ways to write, same bytes:
- a full build renders everything into a staging directory beside the output, writes its
  manifest, and swaps it in whole (output.swap_in: one atomic exchange);
- an incremental build runs only when the output is verified to hold exactly what its
  manifest records (output_manifest.verify) and the cache's record of page inputs belongs
  to that manifest. It renders the pages whose inputs changed and replaces them one by
  one, each atomically, under an in-progress marker (``.gkpub-building``) that is removed
  only after the new manifest is saved: a build killed on the way leaves the marker, and
  the next build is a full one. Any doubt means a full build.

One build at a time per output directory and per cache (locks.hold), held from before the
sources are read until the manifest is saved. Validation finishes before anything is
written, so a content error leaves the previous output untouched either way.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import gc
import hashlib
import os
import shutil
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from gkpub.build.channels import CHANNELS, BuildContext, Payload, write_channels
from gkpub.build.progress import Progress
from gkpub.compliance.checks import Report, check_site
from gkpub.content.loader import LoadState, load_site
from gkpub.content.model import Site
from gkpub.content.theme import template_dirs
from gkpub.outputs.report.page import report_html, report_path
from gkpub.outputs.search import shards as search_shards
from gkpub.outputs.search.pagefind import BUNDLE_DIR, find_pagefind, retire_index
from gkpub.outputs.web.render import Job, WebRenderer
from gkpub.outputs.web.signatures import TemplateSigner
from gkpub.store import locks
from gkpub.store import manifest as output_manifest
from gkpub.store.manifest import Record
from gkpub.store.memo import Memo
from gkpub.store.staging import (
    BUILDING_MARKER,
    MANIFEST_NAME,
    StatKey,
    Written,
    digest,
    fsync_dir,
    recover,
    staged,
    stat_key,
    write_atomic,
    write_many,
)
from gkpub.util import faults
from gkpub.util.engine import engine_key
from gkpub.util.errors import UsageError
from gkpub.util.parallel import fork_map, worker_count

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
    cache_dir: Path | None = None  # None: no cache, always a full build
    clean: bool = False  # ignore what the cache knows and rebuild everything
    progress: bool = False
    report_dir: Path | None = None  # None: reports/ beside the output folder (outputs.report.page)
    # Called once a build has succeeded, its locks still held (the CLI's no-op stamp: cli/noop.py).
    at_end: Callable[[Builder], None] | None = None


@dataclass
class BuildResult:
    site: Site
    pages: int
    report: Report | None = None  # compliance findings, also written to report_path
    report_path: Path | None = None  # the internal report file, outside the output
    rendered: int = 0  # pages rendered this time (all of them in a full build)
    incremental: bool = False
    removed: int = 0
    timings: dict[str, float] = field(default_factory=dict)  # phase (a key of PHASES) → wall seconds


# The phases a build's wall time is counted in, in the order `gkpub build -v` shows them.
PHASES: tuple[tuple[str, str], ...] = (
    ("load", "读取和检查内容"),
    ("plan", "页面清单和签名"),
    ("verify", "核对上次的输出"),
    ("pages", "生成和写入页面"),
    ("compliance", "合规检查和内部报告"),
    ("channels", "开放数据、订阅、站点地图和其他文件"),
    ("search", "全文检索索引"),
    ("finish", "收尾（文件清单、替换输出目录）"),
)


def layouts_dir(site_dir: Path) -> list[Path]:
    return template_dirs(site_dir, "layouts")


def site_key(site: Site, opts: BuildOptions) -> str:
    """What every page depends on: engine, configuration, catalogue, build date and options."""
    data = f"{engine_key()}|{opts.today}|{opts.drafts}|{opts.future}|{site.inputs_key}"
    return hashlib.sha1(data.encode()).hexdigest()


MEMO_FILE = "channels.pickle"  # in the cache folder: see store/memo.py

# The cache's record of an output directory (outguard looks for it under this name).
Manifest = Record
BUNDLE_PREFIX = BUNDLE_DIR + "/"
PRINT_PREFIX = "print/"


# -- rendering in worker processes ---------------------------------------------------------

_FORK_STATE: dict[str, object] = {}


def compiled_templates(cache_dir: Path, prefix: str) -> Path:
    """The cache's folder of compiled templates for this engine, Jinja and site path ``prefix``
    (compiling the theme takes ~0.27 s, a tenth of a one-item edit at 10k). The prefix is in the
    name because Jinja computes ``"/x/" | u`` once, when it compiles; other engines' folders go."""
    parent = cache_dir / "templates"
    engine = f"{engine_key()[:16]}-jinja-{jinja2.__version__}"
    here = parent / engine / hashlib.sha1(prefix.encode()).hexdigest()[:12]
    if not here.is_dir():
        if parent.is_dir():
            for old in parent.iterdir():
                if old.name == engine:
                    continue
                try:
                    if old.is_dir() and not old.is_symlink():
                        shutil.rmtree(old)
                    else:
                        old.unlink()
                except OSError:
                    pass  # only a cache: left for the next build to try again
        here.mkdir(parents=True, exist_ok=True)
    return here


def _render_chunk(chunk: list[int]) -> list[Written]:
    """In a forked worker: render these jobs and write them under the target root."""
    jobs: list[Job] = _FORK_STATE["jobs"]  # type: ignore[assignment]
    root: Path = _FORK_STATE["root"]  # type: ignore[assignment]
    return write_many(root, [(jobs[i].path, jobs[i].render().encode("utf-8")) for i in chunk],
                      replace=bool(_FORK_STATE["replace"]))


def render_to(root: Path, jobs: list[Job], progress: Progress, env=None, replace: bool = False) -> list[Written]:
    """Render ``jobs`` into files under ``root``, over all cores when there are many.

    ``replace``: ``root`` is live, each file is replaced atomically. Returns what was written.
    """
    written: list[Written] = []
    if len(jobs) >= PARALLEL_THRESHOLD and worker_count() > 1:
        if env is not None:  # compile the templates once, before the workers are forked
            for name in sorted({j.template for j in jobs}):
                env.get_template(name)
        _FORK_STATE.update(jobs=jobs, root=root, replace=replace)
        size = max(50, min(250, -(-len(jobs) // (4 * worker_count()))))  # ~4 blocks a process, ≥ 50 pages each
        chunks = [list(range(i, min(i + size, len(jobs)))) for i in range(0, len(jobs), size)]
        try:
            for part in fork_map(_render_chunk, chunks, chunksize=1):
                written += part
                progress.advance(len(part))
                faults.point("render")
        finally:
            _FORK_STATE.clear()
        return written
    batch: list[tuple[str, bytes]] = []
    for job in jobs:
        batch.append((job.path, job.render().encode("utf-8")))
        faults.point("render")
        if len(batch) >= 1000:
            written += write_many(root, batch, replace)
            progress.advance(len(batch))
            batch = []
    written += write_many(root, batch, replace)
    progress.advance(len(batch))
    return written


class Builder:
    """Builds one site into one output directory, as often as asked.

    `gkpub build` runs it once; `gkpub serve` keeps it, so parsed and validated items,
    and what the output directory holds, stay in memory between rebuilds. Between two
    rebuilds serve trusts its own record of the output as long as the manifest file on
    disk is the one it wrote (no other build has written the folder since).
    """

    def __init__(self, opts: BuildOptions, keep_state: bool = False):
        self.opts = opts
        self.state = LoadState() if keep_state else None
        self.files: dict[str, str] = {}  # the output's manifest: file → sha256 of its bytes
        self.record: Record | None = None  # set while self.files is known to match the disk
        self.signer: TemplateSigner | None = None  # kept: it remembers signatures already computed
        self._env_key: tuple = ()
        self._env_obj: jinja2.Environment | None = None
        self.out_key = f"{engine_key()}|{opts.drafts}|{opts.future}|{opts.today}"
        self._manifest_seen: StatKey | None = None  # the manifest file as this process left it
        self._session: ExitStack | None = None  # the locks, from run() to the end of the build
        self._pending_extras = False  # run(extras=False) left the rest of the build to run_extras()
        self._marked = False  # the in-progress marker is in the output
        self._record_dirty = False  # stats re-confirmed: worth saving the record even if nothing changed
        self._prints_changed = False  # print/ changed since the manifest was written
        self._bundle_changed = False  # pagefind/ was rebuilt: digest it before saving the manifest
        self._search_plan: search_shards.Plan | None = None  # planned before the pages changed
        self._staged: search_shards.Staged | None = None  # its shards, being written since the pages were done
        self._report: Report | None = None
        self._memo: Memo | None = None  # kept between runs: what the channels computed before
        self.timings: dict[str, float] = {}  # this build's wall seconds per phase (PHASES)

    @contextmanager
    def _phase(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.timings[name] = self.timings.get(name, 0.0) + time.perf_counter() - start

    @property
    def report(self) -> Report | None:
        """The compliance report of the last build that finished."""
        return self._report

    def _env(self, layouts: list[Path], site: Site):
        """The template environment, kept between builds while layouts and base URL stay."""
        from urllib.parse import urlparse

        from gkpub.outputs.web.render import make_env
        key = (tuple(layouts), urlparse(site.config.base_url).path.rstrip("/"))
        if self._env_key != key:
            cache = self.opts.cache_dir
            compiled = compiled_templates(cache, key[1]) if cache and not self.opts.clean else None
            self._env_key, self._env_obj = key, make_env(list(layouts), key[1], compiled)
        return self._env_obj

    # -- the session: locks held for one build --------------------------------------------

    def _open_session(self) -> None:
        opts = self.opts
        stack = ExitStack()
        try:
            stack.enter_context(locks.hold(locks.lock_file(opts.out_dir), f"输出目录 {opts.out_dir}"))
            if opts.cache_dir:
                stack.enter_context(locks.hold(locks.cache_lock_file(opts.cache_dir), f"缓存目录 {opts.cache_dir}"))
        except BaseException:
            stack.close()
            raise
        self._session = stack
        faults.point("locked")

    def _end_session(self, ok: bool) -> None:
        staged, self._staged = self._staged, None
        self._search_plan = None  # planned against this build's output: never for a later one
        if not ok and self._marked:
            self.record = None  # the output was left half-changed: the next build is a full one
        self._pending_extras = False
        self._marked = False
        session, self._session = self._session, None
        try:
            if staged is not None:  # the build stopped before the shards went in
                staged.discard()
            if session is not None and ok and self.opts.at_end is not None:
                self.opts.at_end(self)
        finally:
            if session is not None:
                session.close()

    def run(self, extras: bool = True, changed: set[str] | None = None) -> BuildResult:
        """Build; with ``extras=False`` only the portal pages (see run_extras).

        ``changed``: item files a file watcher reported (others are trusted unchanged).
        """
        if self.state is not None:
            self.state.changed = changed
        if self._session is not None:  # run(extras=False) whose run_extras() never came
            self._end_session(ok=not self._marked)
        self.timings = {}
        # The cycle collector walks every live object; with 10k items loaded that is most of
        # a warm rebuild's time. Nothing a build makes needs it: collect afterwards (tidy()).
        gc_was_enabled = gc.isenabled()
        gc.disable()
        ok = False
        try:
            self._open_session()
            result = self._run(extras)
            ok = True
            return result
        finally:
            if not (ok and self._pending_extras):
                self._end_session(ok)
            if gc_was_enabled:
                gc.enable()

    def tidy(self) -> None:
        """Collect garbage and freeze what survives, off the critical path (serve calls it when idle)."""
        gc.unfreeze()
        gc.collect()
        gc.freeze()

    def _run(self, extras: bool) -> BuildResult:
        opts = self.opts
        out = opts.out_dir.resolve()
        if self.report_file.resolve().is_relative_to(out):
            raise UsageError(f"合规检查报告 {self.report_file} 不能写在输出目录 {opts.out_dir} 里："
                             "输出目录会整个部署到网站")
        if opts.search:
            with self._phase("search"):
                find_pagefind(opts.site_dir)  # a missing tool stops the build before any work, with the way out
        with self._phase("verify"):
            note = recover(opts.out_dir, _staging_complete)
        if note:
            print(note, file=sys.stderr, flush=True)
        progress = Progress(enabled=opts.progress)
        progress.stage("读取和检查内容")
        with self._phase("load"):
            site = load_site(opts.site_dir, opts.today, drafts=opts.drafts, future=opts.future,
                             cache_dir=opts.cache_dir, state=self.state, clean=opts.clean)
        faults.point("load")
        with self._phase("plan"):
            layouts = layouts_dir(opts.site_dir)
            renderer = WebRenderer(site, layouts, self._env(layouts, site))
            jobs = list(renderer.jobs())
            key = site_key(site, opts)
            if self.signer is None or self.signer.site_key != key:
                self.signer = TemplateSigner(renderer.env, key)
            else:
                self.signer.refresh(renderer.env)
            sigs = {job.path: self.signer.sign(job) for job in jobs}
            page_paths = [j.path for j in jobs]
        self.site, self.renderer, self.page_paths = site, renderer, page_paths
        with self._phase("verify"):
            record = self._previous()
        if record is None:
            self._full(site, renderer, jobs, sigs, layouts, progress)
            progress.done()
            return BuildResult(site=site, pages=len(jobs), report=self._report, rendered=len(jobs),
                               report_path=self.report_file, timings=self.timings)
        with self._phase("plan"):
            changed = [j for j in jobs if record.sigs.get(j.path) != sigs[j.path] or j.path not in self.files]
            stale = sorted(p for p in record.sigs if p not in sigs)
        progress.stage("更新页面", total=len(changed))
        if changed or stale:
            self._begin()
            with self._phase("search"):
                self._retire_search(site)  # before any page changes: shards may hold withdrawn text
            with self._phase("pages"):
                self._apply(render_to(opts.out_dir, changed, progress, renderer.env, replace=True))
                self._remove(stale)
        record.sigs = sigs
        self._pending_extras = True
        report = self.run_extras() if extras else None
        progress.done()
        return BuildResult(site=site, pages=len(jobs), report=report, rendered=len(changed),
                           report_path=self.report_file if report is not None else None,
                           incremental=True, removed=len(stale), timings=self.timings)

    # -- full build ---------------------------------------------------------------------------

    def _full(self, site: Site, renderer: WebRenderer, jobs: list[Job], sigs: dict[str, str],
              layouts: list[Path], progress: Progress) -> None:
        opts = self.opts
        progress.stage("生成页面", total=len(jobs))
        with self._phase("compliance"):
            report = check_site(site)
        with staged(opts.out_dir) as out:
            with self._phase("pages"):
                written = render_to(out.tmp, jobs, progress, renderer.env)
            bundle: dict[str, tuple[str, StatKey]] = {}
            if opts.search and site.published:
                # before the open data: Pagefind's two processes then sit beside a smaller build
                # process (50k items: peak PSS 1.84 GB with the open data made first)
                progress.stage("生成检索索引")
                with self._phase("search"):
                    search_shards.build_all(search_shards.plan(site), out.tmp)  # before the swap: never half an index
                    bundle = output_manifest.tree_entries(out.tmp, BUNDLE_DIR)
            with self._phase("channels"):
                write_channels(CHANNELS, self._context(site, renderer, report, layouts), out)
                self._save_memo()
                out.flush()
            faults.point("extras")
            entries = {rel: (d, st) for rel, d, st in written + out.written}
            entries.update(bundle)
            finish = time.perf_counter()
            files = {rel: d for rel, (d, _) in entries.items()}
            record = Record(manifest=output_manifest.write(out.tmp, files), key=self.out_key, sigs=sigs,
                            stats={rel: st for rel, (_, st) in entries.items()})
            if opts.cache_dir:  # saved before the swap: until then it matches no live manifest
                record.save(opts.cache_dir, opts.out_dir)
            faults.point("swap")
        self.timings["finish"] = self.timings.get("finish", 0.0) + time.perf_counter() - finish
        self.files, self.record, self._report = files, record, report
        with self._phase("compliance"):
            self._write_report(report)
        self._manifest_seen = _stat(opts.out_dir / MANIFEST_NAME)

    # -- incremental build --------------------------------------------------------------------

    @property
    def report_file(self) -> Path:
        return report_path(self.opts.out_dir, self.opts.report_dir)

    def _write_report(self, report: Report) -> None:
        """The internal report, beside the output and never in it (only when it changed)."""
        path = self.report_file
        html = report_html(report, self.renderer).encode("utf-8")
        try:
            if path.is_file() and path.read_bytes() == html:
                return
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(path, html)
        except OSError as e:
            raise UsageError(f"网站已生成，但无法写入合规检查报告 {path}：{e.strerror or e}") from e

    def _save_memo(self) -> None:
        if self._memo is not None:
            self._memo.save()  # under the cache lock of this build

    def _context(self, site: Site, renderer: WebRenderer, report: Report, layouts: list[Path]) -> BuildContext:
        if self._memo is None:
            cache = self.opts.cache_dir
            self._memo = Memo(cache / MEMO_FILE if cache else None, read=not self.opts.clean)
        return BuildContext(site=site, renderer=renderer, report=report, page_paths=self.page_paths,
                            layouts=layouts, out_dir=self.opts.out_dir, cache_dir=self.opts.cache_dir,
                            memo=self._memo)

    def _previous(self) -> Record | None:
        """The cache's record of the output, if the output is verified to be what it says."""
        opts = self.opts
        out = opts.out_dir
        if opts.clean or not opts.cache_dir or not out.is_dir():
            return None
        if (out / BUILDING_MARKER).exists():
            return _doubt(f"上一次生成没有完成（输出目录中还有 {BUILDING_MARKER}）")
        if self.record is not None and self._manifest_seen == _stat(out / MANIFEST_NAME):
            return self.record  # serve: no other build has written the folder since this one
        self.record = None
        loaded = output_manifest.read(out)
        if loaded is None:
            return _doubt(f"输出目录中没有 gkpub 的文件清单 {MANIFEST_NAME}，或清单已损坏") \
                if any(out.iterdir()) else None
        data, files = loaded
        record = Record.load(opts.cache_dir, out)
        if record is None or record.key != self.out_key:
            return None  # no record (cache deleted) or other options, date or engine: quietly
        if record.manifest != hashlib.sha256(data).hexdigest():
            return _doubt("输出目录的文件清单与缓存中的记录不符（可能另一个生成用别的缓存写过它）")
        verdict = output_manifest.verify(out, files, record, adopt=PRINT_PREFIX)
        if verdict.doubt:
            return _doubt(verdict.doubt)
        self.files, self.record, self._record_dirty = files, record, verdict.rechecked > 0
        self._prints_changed = bool(verdict.adopted)  # by `gkpub print`: the manifest must follow
        self._manifest_seen = _stat(out / MANIFEST_NAME)
        return record

    def run_extras(self) -> Report:
        """Open data, feeds, sitemap, report page, assets, attachments, printed files and the
        search index of the last run(): write what changed, then save the manifest."""
        if not self._pending_extras:  # the last run() was a full build: it wrote everything
            assert self._report is not None
            return self._report
        ok = False
        try:
            report = self._extras()
            ok = True
            return report
        finally:
            self._end_session(ok)

    def _extras(self) -> Report:
        site, renderer, page_paths = self.site, self.renderer, self.page_paths
        opts = self.opts
        files = self.files
        if self._search_plan is not None:  # planned (search on, items published) before the pages changed
            with self._phase("search"):
                self._staged = search_shards.stage(self._search_plan, opts.out_dir)
        with self._phase("compliance"):
            report = check_site(site)
        if self._prints_changed:  # by `gkpub print`: nothing else may change, but the manifest
            self._begin()         # must list what was printed
            self._prints_changed = False
        with self._phase("channels"):
            live = LiveSink(self)
            produced = write_channels(CHANNELS, self._context(site, renderer, report, layouts_dir(opts.site_dir)),
                                      live)
            self._save_memo()
            live.flush()
            produced.update(page_paths)
            self._remove(sorted(p for p in files if p not in produced and not p.startswith(BUNDLE_PREFIX)))
        faults.point("extras")
        with self._phase("search") if opts.search else contextlib.nullcontext():
            self._update_search(site)
        with self._phase("finish"):
            self._finish()
        with self._phase("compliance"):
            self._write_report(report)
        self._report = report
        return report

    def _update_search(self, site: Site) -> None:
        """The index covers the whole site and was taken out before any page changed; bring
        one back (or a current version of it) unless the build has no search."""
        if not self.opts.search:
            return
        out = self.opts.out_dir
        plan, self._search_plan = self._search_plan or search_shards.plan(site, out), None
        staged, self._staged = self._staged, None
        if not site.published or plan.whole:
            self._retire_index()
        if site.published and (plan.whole or plan.stale or plan.gone):
            self._begin()
            search_shards.update(plan, out, staged)  # only the shards whose records changed
            self._bundle_changed = True

    def _retire_search(self, site: Site) -> None:
        """Take out of the live index what this build will change: the shards whose records
        change (planned now, built after the pages), or all of it without search."""
        if not (self.opts.search and site.published):
            self._retire_index()
            return
        self._search_plan = search_shards.plan(site, self.opts.out_dir)
        if self._search_plan.whole:
            self._retire_index()
        elif search_shards.retire(self._search_plan, self.opts.out_dir):
            self._bundle_changed = True

    def _begin(self) -> None:
        """Before the first change to the live output: mark it as being changed."""
        if self._marked:
            return
        write_atomic(self.opts.out_dir / BUILDING_MARKER, f"{os.getpid()}\n".encode("ascii"), durable=True)
        self._marked = True

    def _finish(self) -> None:
        """After the last change: the manifest of what is now on disk, then the marker goes."""
        opts = self.opts
        assert self.record is not None
        if not self._marked:
            if self._record_dirty and opts.cache_dir:
                self.record.save(opts.cache_dir, opts.out_dir)
                self._record_dirty = False
            return
        out = opts.out_dir
        if self._bundle_changed:
            now = output_manifest.tree_entries(out, BUNDLE_DIR, (self.record, self.files))
            self._forget(p for p in self.files if p.startswith(BUNDLE_PREFIX))
            for rel, (d, st) in now.items():
                self.files[rel], self.record.stats[rel] = d, st
            self._bundle_changed = False
        if self.state is None:
            self._check_file_set()
        faults.point("manifest")
        self.record.manifest = output_manifest.write(out, self.files)
        if opts.cache_dir:
            self.record.save(opts.cache_dir, out)
        self._record_dirty = False
        faults.point("saved")
        os.unlink(out / BUILDING_MARKER)
        fsync_dir(out)
        self._marked = False
        self._manifest_seen = _stat(out / MANIFEST_NAME)

    def _check_file_set(self) -> None:
        """A one-shot build makes sure the folder holds exactly the files it is about to record."""
        on_disk = set(output_manifest.scan(self.opts.out_dir))
        if on_disk != set(self.files):
            odd = sorted(on_disk ^ set(self.files))
            raise UsageError(f"内部错误：增量生成后，输出目录中的文件与记录不一致（{'、'.join(odd[:3])}）。"
                             f"输出目录已标记为下次全部重新生成；请重新运行 gkpub build，并报告这个问题")

    def _apply(self, written: list[Written]) -> None:
        assert self.record is not None
        for rel, d, st in written:
            self.files[rel], self.record.stats[rel] = d, st

    def _write(self, pairs: list[tuple[str, bytes]]) -> None:
        if pairs:
            self._begin()
            self._apply(write_many(self.opts.out_dir, pairs, replace=True))

    def _retire_index(self) -> None:
        if not (self.opts.out_dir / BUNDLE_DIR).exists():
            return
        self._begin()
        retire_index(self.opts.out_dir)
        self._forget(p for p in self.files if p.startswith(BUNDLE_PREFIX))

    def _remove(self, rels: list[str]) -> None:
        if not rels:
            return
        self._begin()
        for rel in rels:
            try:
                os.unlink(self.opts.out_dir / rel)
            except FileNotFoundError:
                pass
        _prune_empty_dirs(self.opts.out_dir, rels)
        self._forget(rels)
        faults.point("remove")

    def _forget(self, rels: Iterable[str]) -> None:
        assert self.record is not None
        for rel in list(rels):
            self.files.pop(rel, None)
            self.record.stats.pop(rel, None)

    def close(self) -> None:
        if self.state is not None and self.state.prepare is not None:
            cache = self.opts.cache_dir
            with locks.hold(locks.cache_lock_file(cache), f"缓存目录 {cache}") if cache else ExitStack():
                self.state.prepare.save()


def build(opts: BuildOptions) -> BuildResult:
    return Builder(opts).run()


def _doubt(reason: str) -> Record | None:
    """Say why the output is rebuilt whole; no record to build on."""
    print(f"提示：{reason}，本次全部重新生成。", file=sys.stderr, flush=True)
    return None


def _stat(path: Path) -> StatKey | None:
    try:
        return stat_key(os.stat(path))
    except OSError:
        return None


def _staging_complete(tmp: Path) -> bool:
    """A staging directory is complete once its manifest is written (its last step)."""
    return (tmp / MANIFEST_NAME).is_file()


def _prune_empty_dirs(root: Path, removed: list[str]) -> None:
    for rel in removed:
        parent = (root / rel).parent
        while parent != root:
            try:
                parent.rmdir()
            except OSError:
                break
            parent = parent.parent


class LiveSink:
    """The incremental build's sink: in the live folder, replace (each atomically) only the
    files whose bytes differ from the manifest's; a file that already is its own source
    (a printed file carried over) is left as it is."""

    def __init__(self, builder: Builder):
        self.builder = builder
        self.root = builder.opts.out_dir
        self.pending: list[tuple[str, bytes]] = []

    def put(self, rel: str, payload: Payload) -> None:
        if isinstance(payload, Path):
            if payload.resolve() == (self.root / rel).resolve():
                return  # already there, and verified against the manifest
            payload = payload.read_bytes()
        if self.builder.files.get(rel) != digest(payload):
            self.pending.append((rel, payload))

    def flush(self) -> None:
        pending, self.pending = self.pending, []
        self.builder._write(pending)
