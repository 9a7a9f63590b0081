"""`gkpub report review YEAR [--org 机关]`: the yearly review of what is not published (动态调整).

条例 第十八条 has every office review the information it does not publish at regular intervals
and publish what may be published once circumstances change. gkpub makes the list of items
due for that review in YEAR, for the office (an internal document, never published):

- which items: every item that is not a draft whose 公开属性 is 依申请公开 or 不予公开, or
  whose 公开方式 (own or from the catalogue) is 依申请公开 — what the disclosure gate holds
  back for good, whatever the date;
- when it is due: one year after its last review (front matter 复核日期), or, never reviewed,
  one year after its 成文日期 (the day its 公开属性 was fixed); 29 February counts as
  28 February in a year without one;
- due in YEAR: the due day is on or before 31 December of YEAR — an item whose review was
  missed in an earlier year is still due (and marked overdue against ``site.today``);
- its reasons: the item's 不公开理由, and what the due day is counted from.

The list is written beside the output like the compliance report (``reports/`` in the site
folder by default) and never into an output folder gkpub builds (``public/``, ``preview/`` or
any folder holding the output marker).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from gkpub.content.config import Org
from gkpub.content.model import Item, Site
from gkpub.outputs.report.page import REPORTS_DIR
from gkpub.store.outguard import output_holding
from gkpub.util.errors import UsageError

HELD_ATTRIBUTES: tuple[str, ...] = ("依申请公开", "不予公开")
REVIEWED_KEY = "复核日期"
REASON_KEY = "不公开理由"
NO_REASON = "（未写明理由：请在「不公开理由」中写明依据，如条例第十四条、第十五条、第十六条）"


@dataclass(frozen=True)
class Due:
    item: Item
    since: dt.date  # the day the year is counted from
    reviewed: bool  # since is the last 复核日期 (else the 成文日期)
    due: dt.date

    @property
    def basis(self) -> str:
        return f"上次复核 {self.since} 满一年" if self.reviewed else f"成文 {self.since} 满一年，未复核过"

    @property
    def reason(self) -> str:
        return str(self.item.el.get(REASON_KEY) or "").strip() or NO_REASON

    @property
    def attribute(self) -> str:
        attribute = str(self.item.el.get("公开属性") or "")
        return attribute if attribute in HELD_ATTRIBUTES else "依申请公开"  # by its 公开方式

    def status(self, today: dt.date) -> str:
        if self.due < today:
            return f"已逾期 {(today - self.due).days} 天"
        return "今天到期" if self.due == today else "待复核"


def one_year_after(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return dt.date(day.year + 1, 2, 28)


def is_held_for_good(item: Item) -> bool:
    """依申请公开 / 不予公开 by its attribute or its mode: never on the portal, so reviewed yearly."""
    return (item.el.get("公开属性") in HELD_ATTRIBUTES or item.el.get("公开方式") == "依申请公开") \
        and item.el.get("草稿") is not True


def due_items(site: Site, year: int, org: Org | None = None) -> list[Due]:
    """The held-back items whose yearly review falls due by 31 December of ``year``, by due day."""
    end = dt.date(year, 12, 31)
    found: list[Due] = []
    for item in site.items:
        if not is_held_for_good(item) or (org is not None and item.org.code != org.code):
            continue
        reviewed = item.el.get(REVIEWED_KEY)
        since = reviewed if isinstance(reviewed, dt.date) else item.written
        due = one_year_after(since)
        if due <= end:
            found.append(Due(item=item, since=since, reviewed=isinstance(reviewed, dt.date), due=due))
    found.sort(key=lambda d: (d.due, d.item.index_no))
    return found


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "｜")


def review_markdown(site: Site, year: int, org: Org | None, dues: list[Due]) -> str:
    who = org.name if org is not None else site.config.government
    scope = f"{org.name}的信息" if org is not None else "全区各公开主体的信息"
    today = site.today
    overdue = sum(1 for d in dues if d.due < today)
    out = [
        f"# {who}{year}年不予公开、依申请公开信息复核清单",
        "",
        "> 内部工作材料，不在网站发布，不得放入网站输出目录。由 gkpub report review 生成。",
        "",
        "《中华人民共和国政府信息公开条例》第十八条要求行政机关建立健全政府信息管理动态调整机制，"
        "对本机关不予公开的政府信息进行定期评估审查，对因情势变化可以公开的政府信息应当公开。",
        "",
        f"- 范围：{scope}中，公开属性为依申请公开、不予公开（或公开方式为依申请公开）的，草稿除外。",
        "- 到期日：上次复核日期（「复核日期」）满一年；没有复核过的，成文日期满一年。"
        f"到期日在 {year}-12-31 之前（含以前年度漏复核的）都列入本清单。",
        f"- 截至 {today}：共 {len(dues)} 件到期，其中已逾期 {overdue} 件。",
        "",
    ]
    if not dues:
        out += [f"{year}年没有需要复核的信息。", ""]
    else:
        out += ["| 序号 | 到期日 | 状态 | 标题 | 索引号 | 公开主体 | 公开属性 | 不公开理由 | 到期依据 | 文件 |",
                "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
        for n, d in enumerate(dues, 1):
            i = d.item
            out.append(f"| {n} | {d.due} | {d.status(today)} | {_cell(i.title)} | {i.index_no} | {_cell(i.org.name)} "
                       f"| {d.attribute} | {_cell(d.reason)} | {d.basis} | {i.source} |")
        out.append("")
    out += [
        "## 复核后怎样修改",
        "",
        "1. 经评估可以公开的：把「公开属性」改为「主动公开」（或「删减后公开」并写明删减说明），"
        "公开方式为依申请公开的一并改为「主动公开」，再按公开时限发布。",
        "2. 仍不宜公开的：在「复核日期」中写明本次复核的日期，必要时更新「不公开理由」；满一年后再次列入清单。",
        "",
    ]
    return "\n".join(out)


def review_path(site_dir: Path, year: int, org: Org | None) -> Path:
    """The default file: ``reports/`` in the site folder (beside ``public/``), one per year and body."""
    name = f"review-{year}.md" if org is None else f"review-{year}-{org.code}.md"
    return site_dir / REPORTS_DIR / name


def check_not_in_output(path: Path, site_dir: Path) -> None:
    """UsageError when ``path`` lies in an output folder: the site's public/ or preview/, or any
    folder that holds gkpub's output marker (a build would deploy or replace it)."""
    out = output_holding(path, site_dir)
    if out is not None:
        raise UsageError(f"复核清单 {path} 不能写在网站输出目录 {out} 里：输出目录会整个部署到网站，"
                         f"而复核清单是内部材料；请省略 --out（写到 {site_dir / REPORTS_DIR}）或另选目录")
