"""Working-day calendar of mainland China.

A working day is Monday–Friday, minus the statutory holidays, plus the makeup
workdays (调休上班日) that the General Office of the State Council announces each
year, usually in November for the following year. The announced tables ship as
data in ``gkpub/rules/data/holidays.toml`` (package data).

Nobody knows next year's makeup days before that notice, so the calendar refuses
to answer for a year it has no table for (:class:`CalendarYearMissing`) instead of
guessing from weekdays: a deadline computed from a guess could be off by a week
around the Spring Festival. A site can add days and declare whole years itself in
the ``[calendar]`` table of site.toml (see :meth:`WorkCalendar.from_config`).
"""
from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from importlib import resources
from typing import Any

DATA_FILE = resources.files(__package__ or "gkpub.rules").joinpath("data", "holidays.toml")

# Walking day by day is simple and fast enough (deadlines are weeks away); the cap
# only guards against an absurd n looping through years that all happen to be known.
_MAX_WALK_DAYS = 366 * 20


class CalendarYearMissing(Exception):
    """No holiday table for a year, so working days in it cannot be counted."""

    def __init__(self, year: int):
        self.year = year
        super().__init__(
            f"没有 {year} 年的工作日历（国务院办公厅放假安排），无法计算期限；"
            f"请在 site.toml 的 [calendar] 中补充该年的节假日和调休上班日，或升级 gkpub"
        )


@dataclass(frozen=True)
class YearTable:
    """One year's State Council notice: days off and makeup workdays."""

    year: int
    notice: str
    holidays: frozenset[date]
    workdays: frozenset[date]


def _as_date(value: object) -> date:
    if isinstance(value, date) and not hasattr(value, "hour"):
        return value
    if isinstance(value, str):
        return date.fromisoformat(value.strip())
    raise ValueError(f"不是日期：{value!r}")


@lru_cache(maxsize=1)
def builtin_tables() -> tuple[YearTable, ...]:
    """The tables shipped with gkpub, checked for transcription slips on load."""
    with DATA_FILE.open("rb") as fh:
        raw = tomllib.load(fh)
    tables: list[YearTable] = []
    for entry in raw.get("year", []):
        year = int(entry["year"])
        holidays: set[date] = set()
        for block in entry.get("holidays", []):
            start, end = _as_date(block["from"]), _as_date(block["to"])
            if end < start:
                raise ValueError(f"{DATA_FILE.name}：{year} 年「{block.get('name')}」的结束日期早于开始日期")
            d = start
            while d <= end:
                holidays.add(d)
                d += timedelta(days=1)
        workdays = {_as_date(d) for d in entry.get("workdays", [])}
        # A New Year holiday may start in the last days of December of the year
        # before (as in the notice for 2019), so the previous year is allowed too.
        for d in holidays | workdays:
            if d.year not in (year, year - 1):
                raise ValueError(f"{DATA_FILE.name}：{year} 年的表中出现了 {d.isoformat()}")
        for d in workdays:
            if d.weekday() < 5:
                raise ValueError(f"{DATA_FILE.name}：调休上班日 {d.isoformat()} 不是周六或周日")
        if holidays & workdays:
            both = ", ".join(sorted(d.isoformat() for d in holidays & workdays))
            raise ValueError(f"{DATA_FILE.name}：{both} 既是假日又是上班日")
        tables.append(YearTable(year, str(entry.get("notice", "")), frozenset(holidays), frozenset(workdays)))
    return tuple(tables)


class WorkCalendar:
    """Answers "is this a working day" and counts working days, for known years only.

    Site additions take precedence over the built-in tables: a date in
    ``extra_workdays`` is a working day even if the notice made it a holiday (a
    local arrangement), and a date in ``extra_holidays`` is a day off even if it
    is a weekday or a makeup day. A date in both lists is an error.

    ``extra_years`` declares years the site defines completely itself (before
    gkpub ships that year's table). Extra days in an undeclared year do not make
    the year known: a single local holiday is not a whole year's calendar.
    """

    def __init__(
        self,
        extra_holidays: Iterable[date] = (),
        extra_workdays: Iterable[date] = (),
        extra_years: Iterable[int] = (),
    ):
        tables = builtin_tables()
        self._holidays: set[date] = set().union(*(t.holidays for t in tables)) if tables else set()
        self._makeup: set[date] = set().union(*(t.workdays for t in tables)) if tables else set()
        self._extra_holidays = frozenset(_as_date(d) for d in extra_holidays)
        self._extra_workdays = frozenset(_as_date(d) for d in extra_workdays)
        both = self._extra_holidays & self._extra_workdays
        if both:
            listed = "、".join(sorted(d.isoformat() for d in both))
            raise ValueError(f"日期 {listed} 同时被列为节假日和调休上班日，只能选一个")
        self._years = frozenset({t.year for t in tables} | {int(y) for y in extra_years})

    # ------------------------------------------------------------------ config
    @classmethod
    def from_config(cls, cfg: Mapping[str, Any] | None) -> WorkCalendar:
        """Build a calendar from site.toml's ``[calendar]`` table.

        Shape: ``{"holidays": ["2027-01-01", ...], "workdays": [...], "years": [2027]}``;
        dates may be strings (YYYY-MM-DD) or TOML dates. Every key is optional.
        """
        if cfg is None:
            cfg = {}
        if not isinstance(cfg, Mapping):
            raise ValueError("site.toml 的 [calendar] 应当是一个表（[calendar] 下写 holidays、workdays、years）")
        allowed = ("holidays", "workdays", "years")
        for key in cfg:
            if key not in allowed:
                raise ValueError(
                    f"site.toml 的 [calendar] 中有不认识的键「{key}」；只能使用 holidays（节假日）、"
                    f"workdays（调休上班日）、years（由本站完整定义的年份）"
                )
        holidays = _config_dates(cfg, "holidays")
        workdays = _config_dates(cfg, "workdays")
        both = set(holidays) & set(workdays)
        if both:
            listed = "、".join(sorted(d.isoformat() for d in both))
            raise ValueError(
                f"site.toml 的 [calendar] 中，{listed} 同时出现在 holidays 和 workdays 里，只能保留一处"
            )
        years = _config_years(cfg)
        return cls(holidays, workdays, years)

    # ------------------------------------------------------------------ queries
    @property
    def known_years(self) -> frozenset[int]:
        """Years with a complete calendar (built-in tables plus the site's own)."""
        return self._years

    def _check(self, d: date) -> None:
        if d.year not in self._years:
            raise CalendarYearMissing(d.year)

    def is_workday(self, d: date) -> bool:
        self._check(d)
        return self._workday(d)

    def status(self, d: date) -> bool | None:
        """Like :meth:`is_workday`, but None instead of raising for a year without a calendar.

        For reasoning about what is decidable without that year (see
        ``timelimits.judge``): an unknown day might be a working day or not.
        """
        return self._workday(d) if d.year in self._years else None

    def _workday(self, d: date) -> bool:
        if d in self._extra_holidays:
            return False
        if d in self._extra_workdays:
            return True
        if d in self._holidays:
            return False
        if d in self._makeup:
            return True
        return d.weekday() < 5

    def next_workday(self, d: date) -> date:
        """``d`` itself if it is a working day, else the first working day after it."""
        return d if self.is_workday(d) else self.add_workdays(d, 1)

    def add_workdays(self, start: date, n: int) -> date:
        """The n-th working day after ``start`` (``start`` itself is not counted).

        ``n == 0`` returns ``start``; a negative ``n`` counts backwards.
        """
        self._check(start)
        step = 1 if n >= 0 else -1
        remaining = abs(n)
        d = start
        walked = 0
        while remaining:
            d += timedelta(days=step)
            walked += 1
            if walked > _MAX_WALK_DAYS:
                raise ValueError(f"工作日数 {n} 过大")
            if self.is_workday(d):
                remaining -= 1
        return d

    def workdays_between(self, a: date, b: date) -> int:
        """Working days after ``a`` up to and including ``b``; 0 if ``b <= a``."""
        self._check(a)
        self._check(b)
        if b <= a:
            return 0
        count = 0
        d = a
        while d < b:
            d += timedelta(days=1)
            if self.is_workday(d):
                count += 1
        return count

    def add_days(self, start: date, n: int) -> date:
        """``start`` plus ``n`` calendar days.

        Calendar days do not depend on holidays, so this never raises
        CalendarYearMissing: a 7-day notice period can be computed for a year whose
        holiday notice has not been published yet.
        """
        return start + timedelta(days=n)


def _config_dates(cfg: Mapping[str, Any], key: str) -> list[date]:
    meaning = "节假日" if key == "holidays" else "调休上班日"
    raw = cfg.get(key, [])
    if isinstance(raw, (str, date)) or not isinstance(raw, (list, tuple)):
        raise ValueError(
            f"site.toml 的 [calendar].{key}（{meaning}）应当是日期列表，"
            f'例如 {key} = ["2027-01-01", "2027-02-06"]'
        )
    out: list[date] = []
    for i, item in enumerate(raw, start=1):
        try:
            if isinstance(item, bool):
                raise ValueError
            out.append(_as_date(item))
        except (ValueError, TypeError):
            raise ValueError(
                f"site.toml 的 [calendar].{key}（{meaning}）第 {i} 项「{item}」不是有效日期，"
                f'应写成 YYYY-MM-DD，例如 "2027-01-01"'
            ) from None
    return out


def _config_years(cfg: Mapping[str, Any]) -> list[int]:
    raw = cfg.get("years", [])
    if isinstance(raw, int) and not isinstance(raw, bool):
        raw = [raw]
    if not isinstance(raw, (list, tuple)):
        raise ValueError("site.toml 的 [calendar].years 应当是年份列表，例如 years = [2027]")
    out: list[int] = []
    for i, item in enumerate(raw, start=1):
        year: int | None = None
        if isinstance(item, int) and not isinstance(item, bool):
            year = item
        elif isinstance(item, str) and item.strip().isdigit():
            year = int(item.strip())
        if year is None or not 1900 <= year <= 2200:
            raise ValueError(
                f"site.toml 的 [calendar].years 第 {i} 项「{item}」不是有效年份，应写成四位数字，例如 years = [2027]"
            )
        out.append(year)
    return out
