"""Find the header of a catalogue sheet and say what each column holds.

Three sheet styles are known (names compared after NFKC, without spaces):
- gkpub's own export (catalog.xlsx / catalog.csv): 一级事项(领域), 二级事项,
  三级事项(公开内容), 公开内容(要素), … and its extra columns;
- the 梳理表: 一级目录, 二级目录, 三级目录, 过程, 项目类别, 公开标准, 公开依据, 公开主体,
  公开方式, 公开时限, 公开格式, 监督方式;
- DB31/T 1297 and the national guidance tables: 类别, 一级事项, 二级事项, 公开内容(要素),
  公开依据, 公开时限, 公开主体, 公开渠道和载体, 公开对象, 公开方式, 公开层级.

Headers are matched as the seeds' templates print them: line breaks and (full-width)
spaces inside a cell, full-width punctuation and brackets (【】〔〕 as （）), and a
parenthesized qualifier after the name: 「一级目录（事项类别）」 is 一级目录, 「公开时限
（工作日）」 is 公开时限. A few qualified names mean something else than their base and are
listed whole: 「公开方式（载体）」 is the 梳理表's publication platform (公开渠道和载体), not
主动/依申请. A plain 公开方式 column is read by its cells (rows.py): 主动/依申请 are the
mode, anything else a channel.

Levels: when the sheet has a third level (三级目录 / 三级事项), 一级 is the domain (领域),
二级 the matter, 三级 the content element (leaf). Without one, as in DB31 tables
(one table per domain), 一级事项 is the matter and 二级事项 the leaf; the domain is
a 领域 column, ``--domain``, or the sheet's name.

A header may take two rows: a group merged across sub-columns (公开方式 over
主动 | 依申请, 公开层级 over 县级 | 乡级, 公开事项 over 一级事项 | 二级事项). Sub-columns
of 公开方式, 公开对象, 公开层级, 公开格式 and 公开渠道 are checkbox columns: ■ √ ✓ ☑
是 mean ticked, □ ☐ 否 or empty mean not.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from gkpub.importer.sheets import Sheet

# roles of the hierarchy and gkpub's code columns
DOMAIN, MATTER, LEAF = "领域", "事项", "公开内容"
LEVEL1, LEVEL2 = "一级", "二级"  # resolved to DOMAIN/MATTER or MATTER/LEAF per sheet
DOMAIN_CODE, MATTER_CODE, LEAF_CODE, DOMAIN_NOTE = "领域代码", "事项代码", "公开内容代码", "领域说明"
SKIP = "skip"
IGNORE = "ignore"  # a column gkpub knows and leaves out (IGNORED_HEADERS says why)

HEADER_ROLES: dict[str, str] = {
    "序号": SKIP,
    "一级事项(领域)": DOMAIN, "领域": DOMAIN, "一级目录": DOMAIN, "领域名称": DOMAIN,
    "一级事项": LEVEL1, "二级事项": LEVEL2, "事项名称": MATTER, "二级目录": MATTER,
    "三级事项(公开内容)": LEAF, "三级事项": LEAF, "三级目录": LEAF,
    "公开内容(要素)": "要素", "公开内容": "要素", "要素": "要素", "公开标准": "要素",
    "过程": "过程", "五公开": "过程", "公开环节": "过程",
    "事项类型": "事项类型", "项目类别": "事项类型",
    "事项编码": "事项编码", "公开依据": "公开依据", "公开时限": "公开时限", "公开主体": "公开主体",
    "公开渠道和载体": "公开渠道", "公开渠道": "公开渠道", "公开载体": "公开渠道",
    "公开对象": "公开对象", "公开方式": "公开方式", "公开层级": "公开层级", "公开格式": "公开格式",
    "类别": "类别", "更新周期": "更新周期",
    "领域代码": DOMAIN_CODE, "事项代码": MATTER_CODE, "公开内容代码": LEAF_CODE, "领域说明": DOMAIN_NOTE,
    # issue 14 part T3: spellings of the sheets in the field
    "公开渠道及载体": "公开渠道", "公开渠道、载体": "公开渠道", "公开载体和渠道": "公开渠道", "公开平台": "公开渠道",
    "公开方式(载体)": "公开渠道", "公开方式(渠道)": "公开渠道", "公开方式(平台)": "公开渠道",
    "公开方式(载体、平台)": "公开渠道", "公开方式和载体": "公开渠道", "公开方式及载体": "公开渠道",
    "公开范围": "公开对象", "公开形式": "公开格式", "事项类别(类型)": "事项类型",
}
# Columns a catalogue sheet has that gkpub keeps elsewhere or not at all: named in a note.
IGNORED_HEADERS: dict[str, str] = {
    "监督方式": "监督电话在 site.toml 的 supervision_phone 中配置",
    "咨询方式": "咨询电话在 site.toml 的 [[org]] phone 中配置",
    "备注": "",
    "监督电话": "监督电话在 site.toml 的 supervision_phone 中配置",
    "监督渠道": "监督电话在 site.toml 的 supervision_phone 中配置",
    "咨询电话": "咨询电话在 site.toml 的 [[org]] phone 中配置",
}
GROUP_HEADERS = ("公开事项", "公开目录", "目录")  # a merged title over 一级事项 | 二级事项 (| 三级…)
CHECKBOX_KEYS = ("公开方式", "公开对象", "公开层级", "公开格式", "公开渠道")


def norm(text: str) -> str:
    s = unicodedata.normalize("NFKC", text)
    return re.sub(r"[\s*:：]", "", s)


_BRACKETS = str.maketrans({"【": "(", "】": ")", "〔": "(", "〕": ")", "[": "(", "]": ")", "〈": "(", "〉": ")"})
_QUALIFIED = re.compile(r"^(.+?)\((.+)\)$")


def header_norm(text: str) -> str:
    """A header cell for lookup: ``norm`` with every bracket as () and stray end punctuation off."""
    return norm(text).translate(_BRACKETS).strip("、，,。.;；")


def header_name(text: str) -> str | None:
    """The known header ``text`` names, as a key of HEADER_ROLES, IGNORED_HEADERS or GROUP_HEADERS.

    Whole names first (「公开方式（载体）」 is its own entry), then the name before a trailing
    parenthesized qualifier, then the qualifier itself («（事项类别）» alone names nothing)."""
    s = header_norm(text)
    if s.startswith("(") and s.endswith(")") and s.count("(") == 1:
        s = s[1:-1]  # 【公开依据】
    known = lambda k: k in HEADER_ROLES or k in IGNORED_HEADERS or k in GROUP_HEADERS
    if known(s):
        return s
    m = _QUALIFIED.match(s)
    if m:
        for part in (m.group(1), m.group(2)):
            if known(part):
                return part
    return None


def role_of(text: str) -> str | None:
    name = header_name(text)
    if name is None or name in GROUP_HEADERS:
        return None
    return IGNORE if name in IGNORED_HEADERS else HEADER_ROLES[name]


def is_group(text: str) -> bool:
    return header_name(text) in GROUP_HEADERS


def shown(text: str) -> str:
    """A header as written, on one line (cells break long names over lines)."""
    return re.sub(r"\s+", "", text)


@dataclass(frozen=True)
class Column:
    index: int
    header: str  # as written, without line breaks (sub-column: 「公开方式/主动」)
    role: str  # a HEADER_ROLES value, SKIP, or "" for an unknown column
    option: str = ""  # for a checkbox sub-column: the option it ticks (主动, 县级, …)


@dataclass
class Header:
    first_row: int  # 0-based index of the header's first row
    rows: int  # 1 or 2
    columns: list[Column]
    end: int = -1  # 0-based index past the last data row (-1: the end of the sheet)

    @property
    def data_start(self) -> int:
        return self.first_row + self.rows

    def by_role(self, role: str) -> list[Column]:
        return [c for c in self.columns if c.role == role]


def _score(row: list[str]) -> int:
    return sum(1 for v in row if v and role_of(v) is not None)


def _is_sub_row(top: list[str], sub: list[str]) -> bool:
    """Is ``sub`` the second row of a two-row header under ``top``?"""
    for c, value in enumerate(sub):
        if not value or value == top[c]:
            continue
        spans = (c > 0 and top[c - 1] == top[c]) or (c + 1 < len(top) and top[c + 1] == top[c])
        top_role = role_of(top[c])
        if spans and (top_role in CHECKBOX_KEYS or is_group(top[c])):
            return True
        if role_of(value) not in (None, IGNORE) and is_group(top[c]):
            return True
    return False


def _filled_right(top: list[str], sub: list[str]) -> list[str]:
    """CSV has no merges: a blank header cell above a filled one continues its left neighbour."""
    out = list(top)
    for c in range(1, len(out)):
        if not out[c] and c < len(sub) and sub[c] and out[c - 1]:
            out[c] = out[c - 1]
    return out


def _header_at(sheet: Sheet, r: int, floor: int) -> Header:
    """The header whose best-scoring row is ``r`` (its first row is never above ``floor``)."""
    if r > floor and _is_sub_row(_filled_right(sheet.rows[r - 1], sheet.rows[r]), sheet.rows[r]):
        r -= 1  # the best row is the second row of a two-row header
    sub = list(sheet.rows[r + 1]) if r + 1 < len(sheet.rows) else [""] * len(sheet.rows[r])
    top = _filled_right(sheet.rows[r], sub)
    two = _is_sub_row(top, sub)
    if not two:
        top = list(sheet.rows[r])
    columns: list[Column] = []
    for c, t in enumerate(top):
        s = sub[c] if two else ""
        if s and s != t:
            t_role = role_of(t)
            if t_role in CHECKBOX_KEYS:
                columns.append(Column(c, f"{shown(t)}/{shown(s)}", t_role, option=norm(s)))
                continue
            if role_of(s) is not None:
                t = s
            else:
                t = f"{t}/{s}" if t else s
        columns.append(Column(c, shown(t), role_of(t) or ("" if t else SKIP)))
    return Header(first_row=r, rows=2 if two else 1, columns=columns)


def find_header(sheet: Sheet, look: int = 15) -> Header | None:
    """The header of ``sheet``, or None when no row names at least three known columns."""
    candidates = [(r, _score(sheet.rows[r])) for r in range(min(look, len(sheet.rows)))]
    best = max(candidates, key=lambda rc: (rc[1], -rc[0]), default=(0, 0))
    if best[1] < 3:
        return None
    return _header_at(sheet, best[0], 0)


def find_headers(sheet: Sheet, look: int = 15) -> list[Header]:
    """Every header of ``sheet``: the first as ``find_header`` finds it, then each later row that
    names at least three known columns (a sheet of several tables, one per domain, repeats its
    header under each table's title). Each header's ``end`` is where the next one begins."""
    first = find_header(sheet, look)
    if first is None:
        return []
    headers = [first]
    r = first.data_start
    while r < len(sheet.rows):
        if _score(sheet.rows[r]) >= 3:
            nxt = _header_at(sheet, r, headers[-1].data_start)
            headers[-1].end = nxt.first_row
            headers.append(nxt)
            r = nxt.data_start
            continue
        r += 1
    headers[-1].end = len(sheet.rows)
    return headers


def resolve_levels(header: Header) -> None:
    """一级/二级 → 领域/事项 when the sheet has a third level, else → 事项/公开内容."""
    three = bool(header.by_role(LEAF))
    mapping = {LEVEL1: DOMAIN if three else MATTER, LEVEL2: MATTER if three else LEAF}
    header.columns = [Column(c.index, c.header, mapping.get(c.role, c.role), c.option)
                      for c in header.columns]
