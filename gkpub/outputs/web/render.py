"""Render the portal: every page as (output path, HTML), computed from the Site alone.

Rendering is a pure function of the model so pages can be rendered in any order,
in parallel, or only for what changed, and still come out byte-identical.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from functools import partial
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import urlparse

import jinja2
from markupsafe import Markup

from gkpub.content.forms import FORMS
from gkpub.content.model import Domain, Item, Leaf, Matter, Site
from gkpub.content.pages import COLUMNS
from gkpub.content.schema import STAGE_SLUGS, STAGES
from gkpub.content.siteschema import ORG_GROUPS
from gkpub.outputs.web import qingli
from gkpub.outputs.web.pagemeta import page_meta


class Job(NamedTuple):
    """One page to write: its template, what it shows, and how to render it.

    A NamedTuple because a big site makes tens of thousands of them on every rebuild.
    """

    path: str
    template: str
    deps: tuple  # fingerprints and counts of everything the page shows, besides the site itself
    render: Callable[[], str]


def fps(items: Iterable[Item]) -> tuple[tuple, ...]:
    """What a listing shows of its items (see Item.summary)."""
    return tuple(i.summary for i in items)


def make_env(layouts: Path | list[Path], prefix: str, compiled: Path | None = None) -> jinja2.Environment:
    """Templates from ``layouts`` (a site's own folder first, then the engine's); ``compiled``:
    a folder that keeps them compiled between runs (each checked against its source; only for
    one engine, Jinja version and ``prefix``: the options below are not in Jinja's check, and
    Jinja folds ``"/x/" | u`` into the compiled code)."""
    dirs = [layouts] if isinstance(layouts, Path) else layouts
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(d) for d in dirs]),
        bytecode_cache=jinja2.FileSystemBytecodeCache(str(compiled)) if compiled else None,
        autoescape=jinja2.select_autoescape(["html", "xml"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
    )
    env.filters["u"] = lambda path: prefix + path
    env.filters["date"] = lambda d: d.isoformat() if d else ""
    env.filters["rooted"] = partial(rooted, prefix)
    env.globals["STAGES"] = STAGES
    env.globals["STAGE_SLUGS"] = STAGE_SLUGS
    env.globals["COLUMNS"] = COLUMNS
    env.globals["ORG_GROUPS"] = ORG_GROUPS
    env.globals["FORMS"] = FORMS  # the 申请表 the 指南 links (_office.html)
    return env


_ROOTED_RE = re.compile(r'(<(?:a href|img src)=")/(?!/)')


def rooted(prefix: str, html: str) -> Markup:
    """A body's HTML (trusted: rendered by content.markdown) with its site addresses, links and
    images written ``/…`` (content.bodyfiles makes those of local files), under the site's
    path: a portal served under /zwgk/ needs /zwgk/files/…, not /files/…"""
    if prefix:
        html = _ROOTED_RE.sub(lambda m: m.group(1) + prefix + "/", html)
    return Markup(html)


def paginate(items: list, size: int) -> list[list]:
    if not items:
        return [[]]
    return [items[i:i + size] for i in range(0, len(items), size)]


class WebRenderer:
    def __init__(self, site: Site, layouts: Path | list[Path], env: jinja2.Environment | None = None):
        """``env`` may be reused between builds: compiled templates are kept (and reloaded when edited)."""
        self.site = site
        cfg = site.config
        self.prefix = urlparse(cfg.base_url).path.rstrip("/")
        self.env = env if env is not None else make_env(layouts, self.prefix)
        self.base_ctx: dict[str, Any] = {
            "site": cfg, "catalog": site.catalog, "today": site.today,
            "orgs": cfg.orgs, "preview": site.preview,
        }
        pub = site.published
        self.by_stage: dict[str, list[Item]] = {s: [] for s in STAGES}
        self.by_leaf: dict[str, list[Item]] = {}
        self.by_org: dict[str, list[Item]] = {}
        for item in pub:
            self.by_stage[item.stage].append(item)
            self.by_leaf.setdefault(item.leaf.path, []).append(item)
            self.by_org.setdefault(item.org.code, []).append(item)

    # helpers ------------------------------------------------------------------
    def leaf_items(self, leaf: Leaf) -> list[Item]:
        return self.by_leaf.get(leaf.path, [])

    def matter_items(self, matter: Matter) -> list[Item]:
        out = [i for leaf in matter.leaves for i in self.leaf_items(leaf)]
        return sorted(out, key=lambda i: i.sort_key)

    def domain_items(self, domain: Domain) -> list[Item]:
        out = [i for leaf in domain.leaves for i in self.leaf_items(leaf)]
        return sorted(out, key=lambda i: i.sort_key)

    def render(self, template: str, **ctx: Any) -> str:
        """``ctx`` names the page (``page_url``) and what it shows; the page's metadata comes from it."""
        meta = page_meta(self.site, template, ctx)
        return self.env.get_template(template).render(**self.base_ctx, **ctx, meta=meta)

    def _listing(self, base_path: str, template: str, items: list[Item], deps: tuple = (),
                 **ctx: Any) -> Iterator[Job]:
        """A paginated list at base_path (e.g. 'stage/juece/'), pages at base_path + 'page/N/'."""
        pages = paginate(items, self.site.config.page_size)
        for n, chunk in enumerate(pages, start=1):
            path = base_path if n == 1 else f"{base_path}page/{n}/"
            pager = {
                "current": n, "total": len(pages), "count": len(items),
                "url": lambda k, _b=base_path: "/" + (_b if k == 1 else f"{_b}page/{k}/"),
            }
            yield Job(path + "index.html", template, (n, len(pages), len(items), fps(chunk)) + deps,
                      partial(self.render, template, items=chunk, pager=pager, **ctx))

    # pages --------------------------------------------------------------------
    def item_job(self, item: Item) -> Job:
        linked = item.interpretations + [item.interprets] if item.interprets else item.interpretations
        return Job(item.out_path, "item.html", (item.fingerprint, fps(linked) if linked else ()),
                   partial(self._render_item, item))

    def _render_item(self, item: Item) -> str:
        return self.render("item.html", item=item, page_url=item.url)

    def jobs(self) -> Iterator[Job]:
        """Every page, with what it shows (``deps``) so unchanged pages can be skipped."""
        site, cfg = self.site, self.site.config
        latest = {s: self.by_stage[s][: cfg.home_latest] for s in STAGES}
        newest = site.published[: cfg.home_latest * 2]
        counts = {s: len(self.by_stage[s]) for s in STAGES}
        domain_counts = {d.slug: len(self.domain_items(d)) for d in site.catalog.domains}
        org_counts = {o.code: len(self.by_org.get(o.code, [])) for o in cfg.orgs}
        yield Job("index.html", "home.html",
                  (fps(newest), tuple(fps(latest[s]) for s in STAGES), tuple(counts.values()),
                   tuple(domain_counts.values()), tuple(org_counts.values())),
                  partial(self.render, "home.html", latest=latest, counts=counts, newest=newest,
                          page_url="/", domain_counts=domain_counts, org_counts=org_counts))
        for stage in STAGES:
            slug = STAGE_SLUGS[stage]
            yield from self._listing(f"stage/{slug}/", "stage.html", self.by_stage[stage],
                                     stage=stage, page_url=f"/stage/{slug}/")
        yield Job("domain/index.html", "domains.html", tuple(domain_counts.values()),
                  partial(self.render, "domains.html", page_url="/domain/", domain_counts=domain_counts))
        for domain in site.catalog.domains:
            d_items = self.domain_items(domain)
            matrix = {
                m.code: {s: [i for i in self.matter_items(m) if i.stage == s] for s in STAGES}
                for m in domain.matters
            }
            yield Job(f"domain/{domain.slug}/index.html", "domain.html",
                      (fps(d_items[:10]), tuple(len(cell) for row in matrix.values() for cell in row.values())),
                      partial(self.render, "domain.html", domain=domain, matrix=matrix, items=d_items[:10],
                              page_url=domain.url))
            for matter in domain.matters:
                leaf_items = {leaf.code: self.leaf_items(leaf) for leaf in matter.leaves}
                yield Job(f"domain/{domain.slug}/{matter.code}/index.html", "matter.html",
                          tuple((fps(v[:5]), len(v)) for v in leaf_items.values()),
                          partial(self.render, "matter.html", domain=domain, matter=matter,
                                  leaf_items=leaf_items, page_url=matter.url))
                for leaf in matter.leaves:
                    yield from self._listing(leaf.url.lstrip("/"), "leaf.html", self.leaf_items(leaf),
                                             domain=domain, matter=matter, leaf=leaf, page_url=leaf.url)
        yield Job("org/index.html", "orgs.html", tuple(org_counts.values()),
                  partial(self.render, "orgs.html", page_url="/org/", org_counts=org_counts))
        for org in cfg.orgs:
            items = self.by_org.get(org.code, [])
            stage_counts = {s: sum(1 for i in items if i.stage == s) for s in STAGES}
            yield from self._listing(f"org/{org.code}/", "org.html", items, tuple(stage_counts.values()),
                                     org=org, stage_counts=stage_counts, page_url=f"/org/{org.code}/")
        leaf_counts = {leaf.path: len(self.leaf_items(leaf)) for leaf in site.catalog.leaves}
        yield Job("catalog/index.html", "catalog.html", tuple(leaf_counts.values()),
                  partial(self.render, "catalog.html", page_url="/catalog/", leaf_counts=leaf_counts))
        yield from self.column_pages()
        for item in site.published:
            yield self.item_job(item)
        # static: search.js reads the query from the address and the results from the index
        yield Job("search/index.html", "search.html", (),
                  partial(self.render, "search.html", page_url="/search/"))
        yield Job("404.html", "404.html", (), partial(self.render, "404.html", page_url="/404.html"))
        yield from self.service_pages()

    def service_pages(self) -> Iterator[Job]:
        """联系我们, 网站地图 and 无障碍服务, which the footer and the header link on every page.
        What they show besides the site (in every page's signature) is the column pages' titles."""
        yield Job("contact/index.html", "contact.html", (),
                  partial(self.render, "contact.html", page_url="/contact/"))
        columns = {c: sorted((p for p in self.site.pages if p.column == c and p.slug), key=lambda p: p.slug,
                             reverse=(c == "annual")) for c in COLUMNS}
        yield Job("sitemap/index.html", "sitemap.html",
                  tuple((c, tuple((p.slug, p.title) for p in ps)) for c, ps in columns.items()),
                  partial(self.render, "sitemap.html", page_url="/sitemap/", column_pages=columns))
        yield Job("accessibility/index.html", "accessibility.html", (),
                  partial(self.render, "accessibility.html", page_url="/accessibility/"))
        # 清理结果 (issue 14 item 7): published items past 有效期至 or 废止日期, linked from the 网站地图
        repealed, expired = qingli.lapsed_items(self.site)
        yield Job(qingli.PATH, "qingli.html",
                  tuple((x.day, fps([x.item])) for x in repealed + expired) + (len(repealed),),
                  partial(self.render, "qingli.html", page_url=qingli.URL, title=qingli.TITLE,
                          repealed=repealed, expired=expired))

    def column_pages(self) -> Iterator[Job]:
        by_column: dict[str, list] = {c: [] for c in COLUMNS}
        for page in self.site.pages:
            by_column[page.column].append(page)
        for column, title in COLUMNS.items():
            pages = by_column[column]
            single = [p for p in pages if not p.slug]
            subpages = sorted((p for p in pages if p.slug), key=lambda p: p.slug,
                              reverse=(column == "annual"))  # newest annual report first
            sig = tuple((p.source, p.title, p.published, p.html, p.fingerprint) for p in pages)
            if single:
                yield Job(f"{column}/index.html", "page.html", sig, partial(
                    self.render, "page.html", page=single[0], column=column, column_title=title,
                    subpages=subpages, page_url=f"/{column}/"))
            else:
                yield Job(f"{column}/index.html", "column.html", sig, partial(
                    self.render, "column.html", column=column, column_title=title, subpages=subpages,
                    page_url=f"/{column}/"))
            for page in subpages:
                yield Job(f"{column}/{page.slug}/index.html", "page.html", sig, partial(
                    self.render, "page.html", page=page, column=column, column_title=title, subpages=[],
                    page_url=page.url))
