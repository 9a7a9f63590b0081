"""Board posters (公开栏), read back as a resident would: text, paper, fonts, QR codes."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import HELD_BACK_TITLES, TODAY, item_text, print_cmd, print_site_items, write_item
from pdfcheck import assert_cjk_fonts_embedded, assert_paper, bookmarks, norm, page_texts, qr_codes

BASE = "https://www.test.example.gov.cn/"
ITEMS = print_site_items()


def titles(*prefixes: str) -> set[str]:
    return {str(f["标题"]) for name, f in ITEMS.items() if name.startswith(prefixes)}


def urls(*prefixes: str) -> set[str]:
    return {f"{BASE}xxgk/{f['索引号']}/" for name, f in ITEMS.items() if name.startswith(prefixes)}


# what each board of the fixture site must show: 公开栏 全部 / 东城街道 / the board itself
ON_DONGCHENG = ("policy", "bushu", "jiancha", "gongshi", "guide1", "guide3")
ON_XILING = ("policy", "bushu", "guide1", "guide3", "xiling")


@pytest.fixture(scope="module")
def dongcheng(printed: Path) -> Path:
    return printed / "boards" / "东城社区.pdf"


def test_board_is_a3_portrait_and_overflows_onto_more_sheets(dongcheng: Path) -> None:
    assert_paper(dongcheng, 297, 420)
    pages = page_texts(dongcheng)
    assert len(pages) >= 2
    assert "东城社区政务公开栏" in pages[0] and "（续）" not in pages[0]
    for n, text in enumerate(pages[1:], start=2):
        assert "东城社区政务公开栏（续）" in text, f"sheet {n} is not marked 续"
    for n, text in enumerate(pages, start=1):
        assert f"第{n}张共{len(pages)}张" in text
        assert f"打印日期：{TODAY.isoformat()}" in text
        assert "政务公开监督电话：测试区0871-60000000" in text


def test_board_shows_its_items_by_stage_and_nothing_held_back(printed: Path, dongcheng: Path) -> None:
    text = "".join(page_texts(dongcheng))
    for title in titles(*ON_DONGCHENG):
        assert norm(title) in text, title
    for title in HELD_BACK_TITLES + tuple(titles("xiling", "web-only", "guide2")):
        assert norm(title) not in text, f"{title} must not be on the 东城社区 board"
    # grouped under the five stages, in their order (the PDF outline follows the headings)
    stages = [norm(title) for level, title, _ in bookmarks(dongcheng) if level == 1]
    assert stages == ["决策公开1条", "执行公开8条", "管理公开4条", "服务公开4条", "结果公开6条"]
    # each item's 公开主体, 发布日期 and 公示期
    assert "公开主体测试区民政局" in text and "发布日期2026-11-20" in text
    assert "公示期：2026-11-20至2026-11-30" in text
    # a long body gives way to its 摘要; a short one is printed in full
    assert "符合条件的居民可向街道便民服务中心申请" in text and "温馨提示" not in text
    assert "本次检查共抽查低保档案36份" in text
    # personal data stays masked as written
    assert "4307**********1234" in text

    xiling = "".join(page_texts(printed / "boards" / "西岭村.pdf"))
    for title in titles(*ON_XILING):
        assert norm(title) in xiling, title
    for title in HELD_BACK_TITLES + tuple(titles("jiancha", "gongshi", "web-only")):
        assert norm(title) not in xiling


def test_every_qr_code_opens_the_item_on_the_portal(dongcheng: Path) -> None:
    pages = qr_codes(dongcheng)
    found = [u for page in pages for u in page]
    assert BASE in pages[0], "the header's QR code opens the portal"
    item_urls = [u for u in found if u != BASE]
    assert sorted(item_urls) == sorted(urls(*ON_DONGCHENG)), "one readable QR code per item"


def test_board_fonts_are_embedded_cjk_subsets(dongcheng: Path) -> None:
    assert_cjk_fonts_embedded(dongcheng)


def test_boards_index_links_every_poster(printed: Path) -> None:
    index = (printed / "boards" / "index.html").read_text(encoding="utf-8")
    data = json.loads((printed / "boards" / "index.json").read_text(encoding="utf-8"))
    assert [b["board"] for b in data["boards"]] == ["东城社区", "西岭村"]
    for b in data["boards"]:
        assert (printed / "boards" / b["file"]).is_file()
        assert f'href="{b["href"]}"' in index
    assert data["printed"] == TODAY.isoformat()
    assert "依申请公开" not in index


@pytest.mark.parametrize("paper,landscape,size", [
    ("A4", True, (297, 210)),
    ("A2", False, (420, 594)),
])
def test_paper_options(print_site: Path, tmp_path: Path, paper: str, landscape: bool,
                       size: tuple[int, int]) -> None:
    args = ["board", "西岭村", "--paper", paper, "--site", str(print_site), "--out", str(tmp_path),
            "--today", TODAY.isoformat()] + (["--landscape"] if landscape else [])
    assert print_cmd(*args) == 0
    pdf = tmp_path / "print" / "boards" / "西岭村.pdf"
    assert_paper(pdf, *size)
    assert norm("西岭村2026年高龄津贴新增对象公示") in "".join(page_texts(pdf))
    assert len(qr_codes(pdf, dpi=150)[0]) > 1, "the first sheet carries items, not just the header"


def test_unknown_board_is_a_usage_error(print_site: Path, tmp_path: Path, capsys) -> None:
    code = print_cmd("board", "东城小区", "--site", str(print_site), "--out", str(tmp_path))
    err = capsys.readouterr().err
    assert code == 2
    assert "没有名为「东城小区」的公开栏" in err and "东城社区" in err


def test_web_build_keeps_posters_only_while_their_items_are_published(
        print_site: Path, tmp_path: Path, capsys) -> None:
    site = tmp_path / "site"
    shutil.copytree(print_site, site)
    out = tmp_path / "public"
    common = ("--site", str(site), "--out", str(out), "--today", TODAY.isoformat())
    assert print_cmd("board", "西岭村", *common) == 0
    first = (out / "print" / "boards" / "西岭村.pdf").read_bytes()
    assert print_cmd("board", "西岭村", *common) == 0
    assert (out / "print" / "boards" / "西岭村.pdf").read_bytes() == first, "same input, same bytes"

    from conftest import run
    assert run("build", *common, "--no-search") == 0
    assert (out / "print" / "boards" / "西岭村.pdf").read_bytes() == first

    fields = dict(ITEMS["xiling.md"], 公开属性="不予公开")
    write_item(site, "xiling.md", item_text(**fields))
    capsys.readouterr()
    assert run("build", *common, "--no-search") == 0
    assert not (out / "print" / "boards" / "西岭村.pdf").exists()
    assert "print/boards/西岭村.pdf" in capsys.readouterr().err


def test_unmasked_personal_data_stops_printing(print_site: Path, tmp_path: Path, capsys) -> None:
    """The portal's masking checks hold for print too: nothing is printed."""
    site = tmp_path / "site"
    shutil.copytree(print_site, site)
    write_item(site, "xiling.md", item_text(**dict(ITEMS["xiling.md"], body="联系人电话 13812345678。")))
    code = print_cmd("board", "西岭村", "--site", str(site), "--out", str(tmp_path / "out"),
                     "--today", TODAY.isoformat())
    err = capsys.readouterr().err
    assert code == 1 and "138****5678" in err
    assert not (tmp_path / "out" / "print").exists()
