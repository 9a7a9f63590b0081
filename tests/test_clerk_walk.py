"""What a new district's clerk ran into following README alone (a walk on a fresh site): each
answer at a prompt, each message, says what to type instead, and typing it works."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from conftest import TODAY, item_text, run, write_item
from test_import_docx import front_matter, import_docx, import_list_asking, new_items, notice
from test_new_item import _run_on_a_terminal

from gkpub.content.loader import load_site
from gkpub.outputs.search.records import notices

DAY = TODAY.isoformat()
LIST_LEAF = "养老服务/高龄津贴/发放名单"


def check(site: Path, capsys) -> tuple[int, str]:
    code = run("check", "--site", str(site), "--today", DAY)
    return code, capsys.readouterr().err


# ---------------------------------------------------------------- gkpub new item at a terminal

def test_a_number_off_the_list_and_a_half_path_say_what_there_is(mini_site: Path) -> None:
    code, out = _run_on_a_terminal(["new", "item", "--site", str(mini_site), "--today", DAY],
                                   ["9", "养老服务/高龄津贴/领取人员", "2", "2026年高龄津贴发放名单公示"])
    assert code == 0, out
    assert "没有序号 9：序号是上面列出的 1 到 2" in out
    assert "不在标准目录中；标准目录中没有领域" not in out  # a number is not a domain
    assert ("「养老服务/高龄津贴/领取人员」不在标准目录中；「养老服务/高龄津贴」下的公开内容有：政策文件、发放名单；"
            "格式为「领域/事项/公开内容」") in out
    assert "目录: 养老服务/高龄津贴/发放名单\n" in (mini_site / "content" / "items" / "yanglao" /
                                                  "2026-11-23-2026年高龄津贴发放名单公示.md").read_text(encoding="utf-8")
    code, out = _run_on_a_terminal(["new", "item", "--site", str(mini_site), "--today", DAY],
                                   ["", "1", "关于调整高龄津贴标准的通知"])
    assert code == 0, out
    assert "没有输入目录：请输入上面列出的序号（1 到 2）" in out
    assert "「」" not in out


def test_an_item_naming_a_matter_not_in_its_domain_lists_the_matters(mini_site: Path, capsys) -> None:
    write_item(mini_site, "b.md", item_text(**{"索引号": "11530000MB00000025/2026-00002",
                                              "目录": "养老服务/居家养老/服务对象"}))
    code, err = check(mini_site, capsys)
    assert code == 1
    assert ("b.md:4: 字段「目录」: 「养老服务/居家养老/服务对象」不在标准目录中；领域「养老服务」下的事项有：高龄津贴；"
            "格式为「领域/事项/公开内容」，目录见 content/catalog/") in err


def test_an_item_leaving_out_the_matter_gets_the_whole_path(mini_site: Path, capsys) -> None:
    path = write_item(mini_site, "b.md", item_text(**{"索引号": "11530000MB00000025/2026-00002",
                                                     "目录": "养老服务/发放名单"}))
    code, err = check(mini_site, capsys)
    assert code == 1
    assert "「养老服务/发放名单」不在标准目录中；是不是「养老服务/高龄津贴/发放名单」？" in err
    path.write_text(path.read_text(encoding="utf-8").replace("养老服务/发放名单", "养老服务/高龄津贴/发放名单"),
                    encoding="utf-8")
    assert check(mini_site, capsys)[0] == 0


# ---------------------------------------------------------------- dates written the Chinese way

@pytest.mark.parametrize("written", ["2026年3月2日", "2026/3/2", "2026.03.02", "2026-3-2"])
def test_a_date_written_another_way_names_the_form_to_write(mini_site: Path, capsys, written: str) -> None:
    path = write_item(mini_site, "policy.md", item_text(**{"成文日期": written}))
    code, err = check(mini_site, capsys)
    assert code == 1
    assert f"policy.md:5: 字段「成文日期」: 「{written}」不是日期；应写作 YYYY-MM-DD，即「2026-03-02」" in err
    path.write_text(item_text(**{"成文日期": "2026-03-02"}), encoding="utf-8")  # what the message says
    assert check(mini_site, capsys)[0] == 0


def test_a_date_that_is_no_day_gets_the_general_example(mini_site: Path, capsys) -> None:
    write_item(mini_site, "policy.md", item_text(**{"成文日期": "2026年2月30日"}))
    assert "「2026年2月30日」不是日期；应写作 YYYY-MM-DD，如 2026-03-05" in check(mini_site, capsys)[1]


# ---------------------------------------------------------------- gkpub import list: the period asked for

def test_the_end_of_the_period_can_be_answered_in_days(mini_site: Path, tmp_path: Path, capsys) -> None:
    sheet = tmp_path / "名单.csv"
    sheet.write_text("序号,户主姓名,村（社区）\n1,王大爷,东城社区\n", encoding="utf-8")
    code, asked = import_list_asking(mini_site, sheet, ["2026-11-24", "七天", "7天"])
    assert code == 0 and len(asked) == 3
    assert asked[1] == "公示结束日期（YYYY-MM-DD），或公示天数（如 7）："
    assert (f"「七天」既不是 YYYY-MM-DD 格式的日期（如 {DAY}），也不是公示天数（如 7，用阿拉伯数字）"
            in capsys.readouterr().err)
    [item] = new_items(mini_site)
    assert front_matter(item)[0]["公示期"] == {"开始": dt.date(2026, 11, 24), "结束": dt.date(2026, 11, 30)}


def test_a_bad_start_date_shows_today_as_the_example(mini_site: Path, tmp_path: Path, capsys) -> None:
    sheet = tmp_path / "名单.csv"
    sheet.write_text("序号,户主姓名\n1,王大爷\n", encoding="utf-8")
    code, _ = import_list_asking(mini_site, sheet, ["11月24日", "", "2026-11-30"])
    assert code == 0
    assert f"「11月24日」不是 YYYY-MM-DD 格式的日期，如 {DAY}" in capsys.readouterr().err


# ---------------------------------------------------------------- gkpub import docx: who issued it

def test_an_issuer_written_short_is_named_by_its_doc_number(mini_site: Path, tmp_path: Path, capsys) -> None:
    doc = notice(tmp_path, doc_no="测民发〔2026〕7号", org="测试区民政事务局")  # not a typo of 测试区民政局
    assert import_docx(mini_site, doc, "--catalog", "养老服务/高龄津贴/政策文件") == 1
    err = capsys.readouterr().err
    assert ("发文机关「测试区民政事务局」不在 site.toml 的 [[org]] 中；是不是「测试区民政局」"
            "（文号「测民发〔2026〕7号」的机关代字是它的）？若是，加 --org 测试区民政局 重新导入；") in err
    assert new_items(mini_site) == []
    assert import_docx(mini_site, doc, "--catalog", "养老服务/高龄津贴/政策文件", "--org", "测试区民政局") == 0
    [item] = new_items(mini_site)
    assert front_matter(item)[0]["公开主体"] == "测试区民政局"
    assert check(mini_site, capsys)[0] == 0


# ---------------------------------------------------------------- the 公示 note on the page

NOTICE_ITEM = item_text(**{"索引号": "11530000MB00000025/2026-00002", "目录": LIST_LEAF, "标题": "高龄津贴发放名单公示",
                           "发布日期": "2026-11-20", "成文日期": "2026-11-20",
                           "公示期": "{开始: 2026-11-20, 结束: 2026-11-26}"})


def _note(site: Path, tmp_path: Path) -> str:
    out = tmp_path / "public"
    assert run("build", "--site", str(site), "--out", str(out), "--today", DAY, "--no-search", "-q") == 0
    html = (out / "xxgk" / "11530000MB00000025" / "2026-00002" / "index.html").read_text(encoding="utf-8")
    found = re.search(r"如有异议，[^<]*</p>", html)
    assert found, html
    return found.group(0)


def test_the_objection_phone_falls_back_to_the_site_and_is_left_out_when_there_is_none(
        mini_site: Path, tmp_path: Path) -> None:
    write_item(mini_site, "notice.md", NOTICE_ITEM)
    toml = mini_site / "site.toml"
    assert _note(mini_site, tmp_path) == "如有异议，请在公示期内向测试区民政局反映，电话 0871-60000002。</p>"
    toml.write_text(toml.read_text(encoding="utf-8").replace('phone = "0871-60000002"\n', ""), encoding="utf-8")
    assert _note(mini_site, tmp_path) == "如有异议，请在公示期内向测试区民政局反映，电话 0871-60000000。</p>"
    toml.write_text(toml.read_text(encoding="utf-8").replace('supervision_phone = "0871-60000000"\n', ""),
                    encoding="utf-8")
    assert _note(mini_site, tmp_path) == "如有异议，请在公示期内向测试区民政局反映。</p>"
    # the search record says what the page says
    site = load_site(mini_site, TODAY)
    [item] = [i for i in site.published if i.index_no == "11530000MB00000025/2026-00002"]
    assert notices(item, site) == ["公示期：2026-11-20 至 2026-11-26（公示中）。"
                                   "如有异议，请在公示期内向测试区民政局反映。"]


def test_a_missing_attachment_is_left_as_an_entry_to_uncomment(mini_site: Path, tmp_path: Path, capsys) -> None:
    doc = notice(tmp_path)  # three 附件, none beside the .docx (附件2 is printed in the document)
    assert import_docx(mini_site, doc, "--catalog", "养老服务/高龄津贴/政策文件") == 0
    capsys.readouterr()
    [item] = new_items(mini_site)
    text = item.read_text(encoding="utf-8")
    assert ("# 附件「高龄津贴申请表」「高龄津贴政策问答」未找到文件：把文件放入 files/（文件名按实际的改），"
            "再去掉下面 3 行行首的「# 」\n# 附件:\n") in text
    # doing what it says makes an item with both attachments that checks and builds
    files = item.parent / "files"
    files.mkdir(exist_ok=True)
    for name in ("高龄津贴申请表", "高龄津贴政策问答"):
        (files / f"{name}.pdf").write_bytes(b"%PDF-1.4\n% " + name.encode() + b"\n")
    lines = text.split("\n")
    at = next(k for k, line in enumerate(lines) if line.startswith("# 附件「"))
    lines[at + 1:at + 4] = [line.removeprefix("# ") for line in lines[at + 1:at + 4]]
    item.write_text("\n".join(lines), encoding="utf-8")
    meta, _ = front_matter(item)
    assert meta["附件"] == [{"名称": "高龄津贴申请表", "文件": "files/高龄津贴申请表.pdf"},
                          {"名称": "高龄津贴政策问答", "文件": "files/高龄津贴政策问答.pdf"}]
    assert check(mini_site, capsys)[0] == 0


# ---------------------------------------------------------------- a catalogue file typed by hand

@pytest.mark.parametrize(("before", "after", "line", "says"), [
    ("        过程: 结果\n", "       过程: 结果\n", 19, "这一行和同一级的行没有对齐：同一级的字段要用同样多的空格缩进"),
    ("      - 名称: 发放名单\n", "     - 名称: 发放名单\n", 17, "同一个列表的各项「- 」要上下对齐"),
    ("  - 名称: 高龄津贴\n", "  - 名称:高龄津贴\n", 6, "上一行字段名后的冒号后面少了空格（应写「名称: 值」）"),
    ("[补贴对象, 补贴标准]", "[补贴对象, 补贴标准", 14, "方括号没有配对（看这一行和上一行）"),
], ids=["key-indent", "item-indent", "colon-without-space", "open-bracket"])
def test_a_catalogue_line_out_of_place_is_explained_in_chinese(mini_site: Path, capsys, before: str, after: str,
                                                              line: int, says: str) -> None:
    path = mini_site / "content" / "catalog" / "yanglao.yaml"
    good = path.read_text(encoding="utf-8")
    assert good.count(before) == 1
    path.write_text(good.replace(before, after), encoding="utf-8")
    code, err = check(mini_site, capsys)
    assert code == 1
    assert f"content/catalog/yanglao.yaml:{line}: YAML 格式错误：" in err and says in err, err
    path.write_text(good, encoding="utf-8")
    assert check(mini_site, capsys)[0] == 0


# ---------------------------------------------------------------- site.toml typed with a Chinese keyboard

@pytest.mark.parametrize(("good", "typed", "marks"), [
    ('short = "区民政局"', "short = “区民政局”", "「“」「”」"),
    ('doc_prefix = ["测民发"]   # 机关代字', 'doc_prefix = ["测民发"]   ＃ 机关代字', "「＃」"),
    ('phone = "0871-60000002"', 'phone ＝ "0871-60000002"', "「＝」"),
], ids=["quotes", "hash", "equals"])
def test_site_toml_with_chinese_punctuation_names_the_line_to_write(mini_site: Path, capsys, good: str, typed: str,
                                                                   marks: str) -> None:
    toml = mini_site / "site.toml"
    text = toml.read_text(encoding="utf-8").replace('doc_prefix = ["测民发"]', 'doc_prefix = ["测民发"]   # 机关代字')
    assert text.count(good) == 1
    toml.write_text(text.replace(good, typed), encoding="utf-8")
    line = text[:text.index(good)].count("\n") + 1
    code, err = check(mini_site, capsys)
    assert code == 1
    assert (f"site.toml:{line}: TOML 格式错误：这一行用了中文标点{marks}；引号、井号和等号都要用英文半角的"
            f"（切换到英文输入法），应写作：{good}") in err, err
    toml.write_text(text, encoding="utf-8")  # the line it says
    assert check(mini_site, capsys)[0] == 0


def test_chinese_quotes_inside_a_string_are_text(mini_site: Path, capsys) -> None:
    toml = mini_site / "site.toml"
    text = toml.read_text(encoding="utf-8")
    toml.write_text(text.replace('short = "区民政局"', 'short = "区“民政”局" x'), encoding="utf-8")
    err = check(mini_site, capsys)[1]
    assert "TOML 格式错误：Expected newline" in err and "中文标点" not in err
