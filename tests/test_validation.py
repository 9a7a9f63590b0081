"""Every kind of bad input: a precise message, exit 1, and the previous output untouched."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import item_text, run, tree_digest, write_item

TODAY = "2026-11-23"


def build(site: Path, capsys) -> tuple[int, str]:
    code = run("build", "--site", str(site), "--out", str(site / "public"), "--today", TODAY, "--no-search")
    err = capsys.readouterr().err
    return code, err


@pytest.fixture
def built(mini_site: Path, capsys) -> Path:
    code, err = build(mini_site, capsys)
    assert code == 0, err
    return mini_site


def assert_fails(site: Path, capsys, *expected: str) -> str:
    before = tree_digest(site / "public")
    code, err = build(site, capsys)
    assert code == 1, err
    for e in expected:
        assert e in err, f"expected {e!r} in:\n{err}"
    assert tree_digest(site / "public") == before, "a failed build changed public/"
    assert not any(p.name.startswith(".public.tmp") for p in site.iterdir()), "temp dir left behind"
    return err


def test_good_site_builds(built: Path) -> None:
    assert (built / "public" / "xxgk" / "11530000MB00000025" / "2026-00001" / "index.html").is_file()


def test_unknown_key_with_did_you_mean(built: Path, capsys) -> None:
    write_item(built, "b.md", item_text(**{"索引号": "11530000MB00000025/2026-00002", "发布日起": "2026-03-05"}))
    assert_fails(built, capsys, "content/items/yanglao/b.md:7: 字段「发布日起」", "是不是「发布日期」")


def test_missing_required_key(built: Path, capsys) -> None:
    write_item(built, "b.md", item_text(**{"索引号": "11530000MB00000025/2026-00002", "成文日期": None}))
    assert_fails(built, capsys, "b.md", "字段「成文日期」", "缺少必填字段")


def test_value_outside_vocabulary(built: Path, capsys) -> None:
    write_item(built, "b.md", item_text(**{"索引号": "11530000MB00000025/2026-00002", "过程": "决定",
                                          "公开属性": "主动公开发布"}))
    assert_fails(built, capsys, "字段「过程」", "「决定」不是允许的值", "决策", "字段「公开属性」")


def test_bad_and_impossible_dates(built: Path, capsys) -> None:
    write_item(built, "b.md", item_text(**{"索引号": "11530000MB00000025/2026-00002", "成文日期": "2026-02-30"}))
    write_item(built, "c.md", item_text(**{"索引号": "11530000MB00000025/2026-00003", "发布日期": "2026/03/05"}))
    write_item(built, "d.md", item_text(**{"索引号": "11530000MB00000025/2026-00004", "成文日期": "2026-04-01"}))
    assert_fails(built, capsys, "b.md:5: 字段「成文日期」: 「2026-02-30」这一天不存在",
                       "c.md:6: 字段「发布日期」: 「2026/03/05」不是日期",
                       "d.md:6: 字段「发布日期」: 发布日期 2026-03-05 早于成文日期 2026-04-01")


def test_duplicate_index_number(built: Path, capsys) -> None:
    write_item(built, "b.md", item_text())
    assert_fails(built, capsys, "字段「索引号」", "重复")


def test_doc_number_form(built: Path, capsys) -> None:
    write_item(built, "b.md", item_text(**{"索引号": "11530000MB00000025/2026-00002", "文号": "测民发[2026]5号"}))
    assert_fails(built, capsys, "字段「文号」", "应写作「测民发〔2026〕5号」")


def test_catalog_path_not_in_catalogue(built: Path, capsys) -> None:
    write_item(built, "b.md",
               item_text(**{"索引号": "11530000MB00000025/2026-00002", "目录": "养老服务/高龄津贴/政策"}))
    assert_fails(built, capsys, "字段「目录」", "不在标准目录中", "是不是「养老服务/高龄津贴/政策文件」")


def test_interpretation_target_missing(built: Path, capsys) -> None:
    write_item(built, "b.md", item_text(**{"索引号": "11530000MB00000025/2026-00002",
                                          "解读": "11530000MB00000025/2026-00099"}))
    assert_fails(built, capsys, "字段「解读」", "找不到索引号为「11530000MB00000025/2026-00099」")


def test_missing_attachment(built: Path, capsys) -> None:
    write_item(built, "b.md", item_text(**{"索引号": "11530000MB00000025/2026-00002", "附件": "[files/none.pdf]"}))
    assert_fails(built, capsys, "字段「附件」", "找不到附件文件「files/none.pdf」")


@pytest.mark.parametrize("path, message", [
    ("../../../../site.toml", "content/ 目录以外"),
    ("/etc/passwd", "绝对路径"),
])
def test_attachment_leaving_the_site(built: Path, capsys, path: str, message: str) -> None:
    write_item(built, "b.md", item_text(**{"索引号": "11530000MB00000025/2026-00002", "附件": f"['{path}']"}))
    assert_fails(built, capsys, "字段「附件」", message)


def test_attachment_symlink(built: Path, capsys, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("secret", encoding="utf-8")
    files = built / "content" / "items" / "yanglao" / "files"
    files.mkdir()
    os.symlink(secret, files / "link.pdf")
    write_item(built, "b.md", item_text(**{"索引号": "11530000MB00000025/2026-00002", "附件": "[files/link.pdf]"}))
    assert_fails(built, capsys, "字段「附件」")


def test_non_utf8_file(built: Path, capsys) -> None:
    write_item(built, "b.md", item_text(**{"索引号": "11530000MB00000025/2026-00002"}).encode("gb18030"))
    assert_fails(built, capsys, "b.md:2:", "不是 UTF-8")


@pytest.mark.parametrize("text, message", [
    ("", "文件是空的"),
    ("---\n---\n正文", "元数据是空的"),
    ("---\n标题: 无结束\n正文\n", "元数据没有结束"),
    ("标题: 没有开头\n", "应以单独一行 --- 开头"),
    ("---\n标题: [未闭合\n---\n", "YAML 格式错误"),
])
def test_broken_front_matter(built: Path, capsys, text: str, message: str) -> None:
    write_item(built, "b.md", text)
    assert_fails(built, capsys, "b.md:", message)


def test_yaml_error_names_the_line(built: Path, capsys) -> None:
    write_item(built, "b.md", "---\n标题: 好\n索引号: a: b\n---\n")
    assert_fails(built, capsys, "b.md:3:", "冒号")


def test_redacted_needs_explanation(built: Path, capsys) -> None:
    write_item(built, "b.md", item_text(**{"索引号": "11530000MB00000025/2026-00002", "公开属性": "删减后公开"}))
    assert_fails(built, capsys, "字段「删减说明」")


def test_all_errors_collected_in_one_run(built: Path, capsys) -> None:
    write_item(built, "b.md", item_text(**{"索引号": "11530000MB00000025/2026-00002", "过程": "执法"}))
    write_item(built, "c.md", item_text(**{"索引号": "bad", "未知": 1}))
    err = assert_fails(built, capsys, "b.md", "c.md", "字段「未知」", "字段「索引号」")
    assert "共 3 处错误" in err


def test_index_number_code_must_be_an_org(built: Path, capsys) -> None:
    write_item(built, "b.md", item_text(**{"索引号": "11530000MB0000009T/2026-00002"}))
    assert_fails(built, capsys, "机构代码「11530000MB0000009T」不属于")


def test_script_and_javascript_links_refused(built: Path, capsys) -> None:
    body = "第一段。\n\n<script>alert(1)</script>\n\n[点我](javascript:alert(1))\n\n![](x.png)\n"
    write_item(built, "b.md", item_text(**{"索引号": "11530000MB00000025/2026-00002", "body": body}))
    assert_fails(built, capsys, "b.md:10: 字段「正文」", "b.md:12: 字段「正文」", "b.md:14: 字段「正文」",
                 "不允许的协议", "替代文字")


def test_bad_site_toml(built: Path, capsys) -> None:
    toml = built / "site.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('kind = "区级部门"', 'kind = "部门"')
                    .replace("page_size = 2", "page_sise = 2"), encoding="utf-8")
    assert_fails(built, capsys, "site.toml:", "「部门」不是机关类型", "site.page_sise", "是不是「page_size」")


def test_bad_catalogue(built: Path, capsys) -> None:
    cat = built / "content" / "catalog" / "yanglao.yaml"
    cat.write_text(cat.read_text(encoding="utf-8").replace("过程: 结果", "过程: 结论"), encoding="utf-8")
    assert_fails(built, capsys, "content/catalog/yanglao.yaml:19: 字段「过程」", "「结论」不是允许的值")


def test_usage_error_exit_2(tmp_path: Path, capsys) -> None:
    assert run("build", "--site", str(tmp_path / "nope")) == 2
    with pytest.raises(SystemExit) as exc:
        run("build", "--bogus")
    assert exc.value.code == 2


def test_check_reports_without_writing(mini_site: Path, capsys) -> None:
    write_item(mini_site, "b.md", item_text(**{"索引号": "11530000MB00000025/2026-00002", "过程": "x"}))
    assert run("check", "--site", str(mini_site)) == 1
    assert "字段「过程」" in capsys.readouterr().err
    assert not (mini_site / "public").exists()
