"""A .docx file as a flat list of blocks (paragraphs and tables), read with python-docx.

What `gkpub import docx` needs of Word's document model, and nothing of its layout: the
text of each paragraph in reading order (runs inside hyperlinks, insertions and fields
included; deleted text and field codes left out), where a footnote is referenced (marked in
the text by NOTE_OPEN and NOTE_CLOSE), the images a paragraph shows, its alignment and
list numbering; tables as rows of cell texts; the footnotes' texts; files embedded in the
document (an .xlsx or .pdf pasted as an object).

Each block has ``line``: its line in the document's text as a plain-text export shows it,
one line per paragraph and per table row, counted from 1. Messages about the document
(personal data, a missing date line) name that line.
"""
from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from gkpub.util.errors import UsageError

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_V = "urn:schemas-microsoft-com:vml"
_WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
_RT_FOOTNOTES = f"{_R}/footnotes"
_RT_PACKAGE = f"{_R}/package"
_RT_OLE = f"{_R}/oleObject"

_T, _TAB, _BR, _CR = f"{{{_W}}}t", f"{{{_W}}}tab", f"{{{_W}}}br", f"{{{_W}}}cr"
_FOOTREF, _BLIP, _IMAGEDATA = f"{{{_W}}}footnoteReference", f"{{{_A}}}blip", f"{{{_V}}}imagedata"
_DOCPR = f"{{{_WP}}}docPr"
_NOBREAK_HYPHEN = f"{{{_W}}}noBreakHyphen"
_P, _TBL, _SDT, _SDT_CONTENT = f"{{{_W}}}p", f"{{{_W}}}tbl", f"{{{_W}}}sdt", f"{{{_W}}}sdtContent"
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_HIDDEN = frozenset({f"{{{_MC}}}Fallback", f"{{{_W}}}del", f"{{{_W}}}moveFrom"})
# A footnote reference in Para.text: private-use characters around the footnote's id, which no
# document text holds and which break a run of digits (the personal-data scanner reads runs)
NOTE_OPEN, NOTE_CLOSE = "\ue000", "\ue001"
NOTE_RE = re.compile(f"{NOTE_OPEN}([^{NOTE_CLOSE}]*){NOTE_CLOSE}")


@dataclass(frozen=True)
class Image:
    """An image a paragraph shows: its bytes, the extension of its part, and the alt text
    the document gives it (Word's 替代文字, ``docPr`` descr or title), '' when none."""

    data: bytes
    ext: str
    alt: str


@dataclass
class Para:
    line: int
    text: str  # a footnote reference as NOTE_OPEN id NOTE_CLOSE where it stands
    align: str = ""  # "center", "right", "left", "both" or ""
    list_kind: str = ""  # "ol" / "ul" when Word numbers the paragraph itself; "" otherwise
    list_level: int = 0
    images: list[Image] = field(default_factory=list)
    page_break_before: bool = False
    heading: int = 0  # Word's heading style (Heading 1 …), 0 for none


@dataclass
class Table:
    line: int  # the first row's line
    rows: list[list[str]]


Block = Para | Table


@dataclass
class Embedded:
    name: str  # the part's file name in the package, e.g. Microsoft_Excel_Worksheet.xlsx
    data: bytes


@dataclass
class DocxText:
    blocks: list[Block]
    footnotes: dict[str, str]  # footnote id → its text
    embedded: list[Embedded]

    def lines(self) -> list[str]:
        """The document's text, one entry per line as ``Block.line`` counts them."""
        out: list[str] = []
        for b in self.blocks:
            if isinstance(b, Para):
                out.append(NOTE_RE.sub("", b.text))
            else:
                out.extend("\t".join(row) for row in b.rows)
        return out


def _qn(tag: str) -> str:
    prefix, _, local = tag.partition(":")
    return f"{{{ {'w': _W, 'a': _A, 'r': _R}[prefix]}}}{local}"


def read_docx(path: Path) -> DocxText:
    """The blocks of ``path``; UsageError when it is not a Word .docx file."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    if not zipfile.is_zipfile(path):
        hint = "（.doc 是旧格式：请在 Word 或 WPS 中「另存为」.docx）" if path.suffix.lower() == ".doc" else ""
        raise UsageError(f"{path} 不是 Word 文档（.docx）{hint}")
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise UsageError(f"{path} 无法作为 Word 文档（.docx）读取：{exc}") from None
    from lxml import etree

    try:
        return _read(document)
    except (ValueError, KeyError, AttributeError, TypeError, IndexError, etree.XMLSyntaxError) as exc:
        # a part python-docx cannot follow (a damaged or hand-made file): said as such, no traceback
        raise UsageError(f"{path} 的内容无法读取（{type(exc).__name__}: {exc}）；文件可能已损坏，"
                         "请在 Word 或 WPS 中打开后「另存为」.docx 再导入") from None


def _read(document: Any) -> DocxText:
    part = document.part
    numbering = Numbering(part)
    blocks: list[Block] = []
    line = 1
    for item in _body_items(document.element.body, document._body):
        if hasattr(item, "rows"):
            rows = _table_rows(item)
            if rows:
                blocks.append(Table(line, rows))
                line += len(rows)
            continue
        blocks.append(_para(item, line, part, numbering))
        line += 1
    return DocxText(blocks, _footnotes(part), _embedded(part))


def _body_items(container: Any, parent: Any) -> Iterator[Any]:
    """Paragraphs and tables in reading order, also those inside block-level content controls
    (``w:sdt``: templates put the 标题 or 文号 field in one), which python-docx's
    ``iter_inner_content`` passes over."""
    from docx.table import Table as DocxTable
    from docx.text.paragraph import Paragraph

    for child in container:
        if child.tag == _P:
            yield Paragraph(child, parent)
        elif child.tag == _TBL:
            yield DocxTable(child, parent)
        elif child.tag == _SDT:
            content = child.find(_SDT_CONTENT)
            if content is not None:
                yield from _body_items(content, parent)


def _align(paragraph: Any) -> str:
    value = paragraph.paragraph_format.alignment
    style = paragraph.style
    while value is None and style is not None:
        value = style.paragraph_format.alignment
        style = style.base_style
    if value is None:
        return ""
    name = str(getattr(value, "name", value)).lower()
    return {"justify": "both", "distribute": "both"}.get(name, name)


def _walk(el: Any) -> Iterator[Any]:
    """``el`` and its descendants in document order, without what Word does not show as text:
    the fallback copy of a drawing (``mc:Fallback``: a text box or image a second time, for old
    readers) and deleted or moved-away text (tracked changes)."""
    yield el
    for child in el:
        if child.tag not in _HIDDEN:
            yield from _walk(child)


def _num_pr(paragraph: Any) -> Any:
    """The paragraph's list numbering: its own, else its style's (a heading style linked to a list)."""
    ppr = paragraph._p.pPr
    if ppr is not None and ppr.numPr is not None:
        return ppr.numPr
    style = paragraph.style
    while style is not None:
        sppr = style.element.pPr
        if sppr is not None and sppr.numPr is not None:
            return sppr.numPr
        style = style.base_style
    return None


def _heading_of(paragraph: Any) -> int:
    """1–9 for Word's heading styles (Heading 1, 标题 1), 0 otherwise."""
    style = paragraph.style
    m = re.fullmatch(r"(?:Heading|标题)\s*(\d)", (style.name or "") if style is not None else "")
    return int(m.group(1)) if m else 0


def _para(paragraph: Any, line: int, part: Any, numbering: Numbering) -> Para:
    p = paragraph._p
    texts: list[str] = []
    images: list[Image] = []
    alt = ""
    for el in _walk(p):
        tag = el.tag
        if tag == _T:
            texts.append(el.text or "")
        elif tag == _TAB:
            texts.append("\t")
        elif tag in (_BR, _CR):
            if el.get(f"{{{_W}}}type") not in ("page", "column"):
                texts.append("\n")
        elif tag == _NOBREAK_HYPHEN:
            texts.append("-")
        elif tag == _FOOTREF:
            texts.append(f"{NOTE_OPEN}{el.get(f'{{{_W}}}id')}{NOTE_CLOSE}")
        elif tag == _DOCPR:
            alt = (el.get("descr") or el.get("title") or "").strip()
        elif tag in (_BLIP, _IMAGEDATA):
            rid = el.get(f"{{{_R}}}embed") or el.get(f"{{{_R}}}id")
            target = part.related_parts.get(rid) if rid else None
            if target is not None:
                ext = PurePosixPath(str(target.partname)).suffix.lower().lstrip(".")
                images.append(Image(target.blob, ext, alt))
            alt = ""
    kind, level, label = "", 0, ""
    num = _num_pr(paragraph)
    if num is not None and num.numId is not None and num.numId.val != 0:
        level = int(num.ilvl.val) if num.ilvl is not None else 0
        kind, label = numbering.label(str(num.numId.val), level)
        if label:  # the number as Word shows it becomes text: 「一、」 is then a 公文 heading
            kind = ""
    else:
        style_name = (paragraph.style.name or "") if paragraph.style is not None else ""
        if style_name.startswith("List Bullet"):
            kind = "ul"
        elif style_name.startswith("List Number"):
            kind = "ol"
    page_break = bool(paragraph.paragraph_format.page_break_before) or any(
        el.tag == _BR and el.get(f"{{{_W}}}type") == "page" for el in p.iter(_BR))
    return Para(line, label + "".join(texts), _align(paragraph), kind, level, images, page_break,
                _heading_of(paragraph))


def _table_rows(table: Any) -> list[list[str]]:
    rows: list[list[str]] = []
    for row in table.rows:
        cells: list[str] = []
        previous = None
        for cell in row.cells:
            # a cell spanning several grid columns comes back once per column: shown once
            same = previous is not None and cell._tc is previous
            previous = cell._tc
            cells.append("" if same else " ".join(t.strip() for t in cell.text.split("\n") if t.strip()))
        if any(cells):
            rows.append(cells)
    return rows


_CN = "零一二三四五六七八九"
_TIANGAN = "甲乙丙丁戊己庚辛壬癸"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def _chinese(n: int) -> str:
    """1–99 in Chinese numerals, as Word's chineseCounting writes them (十一, 二十, 二十一)."""
    if n < 10:
        return _CN[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _CN[tens]) + "十" + (_CN[ones] if ones else "") if n < 100 else str(n)


def _roman(n: int) -> str:
    out = ""
    for value, digits in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
                          (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        while n >= value:
            out, n = out + digits, n - value
    return out


def format_number(n: int, fmt: str) -> str:
    """The counter ``n`` as Word shows it in a list of format ``fmt`` (w:numFmt)."""
    if fmt.startswith(("chineseCounting", "chineseLegal", "ideographDigital", "japaneseCounting",
                       "taiwaneseCounting")):
        return _chinese(n)
    if fmt == "ideographTraditional":
        return _TIANGAN[(n - 1) % 10]
    if fmt.startswith("decimalEnclosedCircle") and 1 <= n <= len(_CIRCLED):
        return _CIRCLED[n - 1]
    if fmt == "decimalFullWidth":
        return "".join(chr(ord(c) + 0xFEE0) for c in str(n))
    if fmt in ("lowerLetter", "upperLetter"):
        letter = chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt in ("lowerRoman", "upperRoman"):
        return _roman(n).upper() if fmt == "upperRoman" else _roman(n)
    if fmt == "none":
        return ""
    return str(n)


@dataclass
class _Level:
    fmt: str
    text: str  # w:lvlText, e.g. "%1、" or "（%2）"
    start: int


class Numbering:
    """Word's own list numbering (numbering.xml), counted in reading order, so that a heading
    Word numbers itself (「一、」 from a chineseCounting list) reads as it is shown."""

    def __init__(self, part: Any):
        self.levels: dict[str, dict[int, _Level]] = {}
        self.counters: dict[str, dict[int, int]] = {}
        try:
            root = part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        abstract: dict[str, dict[int, _Level]] = {}
        for a in root.findall(_qn("w:abstractNum")):
            levels: dict[int, _Level] = {}
            for lvl in a.findall(_qn("w:lvl")):
                fmt, text, start = lvl.find(_qn("w:numFmt")), lvl.find(_qn("w:lvlText")), lvl.find(_qn("w:start"))
                levels[int(lvl.get(_qn("w:ilvl")) or 0)] = _Level(
                    fmt.get(_qn("w:val")) if fmt is not None else "decimal",
                    (text.get(_qn("w:val")) or "") if text is not None else "",
                    int(start.get(_qn("w:val")) or 1) if start is not None else 1)
            abstract[a.get(_qn("w:abstractNumId"))] = levels
        for n in root.findall(_qn("w:num")):
            ref = n.find(_qn("w:abstractNumId"))
            if ref is not None:
                self.levels[n.get(_qn("w:numId"))] = abstract.get(ref.get(_qn("w:val")), {})

    def label(self, num_id: str, ilvl: int) -> tuple[str, str]:
        """("ul", "") for a bullet, else ("ol", the number as shown, e.g. 「一、」) — counting it."""
        levels = self.levels.get(num_id, {})
        lvl = levels.get(ilvl)
        if lvl is not None and lvl.fmt == "bullet":
            return "ul", ""
        counts = self.counters.setdefault(num_id, {})
        counts[ilvl] = counts.get(ilvl, (lvl.start if lvl else 1) - 1) + 1
        for deeper in [k for k in counts if k > ilvl]:
            del counts[deeper]
        if lvl is None:
            return "ol", ""

        def value(m: re.Match[str]) -> str:
            k = int(m.group(1)) - 1
            at = levels.get(k)
            return format_number(counts.get(k, at.start if at else 1), at.fmt if at else "decimal")

        return "ol", re.sub(r"%(\d)", value, lvl.text)


def _footnotes(part: Any) -> dict[str, str]:
    from lxml import etree

    for rel in part.rels.values():
        if rel.reltype == _RT_FOOTNOTES and not rel.is_external:
            root = etree.fromstring(rel.target_part.blob)
            out: dict[str, str] = {}
            for note in root.findall(_qn("w:footnote")):
                if note.get(_qn("w:type")) in ("separator", "continuationSeparator", "continuationNotice"):
                    continue
                paras = ["".join(t.text or "" for t in p.iter(_T)) for p in note.iter(_qn("w:p"))]
                out[note.get(_qn("w:id"))] = " ".join(x.strip() for x in paras if x.strip())
            return out
    return {}


def _embedded(part: Any) -> list[Embedded]:
    out: list[Embedded] = []
    for rel in sorted(part.rels.values(), key=lambda r: int(re.sub(r"\D", "", r.rId) or 0)):
        if rel.reltype in (_RT_PACKAGE, _RT_OLE) and not rel.is_external:
            target = rel.target_part
            out.append(Embedded(PurePosixPath(str(target.partname)).name, target.blob))
    return out
