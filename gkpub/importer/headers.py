"""Find the header of a catalogue sheet and say what each column holds.

Three sheet styles are known (names compared after NFKC, without spaces):
- gkpub's own export (catalog.xlsx / catalog.csv): 一级事项(领域), 二级事项,
  三级事项(公开内容), 公开内容(要素), … and its extra columns;
- the 梳理表: 一级目录, 二级目录, 三级目录, 过程, 项目类别, 公开标准, 公开依据, 公开主体,
  公开方式, 公开时限, 公开格式, 监督方式;
- DB31/T 1297 and the national guidance tables: 类别, 一级事项, 二级事项, 公开内容(要素),
  公开依据, 公开时限, 公开主体, 公开渠道和载体, 公开对象, 公开方式, 公开层级.

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
}
# Columns a catalogue sheet has that gkpub keeps elsewhere or not at all: named in a note.
IGNORED_HEADERS: dict[str, str] = {
    "监督方式": "监督电话在 site.toml 的 supervision_phone 中配置",
    "咨询方式": "咨询电话在 site.toml 的 [[org]] phone 中配置",
    "备注": "",
}
GROUP_HEADERS = ("公开事项",)  # a merged title over 一级事项 | 二级事项
CHECKBOX_KEYS = ("公开方式", "公开对象", "公开层级", "公开格式", "公开渠道")


def norm(text: str) -> str:
    s = unicodedata.normalize("NFKC", text)
    return re.sub(r"[\s*:：]", "", s)


def role_of(text: str) -> str | None:
    return HEADER_ROLES.get(norm(text))


@dataclass(frozen=True)
class Column:
    index: int
    header: str  # as written (sub-column: 「公开方式/主动」)
    role: str  # a HEADER_ROLES value, SKIP, or "" for an unknown column
    option: str = ""  # for a checkbox sub-column: the option it ticks (主动, 县级, …)


@dataclass
class Header:
    first_row: int  # 0-based index of the header's first row
    rows: int  # 1 or 2
    columns: list[Column]

    @property
    def data_start(self) -> int:
        return self.first_row + self.rows

    def by_role(self, role: str) -> list[Column]:
        return [c for c in self.columns if c.role == role]


def _score(row: list[str]) -> int:
    return sum(1 for v in row if v and (role_of(v) is not None or norm(v) in IGNORED_HEADERS))


def _is_sub_row(top: list[str], sub: list[str]) -> bool:
    """Is ``sub`` the second row of a two-row header under ``top``?"""
    for c, value in enumerate(sub):
        if not value or value == top[c]:
            continue
        spans = (c > 0 and top[c - 1] == top[c]) or (c + 1 < len(top) and top[c + 1] == top[c])
        top_role = role_of(top[c])
        if spans and (top_role in CHECKBOX_KEYS or norm(top[c]) in GROUP_HEADERS):
            return True
        if role_of(value) is not None and norm(top[c]) in GROUP_HEADERS:
            return True
    return False


def _filled_right(top: list[str], sub: list[str]) -> list[str]:
    """CSV has no merges: a blank header cell above a filled one continues its left neighbour."""
    out = list(top)
    for c in range(1, len(out)):
        if not out[c] and c < len(sub) and sub[c] and out[c - 1]:
            out[c] = out[c - 1]
    return out


def find_header(sheet: Sheet, look: int = 15) -> Header | None:
    """The header of ``sheet``, or None when no row names at least three known columns."""
    candidates = [(r, _score(sheet.rows[r])) for r in range(min(look, len(sheet.rows)))]
    best = max(candidates, key=lambda rc: (rc[1], -rc[0]), default=(0, 0))
    if best[1] < 3:
        return None
    r = best[0]
    if r > 0 and _is_sub_row(_filled_right(sheet.rows[r - 1], sheet.rows[r]), sheet.rows[r]):
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
                columns.append(Column(c, f"{t}/{s}", t_role, option=norm(s)))
                continue
            if role_of(s) is not None or norm(s) in IGNORED_HEADERS:
                t = s
            else:
                t = f"{t}/{s}" if t else s
        columns.append(Column(c, t, role_of(t) or ("" if t else SKIP)))
    return Header(first_row=r, rows=2 if two else 1, columns=columns)


def resolve_levels(header: Header) -> None:
    """一级/二级 → 领域/事项 when the sheet has a third level, else → 事项/公开内容."""
    three = bool(header.by_role(LEAF))
    mapping = {LEVEL1: DOMAIN if three else MATTER, LEVEL2: MATTER if three else LEAF}
    header.columns = [Column(c.index, c.header, mapping.get(c.role, c.role), c.option)
                      for c in header.columns]
