"""Front matter fails closed: duplicate keys, empty gate values and 依申请公开 without a
matching 公开属性 are errors (exit 1), and the gate itself holds back whatever is in doubt."""
from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest
from conftest import item_text, run, write_item
from test_validation import TODAY, assert_fails, build, built  # noqa: F401 (built: a fixture)

from gkpub.content.gate import GateOptions, apply_gate, hold_reason
from gkpub.content.loader import load_site

IDX = "11530000MB00000025/2026-00002"
PAGE = ("xxgk", "11530000MB00000025", "2026-00002", "index.html")
ON_REQUEST_LEAF = "养老服务/高龄津贴/发放名单"


def _catalog(site: Path) -> Path:
    return site / "content" / "catalog" / "yanglao.yaml"


def _mode_on_request_in_catalogue(site: Path) -> None:
    """The 发放名单 leaf (line 17 of the mini catalogue) becomes 依申请公开."""
    cat = _catalog(site)
    text = cat.read_text(encoding="utf-8")
    cat.write_text(text.replace("        公开时限: 5个工作日\n",
                                "        公开时限: 5个工作日\n        公开方式: 依申请公开\n"), encoding="utf-8")


# ------------------------------------------------------------------ duplicate keys
def test_duplicate_key_in_front_matter(built: Path, capsys) -> None:
    write_item(built, "b.md", "---\n标题: 名单\n索引号: " + IDX + "\n公开属性: 依申请公开\n"
               "目录: 养老服务/高龄津贴/政策文件\n成文日期: 2026-03-02\n发布日期: 2026-03-05\n"
               "公开属性: 主动公开\n---\n正文。\n")
    assert_fails(built, capsys,
                 "content/items/yanglao/b.md:8: 字段「公开属性」重复（第 4 行已写过）；每个字段只能写一次")
    assert not (built / "public").joinpath(*PAGE).exists()


def test_duplicate_key_nested_in_front_matter(built: Path, capsys) -> None:
    text = item_text(索引号=IDX).replace(
        "---\n正文", "公示期:\n  开始: 2026-03-05\n  结束: 2026-03-12\n  开始: 2026-03-06\n---\n正文")
    write_item(built, "b.md", text)
    assert_fails(built, capsys, "b.md:10: 字段「开始」重复（第 8 行已写过）")


def test_duplicate_key_in_catalogue(built: Path, capsys) -> None:
    cat = _catalog(built)
    cat.write_text(cat.read_text(encoding="utf-8") + "        过程: 决策\n", encoding="utf-8")
    assert_fails(built, capsys,
                 "content/catalog/yanglao.yaml:21: 字段「过程」重复（第 19 行已写过）；每个字段只能写一次")


# ------------------------------------------------------------------ empty gate and required values
@pytest.mark.parametrize("key, written, line, message", [
    ("公开属性", "", 7, "值是空的；请写其中之一：主动公开、删减后公开、依申请公开、不予公开"),
    ("公开属性", "~", 7, "值是空的；请写其中之一"),
    ("公开属性", '""', 7, "值是空的"),
    ("公开属性", "null", 7, "值是空的"),
    ("草稿", "", 7, "值是空的；请写 true（不发布）或 false（发布）"),
    ("公开方式", "~", 7, "值是空的；请写其中之一：主动公开、依申请公开"),
    ("发布日期", "", 6, "必填字段的值是空的；请写日期"),
    ("目录", "~", 4, "必填字段的值是空的"),
])
def test_empty_gate_or_required_value_is_an_error(built: Path, capsys, key: str, written: str,
                                                  line: int, message: str) -> None:
    write_item(built, "b.md", item_text(**{"索引号": IDX, key: written}))
    err = assert_fails(built, capsys, f"content/items/yanglao/b.md:{line}: 字段「{key}」: {message}")
    assert err.count("b.md") == 1, f"one empty value, one error:\n{err}"
    if key not in ("发布日期", "目录"):
        assert "或删去这一行（写了却留空不会按默认值处理）" in err


def test_empty_optional_value_still_means_not_written(built: Path, capsys) -> None:
    write_item(built, "b.md", item_text(索引号=IDX, 文号="", 摘要="~"))
    code, err = build(built, capsys)
    assert code == 0, err
    assert built.joinpath("public", *PAGE).is_file()


# ------------------------------------------------------------------ 公开方式 依申请公开
def test_on_request_mode_from_catalogue_without_attribute(built: Path, capsys) -> None:
    _mode_on_request_in_catalogue(built)
    write_item(built, "b.md", item_text(索引号=IDX, 目录=ON_REQUEST_LEAF))
    assert_fails(built, capsys,
                 "b.md:4: 字段「公开属性」: 公开方式是依申请公开（继承自目录「养老服务/高龄津贴/发放名单」，"
                 "content/catalog/yanglao.yaml:17），但没有写公开属性；请写明「公开属性: 依申请公开」")
    assert not built.joinpath("public", *PAGE).exists()


def test_own_on_request_mode_without_attribute(built: Path, capsys) -> None:
    write_item(built, "b.md", item_text(索引号=IDX, 公开方式="依申请公开"))
    assert_fails(built, capsys, "b.md:7: 字段「公开属性」: 公开方式是依申请公开（本篇第 7 行）")


@pytest.mark.parametrize("attribute", ["主动公开", "删减后公开"])
def test_publishing_attribute_conflicts_with_on_request_mode(built: Path, capsys, attribute: str) -> None:
    _mode_on_request_in_catalogue(built)
    write_item(built, "b.md", item_text(索引号=IDX, 目录=ON_REQUEST_LEAF, 公开属性=attribute, 删减说明="删去姓名"))
    assert_fails(built, capsys, f"b.md:7: 字段「公开属性」: 公开属性「{attribute}」与公开方式「依申请公开」"
                                "（继承自目录「养老服务/高龄津贴/发放名单」", "矛盾")


def test_on_request_with_matching_attribute_builds_and_is_held(built: Path, capsys) -> None:
    _mode_on_request_in_catalogue(built)
    write_item(built, "b.md", item_text(索引号=IDX, 目录=ON_REQUEST_LEAF, 公开属性="依申请公开"))
    code, err = build(built, capsys)
    assert code == 0, err
    assert not built.joinpath("public", *PAGE).exists()
    assert IDX not in (built / "public" / "data" / "items.json").read_text(encoding="utf-8")


# ------------------------------------------------------------------ the gate decides on its own
@pytest.fixture
def loaded(mini_site: Path):
    site = load_site(mini_site, dt.date.fromisoformat(TODAY))
    assert [i.index_no for i in site.published] == ["11530000MB00000025/2026-00001"]
    return site.items[0]


@pytest.mark.parametrize("change, reason", [
    ({"公开方式": "依申请公开"}, "依申请公开"),  # an explicit 主动公开 does not outrank the mode
    ({"公开方式": None}, "依申请公开"),
    ({"公开属性": None}, "None"),
    ({"草稿": None}, "草稿"),
    ({"草稿": "false"}, "草稿"),  # only the boolean False publishes
    ({"发布日期": None}, "发布日期无效"),
])
def test_gate_holds_back_what_is_in_doubt(loaded, change: dict, reason: str) -> None:
    item = dataclasses.replace(loaded, el={**loaded.el, **change})
    opts = GateOptions(today=dt.date.fromisoformat(TODAY))
    assert hold_reason(loaded, opts) is None
    assert hold_reason(item, opts) == reason
    published, held = apply_gate([item], opts)
    assert published == [] and held == {reason: 1}


def test_check_command_reports_the_same(mini_site: Path, capsys) -> None:
    write_item(mini_site, "b.md", item_text(索引号=IDX, 公开属性=""))
    assert run("check", "--site", str(mini_site)) == 1
    assert "b.md:7: 字段「公开属性」: 值是空的" in capsys.readouterr().err
