"""Search records prepared from the model (``Site``), not read back from the written HTML.

One record per published item and per fixed page (指南, 制度, 年报, 联系我们). What a record's
words are made of is what a resident sees as the page's text: the title, the 文号, 索引号 and
发布机构 its header shows, the body and the names of the attachments, and the 关键词 (found by
them, but an excerpt never shows them: they are not on the page). The page keeps the visible
body text in ``meta.text`` to draw excerpts from it and to say where the query is; the index
itself holds the tokens of tokens.py.
"""
from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from gkpub.content.flow import FLOW_MARK
from gkpub.content.model import Item, Page, Site
from gkpub.content.pages import COLUMNS
from gkpub.outputs.search.tokens import index_tokens

ITEM_KIND = "公开信息"
CONTACT_KIND = "联系我们"
NO_FILE = "无附件"
HAS_DOC, NO_DOC = "有文号", "无文号"
_FILE_KINDS = {"PDF": "PDF", "DOC": "Word", "DOCX": "Word", "WPS": "Word", "OFD": "OFD", "XLS": "Excel",
               "XLSX": "Excel", "ET": "Excel", "CSV": "Excel", "JPG": "图片", "JPEG": "图片", "PNG": "图片",
               "GIF": "图片", "ZIP": "压缩包", "RAR": "压缩包", "7Z": "压缩包"}
_INLINE = r"a|abbr|b|bdi|bdo|cite|code|data|del|dfn|em|i|ins|kbd|mark|q|s|samp|small|span|strong|sub|sup|time|u|var"
_INLINE_TAG = re.compile(rf"</?(?:{_INLINE})(?:\s[^>]*)?>", re.I)
_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"[ \t\r\f\v]+")
_LINES = re.compile(r"\s*\n\s*")


def html_text(fragment: str) -> str:
    """The visible text of a rendered body: inline tags vanish, block tags end a line."""
    text = _TAG.sub("\n", _INLINE_TAG.sub("", fragment.replace(FLOW_MARK, "\n")))
    text = html.unescape(text)
    return _LINES.sub("\n", _SPACE.sub(" ", text)).strip()


@dataclass
class Record:
    url: str
    words: str  # the text the tokens are made of (title, metadata line, body, attachments)
    meta: dict[str, str]
    filters: dict[str, list[str]]

    def content(self) -> str:
        return " ".join(index_tokens(self.words))



def file_kinds(exts: list[str]) -> list[str]:
    kinds = sorted({_FILE_KINDS.get(e, e) for e in exts if e})
    return kinds or [NO_FILE]


def notices(item: Item, site: Site) -> list[str]:
    """The notes item.html shows above the body (已失效, 公示期, 删减说明, 本文解读), as text."""
    today, out = site.today, []
    if item.expired(today):
        end = item.el.get("废止日期") or item.el.get("有效期至")
        out.append(f"已失效：本文件{'已于' if item.el.get('废止日期') else '有效期至'} {end} "
                   f"{'废止' if item.el.get('废止日期') else '，现已失效'}，仅供查阅。")
    period = item.el.get("公示期")
    if period:
        state = "（已结束）" if period["结束"] < today else "（公示中）" if period["开始"] <= today else ""
        phone = item.org.supervision_phone or item.org.phone or site.config.supervision_phone
        out.append(f"公示期：{period['开始']} 至 {period['结束']}{state}。如有异议，请在公示期内向{item.org.name}反映"
                   f"{f'，电话 {phone}' if phone else ''}。")
    if item.attribute == "删减后公开":
        out.append(f"删减说明：{item.el.get('删减说明', '')}")
    if item.interprets:
        out.append(f"本文解读：{item.interprets.title}{item.interprets.doc_no}")
    return out


def item_record(item: Item, site: Site) -> Record:
    body = "\n".join(notices(item, site) + [html_text(item.html)])
    attachments = [a.name for a in item.attachments]
    keywords = [str(k) for k in item.el.get("关键词") or []]  # found by them, never shown in an excerpt
    words = "\n".join([item.title, item.doc_no, item.index_no, item.org.name, body, *attachments, *keywords])
    date = item.published.isoformat()
    filters = {
        "类型": [ITEM_KIND],
        "过程": [item.stage],
        "领域": [item.domain.name],
        "公开主体": [item.org.name],
        "发布年份": [str(item.published.year)],
        "有效性": [item.validity(site.today)],
        "索引号": [item.index_no],
        "文件类型": file_kinds([a.ext for a in item.attachments]),
        "有无文号": [HAS_DOC if item.doc_no else NO_DOC],
    }
    if item.doc_no:
        filters["文号"] = [item.doc_no]
    if item.el.get("事项类型"):
        filters["事项类型"] = [str(item.el["事项类型"])]
    meta = {"title": item.title, "date": date, "org": item.org.name, "text": body, "kind": ITEM_KIND,
            "stage": item.stage}
    if item.doc_no:
        meta["docno"] = item.doc_no
    return Record(url=item.url, words=words, meta=meta, filters=filters)


def page_record(page: Page) -> Record:
    body = html_text(page.html)
    kind = COLUMNS.get(page.column, page.column)
    words = "\n".join([page.title, page.org.name if page.org else "", body, *(a.name for a in page.attachments)])
    meta = {"title": page.title, "text": body, "kind": kind}
    filters: dict[str, list[str]] = {"类型": [kind], "文件类型": file_kinds([a.ext for a in page.attachments])}
    if page.published:
        meta["date"] = page.published.isoformat()
        filters["发布年份"] = [str(page.published.year)]
    if page.org:
        meta["org"] = page.org.name
        filters["公开主体"] = [page.org.name]
    return Record(url=page.url, words=words, meta=meta, filters=filters)


def contact_record(site: Site) -> Record:
    """联系我们 (/contact/): every 公开主体 with its address and phones, as the page lists them."""
    cfg = site.config
    lines = [f"主办单位 {cfg.identity.sponsor}" if getattr(cfg.identity, "sponsor", "") else "",
             cfg.address, cfg.phone, cfg.supervision_phone]
    for org in cfg.orgs:
        lines.append(" ".join(x for x in (org.name, org.address, org.phone, org.supervision_phone) if x))
    body = "\n".join(x for x in lines if x)
    return Record(url="/contact/", words="联系我们\n" + body, meta={"title": "联系我们", "text": body,
                                                                    "kind": CONTACT_KIND},
                  filters={"类型": [CONTACT_KIND], "文件类型": [NO_FILE]})


@dataclass
class Entry:
    """A record to be: its URL, a key that changes whenever the record would, and how to make it.

    The key is cheap (no HTML is read): the source file's fingerprint (file, attachments, body
    files), the site's inputs (site.toml and catalogue: names, orgs) and the day's validity.
    A shard's digest is over its keys, so a build finds its stale shards without preparing
    the records of the others."""

    url: str
    key: str
    make: Callable[[], Record]
    group: tuple[str, str, str] = ("_pages", "", "")  # 领域, 发布年份 and 事项 of an item, for its shard (shards.py)


def item_group(item: Item) -> tuple[str, str, str]:
    """(领域, 年份, 事项); the 领域's slug is already a folder-safe name (content/catalog.SLUG_RE)."""
    return item.domain.slug, str(item.published.year), item.matter.code


def _key(*parts: object) -> str:
    return hashlib.sha1("|".join(map(str, parts)).encode("utf-8")).hexdigest()


def site_entries(site: Site) -> list[Entry]:
    """Every record of the site, in URL order (the order they are given to Pagefind)."""
    ik = site.inputs_key
    out = [Entry(i.url, _key(i.url, i.fingerprint, ik, i.validity(site.today),
                             i.interprets.summary if i.interprets else ""),
                 partial(item_record, i, site), item_group(i)) for i in site.published]
    out += [Entry(p.url, _key(p.url, p.fingerprint, ik), partial(page_record, p)) for p in site.pages]
    out.append(Entry("/contact/", _key("/contact/", ik), partial(contact_record, site)))
    return sorted(out, key=lambda e: e.url)


def site_records(site: Site) -> list[Record]:
    return [e.make() for e in site_entries(site)]
