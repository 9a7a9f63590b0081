"""Real .docx 公文 written with python-docx, for the Word import tests.

`Gongwen` builds a document in GB/T 9704 order: 发文机关标志, 发文字号, 标题 (centred),
主送机关, 正文 (heading levels 一、（一）1.（1）), tables, images, footnotes, 附件说明, 署名,
成文日期, 附注 (「（此件公开发布）」), the attachments' own pages, 版记. What python-docx has no
API for is written into the document's XML the way Word writes it: a footnote (the
``footnotes.xml`` part, its relationship and a ``w:footnoteReference`` run), an image's alt text
(``docPr descr``) and an embedded file (a package part related from the document).
"""
from __future__ import annotations

import io
from pathlib import Path

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.shared import Cm, Pt
from PIL import Image as PILImage

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def png_bytes(color: tuple[int, int, int] = (200, 30, 30), size: tuple[int, int] = (120, 80)) -> bytes:
    buf = io.BytesIO()
    PILImage.new("RGB", size, color).save(buf, format="PNG")
    return buf.getvalue()


def xlsx_bytes(rows: list[list[object]]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


class Gongwen:
    """A 公文 being written; ``save(path)`` writes the .docx."""

    def __init__(self) -> None:
        self.doc = docx.Document()
        style = self.doc.styles["Normal"]
        style.font.size = Pt(16)
        self.notes: list[tuple[int, str]] = []

    def para(self, text: str, align: str = "", bold: bool = False) -> docx.text.paragraph.Paragraph:
        p = self.doc.add_paragraph()
        if text:
            run = p.add_run(text)
            run.bold = bold
        if align:
            p.alignment = {"center": WD_ALIGN_PARAGRAPH.CENTER, "right": WD_ALIGN_PARAGRAPH.RIGHT,
                           "justify": WD_ALIGN_PARAGRAPH.JUSTIFY}[align]
        return p

    def head(self, mark: str, doc_no: str, title: list[str] | str) -> None:
        """版头 and 标题: the mark in large type, the 文号, a blank line, the centred title."""
        p = self.para(mark, "center", bold=True)
        p.runs[0].font.size = Pt(36)
        if doc_no:
            self.para(doc_no, "center")
        self.para("")
        for line in [title] if isinstance(title, str) else title:
            self.para(line, "center", bold=True)
        self.para("")

    def body(self, *paragraphs: str) -> None:
        for text in paragraphs:
            p = self.para(text, "justify")
            p.paragraph_format.first_line_indent = Cm(1.1)

    def footnote(self, before: str, note: str, after: str = "") -> None:
        """A paragraph with a footnote reference after ``before``."""
        n = len(self.notes) + 1
        p = self.para(before, "justify")
        run = p.add_run()
        run._r.append(parse_xml(f'<w:footnoteReference xmlns:w="{W_NS}" w:id="{n}"/>'))
        if after:
            p.add_run(after)
        self.notes.append((n, note))

    def numbered(self, level: int, text: str) -> None:
        """A paragraph Word numbers itself with the 公文 levels (一、 （一） 1. （1）): the number is
        not in the text, it comes from a numbering definition (chineseCounting, decimal)."""
        numbering = self.doc.part.numbering_part.element
        if numbering.find(f"{{{W_NS}}}num[@{{{W_NS}}}numId='90']") is None:
            levels = [("chineseCounting", "%1、"), ("chineseCounting", "（%2）"), ("decimal", "%3."),
                      ("decimal", "（%4）")]
            abstract = parse_xml(
                f'<w:abstractNum xmlns:w="{W_NS}" w:abstractNumId="90">'
                + "".join(f'<w:lvl w:ilvl="{k}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
                          f'<w:lvlText w:val="{text}"/><w:suff w:val="nothing"/></w:lvl>'
                          for k, (fmt, text) in enumerate(levels))
                + "</w:abstractNum>")
            first_num = numbering.find(f"{{{W_NS}}}num")
            if first_num is not None:
                first_num.addprevious(abstract)
            else:
                numbering.append(abstract)
            numbering.append(parse_xml(f'<w:num xmlns:w="{W_NS}" w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
        p = self.para(text, "justify")
        num = p._p.get_or_add_pPr().get_or_add_numPr()
        num.get_or_add_ilvl().val = level
        num.get_or_add_numId().val = 90

    def table(self, rows: list[list[str]]) -> None:
        t = self.doc.add_table(rows=len(rows), cols=len(rows[0]))
        t.style = "Table Grid"
        for i, row in enumerate(rows):
            for j, text in enumerate(row):
                t.cell(i, j).text = text

    def image(self, data: bytes, alt: str = "") -> None:
        self.doc.add_picture(io.BytesIO(data), width=Cm(8))
        if alt:
            inline = self.doc.inline_shapes[-1]._inline
            inline.docPr.set("descr", alt)
        self.doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER

    def embed(self, name: str, data: bytes, content_type: str = CT.SML_SHEET) -> None:
        part = Part(PackURI(f"/word/embeddings/{name}"), content_type, data, self.doc.part.package)
        self.doc.part.relate_to(part, RT.PACKAGE)

    def tail(self, attachments: list[str], signature: list[str], date: str, attribute: str = "（此件公开发布）",
             notes: tuple[str, ...] = ()) -> None:
        """附件说明, 署名, 成文日期, 附注."""
        if attachments:
            self.para("")
            if len(attachments) == 1:
                self.body(f"附件：{attachments[0]}")
            else:
                self.body(f"附件：1. {attachments[0]}")
                for k, name in enumerate(attachments[1:], start=2):
                    p = self.para(f"{k}. {name}")
                    p.paragraph_format.left_indent = Cm(2.7)
        self.para("")
        self.para("")
        for s in signature:
            self.para(s, "right")
        self.para(date, "right")
        if attribute:
            self.body(attribute)
        for n in notes:
            self.body(n)

    def attachment_page(self, label: str, title: str, *paragraphs: str, rows: list[list[str]] | None = None) -> None:
        p = self.para("")
        p.add_run().add_break(WD_BREAK.PAGE)
        self.para(label)
        self.para(title, "center", bold=True)
        self.body(*paragraphs)
        if rows:
            self.table(rows)

    def banji(self, cc: str, printer: str) -> None:
        self.para("")
        self.para(f"抄送：{cc}。")
        self.para(printer)

    def save(self, path: Path) -> Path:
        if self.notes:
            xml = [f'<w:footnotes xmlns:w="{W_NS}">',
                   '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>',
                   '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/>'
                   '</w:r></w:p></w:footnote>']
            for n, text in self.notes:
                xml.append(f'<w:footnote w:id="{n}"><w:p><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>'
                           "</w:footnote>")
            xml.append("</w:footnotes>")
            part = Part(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, "".join(xml).encode("utf-8"),
                        self.doc.part.package)
            self.doc.part.relate_to(part, RT.FOOTNOTES)
        path.parent.mkdir(parents=True, exist_ok=True)
        self.doc.save(str(path))
        return path
