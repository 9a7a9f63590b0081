"""Coverage and freshness findings: empty columns, stale columns, ended 公示期.

A column is a catalogue leaf; its items are the published ones (``Site.published``).
Leaves whose 公开方式 is 依申请公开 are never expected to fill up and are skipped.
"""
from __future__ import annotations

from collections.abc import Iterator

from gkpub.compliance.findings import Finding
from gkpub.compliance.timeliness import Context
from gkpub.content.model import Item, Leaf
from gkpub.content.periods import leaf_period


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
