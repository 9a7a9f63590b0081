"""`gkpub print notice`: one A4 公示 with its 公示期; held-back or unknown items refused."""
from __future__ import annotations

from pathlib import Path

import pytest
from conftest import TODAY, print_cmd, print_site_items
from pdfcheck import assert_cjk_fonts_embedded, assert_paper, page_texts, qr_codes

ITEMS = print_site_items()
NOTICE = ITEMS["gongshi1.md"]


def test_notice_is_one_a4_sheet_with_its_period(printed: Path) -> None:
    pdf = printed / "notices" / "11530000MB00000025_2026-00014.pdf"
    assert NOTICE["索引号"] == "11530000MB00000025/2026-00014"
    assert_paper(pdf, 210, 297)
    pages = page_texts(pdf)
    assert len(pages) == 1
    text = pages[0]
    assert text.startswith("公示") and "东城社区2026年11月第1批最低生活保障审核确认公示" in text
    assert "公示期：2026年11月20日至2026年11月30日（共11天）" in text
    assert "测试区民政局" in text and "2026年11月20日" in text
    assert f"打印日期：{TODAY.isoformat()}" in text
    assert "4307**********1234" in text
    assert qr_codes(pdf) == [[f"https://www.test.example.gov.cn/xxgk/{NOTICE['索引号']}/"]]
    assert_cjk_fonts_embedded(pdf, ("NotoSansCJK", "NotoSerifCJK"))


@pytest.mark.parametrize("name,expected", [
    ("held1.md", "依申请公开"),
    ("held2.md", "不予公开"),
    ("held3.md", "草稿"),
    ("held4.md", "发布日期还没到"),
    ("policy.md", "没有「公示期」"),
])
def test_notice_refused_with_a_reason(print_site: Path, tmp_path: Path, capsys,
                                      name: str, expected: str) -> None:
    code = print_cmd("notice", str(ITEMS[name]["索引号"]), "--site", str(print_site),
                     "--out", str(tmp_path), "--today", TODAY.isoformat())
    err = capsys.readouterr().err
    assert code == 1
    assert expected in err and "不能打印" in err
    assert ITEMS[name]["标题"] not in err, "a held-back title is not repeated"
    assert not (tmp_path / "print" / "notices").exists()


def test_unknown_index_number(print_site: Path, tmp_path: Path, capsys) -> None:
    code = print_cmd("notice", "11530000MB00000025/2026-09999", "--site", str(print_site),
                     "--out", str(tmp_path), "--today", TODAY.isoformat())
    assert code == 1
    assert "找不到索引号为「11530000MB00000025/2026-09999」的已发布信息" in capsys.readouterr().err
