"""Working-day calendar: pinned dates from the State Council notices 2024–2026."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from gkpub.rules.workdays import CalendarYearMissing, WorkCalendar, builtin_tables

D = date


@pytest.fixture(scope="module")
def cal() -> WorkCalendar:
    return WorkCalendar()


def test_pinned_fact_20_workdays_after_2026_01_27(cal: WorkCalendar) -> None:
    # Crosses the 2026 Spring Festival (2-15..2-23 off, Saturdays 2-14 and 2-28 worked).
    assert cal.add_workdays(D(2026, 1, 27), 20) == D(2026, 3, 2)
    assert cal.workdays_between(D(2026, 1, 27), D(2026, 3, 2)) == 20
    assert cal.workdays_between(D(2026, 1, 27), D(2026, 2, 27)) == 18


def test_known_years(cal: WorkCalendar) -> None:
    assert {2024, 2025, 2026} <= cal.known_years
    assert 2099 not in cal.known_years


@pytest.mark.parametrize("first,last", [
    (D(2024, 2, 10), D(2024, 2, 17)),
    (D(2025, 1, 28), D(2025, 2, 4)),
    (D(2026, 2, 15), D(2026, 2, 23)),
])
def test_spring_festival_is_off(cal: WorkCalendar, first: date, last: date) -> None:
    d = first
    while d <= last:
        assert not cal.is_workday(d), d
        d += timedelta(days=1)
    # The day before each break is a working day (2026-02-14 is a makeup Saturday).
    assert cal.is_workday(first - timedelta(days=1))
    assert cal.is_workday(last + timedelta(days=1))


def test_eve_2024_is_not_a_statutory_holiday(cal: WorkCalendar) -> None:
    # 2024-02-09 (除夕, Friday) was only "encouraged" as a day off in the notice.
    assert cal.is_workday(D(2024, 2, 9))


@pytest.mark.parametrize("first,last", [
    (D(2024, 10, 1), D(2024, 10, 7)),
    (D(2025, 10, 1), D(2025, 10, 8)),
    (D(2026, 10, 1), D(2026, 10, 7)),
])
def test_national_day_weeks(cal: WorkCalendar, first: date, last: date) -> None:
    d = first
    while d <= last:
        assert not cal.is_workday(d), d
        d += timedelta(days=1)
    assert cal.is_workday(last + timedelta(days=1))


@pytest.mark.parametrize("d", [
    D(2024, 2, 4), D(2024, 2, 18), D(2024, 4, 7), D(2024, 4, 28), D(2024, 5, 11),
    D(2024, 9, 14), D(2024, 9, 29), D(2024, 10, 12),
    D(2025, 1, 26), D(2025, 2, 8), D(2025, 4, 27), D(2025, 9, 28), D(2025, 10, 11),
    D(2026, 1, 4), D(2026, 2, 14), D(2026, 2, 28), D(2026, 5, 9), D(2026, 9, 20), D(2026, 10, 10),
])
def test_makeup_weekend_days_are_workdays(cal: WorkCalendar, d: date) -> None:
    assert d.weekday() >= 5
    assert cal.is_workday(d)


@pytest.mark.parametrize("d", [
    D(2024, 1, 1), D(2024, 4, 4), D(2024, 5, 3), D(2024, 6, 10), D(2024, 9, 16),
    D(2025, 1, 1), D(2025, 4, 4), D(2025, 5, 5), D(2025, 6, 2),
    D(2026, 1, 2), D(2026, 4, 6), D(2026, 5, 5), D(2026, 6, 19), D(2026, 9, 25),
])
def test_weekday_holidays_are_off(cal: WorkCalendar, d: date) -> None:
    assert d.weekday() < 5
    assert not cal.is_workday(d)


def test_ordinary_days(cal: WorkCalendar) -> None:
    assert cal.is_workday(D(2026, 3, 2))       # Monday
    assert not cal.is_workday(D(2026, 3, 7))   # Saturday
    assert not cal.is_workday(D(2026, 3, 8))   # Sunday


@pytest.mark.parametrize("year,count", [(2024, 251), (2025, 248), (2026, 248)])
def test_working_days_per_year(cal: WorkCalendar, year: int, count: int) -> None:
    # A slip in the data (a missing makeup day, a wrong range) changes these totals.
    days = [D(year, 1, 1) + timedelta(days=i) for i in range(366)]
    assert sum(cal.is_workday(d) for d in days if d.year == year) == count
    # workdays_between counts the same way (Jan 1 is a holiday in every shipped year).
    assert not cal.is_workday(D(year, 1, 1))
    assert cal.workdays_between(D(year, 1, 1), D(year, 12, 31)) == count


def test_data_tables_are_consistent() -> None:
    tables = {t.year: t for t in builtin_tables()}
    assert set(tables) >= {2024, 2025, 2026}
    for t in tables.values():
        assert t.notice.startswith(f"国务院办公厅关于{t.year}年部分节假日安排的通知")
        assert all(d.weekday() >= 5 for d in t.workdays)
        assert not t.holidays & t.workdays
    assert len(tables[2026].holidays) == 3 + 9 + 3 + 5 + 3 + 3 + 7
    assert len(tables[2025].workdays) == 5


def test_add_workdays_semantics(cal: WorkCalendar) -> None:
    assert cal.add_workdays(D(2026, 3, 6), 0) == D(2026, 3, 6)
    assert cal.add_workdays(D(2026, 3, 6), 1) == D(2026, 3, 9)    # Fri → Mon
    assert cal.add_workdays(D(2026, 3, 7), 1) == D(2026, 3, 9)    # from a Saturday
    assert cal.add_workdays(D(2026, 3, 9), -1) == D(2026, 3, 6)
    assert cal.add_workdays(D(2025, 9, 30), 1) == D(2025, 10, 9)  # over the 8-day break
    assert cal.add_workdays(D(2024, 12, 31), 1) == D(2025, 1, 2)  # across years, 1-1 off


def test_workdays_between_edges(cal: WorkCalendar) -> None:
    assert cal.workdays_between(D(2026, 3, 2), D(2026, 3, 2)) == 0
    assert cal.workdays_between(D(2026, 3, 9), D(2026, 3, 2)) == 0
    assert cal.workdays_between(D(2026, 3, 6), D(2026, 3, 9)) == 1
    assert cal.workdays_between(D(2026, 9, 30), D(2026, 10, 8)) == 1


def test_add_days_is_calendar_arithmetic(cal: WorkCalendar) -> None:
    assert cal.add_days(D(2026, 2, 10), 7) == D(2026, 2, 17)
    assert cal.add_days(D(2099, 1, 1), 7) == D(2099, 1, 8)  # no calendar needed


def test_missing_year_raises_naming_the_year(cal: WorkCalendar) -> None:
    with pytest.raises(CalendarYearMissing) as exc:
        cal.is_workday(D(2099, 6, 1))
    assert exc.value.year == 2099
    assert "2099" in str(exc.value)
    assert "[calendar]" in str(exc.value)
    with pytest.raises(CalendarYearMissing, match="2099"):
        cal.add_workdays(D(2099, 6, 1), 3)
    with pytest.raises(CalendarYearMissing, match="2020"):
        cal.workdays_between(D(2020, 1, 1), D(2026, 1, 1))


def test_walking_into_a_missing_year_raises(cal: WorkCalendar) -> None:
    last = max(cal.known_years)
    assert last + 1 not in cal.known_years
    with pytest.raises(CalendarYearMissing) as exc:
        cal.add_workdays(D(last, 12, 20), 20)
    assert exc.value.year == last + 1


def test_site_extra_days_change_results() -> None:
    base = WorkCalendar()
    # A local holiday on a Wednesday, and a Saturday the site works.
    cal = WorkCalendar(extra_holidays=[D(2026, 3, 4)], extra_workdays=[D(2026, 3, 7)])
    assert base.is_workday(D(2026, 3, 4)) and not cal.is_workday(D(2026, 3, 4))
    assert not base.is_workday(D(2026, 3, 7)) and cal.is_workday(D(2026, 3, 7))
    assert base.add_workdays(D(2026, 3, 2), 3) == D(2026, 3, 5)
    assert cal.add_workdays(D(2026, 3, 2), 3) == D(2026, 3, 6)
    assert cal.add_workdays(D(2026, 3, 5), 2) == D(2026, 3, 7)


def test_site_can_override_a_builtin_holiday() -> None:
    cal = WorkCalendar(extra_workdays=[D(2026, 10, 7)])
    assert cal.is_workday(D(2026, 10, 7))


def test_site_declares_a_whole_year() -> None:
    with pytest.raises(CalendarYearMissing):
        WorkCalendar(extra_holidays=[D(2099, 1, 1)]).is_workday(D(2099, 1, 2))
    cal = WorkCalendar(extra_holidays=[D(2099, 1, 1)], extra_years=[2099])
    assert 2099 in cal.known_years
    assert not cal.is_workday(D(2099, 1, 1))  # Thursday, declared holiday
    assert cal.is_workday(D(2099, 1, 2))      # Friday


def test_from_config() -> None:
    cal = WorkCalendar.from_config({
        "holidays": ["2099-01-01", D(2099, 1, 2)],
        "workdays": ["2099-01-03"],
        "years": [2099],
    })
    assert not cal.is_workday(D(2099, 1, 2))
    assert cal.is_workday(D(2099, 1, 3))  # Saturday
    assert cal.add_workdays(D(2099, 1, 1), 1) == D(2099, 1, 3)
    assert WorkCalendar.from_config({}).known_years == WorkCalendar().known_years
    assert WorkCalendar.from_config(None).known_years == WorkCalendar().known_years


@pytest.mark.parametrize("cfg,key", [
    ({"holidays": ["2099-13-01"]}, "holidays"),
    ({"holidays": "2099-01-01"}, "holidays"),
    ({"workdays": ["2099/01/03"]}, "workdays"),
    ({"workdays": [20990103]}, "workdays"),
    ({"years": ["二〇九九"]}, "years"),
    ({"years": [True]}, "years"),
    ({"holiday": ["2099-01-01"]}, "holiday"),
    ({"holidays": ["2099-01-01"], "workdays": ["2099-01-01"]}, "workdays"),
])
def test_from_config_rejects_bad_entries(cfg: dict, key: str) -> None:
    with pytest.raises(ValueError) as exc:
        WorkCalendar.from_config(cfg)
    msg = str(exc.value)
    assert key in msg
    assert "site.toml" in msg
