"""`gkpub import requests 台账.xlsx`: an office's 依申请公开 ledger → the register's CSV files.

The ledger is read as the catalogue importer reads a catalogue sheet (importer.sheets: merged
cells filled, .xlsx or .csv in UTF-8 or GBK): the header is the row among the first 15 that
names the most register columns (content.requests.column_of, spaces and full-width forms
ignored), or two rows when a merged title stands over sub-columns (补正 over 告知日期 |
收到日期). Values are taken as offices write them (2026.3.5, 个人, 同意公开, 逾期不补正) and
written in the register's own terms.

Only the columns the register has are imported. A ledger also holds the applicant's name,
contacts and what was asked: those stay in the office's own ledger; the note says which
columns were left out. Rows without an 编号 take the ledger's 序号 (or their order), as
<年份>-<三位序号>, unique over the years.

All or nothing, as the catalogue import: any row that cannot be read is reported with its
row number and nothing is written (exit 1); the files written are loaded with the register
loader first. One file per body and year of receipt: ``data/requests/<年份>/<机关简称>.csv``;
an existing one is replaced only with ``--force``.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from gkpub.content.config import Org, SiteConfig, load_config
from gkpub.content.requests import (
    APPLICANT_TYPES,
    DATE_COLUMNS,
    REGISTER_DIR,
    applicant_type,
    channel,
    column_of,
    load_register,
    outcome,
    parse_day,
    parse_fee,
    parse_result,
    register_files,
)
from gkpub.importer.headers import norm
from gkpub.importer.sheets import Sheet, read_sheets
from gkpub.util.errors import ErrorList, UsageError, did_you_mean

SERIAL = "序号"
# The columns written, in this order (the file's name says the body).
OUT_COLUMNS: tuple[str, ...] = ("编号", "收到日期", "申请人类型", "申请方式", "补正告知日期", "补正收到日期",
                                "延期告知日期", "答复日期", "办理结果", "收费金额", "行政复议", "行政诉讼", "备注")
# Headers a ledger has that the register leaves out on purpose (the applicant's personal data,
# the request's text): they count towards finding the header row, and the note names them.
LEFT_OUT = ("申请人", "申请人姓名", "申请人名称", "姓名", "名称", "联系电话", "电话", "手机", "联系方式",
            "身份证号", "身份证号码", "证件号码", "证件号", "地址", "通讯地址", "联系地址", "邮编", "邮政编码",
            "邮箱", "电子邮箱", "申请内容", "申请事项", "所需信息", "所需信息内容描述", "内容描述", "答复内容",
            "承办科室", "承办人", "经办人")


@dataclass
class RequestImport:
    file: Path
    site_dir: Path
    org: str | None = None
    out_dir: Path | None = None  # default: site_dir / REGISTER_DIR
    force: bool = False
    today: dt.date = field(default_factory=dt.date.today)


@dataclass
class _Header:
    first_row: int  # 0-based
    rows: int
    columns: dict[str, int]  # register column (or SERIAL) → index
    left_out: list[str]


def _role(text: str) -> str | None:
    if not text.strip():
        return None
    if norm(text) == SERIAL:
        return SERIAL
    return column_of(text)


def _score(row: list[str]) -> int:
    return sum(1 for v in row if v.strip() and (_role(v) is not None or norm(v) in LEFT_OUT))


def _find_header(sheet: Sheet, look: int = 15) -> _Header | None:
    candidates = [(r, _score(sheet.rows[r])) for r in range(min(look, len(sheet.rows)))]
    r, best = max(candidates, key=lambda rc: (rc[1], -rc[0]), default=(0, 0))
    if best < 3:
        return None
    top = sheet.rows[r]
    sub = sheet.rows[r + 1] if r + 1 < len(sheet.rows) else [""] * len(top)
    # a second header row: cells under a title merged across them that together name a column
    two = any(s.strip() and top[c].strip() and s != top[c] and _role(top[c] + s) is not None
              for c, s in enumerate(sub))
    columns: dict[str, int] = {}
    left_out: list[str] = []
    for c, t in enumerate(top):
        s = sub[c] if two and c < len(sub) else ""
        names = [t + s, s, t] if s and s != t else [t]
        role = next((x for x in (_role(n) for n in names) if x is not None), None)
        shown = (f"{t}/{s}" if s and s != t else t).strip()
        if role is None:
            if shown:
                left_out.append(shown)
        elif role not in columns:
            columns[role] = c
    return _Header(first_row=r, rows=2 if two else 1, columns=columns, left_out=left_out)


def _site(site_dir: Path) -> SiteConfig:
    if not (site_dir / "site.toml").is_file():
        raise UsageError(f"{site_dir} 中没有 site.toml：请在站点目录中运行，或用 --site 指定站点目录"
                         "（登记表要核对机关名称）")
    errors = ErrorList(root=site_dir)
    cfg = load_config(site_dir, errors)
    if errors or cfg is None:
        raise UsageError("site.toml 有错误，请先修正：\n" + errors.report())
    return cfg


@dataclass
class _Row:
    org: Org
    received: dt.date
    values: dict[str, str]  # OUT_COLUMNS → text as written to the register
    serial: str


def _read_rows(where: str, sheet: Sheet, header: _Header, cfg: SiteConfig, default_org: Org | None,
               errors: ErrorList) -> list[_Row]:
    out: list[_Row] = []
    cols = header.columns
    for r in range(header.first_row + header.rows, len(sheet.rows)):
        row = sheet.rows[r]
        if not any(v.strip() for c, v in enumerate(row) if c in cols.values()):
            continue
        line = r + 1

        def cell(name: str, row: list[str] = row) -> str:
            i = cols.get(name)
            return row[i].strip() if i is not None and i < len(row) else ""

        bad = len(errors)
        org = default_org
        if cell("机关"):
            org = cfg.org_by_name(cell("机关"))
            if org is None:
                errors.add(where, line, "机关", f"「{cell('机关')}」不在 site.toml 的 [[org]] 中；"
                                               f"{did_you_mean(cell('机关'), cfg.org_names)}")
        elif org is None:
            errors.add(where, line, "机关", "表中没有「机关」，也没有用 --org 指定台账所属的机关")
        values: dict[str, str] = {k: "" for k in OUT_COLUMNS}
        values["编号"] = cell("编号")
        values["备注"] = cell("备注")
        received: dt.date | None = None
        for name in DATE_COLUMNS:
            if cell(name):
                try:
                    day = parse_day(cell(name))
                except ValueError as exc:
                    errors.add(where, line, name, str(exc))
                    continue
                values[name] = day.isoformat()
                if name == "收到日期":
                    received = day
        if not cell("收到日期"):
            errors.add(where, line, "收到日期", "没有收到日期")
        converters = (("申请人类型", applicant_type), ("申请方式", channel),
                      ("办理结果", lambda t: parse_result(t).name), ("行政复议", outcome), ("行政诉讼", outcome))
        for name, convert in converters:
            if cell(name):
                try:
                    values[name] = convert(cell(name))
                except ValueError as exc:
                    errors.add(where, line, name, str(exc))
        if not cell("申请人类型"):
            errors.add(where, line, "申请人类型", f"没有申请人类型；可用：{'、'.join(APPLICANT_TYPES)}")
        try:
            fee = parse_fee(cell("收费金额"))
            values["收费金额"] = f"{fee:g}" if fee else ""
        except ValueError as exc:
            errors.add(where, line, "收费金额", str(exc))
        if len(errors) == bad and org is not None and received is not None:
            out.append(_Row(org=org, received=received, values=values, serial=cell(SERIAL)))
    return out


def _number(rows: list[_Row]) -> None:
    """编号 for the rows without one: <年份>-<序号 or order, three digits>."""
    used = {(r.org.name, r.values["编号"]) for r in rows if r.values["编号"]}
    order: dict[tuple[str, int], int] = {}
    for r in rows:
        if r.values["编号"]:
            continue
        key = (r.org.name, r.received.year)
        order[key] = order.get(key, 0) + 1
        n = int(r.serial) if r.serial.isdigit() else order[key]
        case = f"{r.received.year}-{n:03d}"
        while (r.org.name, case) in used:
            n += 1
            case = f"{r.received.year}-{n:03d}"
        used.add((r.org.name, case))
        r.values["编号"] = case


def _csv_text(rows: list[_Row]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(OUT_COLUMNS)
    for r in sorted(rows, key=lambda r: (r.received, r.values["编号"])):
        w.writerow([r.values[k] for k in OUT_COLUMNS])
    return buf.getvalue()


def _verify(files: dict[Path, str], opts: RequestImport, cfg: SiteConfig, out_dir: Path) -> ErrorList:
    """Load the files about to be written, beside the site's other register files, with the
    register loader (same rules as a build)."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        reg = root / REGISTER_DIR
        for path in register_files(opts.site_dir):
            rel = path.relative_to(opts.site_dir / REGISTER_DIR)
            if out_dir == (opts.site_dir / REGISTER_DIR).resolve() and (out_dir / rel) in files:
                continue  # replaced by the import
            (reg / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, reg / rel)
        for path, text in files.items():
            rel = path.relative_to(out_dir)
            (reg / rel).parent.mkdir(parents=True, exist_ok=True)
            (reg / rel).write_text(text, encoding="utf-8-sig")
        errors = ErrorList(root=root)
        load_register(root, cfg, errors, opts.today)
        return errors


def import_requests(opts: RequestImport) -> int:
    cfg = _site(opts.site_dir)
    default_org = None
    if opts.org is not None:
        default_org = cfg.org_by_name(opts.org)
        if default_org is None:
            raise UsageError(f"--org「{opts.org}」不在 site.toml 的 [[org]] 中；"
                             f"{did_you_mean(opts.org, cfg.org_names)}")
    out_dir = (opts.out_dir or opts.site_dir / REGISTER_DIR).resolve()
    errors = ErrorList()
    notes: list[str] = []
    rows: list[_Row] = []
    found = False
    for sheet in read_sheets(opts.file):
        if not any(any(v.strip() for v in row) for row in sheet.rows):
            continue
        where = opts.file.name if opts.file.suffix.lower() == ".csv" else f"{opts.file.name}[{sheet.name}]"
        header = _find_header(sheet)
        if header is None:
            notes.append(f"{where} 没有找到登记台账的表头（如 收到日期、申请人类型、答复日期、办理结果），"
                         "整张工作表未导入")
            continue
        missing = [c for c in ("收到日期", "申请人类型") if c not in header.columns]
        if missing:
            errors.add(where, header.first_row + 1, "", f"表头缺少列：{'、'.join(missing)}")
            continue
        found = True
        if header.left_out:
            notes.append(f"{where} 未导入的列：{'、'.join(header.left_out)}（登记表只保存年报统计和期限检查所需的列，"
                         "申请人的姓名、联系方式和申请内容留在本机关的台账中）")
        rows += _read_rows(where, sheet, header, cfg, default_org, errors)
    if not found and not errors:
        errors.add(opts.file.name, 0, "", "没有找到依申请公开登记台账的表头；"
                                          "表头应包含 收到日期、申请人类型、答复日期、办理结果 等列")
    for note in notes:
        print(f"提示：{note}", file=sys.stderr)
    if errors:
        print("\n".join(e.format() for e in errors.errors), file=sys.stderr)
        print(f"共 {len(errors)} 处无法导入（行号即表格中的行号），未写入任何文件。", file=sys.stderr)
        return 1
    _number(rows)
    groups: dict[tuple[int, str], list[_Row]] = {}
    for r in rows:
        groups.setdefault((r.received.year, r.org.short), []).append(r)
    files = {out_dir / str(year) / f"{short}.csv": _csv_text(group) for (year, short), group in sorted(groups.items())}
    problems = _verify(files, opts, cfg, out_dir)
    if problems:
        print(problems.report().rsplit("\n", 1)[0], file=sys.stderr)
        print("导入结果未通过登记表检查，未写入任何文件。", file=sys.stderr)
        return 1
    existing = [p for p in files if p.exists()]
    if existing and not opts.force:
        names = "、".join(str(p) for p in existing)
        print(f"以下登记表已存在：{names}；确认要用台账替换请加 --force。未写入任何文件。", file=sys.stderr)
        return 1
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8-sig")
    for (year, short), group in sorted(groups.items()):
        print(f"{short} {year}年：{len(group)} 件申请 → {out_dir / str(year) / (short + '.csv')}")
    print(f"已导入 {len(rows)} 件申请。登记表不会发布到网站，只用于年报统计和期限检查。")
    return 0
