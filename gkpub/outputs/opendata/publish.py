"""Everything under /data/, the feeds, sitemap.xml and robots.txt, as (path, bytes).

Called by the build after the portal pages are rendered (the sitemap lists them).
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from gkpub.content.model import Site
from gkpub.outputs.opendata import files
from gkpub.outputs.opendata.feeds import feed_xml, feeds
from gkpub.outputs.opendata.sitemap import robots_txt, sitemap_xml
from gkpub.outputs.web.render import WebRenderer
from gkpub.store.memo import Memo


@dataclass(frozen=True)
class DataFile:
    name: str
    title: str
    description: str
    make: Callable[[Site, Memo], bytes]  # the memo: parts the last build computed already

    @property
    def path(self) -> str:
        return f"data/{self.name}"


DATA_FILES: tuple[DataFile, ...] = (
    DataFile("catalog.xlsx", "标准目录（Excel）",
             "政务公开标准目录，每个公开内容一行，按标准的列顺序：一级事项（领域）、二级事项、三级事项（公开内容）、"
             "公开内容（要素）、过程、事项类型、事项编码、公开依据、公开时限、公开主体、公开渠道和载体、公开对象、"
             "公开方式、公开层级、公开格式。", files.catalog_xlsx),
    DataFile("catalog.csv", "标准目录（CSV）", "与 Excel 版内容相同，UTF-8 编码（带 BOM，可直接用 Excel 打开）。",
             files.catalog_csv),
    DataFile("catalog.json", "标准目录（JSON）", "按 领域 → 事项 → 公开内容 分层，含各要素、栏目网址和已发布信息数。",
             files.catalog_json),
    DataFile("items.json", "公开信息（JSON）",
             "本网站已公开的全部信息及其要素：索引号、标题、发布机构、成文日期、发布日期、文号、所属目录等。",
             files.items_json),
)


def _size(n: int) -> str:
    return f"{n / 1024:.1f} KB" if n >= 1024 else f"{n} 字节"


def opendata_outputs(site: Site, renderer: WebRenderer, page_paths: Iterable[str],
                     memo: Memo | None = None) -> Iterator[tuple[str, bytes]]:
    memo = memo or Memo(None)
    listing = []
    for df in DATA_FILES:
        data = df.make(site, memo)
        listing.append({"file": df, "size": _size(len(data))})
        yield df.path, data
    feed_list = list(feeds(site))
    for feed in feed_list:
        yield feed.path, feed_xml(site, feed)
    html = renderer.render("data.html", files=listing, feeds=feed_list, page_url="/data/")
    yield "data/index.html", html.encode("utf-8")
    yield "sitemap.xml", sitemap_xml(site, [*page_paths, "data/index.html"], memo)
    yield "robots.txt", robots_txt(site)
