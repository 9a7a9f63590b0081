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
import hashlib
import os
import pickle
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Optional

from . import __version__
from .compliance.checks import Report, check_site
from .compliance.page import report_page
from .loader import load_site
from .model import Site
from .opendata.publish import opendata_outputs
from .output import StagedOutput, staged, write_atomic, write_many
from .parallel import fork_map, worker_count
from .progress import Progress
from .templates_sig import TemplateSigner
from .web import Job, WebRenderer

ENGINE_DIR = Path(__file__).resolve().parent.parent
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


def layouts_dir(site_dir: Path) -> Path:
    """A site may bring its own layouts/; otherwise the engine's are used."""
    own = site_dir / "layouts"
    return own if (own / "base.html").is_file() else ENGINE_DIR / "layouts"


def asset_files(layouts: Path) -> Iterable[tuple[str, Path]]:
    assets = layouts / "assets"
    if assets.is_dir():
        for src in sorted(p for p in assets.rglob("*") if p.is_file()):
            yield "assets/" + src.relative_to(assets).as_posix(), src


def _sha1(data: bytes) -> str:
    return hashlib.sha1(data).hexdigest()


def site_key(site: Site, opts: BuildOptions) -> str:
    """What every page depends on: engine, configuration, catalogue, build date and options."""
    h = hashlib.sha1(f"{__version__}|{opts.today}|{opts.drafts}|{opts.future}".encode())
    h.update((opts.site_dir / "site.toml").read_bytes())
    for path in sorted((opts.site_dir / "content" / "catalog").glob("*.y*ml")):
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()


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


def render_to(root: Path, jobs: list[Job], progress: Progress) -> None:
    """Render ``jobs`` into files under ``root``, over all cores when there are many."""
    if len(jobs) >= PARALLEL_THRESHOLD and worker_count() > 1:
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
                  layouts: Path) -> Iterable[tuple[str, Callable[[], bytes]]]:
    """Everything besides the portal pages, as (path, make-bytes)."""
    for path, data in opendata_outputs(site, renderer, page_paths):
        yield path, (lambda d=data: d)
    path, html = report_page(report, renderer)
    yield path, (lambda h=html: h.encode("utf-8"))
    for rel, src in asset_files(layouts):
        yield rel, src.read_bytes
    for item in site.published:
        for att in item.attachments:
            yield "files/" + att.rel, att.source.read_bytes


def build(opts: BuildOptions) -> BuildResult:
    progress = Progress(enabled=opts.progress)
    progress.stage("读取和检查内容")
    site = load_site(opts.site_dir, opts.today, drafts=opts.drafts, future=opts.future,
                     cache_dir=opts.cache_dir)
    layouts = layouts_dir(opts.site_dir)
    renderer = WebRenderer(site, layouts)
    jobs = list(renderer.jobs())
    signer = TemplateSigner(renderer.env, site_key(site, opts))
    sigs = {job.path: signer.sign(job) for job in jobs}
    report = check_site(site)
    out_key = f"{__version__}|{opts.drafts}|{opts.future}|{opts.today}"

    previous = None
    if opts.cache_dir and not opts.clean and opts.out_dir.is_dir():
        previous = Manifest.load(opts.cache_dir, opts.out_dir)
        if previous and previous.key != out_key:
            previous = None

    page_paths = [j.path for j in jobs]
    files: dict[str, str] = dict(sigs)
    if previous is None:
        progress.stage("生成页面", total=len(jobs))
        with staged(opts.out_dir) as out:
            render_to(out.tmp, jobs, progress)
            for path, make in extra_outputs(site, renderer, report, page_paths, layouts):
                data = make()
                files[path] = _sha1(data)
                out.write_bytes(path, data)
            _carry_prints(out, opts.out_dir, site)
        rendered, removed = len(jobs), 0
    else:
        changed = [j for j in jobs if previous.files.get(j.path) != sigs[j.path]
                   or not (opts.out_dir / j.path).is_file()]
        progress.stage("更新页面", total=len(changed))
        render_to(opts.out_dir, changed, progress)
        updates: list[tuple[str, bytes]] = []
        for path, make in extra_outputs(site, renderer, report, page_paths, layouts):
            data = make()
            files[path] = digest = _sha1(data)
            if previous.files.get(path) != digest or not (opts.out_dir / path).is_file():
                updates.append((path, data))
        write_many(opts.out_dir, updates)
        stale = sorted(set(previous.files) - set(files))
        for rel in stale:
            try:
                os.unlink(opts.out_dir / rel)
            except FileNotFoundError:
                pass
        _prune_empty_dirs(opts.out_dir, stale)
        _carry_prints(_InPlace(opts.out_dir), opts.out_dir, site)
        rendered, removed = len(changed), len(stale)
    if opts.cache_dir:
        Manifest(key=out_key, files=files).save(opts.cache_dir, opts.out_dir)
    progress.done()
    return BuildResult(site=site, pages=len(jobs), report=report, rendered=rendered,
                       incremental=previous is not None, removed=removed)


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
