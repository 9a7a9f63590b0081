"""The demo district's posters and handbook, printed and read back."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import REPO, TODAY
from pdfcheck import assert_cjk_fonts_embedded, assert_paper, norm, page_texts, qr_codes
from test_print_handbook import check_toc

from gkpub.content.loader import load_site
from gkpub.outputs.print.board import board_items, boards


@pytest.fixture(scope="module")
def demo():
    return load_site(REPO, TODAY)


def held_back_titles(site) -> list[str]:
    shown = {id(i) for i in site.published}
    return [norm(i.title) for i in site.items if id(i) not in shown]


def test_every_demo_board(demo, demo_printed: Path) -> None:
    cfg = demo.config
    index = json.loads((demo_printed / "boards" / "index.json").read_text(encoding="utf-8"))
    assert [b["board"] for b in index["boards"]] == cfg.boards
    held = held_back_titles(demo)
    assert held, "the demo has held-back items to leave off"
    sheets = 0
    for board in boards(cfg):
        pdf = demo_printed / "boards" / board.file_name
        assert_paper(pdf, 297, 420)
        pages = page_texts(pdf)
        sheets = max(sheets, len(pages))
        text = "".join(pages)
        assert f"{board.name}政务公开栏" in pages[0] and f"{cfg.district}·{board.township.name}" in pages[0]
        items = [i for stage in board_items(demo, board).values() for i in stage]
        for item in items:
            assert norm(item.title) in text, f"{board.name}: {item.title}"
        for title in held:
            assert title not in text, f"{board.name} shows held-back 「{title}」"
        for n, page in enumerate(pages[1:], start=2):
            assert f"{board.name}政务公开栏（续）" in page, f"{board.name} sheet {n}"
        qrs = qr_codes(pdf, dpi=150)
        assert len(qrs[0]) > 1, f"{board.name}: the first sheet carries items"
        found = [u for page in qrs for u in page]
        assert sorted(found) == sorted([cfg.base_url] + [cfg.url(i.url) for i in items]), board.name
        assert_cjk_fonts_embedded(pdf)
    assert sheets >= 2, "the fullest demo board continues on a second sheet"


def test_demo_handbook(demo, demo_printed: Path) -> None:
    pdf = demo_printed / "handbook.pdf"
    assert_paper(pdf, 148, 210)
    check_toc(pdf)
    text = "".join(page_texts(pdf))
    guides = [i for i in demo.published if i.stage == "服务" and not i.expired(TODAY)]
    assert guides
    for item in guides:
        assert norm(item.title) in text
    for title in held_back_titles(demo):
        assert title not in text
    found = {u for page in qr_codes(pdf, dpi=150) for u in page}
    assert found == {demo.config.base_url} | {demo.config.url(i.url) for i in guides}
    assert_cjk_fonts_embedded(pdf, ("NotoSansCJK", "NotoSerifCJK"))
