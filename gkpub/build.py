"""The build: load the site, render every output, write them atomically."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from .compliance.checks import Report, check_site
from .compliance.page import report_page
from .loader import load_site
from .model import Site
from .opendata.publish import opendata_outputs
from .output import StagedOutput, staged
from .web import WebRenderer

ENGINE_DIR = Path(__file__).resolve().parent.parent


@dataclass
class BuildOptions:
    site_dir: Path
    out_dir: Path
    today: dt.date = field(default_factory=dt.date.today)
    drafts: bool = False
    future: bool = False
    search: bool = True


@dataclass
class BuildResult:
    site: Site
    pages: int
    report: Optional[Report] = None  # compliance findings, also written to public/_report/


def layouts_dir(site_dir: Path) -> Path:
    """A site may bring its own layouts/; otherwise the engine's are used."""
    own = site_dir / "layouts"
    return own if (own / "base.html").is_file() else ENGINE_DIR / "layouts"


def write_assets(out: StagedOutput, layouts: Path) -> None:
    assets = layouts / "assets"
    if assets.is_dir():
        for src in sorted(p for p in assets.rglob("*") if p.is_file()):
            out.copy_file(src, "assets/" + src.relative_to(assets).as_posix())


def build(opts: BuildOptions) -> BuildResult:
    site = load_site(opts.site_dir, opts.today, drafts=opts.drafts, future=opts.future)
    layouts = layouts_dir(opts.site_dir)
    renderer = WebRenderer(site, layouts)
    count = 0
    written: list[str] = []
    report = check_site(site)
    with staged(opts.out_dir) as out:
        for page in renderer.outputs():
            out.write_text(page.path, page.content)
            written.append(page.path)
            count += 1
        for path, data in opendata_outputs(site, renderer, written):
            out.write_bytes(path, data)
        out.write_text(*report_page(report, renderer))
        write_assets(out, layouts)
        from .print_manifest import carry_over  # posters from `gkpub print` outlive a web build
        carry_over(out, opts.out_dir, site)
        for item in site.published:
            for att in item.attachments:
                out.copy_file(att.source, "files/" + att.rel)
    return BuildResult(site=site, pages=count, report=report)
