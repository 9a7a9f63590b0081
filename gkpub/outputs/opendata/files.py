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


def _json(data: Any) -> bytes:
    def default(o: Any) -> Any:
        if isinstance(o, dt.date):
            return o.isoformat()
        raise TypeError(type(o).__name__)
    return (json.dumps(data, ensure_ascii=False, indent=1, default=default) + "\n").encode("utf-8")


def catalog_json(site: Site) -> bytes:
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


def catalog_csv(site: Site) -> bytes:
    """UTF-8 with a byte-order mark so that Excel opens it with the right encoding."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in catalog_rows(site.catalog):
        writer.writerow([row[c] for c in COLUMNS])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def catalog_xlsx(site: Site) -> bytes:
    from gkpub.outputs.opendata.xlsx import (
        table_workbook,
        workbook_bytes,
    )  # openpyxl takes 0.2 s to import: only when needed

    rows = [[row[c] for c in COLUMNS] for row in catalog_rows(site.catalog)]
    wb = table_workbook("标准目录", COLUMNS, rows, XLSX_WIDTHS)
    return workbook_bytes(wb, content_time(site))


def item_record(item: Item, site: Site, published_index: set[str]) -> dict[str, Any]:
    url = site.config.url
    rec: dict[str, Any] = {"索引号": item.index_no, "标题": item.title, "网址": url(item.url),
                           "领域": item.domain.name, "事项": item.matter.name, "公开内容": item.leaf.name}
    for fld in FIELDS:
        if fld.key in rec or fld.key in INTERNAL_KEYS:
            continue
        value = item.el.get(fld.key)
        if fld.key in LINK_KEYS and value not in published_index:
            continue
        if value not in (None, "", []):
            rec[fld.key] = value
    rec["有效性"] = item.validity(site.today)
    rec["附件"] = [{"名称": a.name, "网址": url(a.url)} for a in item.attachments]
    return rec


def items_json(site: Site) -> bytes:
    published_index = {i.index_no for i in site.published}
    records = [item_record(i, site, published_index) for i in site.published]
    return _json({"网站": site.config.title, "信息": records})
