"""办事一本通: the 服务-stage items as a booklet, by catalogue domain and matter.

Cover, table of contents with real page numbers (target-counter), running
headers with the domain (string-set), page numbers, QR codes and PDF bookmarks.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from gkpub.content.flow import Flow, flows_of
from gkpub.content.model import Domain, Item, Matter, Site
from gkpub.outputs.print import carry as manifest
from gkpub.outputs.print.render import (
    Paper,
    PrintError,
    PrintItem,
    make_print_env,
    print_item,
    render_html,
    render_pdf,
    safe_filename,
)
from gkpub.store.staging import write_atomic
from gkpub.util.errors import UsageError, allowed_list, did_you_mean

SERVICE_STAGE = "服务"


@dataclass
class MatterSection:
    matter: Matter
    anchor: str
    items: list[PrintItem] = field(default_factory=list)
    flows: list[Flow] = field(default_factory=list)  # the matter's 流程 and its printed leaves' own


@dataclass
class DomainSection:
    domain: Domain
    anchor: str
    matters: list[MatterSection] = field(default_factory=list)


@dataclass(frozen=True)
class HandbookResult:
    path: Path
    pages: int
    items: int
    domains: int


def find_domain(site: Site, name: str) -> Domain:
    for d in site.catalog.domains:
        if name in (d.name, d.slug):
            return d
    names = [d.name for d in site.catalog.domains]
    raise UsageError(f"标准目录中没有领域「{name}」；{did_you_mean(name, names)}可用：{allowed_list(names)}")


def handbook_sections(site: Site, only: Domain | None = None) -> list[DomainSection]:
    """Published, unexpired 服务 items in catalogue order (domain → matter → leaf), newest first."""
    by_leaf: dict[int, list[Item]] = {}
    for item in site.published:
        if item.stage == SERVICE_STAGE and not item.expired(site.today):
            by_leaf.setdefault(id(item.leaf), []).append(item)
    cfg, n = site.config, 0
    sections: list[DomainSection] = []
    for d_no, domain in enumerate(site.catalog.domains, start=1):
        if only is not None and domain is not only:
            continue
        ds = DomainSection(domain, f"domain-{d_no}")
        for m_no, matter in enumerate(domain.matters, start=1):
            ms = MatterSection(matter, f"matter-{d_no}-{m_no}")
            for leaf in matter.leaves:
                for item in by_leaf.get(id(leaf), []):
                    n += 1
                    ms.items.append(print_item(item, cfg, n))
            if ms.items:
                ms.flows = flows_of(v.item for v in ms.items)
                ds.matters.append(ms)
        if ds.matters:
            sections.append(ds)
    return sections


def handbook_html(site: Site, sections: list[DomainSection], paper: Paper,
                  only: Domain | None) -> str:
    cfg = site.config
    env = make_print_env(cfg.root)
    title = f"{cfg.district}{only.name if only else ''}办事一本通"
    return render_html(env, "handbook.html", site=cfg, title=title, sections=sections,
                       paper=paper, today=site.today, home_url=cfg.base_url)


def handbook_path(out_dir: Path, only: Domain | None) -> Path:
    name = f"handbook-{safe_filename(only.slug)}.pdf" if only else "handbook.pdf"
    return manifest.print_root(out_dir) / name


def print_handbook(site: Site, domain: str | None, paper: Paper, out_dir: Path) -> HandbookResult:
    only = find_domain(site, domain) if domain else None
    sections = handbook_sections(site, only)
    if not sections:
        where = f"领域「{only.name}」" if only else "全站"
        raise PrintError(f"{where}没有可以收入办事一本通的信息：需要已发布、未失效、过程为「服务」的信息（办事指南）")
    rendered = render_pdf(handbook_html(site, sections, paper, only))
    path = handbook_path(out_dir, only)
    write_atomic(path, rendered.pdf)
    shown = [v.item.index_no for d in sections for m in d.matters for v in m.items]
    manifest.record(out_dir, site, {path.name: shown})
    return HandbookResult(path, rendered.pages, len(shown), len(sections))
