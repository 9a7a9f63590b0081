"""Time-limit findings: late publication, late 解读, late 意见反馈, missing calendar years.

Only items meant for the public (主动公开 / 删减后公开) are checked. A draft whose
deadline has passed is late too (it should have been published by now); an item
dated in the future is checked against the date it is set to go out.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

from gkpub.compliance.findings import Finding
from gkpub.content.feedback import KEY as FEEDBACK_KEY
from gkpub.content.model import Item
from gkpub.content.schema import PUBLISHED_ATTRIBUTES
from gkpub.rules.timelimits import TimeLimit, days_late, deadline, parse_time_limit
from gkpub.rules.workdays import CalendarYearMissing, WorkCalendar

INTERPRETATION_WORKDAYS = 3
FEEDBACK_WORKDAYS = 10


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


def _for_public(item: Item) -> bool:
    return item.attribute in PUBLISHED_ATTRIBUTES


def _guarded(ctx: Context, item: Item, check: Callable[[], Iterator[Finding]]) -> Iterator[Finding]:
    """Run ``check``; a year without a calendar becomes a finding instead of a crash."""
    try:
        yield from list(check())
    except CalendarYearMissing as exc:
        yield ctx.finding("no_calendar", item, "发布日期",
                          f"无法判断是否按时公开：没有 {exc.year} 年的工作日历；请在 site.toml 的 "
                          f"[calendar] 中补充 {exc.year} 年的节假日（holidays）、调休上班日（workdays），"
                          f"并在 years 中写上 {exc.year}")


def publication(ctx: Context) -> Iterator[Finding]:
    """发布日期 vs 成文日期 + 公开时限."""
    dues: dict[tuple[dt.date, TimeLimit], dt.date] = {}  # many items share a day and a limit
    for item in ctx.items:
        if not _for_public(item):
            continue
        try:
            limit = parse_time_limit(item.el.get("公开时限", ""))
        except ValueError as exc:
            field = "公开时限" if "公开时限" in item.lines else "目录"
            yield ctx.finding("time_limit_unknown", item, field,
                              f"{exc}（本篇的公开时限来自{'本篇' if field == '公开时限' else '标准目录'}）")
            continue

        def check(item: Item = item, limit: TimeLimit = limit) -> Iterator[Finding]:
            due = dues.get((item.written, limit))
            if due is None:
                due = dues[item.written, limit] = deadline(item.written, limit, ctx.cal)
            if item.el.get("草稿"):
                if ctx.today > due:
                    late = days_late(due, ctx.today, ctx.cal)
                    yield ctx.finding("late", item, "草稿",
                                      f"仍是草稿未发布；成文日期 {item.written}，公开时限「{limit.describe()}」，"
                                      f"最迟应于 {due} 发布，截至 {ctx.today} 已逾期 {late} 个工作日")
                return
            late = days_late(due, item.published, ctx.cal)
            if late:
                yield ctx.finding("late", item, "发布日期",
                                  f"成文日期 {item.written}，公开时限「{limit.describe()}」，最迟应于 {due} 发布，"
                                  f"实际 {item.published} 发布，逾期 {late} 个工作日")

        yield from _guarded(ctx, item, check)


def _follow_up(ctx: Context, kind: str, item: Item, base: Item | None, workdays: int,
               field: str, what: str, base_what: str) -> Iterator[Finding]:
    """``item`` must be published at most ``workdays`` working days after ``base``."""
    if base is None or not (_for_public(item) and _for_public(base)):
        return
    if item.el.get("草稿") or base.el.get("草稿"):
        return

    def check() -> Iterator[Finding]:
        due = ctx.cal.add_workdays(base.published, workdays)
        if item.published > due:
            late = ctx.cal.workdays_between(base.published, item.published)
            name = f"「{base.title}」" if ctx.is_public(base) else ""
            yield ctx.finding(kind, item, field,
                              f"{base_what}{name}（{base.index_no}）于 {base.published} 发布，"
                              f"{what}于 {item.published} 发布，相隔 {late} 个工作日；"
                              f"应在 {workdays} 个工作日内（最迟 {due}）发布", base)

    yield from _guarded(ctx, item, check)


def interpretations(ctx: Context) -> Iterator[Finding]:
    for item in ctx.items:
        target = item.el.get("解读")
        if target:
            yield from _follow_up(ctx, "late_interpretation", item, ctx.by_index.get(target),
                                  INTERPRETATION_WORKDAYS, "发布日期", "本篇解读", "所解读的政策")


def feedback(ctx: Context) -> Iterator[Finding]:
    for item in ctx.items:
        target = item.el.get(FEEDBACK_KEY)
        if target:
            yield from _follow_up(ctx, "late_feedback", item, ctx.by_index.get(target),
                                  FEEDBACK_WORKDAYS, "发布日期", "本篇意见采纳情况反馈", "决策文件")
