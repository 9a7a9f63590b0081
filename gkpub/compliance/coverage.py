"""Coverage and freshness findings: empty columns, stale columns, ended 公示期; 公示 rules.

A column is a catalogue leaf; its items are the published ones (``Site.published``).
Leaves whose 公开方式 is 依申请公开 are never expected to fill up and are skipped.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from gkpub.compliance.findings import Finding
from gkpub.compliance.timeliness import Context, calendar_hint, for_public
from gkpub.content.model import Item, Leaf
from gkpub.content.periods import leaf_period
from gkpub.content.schema import NOTICE_LENGTH_KEY
from gkpub.rules.timelimits import NoticeLength, notice_length, parse_notice_length
from gkpub.rules.workdays import CalendarYearMissing


def _leaf_finding(kind: str, leaf: Leaf, message: str) -> Finding:
    return Finding(kind=kind, file=leaf.source, line=leaf.line, field="公开内容", message=message,
                   subject=leaf.path, url=leaf.url)


def columns(ctx: Context, leaves: list[Leaf]) -> Iterator[Finding]:
    newest: dict[int, Item] = {}
    for item in ctx.items:
        if ctx.is_public(item):
            key = id(item.leaf)
            if key not in newest or item.published > newest[key].published:
                newest[key] = item
    for leaf in leaves:
        if leaf.elements.get("公开方式") == "依申请公开":
            continue
        last = newest.get(id(leaf))
        if last is None:
            yield _leaf_finding("empty_leaf", leaf,
                                f"「{leaf.path}」栏目没有任何已发布的信息；请按目录要求发布，"
                                f"确无此类信息的，请发布情况说明")
            continue
        period, source = leaf_period(leaf)
        if period is None:
            continue
        last_day = last.published
        due = period.due(last_day)
        if ctx.today > due:
            yield _leaf_finding("stale_leaf", leaf,
                                f"「{leaf.path}」栏目最近一次发布是 {last_day}，更新周期「{period.describe()}」"
                                f"（{source}），应在 {due} 前更新，已超过 {(ctx.today - due).days} 天")


def notices(ctx: Context) -> Iterator[Finding]:
    """Published items whose 公示期 is over and which are not yet marked as no longer valid."""
    for item in ctx.items:
        period = item.el.get("公示期")
        if not period or not ctx.is_public(item) or item.expired(ctx.today):
            continue
        end = period["结束"]
        if end < ctx.today:
            yield ctx.finding("notice_ended", item, "公示期",
                              f"公示期 {period['开始']} 至 {end} 已结束（{(ctx.today - end).days} 天前）；"
                              f"请发布公示结果，或填写「有效期至」将本篇标为已失效")


def notice_rules(ctx: Context) -> Iterator[Finding]:
    """Every 公示 starts on or after its item's 发布日期 and runs at least its leaf's 公示期限.

    Checked for every item meant for the public, drafts too (their 发布日期 is the day
    they are set to go out); a draft's findings stay in the internal report.
    """
    for item in ctx.items:
        period = item.el.get("公示期")
        if not period or not for_public(item):
            continue
        start, end = period["开始"], period["结束"]
        if start < item.published:
            yield ctx.finding("notice_before_publication", item, "公示期",
                              f"公示期自 {start} 开始，但本篇 {item.published} 才发布，发布之前的 "
                              f"{(item.published - start).days} 天公众看不到公示；请把公示期的开始日期改为发布日期"
                              f"或之后，并相应顺延结束日期")
        raw = item.leaf.elements.get(NOTICE_LENGTH_KEY)
        if not raw:
            continue
        try:
            minimum = parse_notice_length(raw)
        except ValueError:
            continue  # reported as a content error when the catalogue is loaded
        v = notice_length(start, end, minimum, ctx.cal)
        rule = f"标准目录规定公示期限「{raw}」（首尾两天都计入）"
        if v.long_enough is None:
            yield ctx.finding("no_calendar", item, "公示期",
                              f"无法判断公示期 {start} 至 {end} 是否足够：{rule}，其中已确知 {v.counted} 个工作日，"
                              f"其余日子在没有工作日历的 {v.missing} 年；{calendar_hint(v.missing or 0)}")
        elif not v.long_enough:
            unit = "个工作日" if minimum.kind == "workdays" else "天"
            at_most = "" if v.exact else f"（没有 {v.missing} 年的工作日历，其中的日子全算作工作日也不够）"
            yield ctx.finding("notice_too_short", item, "公示期",
                              f"公示期 {start} 至 {end} 只有 {v.counted} {unit}{at_most}，{rule}；"
                              f"请延长公示期，结束日期至少应为 {_earliest_end(start, minimum, ctx)}")


def _earliest_end(start: dt.date, minimum: NoticeLength, ctx: Context) -> str:
    """The first end day that would make the 公示 long enough, or a hint when the calendar lacks it."""
    if minimum.kind == "days":
        return str(start + dt.timedelta(days=minimum.n - 1))
    try:
        first = ctx.cal.next_workday(start)
        return str(first if minimum.n == 1 else ctx.cal.add_workdays(first, minimum.n - 1))
    except CalendarYearMissing as exc:
        return f"{start} 之后的第 {minimum.n} 个工作日（{exc.year} 年的工作日历缺失，无法算出）"
