"""Printed files outlive a web build only while every item on them prints the same text
(issue 10, Broken 6): a redaction drops the poster and the build says what to re-print."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import TODAY, item_text, print_cmd, print_site_items, run, write_item
from pdfcheck import page_texts

ITEMS = print_site_items()
XILING = ITEMS["xiling.md"]
NAMES_BODY = "本月新增高龄津贴对象：王某某（85岁，西岭村一组）、赵某某（90岁，西岭村三组）。"
REDACTED_BODY = "本月新增高龄津贴对象：王某某（85岁，西岭村一组）等。"
BOARD = "print/boards/西岭村.pdf"
REPRINT = "公开栏「西岭村」的海报（print/boards/西岭村.pdf）内容已变化，已删除，请重新打印：gkpub print board 西岭村"


def edit(site: Path, name: str, **changes: object) -> None:
    write_item(site, name, item_text(**dict(ITEMS[name], **changes)))


@pytest.fixture
def site(print_site: Path, tmp_path: Path) -> Path:
    """The print fixture with a 西岭村 item that names two people."""
    copy = tmp_path / "site"
    shutil.copytree(print_site, copy)
    edit(copy, "xiling.md", body=NAMES_BODY)
    return copy


def common(site: Path) -> tuple[str, ...]:
    return ("--site", str(site), "--out", str(site.parent / "public"), "--today", TODAY.isoformat())


def build(site: Path, capsys, *extra: str) -> str:
    assert run("build", *common(site), "--no-search", *extra) == 0
    return capsys.readouterr().err


def printed(site: Path, *args: str) -> Path:
    assert print_cmd(*args, *common(site)) == 0
    return site.parent / "public"


@pytest.mark.parametrize("how", ["incremental", "clean"])
def test_a_redaction_drops_the_poster_and_says_which_board_to_reprint(site: Path, capsys,
                                                                      how: str) -> None:
    out = printed(site, "board", "西岭村")
    assert "赵某某" in "".join(page_texts(out / BOARD))
    first = (out / BOARD).read_bytes()
    build(site, capsys)  # the first build after printing: a full one
    assert (out / BOARD).read_bytes() == first

    # an edit to an item that is not on the poster keeps it
    edit(site, "jiancha1.md", body="本次检查共抽查低保档案 40 份，未发现问题。")
    err = build(site, capsys)
    assert (out / BOARD).read_bytes() == first and "西岭村" not in err, err

    # the item becomes 删减后公开 with a name removed: the poster showing the name goes
    edit(site, "xiling.md", 公开属性="删减后公开", 删减说明="删去个人姓名，依据《条例》第十五条",
         body=REDACTED_BODY)
    err = build(site, capsys, *(["--clean"] if how == "clean" else []))
    assert REPRINT in err, err
    assert not (out / BOARD).exists()
    served = [p for p in out.rglob("*") if p.is_file()]
    assert not [p for p in served if "赵某某".encode() in p.read_bytes()]
    assert not (out / "print" / "manifest.json").exists(), "nothing printed is left to describe"

    # printed again, it shows the redacted text and is kept
    printed(site, "board", "西岭村")
    text = "".join(page_texts(out / BOARD))
    assert "王某某" in text and "赵某某" not in text
    again = (out / BOARD).read_bytes()
    err = build(site, capsys)
    assert (out / BOARD).read_bytes() == again and "西岭村" not in err, err


def test_a_changed_attribute_alone_drops_the_poster(site: Path, capsys) -> None:
    """删减后公开 is a new review of what may be shown, even with the body unchanged."""
    out = printed(site, "board", "西岭村")
    build(site, capsys)
    edit(site, "xiling.md", body=NAMES_BODY, 公开属性="删减后公开", 删减说明="删去身份证号")
    assert REPRINT in build(site, capsys)
    assert not (out / BOARD).exists()


def test_notices_boards_index_and_handbook(site: Path, capsys) -> None:
    out = printed(site, "boards")
    printed(site, "notice", str(XILING["索引号"]))
    printed(site, "handbook")
    notice = f"print/notices/{str(XILING['索引号']).replace('/', '_')}.pdf"
    assert (out / notice).is_file() and (out / "print" / "boards" / "index.html").is_file()
    build(site, capsys)

    edit(site, "xiling.md", body=REDACTED_BODY, 公开属性="删减后公开", 删减说明="删去个人姓名")
    err = build(site, capsys)
    assert REPRINT in err
    assert f"公示 {notice} 内容已变化，已删除，请重新打印：gkpub print notice {XILING['索引号']}" in err
    assert "请重新打印全部公开栏：gkpub print boards" in err
    for gone in (BOARD, notice, "print/boards/index.html", "print/boards/index.json"):
        assert not (out / gone).exists(), gone
    # not on the 西岭村 item: kept
    assert (out / "print" / "boards" / "东城社区.pdf").is_file()
    assert (out / "print" / "handbook.pdf").is_file()
    assert "东城社区" not in err and "办事一本通" not in err

    # a withdrawn 服务 item: the handbook goes, and the notice of a withdrawn item is not re-printable
    edit(site, "guide11.md", 公开属性="不予公开")
    err = build(site, capsys)
    assert "办事一本通（print/handbook.pdf）上有已不再公开的信息，已删除，请重新打印：gkpub print handbook" in err
    assert "公开栏「东城社区」的海报（print/boards/东城社区.pdf）上有已不再公开的信息" in err
    assert not (out / "print" / "handbook.pdf").exists()


def test_a_manifest_without_digests_keeps_nothing(site: Path, capsys) -> None:
    out = printed(site, "board", "西岭村")
    manifest = out / "print" / "manifest.json"
    old = {rel: sorted(shown) for rel, shown in json.loads(manifest.read_text(encoding="utf-8")).items()}
    manifest.write_text(json.dumps(old, ensure_ascii=False), encoding="utf-8")
    assert REPRINT in build(site, capsys)
    assert not (out / BOARD).exists()
