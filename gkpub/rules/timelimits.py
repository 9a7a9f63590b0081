"""公开时限: parse the catalogue's time-limit text and compute deadlines.

Counting follows the usual rule of Chinese law for periods (民法典 第二百零一条):
the day the information is formed or changed is not counted, the period starts the
next day. So "20个工作日内" from a document formed on 2026-01-27 ends on the 20th
working day after it, 2026-03-02.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Literal

from gkpub.rules.workdays import WorkCalendar

Kind = Literal["workdays", "days", "immediate"]

ACCEPTED_FORMS = (
    "自信息形成或变更之日起20个工作日内",
    "20个工作日",
    "20个工作日内",
    "十个工作日",
    "5日内",
    "7天",
    "形成或变更之日起5日内",
    "即时",
    "即时公开",
    "实时",
)

# Grace for 即时 (immediate): publishing the same day is not always possible (a
# decision signed in the evening goes out the next morning), so 即时 means "by the
# first working day after the information was formed".
IMMEDIATE_GRACE_WORKDAYS = 1


@dataclass(frozen=True)
class TimeLimit:
    """A parsed 公开时限: n working days, n calendar days, or immediate (n == 0)."""

    kind: Kind
    n: int

    def describe(self) -> str:
        """Chinese wording for messages, e.g. 「20个工作日」."""
        if self.kind == "immediate":
            return "即时"
        if self.kind == "workdays":
            return f"{self.n}个工作日"
        return f"{self.n}日"


_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
              "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100}


_CN_WELL_FORMED = re.compile(
    r"^(?:[一二两三四五六七八九]百(?:[零〇](?=[一二两三四五六七八九]$))?)?"
    r"(?:[一二两三四五六七八九]?十)?[一二两三四五六七八九]?$"
)


def _cn_number(s: str) -> int:
    """Chinese numerals up to 999: 十 → 10, 二十 → 20, 十五 → 15, 一百二十 → 120."""
    if not s or not _CN_WELL_FORMED.match(s):
        raise ValueError(s)
    total = 0
    digit: int | None = None
    for ch in s:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch]
        elif ch in _CN_UNITS:
            total += (1 if digit is None else digit) * _CN_UNITS[ch]
            digit = None
        else:
            raise ValueError(s)
    return total + (digit or 0)


def parse_count(raw: str) -> int:
    """A count in Arabic digits or Chinese numerals (up to 999); ValueError otherwise."""
    return int(raw) if raw.isdigit() else _cn_number(raw)


_NUM = r"(?P<num>[0-9]+|[零〇一二两三四五六七八九十百]+)"
_UNIT = r"(?P<unit>个工作日|工作日|个自然日|自然日|日|天)"
# Optional lead-in such as 「自信息形成或变更之日起」「形成或变更之日起」「自决定作出之日起」.
_LEAD = r"(?:自?[^0-9，,。；;]*?之日起)?"
_TAIL = r"(?:内|以内|之内)?(?:予以公开|完成公开|公开|发布|公布)?"
_PERIOD_RE = re.compile(rf"^{_LEAD}{_NUM}{_UNIT}{_TAIL}$")
_IMMEDIATE_RE = re.compile(r"^(?:[^0-9]*?(?:后|起))?(?:即时|实时)(?:予以)?(?:公开|发布|公布|更新)?$")


def _normalize(text: str) -> str:
    # NFKC turns full-width digits (２０) into ASCII; spaces and trailing
    # punctuation carry no meaning here.
    s = unicodedata.normalize("NFKC", text)
    s = re.sub(r"\s+", "", s)
    return s.rstrip("。.；;，,")


@lru_cache(maxsize=1024)  # items of one leaf share its text: parsed once, not once per item
def parse_time_limit(text: str) -> TimeLimit:
    """Parse 公开时限 text; raise ValueError (in Chinese) when it is not understood."""
    s = _normalize(text or "")
    if _IMMEDIATE_RE.match(s):
        return TimeLimit("immediate", 0)
    m = _PERIOD_RE.match(s)
    n = -1
    if m:
        raw = m.group("num")
        try:
            n = parse_count(raw)
        except ValueError:
            m = None
    if m:
        if n <= 0:
            raise ValueError(f"公开时限「{text}」的天数必须大于 0；即时公开请写「即时」")
        kind: Kind = "workdays" if "工作日" in m.group("unit") else "days"
        return TimeLimit(kind, n)
    forms = "、".join(f"「{f}」" for f in ACCEPTED_FORMS)
    raise ValueError(
        f"无法识别公开时限「{text}」。可以写成：{forms}；"
        f"数字可以用阿拉伯数字或汉字（如「二十个工作日内」）"
    )


def deadline(formed: date, limit: TimeLimit, cal: WorkCalendar) -> date:
    """The last day on which publication is still on time.

    - workdays: the n-th working day after ``formed``;
    - days: ``formed`` + n calendar days; if that day is not a working day the period
      ends on the next working day (民法典 第二百零三条: a period whose last day is a
      statutory rest day ends on the day after the rest);
    - immediate: one working day of grace, see IMMEDIATE_GRACE_WORKDAYS.

    Raises CalendarYearMissing if a year on the way has no holiday table.
    """
    if limit.kind == "workdays":
        return cal.add_workdays(formed, limit.n)
    if limit.kind == "days":
        return cal.next_workday(cal.add_days(formed, limit.n))
    if limit.kind == "immediate":
        return cal.add_workdays(formed, IMMEDIATE_GRACE_WORKDAYS)
    raise ValueError(f"未知的时限类型：{limit.kind}")


def lateness(formed: date, published: date, limit: TimeLimit, cal: WorkCalendar) -> int:
    """Working days by which ``published`` is past the deadline (0 if on time).

    Publishing on a rest day right after the deadline counts as 1, not 0: it is
    late all the same, and callers test ``lateness(...) > 0``.
    """
    return days_late(deadline(formed, limit, cal), published, cal)


def days_late(due: date, published: date, cal: WorkCalendar) -> int:
    """:func:`lateness` for a deadline already computed."""
    if published <= due:
        return 0
    return max(1, cal.workdays_between(due, published))
