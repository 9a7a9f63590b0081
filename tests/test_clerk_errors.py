"""The mistakes a new editor makes (issue #13 item 3): each reported once, at its line, in
Chinese, with a hint that fixes it — and nothing else reported because of it."""
from __future__ import annotations

from pathlib import Path

from conftest import item_text, run, write_item

TODAY = "2026-11-23"
POLICY = "11530000MB00000025/2026-00001"


def check(site: Path, capsys) -> tuple[int, list[str]]:
    code = run("check", "--site", str(site), "--today", TODAY)
    err = capsys.readouterr().err
    return code, [line for line in err.splitlines() if line.strip()]


def errors_of(site: Path, capsys) -> list[str]:
    code, lines = check(site, capsys)
    assert code == 1, lines
    assert lines[-1].startswith("共 ") and lines[-1].endswith("处错误，未生成网站（原有输出保持不变）。"), lines
    return lines[:-1]


def test_full_width_colon_after_a_key(mini_site: Path, capsys) -> None:
    text = item_text(**{"索引号": "11530000MB00000025/2026-00002"}).replace("标题: ", "标题：", 1)
    write_item(mini_site, "b.md", text)
    assert errors_of(mini_site, capsys) == [
        "content/items/yanglao/b.md:2: 「标题」后面用了中文全角冒号「：」；"
        "字段名后面要用英文半角冒号「:」再加一个空格，"
        "如「标题: …」（切换到英文输入法再输入冒号）"]


def test_full_width_colon_on_the_last_key(mini_site: Path, capsys) -> None:
    text = item_text(**{"索引号": "11530000MB00000025/2026-00002", "草稿": "false"}).replace("草稿: ", "草稿：")
    write_item(mini_site, "b.md", text)
    assert errors_of(mini_site, capsys) == [
        "content/items/yanglao/b.md:7: 「草稿」后面用了中文全角冒号「：」；"
        "字段名后面要用英文半角冒号「:」再加一个空格，"
        "如「草稿: …」（切换到英文输入法再输入冒号）"]


def test_full_width_colon_inside_a_value_is_text(mini_site: Path, capsys) -> None:
    write_item(mini_site, "b.md", item_text(**{"索引号": "11530000MB00000025/2026-00002",
                                              "摘要": "通知要求：按月发放"}))
    code, lines = check(mini_site, capsys)
    assert code == 0, lines


TAB_TEXT = """\
---
标题: 名单公示
索引号: 11530000MB00000025/2026-00002
目录: 养老服务/高龄津贴/发放名单
成文日期: 2026-03-02
发布日期: 2026-03-05
公示期:
\t开始: 2026-03-05
\t结束: 2026-03-12
---
正文。
"""


def test_tab_indentation_in_an_item(mini_site: Path, capsys) -> None:
    write_item(mini_site, "b.md", TAB_TEXT)
    assert errors_of(mini_site, capsys) == [
        "content/items/yanglao/b.md:8: 这一行用 Tab 键缩进；YAML 只能用空格缩进，请把行首的 Tab 换成空格"
        "（下一级缩进两个空格，同一级对齐）"]


def test_tab_in_the_catalogue_is_one_error_not_one_per_item(mini_site: Path, capsys) -> None:
    cat = mini_site / "content" / "catalog" / "yanglao.yaml"
    lines = cat.read_text(encoding="utf-8").split("\n")
    assert lines[6] == "    事项类型: 行政给付"
    lines[6] = "\t事项类型: 行政给付"
    cat.write_text("\n".join(lines), encoding="utf-8")
    for n in range(2, 5):
        write_item(mini_site, f"b{n}.md", item_text(**{"索引号": f"11530000MB00000025/2026-0000{n}"}))
    assert errors_of(mini_site, capsys) == [
        "content/catalog/yanglao.yaml:7: 这一行用 Tab 键缩进；YAML 只能用空格缩进，请把行首的 Tab 换成空格"
        "（下一级缩进两个空格，同一级对齐）"]


def test_a_catalogue_file_with_a_bad_name_is_one_error_not_one_per_item(mini_site: Path, capsys) -> None:
    cat = mini_site / "content" / "catalog"
    (cat / "yanglao.yaml").rename(cat / "Yang_lao.yaml")
    for n in range(2, 5):
        write_item(mini_site, f"b{n}.md", item_text(**{"索引号": f"11530000MB00000025/2026-0000{n}"}))
    assert errors_of(mini_site, capsys) == [
        "content/catalog/Yang_lao.yaml: 文件名「Yang_lao.yaml」会成为网址，"
        "只能用小写字母、数字和连字符，如 yanglao.yaml"]


def test_item_of_another_domain_is_still_judged_when_one_catalogue_file_is_broken(mini_site: Path, capsys) -> None:
    (mini_site / "content" / "catalog" / "jiuye.yaml").write_text("领域: 就业创业\n事项:\n\t- 名称: 坏\n",
                                                                   encoding="utf-8")
    write_item(mini_site, "b.md", item_text(**{"索引号": "11530000MB00000025/2026-00002",
                                              "目录": "养老服务/高龄津贴/政策文件件"}))
    write_item(mini_site, "c.md", item_text(**{"索引号": "11530000MB00000025/2026-00003",
                                              "目录": "就业创业/职业培训/补贴名单"}))
    assert errors_of(mini_site, capsys) == [
        "content/catalog/jiuye.yaml:3: 这一行用 Tab 键缩进；YAML 只能用空格缩进，请把行首的 Tab 换成空格"
        "（下一级缩进两个空格，同一级对齐）",
        "content/items/yanglao/b.md:4: 字段「目录」: 「养老服务/高龄津贴/政策文件件」不在标准目录中；"
        "是不是「养老服务/高龄津贴/政策文件」？格式为「领域/事项/公开内容」，目录见 content/catalog/"]


def _interpretation(n: int, target: str) -> str:
    return item_text(**{"标题": "高龄津贴政策解读", "索引号": f"11530000MB00000025/2026-0000{n}",
                        "信息环节": "解读", "解读": target})


def test_bad_doc_number_is_not_also_a_missing_policy(mini_site: Path, capsys) -> None:
    policy = mini_site / "content" / "items" / "yanglao" / "policy.md"
    policy.write_text(item_text(**{"文号": "测民发[2026]3号"}), encoding="utf-8")
    write_item(mini_site, "jiedu.md", _interpretation(4, POLICY))
    assert errors_of(mini_site, capsys) == [
        "content/items/yanglao/policy.md:7: 字段「文号」: 文号「测民发[2026]3号」格式不对；"
        "应写作「测民发〔2026〕3号」（年份用六角括号〔〕）"]


def test_broken_yaml_policy_is_not_also_a_missing_policy(mini_site: Path, capsys) -> None:
    policy = mini_site / "content" / "items" / "yanglao" / "policy.md"
    policy.write_text(item_text().replace("标题: ", "标题：", 1), encoding="utf-8")
    write_item(mini_site, "jiedu.md", _interpretation(4, POLICY))
    lines = errors_of(mini_site, capsys)
    assert len(lines) == 1, lines
    assert lines[0].startswith("content/items/yanglao/policy.md:2: 「标题」后面用了中文全角冒号"), lines


def test_missing_policy_offers_only_a_one_keystroke_typo(mini_site: Path, capsys) -> None:
    # 00001 and 00010 exist; 00200 is two keystrokes from each: no guess is safe
    write_item(mini_site, "other.md", item_text(**{"索引号": "11530000MB00000025/2026-00010"}))
    write_item(mini_site, "jiedu.md", _interpretation(4, "11530000MB00000025/2026-00200"))
    assert errors_of(mini_site, capsys) == [
        "content/items/yanglao/jiedu.md:8: 字段「解读」: 找不到索引号为「11530000MB00000025/2026-00200」的政策文件；"
        "解读应填写被解读文件的索引号（见该文件开头的「索引号」一行）"]


def test_missing_policy_typo_names_the_policy(mini_site: Path, capsys) -> None:
    write_item(mini_site, "jiedu.md", _interpretation(4, "11530000MB00000025/2026-00007"))
    assert errors_of(mini_site, capsys) == [
        "content/items/yanglao/jiedu.md:8: 字段「解读」: 找不到索引号为「11530000MB00000025/2026-00007」的政策文件；"
        f"是不是「{POLICY}」？解读应填写被解读文件的索引号（见该文件开头的「索引号」一行）"]


UNKNOWN_ORG = """\
content/items/yanglao/b.md:7: 字段「公开主体」: 「测试区应急管理局」不是 site.toml 中的公开主体；请在 site.toml 的 [[org]] 中添加这个机关（把下面几行粘贴到其他 [[org]] 之后，code 换成它的统一社会信用代码）：
    [[org]]
    name = "测试区应急管理局"
    short = "区应急管理局"
    code = "11000000MB00000014"   # 占位代码：换成本机关的统一社会信用代码（18 位）
    kind = "区级部门"   # 区政府 | 区级部门 | 街镇
    address = ""   # 办公地址
    phone = ""   # 联系电话"""  # noqa: E501


def test_unknown_org_gets_a_snippet_that_works_when_pasted(mini_site: Path, capsys) -> None:
    write_item(mini_site, "b.md", item_text(**{"索引号": "11530000MB00000025/2026-00002",
                                              "公开主体": "测试区应急管理局"}))
    lines = errors_of(mini_site, capsys)
    assert lines == UNKNOWN_ORG.split("\n")
    assert "测试区民政局" not in "\n".join(lines)  # no other department offered instead
    toml = mini_site / "site.toml"
    text = toml.read_text(encoding="utf-8")
    at = text.index("[[township]]")
    toml.write_text(text[:at] + "\n".join(lines[1:]) + "\n\n" + text[at:], encoding="utf-8")
    code, out = check(mini_site, capsys)
    assert code == 0, out


def test_unknown_org_that_is_a_typo_is_named(mini_site: Path, capsys) -> None:
    write_item(mini_site, "b.md", item_text(**{"索引号": "11530000MB00000025/2026-00002",
                                              "公开主体": "测试区民证局"}))
    assert errors_of(mini_site, capsys) == [
        "content/items/yanglao/b.md:7: 字段「公开主体」: 「测试区民证局」不是 site.toml 中的公开主体；"
        "是不是「测试区民政局」？如果是另一个机关，请在 site.toml 的 [[org]] 中添加它"
        "（见 README「如何添加一个领域和一个部门」）"]


def test_missing_index_number_points_to_new_item(mini_site: Path, capsys) -> None:
    write_item(mini_site, "b.md", item_text(**{"索引号": None, "公开主体": "区民政局"}))
    assert errors_of(mini_site, capsys) == [
        "content/items/yanglao/b.md:1: 字段「索引号」: 缺少必填字段「索引号」"
        "（机构代码/年份-五位序号，一经赋予永不改变，是页面永久链接的依据）；新的一篇请用"
        "「gkpub new item --org 区民政局 --catalog 领域/事项/公开内容 --title 标题」"
        "生成，它会取这个机关下一个空闲的索引号"]


def test_unknown_domain_says_to_add_a_catalogue_file(mini_site: Path, capsys) -> None:
    write_item(mini_site, "b.md", item_text(**{"索引号": "11530000MB00000025/2026-00002",
                                              "目录": "扶贫救灾/临时救助/救助名单"}))
    assert errors_of(mini_site, capsys) == [
        "content/items/yanglao/b.md:4: 字段「目录」: 「扶贫救灾/临时救助/救助名单」不在标准目录中；标准目录中没有领域"
        "「扶贫救灾」（有：养老服务）；新领域要先在 content/catalog/ 中添加目录文件"
        "（见 README「如何添加一个领域和一个部门」）。"
        "格式为「领域/事项/公开内容」，目录见 content/catalog/"]


def test_leaf_written_without_its_domain(mini_site: Path, capsys) -> None:
    write_item(mini_site, "b.md", item_text(**{"索引号": "11530000MB00000025/2026-00002",
                                              "目录": "高龄津贴/发放名单"}))
    assert errors_of(mini_site, capsys) == [
        "content/items/yanglao/b.md:4: 字段「目录」: 「高龄津贴/发放名单」不在标准目录中；"
        "是不是「养老服务/高龄津贴/发放名单」？格式为「领域/事项/公开内容」，目录见 content/catalog/"]


# ---------------------------------------------------------------- drafts never block the site

BROKEN_DRAFT = item_text(**{"索引号": "11530000MB00000025/2026-00002", "过程": "执行执行", "草稿": "true"})
DRAFT_WARNING = ("警告：content/items/yanglao/draft.md:7: 字段「过程」: 「执行执行」不是允许的值；是不是「执行」？"
                 "可用：决策、执行、管理、服务、结果")
DRAFT_SUMMARY = ("共 1 处警告：1 篇草稿（草稿: true）有错误，不发布、不影响生成；改正后去掉「草稿: true」才会发布"
                 "（预览 --drafts 时这些是错误）。")


def test_broken_draft_warns_and_the_site_builds(mini_site: Path, capsys) -> None:
    write_item(mini_site, "draft.md", BROKEN_DRAFT)
    out = mini_site / "public"
    code = run("build", "--site", str(mini_site), "--out", str(out), "--today", TODAY, "--no-search")
    err = capsys.readouterr().err
    assert code == 0, err
    assert [line for line in err.splitlines() if line.startswith(("警告", "共 "))] == [DRAFT_WARNING, DRAFT_SUMMARY]
    assert (out / "xxgk" / "11530000MB00000025" / "2026-00001" / "index.html").is_file()
    assert not (out / "xxgk" / "11530000MB00000025" / "2026-00002").exists()
    code, lines = check(mini_site, capsys)
    assert code == 0 and lines == [DRAFT_WARNING, DRAFT_SUMMARY], lines


def test_broken_draft_is_an_error_in_a_preview(mini_site: Path, capsys) -> None:
    write_item(mini_site, "draft.md", BROKEN_DRAFT)
    code = run("build", "--site", str(mini_site), "--drafts", "--today", TODAY, "--no-search")
    err = capsys.readouterr().err
    assert code == 1, err
    assert err.splitlines()[0] == DRAFT_WARNING.removeprefix("警告：")
    assert not (mini_site / "preview").exists()


def test_draft_with_broken_yaml_does_not_block(mini_site: Path, capsys) -> None:
    write_item(mini_site, "draft.md", BROKEN_DRAFT.replace("标题: ", "标题：", 1))
    code, lines = check(mini_site, capsys)
    assert code == 0, lines
    assert lines[0].startswith("警告：content/items/yanglao/draft.md:2: 「标题」后面用了中文全角冒号"), lines


def test_draft_pointing_at_a_missing_policy_warns(mini_site: Path, capsys) -> None:
    text = _interpretation(4, "11530000MB00000025/2026-00100").replace("---\n正文", "草稿: true\n---\n正文")
    write_item(mini_site, "draft.md", text)
    code, lines = check(mini_site, capsys)
    assert code == 0, lines
    assert lines[0].startswith("警告：content/items/yanglao/draft.md:8: 字段「解读」: 找不到索引号为"), lines


def test_errors_beside_a_broken_draft_still_stop_the_build(mini_site: Path, capsys) -> None:
    write_item(mini_site, "draft.md", BROKEN_DRAFT)
    write_item(mini_site, "b.md", item_text(**{"索引号": "11530000MB00000025/2026-00003", "过程": "决定"}))
    code, lines = check(mini_site, capsys)
    assert code == 1
    assert lines[0].startswith("content/items/yanglao/b.md:7: 字段「过程」: 「决定」不是允许的值"), lines
    assert lines[-2:] == [DRAFT_WARNING, DRAFT_SUMMARY], lines


# ---------------------------------------------------------------- a preview a leader can open

def _serve_output(site: Path, host: str, drafts: bool, capsys) -> tuple[str, str, int]:
    import threading
    import urllib.request

    from conftest import TODAY as DAY

    from gkpub.build.builder import BuildOptions
    from gkpub.cli.serve import serve
    from gkpub.store.outguard import default_out

    ready, stop = threading.Event(), threading.Event()
    opts = BuildOptions(site_dir=site, out_dir=default_out(site, drafts), today=DAY, drafts=drafts, search=False,
                        cache_dir=site / ".cache")
    thread = threading.Thread(target=serve, args=(opts,), kwargs=dict(host=host, port=0, ready=ready, stop=stop),
                              daemon=True)
    thread.start()
    try:
        assert ready.wait(30), "serve did not start"
        port = ready.port  # type: ignore[attr-defined]
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as r:
            page = r.read().decode("utf-8")
    finally:
        stop.set()
        thread.join(timeout=30)
    assert not thread.is_alive()
    captured = capsys.readouterr()
    return captured.err, page, port


def test_serve_on_every_address_warns_and_stamps_drafts(mini_site: Path, capsys) -> None:
    err, page, port = _serve_output(mini_site, "0.0.0.0", True, capsys)
    assert (f"警告：--host 0.0.0.0 让本机以外的电脑也能打开这个预览，同一网络中的任何人都能看到草稿和尚未发布的内容；"
            f"页面都带「预览，未发布」横幅，并禁止搜索引擎收录。其他电脑请用本机的 IP 地址访问（http://本机IP:{port}/），"
            "只在单位内网中使用，审阅完按 Ctrl-C 停止。") in err.splitlines()
    assert "预览，未发布" in page and 'content="noindex' in page
    err, page, _ = _serve_output(mini_site, "127.0.0.1", False, capsys)
    assert "警告" not in err
    write_item(mini_site, "draft.md", BROKEN_DRAFT)  # a broken draft: served on, with the warning
    err, page, _ = _serve_output(mini_site, "127.0.0.1", False, capsys)
    assert [line for line in err.splitlines() if line.startswith(("警告", "共 "))] == [DRAFT_WARNING, DRAFT_SUMMARY]
    assert "关于调整高龄津贴标准的通知" in page


# ---------------------------------------------------------------- the README's clerk section does what it says

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def _section(title: str) -> str:
    start = README.index(f"### {title}\n")
    end = README.index("\n#", start + 4)
    return README[start:end]


def _blocks(text: str, lang: str) -> list[str]:
    import re
    import textwrap
    return [textwrap.dedent(b) for b in re.findall(rf"^ *```{lang}\n(.*?)^ *```", text, re.M | re.S)]


def test_readme_masking_rule_is_the_scanners(capsys) -> None:
    from gkpub.rules.pii import MASK_RULE, mask
    rows = {line.split("|")[1].strip(): line for line in _section("遮蔽规则").splitlines() if line.startswith("| ")}
    for kind, (head, tail) in MASK_RULE.items():
        row = rows[kind]
        assert f"前 {head} 位和后 {tail} 位" in row, row
        shown = row.split("`")[1]
        assert shown.count("*") == len(shown) - head - tail
        assert mask(shown[:head] + "1" * shown.count("*") + shown[-tail:], kind) == shown


def test_readme_add_a_domain_and_a_department_works(mini_site: Path, capsys) -> None:
    text = _section("如何添加一个领域和一个部门")
    (toml,), (catalog,) = _blocks(text, "toml"), _blocks(text, "yaml")
    site_toml = mini_site / "site.toml"
    s = site_toml.read_text(encoding="utf-8")
    at = s.index("[[township]]")
    org = toml.replace("青禾区", "测试区").replace("青", "测")
    site_toml.write_text(s[:at] + org + "\n" + s[at:], encoding="utf-8")
    (mini_site / "content" / "catalog" / "fupin.yaml").write_text(catalog.replace("青禾区", "测试区"),
                                                                   encoding="utf-8")
    code, lines = check(mini_site, capsys)
    assert code == 0, lines
    assert run("new", "item", "--site", str(mini_site), "--today", TODAY, "--catalog", "扶贫救灾/受灾人员救助/救助政策",
               "--title", "测试区受灾人员救助办法") == 0
    created = Path(capsys.readouterr().out.split("：", 1)[1].strip())
    assert created.parent.name == "fupin"
    text = created.read_text(encoding="utf-8")
    assert "索引号: 11000000MB00000014/2026-00001\n" in text and "# 文号: 测应急发〔2026〕1号\n" in text
    assert "## 救助对象\n" in text and "## 申请程序\n" in text
    code, lines = check(mini_site, capsys)
    assert code == 0, lines


def test_readme_multi_stage_leaf(mini_site: Path, capsys) -> None:
    text = _section("一个条目跨几个环节")
    override = _blocks(text, "yaml")[1]
    assert "过程: 决策" in override
    # the mini catalogue's 政策文件 is 决策: the item takes 执行 the way the README shows
    write_item(mini_site, "b.md", item_text(**{"索引号": "11530000MB00000025/2026-00002", "过程": "执行"}))
    out = mini_site / "public"
    assert run("build", "--site", str(mini_site), "--out", str(out), "--today", TODAY, "--no-search") == 0
    capsys.readouterr()
    stage = (out / "stage" / "zhixing" / "index.html").read_text(encoding="utf-8")
    assert "xxgk/11530000MB00000025/2026-00002/" in stage
    assert "xxgk/11530000MB00000025/2026-00002/" not in (out / "stage" / "juece" / "index.html").read_text(
        encoding="utf-8")
    leaf_page = (out / "domain" / "yanglao" / "gaoling" / "zhengce" / "index.html").read_text(encoding="utf-8")
    assert "xxgk/11530000MB00000025/2026-00002/" in leaf_page
    # a list of stages in the catalogue says how to write it instead
    cat = mini_site / "content" / "catalog" / "yanglao.yaml"
    cat.write_text(cat.read_text(encoding="utf-8").replace("过程: 决策", "过程: [决策, 执行]"), encoding="utf-8")
    lines = errors_of(mini_site, capsys)
    assert lines == ["content/catalog/yanglao.yaml:12: 字段「过程」: 只能写一个五公开环节（决策、执行、管理、服务、"
                     "结果之一）；跨几个环节的，拆成几个公开内容，或在信息中写「过程:」覆盖目录的环节"
                     "（见 README「一个条目跨几个环节」）"]


def test_index_code_of_no_org_offers_a_code_only_for_a_typo(mini_site: Path, capsys) -> None:
    # one character off the 民政局's code: named; a made-up code: no other org's code offered
    write_item(mini_site, "b.md", item_text(**{"索引号": "11530000MB00000026/2026-00002"}))
    write_item(mini_site, "c.md", item_text(**{"索引号": "12345678MB99999999/2026-00003"}))
    tail = "索引号以公开主体的统一社会信用代码（site.toml 中 [[org]] 的 code）开头，新的一篇请用 gkpub new item 生成"
    assert errors_of(mini_site, capsys) == [
        "content/items/yanglao/b.md:3: 字段「索引号」: 索引号的机构代码「11530000MB00000026」"
        "不属于 site.toml 中任何机关；"
        f"是不是「11530000MB00000025」？{tail}",
        "content/items/yanglao/c.md:3: 字段「索引号」: 索引号的机构代码「12345678MB99999999」"
        f"不属于 site.toml 中任何机关；{tail}"]


def test_a_catalogue_error_that_drops_leaves_is_not_repeated_per_item(mini_site: Path, capsys) -> None:
    cat = mini_site / "content" / "catalog" / "yanglao.yaml"
    cat.write_text(cat.read_text(encoding="utf-8").replace("    公开内容:\n", "    公开内容：\n", 1), encoding="utf-8")
    lines = errors_of(mini_site, capsys)
    assert len(lines) == 1, lines
    assert lines[0].startswith("content/catalog/yanglao.yaml:9: 「公开内容」后面用了中文全角冒号"), lines
    cat.write_text(cat.read_text(encoding="utf-8").replace("    公开内容：\n", "    内容:\n", 1), encoding="utf-8")
    lines = errors_of(mini_site, capsys)
    assert all(line.startswith("content/catalog/yanglao.yaml:") for line in lines), lines


def test_new_domain_naming_a_department_not_yet_added(mini_site: Path, capsys) -> None:
    cat = mini_site / "content" / "catalog" / "yanglao.yaml"
    cat.write_text(cat.read_text(encoding="utf-8").replace("公开主体: 测试区民政局", "公开主体: 测试区应急管理局"),
                   encoding="utf-8")
    lines = errors_of(mini_site, capsys)
    first = UNKNOWN_ORG.split("\n")[0].split("字段「公开主体」: ", 1)[1]
    assert lines == ["content/catalog/yanglao.yaml:3: 字段「公开主体」: " + first, *UNKNOWN_ORG.split("\n")[1:]]
