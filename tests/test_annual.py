"""`gkpub report annual`: the proactive-disclosure counts of the national 2021 format, and the draft."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from compliance_helpers import add_item
from conftest import REPO, TODAY, run

from gkpub.content.loader import load_site
from gkpub.content.schema import DECISION_KINDS
from gkpub.outputs.report.annual import annual_draft, count_year

HEADINGS = ["## 一、总体情况", "## 二、主动公开政府信息情况", "## 三、收到和处理政府信息公开申请情况",
            "## 四、政府信息公开行政复议、行政诉讼情况", "## 五、存在的主要问题及改进情况", "## 六、其他需要报告的事项"]
RESULT_LEAF = "养老服务/高龄津贴/发放名单"


def purpose_built(site: Path) -> None:
    add_item(site, "reg1.md", 2, 文件类型="行政规范性文件", 成文日期="2026-02-02", 发布日期="2026-02-04")
    add_item(site, "reg2.md", 3, 文件类型="行政规范性文件", 成文日期="2025-05-06", 发布日期="2025-05-08",
             废止日期="2026-06-30")
    add_item(site, "reg3.md", 4, 文件类型="行政规范性文件", 成文日期="2024-05-06", 发布日期="2024-05-08",
             有效期至="2025-12-31")
    add_item(site, "rule.md", 5, 文件类型="规章", 成文日期="2026-04-01", 发布日期="2026-04-03")
    common = {"目录": RESULT_LEAF, "成文日期": "2026-05-11", "发布日期": "2026-05-12"}
    add_item(site, "fine1.md", 6, 事项类型="行政处罚", 处理决定数=3, **common)
    add_item(site, "fine2.md", 7, 事项类型="行政处罚", 处理决定数=2, 公开属性="不予公开", **common)
    add_item(site, "fine3.md", 8, 事项类型="行政处罚", **common)  # no count: listed for review
    add_item(site, "permit.md", 9, 事项类型="行政许可", 处理决定数=4, **common)
    add_item(site, "force.md", 10, 事项类型="行政强制", 处理决定数=1, 公开属性="依申请公开", **common)
    add_item(site, "draft.md", 11, 事项类型="行政许可", 处理决定数=99, 草稿="true", **common)
    add_item(site, "old.md", 12, 事项类型="行政许可", 处理决定数=50, 目录=RESULT_LEAF,
             成文日期="2025-05-11", 发布日期="2025-05-12")
    add_item(site, "fee1.md", 13, 收费金额=1.5, 成文日期="2026-07-01", 发布日期="2026-07-02")
    add_item(site, "fee2.md", 14, 收费金额=2.25, 成文日期="2026-08-03", 发布日期="2026-08-04")


def test_counts_on_purpose_built_items(mini_site: Path) -> None:
    purpose_built(mini_site)
    c = count_year(load_site(mini_site, TODAY), 2026)
    docs = {k: (v.issued, v.repealed, v.in_force) for k, v in c.docs.items()}
    assert docs == {"规章": (1, 0, 1), "行政规范性文件": (1, 1, 1)}
    # decisions count held-back items (不予公开, 依申请公开) but never drafts or other years
    assert c.decisions == {"行政许可": 4, "行政处罚": 5, "行政强制": 1}
    assert c.fees == 3.75
    assert [i.source.split("/")[-1] for i in c.uncounted_decisions] == ["fine3.md"]
    assert c.on_portal == c.considered - 2


def test_draft_has_the_six_parts_and_filled_tables(mini_site: Path, tmp_path: Path, capsys) -> None:
    purpose_built(mini_site)
    out = tmp_path / "draft.md"
    assert run("report", "annual", "2026", "--site", str(mini_site), "--today", TODAY.isoformat(),
               "--out", str(out)) == 0
    assert "已生成 2026 年度报告草稿" in capsys.readouterr().out
    text = out.read_text(encoding="utf-8")
    positions = [text.index(h) for h in HEADINGS]
    assert positions == sorted(positions)
    assert text.startswith("---\n标题: 测试区人民政府2026年政府信息公开工作年度报告\n发布机构: 测试区人民政府\n---\n")
    assert "| 规章 | 1 | 0 | 1 |" in text and "| 行政规范性文件 | 1 | 1 | 1 |" in text
    assert "| 行政许可 | 4 |" in text and "| 行政处罚 | 5 |" in text and "| 行政强制 | 1 |" in text
    assert "| 行政事业性收费 | 3.75 |" in text
    assert "未在网站公开 2 条" in text and "两者都计入" in text
    assert "content/items/yanglao/fine3.md（行政处罚）" in text
    assert text.count("（请填写）") >= 4


def test_draft_goes_to_stdout_without_out(mini_site: Path, capsys) -> None:
    assert run("report", "annual", "2026", "--site", str(mini_site), "--today", TODAY.isoformat()) == 0
    assert capsys.readouterr().out.count("## ") == 6


def test_annual_counts_on_the_demo() -> None:
    site = load_site(REPO, TODAY)
    c = count_year(site, 2026)
    end = dt.date(2026, 12, 31)
    counted = [i for i in site.items if not i.el.get("草稿")]
    formed = [i for i in counted if i.written.year == 2026]
    # decisions count in the year of their 决定日期 (else 成文日期), once per 文号: the demo has a
    # December 2025 summary published in January 2026 and a summary repeating a published decision
    decided = [i for i in counted if (i.el.get("决定日期") or i.written).year == 2026]
    assert c.duplicates == 1
    for kind in DECISION_KINDS:
        expected = sum(i.el.get("处理决定数") or len(i.el.get("决定文号") or []) for i in decided
                       if i.el.get("事项类型") == kind)
        assert c.decisions[kind] == expected - (c.duplicates if kind == "行政处罚" else 0), kind
    assert any(i.el.get("决定日期") and i.el["决定日期"].year == 2025 and i.written.year == 2026 for i in counted)
    assert c.decisions["行政许可"] > 0 and c.decisions["行政处罚"] > 0
    regs = [i for i in counted if i.el.get("文件类型") == "行政规范性文件"]
    assert c.docs["行政规范性文件"].issued == sum(1 for i in regs if i.written.year == 2026) > 0
    assert c.docs["行政规范性文件"].repealed == sum(1 for i in regs
                                                    if i.el.get("废止日期") and i.el["废止日期"].year == 2026)
    assert c.docs["行政规范性文件"].in_force == sum(1 for i in regs if not i.expired(end)) > 0
    assert c.fees == round(sum(i.el.get("收费金额") or 0 for i in formed), 4)
    assert c.considered == len(formed)
    text = annual_draft(site, c)
    assert f"| 行政许可 | {c.decisions['行政许可']} |" in text
    for h in HEADINGS:
        assert h in text
