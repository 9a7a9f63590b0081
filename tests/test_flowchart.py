"""流程图 from data (content/flow.py): the YAML of a flow on a matter, a leaf and a fixed page's
```流程 block, every mistake at its line; the web drawing (steps in order, labelled exits that
link to their steps, where a step is entered from); axe and the phone on the demo's pages; the
handbook and the posters carry the steps, and a poster keeps them on its sheets."""
from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest
from a11y_support import axe_source, describe, reading_context, run_axe, run_vnu
from browser import browser, serve
from conftest import MINI_CATALOG, REPO, TODAY, run, tree_digest
from pdfcheck import page_texts

from gkpub.content.flow import page_flows, parse_flow
from gkpub.content.frontmatter import load_yaml
from gkpub.util.errors import ErrorList

FLOW = """\
- 名称: 提出申请
  主体: 老年人或其代理人
  说明: 到社区（村）便民服务站申请
- 名称: 材料是否齐全
  主体: 社区（村）
  时限: 当场
  分支: {是: 审核, 否: 补齐材料}
- 名称: 补齐材料
  主体: 申请人
  下一步: 材料是否齐全
- 名称: 审核
  主体: 测试区民政局
  时限: 5个工作日
  分支: {符合: 发放, 不符合: 告知原因}
- 名称: 发放
  结束: 是
- 名称: 告知原因
  主体: 测试区民政局
"""
MATTER_AT = '    事项编码: "T-001"\n'


def with_flow(steps: str, where: str = MATTER_AT, indent: int = 6) -> str:
    """MINI_CATALOG with 流程 (the steps given) added to the matter, or after the line ``where``."""
    block = " " * (indent - 2) + "流程:\n" + textwrap.indent(steps, " " * indent)
    assert MINI_CATALOG.count(where) == 1
    return MINI_CATALOG.replace(where, where + block)


def catalog_line(text: str, needle: str) -> int:
    """The line of the catalogue text holding ``needle`` (1-based)."""
    return next(k for k, line in enumerate(text.splitlines(), start=1) if needle in line)


def build(site: Path, capsys) -> tuple[int, str]:
    code = run("build", "--site", str(site), "--out", str(site / "public"), "--today", TODAY.isoformat(),
               "--no-search")
    return code, capsys.readouterr().err


def write_catalog(site: Path, text: str) -> None:
    (site / "content" / "catalog" / "yanglao.yaml").write_text(text, encoding="utf-8")


def fails(site: Path, capsys, text: str) -> str:
    write_catalog(site, text)
    code, err = build(site, capsys)
    assert code == 1, err
    return err


def parse(steps: str) -> tuple:
    errors = ErrorList()
    flow = parse_flow(load_yaml(steps), "x.yaml", 1, errors, "测试流程")
    return flow, [e.format() for e in errors.sorted()]


# ---------------------------------------------------------------- the model
def test_a_flow_knows_its_arrows_exits_and_entries() -> None:
    flow, errors = parse(FLOW)
    assert not errors
    by = {s.name: s for s in flow.steps}
    assert [s.number for s in flow.steps] == [1, 2, 3, 4, 5, 6]
    assert by["提出申请"].continues and not by["提出申请"].decision
    # 否 leads to the step drawn next: the arrow down carries it; 是 is an exit to step 4
    assert by["材料是否齐全"].continues and by["材料是否齐全"].down_label == "否"
    assert [(b.label, b.target.number) for b in by["材料是否齐全"].branches] == [("是", 4), ("否", 3)]
    # 补正 goes back: no arrow down, a jump, and step 2 says it is entered from step 3
    assert not by["补齐材料"].continues and by["补齐材料"].jump is by["材料是否齐全"]
    assert [(s.number, label) for s, label in by["材料是否齐全"].sources] == [(3, "")]
    assert [(s.number, label) for s, label in by["审核"].sources] == [(2, "是")]
    assert by["发放"].end and by["发放"].terminal and not by["发放"].continues
    assert [(s.number, label) for s, label in by["告知原因"].sources] == [(4, "不符合")]
    assert by["告知原因"].terminal  # the last step ends the flow


def test_next_step_naming_the_following_one_is_an_ordinary_arrow() -> None:
    flow, errors = parse("- 名称: 甲\n  下一步: 乙\n- 名称: 乙\n")
    assert not errors
    assert flow.steps[0].continues and flow.steps[0].jump is None and not flow.steps[1].sources


@pytest.mark.parametrize(("steps", "expected"), [
    ("- 名称: 甲\n  分支: {是: 乙, 否: 丙}\n- 名称: 乙\n- 名称: 丁\n",
     ["x.yaml:2: 字段「流程·甲·分支」: 分支「否」指向的步骤「丙」不存在；", "本流程的步骤：甲、乙、丁"]),
    ("- 名称: 受理\n  下一步: 补证\n- 名称: 补正\n  下一步: 受理\n",
     ["x.yaml:2: 字段「流程·受理·下一步」: 「下一步」指向的步骤「补证」不存在；是不是「补正」？"]),
    ("- 名称: 甲\n  时间: 当场\n", ["x.yaml:2: 字段「流程·第1步」: 流程步骤中不认识「时间」；是不是「时限」？"]),
    ("- 名称: 甲\n- 主体: 乙\n", ["x.yaml:2:", "每一步都要有「名称」"]),
    ("- 名称: 甲\n- 名称: 乙\n- 名称: 甲\n", ["x.yaml:3:", "步骤名称「甲」与第 1 行的步骤重复"]),
    ("- 名称: 甲\n  结束: 是\n- 名称: 乙\n", ["x.yaml:3: 字段「流程·乙」: 到不了步骤「乙」"]),
    ("- 名称: 甲\n  下一步: 甲\n- 名称: 乙\n", ["x.yaml:2:", "「下一步」不能指向本步骤自己"]),
    ("- 名称: 甲\n  分支: {是: 乙}\n- 名称: 乙\n", ["x.yaml:2:", "分支至少要有两个去向", "请用「下一步」"]),
    ("- 名称: 甲\n  分支: {是: 乙, 对: 乙}\n- 名称: 乙\n", ["都指向「乙」"]),
    ("- 名称: 甲\n  分支: [乙, 丙]\n- 名称: 乙\n- 名称: 丙\n", ["x.yaml:2:", "分支应是「条件: 步骤名称」的映射"]),
    ("- 名称: 甲\n  结束: 是\n  下一步: 乙\n- 名称: 乙\n", ["已写「结束: 是」的步骤不能再有「下一步」"]),
    ("- 名称: 甲\n  结束: 也许\n", ["x.yaml:2:", "应写「是」（流程到此结束）或「否」"]),
    ("- 名称: 甲\n  分支: {yes: 乙, no: 丙}\n- 名称: 乙\n- 名称: 丙\n", ["分支的条件「是」应是文字", "请用引号"]),
    ("- 名称: 甲\n  分支: {是: 乙, 否: 丙}\n  下一步: 乙\n- 名称: 乙\n- 名称: 丙\n", ["不能同时写「下一步」"]),
    ("- 名称: 甲\n  主体: [甲, 乙]\n", ["x.yaml:2: 字段「流程·甲·主体」: 应是一段文字"]),
    ("名称: 甲\n", ["x.yaml:1: 字段「流程」: 流程应是步骤列表"]),
])
def test_every_mistake_at_its_line(steps: str, expected: list[str]) -> None:
    flow, errors = parse(steps)
    assert flow is None
    text = "\n".join(errors)
    for e in expected:
        assert e in text, f"expected {e!r} in:\n{text}"


# ---------------------------------------------------------------- in a site
def test_catalogue_errors_name_the_file_and_line(mini_site: Path, capsys) -> None:
    bad = with_flow(FLOW.replace("否: 补齐材料", "否: 补其材料"))
    err = fails(mini_site, capsys, bad)
    line = catalog_line(bad, "分支: {是: 审核, 否: 补其材料}")
    assert f"content/catalog/yanglao.yaml:{line}: 字段「流程·材料是否齐全·分支」" in err, err
    assert "是不是「补齐材料」？" in err
    misspelt = MINI_CATALOG.replace(MATTER_AT, MATTER_AT + "    流程图:\n      - 名称: 甲\n")
    err = fails(mini_site, capsys, misspelt)
    assert f"yanglao.yaml:{catalog_line(misspelt, '流程图')}: 字段「流程图」" in err and "是不是「流程」？" in err, err


def test_matter_and_leaf_pages_draw_their_flows(mini_site: Path, capsys) -> None:
    leaf_at = "        过程: 结果\n"
    text = with_flow(FLOW)
    text = text.replace(leaf_at, leaf_at + "        流程:\n          - 名称: 名单公示\n          - 名称: 发放\n", 1)
    write_catalog(mini_site, text)
    code, err = build(mini_site, capsys)
    assert code == 0, err
    public = mini_site / "public"
    html = (public / "domain" / "yanglao" / "gaoling" / "index.html").read_text(encoding="utf-8")
    assert 'href="/assets/flow.css"' in html
    chart = html[html.index('<figure class="flowchart"'):html.index("</figure>")]
    assert 'aria-labelledby="flow-h"' in chart and '<h2 id="flow-h">办理流程</h2>' in html
    # the steps in order, each an item of one ordered list with its anchor and number
    names = re.findall(r'<li id="flow-(\d+)" class="flow-step[^"]*">.*?<span class="visually-hidden">步：</span>'
                       r"</span> ([^<]+?)[ <]", chart, re.S)
    assert names == [("1", "提出申请"), ("2", "材料是否齐全"), ("3", "补齐材料"), ("4", "审核"), ("5", "发放"),
                     ("6", "告知原因")]
    # decisions say so in words, their exits are labelled and link to the step they lead to
    assert chart.count('class="flow-tag">判断</span>') == 2
    exits = re.findall(r'<span class="flow-label">([^<]+)</span>.*?<a href="#flow-(\d+)">第\2步 ([^<]+)</a>', chart)
    assert exits == [("是", "4", "审核"), ("否", "3", "补齐材料"), ("符合", "5", "发放"), ("不符合", "6", "告知原因")]
    assert '完成后回到<a href="#flow-2">第2步 材料是否齐全</a>' in chart
    assert '由<a href="#flow-4">第4步</a>“不符合”转入' in chart
    assert chart.count("流程结束") == 2
    # the arrow down only where a step runs on into the next one
    continues = re.findall(r'<li id="flow-(\d+)" class="[^"]*flow-continues', chart)
    assert continues == ["1", "2", "4"]
    assert "<dt>办理主体</dt><dd>测试区民政局</dd>" in chart and "<dt>时限</dt><dd>5个工作日</dd>" in chart
    leaf = (public / "domain" / "yanglao" / "gaoling" / "mingdan" / "index.html").read_text(encoding="utf-8")
    assert "<h2 id=\"flow-h\">发放名单流程</h2>" in leaf and "名单公示" in leaf
    other = (public / "domain" / "yanglao" / "gaoling" / "zhengce" / "index.html").read_text(encoding="utf-8")
    assert "flow.css" not in other and "flowchart" not in other  # no flow, no stylesheet


GUIDE = """\
---
标题: 测试区政府信息公开指南
---
## 办理流程

流程之前的一段话。

```流程 依申请公开办理流程
- 名称: 收到申请
  主体: 工作机构
- 名称: 答复
  时限: 20个工作日内
```

流程之后的一段话。

````markdown
```流程
这不是流程，是代码示例。
```
````
"""


def write_guide(site: Path, text: str) -> Path:
    path = site / "content" / "pages" / "guide.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_a_fixed_page_draws_its_flow_where_it_is_written(mini_site: Path, capsys) -> None:
    write_guide(mini_site, GUIDE)
    code, err = build(mini_site, capsys)
    assert code == 0, err
    html = (mini_site / "public" / "guide" / "index.html").read_text(encoding="utf-8")
    before, chart, after = html.index("流程之前"), html.index('<figure class="flowchart" id="flow-1">'), \
        html.index("流程之后")
    assert before < chart < after
    assert '<figcaption class="flow-title">依申请公开办理流程</figcaption>' in html
    assert 'href="/assets/flow.css"' in html
    assert "这不是流程，是代码示例。" in html and html.count('class="flowchart"') == 1  # a code example stays code
    assert "gkpub:flow" not in html


@pytest.mark.parametrize(("body", "expected"), [
    ("```流程\n- 名称: 甲\n  下一步: 丙\n- 名称: 乙\n```\n", ["guide.md:7: 字段「流程·甲·下一步」", "「丙」不存在"]),
    ("正文\n\n```流程\n- 名称: 甲\n  主体: 乙: 丙\n```\n", ["guide.md:9: 字段「流程」: YAML 格式错误", "冒号"]),
    ("```流程\n- 名称: 甲\n", ["guide.md:5: 字段「正文」: 流程图代码块没有结束"]),
    ("正文\n\n> ```流程\n> - 名称: 甲\n> ```\n", ["guide.md:7: 字段「正文」: 流程图代码块（```流程）要顶格写"]),
])
def test_fixed_page_flow_errors(mini_site: Path, capsys, body: str, expected: list[str]) -> None:
    write_guide(mini_site, "---\n标题: 指南\n---\n\n" + body)
    code, err = build(mini_site, capsys)
    assert code == 1, err
    for e in expected:
        assert e in err, f"expected {e!r} in:\n{err}"


def test_fenced_blocks_are_found_as_commonmark_finds_them() -> None:
    errors = ErrorList()
    body = "~~~流程 甲流程\n- 名称: 甲\n~~~\n\n````\n```流程\n````\n\n```流程\n- 名称: 乙\n```\n"
    flows = page_flows(body, 10, "p.md", errors)
    assert not errors.errors
    assert [(f.title, f.line, [s.name for s in f.steps]) for f in flows] == [
        ("甲流程", 10, ["甲"]), ("办理流程", 18, ["乙"])]


def test_editing_a_flow_rebuilds_like_a_clean_build(mini_site: Path, tmp_path: Path, capsys) -> None:
    """A flow's pages follow an edit of the catalogue or of the page (incremental = clean)."""
    write_catalog(mini_site, with_flow(FLOW))
    guide = write_guide(mini_site, GUIDE)
    assert build(mini_site, capsys)[0] == 0

    def same_as_clean() -> None:
        assert build(mini_site, capsys)[0] == 0
        clean = tmp_path / "clean"
        code = run("build", "--site", str(mini_site), "--out", str(clean), "--today", TODAY.isoformat(),
                   "--no-search", "--clean", "--cache", str(tmp_path / "clean-cache"))
        assert code == 0, capsys.readouterr().err
        assert tree_digest(mini_site / "public") == tree_digest(clean)

    write_catalog(mini_site, with_flow(FLOW.replace("补齐材料", "补正材料")))
    same_as_clean()
    assert "补正材料" in (mini_site / "public/domain/yanglao/gaoling/index.html").read_text(encoding="utf-8")
    guide.write_text(GUIDE.replace("时限: 20个工作日内", "时限: 15个工作日内"), encoding="utf-8")
    same_as_clean()
    assert "15个工作日内" in (mini_site / "public/guide/index.html").read_text(encoding="utf-8")


# ---------------------------------------------------------------- the demo
DEMO_FLOWS = {  # matter page → its steps
    "/domain/jiuzhu/dibao/": ["提出申请", "材料是否齐全", "补齐材料", "受理", "家庭经济状况调查", "审核意见公示",
                              "审核确认", "确认保障", "书面告知理由"],
    "/domain/yanglao/gaoling/": ["提出申请", "社区（村）初审", "街道（乡镇）审核", "名单公示", "调查复核",
                                 "区民政局审批", "按月发放", "告知原因"],
    "/domain/huji/qianyi/": ["提交申请", "材料是否齐全", "一次性告知补正", "受理审核", "办理迁入", "不予办理"],
}
FLOW_TITLES = {"/domain/jiuzhu/dibao/": "最低生活保障办理流程", "/domain/yanglao/gaoling/": "高龄津贴办理流程",
               "/domain/huji/qianyi/": "户口迁移办理流程"}
GUIDE_STEPS = ["提出申请", "收到并登记", "申请内容是否明确", "告知补正", "视为放弃申请", "审查", "征求第三方意见",
               "答复"]


def chart_steps(html: str) -> list[str]:
    return re.findall(r'<span class="visually-hidden">步：</span></span> ([^<]+?)[ <]', html)


def page_html(public: Path, address: str) -> str:
    return (public / address.strip("/") / "index.html").read_text(encoding="utf-8")


def test_demo_matters_show_their_flows(demo_public: Path) -> None:
    for address, steps in DEMO_FLOWS.items():
        assert chart_steps(page_html(demo_public, address)) == steps, address


def test_the_guide_shows_the_request_flow(demo_public: Path) -> None:
    html = page_html(demo_public, "/guide/")
    assert '<figcaption class="flow-title">依申请公开办理流程</figcaption>' in html
    assert chart_steps(html) == GUIDE_STEPS
    # the time limits of 条例 第三十条, 第三十二条 and 第三十三条, and the extension
    for text in ("自收到申请之日起7个工作日内", "自收到征求意见书之日起15个工作日内提出意见",
                 "自收到申请之日起20个工作日内", "最长不超过20个工作日", "视为放弃申请"):
        assert text in html, text
    assert html.index("（三）办理流程") < html.index('class="flowchart"') < html.index("（四）收费")


@pytest.mark.browser
def test_flow_pages_pass_axe_on_desktop_and_phone(demo_public: Path) -> None:
    pages = [*DEMO_FLOWS, "/guide/"]
    source = axe_source()
    failures, wide, boxes = [], {}, {}
    with serve(demo_public) as base, browser() as b:
        for width in (1280, 360):
            for elder in (False, True):
                context = reading_context(b, width, elder, source)
                page = context.new_page()
                for address in pages:
                    page.goto(base + address)
                    violations = run_axe(page, source)
                    if violations:
                        failures.append(f"{address}（{width}px{'，长辈版' if elder else ''}）:\n{describe(violations)}")
                    scroll = page.evaluate("document.scrollingElement.scrollWidth")
                    if scroll > width:
                        wide[f"{address} {width}px"] = scroll
                    # every box inside the page's width, and the arrows drawn (CSS loaded)
                    boxes[(address, width, elder)] = page.evaluate(
                        "[...document.querySelectorAll('.flow-box')].map(e => e.getBoundingClientRect().right)")
                    arrow = page.evaluate("getComputedStyle(document.querySelector('.flow-continues'), '::after')"
                                          ".borderLeftStyle")
                    assert arrow == "solid", (address, width)
                context.close()
    assert not failures, "\n".join(failures)
    assert not wide, f"流程图页面在手机上需要左右滚动：{wide}"
    for (address, width, _), rights in boxes.items():
        assert rights and max(rights) <= width, (address, width, rights)


def test_flow_pages_are_valid_html_and_css(demo_public: Path) -> None:
    paths = [demo_public / a.strip("/") / "index.html" for a in [*DEMO_FLOWS, "/guide/"]]
    messages = run_vnu([*paths, demo_public / "assets" / "flow.css"])
    assert not messages, "\n".join(f"{m.get('url')}:{m.get('lastLine')}: {m['message']}" for m in messages)


def test_handbook_prints_the_steps(demo_printed: Path) -> None:
    text = "".join(page_texts(demo_printed / "handbook.pdf"))
    for address, steps in DEMO_FLOWS.items():
        at = text.index(FLOW_TITLES[address])
        positions = [text.index(f"{k}{name}", at) for k, name in enumerate(steps, start=1)]
        assert positions == sorted(positions), (address, positions)
    assert "第4步受理" in text and "↑完成后回到第2步材料是否齐全" in text


def test_posters_carry_the_flows_of_their_matters_within_the_sheets(demo_printed: Path) -> None:
    import pdfplumber

    poster = demo_printed / "boards" / "禾丰社区.pdf"  # 低保 公示 and 高龄津贴 items are on it
    texts = page_texts(poster)
    whole = "".join(texts)
    assert "办理流程" in whole
    for address in ("/domain/jiuzhu/dibao/", "/domain/yanglao/gaoling/"):
        for k, name in enumerate(DEMO_FLOWS[address], start=1):
            assert f"{k}{name}" in whole, name
    assert "户口迁移办理流程" not in whole  # no 户口迁移 item on this board
    with pdfplumber.open(poster) as pdf:
        for page in pdf.pages:
            outside = [c["text"] for c in page.chars
                       if c["x0"] < 0 or c["x1"] > page.width or c["top"] < 0 or c["bottom"] > page.height]
            assert not outside, f"第 {page.page_number} 张有文字超出纸张：{''.join(outside)[:40]}"


def test_demo_catalogue_documents_itself() -> None:
    """The README shows the step format the demo uses."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### 办理流程（流程图）"):]
    for key in ("名称:", "主体:", "时限:", "说明:", "分支:", "下一步:", "结束:", "```流程"):
        assert key in section, key
