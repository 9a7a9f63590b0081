"""The page metadata of every portal page: 政府网站发展指引 网页元数据, and Open Graph for sharing.

The 指引 (国办发〔2017〕47号) names the ``<meta name=…>`` tags a government page carries and
which kind of page carries which:

- every page: SiteName, SiteDomain (the domain, no scheme), SiteIDCode (网站标识码);
- a column page (首页, lists, the catalogue's pages, 公开主体, search…): ColumnName,
  ColumnDescription, ColumnKeywords, ColumnType;
- an article page (an item, a 指南/制度/年报 page): ColumnName, ColumnType, ArticleTitle,
  PubDate (``YYYY-MM-DD HH:MM``), ContentSource, Keywords, Author, Description, Image, Url.

Open Graph (og:title, og:description, og:url, og:image, og:type, og:site_name) goes on every
page: WeChat and other apps show it when a page is shared.

Everything here is computed from what the page shows (the site, the catalogue, the item), so a
page's metadata changes exactly when the page would: no extra render dependencies.
"""
from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlparse

from gkpub.content.columnmeta import ColumnText
from gkpub.content.config import SiteConfig
from gkpub.content.model import Item, Page, Site
from gkpub.content.schema import STAGES

SHARE_IMAGE = "/assets/share.png"  # the theme's; a site replaces it with layouts/assets/share.png
DEFAULT_TIME = "00:00"  # PubDate of an item without 发布时间, and of fixed pages
DESCRIPTION_MAX = 120  # characters of Description / ColumnDescription
KEYWORDS_MAX = 10
# ColumnType: the kind of information a page holds. Items by their 信息环节.
INFO = "信息公开"
CYCLE_TYPES = {"发布": INFO, "解读": "政策解读", "回应": "回应关切", "互动": "互动交流"}


@dataclass(frozen=True)
class PageMeta:
    url: str  # the page's own absolute address (Url, og:url, canonical)
    image: str  # absolute
    column_name: str
    column_type: str
    description: str
    keywords: tuple[str, ...]
    site: SiteConfig
    article: Article | None = None

    @property
    def tags(self) -> list[tuple[str, str]]:
        """The 指引's ``<meta name=… content=…>`` pairs, in the 指引's order."""
        cfg = self.site
        out = [("SiteName", cfg.title), ("SiteDomain", site_domain(cfg)), ("SiteIDCode", cfg.site_id),
               ("ColumnName", self.column_name)]
        keywords = ",".join(self.keywords)
        a = self.article
        if a is None:
            out += [("ColumnDescription", self.description), ("ColumnKeywords", keywords),
                    ("ColumnType", self.column_type),
                    # the names search engines read; an article's Description/Keywords already are
                    ("description", self.description), ("keywords", keywords)]
        else:
            out += [("ColumnType", self.column_type), ("ArticleTitle", a.title), ("PubDate", a.pub_date),
                    ("ContentSource", a.source), ("Keywords", keywords), ("Author", a.author),
                    ("Description", self.description), ("Image", self.image), ("Url", self.url)]
        return out

    @property
    def og(self) -> list[tuple[str, str]]:
        """Open Graph pairs besides og:title (the page's <title> block, in base.html)."""
        return [("og:type", "article" if self.article else "website"), ("og:site_name", self.site.title),
                ("og:description", self.description), ("og:url", self.url), ("og:image", self.image)]


@dataclass(frozen=True)
class Article:
    title: str
    pub_date: str  # YYYY-MM-DD HH:MM
    source: str  # ContentSource: the 公开主体 / 发布机构
    author: str


def site_domain(cfg: SiteConfig) -> str:
    """SiteDomain: the host of base_url (``www.qinghe.gov.cn``), never a URL."""
    return (urlparse(cfg.base_url).hostname or "").lower()


# -- text helpers ---------------------------------------------------------------------------

_BLOCK = re.compile(r"<(p|li)\b[^>]*>(.*?)</\1>", re.S)
_TAG = re.compile(r"<[^>]+>")
_IMG = re.compile(r"<img\b[^>]*?\ssrc=\"([^\"]+)\"")
_SENTENCE = re.compile(r".+?(?:[。！？!?]|$)", re.S)


def squeeze(text: str) -> str:
    return " ".join(text.split())


def trim(text: str, limit: int = DESCRIPTION_MAX) -> str:
    text = squeeze(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def first_sentence(body_html: str) -> str:
    """The first sentence of the body's first paragraph or list entry with text. Headings and
    tables are skipped, and so are lines that only lead in (「各街道办事处：」, 「附件：」); a very
    short sentence runs on into the next."""
    for m in _BLOCK.finditer(body_html):
        text = squeeze(html.unescape(_TAG.sub("", m.group(2))))
        if not text or text.endswith(("：", ":")):
            continue
        out = ""
        for s in _SENTENCE.findall(text):
            out += s
            if len(out) >= 12:
                break
        return trim(out)
    return ""


def first_image(body_html: str, page_url: str, cfg: SiteConfig) -> str:
    """The absolute address of the body's first image, or ''. A body writes the site's own files
    ``/files/…`` from the site's root (the template puts them under base_url's path: ``rooted``)."""
    m = _IMG.search(body_html)
    if not m:
        return ""
    src = html.unescape(m.group(1))
    if src.startswith("data:"):
        return ""
    if src.startswith("/") and not src.startswith("//"):
        return cfg.url(src)
    return urljoin(page_url, src)


def keywords(*groups: Iterable[str], limit: int = KEYWORDS_MAX) -> tuple[str, ...]:
    """Unique, non-empty keywords in order, at most ``limit`` (a comma would split one)."""
    out: list[str] = []
    for group in groups:
        for k in group:
            k = squeeze(str(k)).replace(",", " ")
            if k and k not in out:
                out.append(k)
    return tuple(out[:limit])


def names(values: Iterable[str], limit: int = 6) -> str:
    """「甲、乙、丙等」: the first few names, and 等 when there were more."""
    unique = list(dict.fromkeys(values))
    return "、".join(unique[:limit]) + ("等" if len(unique) > limit else "")


# -- per page kind ----------------------------------------------------------------------------

@dataclass(frozen=True)
class _Column:
    name: str
    description: str
    keywords: tuple[str, ...]
    type: str = INFO


def _home(site: Site, ctx: dict[str, Any]) -> _Column:
    cfg, domains = site.config, [d.name for d in site.catalog.domains]
    desc = (f"{cfg.title}{cfg.subtitle}：按决策、执行、管理、服务、结果五个环节和政务公开标准目录"
            f"（{names(domains)}{len(domains)}个领域）公开{cfg.district}各机关的政府信息。")
    return _Column("首页", desc, keywords([f"{cfg.district}政务公开", "政府信息公开", "五公开"], domains), "首页")


def _stage(site: Site, ctx: dict[str, Any]) -> _Column:
    cfg, stage = site.config, ctx["stage"]
    matters = [leaf.matter.name for leaf in site.catalog.leaves if leaf.stage == stage]
    desc = f"{cfg.title}在{stage}环节主动公开的政府信息" + (f"，涉及{names(matters)}事项。" if matters else "。")
    return _Column(f"{stage}公开", desc, keywords([f"{stage}公开", "五公开"], matters, [cfg.district]))


def _domains(site: Site, ctx: dict[str, Any]) -> _Column:
    cfg, domains = site.config, [d.name for d in site.catalog.domains]
    desc = f"{cfg.district}政务公开标准目录的重点领域：{names(domains, 12)}，共{len(domains)}个。"
    return _Column("重点领域", desc, keywords(["重点领域", "政务公开标准目录"], domains))


def _domain(site: Site, ctx: dict[str, Any]) -> _Column:
    d = ctx["domain"]
    matters = [m.name for m in d.matters]
    desc = squeeze(d.description) or f"{d.name}领域的政务公开标准目录，包括{names(matters)}事项。"
    return _Column(d.name, desc, keywords([d.name], matters))


def _matter(site: Site, ctx: dict[str, Any]) -> _Column:
    d, m = ctx["domain"], ctx["matter"]
    leaves = [leaf.name for leaf in m.leaves]
    kind = m.elements.get("事项类型")
    desc = f"{d.name}领域「{m.name}」事项的公开内容：{names(leaves, 10)}" + (f"；事项类型：{kind}。" if kind else "。")
    return _Column(m.name, desc, keywords([m.name, d.name], leaves, [kind] if kind else []))


def _leaf(site: Site, ctx: dict[str, Any]) -> _Column:
    d, m, leaf = ctx["domain"], ctx["matter"], ctx["leaf"]
    el = leaf.elements
    parts = [f"{d.name}领域「{m.name}」事项的{leaf.name}"]
    if el.get("要素"):
        parts.append("公开" + "、".join(map(str, el["要素"])))
    if el.get("公开主体"):
        parts.append(f"公开主体：{el['公开主体']}")
    if el.get("公开时限"):
        parts.append(f"公开时限：{el['公开时限']}")
    stage = [f"{leaf.stage}公开"] if leaf.stage else []
    return _Column(leaf.name, "；".join(parts) + "。", keywords([leaf.name, m.name, d.name], stage))


def _orgs(site: Site, ctx: dict[str, Any]) -> _Column:
    cfg = site.config
    shorts = [o.short for o in cfg.orgs]
    desc = f"{cfg.district}的公开主体：{names(shorts, 8)}{len(shorts)}个机关，各有自己的政府信息公开页面。"
    return _Column("公开主体", desc, keywords(["公开主体", "政府信息公开"], shorts))


def _org(site: Site, ctx: dict[str, Any]) -> _Column:
    o = ctx["org"]
    desc = f"{o.name}的政府信息公开页面：按决策、执行、管理、服务、结果五个环节主动公开的信息"
    desc += f"；地址：{o.address}。" if o.address else "。"
    return _Column(o.name, desc, keywords([o.name, o.short, "政府信息公开", site.config.district]))


def _catalog(site: Site, ctx: dict[str, Any]) -> _Column:
    cat = site.catalog
    domains = [d.name for d in cat.domains]
    n_matters = sum(len(d.matters) for d in cat.domains)
    desc = (f"{site.config.district}政务公开标准目录：{len(domains)}个领域、{n_matters}个事项、{len(cat.leaves)}项"
            "公开内容，每项写明公开依据、公开时限、公开主体和公开渠道。")
    return _Column("法定主动公开内容", desc, keywords(["法定主动公开内容", "政务公开标准目录"], domains))


def _fixed_column(site: Site, ctx: dict[str, Any]) -> _Column:
    title, subpages = ctx["column_title"], ctx.get("subpages") or []
    desc = f"{site.config.title}{title}" + (f"：{names((p.title for p in subpages), 4)}。" if subpages else "。")
    return _Column(title, desc, keywords([title, site.config.district, "政府信息公开"]))


def _data(site: Site, ctx: dict[str, Any]) -> _Column:
    desc = f"{site.config.title}公开信息和政务公开标准目录的开放数据：JSON、CSV、Excel 文件下载和信息订阅。"
    return _Column("开放数据", desc, keywords(["开放数据", "数据下载", "政务公开标准目录", "信息订阅"]), "数据发布")


def _search(site: Site, ctx: dict[str, Any]) -> _Column:
    desc = f"检索{site.config.title}公开的政府信息：按关键词、文号查找，按五公开环节、公开主体、发布年份筛选。"
    return _Column("检索", desc, keywords(["检索", "政府信息公开", "文号"], [f"{s}公开" for s in STAGES]), "其他")


def _not_found(site: Site, ctx: dict[str, Any]) -> _Column:
    desc = f"您访问的页面不存在或已经删除。请从{site.config.title}{site.config.subtitle}首页或检索查找。"
    return _Column("页面不存在", desc, keywords(["页面不存在", site.config.title]), "其他")


def _contact(site: Site, ctx: dict[str, Any]) -> _Column:
    cfg = site.config
    desc = f"{cfg.title}{cfg.subtitle}的主办单位和各公开主体的地址、联系电话。"
    return _Column("联系我们", desc, keywords(["联系我们", "联系电话", "地址", cfg.district]), "其他")


def _sitemap(site: Site, ctx: dict[str, Any]) -> _Column:
    cfg = site.config
    desc = f"{cfg.title}{cfg.subtitle}的全部栏目：五公开、法定主动公开内容、公开指南、制度、年报和公开主体。"
    return _Column("网站地图", desc, keywords(["网站地图", "栏目", cfg.district]), "其他")


def _accessibility(site: Site, ctx: dict[str, Any]) -> _Column:
    desc = f"{site.config.title}{site.config.subtitle}的无障碍服务：长辈版、字号调整、键盘操作和读屏软件的使用方法。"
    return _Column("无障碍服务", desc, keywords(["无障碍", "长辈版", "适老化", "字号"]), "其他")


def _generic(site: Site, ctx: dict[str, Any]) -> _Column:
    """A page of a template this module does not know (a site's own): named by its context."""
    cfg = site.config
    title = str(ctx.get("column_title") or ctx.get("title") or cfg.subtitle)
    return _Column(title, f"{cfg.title}{cfg.subtitle}：{title}。", keywords([title, cfg.district, "政府信息公开"]))


COLUMN_KINDS: dict[str, Callable[[Site, dict[str, Any]], _Column]] = {
    "home.html": _home, "stage.html": _stage, "domains.html": _domains, "domain.html": _domain,
    "matter.html": _matter, "leaf.html": _leaf, "orgs.html": _orgs, "org.html": _org,
    "catalog.html": _catalog, "column.html": _fixed_column, "page.html": _fixed_column,
    "data.html": _data, "search.html": _search, "404.html": _not_found,
    "contact.html": _contact, "sitemap.html": _sitemap, "accessibility.html": _accessibility,
}


def own_url(cfg: SiteConfig, ctx: dict[str, Any]) -> str:
    """The page's own absolute address: a list's page N is not its page 1."""
    pager = ctx.get("pager")
    path = pager["url"](pager["current"]) if pager else ctx["page_url"]
    return cfg.url(path)


def page_meta(site: Site, template: str, ctx: dict[str, Any]) -> PageMeta:
    cfg = site.config
    url = own_url(cfg, ctx)
    share = cfg.url(SHARE_IMAGE)
    own: ColumnText | None = cfg.columns.get(ctx.get("page_url", ""))
    item: Item | None = ctx.get("item") if template == "item.html" else None
    page: Page | None = ctx.get("page") if template == "page.html" else None
    if item is not None:
        return _item_meta(item, url, share, cfg)
    if page is not None and page.published is not None:
        return _page_meta(page, ctx["column_title"], url, share, cfg, own)
    col = COLUMN_KINDS.get(template, _generic)(site, ctx)
    return PageMeta(url=url, image=share, column_name=col.name, column_type=col.type,
                    description=own.description if own and own.description else trim(col.description),
                    keywords=_own_keywords(own) or col.keywords, site=cfg)


def _own_keywords(own: ColumnText | None) -> tuple[str, ...]:
    """A site's own keywords ([[column]] keywords), as written: never cut to KEYWORDS_MAX."""
    return keywords(own.keywords, limit=len(own.keywords)) if own else ()


def _item_meta(item: Item, url: str, share: str, cfg: SiteConfig) -> PageMeta:
    el = item.el
    desc = trim(str(el.get("摘要") or "")) or first_sentence(item.html) or trim(f"{item.org.name}：{item.title}")
    words = keywords(el.get("关键词") or [item.leaf.name, item.matter.name, item.domain.name])
    article = Article(title=item.title, pub_date=f"{item.published.isoformat()} {el.get('发布时间') or DEFAULT_TIME}",
                      source=item.org.name, author=item.org.name)
    return PageMeta(url=url, image=first_image(item.html, url, cfg) or share, column_name=item.leaf.name,
                    column_type=CYCLE_TYPES.get(el.get("信息环节", ""), INFO), description=desc,
                    keywords=words, site=cfg, article=article)


def _page_meta(page: Page, column_title: str, url: str, share: str, cfg: SiteConfig,
               own: ColumnText | None) -> PageMeta:
    assert page.published is not None
    source = page.org.name if page.org else cfg.government
    desc = (own.description if own and own.description else "") or first_sentence(page.html) or trim(
        f"{source}：{page.title}")
    words = _own_keywords(own) or keywords([column_title, page.title, cfg.district])
    article = Article(title=page.title, pub_date=f"{page.published.isoformat()} {DEFAULT_TIME}",
                      source=source, author=source)
    return PageMeta(url=url, image=first_image(page.html, url, cfg) or share, column_name=column_title,
                    column_type=INFO, description=desc, keywords=words, site=cfg, article=article)
