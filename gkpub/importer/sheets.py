"""Read a catalogue spreadsheet (.xlsx or .csv) into grids of strings.

Merged cells are filled: every cell of a merged range gets the range's value, so
a domain or matter merged down over its rows is on every row, and a header merged
across its sub-columns (公开方式 over 主动 | 依申请) is above each of them.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

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
        wb = load_workbook(path, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise UsageError(f"无法读取 Excel 文件 {path.name}：{exc}；"
                         "请确认它是 .xlsx 格式（.xls 请先在 Excel 中另存为 .xlsx）") from None
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
    if suffix == ".xlsx":
        return _read_xlsx(path)
    if suffix == ".csv":
        return _read_csv(path)
    if suffix == ".xls":
        raise UsageError(f"{path.name} 是旧的 .xls 格式；请在 Excel 中另存为 .xlsx 后再导入")
    raise UsageError(f"{path.name} 不是 .xlsx 或 .csv 文件")
