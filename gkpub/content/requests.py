"""The 依申请公开 register: one row per application, kept by each body, never published.

Where: CSV files under ``data/requests/`` in the site directory (:data:`REGISTER_DIR`), by
convention one per body and year, ``data/requests/2026/区民政局.csv``. The folder is outside
``content/``, the build reads it only to count (annual report §三/§四, deadline findings) and
never copies a file from it: attachments and body links there are refused
(content.attachments) and the build's single write path refuses any file inside it
(build.channels.write_channels). Only aggregates leave the register.

A file's body is its rows; the first row is the header (column names below, in any order,
spaces and full-width punctuation ignored). The body is the 机关 column when the file has
one, else the file's name (``区民政局.csv``). Every problem is a content error with the file,
the line and the column, as for items.

Columns (:data:`COLUMNS`), what they hold and the rules they follow:
- 编号 (required): the body's own case number, unique per body over all files;
- 收到日期 (required): the day the application was received (条例 第三十一条);
- 申请人类型 (required): 自然人 or one of the 法人或其他组织 kinds of the national form;
- 申请方式: 当面, 信函, 网络, 传真, 电子邮件, 其他;
- 补正告知日期, 补正收到日期: the one-time notice to complete the application (第三十条) and
  the day the completed application came in; the reply period then runs from the latter;
- 延期告知日期: the day the applicant was told the reply period is extended (第三十三条);
- 答复日期, 办理结果: both or neither (a row without them is still pending); the result is one
  of the national categories of the annual report's §三 (:data:`RESULTS`);
- 收费金额: 信息处理费 charged, in 元;
- 行政复议, 行政诉讼: the outcome of an administrative review or lawsuit about the case
  (结果维持, 结果纠正, 其他结果, 尚未审结);
- 备注: free text, not read.

Dates are checked whatever ``--today`` says; the loaded register is the one of that day: an
application received later is left out, a reply, notice or extension dated later has not
happened yet (as items dated in the future are not yet published).
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path

from gkpub.content.config import Org, SiteConfig
from gkpub.util.errors import ErrorList, did_you_mean

REGISTER_DIR = "data/requests"

# The applicant columns of the national form (国办公开办函〔2021〕30号, §三): 自然人, then
# the five kinds of 法人或其他组织.
PERSON = "自然人"
ORGANIZATION_KINDS: tuple[str, ...] = ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")
APPLICANT_TYPES: tuple[str, ...] = (PERSON, *ORGANIZATION_KINDS)
APPLICANT_ALIASES: dict[str, str] = {
    "个人": PERSON, "公民": PERSON, "自然人": PERSON, "企业": "商业企业", "公司": "商业企业",
    "科研院所": "科研机构", "高校": "科研机构", "社会组织": "社会公益组织", "公益组织": "社会公益组织",
    "律师事务所": "法律服务机构", "律所": "法律服务机构", "其他组织": "其他",
}
CHANNELS: tuple[str, ...] = ("当面", "信函", "网络", "传真", "电子邮件", "其他")
CHANNEL_ALIASES: dict[str, str] = {
    "当面提交": "当面", "现场": "当面", "窗口": "当面", "当面申请": "当面",
    "邮寄": "信函", "邮政": "信函", "信件": "信函", "来信": "信函",
    "网上": "网络", "网上申请": "网络", "在线": "网络", "在线申请": "网络", "互联网": "网络", "政府网站": "网络",
    "邮件": "电子邮件", "电子邮箱": "电子邮件", "email": "电子邮件", "e-mail": "电子邮件",
}
OUTCOMES: tuple[str, ...] = ("结果维持", "结果纠正", "其他结果", "尚未审结")  # §四's columns
OUTCOME_ALIASES: dict[str, str] = {"维持": "结果维持", "纠正": "结果纠正", "其他": "其他结果",
                                   "未审结": "尚未审结", "审理中": "尚未审结", "在审": "尚未审结"}

# §三 本年度办理结果, as the national form prints it: (group, its numbered sub-rows).
RESULT_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("（一）予以公开", ()),
    ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", ()),
    ("（三）不予公开", ("1.属于国家秘密", "2.其他法律行政法规禁止公开", "3.危及“三安全一稳定”",
                       "4.保护第三方合法权益", "5.属于三类内部事务信息", "6.属于四类过程性信息",
                       "7.属于行政执法案卷", "8.属于行政查询事项")),
    ("（四）无法提供", ("1.本机关不掌握相关政府信息", "2.没有现成信息需要另行制作", "3.补正后申请内容仍不明确")),
    ("（五）不予处理", ("1.信访举报投诉类申请", "2.重复申请", "3.要求提供公开出版物", "4.无正当理由大量反复申请",
                       "5.要求行政机关确认或重新出具已获取信息")),
    ("（六）其他处理", ("1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
                       "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "3.其他")),
)
_ENUM_RE = re.compile(r"\([一二三四五六七八九十]+\)|^[一二三四五六七八九十]+、|\d+\.(?!\d)")
_PARTIAL_NOTE = "(区分处理的,只计这一情形,不计其他情形)"  # after NFKC


def _bare(label: str) -> str:
    """A form label without its numbering: 「（三）不予公开」 → 「不予公开」."""
    s = unicodedata.normalize("NFKC", label).replace(_PARTIAL_NOTE, "")
    return _ENUM_RE.sub("", s)


@dataclass(frozen=True)
class Result:
    """One result category of §三: a row of the national table."""

    group: str  # the group's label as printed, 「（三）不予公开」
    label: str  # the sub-row's label as printed, 「1.属于国家秘密」; "" for 予以公开 / 部分公开

    @property
    def name(self) -> str:
        """How the register writes it: 「予以公开」, 「不予公开：属于国家秘密」."""
        g = _bare(self.group)
        return f"{g}：{_bare(self.label)}" if self.label else g


RESULTS: tuple[Result, ...] = tuple(
    Result(group, label) for group, labels in RESULT_GROUPS for label in (labels or ("",)))


def _key(text: str) -> str:
    """Spelling-insensitive form of a result: no numbering, spaces, quotes or separators."""
    s = unicodedata.normalize("NFKC", text).replace(_PARTIAL_NOTE, "")
    s = _ENUM_RE.sub("", s)
    return re.sub(r"[\s:：\-—/、,，\"'“”‘’「」]", "", s)


def _result_spellings() -> dict[str, Result]:
    out: dict[str, Result] = {}
    for r in RESULTS:
        g = _key(r.group)
        if r.label:
            out[g + _key(r.label)] = r
            out[_key(r.label)] = r  # every sub-row's text is unique in the form
        else:
            out[g] = r
    by_name = {r.name: r for r in RESULTS}
    for spelling, name in RESULT_ALIASES.items():
        out[_key(spelling)] = by_name[name]
    return out


# Wordings of the older forms and of office ledgers, for the categories they mean.
RESULT_ALIASES: dict[str, str] = {
    "同意公开": "予以公开", "公开": "予以公开", "同意部分公开": "部分公开",
    "逾期不补正": "其他处理：申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "逾期未补正": "其他处理：申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "逾期未缴费": "其他处理：申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    "逾期不缴费": "其他处理：申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    "非本机关政府信息": "无法提供：本机关不掌握相关政府信息",
}


_RESULT_BY_KEY = _result_spellings()
_GROUP_KEYS = {_key(g): g for g, labels in RESULT_GROUPS if labels}


def parse_result(text: str) -> Result:
    """A result as an office writes it; ValueError (Chinese) when it names no single category."""
    k = _key(text)
    if k in _RESULT_BY_KEY:
        return _RESULT_BY_KEY[k]
    if k in _GROUP_KEYS:
        group = _GROUP_KEYS[k]
        options = "、".join(f"「{r.name}」" for r in RESULTS if r.group == group)
        raise ValueError(f"「{text}」要写明是哪一种情形：{options}")
    names = [r.name for r in RESULTS]
    hint = did_you_mean(text.strip(), names)
    raise ValueError(f"「{text}」不是年度报告格式中的办理结果；{hint}可用：{'、'.join(names)}")


# Column names and the spellings offices use for them (compared without spaces and full-width forms).
COLUMNS: tuple[str, ...] = ("编号", "机关", "收到日期", "申请人类型", "申请方式", "补正告知日期", "补正收到日期",
                            "延期告知日期", "答复日期", "办理结果", "收费金额", "行政复议", "行政诉讼", "备注")
REQUIRED_COLUMNS: tuple[str, ...] = ("编号", "收到日期", "申请人类型", "答复日期", "办理结果")
COLUMN_ALIASES: dict[str, str] = {
    "申请编号": "编号", "登记编号": "编号", "受理编号": "编号", "登记号": "编号", "案号": "编号",
    "受理机关": "机关", "办理机关": "机关", "公开主体": "机关", "行政机关": "机关", "机构": "机关",
    "收到申请日期": "收到日期", "收到时间": "收到日期", "受理日期": "收到日期", "申请日期": "收到日期",
    "申请时间": "收到日期", "登记日期": "收到日期",
    "申请人类别": "申请人类型", "申请人性质": "申请人类型", "申请人情况": "申请人类型", "申请主体": "申请人类型",
    "申请渠道": "申请方式", "渠道": "申请方式", "提交方式": "申请方式",
    "补正日期": "补正告知日期", "告知补正日期": "补正告知日期", "补正通知日期": "补正告知日期",
    "补正告知时间": "补正告知日期",
    "收到补正日期": "补正收到日期", "补正完成日期": "补正收到日期", "补正材料收到日期": "补正收到日期",
    "延期日期": "延期告知日期", "延长答复日期": "延期告知日期", "延期答复告知日期": "延期告知日期",
    "延长期限告知日期": "延期告知日期",
    "答复时间": "答复日期", "办结日期": "答复日期", "办结时间": "答复日期", "答复日": "答复日期",
    "答复结果": "办理结果", "处理结果": "办理结果", "答复类型": "办理结果", "办理情况": "办理结果",
    "收费": "收费金额", "信息处理费": "收费金额", "收费金额(元)": "收费金额", "信息处理费(元)": "收费金额",
    "复议": "行政复议", "行政复议结果": "行政复议", "诉讼": "行政诉讼", "行政诉讼结果": "行政诉讼",
    "说明": "备注",
}


def column_of(header: str) -> str | None:
    """The register column a header cell names, or None."""
    k = re.sub(r"\s", "", unicodedata.normalize("NFKC", header))
    if k in COLUMNS:
        return k
    return COLUMN_ALIASES.get(k) or COLUMN_ALIASES.get(re.sub(r"\(.*?\)$", "", k))


_DATE_RE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


def parse_day(text: str) -> dt.date:
    """2026-03-05, 2026/3/5, 2026.3.5 or 2026年3月5日; ValueError (Chinese) otherwise."""
    t = unicodedata.normalize("NFKC", text).strip()
    m = _DATE_RE.match(t)
    if not m:
        raise ValueError(f"「{text}」不是日期；应写作 YYYY-MM-DD，如 2026-03-05")
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        raise ValueError(f"「{text}」这一天不存在；请核对日期") from None


def parse_fee(text: str) -> float:
    t = unicodedata.normalize("NFKC", text).strip().removesuffix("元").replace(",", "")
    if not t:
        return 0.0
    try:
        value = float(t)
    except ValueError:
        raise ValueError(f"「{text}」不是金额；收费金额以元为单位写数字，如 100 或 0") from None
    if value < 0 or value != value or value == float("inf"):
        raise ValueError(f"「{text}」不是有效的金额；不能为负数")
    return round(value, 2)


def _choice(text: str, allowed: tuple[str, ...], aliases: dict[str, str], what: str) -> str:
    t = re.sub(r"\s", "", unicodedata.normalize("NFKC", text))
    if t in allowed:
        return t
    if t.lower() in aliases or t in aliases:
        return aliases.get(t) or aliases[t.lower()]
    if what == "申请人类型" and t == "法人或其他组织":
        raise ValueError(f"「{text}」要写明是哪一类：{'、'.join(ORGANIZATION_KINDS)}")
    raise ValueError(f"「{text}」不是{what}；{did_you_mean(t, allowed)}可用：{'、'.join(allowed)}")


def applicant_type(text: str) -> str:
    return _choice(text, APPLICANT_TYPES, APPLICANT_ALIASES, "申请人类型")


def channel(text: str) -> str:
    return _choice(text, CHANNELS, CHANNEL_ALIASES, "申请方式")


def outcome(text: str) -> str:
    return _choice(text, OUTCOMES, OUTCOME_ALIASES, "复议或诉讼的结果")


@dataclass(frozen=True)
class Request:
    """One application, as the register records it."""

    source: str  # the register file, relative to the site directory
    line: int  # the row's first line in that file
    case: str  # 编号
    org: Org
    received: dt.date
    applicant: str  # one of APPLICANT_TYPES
    channel: str = ""
    supplement_asked: dt.date | None = None
    supplement_received: dt.date | None = None
    extended: dt.date | None = None
    replied: dt.date | None = None
    result: Result | None = None
    fee: float = 0.0  # 元
    review: str = ""  # 行政复议: one of OUTCOMES, or ""
    lawsuit: str = ""  # 行政诉讼: one of OUTCOMES, or ""

    @property
    def label(self) -> str:
        """How a finding names the case: the body and its number, never the applicant."""
        return f"{self.org.short}编号 {self.case} 的申请"

    def as_of(self, day: dt.date) -> Request | None:
        """The case as the register stood on ``day`` (``--today``): what came later had not
        happened yet; None when the application had not even been received."""
        if self.received > day:
            return None

        def by(d: dt.date | None) -> dt.date | None:
            return d if d is not None and d <= day else None

        if self.replied is not None and self.replied > day:
            later = replace(self, replied=None, result=None, fee=0.0, review="", lawsuit="")
        else:
            later = self
        return replace(later, supplement_asked=by(self.supplement_asked),
                       supplement_received=by(self.supplement_received),
                       extended=by(self.extended))

    def open_at(self, day: dt.date) -> bool:
        """Received by ``day`` and not yet answered on it."""
        return self.received <= day and (self.replied is None or self.replied > day)


DATE_COLUMNS = ("收到日期", "补正告知日期", "补正收到日期", "延期告知日期", "答复日期")


def register_files(site_dir: Path) -> list[Path]:
    root = site_dir / REGISTER_DIR
    if not root.is_dir():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file() and not any(
        part.startswith(".") for part in p.relative_to(root).parts))


def load_register(site_dir: Path, cfg: SiteConfig, errors: ErrorList, today: dt.date) -> list[Request]:
    """Every valid row of every register file as it stood on ``today`` (Request.as_of: a build
    or check with an earlier --today sees the register of that day); each problem is added to
    ``errors``, whatever its dates."""
    out: list[Request] = []
    seen: dict[tuple[str, str], tuple[str, int]] = {}
    for path in register_files(site_dir):
        rel = errors.rel(path)
        suffix = path.suffix.lower()
        if suffix in (".xlsx", ".xls"):
            errors.add(rel, 0, "", "依申请公开登记表应为 CSV 文件；Excel 表格请用 "
                                   f"gkpub import requests {path.name} 转换后放在 {REGISTER_DIR}/ 中，再删去原表格")
            continue
        if suffix != ".csv":
            continue  # a README or notes beside the registers: not read, never published either
        for row in _read_file(path, rel, cfg, errors):
            key = (row.org.name, row.case)
            if key in seen:
                first = seen[key]
                errors.add(rel, row.line, "编号", f"{row.org.short}的编号「{row.case}」已在 {first[0]} "
                                                  f"第 {first[1]} 行使用；每件申请的编号不能重复")
                continue
            seen[key] = (rel, row.line)
            req = row.as_of(today)
            if req is not None:
                out.append(req)
    return out


def _decode(path: Path) -> str | None:
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def _read_file(path: Path, rel: str, cfg: SiteConfig, errors: ErrorList) -> list[Request]:
    text = _decode(path)
    if text is None:
        errors.add(rel, 0, "", "登记表既不是 UTF-8 也不是 GBK 编码；请在 Excel 中另存为「CSV UTF-8」")
        return []
    reader = csv.reader(io.StringIO(text))
    rows: list[tuple[int, list[str]]] = []
    line = 1
    for row in reader:
        rows.append((line, row))
        line = reader.line_num + 1
    rows = [(n, r) for n, r in rows if any(c.strip() for c in r)]
    if not rows:
        return []
    header_line, header = rows[0]
    columns: dict[str, int] = {}
    for i, cell in enumerate(header):
        if not cell.strip():
            continue
        name = column_of(cell)
        if name is None:
            errors.add(rel, header_line, cell.strip(),
                       f"登记表不认识列「{cell.strip()}」；{did_you_mean(cell.strip(), COLUMNS)}"
                       f"可用的列：{'、'.join(COLUMNS)}（申请人姓名、联系方式、申请内容等不要放在登记表中：年报只用到统计所需的列）")
        elif name in columns:
            errors.add(rel, header_line, name, f"列「{name}」出现了两次")
        else:
            columns[name] = i
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        errors.add(rel, header_line, "", f"登记表缺少列：{'、'.join(missing)}；第一行应是列名，如 "
                                         f"{','.join(c for c in COLUMNS if c not in ('机关', '备注'))}")
        return []
    file_org = cfg.org_by_name(path.stem)
    if "机关" not in columns and file_org is None:
        errors.add(rel, header_line, "机关",
                   f"不知道这个登记表属于哪个机关：文件名「{path.name}」不是 site.toml 中机关的简称或全称；"
                   f"请改名（如 {REGISTER_DIR}/2026/区民政局.csv），或加一列「机关」")
        return []
    out: list[Request] = []
    for line_no, row in rows[1:]:
        req = _row(row, line_no, columns, rel, cfg, file_org, errors)
        if req is not None:
            out.append(req)
    return out


def _row(row: list[str], line: int, columns: dict[str, int], rel: str, cfg: SiteConfig, file_org: Org | None,
         errors: ErrorList) -> Request | None:
    def cell(name: str) -> str:
        i = columns.get(name)
        return row[i].strip() if i is not None and i < len(row) else ""

    ok = True

    def fail(name: str, message: str) -> None:
        nonlocal ok
        ok = False
        errors.add(rel, line, name, message)

    org = file_org
    if "机关" in columns:
        name = cell("机关")
        if not name and file_org is None:
            fail("机关", "没有填写机关")
        elif name:
            org = cfg.org_by_name(name)
            if org is None:
                fail("机关", f"「{name}」不在 site.toml 的 [[org]] 中；{did_you_mean(name, cfg.org_names)}")
    case = cell("编号")
    if not case:
        fail("编号", "没有填写编号；每件申请一个编号（本机关内不重复），如 2026-001")
    dates: dict[str, dt.date | None] = {}
    for name in DATE_COLUMNS:
        value = cell(name)
        dates[name] = None
        if not value:
            continue
        try:
            dates[name] = parse_day(value)
        except ValueError as exc:
            fail(name, str(exc))
            continue
    received = dates["收到日期"]
    if received is None and not cell("收到日期"):
        fail("收到日期", "没有填写收到日期（收到申请的那一天，条例第三十一条）")
    applicant = ""
    if not cell("申请人类型"):
        fail("申请人类型", f"没有填写申请人类型；可用：{'、'.join(APPLICANT_TYPES)}")
    else:
        try:
            applicant = applicant_type(cell("申请人类型"))
        except ValueError as exc:
            fail("申请人类型", str(exc))
    chan = ""
    if cell("申请方式"):
        try:
            chan = channel(cell("申请方式"))
        except ValueError as exc:
            fail("申请方式", str(exc))
    result: Result | None = None
    if cell("办理结果"):
        try:
            result = parse_result(cell("办理结果"))
        except ValueError as exc:
            fail("办理结果", str(exc))
    replied = dates["答复日期"]
    if cell("办理结果") and not cell("答复日期"):
        fail("答复日期", "填写了办理结果，但没有答复日期；请填写作出答复（办结）的日期")
    if cell("答复日期") and not cell("办理结果"):
        fail("办理结果", "填写了答复日期，但没有办理结果；请按年度报告格式填写办理结果，如「予以公开」")
    fee = 0.0
    try:
        fee = parse_fee(cell("收费金额"))
    except ValueError as exc:
        fail("收费金额", str(exc))
    outcomes: dict[str, str] = {}
    for name in ("行政复议", "行政诉讼"):
        outcomes[name] = ""
        if cell(name):
            try:
                outcomes[name] = outcome(cell(name))
            except ValueError as exc:
                fail(name, str(exc))
    asked, got, extended = dates["补正告知日期"], dates["补正收到日期"], dates["延期告知日期"]
    if received is not None:
        for name in ("补正告知日期", "延期告知日期", "答复日期"):
            d = dates[name]
            if d is not None and d < received:
                fail(name, f"{name} {d} 早于收到日期 {received}")
    if got is not None and asked is None and cell("补正告知日期") == "":
        fail("补正收到日期", "填写了补正收到日期，但没有补正告知日期")
    if got is not None and asked is not None and got < asked:
        fail("补正收到日期", f"补正收到日期 {got} 早于补正告知日期 {asked}")
    if replied is not None and extended is not None and extended > replied:
        fail("延期告知日期", f"延期告知日期 {extended} 晚于答复日期 {replied}")
    if not ok or org is None or received is None:
        return None
    return Request(source=rel, line=line, case=case, org=org, received=received, applicant=applicant,
                   channel=chan, supplement_asked=asked, supplement_received=got, extended=extended,
                   replied=replied, result=result, fee=fee, review=outcomes["行政复议"],
                   lawsuit=outcomes["行政诉讼"])
