"""The [calendar] table of site.toml (its keys are checked by siteschema; this builds the calendar).

[privacy]
allow = ["13800000000"]      # numbers that may stand unmasked (e.g. a hotline that is a mobile)

[calendar]                    # see gkpub/rules/workdays.py
holidays = ["2027-01-01"]     # extra days off
workdays = ["2027-02-06"]     # extra makeup workdays (调休上班日)
years = [2027]                # years this site defines completely itself
"""
from __future__ import annotations

import re
from typing import Any

from gkpub.rules.workdays import WorkCalendar
from gkpub.util.errors import ErrorList

REL = "site.toml"


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


def load_calendar(data: dict[str, Any], text: str, errors: ErrorList) -> WorkCalendar:
    """[calendar] → WorkCalendar; a bad table is reported and the built-in tables are used."""
    try:
        return WorkCalendar.from_config(data.get("calendar"))
    except ValueError as exc:
        errors.add(REL, _table_line(text, "calendar"), "calendar", str(exc))
        return WorkCalendar()
