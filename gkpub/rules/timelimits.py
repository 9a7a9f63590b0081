"""公开时限: parse the catalogue's time-limit text and compute deadlines.

Counting follows the usual rule of Chinese law for periods (民法典 第二百零一条):
the day the information is formed or changed is not counted, the period starts the
next day. So "20个工作日内" from a document formed on 2026-01-27 ends on the 20th
working day after it, 2026-03-02.

The text also names the event the period counts from (「自审核确认之日起」): see
:func:`base_event` and :func:`classify_event`. Which date that is for an item is the
compliance layer's business (it knows the item's fields and links).

A verdict near a year without a calendar is given whenever it does not depend on
that year (:func:`judge`): every unknown day is taken as possibly a working day and
possibly not, and only an answer that holds either way is an answer.

公示 lengths (「7日」「不少于5个工作日」) are parsed by :func:`parse_notice_length`
and checked by :func:`notice_length`.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
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


# ---------------------------------------------------------------- verdicts across unknown years

@dataclass(frozen=True)
class WorkdayCount:
    """Working days in a span of days, as far as the calendar knows them."""

    known: int  # days the calendar knows to be working days
    unknown: int  # days in years without a calendar: each may or may not be a working day
    missing: int | None  # the first such year, if any

    @property
    def exact(self) -> bool:
        return self.unknown == 0


def count_workdays(after: date, upto: date, cal: WorkCalendar) -> WorkdayCount:
    """Working days after ``after`` up to and including ``upto`` (0 when ``upto <= after``).

    Never raises CalendarYearMissing: days in a year without a calendar are counted
    as ``unknown`` instead.
    """
    known = unknown = 0
    missing: int | None = None
    d = after
    while d < upto:
        d += timedelta(days=1)
        s = cal.status(d)
        if s is None:
            unknown += 1
            missing = d.year if missing is None else missing
        elif s:
            known += 1
    return WorkdayCount(known, unknown, missing)


@dataclass(frozen=True)
class Verdict:
    """Whether a publication met its time limit, decided as far as the calendar allows.

    ``on_time`` is None only when the answer depends on a year without a calendar
    (``missing``). For a late publication ``due`` is the last on-time day and
    ``late`` the working days past it; ``due_exact``/``late_exact`` are False when an
    unknown year lies in between (``due`` is then the latest the deadline can be,
    ``late`` the fewest working days it can be late by).
    """

    on_time: bool | None
    due: date | None = None
    due_exact: bool = True
    late: int = 0
    late_exact: bool = True
    counted: int = 0  # working days known to lie between the base day and publication
    missing: int | None = None


def _anchor(start: date, limit: TimeLimit) -> tuple[date, int]:
    """The deadline as "the k-th working day after anchor" for every kind of limit."""
    if limit.kind == "workdays":
        return start, limit.n
    if limit.kind == "days":
        # start + n, or the next working day if that is a rest day: the first
        # working day after start + n - 1.
        return start + timedelta(days=limit.n - 1), 1
    if limit.kind == "immediate":
        return start, IMMEDIATE_GRACE_WORKDAYS
    raise ValueError(f"未知的时限类型：{limit.kind}")


def judge(start: date, published: date, limit: TimeLimit, cal: WorkCalendar) -> Verdict:
    """Was ``published`` within ``limit`` counted from ``start``? Decided whenever decidable.

    With the deadline as the k-th working day after an anchor day, publication is on
    time exactly when fewer than k working days lie after the anchor and before the
    day of publication. Counting those days gives a range: the known working days at
    least, plus every day of a year without a calendar at most. On time when even the
    most is below k, late when even the least reaches k, undecidable otherwise. So
    an item published before the first day without a calendar is always decided, and
    so is one whose deadline falls in a known year.
    """
    anchor, k = _anchor(start, limit)
    before = count_workdays(anchor, published - timedelta(days=1), cal)
    if before.known + before.unknown < k:
        return Verdict(True, counted=before.known)
    if before.known < k:
        return Verdict(None, counted=before.known, missing=before.missing)
    # Late: the k-th known working day is the latest the deadline can be.
    due, seen, unknown_first = anchor, 0, False
    while seen < k:
        due += timedelta(days=1)
        s = cal.status(due)
        if s is None:
            unknown_first = True
        elif s:
            seen += 1
    after = count_workdays(due, published, cal)
    return Verdict(False, due=due, due_exact=not unknown_first, late=max(1, after.known),
                   late_exact=after.exact and not unknown_first, counted=before.known,
                   missing=after.missing if after.missing is not None else before.missing)


# ---------------------------------------------------------------- base event

BaseKind = Literal["formed", "linked", "other"]

# 「自X之日起」「X之日起」「自X起」「X后」, followed by the period itself.
_BASE_RE = re.compile(r"^自?(?P<event>[^0-9，,。；;]+?)(?:之日起|之日后|起|后)"
                      r"(?=[0-9零〇一二两三四五六七八九十百]|即时|实时)")
_FORMED_WORDS = ("形成", "变更", "制作", "生成", "产生")
_LINK_DOCS = ("政策", "文件", "决策")
_LINK_ACTS = ("发布", "印发", "公布", "出台")


def base_event(text: str) -> str:
    """The event a time limit counts from, as its text names it.

    「自审核确认之日起5个工作日内」 → 「审核确认」; 「自信息形成或变更之日起20个工作日内」 →
    「信息形成或变更」; "" when the text names no event (「20个工作日」「即时」).
    """
    m = _BASE_RE.match(_normalize(text or ""))
    return m.group("event") if m else ""


def classify_event(event: str) -> BaseKind:
    """What kind of day an event is.

    - ``formed``: the information itself being formed or changed (条例 第二十六条,
      also when no event is named): the item's 成文日期, or its 变更日期;
    - ``linked``: another document being published (「自政策文件发布之日起」): the
      publication date of the document the item links to (the policy a 解读
      interprets, the decision a 意见反馈 reports on);
    - ``other``: any other event (审核确认, 资金发放, 检查结束 …): a date only the
      item can state.
    """
    if not event or any(w in event for w in _FORMED_WORDS):
        return "formed"
    if any(w in event for w in _LINK_DOCS) and any(w in event for w in _LINK_ACTS):
        return "linked"
    return "other"


# ---------------------------------------------------------------- 公示 length

NoticeKind = Literal["days", "workdays"]
NOTICE_FORMS = ("7日", "7天", "不少于7日", "5个工作日", "不少于5个工作日", "不得少于3日")
_NOTICE_RE = re.compile(rf"^(?:公示期?|公告期?|期限)?(?:为|应)?(?:不少于|不得少于|不低于|至少|最少)?"
                        rf"{_NUM}{_UNIT}(?:以上)?$")


@dataclass(frozen=True)
class NoticeLength:
    """The shortest a 公示 may run: n calendar days or n working days, both ends counted."""

    kind: NoticeKind
    n: int

    def describe(self) -> str:
        return f"{self.n}个工作日" if self.kind == "workdays" else f"{self.n}日"


@lru_cache(maxsize=256)
def parse_notice_length(text: str) -> NoticeLength:
    """Parse a leaf's 公示期限; raise ValueError (in Chinese) when it is not understood."""
    m = _NOTICE_RE.match(_normalize(str(text or "")))
    n = 0
    if m:
        try:
            n = parse_count(m.group("num"))
        except ValueError:
            n = 0
    if not m or n <= 0:
        forms = "、".join(f"「{f}」" for f in NOTICE_FORMS)
        raise ValueError(f"无法识别公示期限「{text}」；可以写成：{forms}（日为日历日，工作日按工作日历计算）")
    return NoticeLength("workdays" if "工作日" in m.group("unit") else "days", n)


@dataclass(frozen=True)
class NoticeVerdict:
    """Whether a 公示 from ``start`` to ``end`` runs at least its minimum."""

    long_enough: bool | None  # None: depends on a year without a calendar (``missing``)
    counted: int  # its length in the minimum's unit (known working days for ``workdays``)
    exact: bool = True
    missing: int | None = None


def notice_length(start: date, end: date, minimum: NoticeLength, cal: WorkCalendar) -> NoticeVerdict:
    """Check a 公示期 against its minimum.

    Both the first and the last day count, as notices are written: 「9月21日至9月27日」
    is a 7-day 公示. In working days only the working days among them count: a 公示
    from 2026-09-30 to 2026-10-09 lasts 10 days but 3 working days (国庆 in between).
    """
    if minimum.kind == "days":
        days = (end - start).days + 1
        return NoticeVerdict(days >= minimum.n, days)
    c = count_workdays(start - timedelta(days=1), end, cal)
    if c.known >= minimum.n:
        return NoticeVerdict(True, c.known, c.exact, c.missing)
    if c.known + c.unknown < minimum.n:
        return NoticeVerdict(False, c.known, c.exact, c.missing)
    return NoticeVerdict(None, c.known, False, c.missing)
