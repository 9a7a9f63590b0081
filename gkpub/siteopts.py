"""Optional site.toml tables used by the compliance checks: [privacy] and [calendar].

[privacy]
allow = ["13800000000"]      # numbers that may stand unmasked (e.g. a hotline that is a mobile)

[calendar]                    # see gkpub/workdays.py
holidays = ["2027-01-01"]     # extra days off
workdays = ["2027-02-06"]     # extra makeup workdays (调休上班日)
years = [2027]                # years this site defines completely itself
"""
from __future__ import annotations

import re
from typing import Any

from .errors import ErrorList, allowed_list, did_you_mean
from .workdays import WorkCalendar

REL = "site.toml"
PRIVACY_KEYS = ("allow",)


def _table_line(text: str, table: str, key: str = "") -> int:
    """Line of ``key =`` inside ``[table]`` (or of the table header); 0 if not found."""
    head = re.search(rf"^[ \t]*\[[ \t]*{re.escape(table)}[ \t]*\]", text, re.M)
    if head is None:
        return 0
    start = head.start()
    if key:
        nxt = re.search(r"^[ \t]*\[", text[head.end():], re.M)
        end = head.end() + nxt.start() if nxt else len(text)
        m = re.compile(rf'^[ \t]*"?{re.escape(key)}"?[ \t]*=', re.M).search(text, head.end(), end)
        if m:
            start = m.start()
    return text.count("\n", 0, start) + 1


def load_privacy_allow(data: dict[str, Any], text: str, errors: ErrorList) -> tuple[str, ...]:
    """[privacy] allow = [...]: exact numbers the personal-data scan lets pass."""
    table = data.get("privacy")
    if table is None:
        return ()
    if not isinstance(table, dict):
        errors.add(REL, _table_line(text, "privacy"), "privacy",
                   '应是一个表：[privacy] 下写 allow = ["公开的热线号码", …]')
        return ()
    for k in table:
        if k not in PRIVACY_KEYS:
            errors.add(REL, _table_line(text, "privacy", k), f"privacy.{k}",
                       f"未知的配置项；{did_you_mean(k, PRIVACY_KEYS)}可用：{allowed_list(PRIVACY_KEYS)}")
    allow = table.get("allow", [])
    if not isinstance(allow, list) or not all(isinstance(a, str) and a.strip() for a in allow):
        errors.add(REL, _table_line(text, "privacy", "allow"), "privacy.allow",
                   '应是文字列表，每项是允许不遮蔽的号码原文，如 allow = ["13800000000"]')
        return ()
    return tuple(a.strip() for a in allow)


def load_calendar(data: dict[str, Any], text: str, errors: ErrorList) -> WorkCalendar:
    """[calendar] → WorkCalendar; a bad table is reported and the built-in tables are used."""
    try:
        return WorkCalendar.from_config(data.get("calendar"))
    except ValueError as exc:
        errors.add(REL, _table_line(text, "calendar"), "calendar", str(exc))
        return WorkCalendar()
