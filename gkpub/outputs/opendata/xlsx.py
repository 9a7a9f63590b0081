"""An .xlsx file with the same bytes every time for the same table.

openpyxl stamps the save time twice: in docProps/core.xml (dcterms:modified, set
on every save whatever the workbook says) and in every zip entry's header. Both
are replaced here by a fixed time chosen by the caller (the newest item's date).
"""
from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip header can hold
_MODIFIED_RE = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


def table_workbook(title: str, columns: Sequence[str], rows: Sequence[Sequence[str]],
                   widths: dict[str, int] | None = None) -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = title
    ws.append(list(columns))
    for row in rows:
        ws.append(list(row))
    head_font, head_fill = Font(bold=True), PatternFill("solid", fgColor="E8EEF6")
    wrap = Alignment(wrap_text=True, vertical="top")
    for cell in ws[1]:
        cell.font, cell.fill, cell.alignment = head_font, head_fill, wrap
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = wrap
    for i, name in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = (widths or {}).get(name, max(8, len(name) * 2 + 2))
    ws.freeze_panes = "A2"
    return wb


def workbook_bytes(wb: Workbook, when: dt.datetime) -> bytes:
    """Save ``wb`` with every timestamp set to ``when`` (naive, taken as UTC)."""
    wb.properties.creator = "gkpub"
    wb.properties.lastModifiedBy = "gkpub"
    wb.properties.created = when
    wb.properties.modified = when
    buf = io.BytesIO()
    wb.save(buf)
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = _MODIFIED_RE.sub(rb"\g<1>" + stamp + rb"\g<2>", data)
            entry = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = info.external_attr
            dst.writestr(entry, data)
    return out.getvalue()
