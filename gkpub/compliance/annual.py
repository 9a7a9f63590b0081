"""Findings about the annual report (政府信息公开工作年度报告) and what it counts.

A published 年报 is a fixed page ``content/pages/annual/<年份>.md`` or
``content/pages/annual/<年份>-<anything>.md``: the year is the name's first four digits,
the body whose report it is the page's 发布机构 (the government when it names none), the
day it came out its 发布日期. The government's report is the district's.

Deadlines (条例 第四十九条): a department's by 31 January of the next year, the government's
by 31 March. Townships and streets (街镇) report to the district like its departments and
are held to 31 January. A body is expected to have a report for every year from the first
in which the portal published one of its items (or it published a 年报), to the last whose
deadline has passed, but not before the first report the 年报 column holds: gkpub cannot
know the reports a body published before the portal carried them.

Decisions (§二 本年处理决定数量) are counted in the year of the item's 决定日期, else of its
成文日期. A decision is known by its 文号: the item's 决定文号 list, or, for an item that
publishes one decision (处理决定数 1), its own 文号. Two items counting one 文号 is a finding,
and the report counts it once.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path

from gkpub.compliance.findings import Finding
from gkpub.content.config import Org, SiteConfig
from gkpub.content.model import Item, Page, Site
from gkpub.content.schema import DECISION_KINDS

TODO = "（请填写）"
ANNUAL_SLUG_RE = re.compile(r"^(\d{4})(?:-.+)?$")
DEPARTMENT_DEADLINE = (1, 31)
GOVERNMENT_DEADLINE = (3, 31)


def is_government(org: Org, cfg: SiteConfig) -> bool:
    gov = cfg.government_org
    return gov is not None and org.name == gov.name


def deadline(org: Org, cfg: SiteConfig, year: int) -> dt.date:
    """The last day for ``org``'s report on ``year`` (条例 第四十九条)."""
    month, day = GOVERNMENT_DEADLINE if is_government(org, cfg) else DEPARTMENT_DEADLINE
    return dt.date(year + 1, month, day)


def report_title(org_name: str, year: int) -> str:
    return f"{org_name}{year}年政府信息公开工作年度报告"


def page_name(org: Org, cfg: SiteConfig, year: int) -> str:
    """Where the report's page goes: ``<年份>.md`` for the government, ``<年份>-<机构代码>.md`` else."""
    return f"content/pages/annual/{year}.md" if is_government(org, cfg) else \
        f"content/pages/annual/{year}-{org.code}.md"


def annual_pages(site: Site) -> dict[tuple[str, int], list[Page]]:
    """(body name, year) → the 年报 pages of that body and year."""
    gov = site.config.government_org
    out: dict[tuple[str, int], list[Page]] = {}
    for page in site.pages:
        m = ANNUAL_SLUG_RE.match(page.slug) if page.column == "annual" else None
        org = page.org or gov
        if m and org is not None:
            out.setdefault((org.name, int(m.group(1))), []).append(page)
    return out


def first_year(site: Site, org: Org) -> int | None:
    """The first year ``org`` owes a report for, as far as the site knows: the first in which
    the portal published one of its items (any item, for the government), but not before the
    first report the 年报 column holds (reports of earlier years were on the portal before)."""
    whole = is_government(org, site.config)
    pages = annual_pages(site)
    own = [y for (name, y) in pages if name == org.name]
    years = [i.published.year for i in site.published
             if (whole or i.org.name == org.name) and i.published <= site.today]
    if not years:
        return min(own) if own else None
    start = min(years)
    if pages:
        start = max(start, min(y for (_, y) in pages))
    return min([start, *own])


def _line_of(site_dir: Path, source: str, prefix: str) -> int:
    """The first line of ``source`` that starts with ``prefix`` (0 when none)."""
    try:
        lines = (site_dir / source).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return 0
    return next((n for n, text in enumerate(lines, start=1) if text.lstrip().startswith(prefix)), 0)


def reports(site: Site) -> Iterator[Finding]:
    cfg = site.config
    pages = annual_pages(site)
    for org in cfg.orgs:
        first = first_year(site, org)
        if first is None:
            continue
        year = first
        while deadline(org, cfg, year) < site.today:
            due = deadline(org, cfg, year)
            title = report_title(org.name, year)
            found = pages.get((org.name, year), [])
            if not found:
                yield Finding(kind="annual_missing", file=page_name(org, cfg, year), line=0, field="",
                              subject=title,
                              message=f"{title}应于 {due} 前发布（条例第四十九条），截至 {site.today} 未在"
                                      f"「政府信息公开年报」栏目中找到；请运行 "
                                      f"gkpub report annual {year} --org {org.short} 起草，补充完整后保存为 "
                                      f"{page_name(org, cfg, year)}，填写发布机构和发布日期")
            for page in found:
                yield from _page_findings(site, page, title, due)
            if len(found) > 1:
                names = "、".join(p.source for p in found)
                yield Finding(kind="annual_late", file=found[1].source, line=0, field="发布机构", subject=title,
                              message=f"{title}有 {len(found)} 份：{names}；每个机关每年一份，请删去多余的一份")
            year += 1


def _page_findings(site: Site, page: Page, title: str, due: dt.date) -> Iterator[Finding]:
    root = site.config.root
    if page.published is None:
        yield Finding(kind="annual_late", file=page.source, line=1, field="发布日期", subject=title, url=page.url,
                      message=f"{title}没有填写发布日期，无法核对是否在 {due} 前发布；请填写实际发布的日期")
    elif page.published > due:
        yield Finding(kind="annual_late", file=page.source, line=_line_of(root, page.source, "发布日期"),
                      field="发布日期", subject=title, url=page.url,
                      message=f"{title}于 {page.published} 发布，晚于期限 {due}"
                              f"（{(page.published - due).days} 天，条例第四十九条）")
    if TODO in page.body:
        offset = page.body[: page.body.index(TODO)].count("\n")
        yield Finding(kind="annual_late", file=page.source, line=page.body_line + offset, field="正文",
                      subject=title, url=page.url,
                      message=f"{title}仍有「{TODO}」的内容（共 {page.body.count(TODO)} 处）；请补充完整后再发布")


# -- decisions ---------------------------------------------------------------------------

_BRACKETS = str.maketrans({"[": "〔", "]": "〕", "(": "〔", ")": "〕", "【": "〔", "】": "〕",
                           "［": "〔", "］": "〕", "（": "〔", "）": "〕"})


def doc_key(text: str) -> str:
    """A 文号 compared without spaces and with one kind of bracket: 青综执罚[2026]5号 = 青综执罚〔2026〕5号."""
    return re.sub(r"\s", "", unicodedata.normalize("NFKC", str(text)).translate(_BRACKETS))


def counts_decisions(item: Item) -> bool:
    return not item.el.get("草稿") and item.el.get("事项类型") in DECISION_KINDS


def decision_keys(item: Item) -> list[str]:
    """The 文号 of the decisions ``item`` counts (see the module's docstring)."""
    listed = item.el.get("决定文号") or []
    if listed:
        return list(dict.fromkeys(doc_key(k) for k in listed))
    if item.el.get("处理决定数") == 1 and item.doc_no:
        return [doc_key(item.doc_no)]
    return []


def decision_count(item: Item) -> int | None:
    """处理决定数, else the number of 决定文号 listed; None when the item says neither."""
    n = item.el.get("处理决定数")
    if n is not None:
        return int(n)
    listed = item.el.get("决定文号") or []
    return len(listed) if listed else None


def decision_day(item: Item) -> dt.date:
    return item.el.get("决定日期") or item.written


def _order(item: Item) -> tuple:
    return (item.published, item.source)


def duplicate_decisions(items: list[Item]) -> list[tuple[Item, str, Item]]:
    """(item, key, the earlier item that counts the same decision), in order."""
    first: dict[tuple[str, str], Item] = {}
    out: list[tuple[Item, str, Item]] = []
    for item in sorted((i for i in items if counts_decisions(i)), key=_order):
        kind = item.el["事项类型"]
        for key in decision_keys(item):
            earlier = first.setdefault((kind, key), item)
            if earlier is not item:
                out.append((item, key, earlier))
    return out


def decisions(site: Site) -> Iterator[Finding]:
    public = {id(i) for i in site.published}
    for item, key, earlier in duplicate_decisions(site.items):
        field = "决定文号" if item.el.get("决定文号") else "文号"
        shown = id(item) in public and id(earlier) in public
        name = f"「{earlier.title}」" if id(earlier) in public else ""
        yield Finding(kind="decision_twice", file=item.source, line=item.lines.get(field, 0), field=field,
                      subject=item.title if shown else "", url=item.url if shown else "", public=shown,
                      message=f"处理决定「{key}」已由{name}（{earlier.index_no}，{earlier.source}）计入"
                              f"{item.el['事项类型']}的处理决定数，本篇又计入一次；年报只计一次。"
                              f"请核对两篇的「决定文号」「处理决定数」，从汇总中删去逐件公开的决定，或注明不重复统计")
