"""Time rules as an inspector reads them: hand-worked cases (issue #14, part T1).

Every expected date below was worked out by hand from the 2026 State Council holiday
notice (gkpub/rules/data/holidays.toml) and written down before the test ran. The 2026
table, for reference (weekday in brackets):

  元旦   01-01 (Thu) – 01-03 (Sat) off; 01-04 (Sun) worked
  春节   02-15 (Sun) – 02-23 (Mon) off; 02-14 (Sat) and 02-28 (Sat) worked
  清明   04-04 (Sat) – 04-06 (Mon) off
  劳动节 05-01 (Fri) – 05-05 (Tue) off; 05-09 (Sat) worked
  端午   06-19 (Fri) – 06-21 (Sun) off
  中秋   09-25 (Fri) – 09-27 (Sun) off; 09-20 (Sun) worked (announced with 国庆)
  国庆   10-01 (Thu) – 10-07 (Wed) off; 10-10 (Sat) worked

No 2027 table ships: 2027-01-01 (a Friday) onward is a year without a calendar.
The day a period counts from is not counted (民法典 第二百零一条).
"""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from compliance_helpers import DECISION, add_item, add_leaf, check_json, findings, index_no

from gkpub.rules.timelimits import (
    NoticeLength,
    TimeLimit,
    base_event,
    classify_event,
    count_workdays,
    judge,
    notice_length,
    parse_notice_length,
)
from gkpub.rules.workdays import WorkCalendar

D = date
WD = lambda n: TimeLimit("workdays", n)  # noqa: E731
DAYS = lambda n: TimeLimit("days", n)  # noqa: E731
NOW = TimeLimit("immediate", 0)


@pytest.fixture(scope="module")
def cal() -> WorkCalendar:
    return WorkCalendar()


# ---------------------------------------------------------------- every 2026 holiday

@pytest.mark.parametrize("start,limit,last_on_time,first_late,late_by", [
    # 元旦: 3 wd from Tue 2025-12-30: 12-31 (1), 01-01..03 off, Sun 01-04 worked (2), Mon 01-05 (3).
    (D(2025, 12, 30), WD(3), D(2026, 1, 5), D(2026, 1, 6), 1),
    # 元旦, calendar days: 2025-12-29 + 5 = Sat 01-03, a holiday; the next working day is the
    # makeup Sunday 01-04, not Monday. Mon 01-05 is 1 working day late.
    (D(2025, 12, 29), DAYS(5), D(2026, 1, 4), D(2026, 1, 5), 1),
    # 春节: 5 wd from Fri 02-13: Sat 02-14 worked (1), 02-15..23 off, 02-24 (2) .. 02-27 (5).
    # Sat 02-28 is a makeup working day, so publishing then is 1 working day late.
    (D(2026, 2, 13), WD(5), D(2026, 2, 27), D(2026, 2, 28), 1),
    # 春节: the same, published Mon 03-02: 02-28 and 03-02 are working days past 02-27 → 2.
    (D(2026, 2, 13), WD(5), D(2026, 2, 27), D(2026, 3, 2), 2),
    # 清明: 3 wd from Thu 04-02: 04-03 (1), 04-04..06 off, 04-07 (2), 04-08 (3).
    (D(2026, 4, 2), WD(3), D(2026, 4, 8), D(2026, 4, 9), 1),
    # 清明, calendar days: Sun 03-29 + 7 = Sun 04-05 (holiday) → next working day Tue 04-07.
    (D(2026, 3, 29), DAYS(7), D(2026, 4, 7), D(2026, 4, 8), 1),
    # 劳动节: 5 wd from Wed 04-29: 04-30 (1), 05-01..05 off, 05-06 (2), 07 (3), 08 (4),
    # Sat 05-09 worked (5): the deadline is a Saturday. Sun 05-10 is a rest day past it: late by 1.
    (D(2026, 4, 29), WD(5), D(2026, 5, 9), D(2026, 5, 10), 1),
    # 劳动节: the same, published Mon 05-11: only 05-11 is a working day past 05-09 → 1.
    (D(2026, 4, 29), WD(5), D(2026, 5, 9), D(2026, 5, 11), 1),
    # 端午, 即时: formed Thu 06-18, the next working day is Mon 06-22 (06-19..21 off).
    (D(2026, 6, 18), NOW, D(2026, 6, 22), D(2026, 6, 23), 1),
    # 端午: 10 wd from Fri 06-12: 06-15..18 (1-4), 06-19..21 off, 06-22..26 (5-9), Mon 06-29 (10).
    (D(2026, 6, 12), WD(10), D(2026, 6, 29), D(2026, 6, 30), 1),
    # 中秋 with the 国庆 makeup Sunday: 5 wd from Fri 09-18: Sun 09-20 (1), 09-21..24 (2-5).
    # Fri 09-25 is 中秋, a rest day right after the deadline: late by 1 all the same.
    (D(2026, 9, 18), WD(5), D(2026, 9, 24), D(2026, 9, 25), 1),
    # 中秋: the same, published Mon 09-28: 09-25..27 off, 09-28 → 1.
    (D(2026, 9, 18), WD(5), D(2026, 9, 24), D(2026, 9, 28), 1),
    # 国庆: 3 wd from Tue 09-29: 09-30 (1), 10-01..07 off, 10-08 (2), 10-09 (3).
    # Sat 10-10 is worked: publishing then is 1 working day late.
    (D(2026, 9, 29), WD(3), D(2026, 10, 9), D(2026, 10, 10), 1),
    # 国庆, 20 wd from Wed 09-30: 10-08 (1), 09 (2), Sat 10 (3), 12-16 (4-8), 19-23 (9-13),
    # 26-30 (14-18), 11-02 (19), Tue 11-03 (20). Published Fri 11-06: 11-04, 05, 06 → 3.
    (D(2026, 9, 30), WD(20), D(2026, 11, 3), D(2026, 11, 6), 3),
])
def test_holidays(cal: WorkCalendar, start: date, limit: TimeLimit, last_on_time: date, first_late: date,
                  late_by: int) -> None:
    ok = judge(start, last_on_time, limit, cal)
    assert ok.on_time is True
    late = judge(start, first_late, limit, cal)
    assert (late.on_time, late.due, late.due_exact, late.late, late.late_exact) == (
        False, last_on_time, True, late_by, True)


# ---------------------------------------------------------------- the year boundary

@pytest.mark.parametrize("written,published", [
    # The cases with --today 2026-12-31. Same day: nothing lies between, nothing to count.
    (D(2026, 12, 10), D(2026, 12, 10)),
    # Written Fri 12-25 and published on its first working day after (Mon 12-28): 0 working
    # days lie between, 20 are allowed.
    (D(2026, 12, 25), D(2026, 12, 28)),
    # ... or on the first working day of 2027 (whatever it is, say Mon 01-04): before it lie
    # 12-28..31 (4 known) and 01-01..03 (3 unknown): at most 7 < 20 working days.
    (D(2026, 12, 25), D(2027, 1, 4)),
    # Written 12-10: 12-11 (1), 14-18 (6), 21-25 (11), 28-31 (15) known; published 01-05 has
    # 01-01..04 before it: at most 15 + 4 = 19 < 20. On time however 2027 is arranged.
    (D(2026, 12, 10), D(2027, 1, 5)),
    # Published on the last day with a calendar: always decided.
    (D(2026, 12, 1), D(2026, 12, 29)),
])
def test_on_time_across_the_year_without_a_calendar(cal: WorkCalendar, written: date, published: date) -> None:
    assert judge(written, published, WD(20), cal).on_time is True


def test_late_with_the_deadline_in_the_known_year(cal: WorkCalendar) -> None:
    # Written Tue 2026-12-01: 12-02..04 (3), 07-11 (8), 14-18 (13), 21-25 (18), 28 (19), 29 (20):
    # due Tue 12-29, wholly in 2026. Published 2027-01-08: late, by 12-30 and 12-31 at least
    # (2027's working days up to 01-08 cannot be counted).
    v = judge(D(2026, 12, 1), D(2027, 1, 8), WD(20), cal)
    assert (v.on_time, v.due, v.due_exact, v.late, v.late_exact, v.missing) == (
        False, D(2026, 12, 29), True, 2, False, 2027)


@pytest.mark.parametrize("written,published,known", [
    # Written 12-10, published 01-06: 15 known + 01-01..05 (5 unknown) = 20: if all five were
    # working days the deadline would be 01-05 and 01-06 late; if not, on time. Undecidable.
    (D(2026, 12, 10), D(2027, 1, 6), 15),
    # Written Sun 12-20: 12-21..25 and 12-28..31 = 9 known; 24 days of 2027 before 01-25.
    (D(2026, 12, 20), D(2027, 1, 25), 9),
])
def test_undecidable_only_when_the_missing_year_can_change_it(cal: WorkCalendar, written: date, published: date,
                                                              known: int) -> None:
    v = judge(written, published, WD(20), cal)
    assert (v.on_time, v.counted, v.missing) == (None, known, 2027)


def test_calendar_days_across_the_year(cal: WorkCalendar) -> None:
    # 5日 from Mon 12-28: 12-28 + 5 = 2027-01-02. Published on or before it: on time without
    # any calendar (the deadline is that day or a later working day).
    assert judge(D(2026, 12, 28), D(2027, 1, 2), DAYS(5), cal).on_time is True
    # Published 01-04: on time only if 01-02 and 01-03 are both rest days: unknown.
    assert judge(D(2026, 12, 28), D(2027, 1, 4), DAYS(5), cal).on_time is None
    # 5日 from Thu 12-24 = Tue 12-29, a working day: due 12-29. Published 01-04 is late by at
    # least 12-30 and 12-31.
    v = judge(D(2026, 12, 24), D(2027, 1, 4), DAYS(5), cal)
    assert (v.on_time, v.due, v.late, v.late_exact) == (False, D(2026, 12, 29), 2, False)


def test_a_year_missing_at_the_start(cal: WorkCalendar) -> None:
    # 2019 has no table either. Written Mon 2019-05-06, published Wed 05-08: only 05-07 lies
    # between, at most 1 < 20 working days: on time, decided.
    assert judge(D(2019, 5, 6), D(2019, 5, 8), WD(20), cal).on_time is True
    # Written 2023-12-01 (no 2023 table), published 2024-03-01: 2024-01-02 .. lots of known
    # 2024 working days before March: late for sure; the deadline lies in Dec 2023 or
    # January 2024 — at the latest the 20th known working day, Mon 2024-01-29 (01-01 off;
    # 01-02..05 (4), 08-12 (9), 15-19 (14), 22-26 (19), 29 (20)).
    v = judge(D(2023, 12, 1), D(2024, 3, 1), WD(20), cal)
    assert (v.on_time, v.due, v.due_exact, v.late_exact) == (False, D(2024, 1, 29), False, False)


def test_count_workdays_marks_unknown_days(cal: WorkCalendar) -> None:
    # After 12-29 up to 2027-01-03: 12-30, 12-31 known; 01-01..03 unknown.
    c = count_workdays(D(2026, 12, 29), D(2027, 1, 3), cal)
    assert (c.known, c.unknown, c.missing, c.exact) == (2, 3, 2027, False)


# ---------------------------------------------------------------- base events

@pytest.mark.parametrize("text,event,kind", [
    ("自信息形成或变更之日起20个工作日内", "信息形成或变更", "formed"),
    ("形成或者变更之日起5日内", "形成或者变更", "formed"),
    ("20个工作日", "", "formed"),
    ("即时", "", "formed"),
    ("信息形成后即时公开", "信息形成", "formed"),
    ("自政策文件发布之日起3个工作日内", "政策文件发布", "linked"),
    ("自决策文件公布之日起十个工作日内", "决策文件公布", "linked"),
    ("自审核确认之日起5个工作日内", "审核确认", "other"),
    ("自作出行政处罚决定之日起7个工作日内", "作出行政处罚决定", "other"),
    ("自收到评标报告之日起3日内", "收到评标报告", "other"),
])
def test_base_event_is_read_from_the_text(text: str, event: str, kind: str) -> None:
    assert base_event(text) == event
    assert classify_event(event) == kind


# ---------------------------------------------------------------- 公示 length (rules)

@pytest.mark.parametrize("text,kind,n", [
    ("7日", "days", 7), ("7天", "days", 7), ("七天", "days", 7), ("不少于7日", "days", 7),
    ("公示期不少于7天", "days", 7), ("不得少于3日", "days", 3), ("5个工作日", "workdays", 5),
    ("不少于五个工作日", "workdays", 5), ("５个工作日以上", "workdays", 5),
])
def test_parse_notice_length(text: str, kind: str, n: int) -> None:
    assert parse_notice_length(text) == NoticeLength(kind, n)  # type: ignore[arg-type]


@pytest.mark.parametrize("text", ["", "一周", "尽量长", "0日", "7"])
def test_parse_notice_length_rejects(text: str) -> None:
    with pytest.raises(ValueError, match="无法识别公示期限"):
        parse_notice_length(text)


@pytest.mark.parametrize("start,end,minimum,ok,counted", [
    # 低保, 7 calendar days, both ends counted: 09-21..27 is 7; 09-21..26 is 6.
    (D(2026, 9, 21), D(2026, 9, 27), NoticeLength("days", 7), True, 7),
    (D(2026, 9, 21), D(2026, 9, 26), NoticeLength("days", 7), False, 6),
    # 国庆 eats a 10-day notice: 09-30, 10-08, 10-09 are its working days: 3 < 5.
    (D(2026, 9, 30), D(2026, 10, 9), NoticeLength("workdays", 5), False, 3),
    # ... up to Mon 10-12: + Sat 10-10 (worked) + 10-12 = 5.
    (D(2026, 9, 30), D(2026, 10, 12), NoticeLength("workdays", 5), True, 5),
    # 劳动节: 04-30, 05-06, 07, 08 = 4; with the makeup Saturday 05-09: 5.
    (D(2026, 4, 30), D(2026, 5, 8), NoticeLength("workdays", 5), False, 4),
    (D(2026, 4, 30), D(2026, 5, 9), NoticeLength("workdays", 5), True, 5),
    # 春节: 02-12, 13, Sat 14 (worked), 24, 25 = 5; ending 02-24 = 4.
    (D(2026, 2, 12), D(2026, 2, 25), NoticeLength("workdays", 5), True, 5),
    (D(2026, 2, 12), D(2026, 2, 24), NoticeLength("workdays", 5), False, 4),
    # 清明: Thu 04-02, 03, 07, 08 = 4 (04-04..06 off).
    (D(2026, 4, 2), D(2026, 4, 8), NoticeLength("workdays", 5), False, 4),
    # 端午: Thu 06-18, 22, 23, 24 = 4; to 06-25 = 5.
    (D(2026, 6, 18), D(2026, 6, 25), NoticeLength("workdays", 5), True, 5),
    # 元旦: 2025-12-31, Sun 2026-01-04 (worked), 05, 06 = 4.
    (D(2025, 12, 31), D(2026, 1, 6), NoticeLength("workdays", 5), False, 4),
    # Into 2027: 12-24, 25, 28, 29, 30, 31 = 6 known ≥ 5, whatever 2027 is.
    (D(2026, 12, 24), D(2027, 1, 5), NoticeLength("workdays", 5), True, 6),
    # 12-30, 12-31 known + 01-01 unknown: at most 3 < 5: too short, whatever 2027 is.
    (D(2026, 12, 30), D(2027, 1, 1), NoticeLength("workdays", 5), False, 2),
    # 12-29..31 (3) + 01-01..06 (6 unknown): undecidable.
    (D(2026, 12, 29), D(2027, 1, 6), NoticeLength("workdays", 5), None, 3),
    # Calendar days never need a calendar.
    (D(2026, 12, 28), D(2027, 1, 3), NoticeLength("days", 7), True, 7),
])
def test_notice_length(cal: WorkCalendar, start: date, end: date, minimum: NoticeLength, ok: bool | None,
                       counted: int) -> None:
    v = notice_length(start, end, minimum, cal)
    assert (v.long_enough, v.counted) == (ok, counted)


# ---------------------------------------------------------------- on a site: base events

LEAVES = """\
      - 名称: 政策解读
        代码: jiedu
        过程: 决策
        公开时限: 自政策文件发布之日起3个工作日内
      - 名称: 意见反馈
        代码: fankui
        过程: 决策
        公开时限: 自决策文件公布之日起5个工作日内
      - 名称: 审核确认公示
        代码: gongshi
        过程: 结果
        公开时限: 自审核确认之日起5个工作日内
        公示期限: 7日
      - 名称: 采购公告
        代码: caigou
        过程: 执行
        公示期限: 不少于5个工作日
"""
JIEDU = "养老服务/高龄津贴/政策解读"
FANKUI = "养老服务/高龄津贴/意见反馈"
GONGSHI = "养老服务/高龄津贴/审核确认公示"
CAIGOU = "养老服务/高龄津贴/采购公告"


def names(found: list[dict]) -> list[str]:
    return sorted(f["file"].split("/")[-1] for f in found)


@pytest.fixture
def site(mini_site: Path) -> Path:
    add_leaf(mini_site, LEAVES)
    return mini_site


def test_interpretation_signed_with_its_policy_counts_from_the_policys_publication(site: Path, capsys) -> None:
    # policy.md: 成文 Mon 03-02, published Thu 03-05. A 解读 signed with it (成文 03-02) and
    # published Tue 03-10 = 3rd working day after 03-05 (06, 09, 10): on time. Counted from its
    # own 成文日期 the deadline would have been 03-05 (03, 04, 05) and 03-10 "late".
    add_item(site, "sync.md", 2, 目录=JIEDU, 信息环节="解读", 解读=DECISION, 成文日期="2026-03-02",
             发布日期="2026-03-10")
    # Published Wed 03-11, the 4th: late — once, as 解读滞后, not again as 逾期公开.
    add_item(site, "slow.md", 3, 目录=JIEDU, 信息环节="解读", 解读=DECISION, 成文日期="2026-03-02",
             发布日期="2026-03-11")
    found = findings(site, capsys)
    assert not [f for f in found if f["file"].endswith("sync.md")]
    assert [(f["kind"], f["file"].split("/")[-1]) for f in found if f["kind"] in ("late", "late_interpretation")] == [
        ("late_interpretation", "slow.md")]


def test_a_linked_limit_other_than_the_rule_is_checked_from_the_linked_document(site: Path, capsys) -> None:
    # 自决策文件公布之日起5个工作日内 from policy.md's 03-05: 06 (1), 09 (2), 10, 11, Thu 03-12 (5).
    add_item(site, "ok.md", 2, 目录=FANKUI, 意见反馈=DECISION, 成文日期="2026-03-04", 发布日期="2026-03-12")
    add_item(site, "late.md", 3, 目录=FANKUI, 意见反馈=DECISION, 成文日期="2026-03-04", 发布日期="2026-03-13")
    [f] = findings(site, capsys, "late")
    assert f["file"].endswith("late.md")
    assert f["message"].startswith("所反馈的决策文件的发布日期 2026-03-05，公开时限「5个工作日」")
    assert "最迟应于 2026-03-12 发布" in f["message"] and "逾期 1 个工作日" in f["message"]
    assert not findings(site, capsys, "late_feedback")  # within the general 10 working days


def test_a_linked_limit_without_the_link_falls_back_and_says_so(site: Path, capsys) -> None:
    # No 解读 key: counted from its own 成文 Mon 03-02: 03, 04, Thu 03-05 (3); published 03-06.
    add_item(site, "lost.md", 2, 目录=JIEDU, 成文日期="2026-03-02", 发布日期="2026-03-06")
    [f] = findings(site, capsys, "late")
    assert ("公开时限自「政策文件发布」之日起算，但本篇没有用「解读」或「意见反馈」指明已发布的该文件，按成文日期计算"
            in f["message"])


def test_changed_information_counts_from_its_change(mini_site: Path, capsys) -> None:
    # 成文 2026-01-05, changed Mon 09-28: 20 wd = 09-29 (1), 30 (2), 10-08 (3), 09 (4),
    # Sat 10 (5), 12-16 (6-10), 19-23 (11-15), 26-30 (16-20): due Fri 10-30.
    add_item(mini_site, "ok.md", 2, 成文日期="2026-01-05", 变更日期="2026-09-28", 发布日期="2026-10-30")
    # Published Mon 11-02: 10-31, 11-01 weekend, 11-02 → 1 working day late.
    add_item(mini_site, "late.md", 3, 成文日期="2026-01-05", 变更日期="2026-09-28", 发布日期="2026-11-02")
    [f] = findings(mini_site, capsys, "late")
    assert f["file"].endswith("late.md")
    assert f["message"].startswith("变更日期 2026-09-28，公开时限「20个工作日」，最迟应于 2026-10-30 发布")
    assert "逾期 1 个工作日" in f["message"]


def test_changed_date_must_lie_between_written_and_published(mini_site: Path, capsys) -> None:
    add_item(mini_site, "early.md", 2, 成文日期="2026-03-02", 变更日期="2026-03-01")
    add_item(mini_site, "after.md", 3, 成文日期="2026-03-02", 变更日期="2026-03-06", 发布日期="2026-03-05")
    code, doc = check_json(mini_site, capsys)
    assert code == 1
    errs = {(e["file"].split("/")[-1], e["field"]): e["message"] for e in doc["errors"]}
    assert errs[("early.md", "变更日期")] == "变更日期 2026-03-01 早于成文日期 2026-03-02"
    assert "变更日期 2026-03-06 晚于发布日期 2026-03-05" in errs[("after.md", "变更日期")]


def test_another_event_counts_from_the_start_date_the_item_states(site: Path, capsys) -> None:
    # 审核确认 Wed 04-29, 5 wd: 04-30 (1), 05-06..08 (2-4), Sat 05-09 worked (5): due 05-09.
    # 成文日期 05-06 would have made Mon 05-11 on time (07, 08, 09, 11 = 4 by then).
    common = {"目录": GONGSHI, "成文日期": "2026-05-06", "发布日期": "2026-05-11",
              "公示期": "{开始: 2026-05-11, 结束: 2026-05-17}"}
    add_item(site, "stated.md", 2, 起算日期="2026-04-29", **common)
    add_item(site, "unstated.md", 3, **common)
    [f] = findings(site, capsys, "late")
    assert f["file"].endswith("stated.md")
    assert f["message"].startswith("起算日期（审核确认） 2026-04-29，公开时限「5个工作日」，最迟应于 2026-05-09 发布")
    assert "逾期 1 个工作日" in f["message"]
    # Without 起算日期 it falls back to 成文日期, and a finding says so: 成文 Mon 05-18, published
    # Tue 05-26: 19, 20, 21, 22, 25 (5) → due 05-25, late by 1.
    add_item(site, "fallback.md", 4, 目录=GONGSHI, 成文日期="2026-05-18", 发布日期="2026-05-26",
             公示期="{开始: 2026-05-26, 结束: 2026-06-01}")
    f = [f for f in findings(site, capsys, "late") if f["file"].endswith("fallback.md")][0]
    assert ("成文日期 2026-05-18（公开时限自「审核确认」之日起算，本篇未填写「起算日期」，按成文日期计算）"
            in f["message"])


# ---------------------------------------------------------------- on a site: the year boundary

def test_december_items_with_today_at_the_end_of_2026(mini_site: Path, capsys) -> None:
    today = "2026-12-31"
    add_item(mini_site, "same-day.md", 2, 成文日期="2026-12-10", 发布日期="2026-12-10")
    add_item(mini_site, "next-workday.md", 3, 成文日期="2026-12-25", 发布日期="2026-12-28")
    add_item(mini_site, "late.md", 4, 成文日期="2026-12-01", 发布日期="2027-01-08")
    add_item(mini_site, "open.md", 5, 成文日期="2026-12-20", 发布日期="2027-01-25")
    found = findings(mini_site, capsys, today=today)
    mine = [f for f in found if f["kind"] in ("late", "no_calendar")]
    assert [(f["kind"], f["file"].split("/")[-1]) for f in mine] == [("late", "late.md"), ("no_calendar", "open.md")]
    late, open_ = mine
    assert ("最迟应于 2026-12-29 发布，实际 2027-01-08 发布，逾期至少 2 个工作日（没有 2027 年的工作日历"
            in late["message"])
    assert "没有 2027 年的工作日历，成文日期之后已确知 9 个工作日，尚差 11 个" in open_["message"]
    assert "[calendar]" in open_["message"]
    # A site that adds 2027 (01-01 off) decides it: 9 + 01-04..08 (14), 11-15 (19), Mon 01-18 (20);
    # published Mon 01-25: 01-19..22, 01-25 → 5 working days late.
    toml = mini_site / "site.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + '\n[calendar]\nholidays = ["2027-01-01"]\nyears = [2027]\n',
                    encoding="utf-8")
    found = findings(mini_site, capsys, today=today)
    assert not [f for f in found if f["kind"] == "no_calendar"]
    late = {f["file"].split("/")[-1]: f["message"] for f in found if f["kind"] == "late"}
    assert "最迟应于 2027-01-18 发布" in late["open.md"] and "逾期 5 个工作日" in late["open.md"]
    # late.md: 12-30, 31, 01-04..08 = 7 working days past 12-29, now exact.
    assert "逾期 7 个工作日" in late["late.md"] and "至少" not in late["late.md"]


def test_a_draft_seen_from_a_year_without_a_calendar(mini_site: Path, capsys) -> None:
    # Due 12-29 (see above); on 2027-01-08 it is still a draft: late by at least 12-30, 12-31.
    add_item(mini_site, "draft.md", 2, 成文日期="2026-12-01", 发布日期="2027-01-20", 草稿="true")
    [f] = [f for f in findings(mini_site, capsys, today="2027-01-08") if f["file"].endswith("draft.md")]
    assert f["kind"] == "late" and f["field"] == "草稿"
    assert "最迟应于 2026-12-29 发布，截至 2027-01-08 已逾期至少 2 个工作日" in f["message"]


def test_interpretation_across_the_year(mini_site: Path, capsys) -> None:
    # The policy published Wed 12-30; 3 wd: 12-31 (1), then 2027.
    add_item(mini_site, "p.md", 2, 成文日期="2026-12-28", 发布日期="2026-12-30")
    policy = index_no(2)
    # 解读 on 2027-01-02: before it 12-31 (known) and 01-01 (unknown): at most 2 < 3 → on time.
    add_item(mini_site, "ok.md", 3, 信息环节="解读", 解读=policy, 成文日期="2026-12-30", 发布日期="2027-01-02")
    # 解读 on 2027-01-04: 12-31 + 01-01..03 = up to 4 ≥ 3, at least 1 < 3 → undecidable.
    add_item(mini_site, "open.md", 4, 信息环节="解读", 解读=policy, 成文日期="2026-12-30", 发布日期="2027-01-04")
    found = [f for f in findings(mini_site, capsys, today="2026-12-31")
             if f["file"].endswith(("ok.md", "open.md"))]
    assert [(f["kind"], f["file"].split("/")[-1]) for f in found] == [("no_calendar", "open.md")]
    assert "无法判断本篇解读是否及时：没有 2027 年的工作日历" in found[0]["message"]


# ---------------------------------------------------------------- on a site: 公示

def test_notice_shorter_than_its_leafs_calendar_days(site: Path, capsys) -> None:
    # 7日, both ends counted: 05-11..17 is 7 days; 05-11..16 is 6.
    add_item(site, "full.md", 2, 目录=GONGSHI, 成文日期="2026-05-08", 发布日期="2026-05-11",
             公示期="{开始: 2026-05-11, 结束: 2026-05-17}")
    add_item(site, "short.md", 3, 目录=GONGSHI, 成文日期="2026-05-08", 发布日期="2026-05-11",
             公示期="{开始: 2026-05-11, 结束: 2026-05-16}")
    [f] = findings(site, capsys, "notice_too_short")
    assert f["file"].endswith("short.md") and f["field"] == "公示期" and f["severity"] == "warning"
    assert "公示期 2026-05-11 至 2026-05-16 只有 6 天，标准目录规定公示期限「7日」" in f["message"]
    assert "结束日期至少应为 2026-05-17" in f["message"]


def test_notice_shorter_than_its_leafs_working_days(site: Path, capsys) -> None:
    # 不少于5个工作日 over 国庆: 09-30, 10-08, 10-09 = 3; to 10-12 (Sat 10-10 worked) = 5.
    add_item(site, "holiday.md", 2, 目录=CAIGOU, 成文日期="2026-09-29", 发布日期="2026-09-30",
             公示期="{开始: 2026-09-30, 结束: 2026-10-09}")
    add_item(site, "enough.md", 3, 目录=CAIGOU, 成文日期="2026-09-29", 发布日期="2026-09-30",
             公示期="{开始: 2026-09-30, 结束: 2026-10-12}")
    [f] = findings(site, capsys, "notice_too_short")
    assert f["file"].endswith("holiday.md")
    assert "只有 3 个工作日，标准目录规定公示期限「不少于5个工作日」（首尾两天都计入）" in f["message"]
    # The earliest end: the 5th working day counting 09-30 as the 1st: 10-08, 09, 10, Mon 10-12.
    assert "结束日期至少应为 2026-10-12" in f["message"]


def test_notice_working_days_into_2027(site: Path, capsys) -> None:
    # 12-29..31 (3 known) + 01-01..06: undecidable; 12-24..2027-01-05: 6 known, enough.
    add_item(site, "open.md", 2, 目录=CAIGOU, 成文日期="2026-12-28", 发布日期="2026-12-29",
             公示期="{开始: 2026-12-29, 结束: 2027-01-06}")
    add_item(site, "sure.md", 3, 目录=CAIGOU, 成文日期="2026-12-23", 发布日期="2026-12-24",
             公示期="{开始: 2026-12-24, 结束: 2027-01-05}")
    found = [f for f in findings(site, capsys, today="2026-12-31") if f["field"] == "公示期"
             and f["kind"] != "notice_ended"]
    assert [(f["kind"], f["file"].split("/")[-1]) for f in found] == [("no_calendar", "open.md")]
    assert "其中已确知 3 个工作日" in found[0]["message"]


def test_notice_starting_before_publication(site: Path, capsys) -> None:
    # Starts 05-08, published 05-11: 3 days nobody could see it. Same day: fine. Any leaf.
    add_item(site, "early.md", 2, 目录=GONGSHI, 成文日期="2026-05-07", 发布日期="2026-05-11",
             公示期="{开始: 2026-05-08, 结束: 2026-05-17}")
    add_item(site, "same.md", 3, 目录=GONGSHI, 成文日期="2026-05-07", 发布日期="2026-05-11",
             公示期="{开始: 2026-05-11, 结束: 2026-05-17}")
    add_item(site, "plain.md", 4, 成文日期="2026-03-02", 发布日期="2026-03-05",
             公示期="{开始: 2026-03-04, 结束: 2026-03-12}")
    found = findings(site, capsys, "notice_before_publication")
    assert names(found) == ["early.md", "plain.md"]
    assert "公示期自 2026-05-08 开始，但本篇 2026-05-11 才发布，发布之前的 3 天公众看不到公示" in of(found, "early.md")


def of(found: list[dict], file: str) -> str:
    [f] = [f for f in found if f["file"].endswith(file)]
    return f["message"]


def test_unreadable_notice_length_is_a_catalogue_error(mini_site: Path, capsys) -> None:
    add_leaf(mini_site, "      - 名称: 公示\n        代码: gs\n        过程: 结果\n        公示期限: 一阵子\n")
    code, doc = check_json(mini_site, capsys)
    assert code == 1
    [e] = doc["errors"]
    assert (e["file"], e["line"], e["field"]) == ("content/catalog/yanglao.yaml", 24, "公示期限")
    assert "无法识别公示期限「一阵子」" in e["message"]
