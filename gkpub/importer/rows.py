"""Read the data rows of one sheet into leaf records; every row is read or reported.

A row that is entirely empty is no data. A row whose filled cells all hold the same
text (a title or note merged across the table) is reported as a note and skipped.
Any other row becomes a leaf or an error naming its row number.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from gkpub.content.catalog_table import split_cell
from gkpub.content.config import SiteConfig
from gkpub.content.elements import ElementError, check_element
from gkpub.content.periods import parse_update_period
from gkpub.content.schema import FIELD_BY_KEY
from gkpub.importer import values as V
from gkpub.importer.headers import (
    DOMAIN,
    DOMAIN_CODE,
    DOMAIN_NOTE,
    IGNORED_HEADERS,
    LEAF,
    LEAF_CODE,
    MATTER,
    MATTER_CODE,
    SKIP,
    Header,
    norm,
    resolve_levels,
)
from gkpub.importer.sheets import Sheet
from gkpub.rules.timelimits import parse_time_limit
from gkpub.util.errors import ErrorList

FILL_DOWN = (DOMAIN, MATTER, "类别")  # hierarchy columns: a blank cell repeats the row above
NAME_ROLES = (DOMAIN, MATTER, LEAF, DOMAIN_CODE, MATTER_CODE, LEAF_CODE, DOMAIN_NOTE)
LIST_KEYS = ("要素", "公开依据")


@dataclass
class LeafRecord:
    where: str  # file[sheet], for messages
    row: int  # 1-based row in the sheet
    domain: str
    matter: str
    name: str
    codes: dict[str, str]  # 领域代码 / 事项代码 / 公开内容代码 / 领域说明 when the sheet has them
    elements: dict[str, Any]
    inferred_stage: bool = False


@dataclass
class SheetResult:
    records: list[LeafRecord] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


class RowReader:
    def __init__(self, where: str, sheet: Sheet, header: Header, cfg: SiteConfig, errors: ErrorList,
                 domain: str | None, stage: str | None):
        resolve_levels(header)
        self.where, self.sheet, self.header, self.cfg, self.errors = where, sheet, header, cfg, errors
        self.domain, self.stage = domain, stage
        self.check_orgs = bool(cfg.orgs)
        self.unread_limits: list[int] = []  # rows whose 公开时限 cannot be parsed (kept as written)

    def _error(self, row: int, key: str, message: str) -> None:
        self.errors.add(self.where, row, key, message)

    def _element(self, key: str, raw: Any, row: int) -> Any:
        """Validate with the catalogue's own rules; None (and an error) when it fails."""
        if key == "公开主体" and not self.check_orgs:
            return raw
        try:
            return check_element(FIELD_BY_KEY[key], raw, self.cfg)
        except ElementError as exc:
            self._error(row, key, str(exc))
            return None

    def _text_value(self, key: str, text: str) -> Any:
        if key in LIST_KEYS:
            return split_cell(key, text)
        if key == "过程":
            return V.stage(text)
        if key == "事项类型":
            return V.matter_type(text)
        if key in V.SINGLE_VALUED:
            picked = V.options(key, text) if V.has_marks(text) else [V.canonical(key, text)]
            return V.single(key, picked)
        if key in V.ALIASES:
            return V.options(key, text)
        return text

    def read(self, result: SheetResult) -> None:
        last: dict[str, str] = {}
        for r in range(self.header.data_start, len(self.sheet.rows)):
            cells = self.sheet.rows[r]
            filled = [v for v in cells if v]
            if not filled:
                continue
            if len(filled) >= 3 and len(set(filled)) == 1:
                result.notes.append(f"{self.where} 第 {r + 1} 行是标题或说明行（「{filled[0][:30]}」），已跳过")
                continue
            record = self._row(r + 1, cells, last)
            if record is not None:
                result.records.append(record)

    def _row(self, row: int, cells: list[str], last: dict[str, str]) -> LeafRecord | None:
        n_before = len(self.errors)
        names: dict[str, str] = {}
        texts: dict[str, str] = {}
        ticked: dict[str, list[str]] = {}
        for col in self.header.columns:
            value = cells[col.index] if col.index < len(cells) else ""
            if col.role in (SKIP, "") or norm(col.header) in IGNORED_HEADERS:
                continue
            if col.option:
                try:
                    if V.is_checked(value):
                        ticked.setdefault(col.role, []).append(V.canonical(col.role, col.option))
                except ValueError as exc:
                    self._error(row, col.header, str(exc))
                continue
            if col.role in FILL_DOWN:
                value = value or last.get(col.role, "")
                last[col.role] = value
            if col.role in NAME_ROLES:
                names[col.role] = value
            elif value:
                texts[col.role] = value
        domain = names.get(DOMAIN) or self.domain or ""
        for role, label in ((MATTER, "二级事项（事项）"), (LEAF, "公开内容（三级事项）")):
            if not names.get(role):
                self._error(row, role, f"缺少{label}名称")
        if not domain:
            self._error(row, DOMAIN, "缺少领域名称；表中没有领域列时，请用 --domain 指定")

        elements: dict[str, Any] = {}
        for key, text in texts.items():
            try:
                value = self._text_value(key, text)
            except ValueError as exc:
                self._error(row, key, str(exc))
                continue
            if value not in (None, "", []):
                elements[key] = value
        for key, picked in ticked.items():  # checkbox sub-columns (a text column of the same key is ignored)
            chosen = V.single(key, picked) if key in V.SINGLE_VALUED else list(dict.fromkeys(picked))
            if chosen:
                elements[key] = chosen
        inferred = False
        if "过程" not in elements:
            guess = V.infer_stage(names.get(LEAF, ""), names.get(MATTER, "")) or self.stage
            if guess is None:
                self._error(row, "过程", "缺少过程，也无法从名称推断；请在表中加「过程」列，或用 --stage 指定")
            else:
                elements["过程"], inferred = guess, True
        for key in list(elements):
            if key in FIELD_BY_KEY:
                checked = self._element(key, elements[key], row)
                if checked is None:
                    del elements[key]
                else:
                    elements[key] = checked
        if "公开主体" not in elements and len(self.errors) == n_before:
            self._error(row, "公开主体", "缺少公开主体")
        if "更新周期" in elements:
            try:
                parse_update_period(elements["更新周期"])
            except ValueError as exc:
                self._error(row, "更新周期", str(exc))
        if len(self.errors) > n_before:
            return None
        if "公开时限" in elements:
            try:
                parse_time_limit(elements["公开时限"])
            except ValueError:
                self.unread_limits.append(row)
        codes = {k: names[k] for k in (DOMAIN_CODE, MATTER_CODE, LEAF_CODE, DOMAIN_NOTE) if names.get(k)}
        return LeafRecord(where=self.where, row=row, domain=domain, matter=names[MATTER], name=names[LEAF],
                          codes=codes, elements=elements, inferred_stage=inferred)


def read_sheet(where: str, sheet: Sheet, header: Header, cfg: SiteConfig, errors: ErrorList,
               domain: str | None, stage: str | None) -> SheetResult:
    result = SheetResult()
    reader = RowReader(where, sheet, header, cfg, errors, domain, stage)
    for col in header.columns:
        if norm(col.header) in IGNORED_HEADERS:
            why = IGNORED_HEADERS[norm(col.header)]
            result.notes.append(f"{where} 的「{col.header}」列未导入" + (f"（{why}）" if why else ""))
        elif col.role == "":
            result.notes.append(f"{where} 的「{col.header}」列不认识，未导入")
    if not header.by_role(DOMAIN) and domain is None:
        reader.domain = sheet.name
        result.notes.append(f"{where} 没有领域列，领域取自工作表名称「{sheet.name}」（可用 --domain 指定）")
    reader.read(result)
    limit_rows = reader.unread_limits
    if limit_rows:
        rows = "、".join(map(str, limit_rows[:10])) + ("等" if len(limit_rows) > 10 else "")
        result.notes.append(f"{where} 第 {rows} 行的公开时限无法识别，已照原文导入；gkpub check 会提示无法计算期限")
    inferred = [r for r in result.records if r.inferred_stage]
    if inferred:
        result.notes.append(f"{where} 有 {len(inferred)} 行没有填写过程，"
                            "已按名称推断（目录文件中标有「推断」），请核对")
    return result
