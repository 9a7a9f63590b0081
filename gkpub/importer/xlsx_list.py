"""`gkpub import list`: an Excel roster (a 公示 list: 低保, subsidies, candidates) becomes a
公示 item whose body is the list as a Markdown table, written where `gkpub new item` writes.

The sheet: an optional title row (one value, usually merged across the columns), the header
row (the first row with two or more different values), the rows, and optional note rows at
the end (one value: 「制表单位：…」). Blank rows and columns are dropped.

Personal data is masked before anything is written, in every cell: ID, mobile and bank-card
numbers the scanner finds (rules/pii.py, its masked form); in a column headed as an ID
(身份证号, 证件号码) any value of 15 or more digits, in a column headed as a phone
(联系电话, 手机) any 11-digit mobile, also when the scanner would not take it for one (a mistyped
check digit still shows a real person's number); names in a column headed as a name (姓名, 户主,
申请人 …, the headers content/pii_check.py checks) only when site.toml asks for it
(``[privacy] mask_names = true``), in the form that check asks for (the surname, then 某: 张某,
欧阳某某). Otherwise names stay, as 公示 lists publish them.

The 公示期 is given with ``--start`` and ``--end`` (or ``--days``), or asked for on a terminal;
without a terminal a missing one is a usage error (exit 2) that says which options to add.
"""
from __future__ import annotations

import datetime as dt
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from gkpub.content.catalog import load_catalog
from gkpub.content.config import SiteConfig
from gkpub.content.frontmatter import yaml_scalar
from gkpub.content.hints import leaf_named, not_in_catalog, unknown_org_message
from gkpub.content.pii_check import NAME_HEADERS, masked_name
from gkpub.importer.docx_item import NextIndex, Place, print_unwritten, site_config, write_checked
from gkpub.importer.docx_markdown import MarkdownWriter, escape
from gkpub.importer.docx_read import Table
from gkpub.importer.sheets import Sheet, read_sheets
from gkpub.rules.pii import BANK_CARD, ID_CARD, MOBILE, mask, scan
from gkpub.util.errors import ErrorList, UsageError, did_you_mean

ID_HEADERS = ("身份证", "证件号", "公民身份号码", "身份号码")
PHONE_HEADERS = ("电话", "手机", "联系方式")
CARD_HEADERS = ("卡号", "账号", "银行卡")
_NAME = re.compile(r"^[\u4e00-\u9fff·]{2,6}$")  # a name as typed (张某 stays 张某; 张* is not one: left as it is)


@dataclass
class ListImport:
    file: Path
    site_dir: Path
    today: dt.date
    catalog: str | None
    next_index: NextIndex  # authoring/new_item.py's, as for docx_item
    place: Place
    title: str | None = None
    org: str | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    days: int | None = None
    sheet: str | None = None
    dry_run: bool = False
    ask: Callable[[str], str] | None = None  # input() on a terminal; None: never ask


@dataclass
class Roster:
    title: str
    header: list[str]
    rows: list[list[str]]
    notes: list[str]


def read_roster(sheet: Sheet) -> Roster:
    rows = [[c.strip() for c in r] for r in sheet.rows]
    rows = [r for r in rows if any(r)]
    if rows:
        keep = [j for j in range(len(rows[0])) if any(r[j] for r in rows if j < len(r))]
        rows = [[r[j] for j in keep] for r in rows]
    title, notes = "", list[str]()
    k = 0
    while k < len(rows) and len({c for c in rows[k] if c}) < 2:
        title = title or next(c for c in rows[k] if c)
        k += 1
    if k == len(rows):
        raise UsageError(f"工作表「{sheet.name}」中没有表头行（至少两列不同的标题，如 序号、姓名）")
    header = rows[k]
    body = rows[k + 1:]
    while body and len({c for c in body[-1] if c}) < 2:
        notes.insert(0, next(c for c in body[-1] if c))
        body.pop()
    return Roster(title, header, body, notes)


def _column_mask(header: str, value: str, names: bool) -> str:
    digits = re.sub(r"[\s\-]", "", value)
    if any(h in header for h in ID_HEADERS) and re.fullmatch(r"\d{14,17}[\dXx]", digits):
        return mask(digits, ID_CARD)
    if any(h in header for h in PHONE_HEADERS) and re.fullmatch(r"1\d{10}", digits):
        return mask(digits, MOBILE)
    if any(h in header for h in CARD_HEADERS) and re.fullmatch(r"\d{16,19}", digits):
        return mask(digits, BANK_CARD)
    if names and any(h in header for h in NAME_HEADERS) and _NAME.match(value):
        return masked_name(value)
    return value


def masked_rows(roster: Roster, cfg: SiteConfig, names: bool) -> tuple[list[list[str]], int]:
    count = 0
    out: list[list[str]] = []
    for row in roster.rows:
        cells = []
        for j, cell in enumerate(row):
            header = roster.header[j] if j < len(roster.header) else ""
            new = _column_mask(header, cell, names)
            for hit in scan(new, cfg.privacy_allow):
                new = new.replace(hit.value, hit.masked)
            count += int(new != cell)
            cells.append(new)
        out.append(cells)
    return out, count


def _period(opts: ListImport) -> tuple[dt.date, dt.date]:
    start, end = opts.start, opts.end
    if start is None and opts.ask is not None:
        start = _ask_date(opts.ask, f"公示开始日期（YYYY-MM-DD，直接回车为 {opts.today}）：", opts.today, opts.today)
    if end is None and opts.days is not None:
        end = (start or opts.today) + dt.timedelta(days=opts.days - 1)
    if end is None and opts.ask is not None:
        end = _ask_date(opts.ask, "公示结束日期（YYYY-MM-DD），或公示天数（如 7）：", None, opts.today,
                        from_day=start or opts.today)
    if end is None:
        raise UsageError("缺少公示期：请加 --end 结束日期（YYYY-MM-DD）或 --days 天数，"
                         "开始日期用 --start（默认为今天），如 --start 2026-11-23 --days 7")
    start = start or opts.today
    if end < start:
        raise UsageError(f"公示结束日期 {end} 早于开始日期 {start}")
    return start, end


_DAYS_RE = re.compile(r"^(\d{1,3})\s*[天日]?$")


def _ask_date(ask: Callable[[str], str], prompt: str, default: dt.date | None, today: dt.date,
              from_day: dt.date | None = None) -> dt.date:
    """A date typed at the terminal; with ``from_day``, a number of days (7, 7天: the 公示
    runs that many days counting ``from_day``, as --days does) is taken too."""
    for _ in range(3):
        answer = ask(prompt).strip()
        if not answer and default is not None:
            return default
        days = _DAYS_RE.match(answer)
        if from_day is not None and days and int(days.group(1)) >= 1:
            return from_day + dt.timedelta(days=int(days.group(1)) - 1)
        try:
            return dt.date.fromisoformat(answer)
        except ValueError:
            if from_day is not None:
                print(f"「{answer}」既不是 YYYY-MM-DD 格式的日期（如 {today}），也不是公示天数（如 7，用阿拉伯数字）",
                      file=sys.stderr)
            else:
                print(f"「{answer}」不是 YYYY-MM-DD 格式的日期，如 {today}", file=sys.stderr)
    raise UsageError("没有得到公示期日期")


def import_list(opts: ListImport) -> int:
    cfg = site_config(opts.file, opts.site_dir)
    errors = ErrorList(root=opts.site_dir)
    catalog = load_catalog(opts.site_dir, cfg, errors)
    leaves = catalog.leaf_by_path()
    if not opts.catalog:  # name the list columns there are (名单, 公示), the way import docx does
        lists = [p for p in leaves if "名单" in p or "公示" in p] or list(leaves)
        raise UsageError("请用 --catalog 指定这份名单所属的目录（领域/事项/公开内容），"
                         f"如 --catalog {lists[0] if lists else '…'}；名单类的目录条目有：{'、'.join(lists[:8])}")
    leaf = leaf_named(leaves, opts.catalog)
    if leaf is None:
        raise UsageError(f"目录{not_in_catalog(opts.catalog, leaves)}")
    org_name = opts.org or leaf.elements.get("公开主体") or cfg.government
    org = cfg.org_by_name(org_name)
    if org is None:
        raise UsageError(f"--org 或目录条目的公开主体{unknown_org_message(org_name, cfg)}")
    sheets = [s for s in read_sheets(opts.file) if any(any(c for c in r) for r in s.rows)]
    if opts.sheet is not None:
        named = [s for s in sheets if s.name == opts.sheet]
        if not named:
            raise UsageError(f"没有工作表「{opts.sheet}」；{did_you_mean(opts.sheet, [s.name for s in sheets])}"
                             f"可用：{'、'.join(s.name for s in sheets)}")
        sheets = named
    if not sheets:
        raise UsageError(f"{opts.file.name} 中没有内容")
    roster = read_roster(sheets[0])
    title = (opts.title or roster.title or opts.file.stem).strip()
    start, end = _period(opts)
    rows, count = masked_rows(roster, cfg, cfg.mask_names)
    index_no = opts.next_index(opts.site_dir, org.code, start.year if start > opts.today else opts.today.year)
    path = opts.place(opts.site_dir, leaf, index_no, title=title, day=opts.today)
    width = len(roster.header)
    table = MarkdownWriter({}, lambda *_: None, title).table(Table(0, [roster.header, *(r[:width] for r in rows)]))
    # the page and the printed notice state the 公示期 and whom to tell of an objection (templates)
    body = [f"现将{escape(title)}予以公示。", table]
    body += [escape(n) for n in roster.notes]
    written = min(opts.today, start)
    text = "\n".join([
        "---", f"标题: {yaml_scalar(title)}", f"索引号: {index_no}", f"目录: {yaml_scalar(leaf.path)}",
        f"公开主体: {yaml_scalar(org.name)}", f"成文日期: {written.isoformat()}", f"发布日期: {start.isoformat()}",
        f"公示期: {{开始: {start.isoformat()}, 结束: {end.isoformat()}}}", "草稿: false", "---",
    ]) + "\n" + "\n\n".join(body) + "\n"
    left = scan(text, cfg.privacy_allow)
    if left:
        print(f"{opts.file.name}: 遮蔽后仍有未遮蔽的{left[0].kind}「{left[0].shown}」；未导入", file=sys.stderr)
        return 1
    if opts.dry_run:
        sys.stdout.write(text)
        print(f"（--dry-run：将写入 {path.relative_to(opts.site_dir)}；没有写入任何文件）")
        return 0
    errors = write_checked(opts.site_dir, path, text, {})
    if errors:
        print_unwritten(errors, path, opts.site_dir)
        return 1
    print(f"已导入：{path.relative_to(opts.site_dir)}（{len(rows)} 行，遮蔽了 {count} 个单元格中的个人信息）。"
          "请核对后提交；运行 gkpub check 检查。")
    return 0
