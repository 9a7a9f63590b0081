"""办事一本通: the table of contents must tell the truth about the pages."""
from __future__ import annotations

import re
from pathlib import Path

import pdfplumber
import pytest
from conftest import HELD_BACK_TITLES, print_cmd, print_site_items
from pdfcheck import assert_cjk_fonts_embedded, assert_paper, bookmarks, norm, page_margins, page_texts, qr_codes

BASE = "https://www.test.example.gov.cn/"
ITEMS = print_site_items()
GUIDES = {str(f["标题"]): f"{BASE}xxgk/{f['索引号']}/" for n, f in ITEMS.items() if n.startswith("guide")}
_TOC_LINE = re.compile(r"^(.*?)\s*(?:[.·…]\s*){3,}(\d+)$")


def toc_entries(pdf: Path) -> tuple[list[tuple[str, int]], int]:
    """(entry, page number it gives) from the 目录 pages, and the last 目录 page."""
    entries: list[tuple[str, int]] = []
    last = 0
    pending = ""
    with pdfplumber.open(pdf) as doc:
        for page in doc.pages[1:]:
            text = page.extract_text() or ""
            if page.page_number == 2:
                assert norm(text).startswith("目录"), "the table of contents follows the cover"
            elif not re.search(r"(?:\.\s*){3,}\d+\s*$", text, re.M):
                break
            last = page.page_number
            for line in text.splitlines():
                m = _TOC_LINE.match(line.strip())
                if m:
                    entries.append((norm(pending + m.group(1)), int(m.group(2))))
                    pending = ""
                elif norm(line) != "目录" and not norm(line).isdigit():  # a wrapped entry
                    pending += line
    return entries, last


def check_toc(pdf: Path) -> list[tuple[str, int]]:
    """Every entry is on the page the 目录 gives; an item's title is nowhere before it.

    (A domain or matter name may also occur in the text of an earlier guide.)
    """
    entries, last_toc = toc_entries(pdf)
    pages = page_texts(pdf)
    items = {norm(t) for lvl, t, _ in bookmarks(pdf) if lvl == 2}
    assert entries and items
    for entry, number in entries:
        assert last_toc < number <= len(pages), f"目录 gives p.{number} for 「{entry}」"
        assert entry in pages[number - 1], f"目录 says 「{entry}」 is on p.{number}; it is not"
        if entry in items:
            first = next(n for n, text in enumerate(pages, start=1) if n > last_toc and entry in text)
            assert first == number, f"目录 says 「{entry}」 starts on p.{number}, it starts on p.{first}"
    assert items <= {e for e, _ in entries}, "every item is in the 目录"
    return entries


@pytest.fixture(scope="module")
def handbook(printed: Path) -> Path:
    return printed / "handbook.pdf"


def test_handbook_is_a5_with_cover_and_true_contents(handbook: Path) -> None:
    assert_paper(handbook, 148, 210)
    pages = page_texts(handbook)
    assert "测试区办事一本通" in pages[0] and "测试区人民政府" in pages[0]
    entries = dict(check_toc(handbook))
    assert set(entries) >= {norm(t) for t in GUIDES} | {"社会救助", "最低生活保障", "养老服务"}


def test_handbook_holds_published_service_items_only(handbook: Path) -> None:
    text = "".join(page_texts(handbook))
    for title in GUIDES:
        assert norm(title) in text
    assert "温馨提示" in text, "the handbook prints the full guide, not the 摘要"
    for title in HELD_BACK_TITLES:
        assert norm(title) not in text
    for other in ("关于调整高龄津贴标准的通知", "最低生活保障资金发放工作安排", "审核确认公示"):
        assert norm(other) not in text, "only 服务-stage items belong in the handbook"


def test_running_headers_page_numbers_and_bookmarks(handbook: Path) -> None:
    marks = bookmarks(handbook)
    domains = [(t, p) for lvl, t, p in marks if lvl == 0]
    assert [t for t, _ in domains] == ["社会救助", "养老服务"]
    assert [t for lvl, t, _ in marks if lvl == 2] == [
        "最低生活保障办事指南（第2版）", "最低生活保障办事指南（第1版）",
        "临时救助办事指南（第2版）", "临时救助办事指南（第1版）",
        "居家养老服务办事指南（第2版）", "居家养老服务办事指南（第1版）"]
    assert {t for lvl, t, _ in marks if lvl == 1} == {"最低生活保障", "临时救助", "居家养老服务"}
    assert not [t for _, t, _ in marks if t.startswith(("一、", "目"))], "body headings stay out"
    starts = dict(domains)
    for page, (top, bottom) in enumerate(page_margins(handbook, 16, 14), start=1):
        if page >= starts["社会救助"]:
            domain = "养老服务" if page >= starts["养老服务"] else "社会救助"
            assert top.startswith(domain) and "办事一本通" in top, f"p.{page} header: {top}"
        assert bottom == ("" if page == 1 else str(page)), f"p.{page} folio: {bottom}"


def test_handbook_qr_codes_and_fonts(handbook: Path) -> None:
    found = [u for page in qr_codes(handbook) for u in page]
    assert sorted(u for u in found if u != BASE) == sorted(GUIDES.values())
    assert BASE in found, "the cover links the portal"
    assert_cjk_fonts_embedded(handbook, ("NotoSansCJK", "NotoSerifCJK"))


def test_one_domain_on_a4(printed: Path) -> None:
    pdf = printed / "handbook-jiuzhu.pdf"
    assert_paper(pdf, 210, 297)
    entries = dict(check_toc(pdf))
    assert "养老服务" not in entries and "社会救助" in entries
    assert "居家养老服务" not in "".join(page_texts(pdf))


def test_unknown_domain_is_a_usage_error(print_site: Path, tmp_path: Path, capsys) -> None:
    code = print_cmd("handbook", "--domain", "社会求助", "--site", str(print_site), "--out", str(tmp_path))
    err = capsys.readouterr().err
    assert code == 2 and "是不是「社会救助」" in err
