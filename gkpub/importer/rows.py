"""Read the data rows of one sheet into leaf records; every row is read or reported.

A row that is entirely empty is no data. A row whose filled cells all hold the same
text (a title or note merged across the table), or whose only cell is a note (说明…,
or a long sentence), is reported as a note and skipped; when such a title names a
domain («（二）社会救助领域基层政务公开标准目录», «一、养老服务») and the sheet has no
领域 column, the rows below it belong to that domain. Any other row becomes a leaf or
an error naming its row number. A cell 「同上」 repeats the cell above it.

Channels (公开渠道和载体) are never dropped: every entry of the cell — listed, or ticked
in a box list — maps to one of the site's channels or is an error for its row. The
梳理表's 公开方式 column may hold channels (its guide defines it as the platform): its
entries 主动/依申请 are the mode, the rest channels, read the same way.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from gkpub.content.catalog_table import split_cell
from gkpub.content.config import SiteConfig
from gkpub.content.elements import ElementError, check_element
from gkpub.content.periods import parse_update_period
from gkpub.content.schema import FIELD_BY_KEY, MODES
from gkpub.importer import values as V
from gkpub.importer.headers import (
    DOMAIN,
    DOMAIN_CODE,
    DOMAIN_NOTE,
    IGNORE,
    IGNORED_HEADERS,
    LEAF,
    LEAF_CODE,
    MATTER,
    MATTER_CODE,
    SKIP,
    Header,
    header_name,
    norm,
    resolve_levels,
)
from gkpub.importer.sheets import Sheet
from gkpub.rules.timelimits import parse_time_limit
from gkpub.util.errors import ErrorList, allowed_list, did_you_mean

FILL_DOWN = (DOMAIN, MATTER, "类别")  # hierarchy columns: a blank cell repeats the row above
NAME_ROLES = (DOMAIN, MATTER, LEAF, DOMAIN_CODE, MATTER_CODE, LEAF_CODE, DOMAIN_NOTE)
LIST_KEYS = ("要素", "公开依据")
CHANNEL_ROLES = ("公开方式", "公开渠道")  # text columns read entry by entry into mode and channels
DITTO = frozenset({"同上", "同上。", "〃", "\""})


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
    channels_in: int = 0  # channel entries the row's cells name (each maps to one channel or is an error)


@dataclass
class ImportContext:
    """What every sheet of one import shares."""

    cfg: SiteConfig
    errors: ErrorList
    domain: str | None = None  # --domain
    stage: str | None = None  # --stage
    add_orgs: bool = False  # --add-orgs: 公开主体 the site lacks are kept (and added to site.toml)
    new_orgs: dict[str, list[str]] = field(default_factory=dict)  # such a body → ["file[sheet]:row", …]


@dataclass
class SheetResult:
    records: list[LeafRecord] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


# ---------------------------------------------------------------- titles and notes

_ENUM_RE = re.compile(r"^(?:附件\d+|附表\d+|附录[A-Z\d]+|表\d+|[(][一二三四五六七八九十\d]+[)]"
                      r"|[一二三四五六七八九十]+[、.]|\d+[、.])[:、.]?")
_NOTE_START = ("注", "说明", "备注", "填表说明", "附注", "标准目录要素说明")


def domain_from_title(text: str, cfg: SiteConfig) -> str | None:
    """The domain a title row names, or None: «（二）测试区社会救助领域基层政务公开标准目录» →
    社会救助 (a domain of the site's vocabulary inside it, the longest), else the words before
    领域 without the site's own names, else a short enumerated heading («一、养老服务»)."""
    t = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
    enumerated = False
    while (m := _ENUM_RE.match(t)) and m.end() < len(t):
        t, enumerated = t[m.end():], True
    known = [d for d in cfg.domains if d in t]
    if known:
        return max(known, key=len)
    if "领域" in t:
        name = t.split("领域", 1)[0]
        prefixes = [cfg.district, cfg.city, *cfg.org_names, *(o.short for o in cfg.orgs),
                    *(tw.name for tw in cfg.townships)]
        for p in sorted((p for p in prefixes if p), key=len, reverse=True):
            name = name.removeprefix(p)
        return name or None
    if enumerated and len(t) <= 12 and not t.endswith(("目录", "表")):
        return t
    return None


def _title_text(cells: list[str]) -> str | None:
    """The text of a title or note row, or None for a row of data."""
    filled = [v for v in cells if v]
    if len(filled) >= 3 and len(set(filled)) == 1:
        return filled[0]
    return None


def _single_note(cells: list[str], cfg: SiteConfig) -> str | None:
    """A row whose only cell is a heading or a note (CSV has no merges to tell us)."""
    filled = [v for v in cells if v]
    if len(filled) != 1 or len(cells) < 4:
        return None
    text = filled[0]
    if domain_from_title(text, cfg) or text.startswith(_NOTE_START) or len(text) >= 30:
        return text
    return None


# ---------------------------------------------------------------- organizations

_MANY_RE = re.compile(r"[、，,；;/／\s]")
_GENERIC_WORDS = ("相关", "有关", "各", "等", "及其", "或", "级", "所在地", "属地", "部门")
_BARE_BODIES = frozenset({"街道办事处", "街道", "镇人民政府", "乡人民政府", "乡镇人民政府", "镇政府", "乡镇",
                          "村委会", "居委会", "村民委员会", "居民委员会", "村(居)委会", "村(社区)", "项目单位",
                          "建设单位", "招标人", "采购人", "学校", "医疗机构", "主管部门", "行业主管部门"})


def org_problem(name: str, cfg: SiteConfig) -> str | None:
    """Why ``name`` cannot be taken as a new body for site.toml (several, or none in particular)."""
    t = unicodedata.normalize("NFKC", name).strip()
    example = cfg.orgs[-1].name if cfg.orgs else "某区民政局"
    if _MANY_RE.search(t):
        return (f"「{name}」写了不止一个机关；一项公开内容写一个公开主体（牵头的机关），"
                "其他机关公开的内容可以另起一行")
    if t in _BARE_BODIES or any(w in t for w in _GENERIC_WORDS):
        return (f"「{name}」不是某一个机关的名称；公开主体要写具体机关的全称或简称，如「{example}」"
                "（site.toml 中 [[org]] 的 name 或 short）")
    return None


# ---------------------------------------------------------------- rows


class RowReader:
    def __init__(self, where: str, sheet: Sheet, header: Header, ctx: ImportContext,
                 title_domain: str | None = None):
        resolve_levels(header)
        self.where, self.sheet, self.header, self.ctx = where, sheet, header, ctx
        self.cfg, self.errors = ctx.cfg, ctx.errors
        self.title_domain = title_domain  # from the last domain title above the rows
        self.sheet_domain: str | None = None  # the sheet's name, when nothing else names the domain
        self.check_orgs = bool(self.cfg.orgs)
        self.unread_limits: list[int] = []  # rows whose 公开时限 cannot be parsed (kept as written)
        self.sheet_domain_rows = 0
        self.notes: list[str] = []

    def _error(self, row: int, key: str, message: str) -> None:
        self.errors.add(self.where, row, key, message)

    def _org(self, raw: str, row: int) -> str | None:
        try:
            return check_element(FIELD_BY_KEY["公开主体"], raw, self.cfg)
        except ElementError as exc:
            problem = org_problem(raw, self.cfg)
            if problem:
                self._error(row, "公开主体", problem)
                return None
            self.ctx.new_orgs.setdefault(raw.strip(), []).append(f"{self.where}:{row}")
            if self.ctx.add_orgs:
                return raw.strip()
            self._error(row, "公开主体", f"{exc}；表中新的机关可加 --add-orgs 写入 site.toml（见下方的 [[org]] 段）")
            return None

    def _element(self, key: str, raw: Any, row: int) -> Any:
        """Validate with the catalogue's own rules; None (and an error) when it fails."""
        if key == "公开主体":
            return self._org(raw, row) if self.check_orgs else raw
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

    def _channel_error(self, row: int, header: str, entry: str, with_modes: bool) -> None:
        allowed = self.cfg.channels
        hint = did_you_mean(entry, allowed + (MODES if with_modes else ()))
        what = "既不是公开方式（主动公开、依申请公开），也不是本站的公开渠道" if with_modes else "不是本站的公开渠道"
        self._error(row, header, f"「{entry}」{what}；{hint}可用：{allowed_list(allowed, 20)}。"
                                 "本站另有这个渠道的，请把它加到 site.toml [vocab] 的 channels 中")

    def _channels(self, row: int, header: str, role: str, text: str, modes: list[str],
                  channels: list[str]) -> int:
        """Read one 公开方式 / 公开渠道 text cell entry by entry; the number of entries."""
        try:
            entries = V.tokens(text)
        except ValueError as exc:
            self._error(row, header, str(exc))
            return 0
        for entry in entries:
            m = V.mode(entry)
            if m is not None:
                modes.append(m)
                continue
            value, left = V.channel(entry, self.cfg.channels)
            if value is None:
                self._channel_error(row, header, entry, role == "公开方式")
                continue
            if left:
                self.notes.append(f"{self.where} 第 {row} 行的公开渠道「{entry}」按「{value}」导入"
                                  f"（「{left}」未导入，可写在该项的说明中）")
            channels.append(value)
        return len(entries)

    def read(self, result: SheetResult, start: int, end: int) -> None:
        last: dict[str, str] = {}
        above: dict[int, str] = {}  # the last data row's raw cells, for 「同上」
        for r in range(start, end):
            cells = self.sheet.rows[r]
            if not any(cells):
                continue
            title = _title_text(cells) or _single_note(cells, self.cfg)
            if title is not None:
                named = domain_from_title(title, self.cfg)
                if named and not self.header.by_role(DOMAIN) and self.ctx.domain is None:
                    self.title_domain = named
                    last.pop(MATTER, None)  # a new table: its matters start afresh
                    above.clear()
                    result.notes.append(f"{self.where} 第 {r + 1} 行是标题「{title[:40]}」，"
                                        f"以下各行属于领域「{named}」")
                else:
                    result.notes.append(f"{self.where} 第 {r + 1} 行是标题或说明行（「{title[:30]}」），已跳过")
                continue
            record = self._row(r + 1, cells, last, above)
            if record is not None:
                result.records.append(record)

    def _row(self, row: int, cells: list[str], last: dict[str, str], above: dict[int, str]) -> LeafRecord | None:
        n_before = len(self.errors)
        names: dict[str, str] = {}
        texts: dict[str, list[tuple[str, str]]] = {}  # role → [(header, text)]
        ticked: dict[str, list[str]] = {}
        channels_in = 0
        for col in self.header.columns:
            value = cells[col.index] if col.index < len(cells) else ""
            if norm(value) in DITTO:
                if col.index not in above:
                    self._error(row, col.header, "写着「同上」，但上面没有可以沿用的行")
                    continue
                value = above[col.index]
            above[col.index] = value
            if col.role in (SKIP, "", IGNORE):
                continue
            if col.option:
                try:
                    if V.is_checked(value):
                        picked = self._option(row, col.role, col.header, col.option)
                        ticked.setdefault(col.role, []).extend(picked)
                        channels_in += col.role == "公开渠道"
                except ValueError as exc:
                    self._error(row, col.header, str(exc))
                continue
            if col.role in FILL_DOWN:
                value = value or last.get(col.role, "")
                last[col.role] = value
            if col.role in NAME_ROLES:
                names[col.role] = value
            elif value:
                texts.setdefault(col.role, []).append((col.header, value))
        domain = names.get(DOMAIN) or self.ctx.domain or self.title_domain or self.sheet_domain or ""
        if domain and domain == self.sheet_domain and not names.get(DOMAIN):
            self.sheet_domain_rows += 1
        for role, label in ((MATTER, "二级事项（事项）"), (LEAF, "公开内容（三级事项）")):
            if not names.get(role):
                self._error(row, role, f"缺少{label}名称")
        if not domain:
            self._error(row, DOMAIN, "缺少领域名称；表中没有领域列时，请用 --domain 指定")

        elements: dict[str, Any] = {}
        modes: list[str] = []
        channels: list[str] = []
        for key, cells_of_key in texts.items():
            for header, text in cells_of_key:
                if key in CHANNEL_ROLES:
                    channels_in += self._channels(row, header, key, text, modes, channels)
                    continue
                try:
                    value = self._text_value(key, text)
                except ValueError as exc:
                    self._error(row, key, str(exc))
                    continue
                if value not in (None, "", []):
                    elements[key] = value
        if modes:
            elements["公开方式"] = V.single("公开方式", modes)
        if channels:
            elements["公开渠道"] = list(dict.fromkeys(channels))
        for key, picked in ticked.items():  # checkbox sub-columns
            if key == "公开渠道":  # with a channel text column too: both count
                picked = list(dict.fromkeys(elements.get("公开渠道", []) + picked))
            chosen = V.single(key, picked) if key in V.SINGLE_VALUED else list(dict.fromkeys(picked))
            if chosen:
                elements[key] = chosen
        inferred = False
        if "过程" not in elements:
            guess = V.infer_stage(names.get(LEAF, ""), names.get(MATTER, "")) or self.ctx.stage
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
                          codes=codes, elements=elements, inferred_stage=inferred, channels_in=channels_in)

    def _option(self, row: int, role: str, header: str, option: str) -> list[str]:
        """The values a ticked sub-column stands for (乡、村级 → 街镇级, 村/社区)."""
        if role == "公开渠道":
            value, _ = V.channel(option, self.cfg.channels)
            if value is None:
                self._channel_error(row, header, option, False)
                return []
            return [value]
        return V.options(role, option) or [V.canonical(role, option)]


def read_sheet(where: str, sheet: Sheet, headers: list[Header], ctx: ImportContext) -> SheetResult:
    """Read every table of ``sheet`` (one per header found)."""
    result = SheetResult()
    if not headers:
        return result
    title_domain: str | None = None
    for r in range(headers[0].first_row):  # titles above the first table
        text = _title_text(sheet.rows[r]) or next((v for v in sheet.rows[r] if v), None)
        named = domain_from_title(text, ctx.cfg) if text else None
        if named and text:
            title_domain = named
            if not headers[0].by_role(DOMAIN) and ctx.domain is None:
                result.notes.append(f"{where} 第 {r + 1} 行是标题「{text[:40]}」，以下各行属于领域「{named}」")
    readers: list[RowReader] = []
    noted_columns: set[str] = set()
    for header in headers:
        reader = RowReader(where, sheet, header, ctx, title_domain)
        for col in header.columns:
            if col.header in noted_columns:
                continue
            noted_columns.add(col.header)
            if col.role == IGNORE:
                why = IGNORED_HEADERS[header_name(col.header) or ""]
                result.notes.append(f"{where} 的「{col.header}」列未导入" + (f"（{why}）" if why else ""))
            elif col.role == "":
                result.notes.append(f"{where} 的「{col.header}」列不认识，未导入")
        if not header.by_role(DOMAIN) and ctx.domain is None:
            reader.sheet_domain = sheet.name
        reader.read(result, header.data_start, header.end if header.end >= 0 else len(sheet.rows))
        title_domain = reader.title_domain
        readers.append(reader)
    if any(r.sheet_domain_rows for r in readers):
        result.notes.append(f"{where} 没有领域列，也没有写明领域的标题行，领域取自工作表名称「{sheet.name}」"
                            "（可用 --domain 指定）")
    for reader in readers:
        result.notes += reader.notes
    limit_rows = [row for reader in readers for row in reader.unread_limits]
    if limit_rows:
        rows = "、".join(map(str, limit_rows[:10])) + ("等" if len(limit_rows) > 10 else "")
        result.notes.append(f"{where} 第 {rows} 行的公开时限无法识别，已照原文导入；gkpub check 会提示无法计算期限")
    inferred = [r for r in result.records if r.inferred_stage]
    if inferred:
        result.notes.append(f"{where} 有 {len(inferred)} 行没有填写过程，"
                            "已按名称推断（目录文件中标有「推断」），请核对")
    return result
