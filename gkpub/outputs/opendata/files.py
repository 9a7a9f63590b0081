"""Open-data files under /data/: the catalogue as JSON, CSV and XLSX, and the items as JSON.

Everything comes from ``Site.published`` and the catalogue; bytes depend only on the
content (no build time anywhere), so two builds of the same content are identical.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
from typing import Any

from gkpub.content.catalog_table import COLUMNS, ELEMENT_COLUMNS, catalog_rows, element_value
from gkpub.content.model import Item, Site
from gkpub.content.schema import FIELDS
from gkpub.store.memo import Memo

# Keys that say how an item is handled internally rather than what it discloses.
INTERNAL_KEYS = ("草稿", "附件", "不公开理由", "复核日期")  # the last two: the yearly review (report review)
# Keys holding another item's 索引号: kept only when that item is published too.
LINK_KEYS = ("解读", "意见反馈")
XLSX_WIDTHS = {"序号": 6, "公开内容(要素)": 30, "公开依据": 40, "公开时限": 24, "公开主体": 22,
               "公开渠道和载体": 24, "领域说明": 30}


def content_time(site: Site) -> dt.datetime:
    """The time stamped into files that need one: the newest published item's date."""
    newest = max((i.published for i in site.published), default=dt.date(2000, 1, 1))
    return dt.datetime(newest.year, newest.month, newest.day)


def _default(o: Any) -> Any:
    if isinstance(o, dt.date):
        return o.isoformat()
    raise TypeError(type(o).__name__)


def _json(data: Any) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=1, default=_default) + "\n").encode("utf-8")


def _indented(value: Any, level: int, memo: Memo) -> str:
    """json.dumps(value, indent=1) as it appears ``level`` deep in an indented document.

    Indenting is Python code in the json module (10k records: ~0.5 s); the value's repr (C code,
    and it tells a date from its text) keys the indented text in ``memo``. The values are
    str, int, bool, date and lists and dicts of them, whose repr shows all they hold. Strings
    never hold a raw newline, so indenting deeper only adds spaces after each one."""
    return memo.get(repr(value), lambda: json.dumps(value, ensure_ascii=False, indent=1, default=_default)
                    .replace("\n", "\n" + " " * level))


def catalog_json(site: Site, memo: Memo) -> bytes:
    counts: dict[int, int] = {}
    for item in site.published:
        counts[id(item.leaf)] = counts.get(id(item.leaf), 0) + 1
    url = site.config.url
    domains = []
    for d in site.catalog.domains:
        matters = []
        for m in d.matters:
            leaves = []
            for leaf in m.leaves:
                entry: dict[str, Any] = {"名称": leaf.name, "代码": leaf.code, "网址": url(leaf.url)}
                for key in ELEMENT_COLUMNS.values():
                    value = element_value(leaf, key)
                    if value is not None:
                        entry[key] = value
                entry["已发布信息数"] = counts.get(id(leaf), 0)
                leaves.append(entry)
            matters.append({"名称": m.name, "代码": m.code, "网址": url(m.url), "公开内容": leaves})
        domains.append({"领域": d.name, "代码": d.slug, "类别": d.category, "说明": d.description,
                        "网址": url(d.url), "事项": matters})
    return _json({"网站": site.config.title, "标准目录": domains})


def catalog_csv(site: Site, memo: Memo) -> bytes:
    """UTF-8 with a byte-order mark so that Excel opens it with the right encoding."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in catalog_rows(site.catalog):
        writer.writerow([row[c] for c in COLUMNS])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def catalog_xlsx(site: Site, memo: Memo) -> bytes:
    rows = [[row[c] for c in COLUMNS] for row in catalog_rows(site.catalog)]
    stamp = content_time(site)

    def make() -> bytes:
        from gkpub.outputs.opendata.xlsx import (
            table_workbook,
            workbook_bytes,
        )  # openpyxl takes 0.2 s to import: only when needed
        return workbook_bytes(table_workbook("标准目录", COLUMNS, rows, XLSX_WIDTHS), stamp)
    return memo.get(repr(("catalog.xlsx", rows, stamp)), make)  # repr: a date and its text differ


# The schema's keys an item record takes from Item.el, in schema order, and whether each is a link.
_RECORD_KEYS = tuple((f.key, f.key in LINK_KEYS) for f in FIELDS if f.key not in INTERNAL_KEYS
                     and f.key not in ("索引号", "标题", "网址", "领域", "事项", "公开内容"))


def item_record(item: Item, site: Site, published_index: set[str]) -> dict[str, Any]:
    url = site.config.url
    rec: dict[str, Any] = {"索引号": item.index_no, "标题": item.title, "网址": url(item.url),
                           "领域": item.domain.name, "事项": item.matter.name, "公开内容": item.leaf.name}
    el = item.el
    for key, link in _RECORD_KEYS:
        value = el.get(key)
        if link and value not in published_index:
            continue
        if value not in (None, "", []):
            rec[key] = value
    rec["有效性"] = item.validity(site.today)
    rec["附件"] = [{"名称": a.name, "网址": url(a.url)} for a in item.attachments]
    return rec


def items_json(site: Site, memo: Memo) -> bytes:
    """_json({"网站": title, "信息": records}), each record's text taken from ``memo`` if known."""
    published_index = {i.index_no for i in site.published}
    records = [_indented(item_record(i, site, published_index), 2, memo) for i in site.published]
    title = json.dumps(site.config.title, ensure_ascii=False)
    listed = "[\n  " + ",\n  ".join(records) + "\n ]" if records else "[]"
    return f'{{\n "网站": {title},\n "信息": {listed}\n}}\n'.encode()
