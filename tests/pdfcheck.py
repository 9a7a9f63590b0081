"""Read printed PDFs the way a person would: text, paper size, fonts, QR codes, bookmarks.

No skips: when a tool is missing these helpers fail with what to install.
"""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pdfplumber
import pypdfium2
import zxingcpp

MM = 72 / 25.4  # PDF points per millimetre
_WS = re.compile(r"\s+")


def need_tool(name: str, package: str = "poppler-utils") -> str:
    exe = shutil.which(name)
    assert exe, f"{name} is missing: install the Debian package {package} (scripts/setup.sh)"
    return exe


def norm(text: str) -> str:
    """Text without whitespace: line breaks and letter-spacing do not matter to a reader."""
    return _WS.sub("", text)


def page_texts(pdf: Path) -> list[str]:
    """pdftotext per page (it follows columns), whitespace removed."""
    out = subprocess.run([need_tool("pdftotext"), "-enc", "UTF-8", str(pdf), "-"],
                         capture_output=True, text=True, check=True).stdout
    pages = out.split("\f")
    if pages and not pages[-1].strip():
        pages = pages[:-1]
    return [norm(p) for p in pages]


def page_sizes_mm(pdf: Path) -> list[tuple[float, float]]:
    with pdfplumber.open(pdf) as doc:
        return [(p.width / MM, p.height / MM) for p in doc.pages]


def assert_paper(pdf: Path, width_mm: float, height_mm: float) -> None:
    """Every page is the asked paper, within 1 pt."""
    tol = 1 / MM
    for n, (w, h) in enumerate(page_sizes_mm(pdf), start=1):
        assert abs(w - width_mm) <= tol and abs(h - height_mm) <= tol, \
            f"page {n} is {w:.1f}×{h:.1f} mm, expected {width_mm}×{height_mm} mm"


def pdffonts(pdf: Path) -> list[tuple[str, str]]:
    """(font name, embedded yes/no) for every font of the document."""
    out = subprocess.run([need_tool("pdffonts"), str(pdf)], capture_output=True, text=True,
                         check=True).stdout.splitlines()[2:]
    rows = []
    for line in out:
        # columns: name type… encoding emb sub uni object ID
        parts = line.split()
        rows.append((parts[0], parts[-5]))
    return rows


def assert_cjk_fonts_embedded(pdf: Path, families: tuple[str, ...] = ("NotoSansCJK",)) -> None:
    """pdftotext prints Chinese even when the page shows boxes: check the fonts instead.

    Every font of the document is an embedded subset of Noto Sans/Serif CJK, so every
    character, Chinese or not, is drawn with a CJK font; each of ``families`` is used.
    """
    fonts = pdffonts(pdf)
    assert fonts, f"{pdf.name}: no fonts at all"
    names = set()
    for name, emb in fonts:
        assert emb == "yes", f"{pdf.name}: font {name} is not embedded"
        assert "+" in name, f"{pdf.name}: font {name} is not a subset"
        plain = name.split("+", 1)[1].replace("-", "")
        assert plain.startswith(("NotoSansCJK", "NotoSerifCJK")), f"{pdf.name}: font {name} is not CJK"
        names.add(plain)
    for fam in families:
        assert any(n.startswith(fam) for n in names), f"{pdf.name}: no {fam} font in {sorted(names)}"


def qr_codes(pdf: Path, dpi: int = 200) -> list[list[str]]:
    """The QR codes a phone would read, page by page."""
    doc = pypdfium2.PdfDocument(str(pdf))
    try:
        pages = []
        for n in range(len(doc)):
            image = doc[n].render(scale=dpi / 72).to_pil()
            found = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
            pages.append(sorted(r.text for r in found))
        return pages
    finally:
        doc.close()


def bookmarks(pdf: Path) -> list[tuple[int, str, int]]:
    """(level from 0, title, 1-based page) of the PDF outline."""
    doc = pypdfium2.PdfDocument(str(pdf))
    try:
        return [(b.level, b.get_title(), (b.get_dest().get_index() + 1) if b.get_dest() else 0)
                for b in doc.get_toc()]
    finally:
        doc.close()


def page_margins(pdf: Path, top_mm: float, bottom_mm: float) -> list[tuple[str, str]]:
    """Whitespace-free text of the top and bottom strips of every page: running headers, folios."""
    with pdfplumber.open(pdf) as doc:
        out = []
        for p in doc.pages:
            top = p.crop((0, 0, p.width, top_mm * MM)).extract_text() or ""
            bottom = p.crop((0, p.height - bottom_mm * MM, p.width, p.height)).extract_text() or ""
            out.append((norm(top), norm(bottom)))
        return out
