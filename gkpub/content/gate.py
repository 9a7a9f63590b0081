"""The disclosure gate: the one place that decides what may leave the build.

Everything that writes output (pages, listings, feeds, sitemap, JSON, search,
print) takes its items from ``Site.published``, which only this module fills.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from gkpub.content.model import Item
from gkpub.content.schema import PUBLISHED_ATTRIBUTES


@dataclass(frozen=True)
class GateOptions:
    today: dt.date
    drafts: bool = False
    future: bool = False


def hold_reason(item: Item, opts: GateOptions) -> str | None:
    """Why ``item`` is held back, or None when it may be published.

    Fails closed on its own, whatever validation let through: only an explicit publishing
    公开属性, 公开方式 主动公开, 草稿 false and a real date pass.
    """
    attribute = item.el.get("公开属性")
    if attribute not in PUBLISHED_ATTRIBUTES:
        return str(attribute)  # 依申请公开 / 不予公开: never, whatever the options
    if item.el.get("公开方式") != "主动公开":
        return "依申请公开"  # the mode, own or the catalogue's, outranks a default attribute
    if item.el.get("草稿") is not False and not opts.drafts:
        return "草稿"
    published = item.el.get("发布日期")
    if not isinstance(published, dt.date):
        return "发布日期无效"
    if published > opts.today and not opts.future:
        return "未到发布日期"
    return None


def apply_gate(items: list[Item], opts: GateOptions) -> tuple[list[Item], dict[str, int]]:
    published: list[Item] = []
    held: dict[str, int] = {}
    for item in items:
        reason = hold_reason(item, opts)
        if reason is None:
            published.append(item)
        else:
            held[reason] = held.get(reason, 0) + 1
    published.sort(key=lambda i: i.sort_key)
    # links to held-back items must not leak their titles either
    visible = {id(i) for i in published}
    for item in published:
        item.interpretations = [i for i in item.interpretations if id(i) in visible]
        if item.interprets is not None and id(item.interprets) not in visible:
            item.interprets = None
    return published, dict(sorted(held.items()))
