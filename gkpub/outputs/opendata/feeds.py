"""Atom feeds (RFC 4287): the whole site, each stage, each domain; newest 50 items.

A feed's <updated> is its newest entry's 发布日期 (the site's newest item for an
empty feed), never the build time, so rebuilding the same content changes nothing.
Dates are midnight China Standard Time.
"""
from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass

from gkpub.content.model import Item, Site
from gkpub.content.schema import STAGE_SLUGS

ATOM = "http://www.w3.org/2005/Atom"
FEED_SIZE = 50


@dataclass(frozen=True)
class Feed:
    path: str  # output path, e.g. "stage/juece/feed.xml"
    title: str
    page: str  # the HTML page the feed follows, site-relative
    items: list[Item]


def _stamp(d: dt.date) -> str:
    return f"{d.isoformat()}T00:00:00+08:00"


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    el = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
    if text is not None:
        el.text = text
    return el


def feed_xml(site: Site, feed: Feed) -> bytes:
    cfg, url = site.config, site.config.url
    items = feed.items[:FEED_SIZE]
    newest = items[0].published if items else max(
        (i.published for i in site.published), default=dt.date(2000, 1, 1))
    root = ET.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": "zh-CN"})
    _sub(root, "title", feed.title)
    _sub(root, "subtitle", f"{cfg.title}{cfg.subtitle}")
    _sub(root, "id", url(feed.path))
    _sub(root, "link", rel="self", type="application/atom+xml", href=url(feed.path))
    _sub(root, "link", rel="alternate", type="text/html", href=url(feed.page))
    _sub(root, "updated", _stamp(newest))
    author = _sub(root, "author")
    _sub(author, "name", cfg.government)
    _sub(root, "generator", "gkpub")
    for item in items:
        entry = _sub(root, "entry")
        _sub(entry, "title", item.title)
        _sub(entry, "id", url(item.url))
        _sub(entry, "link", rel="alternate", type="text/html", href=url(item.url))
        _sub(entry, "published", _stamp(item.published))
        _sub(entry, "updated", _stamp(item.published))
        who = _sub(entry, "author")
        _sub(who, "name", item.org.name)
        _sub(entry, "category", term=item.stage, label=f"{item.stage}公开")
        _sub(entry, "category", term=item.domain.name, label=item.domain.name)
        facts = [f"发布机构：{item.org.name}", f"发布日期：{item.published}"]
        if item.doc_no:
            facts.append(f"文号：{item.doc_no}")
        facts.append(f"索引号：{item.index_no}")
        summary = item.el.get("摘要") or ""
        _sub(entry, "summary", ("　".join(facts) + ("\n" + summary if summary else "")))
    ET.register_namespace("", ATOM)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def feeds(site: Site) -> Iterator[Feed]:
    cfg = site.config
    yield Feed("feed.xml", f"{cfg.title}{cfg.subtitle}", "/", site.published)
    for stage, slug in STAGE_SLUGS.items():
        items = [i for i in site.published if i.stage == stage]
        yield Feed(f"stage/{slug}/feed.xml", f"{cfg.title} · {stage}公开", f"/stage/{slug}/", items)
    for domain in site.catalog.domains:
        items = [i for i in site.published if i.domain is domain]
        yield Feed(f"domain/{domain.slug}/feed.xml", f"{cfg.title} · {domain.name}", domain.url, items)
