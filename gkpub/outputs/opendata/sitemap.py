"""sitemap.xml and robots.txt.

The sitemap lists the portal's HTML pages as the build wrote them (so it knows
every page and only those), with an item's 发布日期 as its lastmod; the 404 page is left
out. robots.txt names no private folder: nothing internal is in the output to hide (the
compliance report is written outside it, see outputs/report/page.py).
"""
from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable
from urllib.parse import urlparse

from gkpub.content.model import Site
from gkpub.store.memo import Memo

SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"


def page_url(path: str) -> str | None:
    """Site-relative URL of an output path, or None when it is no page for the sitemap."""
    if not path.endswith("index.html"):
        return None
    return "/" + path[: -len("index.html")]


def sitemap_xml(site: Site, paths: Iterable[str], memo: Memo | None = None) -> bytes:
    """``memo``: the bytes of the last build's sitemap when its entries are the same."""
    lastmod = {i.url: i.published.isoformat() for i in site.published}
    urls = sorted({u for u in map(page_url, paths) if u is not None})
    entries = [(site.config.url(u), lastmod.get(u)) for u in urls]
    return (memo or Memo(None)).get(repr(("sitemap.xml", entries)), lambda: _sitemap(entries))


def _sitemap(entries: list[tuple[str, str | None]]) -> bytes:
    root = ET.Element(f"{{{SITEMAP}}}urlset")
    for loc, lastmod in entries:
        entry = ET.SubElement(root, f"{{{SITEMAP}}}url")
        ET.SubElement(entry, f"{{{SITEMAP}}}loc").text = loc
        if lastmod is not None:
            ET.SubElement(entry, f"{{{SITEMAP}}}lastmod").text = lastmod
    ET.register_namespace("", SITEMAP)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def robots_txt(site: Site) -> bytes:
    prefix = urlparse(site.config.base_url).path.rstrip("/")
    lines = ["User-agent: *"]
    if site.preview:  # drafts and future items: nothing of a preview is for search engines
        return "\n".join(lines + [f"Disallow: {prefix}/", ""]).encode("utf-8")
    lines += ["Disallow:", "", f"Sitemap: {site.config.url('sitemap.xml')}", ""]
    return "\n".join(lines).encode("utf-8")
