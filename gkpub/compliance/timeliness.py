"""Time-limit findings: late publication, late 解读, late 意见反馈, missing calendar years.

Only items meant for the public (主动公开 / 删减后公开) are checked. A draft whose
deadline has passed is late too (it should have been published by now); an item
dated in the future is checked against the date it is set to go out.

A time limit counts from the event its text names (see :func:`base_day`): the
information being formed or changed (成文日期, or 变更日期 when the item states it),
another document's publication (the policy a 解读 interprets, the decision a 意见反馈
reports on), or any other event, whose date the item states in 起算日期. Verdicts
are given whenever a year without a calendar cannot change them
(``timelimits.judge``); "no calendar" is reported only when it could.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from gkpub.compliance.findings import Finding
from gkpub.content.feedback import KEY as FEEDBACK_KEY
from gkpub.content.model import Item
from gkpub.content.schema import CHANGED_KEY, PUBLISHED_ATTRIBUTES, START_KEY
from gkpub.rules.timelimits import (
    TimeLimit,
    Verdict,
    base_event,
    classify_event,
    count_workdays,
    judge,
    parse_time_limit,
)
from gkpub.rules.workdays import WorkCalendar

INTERPRETATION_WORKDAYS = 3
FEEDBACK_WORKDAYS = 10
INTERPRETATION_KEY = "解读"
# The item keys that link another document, what that document is called, and the
# rule its follow-up must keep (checked by interpretations() and feedback()).
LINKS: tuple[tuple[str, str, TimeLimit], ...] = (
    (INTERPRETATION_KEY, "所解读政策", TimeLimit("workdays", INTERPRETATION_WORKDAYS)),
    (FEEDBACK_KEY, "所反馈的决策文件", TimeLimit("workdays", FEEDBACK_WORKDAYS)),
)


class Context:
    """What every check needs: the day, the calendar, which items are on the portal."""

    def __init__(self, items: list[Item], published: list[Item], today: dt.date, cal: WorkCalendar):
        self.items = items
        self.today = today
        self.cal = cal
        self._public = {id(i) for i in published}
        self.by_index = {i.index_no: i for i in items}

    def is_public(self, item: Item) -> bool:
        return id(item) in self._public

    def finding(self, kind: str, item: Item, field: str, message: str, *others: Item) -> Finding:
        public = self.is_public(item) and all(self.is_public(o) for o in others)
        return Finding(kind=kind, file=item.source, line=item.lines.get(field, 0), field=field,
                       message=message, subject=item.title if public else "",
                       url=item.url if public else "", public=public)


def for_public(item: Item) -> bool:
    return item.attribute in PUBLISHED_ATTRIBUTES


def calendar_hint(year: int) -> str:
    """What to do about a missing year, in the words of every no_calendar finding."""
    return (f"请在 site.toml 的 [calendar] 中补充 {year} 年的节假日（holidays）、调休上班日（workdays），"
            f"并在 years 中写上 {year}")


@dataclass(frozen=True)
class Base:
    """The day a time limit counts from, for one item."""

    day: dt.date
    label: str  # how findings name it: 成文日期, 变更日期, 起算日期（审核确认）, 所解读政策的发布日期
    note: str = ""  # why the day is a fallback (said in every finding that uses it)
    link_key: str = ""  # the key (解读 / 意见反馈) whose linked document's publication it is

    def describe(self) -> str:
        return f"{self.label} {self.day}" + (f"（{self.note}）" if self.note else "")


def base_day(ctx: Context, item: Item, text: str) -> Base:
    """The day ``item``'s time limit (its text ``text``) counts from."""
    event = base_event(text)
    kind = classify_event(event)
    if kind == "formed":
        changed = item.el.get(CHANGED_KEY)
        return Base(changed, CHANGED_KEY) if changed else Base(item.written, "成文日期")
    if kind == "linked":
        for key, what, _rule in LINKS:
            target = item.el.get(key)
            other = ctx.by_index.get(target) if target else None
            if other is not None and for_public(other) and not other.el.get("草稿"):
                return Base(other.published, f"{what}的发布日期", link_key=key)
        return Base(item.written, "成文日期",
                    f"公开时限自「{event}」之日起算，但本篇没有用「解读」或「意见反馈」指明已发布的该文件，按成文日期计算")
    start = item.el.get(START_KEY)
    if start:
        return Base(start, f"{START_KEY}（{event}）")
    return Base(item.written, "成文日期",
                f"公开时限自「{event}」之日起算，本篇未填写「{START_KEY}」，按成文日期计算")


def _late_text(v: Verdict) -> str:
    if v.late_exact:
        return f"逾期 {v.late} 个工作日"
    return f"逾期至少 {v.late} 个工作日（没有 {v.missing} 年的工作日历，该年的工作日未计入）"


def _due_text(v: Verdict) -> str:
    if v.due_exact:
        return f"最迟应于 {v.due} 发布"
    return f"最迟应于 {v.due} 发布（没有 {v.missing} 年的工作日历，实际期限可能更早）"


def _undecided_text(v: Verdict, base: Base, limit: TimeLimit) -> str:
    counted = ""
    if limit.kind == "workdays":
        counted = f"，{base.label}之后已确知 {v.counted} 个工作日，尚差 {limit.n - v.counted} 个"
    return f"无法判断是否按时公开：没有 {v.missing} 年的工作日历{counted}；{calendar_hint(v.missing or 0)}"


def publication(ctx: Context) -> Iterator[Finding]:
    """发布日期 vs the base day + 公开时限."""
    for item in ctx.items:
        if not for_public(item):
            continue
        text = item.el.get("公开时限", "")
        try:
            limit = parse_time_limit(text)
        except ValueError as exc:
            field = "公开时限" if "公开时限" in item.lines else "目录"
            yield ctx.finding("time_limit_unknown", item, field,
                              f"{exc}（本篇的公开时限来自{'本篇' if field == '公开时限' else '标准目录'}）")
            continue
        base = base_day(ctx, item, text)
        if base.link_key and any(key == base.link_key and rule == limit for key, _what, rule in LINKS):
            continue  # the very rule interpretations() / feedback() check: one finding, not two
        draft = bool(item.el.get("草稿"))
        upto = ctx.today if draft else item.published
        v = judge(base.day, upto, limit, ctx.cal)
        head = f"{base.describe()}，公开时限「{limit.describe()}」"
        if v.on_time is None:
            yield ctx.finding("no_calendar", item, "发布日期",
                              f"{_undecided_text(v, base, limit)}（{head}，发布日期 {upto}）")
        elif not v.on_time:
            if draft:
                yield ctx.finding("late", item, "草稿",
                                  f"仍是草稿未发布；{head}，{_due_text(v)}，截至 {ctx.today} 已{_late_text(v)}")
            else:
                yield ctx.finding("late", item, "发布日期",
                                  f"{head}，{_due_text(v)}，实际 {item.published} 发布，{_late_text(v)}")


def _follow_up(ctx: Context, kind: str, item: Item, base: Item | None, limit: TimeLimit,
               field: str, what: str, base_what: str) -> Iterator[Finding]:
    """``item`` must be published within ``limit`` after ``base`` is."""
    if base is None or not (for_public(item) and for_public(base)):
        return
    if item.el.get("草稿") or base.el.get("草稿"):
        return
    v = judge(base.published, item.published, limit, ctx.cal)
    name = f"「{base.title}」" if ctx.is_public(base) else ""
    said = f"{base_what}{name}（{base.index_no}）于 {base.published} 发布，{what}于 {item.published} 发布"
    if v.on_time is None:
        yield ctx.finding("no_calendar", item, field,
                          f"无法判断{what}是否及时：没有 {v.missing} 年的工作日历（{said}，"
                          f"其间已确知 {v.counted} 个工作日）；{calendar_hint(v.missing or 0)}", base)
    elif not v.on_time:
        gap = count_workdays(base.published, item.published, ctx.cal)
        apart = (f"相隔 {gap.known} 个工作日" if gap.exact
                 else f"相隔至少 {gap.known} 个工作日（没有 {gap.missing} 年的工作日历）")
        due = v.due if v.due_exact else f"{v.due} 或更早"
        yield ctx.finding(kind, item, field,
                          f"{said}，{apart}；应在 {limit.n} 个工作日内（最迟 {due}）发布", base)


def interpretations(ctx: Context) -> Iterator[Finding]:
    for item in ctx.items:
        target = item.el.get(INTERPRETATION_KEY)
        if target:
            yield from _follow_up(ctx, "late_interpretation", item, ctx.by_index.get(target),
                                  LINKS[0][2], "发布日期", "本篇解读", "所解读的政策")


def feedback(ctx: Context) -> Iterator[Finding]:
    for item in ctx.items:
        target = item.el.get(FEEDBACK_KEY)
        if target:
            yield from _follow_up(ctx, "late_feedback", item, ctx.by_index.get(target),
                                  LINKS[1][2], "发布日期", "本篇意见采纳情况反馈", "决策文件")
