"""更新周期: how often a column (catalogue leaf) must get a new item.

A leaf may say it itself (``更新周期: 6个月``). Accepted forms: N天 / N日, N周 /
N星期, N个月 / N月, N年, and the words 每周 (1 week), 每月 (1 month), 每季度 /
季度 (3 months), 半年 (6 months), 每年 (1 year); 不定期, 长期 and 常态 mean the column
has no period and is never reported as stale. N may be written in Chinese numerals.

Without an explicit period the defaults of inspections apply: a news-like column
(its name contains one of NEWS_WORDS, e.g. 工作动态, 工作进展) must be updated every
2 weeks, every other column (policy, notices, lists, guides) every 6 months.
"""
from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

from gkpub.content.model import Leaf
from gkpub.rules.timelimits import parse_count

Unit = Literal["days", "weeks", "months"]
NEWS_WORDS: tuple[str, ...] = ("动态", "要闻", "新闻", "进展", "快讯", "简报", "工作信息")
NO_PERIOD_WORDS: tuple[str, ...] = ("不定期", "长期", "常态")
_WORDS: dict[str, tuple[int, Unit]] = {
    "每周": (1, "weeks"), "每月": (1, "months"), "每季度": (3, "months"), "季度": (3, "months"),
    "半年": (6, "months"), "每半年": (6, "months"), "每年": (12, "months"),
}
_RX = re.compile(r"^(?:每)?(?P<n>[0-9]+|[一二两三四五六七八九十百]+)(?P<unit>个月|月|周|星期|天|日|年)$")
_UNITS: dict[str, tuple[int, Unit]] = {
    "个月": (1, "months"), "月": (1, "months"), "年": (12, "months"),
    "周": (1, "weeks"), "星期": (1, "weeks"), "天": (1, "days"), "日": (1, "days"),
}
FORMS_HINT = "可写作 2周、6个月、30天、1年、每季度、半年，或 不定期"


@dataclass(frozen=True)
class UpdatePeriod:
    n: int
    unit: Unit

    def describe(self) -> str:
        if self.unit == "months":
            return f"{self.n // 12}年" if self.n % 12 == 0 else f"{self.n}个月"
        return f"{self.n}周" if self.unit == "weeks" else f"{self.n}天"

    def due(self, last: dt.date) -> dt.date:
        """The day by which the next update is due after an update on ``last``."""
        if self.unit == "days":
            return last + dt.timedelta(days=self.n)
        if self.unit == "weeks":
            return last + dt.timedelta(weeks=self.n)
        month0 = last.month - 1 + self.n
        year, month = last.year + month0 // 12, month0 % 12 + 1
        return dt.date(year, month, min(last.day, calendar.monthrange(year, month)[1]))


NEWS_DEFAULT = UpdatePeriod(2, "weeks")
POLICY_DEFAULT = UpdatePeriod(6, "months")


def parse_update_period(text: str) -> UpdatePeriod | None:
    """The period, or None for a column without one (不定期); ValueError (Chinese) if unreadable."""
    s = re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(text)))
    s = s.removesuffix("更新").removesuffix("一次")
    if any(w in s for w in NO_PERIOD_WORDS):
        return None
    if s in _WORDS:
        n, unit = _WORDS[s]
        return UpdatePeriod(n, unit)
    m = _RX.match(s)
    n = 0
    if m:
        try:
            n = parse_count(m.group("n"))
        except ValueError:
            n = 0
    if n <= 0:
        raise ValueError(f"无法识别更新周期「{text}」；{FORMS_HINT}")
    factor, unit = _UNITS[m.group("unit")]  # type: ignore[union-attr]
    return UpdatePeriod(n * factor, unit)


def is_news_like(leaf: Leaf) -> bool:
    return any(w in leaf.name for w in NEWS_WORDS)


def leaf_period(leaf: Leaf) -> tuple[UpdatePeriod | None, str]:
    """(period, where it comes from) for a leaf; period None = never stale."""
    own = leaf.elements.get("更新周期")
    if own:
        try:
            return parse_update_period(own), "目录规定"
        except ValueError:
            pass  # reported as a content error when the catalogue is loaded
    if is_news_like(leaf):
        return NEWS_DEFAULT, "默认：动态类栏目"
    return POLICY_DEFAULT, "默认：政策、通知类栏目"
