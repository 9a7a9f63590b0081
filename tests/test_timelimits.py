"""公开时限 parsing and deadlines."""
from __future__ import annotations

from datetime import date

import pytest

from gkpub.rules.timelimits import TimeLimit, deadline, lateness, parse_time_limit
from gkpub.rules.workdays import CalendarYearMissing, WorkCalendar

D = date


@pytest.fixture(scope="module")
def cal() -> WorkCalendar:
    return WorkCalendar()


@pytest.mark.parametrize("text,kind,n", [
    ("自信息形成或变更之日起20个工作日内", "workdays", 20),
    ("20个工作日", "workdays", 20),
    ("20个工作日内", "workdays", 20),
    ("  20 个工作日内。", "workdays", 20),
    ("２０个工作日", "workdays", 20),
    ("5日内", "days", 5),
    ("7天", "days", 7),
    ("三日", "days", 3),
    ("十个工作日", "workdays", 10),
    ("二十个工作日内", "workdays", 20),
    ("十五个工作日", "workdays", 15),
    ("形成或变更之日起5日内", "days", 5),
    ("自信息形成或变更之日起十日内", "days", 10),
    ("一百零五日", "days", 105),
    ("即时", "immediate", 0),
    ("即时公开", "immediate", 0),
    ("实时", "immediate", 0),
    ("信息形成后即时公开", "immediate", 0),
])
def test_parse_accepts(text: str, kind: str, n: int) -> None:
    assert parse_time_limit(text) == TimeLimit(kind, n)  # type: ignore[arg-type]


@pytest.mark.parametrize("text", ["", "及时", "尽快", "一个月", "20", "工作日", "0个工作日", "十十个工作日",
                                  "20个小时"])
def test_parse_rejects_with_chinese_message(text: str) -> None:
    with pytest.raises(ValueError) as exc:
        parse_time_limit(text)
    msg = str(exc.value)
    assert f"「{text}」" in msg
    if text != "0个工作日":
        assert "20个工作日内" in msg and "即时" in msg  # lists the accepted forms


def test_describe() -> None:
    assert parse_time_limit("二十个工作日内").describe() == "20个工作日"
    assert parse_time_limit("5日内").describe() == "5日"
    assert parse_time_limit("实时").describe() == "即时"


def test_deadline_workdays_pinned_fact(cal: WorkCalendar) -> None:
    limit = parse_time_limit("自信息形成或变更之日起20个工作日内")
    assert deadline(D(2026, 1, 27), limit, cal) == D(2026, 3, 2)


def test_deadline_days_rolls_over_rest_days(cal: WorkCalendar) -> None:
    limit = TimeLimit("days", 5)
    assert deadline(D(2026, 3, 2), limit, cal) == D(2026, 3, 9)    # 3-7 is a Saturday → Monday
    assert deadline(D(2026, 3, 3), limit, cal) == D(2026, 3, 9)    # 3-8 Sunday → Monday
    assert deadline(D(2026, 3, 4), limit, cal) == D(2026, 3, 9)    # lands on Monday itself
    assert deadline(D(2026, 3, 5), limit, cal) == D(2026, 3, 10)
    assert deadline(D(2026, 9, 28), limit, cal) == D(2026, 10, 8)  # 10-3 inside National Day


def test_deadline_immediate_has_one_workday_grace(cal: WorkCalendar) -> None:
    now = TimeLimit("immediate", 0)
    assert deadline(D(2026, 3, 2), now, cal) == D(2026, 3, 3)
    assert deadline(D(2026, 3, 6), now, cal) == D(2026, 3, 9)
    assert deadline(D(2026, 2, 13), now, cal) == D(2026, 2, 14)  # makeup Saturday


def test_lateness(cal: WorkCalendar) -> None:
    limit = TimeLimit("workdays", 20)
    formed = D(2026, 1, 27)
    assert lateness(formed, D(2026, 2, 10), limit, cal) == 0
    assert lateness(formed, D(2026, 3, 2), limit, cal) == 0
    assert lateness(formed, D(2026, 3, 3), limit, cal) == 1
    assert lateness(formed, D(2026, 3, 9), limit, cal) == 5
    assert lateness(D(2026, 1, 26), D(2026, 2, 28), limit, cal) == 0  # 2-28: the 20th, a Saturday
    # Published on a weekend just after a Friday deadline: still late.
    assert lateness(D(2026, 3, 5), D(2026, 3, 7), TimeLimit("immediate", 0), cal) == 1
    assert lateness(D(2026, 3, 2), D(2026, 3, 2), TimeLimit("immediate", 0), cal) == 0


def test_deadline_refuses_unknown_year(cal: WorkCalendar) -> None:
    last = max(cal.known_years)
    with pytest.raises(CalendarYearMissing, match=str(last + 1)):
        deadline(D(last, 12, 15), TimeLimit("workdays", 20), cal)


def test_site_calendar_changes_deadline() -> None:
    limit = TimeLimit("workdays", 3)
    assert deadline(D(2026, 3, 2), limit, WorkCalendar()) == D(2026, 3, 5)
    local = WorkCalendar(extra_holidays=[D(2026, 3, 3)])
    assert deadline(D(2026, 3, 2), limit, local) == D(2026, 3, 6)
