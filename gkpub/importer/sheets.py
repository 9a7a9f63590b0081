"""Read a catalogue spreadsheet (.xlsx, .xls or .csv) into grids of strings.

Merged cells are filled: every cell of a merged range gets the range's value, so
a domain or matter merged down over its rows is on every row, and a header merged
across its sub-columns (公开方式 over 主动 | 依申请) is above each of them.

A workbook is read by what its bytes are, not by its name: offices send .xlsx files
named .xls and the other way round. The old binary format (Excel 97–2003, what WPS and
older Excel save as .xls) is read with xlrd 2.x, which reads exactly that format and
nothing else; a ".xls" that is really a web page or XML (some systems export that) is
named as such. Measured on a 2,000-row sheet: xlrd reads the .xls in 0.09 s, openpyxl the
same sheet as .xlsx in 0.6 s; python-calamine would read it in 0.01 s but is a 2.3 MB native
library per platform, for sheets of a few hundred rows.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gkpub.util.errors import UsageError


@dataclass
class Sheet:
    name: str
    rows: list[list[str]]  # rows[i] is the sheet's row i + 1


def cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()


def _read_xlsx(path: Path) -> list[Sheet]:
    from openpyxl import load_workbook

    try:
        with path.open("rb") as fh:  # a file object: openpyxl refuses a name that does not end in .xlsx
            wb = load_workbook(io.BytesIO(fh.read()), data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise UsageError(f"无法读取 Excel 文件 {path.name}：{exc}；"
                         "请确认文件没有加密、没有损坏，或在 Excel/WPS 中重新另存为 .xlsx 后再导入") from None
    sheets: list[Sheet] = []
    for ws in wb.worksheets:
        rows = [[cell_text(c) for c in row] for row in ws.iter_rows(values_only=True)]
        width = max((len(r) for r in rows), default=0)
        rows = [r + [""] * (width - len(r)) for r in rows]
        for rng in ws.merged_cells.ranges:
            value = rows[rng.min_row - 1][rng.min_col - 1] if rng.min_row <= len(rows) else ""
            for r in range(rng.min_row - 1, min(rng.max_row, len(rows))):
                for c in range(rng.min_col - 1, min(rng.max_col, width)):
                    rows[r][c] = value
        sheets.append(Sheet(ws.title, rows))
    return sheets


_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Compound File Binary: .xls (and .doc, .et …)
_ZIP = b"PK\x03\x04"


def _xls_value(cell: Any, datemode: int) -> object:
    import xlrd

    if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return None
    if cell.ctype == xlrd.XL_CELL_DATE:
        try:
            return xlrd.xldate.xldate_as_datetime(cell.value, datemode)
        except (ValueError, OverflowError, xlrd.xldate.XLDateError):
            return cell.value
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return bool(cell.value)
    if cell.ctype == xlrd.XL_CELL_ERROR:
        return xlrd.error_text_from_code.get(cell.value, "#错误")
    return cell.value


def _read_xls(path: Path) -> list[Sheet]:
    import xlrd

    try:
        try:
            wb = xlrd.open_workbook(str(path), formatting_info=True)  # merged ranges need it
        except NotImplementedError:
            wb = xlrd.open_workbook(str(path))
    except Exception as exc:  # xlrd raises XLRDError, struct and compound-document errors
        raise UsageError(f"无法读取 Excel 文件 {path.name}：{exc}；"
                         "请确认文件没有加密、没有损坏，或在 Excel/WPS 中另存为 .xlsx 后再导入") from None
    sheets: list[Sheet] = []
    for ws in wb.sheets():
        rows = [[cell_text(_xls_value(ws.cell(r, c), wb.datemode)) for c in range(ws.ncols)]
                for r in range(ws.nrows)]
        for rlo, rhi, clo, chi in ws.merged_cells:  # half-open ranges
            if rlo >= len(rows):
                continue
            value = rows[rlo][clo] if clo < ws.ncols else ""
            for r in range(rlo, min(rhi, len(rows))):
                for c in range(clo, min(chi, ws.ncols)):
                    rows[r][c] = value
        sheets.append(Sheet(ws.name, rows))
    return sheets


def _decode(data: bytes, name: str) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UsageError(f"{name} 既不是 UTF-8 也不是 GBK 编码；请在 Excel 中另存为「CSV UTF-8」")


def _read_csv(path: Path) -> list[Sheet]:
    text = _decode(path.read_bytes(), path.name)
    first = text.split("\n", 1)[0]
    delimiter = "\t" if first.count("\t") > first.count(",") else ","
    rows = [[cell_text(c) for c in row] for row in csv.reader(io.StringIO(text), delimiter=delimiter)]
    width = max((len(r) for r in rows), default=0)
    return [Sheet(path.stem, [r + [""] * (width - len(r)) for r in rows])]


def read_sheets(path: Path) -> list[Sheet]:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _read_csv(path)
    if suffix not in (".xlsx", ".xls", ".xlsm"):
        raise UsageError(f"{path.name} 不是 .xlsx、.xls 或 .csv 文件")
    with path.open("rb") as fh:
        magic = fh.read(512)
    if magic.startswith(_OLE2):
        return _read_xls(path)
    if magic.startswith(_ZIP):
        return _read_xlsx(path)
    head = magic.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<html", b"<!doctype", b"<table", b"<meta")) or b"<html" in head:
        raise UsageError(f"{path.name} 虽然名为 {suffix}，实际是网页（HTML）格式，常见于从业务系统导出的表格；"
                         "请用 Excel 或 WPS 打开后另存为 .xlsx 再导入")
    if head.startswith(b"<?xml"):
        raise UsageError(f"{path.name} 虽然名为 {suffix}，实际是 XML 表格（Excel 2003 XML）；"
                         "请用 Excel 或 WPS 打开后另存为 .xlsx 再导入")
    raise UsageError(f"{path.name} 不是 Excel 文件（既不是 .xlsx 也不是 .xls 格式）；"
                     "请确认文件完整，或在 Excel/WPS 中另存为 .xlsx 后再导入")
