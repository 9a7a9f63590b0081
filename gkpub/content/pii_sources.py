"""Personal data in the site's other sources: site.toml, the catalogue's YAML files and
the text of attachments (CSV/TXT, XLSX, DOCX, OFD, PDF, and those inside a ZIP).

Every finding is a ContentError (file, line, field, message) like an item's: the build
stops on any of them. Attachments are read as their readers see them: every sheet of a
workbook (hidden ones too), a document's headers, footers, notes, comments and tracked
deletions, every page of a PDF. Old binary formats (.doc, .xls, .wps, .et) and images
are not read; a file its reader cannot open (damaged, encrypted, too large once
unpacked, misnamed) is checked as raw bytes decoded as text.

Attachment findings are cached by a digest of the file's bytes (``AttachmentScanCache``),
so a PDF is read once, not at every build.
"""
from __future__ import annotations

import bisect
import csv
import hashlib
import io
import json
import logging
import os
import re
import tomllib
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import Any
from xml.etree import ElementTree

from gkpub.content.frontmatter import SourceError, load_yaml, read_text
from gkpub.content.pii_check import (
    Finding,
    Leaves,
    Owners,
    located_pii,
    paragraphs,
    pii_message,
    scalar_text,
    yaml_fields,
)
from gkpub.rules.pii import LINE_BREAK, scan
from gkpub.util.engine import engine_key
from gkpub.util.errors import ContentError

# A zipped format (xlsx, docx, ofd, zip) whose parts unpack to more than this is refused:
# a small file can unpack to gigabytes.
MAX_UNPACKED_BYTES = 256 * 1024 * 1024
CACHE_NAME = "attachment-pii.json"


class Unreadable(Exception):
    """An attachment its reader cannot open; the message says why, in Chinese (it names
    the field of what is then found in the raw bytes)."""


# ---------------------------------------------------------------- site.toml

_ARRAY_TABLE_RE = re.compile(r"^\s*\[\[\s*([^\[\]#]+?)\s*\]\]")
_TABLE_RE = re.compile(r"^\s*\[\s*([^\[\]#]+?)\s*\]")
_KEY_RE = re.compile(r"""^\s*("[^"]*"|'[^']*'|[A-Za-z0-9_\-.]+)\s*=""")


def _toml_owners(text: str) -> tuple[Owners, dict[str, int]]:
    """(line, key path) of every table header and key line — ``site.phone``, ``org[3].phone``
    as config.py names them — and the first line of each path."""
    owners: Owners = []
    table = ""
    counts: dict[str, int] = {}
    for n, line in enumerate(LINE_BREAK.split(text), start=1):
        m = _ARRAY_TABLE_RE.match(line)
        if m:
            name = m.group(1).replace(" ", "")
            counts[name] = counts.get(name, 0) + 1
            table = f"{name}[{counts[name]}]"
            owners.append((n, table))
            continue
        m = _TABLE_RE.match(line)
        if m:
            table = m.group(1).replace(" ", "")
            owners.append((n, table))
            continue
        m = _KEY_RE.match(line)
        if m:
            key = m.group(1).strip("\"'")
            owners.append((n, f"{table}.{key}" if table else key))
    first: dict[str, int] = {}
    for n, path in owners:
        first.setdefault(path, n)
    return owners, first


def _toml_leaves(data: dict[str, Any], first: dict[str, int]) -> Leaves:
    leaves: Leaves = []

    def walk(node: Any, path: str) -> None:
        if isinstance(node, dict):
            for k, v in node.items():
                walk(v, f"{path}.{k}" if path else str(k))
        elif isinstance(node, list) and node and all(isinstance(x, dict) for x in node):
            for i, v in enumerate(node, start=1):
                walk(v, f"{path}[{i}]")
        else:
            text = scalar_text(node)
            if text:
                leaves.append((path, first.get(path, 0), text))

    walk(data, "")
    return leaves


def _in_toml_comment(line: str, column: int) -> bool:
    """Whether 1-based ``column`` of ``line`` is inside a # comment (outside any string)."""
    quote = ""
    i = 0
    while i < column - 1:
        c = line[i]
        if quote:
            if c == "\\" and quote == '"':
                i += 1
            elif c == quote:
                quote = ""
        elif c in "\"'":
            quote = c
        elif c == "#":
            return True
        i += 1
    return False


def site_toml_pii(site_dir: Path, allow: tuple[str, ...]) -> list[ContentError]:
    """Numbers in site.toml's values (an org's 'phone' that is a mobile shows on every page).
    Comments are not published and not checked. An unreadable file is load_config's to report."""
    try:
        text = (site_dir / "site.toml").read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return []
    return [ContentError("site.toml", line, fld, msg) for line, fld, msg in _toml_findings(text, allow)]


@lru_cache(maxsize=8)  # `gkpub serve` loads the site at every save: parse each version once
def _toml_findings(text: str, allow: tuple[str, ...]) -> tuple[Finding, ...]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return ()
    lines = LINE_BREAK.split(text)
    owners, first = _toml_owners(text)
    return tuple(located_pii(text, 1, owners, _toml_leaves(data, first), allow,
                             skip=lambda hit: _in_toml_comment(lines[hit.line - 1], hit.column)))


# ---------------------------------------------------------------- catalogue

def catalog_pii(site_dir: Path, allow: tuple[str, ...]) -> list[ContentError]:
    """Numbers in the catalogue files (their values reach every item that inherits them).
    A file that does not parse is load_catalog's to report."""
    out: list[ContentError] = []
    cat_dir = site_dir / "content" / "catalog"
    if not cat_dir.is_dir():
        return out
    for path in sorted(p for p in cat_dir.iterdir() if p.suffix in (".yaml", ".yml")):
        try:
            text = read_text(path)
        except (OSError, SourceError):
            continue
        rel = f"content/catalog/{path.name}"
        out.extend(ContentError(rel, line, fld, msg) for line, fld, msg in _yaml_findings(text, allow))
    return out


@lru_cache(maxsize=256)
def _yaml_findings(text: str, allow: tuple[str, ...]) -> tuple[Finding, ...]:
    try:
        data = load_yaml(text)
    except SourceError:
        return ()
    owners, leaves = yaml_fields(data, nested=True)
    return tuple(located_pii(text, 1, owners, leaves, allow))


# ---------------------------------------------------------------- attachment text

@dataclass
class _Part:
    """Text read from an attachment and the way back to where it stands in the file."""

    text: str
    where: Callable[[int, int], tuple[int, str]]  # (line, column) of a hit → (line in file or 0, field)
    extracted: bool = False  # laid-out text (PDF, OFD): blanks may stand between table cells


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Unicode text"
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise Unreadable("UTF-16 文本中有无法解码的字节") from None
    for encoding in ("utf-8", "gb18030"):  # gb18030: a superset of GBK, what Excel writes in China
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            pass
    raise Unreadable("既不是 UTF-8 也不是 GBK 编码的文本")


def _cell(value: Any) -> str:
    """A cell as a reader sees it; a pipe or line break would break the row apart."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e21:
        value = int(value)
    return re.sub(r"[\r\n|]+", " ", str(value))


def _col_name(i: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    name = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        name = chr(65 + r) + name
    return name


def _table_part(rows: list[tuple[int, list[str]]], field: Callable[[int, int, str], str]) -> _Part:
    """Rows as ``| a | b |`` lines, so a column's header is the context of its cells.
    ``rows``: (line or row number, cells); ``field(row, col, header)`` names a cell."""
    lines = ["| " + " | ".join(cells) + " |" for _, cells in rows]
    header = rows[0][1] if rows else []

    def where(line: int, column: int) -> tuple[int, str]:
        number, _ = rows[line - 1]
        col = lines[line - 1].count("|", 0, column - 1) - 1
        name = header[col].strip() if 0 <= col < len(header) else ""
        return number, field(number, col, name)

    return _Part("\n".join(lines), where)


def _csv_parts(data: bytes) -> list[_Part]:
    text = _decode(data)
    try:
        dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    rows: list[tuple[int, list[str]]] = []
    start = 1
    try:
        for row in reader:
            rows.append((start, [_cell(c) for c in row]))
            start = reader.line_num + 1
    except csv.Error:
        raise Unreadable(f"CSV 第 {reader.line_num} 行格式错误") from None

    def field(row: int, col: int, header: str) -> str:
        return f"{_col_name(col)}列" + (f"（{header}）" if header and row != 1 else "")

    return [_table_part(rows, field)]


def _txt_parts(data: bytes) -> list[_Part]:
    return [_Part(_decode(data), lambda line, column: (line, "文本"))]


def _xlsx_parts(data: bytes) -> list[_Part]:
    import openpyxl  # a dependency already; imported here because most builds never need it

    _check_unpacked(data)
    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a damaged file
        raise Unreadable(f"无法打开工作簿：{type(exc).__name__}") from None
    parts = []
    try:
        for ws in wb.worksheets:
            first = ws.min_row or 1
            rows = [(first + i, [_cell(v) for v in row])
                    for i, row in enumerate(ws.iter_rows(values_only=True))]
            parts.append(_table_part(rows, _sheet_cell(ws.title)))
    except Exception as exc:  # a damaged sheet
        raise Unreadable(f"无法读取工作表：{type(exc).__name__}") from None
    finally:
        wb.close()
    return parts


def _sheet_cell(title: str) -> Callable[[int, int, str], str]:
    """Names a cell of the sheet ``title`` by its row and column, as Excel does: 表1!B3."""
    return lambda row, col, header: f"{title}!{_col_name(col)}{row}"


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_DOCX_PARTS = (("word/document.xml", ""), ("word/header", "页眉"), ("word/footer", "页脚"),
               ("word/footnotes.xml", "脚注"), ("word/endnotes.xml", "尾注"),
               ("word/comments.xml", "批注"))


def _docx_text(node: ElementTree.Element) -> str:
    """A paragraph's (or cell's) text in reading order, deleted revisions included."""
    out = []
    for el in node.iter():
        tag = el.tag
        if tag in (_W + "t", _W + "delText", _W + "instrText") and el.text:
            out.append(el.text)
        elif tag == _W + "tab":
            out.append("\t")
        elif tag in (_W + "br", _W + "cr"):
            out.append("\n")
        elif tag == _W + "noBreakHyphen":
            out.append("-")
        elif tag == _W + "softHyphen":
            out.append("\u00ad")
        elif tag == _W + "p" and out and el is not node:
            out.append(" ")
    return "".join(out)


def _docx_parts(data: bytes) -> list[_Part]:
    zf = _open_zip(data)
    parts = []
    names = sorted(zf.namelist())
    for prefix, label in _DOCX_PARTS:
        for name in (n for n in names if n.startswith(prefix) and n.endswith(".xml")):
            root = _xml(zf, name)
            body = root.find(_W + "body")
            blocks: list[tuple[str, str]] = []  # (field, text), one per paragraph or table row
            paragraphs = tables = 0
            for el in (body if body is not None else root):
                if el.tag == _W + "p":
                    paragraphs += 1
                    blocks.append((f"{label}第 {paragraphs} 段", _docx_text(el)))
                elif el.tag == _W + "tbl":
                    tables += 1
                    for r, tr in enumerate(el.iter(_W + "tr"), start=1):
                        cells = [_cell(_docx_text(tc)) for tc in tr.findall(_W + "tc")]
                        blocks.append((f"{label}表格 {tables} 第 {r} 行", "| " + " | ".join(cells) + " |"))
                else:
                    text = _docx_text(el)
                    if text.strip():
                        blocks.append((label or "正文", text))
            parts.extend(_blocks_part(blocks))
    return parts


def _blocks_part(blocks: list[tuple[str, str]], extracted: bool = False) -> list[_Part]:
    """One text of blocks a blank line apart (never one number across two blocks)."""
    if not blocks:
        return []
    text, starts = paragraphs([t for _, t in blocks])

    def where(hit_line: int, column: int) -> tuple[int, str]:
        return 0, blocks[bisect.bisect_right(starts, hit_line) - 1][0]

    return [_Part(text, where, extracted)]


_OFD_PAGE_RE = re.compile(r"Pages/Page_(\d+)/Content\.xml$")


def _ofd_parts(data: bytes) -> list[_Part]:
    """OFD (GB/T 33190): each page's TextCode runs, one text object per line."""
    zf = _open_zip(data)
    pages = sorted((int(m.group(1)), name) for name in zf.namelist()
                   if (m := _OFD_PAGE_RE.search(name)))
    blocks = []
    for number, name in pages:
        lines = []
        for obj in _xml(zf, name).iter():
            if obj.tag.endswith("}TextObject"):
                lines.append("".join(c.text or "" for c in obj.iter() if c.tag.endswith("}TextCode")))
        blocks.append((f"第 {number + 1} 页", "\n".join(lines)))
    return _blocks_part(blocks, extracted=True)


def _pdf_parts(data: bytes) -> list[_Part]:
    import pypdf  # see pyproject.toml: pure Python, the fastest of the maintained PDF text readers

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # its warnings are not for editors
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise Unreadable("PDF 加了密码")
        blocks = [(f"第 {n} 页", page.extract_text() or "") for n, page in enumerate(reader.pages, 1)]
    except Unreadable:
        raise
    except Exception as exc:  # pypdf raises many kinds on a damaged file
        raise Unreadable(f"PDF 文件损坏或格式不受支持：{type(exc).__name__}") from None
    return _blocks_part(blocks, extracted=True)


def _zip_parts(data: bytes) -> list[_Part]:
    """Members of a ZIP that are themselves readable (one level: no ZIP inside a ZIP).
    A member with a password is skipped: nobody reads it without the password either."""
    zf = _open_zip(data)
    parts = []
    for info in sorted(zf.infolist(), key=lambda i: i.filename):
        reader = _READERS.get(PurePosixPath(info.filename).suffix.lower())
        if info.is_dir() or reader is None or reader is _zip_parts or info.flag_bits & 0x1:
            continue
        for part in _parts(reader, zf.read(info)):
            parts.append(_Part(part.text, _in_member(info.filename, part), part.extracted))
    return parts


def _in_member(member: str, part: _Part) -> Callable[[int, int], tuple[int, str]]:
    """``part.where`` for a part read from the ZIP member ``member``."""
    return lambda line, column: _inside(member, part.where(line, column))


def _inside(member: str, where: tuple[int, str]) -> tuple[int, str]:
    return 0, f"{member}：" + (f"第 {where[0]} 行 " if where[0] else "") + where[1]


def _open_zip(data: bytes) -> zipfile.ZipFile:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise Unreadable("不是完整的压缩格式") from None
    if sum(i.file_size for i in zf.infolist()) > MAX_UNPACKED_BYTES:
        raise Unreadable(f"解压后超过 {MAX_UNPACKED_BYTES // 1048576} MB")
    return zf


def _check_unpacked(data: bytes) -> None:
    _open_zip(data).close()


def _xml(zf: zipfile.ZipFile, name: str) -> ElementTree.Element:
    try:
        return ElementTree.fromstring(zf.read(name))
    except (ElementTree.ParseError, KeyError, zipfile.BadZipFile) as exc:
        raise Unreadable(f"{name} 无法解析：{type(exc).__name__}") from None


_READERS: dict[str, Callable[[bytes], list[_Part]]] = {
    ".csv": _csv_parts, ".txt": _txt_parts, ".xlsx": _xlsx_parts, ".xlsm": _xlsx_parts,
    ".docx": _docx_parts, ".ofd": _ofd_parts, ".pdf": _pdf_parts, ".zip": _zip_parts,
}
READABLE_TYPES = tuple(sorted(t.lstrip(".") for t in _READERS))


def _parts(reader: Callable[[bytes], list[_Part]], data: bytes) -> list[_Part]:
    """What ``reader`` reads in ``data``; for a file it cannot read (damaged, encrypted, a
    bomb), the raw bytes as text: no reader shows residents more than that, and a file
    misnamed (a CSV saved as .xlsx) is still checked."""
    try:
        return reader(data)
    except Exception as exc:  # Unreadable, or whatever else a damaged file makes a reader raise
        why = str(exc) if isinstance(exc, Unreadable) else f"文件已损坏：{type(exc).__name__}"
    try:
        text = _decode(data)
    except Unreadable:
        text = data.decode("utf-8", "replace")
    return [_Part(text, lambda line, column: (0, f"原始内容（{why}）"), True)]


def _findings(name: str, data: bytes, allow: tuple[str, ...]) -> list[Finding]:
    reader = _READERS.get(PurePosixPath(name).suffix.lower())
    if reader is None:
        return []
    out: list[Finding] = []
    for part in _parts(reader, data):
        for hit in scan(part.text, allow, extracted=part.extracted):
            line, fld = part.where(hit.line, hit.column)
            out.append((line, fld, pii_message(hit)))
    return out


def attachment_pii(path: Path, rel: str, allow: tuple[str, ...] = (),
                   cache: AttachmentScanCache | None = None) -> list[ContentError]:
    """Unmasked numbers in the text of the attachment at ``path``, reported as ``rel`` (its
    path from the site directory, e.g. content/items/dibao/files/mingdan.xlsx, whose
    extension gives the type). With ``cache``, a file read before is not read again."""
    if PurePosixPath(rel).suffix.lower() not in _READERS:
        return []
    try:
        data = path.read_bytes()
    except OSError as exc:
        return [ContentError(rel, 0, "附件", f"无法读取附件：{exc.strerror}")]
    found = cache.findings(rel, data, allow) if cache is not None else _findings(rel, data, allow)
    return [ContentError(rel, line, fld, msg) for line, fld, msg in found]


# ---------------------------------------------------------------- published attachments

class AttachmentScanCache:
    """Findings per attachment, keyed by the SHA-256 of its bytes; a cache made by other
    engine code or for another allow-list is not used. One JSON file under the cache dir."""

    def __init__(self, cache_dir: Path | None, allow: tuple[str, ...], clean: bool = False):
        self.file = cache_dir / CACHE_NAME if cache_dir else None
        self.tag = [engine_key(), list(allow)]
        self.entries: dict[str, list[list[Any]]] = {}
        self.used: set[str] = set()  # digests asked for since loading
        self.dirty = False
        if self.file and self.file.is_file() and not clean:
            try:
                stored = json.loads(self.file.read_text(encoding="utf-8"))
                if stored.get("tag") == self.tag:
                    self.entries = stored["entries"]
            except (ValueError, KeyError, TypeError, AttributeError):
                self.entries = {}  # damaged: scanned again

    def findings(self, name: str, data: bytes, allow: tuple[str, ...]) -> list[Finding]:
        """``name`` gives the type (its extension)."""
        digest = hashlib.sha256(data).hexdigest()
        self.used.add(digest)
        hit = self.entries.get(digest)
        if hit is None:
            found = _findings(name, data, allow)
            self.entries[digest] = [list(f) for f in found]
            self.dirty = True
            return found
        return [(int(line), str(fld), str(msg)) for line, fld, msg in hit]

    def prune(self) -> None:
        """Forget the files not asked for since loading (no longer published)."""
        for digest in set(self.entries) - self.used:
            del self.entries[digest]
            self.dirty = True

    def save(self) -> None:
        if not (self.file and self.dirty):
            return
        self.file.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.file.with_name(f".{CACHE_NAME}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps({"tag": self.tag, "entries": self.entries}, ensure_ascii=False),
                       encoding="utf-8")
        os.replace(tmp, self.file)
        self.dirty = False


def attachments_pii(items: Iterable[Any], allow: tuple[str, ...], cache_dir: Path | None = None,
                    clean: bool = False) -> list[ContentError]:
    """Findings in every attachment of ``items`` (the published ones), each file read once.

    Held-back items' attachments are not published and not checked here.
    """
    cache = AttachmentScanCache(cache_dir, allow, clean)
    out: list[ContentError] = []
    seen: set[Path] = set()
    for item in items:
        for att in item.attachments:
            if att.source not in seen:
                seen.add(att.source)
                out.extend(attachment_pii(att.source, f"content/{att.rel}", allow, cache))
    cache.prune()
    cache.save()
    return out
