"""`gkpub report annual YEAR [--org 机关]`: all six parts; §三 and §四 as the national tables of
国办公开办函〔2021〕30号 cell for cell, filled from the 依申请公开 register; per-body reports;
the missing-年报 and double-counted-decision findings; decisions counted by their own date."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from compliance_helpers import add_item
from conftest import REPO, TODAY, run

from gkpub.compliance.checks import check_site
from gkpub.content.loader import load_site
from gkpub.outputs.report.annual import annual_draft, count_year

# The national form's §三, typed from the 附件 of 国办公开办函〔2021〕30号: every cell at the
# grid position of its top-left corner, the positions a merged cell covers empty.
S3_HEAD = [
    ["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "", "",
     "申请人情况", "", "", "", "", "", ""],
    ["", "", "", "自然人", "法人或其他组织", "", "", "", "", "总计"],
    ["", "", "", "", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", ""],
]
S3_LABELS = [
    ["一、本年新收政府信息公开申请数量", "", ""],
    ["二、上年结转政府信息公开申请数量", "", ""],
    ["三、本年度办理结果", "（一）予以公开", ""],
    ["", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", ""],
    ["", "（三）不予公开", "1.属于国家秘密"],
    ["", "", "2.其他法律行政法规禁止公开"],
    ["", "", "3.危及“三安全一稳定”"],
    ["", "", "4.保护第三方合法权益"],
    ["", "", "5.属于三类内部事务信息"],
    ["", "", "6.属于四类过程性信息"],
    ["", "", "7.属于行政执法案卷"],
    ["", "", "8.属于行政查询事项"],
    ["", "（四）无法提供", "1.本机关不掌握相关政府信息"],
    ["", "", "2.没有现成信息需要另行制作"],
    ["", "", "3.补正后申请内容仍不明确"],
    ["", "（五）不予处理", "1.信访举报投诉类申请"],
    ["", "", "2.重复申请"],
    ["", "", "3.要求提供公开出版物"],
    ["", "", "4.无正当理由大量反复申请"],
    ["", "", "5.要求行政机关确认或重新出具已获取信息"],
    ["", "（六）其他处理", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"],
    ["", "", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"],
    ["", "", "3.其他"],
    ["", "（七）总计", ""],
    ["四、结转下年度继续办理", "", ""],
]
S4_HEAD = [
    ["行政复议", "", "", "", "", "行政诉讼", "", "", "", "", "", "", "", "", ""],
    ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计",
     "未经复议直接起诉", "", "", "", "", "复议后起诉", "", "", "", ""],
    ["", "", "", "", "", "结果维持", "结果纠正", "其他结果", "尚未审结", "总计",
     "结果维持", "结果纠正", "其他结果", "尚未审结", "总计"],
]
PARTS = ["## 一、总体情况", "## 二、主动公开政府信息情况", "## 三、收到和处理政府信息公开申请情况",
         "## 四、政府信息公开行政复议、行政诉讼情况", "## 五、存在的主要问题及改进情况", "## 六、其他需要报告的事项"]
HEADER = ("编号,收到日期,申请人类型,申请方式,补正告知日期,补正收到日期,延期告知日期,答复日期,办理结果,收费金额,"
          "行政复议,行政诉讼\n")
LATE = dt.date(2027, 1, 15)  # a January day: the 2026 report is being drafted
RESULT_LEAF = "养老服务/高龄津贴/发放名单"


def table(text: str, heading: str) -> list[list[str]]:
    """The first Markdown table after ``heading``, as a grid of cell texts (bold marks dropped)."""
    part = text[text.index(heading):]
    rows: list[list[str]] = []
    for line in part.splitlines()[1:]:
        if line.startswith("## "):
            break
        if not line.startswith("|"):
            if rows:
                break
            continue
        if re.fullmatch(r"\|( -+ \|)+", line):
            continue
        rows.append([c.strip().replace("**", "") for c in line.strip()[1:-1].split(" | ")])
    return rows


def registers(site: Path) -> None:
    (site / "data/requests/2025").mkdir(parents=True)
    (site / "data/requests/2026").mkdir(parents=True)
    (site / "data/requests/2025/区民政局.csv").write_text(HEADER + (
        "A,2025-12-22,自然人,信函,,,,2026-01-09,予以公开,,,\n"  # carried into 2026
        "B,2025-11-03,自然人,网络,,,,2025-11-20,予以公开,,,\n"), encoding="utf-8")  # 2025 only
    (site / "data/requests/2026/区民政局.csv").write_text(HEADER + (
        "C,2026-03-16,自然人,网络,,,,2026-04-03,部分公开,,,\n"
        "D,2026-04-01,商业企业,网络,,,,2026-04-20,不予公开：属于国家秘密,,结果纠正,结果维持\n"
        "E,2026-05-06,法律服务机构,当面,,,,2026-05-20,无法提供：本机关不掌握相关政府信息,200,,尚未审结\n"
        "F,2026-12-28,自然人,网络,,,,,,,,\n"), encoding="utf-8")  # open at the year's end
    (site / "data/requests/2026/区政府.csv").write_text(HEADER + (
        "G,2026-06-01,科研机构,电子邮件,,,,2026-06-10,予以公开,,,\n"), encoding="utf-8")


def draft(site: Path, *extra: str, today: dt.date = LATE) -> str:
    out = site.parent / "draft.md"
    assert run("report", "annual", "2026", "--site", str(site), "--today", today.isoformat(), "--out", str(out),
               *extra) == 0
    return out.read_text(encoding="utf-8")


def numbers(grid: list[list[str]], first: int) -> list[list[int]]:
    return [[int(c) for c in row[first:]] for row in grid]


# ---------------------------------------------------------------- the tables, cell for cell

def test_section_three_is_the_national_table_cell_for_cell(mini_site: Path) -> None:
    registers(mini_site)
    grid = table(draft(mini_site), PARTS[2])
    assert grid[:3] == S3_HEAD
    assert [row[:3] for row in grid[3:]] == S3_LABELS
    assert all(len(row) == 10 for row in grid)
    assert all(re.fullmatch(r"\d+", c) for row in grid[3:] for c in row[3:])  # every number written, 0 as 0


def test_section_four_is_the_national_table_cell_for_cell(mini_site: Path) -> None:
    grid = table(draft(mini_site), PARTS[3])  # no register at all: the table still stands, all 0
    assert grid[:3] == S4_HEAD
    assert grid[3:] == [["0"] * 15]


def test_the_empty_tables_are_zeros_not_blanks(mini_site: Path) -> None:
    text = draft(mini_site)
    grid = table(text, PARTS[2])
    assert numbers(grid[3:], 3) == [[0] * 7] * len(S3_LABELS)
    assert "以上数据均为 0" in text


# ---------------------------------------------------------------- counts from the register

def test_the_district_counts_every_bodys_register(mini_site: Path) -> None:
    registers(mini_site)
    text = draft(mini_site)
    rows = {tuple(r[:3]): [int(c) for c in r[3:]] for r in table(text, PARTS[2])[3:]}
    #                                              自然人 商业 科研 公益 法律 其他 总计
    assert rows[tuple(S3_LABELS[0])] == [2, 1, 1, 0, 1, 0, 5]  # C F | D | G | E
    assert rows[tuple(S3_LABELS[1])] == [1, 0, 0, 0, 0, 0, 1]  # A
    assert rows[tuple(S3_LABELS[2])] == [1, 0, 1, 0, 0, 0, 2]  # A, G
    assert rows[tuple(S3_LABELS[3])] == [1, 0, 0, 0, 0, 0, 1]  # C
    assert rows[tuple(S3_LABELS[4])] == [0, 1, 0, 0, 0, 0, 1]  # D
    assert rows[tuple(S3_LABELS[12])] == [0, 0, 0, 0, 1, 0, 1]  # E
    assert rows[tuple(S3_LABELS[-2])] == [2, 1, 1, 0, 1, 0, 5]  # （七）总计
    assert rows[tuple(S3_LABELS[-1])] == [1, 0, 0, 0, 0, 0, 1]  # F
    others = [S3_LABELS[i] for i in (5, 6, 7, 8, 9, 10, 11, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22)]
    assert all(rows[tuple(label)] == [0] * 7 for label in others)
    # the form's own check: 一 + 二 = 三（七） + 四, column by column
    first, second, total, carried = (rows[tuple(S3_LABELS[i])] for i in (0, 1, -2, -1))
    assert [a + b for a, b in zip(first, second, strict=True)] == [a + b for a, b in zip(total, carried, strict=True)]
    s4 = table(text, PARTS[3])[3]
    assert s4 == ["0", "1", "0", "0", "1", "0", "0", "0", "1", "1", "1", "0", "0", "0", "1"]
    assert "收取信息处理费 1 件，共计 200 元" in text
    assert "本年度新收政府信息公开申请 5 件，上年结转 1 件，办结 5 件" in text


def test_a_department_report_counts_its_own_only(mini_site: Path) -> None:
    registers(mini_site)
    text = draft(mini_site, "--org", "区民政局")
    assert text.startswith("---\n标题: 测试区民政局2026年政府信息公开工作年度报告\n发布机构: 测试区民政局\n---\n")
    assert "另存为 content/pages/annual/2026-11530000MB00000025.md" in text and "应在 2027-01-31 前发布" in text
    rows = {tuple(r[:3]): [int(c) for c in r[3:]] for r in table(text, PARTS[2])[3:]}
    assert rows[tuple(S3_LABELS[0])] == [2, 1, 0, 0, 1, 0, 4]  # G is the government's
    assert rows[tuple(S3_LABELS[2])] == [1, 0, 0, 0, 0, 0, 1]
    assert rows[tuple(S3_LABELS[-2])] == [2, 1, 0, 0, 1, 0, 4]
    site = load_site(mini_site, LATE)
    gov = site.config.org_by_name("区政府")
    assert annual_draft(site, count_year(site, 2026, gov)) == annual_draft(site, count_year(site, 2026))
    assert "另存为 content/pages/annual/2026.md" in draft(mini_site, "--org", "区政府")


def test_an_unknown_body_is_a_usage_error(mini_site: Path, capsys) -> None:
    assert run("report", "annual", "2026", "--site", str(mini_site), "--org", "区农业局") == 2
    assert "--org「区农业局」不在 site.toml 的 [[org]] 中" in capsys.readouterr().err


# ---------------------------------------------------------------- the parts gkpub drafts

def test_all_six_parts_with_counts_and_prompts(mini_site: Path) -> None:
    registers(mini_site)
    add_item(mini_site, "jiedu.md", 2, 标题="高龄津贴政策解读", 信息环节="解读", 成文日期="2026-03-05",
             发布日期="2026-03-06")
    add_item(mini_site, "held.md", 3, 公开属性="不予公开", 成文日期="2026-04-01", 发布日期="2026-04-02")
    text = draft(mini_site, "--org", "区民政局")
    positions = [text.index(p) for p in PARTS]
    assert positions == sorted(positions)
    one = text[positions[0]:positions[1]]
    assert "发布政策解读 1 篇" in one and "回应社会关切 0 条" in one
    assert "主动公开 2 条、删减后公开 0 条、依申请公开 0 条、不予公开 1 条" in one
    assert "新收政府信息公开申请 4 件，上年结转 1 件" in one and "结转下年度继续办理 1 件" in one
    five = text[positions[4]:positions[5]]
    assert "按 gkpub 合规检查（截至 2027-01-15）" in five
    six = text[positions[5]:]
    assert "收取信息处理费 1 件，共计 200 元" in six
    for part in (one, five, six):
        assert "（请填写）" in part


def test_part_five_lists_gkpubs_own_findings(mini_site: Path) -> None:
    (mini_site / "data/requests/2026").mkdir(parents=True)
    (mini_site / "data/requests/2026/区民政局.csv").write_text(
        HEADER + "L,2026-03-16,自然人,网络,,,,2026-04-15,予以公开,,,\n", encoding="utf-8")  # one day late
    five = draft(mini_site, "--org", "区民政局")
    five = five[five.index(PARTS[4]):five.index(PARTS[5])]
    assert "依申请答复逾期 1 项" in five
    assert "data/requests" not in five.split("具体条目")[0]  # counts, never the case or a path


# ---------------------------------------------------------------- decisions

def decision_items(site: Path) -> None:
    common = {"目录": RESULT_LEAF, "事项类型": "行政处罚"}
    # December's decisions, summed up and published in January: they count for 2025
    add_item(site, "dec2025.md", 4, 成文日期="2026-01-06", 发布日期="2026-01-08", 决定日期="2025-12-31",
             处理决定数=4, **common)
    add_item(site, "single.md", 5, 成文日期="2026-05-11", 发布日期="2026-05-12", 文号="测民罚〔2026〕3号",
             处理决定数=1, **common)
    add_item(site, "summary.md", 6, 成文日期="2026-05-18", 发布日期="2026-05-20",
             决定文号='["测民罚[2026] 3号", "测民罚〔2026〕4号"]', **common)  # brackets and spaces vary


def test_decisions_count_by_their_own_date_and_once(mini_site: Path) -> None:
    decision_items(mini_site)
    site = load_site(mini_site, TODAY)
    assert count_year(site, 2025).decisions["行政处罚"] == 4
    c = count_year(site, 2026)
    assert c.decisions["行政处罚"] == 2 and c.duplicates == 1  # 3号 once, 4号
    text = annual_draft(site, c)
    assert "| 行政处罚 | 2 |" in text and "有 1 件处理决定被两篇信息同时计入" in text
    assert "content/items/yanglao/dec2025.md（决定日期 2025-12-31，成文日期 2026-01-06）" in \
        annual_draft(site, count_year(site, 2025))


def test_a_decision_counted_twice_is_a_finding(mini_site: Path) -> None:
    decision_items(mini_site)
    found = [f for f in check_site(load_site(mini_site, TODAY)).findings if f.kind == "decision_twice"]
    assert len(found) == 1
    f = found[0]
    assert (f.file, f.field) == ("content/items/yanglao/summary.md", "决定文号") and f.line > 0
    assert "处理决定「测民罚〔2026〕3号」已由" in f.message and "single.md" in f.message


# ---------------------------------------------------------------- the 年报 itself

def annual_page(site: Path, name: str, org: str | None, published: str | None, body: str = "正文。") -> None:
    path = site / "content" / "pages" / "annual" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    meta = [f"标题: {org or '测试区人民政府'}2026年政府信息公开工作年度报告"]
    if org:
        meta.append(f"发布机构: {org}")
    if published:
        meta.append(f"发布日期: {published}")
    path.write_text("---\n" + "\n".join(meta) + "\n---\n" + body + "\n", encoding="utf-8")


def annual_findings(site: Path, today: dt.date) -> list[tuple[str, str, str]]:
    report = check_site(load_site(site, today))
    return [(f.kind, f.file, f.subject) for f in report.findings if f.kind.startswith("annual")]


def test_a_missing_report_is_a_finding_after_its_deadline(mini_site: Path) -> None:
    # the mini site's 民政 item was published in 2026: 民政 owes a 2026 report by 2027-01-31,
    # the government (whose report is the district's) by 2027-03-31
    assert annual_findings(mini_site, dt.date(2027, 1, 31)) == []
    assert annual_findings(mini_site, dt.date(2027, 2, 1)) == [
        ("annual_missing", "content/pages/annual/2026-11530000MB00000025.md",
         "测试区民政局2026年政府信息公开工作年度报告")]
    assert [k for k, *_ in annual_findings(mini_site, dt.date(2027, 4, 1))] == ["annual_missing", "annual_missing"]
    report = check_site(load_site(mini_site, dt.date(2027, 2, 1)))
    message = next(f.message for f in report.findings if f.kind == "annual_missing")
    assert "应于 2027-01-31 前发布（条例第四十九条）" in message
    assert "gkpub report annual 2026 --org 区民政局" in message


def test_published_reports_are_recognized_and_checked(mini_site: Path) -> None:
    annual_page(mini_site, "2026.md", None, "2027-03-20")  # the government's: on time
    annual_page(mini_site, "2026-minzheng.md", "测试区民政局", "2027-02-05")  # five days late
    assert annual_findings(mini_site, dt.date(2027, 4, 1)) == [
        ("annual_late", "content/pages/annual/2026-minzheng.md", "测试区民政局2026年政府信息公开工作年度报告")]
    report = check_site(load_site(mini_site, dt.date(2027, 4, 1)))
    f = next(f for f in report.findings if f.kind == "annual_late")
    assert (f.field, f.line) == ("发布日期", 4) and "晚于期限 2027-01-31（5 天" in f.message
    annual_page(mini_site, "2026-minzheng.md", "测试区民政局", "2027-01-20", body="一、总体情况\n\n（请填写）")
    report = check_site(load_site(mini_site, dt.date(2027, 4, 1)))
    f = next(f for f in report.findings if f.kind == "annual_late")
    assert (f.field, f.line) == ("正文", 8) and "仍有「（请填写）」的内容" in f.message


def test_the_demo_reports_its_missing_reports() -> None:
    report = check_site(load_site(REPO, TODAY))
    missing = {f.subject for f in report.findings if f.kind == "annual_missing"}
    assert "青禾区人民政府2025年政府信息公开工作年度报告" not in missing  # content/pages/annual/2025.md
    assert "青禾区城市管理综合行政执法局2025年政府信息公开工作年度报告" in missing
    assert all("2025年" in s for s in missing)  # 2026's are not due until 2027


def test_the_demo_department_report_draws_from_its_register() -> None:
    site = load_site(REPO, TODAY)
    text = annual_draft(site, count_year(site, 2026, site.config.org_by_name("区民政局")))
    rows = {tuple(r[:3]): [int(c) for c in r[3:]] for r in table(text, PARTS[2])[3:]}
    assert rows[tuple(S3_LABELS[0])][-1] == 7 and rows[tuple(S3_LABELS[1])][-1] == 1
    assert rows[tuple(S3_LABELS[-2])][-1] + rows[tuple(S3_LABELS[-1])][-1] == 8
