"""Write seed004-tables.xls: the 表1/表2 sheet of tests/test_import_field.py in the old binary
Excel format (BIFF8, what Excel 97–2003 and WPS save as .xls), merged cells included.

Run it again only when that fixture changes: `pip install xlwt && python3 make_xls.py`.
xlwt is a writer for this one file, not a gkpub dependency (gkpub reads .xls with xlrd).
"""
from __future__ import annotations

import sys
from pathlib import Path

import xlwt
from openpyxl.utils import range_boundaries

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))
from test_import_field import tables_rows  # noqa: E402


def main() -> None:
    rows, merges, _, _ = tables_rows()
    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("标准目录")
    covered: set[tuple[int, int]] = set()
    for rng in merges:
        c1, r1, c2, r2 = range_boundaries(rng)  # 1-based, inclusive
        value = rows[r1 - 1][c1 - 1] if c1 - 1 < len(rows[r1 - 1]) else ""
        ws.write_merge(r1 - 1, r2 - 1, c1 - 1, c2 - 1, value)
        covered |= {(r, c) for r in range(r1 - 1, r2) for c in range(c1 - 1, c2)}
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if (r, c) not in covered and value not in ("", None):
                ws.write(r, c, value)
    wb.save(str(HERE / "seed004-tables.xls"))


if __name__ == "__main__":
    main()
