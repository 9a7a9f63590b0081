"""清理结果 (/xxgk/qingli/): the published items that are no longer in force, listed for residents.

An item past its 有效期至 or its 废止日期 keeps its page (marked 已失效); this page lists them
all in one place, repealed ones (废止日期) apart from lapsed ones (有效期至), newest first, so
the results of the yearly clean-up of documents can be read on the portal. Only
``Site.published`` is read: an item held back (依申请公开, 不予公开, draft, not yet due) never
appears here, whatever its dates.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from gkpub.content.model import Item, Site

URL = "/xxgk/qingli/"
PATH = "xxgk/qingli/index.html"
TITLE = "清理结果"


@dataclass(frozen=True)
class Lapsed:
    item: Item
    day: dt.date  # when it stopped being in force: the 废止日期, else the day after 有效期至
    repealed: bool


def lapsed_items(site: Site) -> tuple[list[Lapsed], list[Lapsed]]:
    """(repealed, expired): published items out of force on ``site.today``, newest first."""
    repealed: list[Lapsed] = []
    expired: list[Lapsed] = []
    for item in site.published:
        if not item.expired(site.today):
            continue
        gone = item.el.get("废止日期")
        if isinstance(gone, dt.date) and gone <= site.today:
            repealed.append(Lapsed(item, gone, True))
        else:
            expired.append(Lapsed(item, item.el["有效期至"] + dt.timedelta(days=1), False))
    for group in (repealed, expired):
        group.sort(key=lambda x: (-x.day.toordinal(), x.item.index_no))
    return repealed, expired
