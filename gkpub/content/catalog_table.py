"""The 标准目录 as a flat table: one row per leaf, in the standard's column order.

Used by catalog.csv and catalog.xlsx, and read back by `gkpub import catalog`
(the round trip export → import gives the same catalogue). After the standard's
columns come gkpub's own (类别, 更新周期, the URL codes, 领域说明): with them the
round trip keeps what the standard has no column for.

Cells: 公开内容(要素) is a numbered list, one element per line («1. 补贴对象»);
公开依据 has one basis per line; the other lists are joined with 「、」. An element
the leaf leaves out is written with the value every item gets by default
(公开对象 全社会, 公开方式 主动公开, …), so the table reads as the standard does.
"""
from __future__ import annotations

import re

from gkpub.content.model import Catalog, Leaf
from gkpub.content.schema import FIELD_BY_KEY

STANDARD_COLUMNS: tuple[str, ...] = (
    "序号", "一级事项(领域)", "二级事项", "三级事项(公开内容)", "公开内容(要素)", "过程", "事项类型",
    "事项编码", "公开依据", "公开时限", "公开主体", "公开渠道和载体", "公开对象", "公开方式",
    "公开层级", "公开格式",
)
EXTRA_COLUMNS: tuple[str, ...] = ("类别", "更新周期", "领域代码", "事项代码", "公开内容代码", "领域说明")
COLUMNS: tuple[str, ...] = STANDARD_COLUMNS + EXTRA_COLUMNS

# table column → leaf element key, for the columns that hold an element
ELEMENT_COLUMNS: dict[str, str] = {
    "公开内容(要素)": "要素", "过程": "过程", "事项类型": "事项类型", "事项编码": "事项编码",
    "公开依据": "公开依据", "公开时限": "公开时限", "公开主体": "公开主体", "公开渠道和载体": "公开渠道",
    "公开对象": "公开对象", "公开方式": "公开方式", "公开层级": "公开层级", "公开格式": "公开格式",
    "类别": "类别", "更新周期": "更新周期",
}
LINE_LISTS = ("公开依据",)  # one entry per line: titles may contain 「、」
NUMBERED_LISTS = ("要素",)

_NUMBER_RE = re.compile(r"(?:^|(?<=[\s；;。，,、）)》]))[（(]?\d{1,2}[.．、)）]\s*")


def element_value(leaf: Leaf, key: str) -> object:
    """The leaf's element, or the default every item of the leaf gets."""
    if key in leaf.elements and leaf.elements[key] is not None:
        return leaf.elements[key]
    fld = FIELD_BY_KEY.get(key)
    return fld.default if fld is not None and fld.default not in (None, []) else None


def join_cell(key: str, value: object) -> str:
    if value is None:
        return ""
    if not isinstance(value, list):
        return str(value)
    if key in NUMBERED_LISTS:
        return "\n".join(f"{n}. {v}" for n, v in enumerate(value, start=1))
    return ("\n" if key in LINE_LISTS else "、").join(value)


def split_cell(key: str, text: str) -> list[str]:
    """The inverse of join_cell, lenient with what catalogue sheets contain: numbered
    runs («1.政策依据 2.服务对象»), lines and 「；」; 「、，,」 too for the short lists, and
    for 要素 written without numbers (「政策依据、服务对象」)."""
    text = text.strip()
    if not text:
        return []
    parts = [text]
    if key in NUMBERED_LISTS or key in LINE_LISTS:
        parts = _NUMBER_RE.split(text)
    long_entries = key in LINE_LISTS or (key in NUMBERED_LISTS and len(parts) > 1)
    seps = r"[\n；;]" if long_entries else r"[\n；;、，,]"
    out: list[str] = []
    for part in parts:
        out += [p.strip().rstrip("。；;，,").strip() for p in re.split(seps, part)]
    return [p for p in out if p]


def catalog_rows(catalog: Catalog) -> list[dict[str, str]]:
    """One dict per leaf, keyed by COLUMNS, every value a string."""
    rows: list[dict[str, str]] = []
    for n, leaf in enumerate(catalog.leaves, start=1):
        row = {
            "序号": str(n), "一级事项(领域)": leaf.domain.name, "二级事项": leaf.matter.name,
            "三级事项(公开内容)": leaf.name, "领域代码": leaf.domain.slug, "事项代码": leaf.matter.code,
            "公开内容代码": leaf.code, "领域说明": leaf.domain.description,
        }
        for column, key in ELEMENT_COLUMNS.items():
            row[column] = join_cell(key, element_value(leaf, key))
        rows.append({c: row.get(c, "") for c in COLUMNS})
    return rows
