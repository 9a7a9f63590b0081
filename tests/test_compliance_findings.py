"""Each finding kind of `gkpub check` on purpose-built fixtures, and the command's output."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from compliance_helpers import DECISION, TODAY, add_item, add_leaf, append_toml, check_json, findings, index_no
from conftest import run

from gkpub.content.loader import load_site


def of(found: list[dict], file: str) -> list[dict]:
    return [f for f in found if f["file"].endswith(file)]


# ---------------------------------------------------------------- late publication

def test_late_publication_counts_working_days(mini_site: Path, capsys) -> None:
    # 20 working days after 2026-01-27 is 2026-03-02 (the Spring Festival lies between).
    add_item(mini_site, "ontime.md", 2, 成文日期="2026-01-27", 发布日期="2026-03-02")
    add_item(mini_site, "late.md", 3, 成文日期="2026-01-27", 发布日期="2026-03-03")
    late = findings(mini_site, capsys, "late")
    assert not of(late, "ontime.md")
    [f] = of(late, "late.md")
    assert f["line"] == 6 and f["field"] == "发布日期" and f["severity"] == "warning"
    assert "最迟应于 2026-03-02 发布" in f["message"] and "逾期 1 个工作日" in f["message"]


def test_late_publication_uses_the_leafs_time_limit(mini_site: Path, capsys) -> None:
    # 发放名单: 5个工作日. Formed Monday 2026-03-02 → due Monday 2026-03-09.
    leaf = "养老服务/高龄津贴/发放名单"
    add_item(mini_site, "a.md", 2, 目录=leaf, 成文日期="2026-03-02", 发布日期="2026-03-09")
    add_item(mini_site, "b.md", 3, 目录=leaf, 成文日期="2026-03-02", 发布日期="2026-03-10")
    add_item(mini_site, "c.md", 4, 目录=leaf, 成文日期="2026-03-02", 发布日期="2026-03-06",
             公开时限="即时")  # 即时: by the next working day (03-03)
    late = findings(mini_site, capsys, "late")
    assert [f["file"].split("/")[-1] for f in late] == ["b.md", "c.md"]
    assert "「5个工作日」" in late[0]["message"] and "「即时」" in late[1]["message"]


def test_a_draft_past_its_deadline_is_late_and_only_the_internal_report_names_it(mini_site: Path, capsys) -> None:
    add_item(mini_site, "draft.md", 2, 标题="内部草稿标题", 成文日期="2026-01-05", 发布日期="2026-01-06",
             草稿="true")
    [f] = of(findings(mini_site, capsys, "late"), "draft.md")
    assert f["field"] == "草稿" and "仍是草稿未发布" in f["message"]
    assert f["subject"] == "" and f["url"] == ""  # not public: the report page only counts it
    assert run("build", "--site", str(mini_site), "--today", TODAY, "--no-search") == 0
    page = (mini_site / "reports" / "compliance-report.html").read_text(encoding="utf-8")
    assert "draft.md" in page and "未公开的信息" in page  # internal: outside the output
    public = "".join(p.read_text(encoding="utf-8") for p in (mini_site / "public").rglob("*.html"))
    assert "内部草稿标题" not in public and "draft.md" not in public


def test_held_back_items_are_counted_not_checked(mini_site: Path, capsys) -> None:
    add_item(mini_site, "req.md", 2, 公开属性="依申请公开", 成文日期="2026-01-05", 发布日期="2026-06-01")
    add_item(mini_site, "no.md", 3, 公开属性="不予公开", 成文日期="2026-01-05", 发布日期="2026-06-01")
    code, doc = check_json(mini_site, capsys)
    assert code == 0
    assert doc["not_for_portal"] == {"依申请公开": 1, "不予公开": 1}
    assert not [f for f in doc["findings"] if f["file"].endswith(("req.md", "no.md"))]


# ---------------------------------------------------------------- calendar and time limits

def test_year_without_calendar_is_a_finding_not_a_crash(mini_site: Path, capsys) -> None:
    # Only when the missing year can change the verdict (cases that cannot: tests/test_time_rules.py).
    # old.md: 35 days of 2019 (no table) lie between, any 20 of them could be working days.
    add_item(mini_site, "old.md", 2, 成文日期="2019-05-06", 发布日期="2019-06-10")
    # next.md: 9 working days left in 2026 (12-21..25, 12-28..31), 24 days of 2027 before 01-25.
    add_item(mini_site, "next.md", 3, 成文日期="2026-12-20", 发布日期="2027-01-25")
    found = findings(mini_site, capsys, "no_calendar")
    assert {f["file"].split("/")[-1] for f in found} == {"old.md", "next.md"}
    msg = of(found, "next.md")[0]["message"]
    assert "没有 2027 年的工作日历" in msg and "[calendar]" in msg


def test_site_calendar_fills_a_missing_year(mini_site: Path, capsys) -> None:
    add_item(mini_site, "next.md", 2, 成文日期="2026-12-28", 发布日期="2027-01-29")
    append_toml(mini_site, '[calendar]\nholidays = ["2027-01-01"]\nyears = [2027]\n')
    assert not findings(mini_site, capsys, "no_calendar")
    # 20 working days after 2026-12-28, with 2027-01-01 off: 2027-01-26 → published 01-29 is late.
    [f] = of(findings(mini_site, capsys, "late"), "next.md")
    assert "最迟应于 2027-01-26" in f["message"]


def test_bad_calendar_table_is_a_config_error(mini_site: Path, capsys) -> None:
    append_toml(mini_site, '[calendar]\nholiday = ["2027-01-01"]\n')
    code, doc = check_json(mini_site, capsys)
    assert code == 1 and not doc["ok"]
    [e] = doc["errors"]
    assert e["file"] == "site.toml" and e["field"] == "calendar.holiday" and "是不是「holidays」" in e["message"]
    assert e["line"] == len(toml_lines(mini_site))  # the line of the misspelt key


def toml_lines(site: Path) -> list[str]:
    return (site / "site.toml").read_text(encoding="utf-8").rstrip("\n").split("\n")


def test_unreadable_time_limit(mini_site: Path, capsys) -> None:
    add_item(mini_site, "x.md", 2, 公开时限="尽快公开")
    [f] = findings(mini_site, capsys, "time_limit_unknown")
    assert f["field"] == "公开时限" and "尽快公开" in f["message"]


# ---------------------------------------------------------------- 解读 and 意见反馈

def test_interpretation_more_than_3_working_days_after_policy(mini_site: Path, capsys) -> None:
    # policy.md is published Thursday 2026-03-05: 3 working days later is Tuesday 03-10.
    add_item(mini_site, "ok.md", 2, 信息环节="解读", 解读=DECISION, 成文日期="2026-03-09", 发布日期="2026-03-10")
    add_item(mini_site, "late.md", 3, 信息环节="解读", 解读=DECISION, 成文日期="2026-03-09", 发布日期="2026-03-11")
    [f] = findings(mini_site, capsys, "late_interpretation")
    assert f["file"].endswith("late.md") and f["field"] == "发布日期"
    assert "相隔 4 个工作日" in f["message"] and "最迟 2026-03-10" in f["message"]
    assert "关于调整高龄津贴标准的通知" in f["message"]


def test_feedback_more_than_10_working_days_after_decision(mini_site: Path, capsys) -> None:
    # 10 working days after Thursday 2026-03-05 is Thursday 03-19.
    add_item(mini_site, "ok.md", 2, 意见反馈=DECISION, 成文日期="2026-03-18", 发布日期="2026-03-19")
    add_item(mini_site, "late.md", 3, 意见反馈=DECISION, 成文日期="2026-03-18", 发布日期="2026-03-20")
    [f] = findings(mini_site, capsys, "late_feedback")
    assert f["file"].endswith("late.md")
    assert "相隔 11 个工作日" in f["message"] and "10 个工作日内（最迟 2026-03-19）" in f["message"]


def test_feedback_is_a_response_and_must_name_an_existing_decision(mini_site: Path, capsys) -> None:
    add_item(mini_site, "ok.md", 2, 意见反馈=DECISION)
    site = load_site(mini_site, dt.date(2026, 11, 23))
    [fb] = [i for i in site.items if i.source.endswith("ok.md")]
    assert fb.el["信息环节"] == "回应"  # filled in when left out
    add_item(mini_site, "bad.md", 3, 意见反馈=index_no(99))
    add_item(mini_site, "step.md", 4, 意见反馈=DECISION, 信息环节="解读")
    code, doc = check_json(mini_site, capsys)
    assert code == 1
    errs = {(e["file"].split("/")[-1], e["field"]): e for e in doc["errors"]}
    assert "找不到索引号为「11530000MB00000025/2026-00099」的决策文件" in errs[("bad.md", "意见反馈")]["message"]
    assert errs[("bad.md", "意见反馈")]["line"] == 7
    assert "信息环节应为「回应」" in errs[("step.md", "信息环节")]["message"]


# ---------------------------------------------------------------- columns

NEWS_LEAF = """\
      - 名称: 工作动态
        代码: dongtai
        过程: 执行
      - 名称: 申请材料存档
        代码: cundang
        过程: 管理
        公开方式: 依申请公开
"""


def test_empty_leaf_skips_on_request_leaves(mini_site: Path, capsys) -> None:
    add_leaf(mini_site, NEWS_LEAF)
    empty = findings(mini_site, capsys, "empty_leaf")
    assert [f["subject"] for f in empty] == ["养老服务/高龄津贴/发放名单", "养老服务/高龄津贴/工作动态"]
    f = empty[0]
    assert f["file"] == "content/catalog/yanglao.yaml" and f["line"] == 17
    assert f["url"] == "/domain/yanglao/gaoling/mingdan/"


def test_stale_leaf_defaults_news_two_weeks_policy_six_months(mini_site: Path, capsys) -> None:
    add_leaf(mini_site, NEWS_LEAF)
    add_item(mini_site, "news.md", 2, 目录="养老服务/高龄津贴/工作动态", 成文日期="2026-11-01", 发布日期="2026-11-02")
    stale = {f["subject"]: f["message"] for f in findings(mini_site, capsys, "stale_leaf")}
    assert ("更新周期「6个月」（默认：政策、通知类栏目），应在 2026-09-05 前更新"
            in stale["养老服务/高龄津贴/政策文件"])
    assert ("更新周期「2周」（默认：动态类栏目），应在 2026-11-16 前更新，已超过 7 天"
            in stale["养老服务/高龄津贴/工作动态"])
    # fresh enough on 2026-11-16
    fresh = findings(mini_site, capsys, "stale_leaf", today="2026-11-16")
    assert "养老服务/高龄津贴/工作动态" not in {f["subject"] for f in fresh}


def test_stale_leaf_uses_the_catalogues_period(mini_site: Path, capsys) -> None:
    cat = mini_site / "content" / "catalog" / "yanglao.yaml"
    text = cat.read_text(encoding="utf-8")
    cat.write_text(text.replace("        代码: zhengce\n", "        代码: zhengce\n        更新周期: 12个月\n"),
                   encoding="utf-8")
    assert not findings(mini_site, capsys, "stale_leaf")
    cat.write_text(text.replace("        代码: zhengce\n", "        代码: zhengce\n        更新周期: 不定期\n"),
                   encoding="utf-8")
    assert not findings(mini_site, capsys, "stale_leaf", today="2030-01-01")


def test_unreadable_update_period_is_a_catalogue_error(mini_site: Path, capsys) -> None:
    cat = mini_site / "content" / "catalog" / "yanglao.yaml"
    cat.write_text(cat.read_text(encoding="utf-8").replace(
        "        代码: zhengce\n", "        代码: zhengce\n        更新周期: 偶尔\n"), encoding="utf-8")
    code, doc = check_json(mini_site, capsys)
    assert code == 1
    [e] = doc["errors"]
    assert (e["file"], e["line"], e["field"]) == ("content/catalog/yanglao.yaml", 12, "更新周期")
    assert "无法识别更新周期「偶尔」" in e["message"]


def test_notice_period_ended_is_info_until_marked_expired(mini_site: Path, capsys) -> None:
    add_item(mini_site, "a.md", 2, 公示期="{开始: 2026-03-05, 结束: 2026-03-12}")
    add_item(mini_site, "b.md", 3, 公示期="{开始: 2026-03-05, 结束: 2026-03-12}", 有效期至="2026-03-12")
    add_item(mini_site, "c.md", 4, 公示期="{开始: 2026-11-20, 结束: 2026-11-27}", 发布日期="2026-11-20",
             成文日期="2026-11-19")
    [f] = findings(mini_site, capsys, "notice_ended")
    assert f["file"].endswith("a.md") and f["severity"] == "info" and f["field"] == "公示期"
    assert "2026-03-05 至 2026-03-12 已结束" in f["message"]


# ---------------------------------------------------------------- the command

def test_text_output_groups_by_kind_with_counts(mini_site: Path, capsys) -> None:
    add_item(mini_site, "late.md", 2, 成文日期="2026-01-27", 发布日期="2026-03-03")
    add_item(mini_site, "n.md", 3, 公示期="{开始: 2026-03-05, 结束: 2026-03-12}")
    add_item(mini_site, "req.md", 4, 公开属性="依申请公开")
    assert run("check", "--site", str(mini_site), "--today", TODAY) == 0
    out = capsys.readouterr().out
    assert "检查通过：4 条信息" in out
    assert "■ 逾期公开（警告）1 项" in out and "■ 公示期已结束（提示）1 项" in out
    assert "content/items/yanglao/late.md:6 字段「发布日期」: 成文日期 2026-01-27" in out
    assert "依申请公开 1 条：按规定不在网站发布，仅计数" in out
    assert out.index("逾期公开") < out.index("空栏目") < out.index("公示期已结束")


def test_strict_fails_on_warnings_only(mini_site: Path, capsys) -> None:
    today = "2026-03-20"  # policy.md is fresh; fill the other leaf with a notice
    add_item(mini_site, "list.md", 2, 目录="养老服务/高龄津贴/发放名单", 成文日期="2026-03-09",
             发布日期="2026-03-10", 公示期="{开始: 2026-03-10, 结束: 2026-03-16}")
    code, doc = check_json(mini_site, capsys, "--strict", today=today)
    assert code == 0 and [f["kind"] for f in doc["findings"]] == ["notice_ended"]
    add_item(mini_site, "late.md", 3, 成文日期="2026-01-27", 发布日期="2026-03-03")
    assert check_json(mini_site, capsys, "--strict", today=today)[0] == 1
    assert check_json(mini_site, capsys, today=today)[0] == 0


def test_content_errors_always_fail(mini_site: Path, capsys) -> None:
    add_item(mini_site, "bad.md", 2, 过程="决定")
    assert run("check", "--site", str(mini_site), "--today", TODAY) == 1
    assert "字段「过程」" in capsys.readouterr().err
    code, doc = check_json(mini_site, capsys)
    assert code == 1 and doc["ok"] is False and doc["errors"][0]["field"] == "过程"


def test_report_is_internal_and_readable(mini_site: Path, capsys) -> None:
    """The report is a file beside the output, never in it: deploying public/ cannot publish it."""
    add_item(mini_site, "late.md", 2, 标题="迟到的通知", 成文日期="2026-01-27", 发布日期="2026-03-03")
    assert run("build", "--site", str(mini_site), "--today", TODAY, "--no-search") == 0
    report = mini_site / "reports" / "compliance-report.html"
    assert str(report) in capsys.readouterr().out
    public = mini_site / "public"
    page = report.read_text(encoding="utf-8")
    assert '<meta name="robots" content="noindex, nofollow">' in page
    assert "政务公开合规检查报告（内部）" in page and "逾期公开" in page and "迟到的通知" in page
    assert "逾期 1 个工作日" in page and "content/items/yanglao/late.md:6" in page
    assert 'href="https://' in page and "<style>" in page  # readable from the disk: links absolute
    for path in public.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".xml", ".txt", ".json", ".csv"):
            text = path.read_text(encoding="utf-8")
            assert "合规检查报告" not in text and "_report" not in text and "late.md" not in text, path
    # an incremental rebuild keeps it outside too, and a report folder inside the output is refused
    assert run("build", "--site", str(mini_site), "--today", TODAY, "--no-search") == 0
    assert not (public / "_report").exists() and report.is_file()
