"""Deadline findings on the 依申请公开 register (content.requests).

- 第三十条: an unclear application gets its one-time notice to 补正 within 7 working days of
  receipt; the reply period then runs from the day the completed application comes in.
- 第三十三条: the reply comes within 20 working days of receipt; an extension, told to the
  applicant within those 20 days (延期告知日期), adds at most 20 more. An extension told after
  the period had run out does not count.

Working days are counted as for 公开时限 (rules.timelimits): the day of receipt is not counted,
the period ends on the n-th working day after it. A case still open today is late once today
is past its deadline. Verdicts come from rules.timelimits.judge, as for 公开时限: a year
without a calendar is reported only when the answer really depends on it.

Findings name the case by its body and number, never the applicant, and are never public.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from gkpub.compliance.findings import Finding
from gkpub.content.requests import Request
from gkpub.rules.timelimits import TimeLimit, Verdict, judge
from gkpub.rules.workdays import WorkCalendar

REPLY_WORKDAYS = 20
EXTENSION_WORKDAYS = 20
SUPPLEMENT_WORKDAYS = 7


def _finding(kind: str, req: Request, field: str, message: str) -> Finding:
    return Finding(kind=kind, file=req.source, line=req.line, field=field, message=message,
                   subject=req.label, public=False)


def _no_calendar(req: Request, field: str, year: int | None, what: str) -> Finding:
    return _finding("no_calendar", req, field,
                    f"{req.label}：无法判断{what}是否逾期，期限落在没有工作日历的 {year} 年；请在 site.toml 的 "
                    f"[calendar] 中补充 {year} 年的节假日和调休上班日，并在 years 中写上 {year}")


def _late_by(v: Verdict) -> str:
    return f"逾期 {v.late} 个工作日" if v.late_exact else f"至少逾期 {v.late} 个工作日"


def _due(v: Verdict) -> str:
    return f"{v.due}" if v.due_exact else f"{v.due}（期间有没有日历的年份，这是最晚的可能）"


def _supplement(req: Request, cal: WorkCalendar) -> Iterator[Finding]:
    asked = req.supplement_asked
    if asked is None:
        return
    v = judge(req.received, asked, TimeLimit("workdays", SUPPLEMENT_WORKDAYS), cal)
    if v.on_time is None:
        yield _no_calendar(req, "补正告知日期", v.missing, "补正告知")
    elif not v.on_time:
        yield _finding("request_supplement_late", req, "补正告知日期",
                       f"{req.label}：{req.received} 收到申请，应在 {SUPPLEMENT_WORKDAYS} 个工作日内（最迟 {_due(v)}）"
                       f"一次性告知补正，实际 {asked} 告知，{_late_by(v)}（条例第三十条）")


def _reply(req: Request, cal: WorkCalendar, today: dt.date) -> Iterator[Finding]:
    """第三十三条, decided as far as the calendar allows (rules.timelimits.judge)."""
    if req.supplement_asked is not None:
        if req.supplement_received is None:
            return  # waiting for the applicant: the period has not started (第三十条)
        start, start_text = req.supplement_received, f"{req.supplement_received} 收到补正后的申请"
    else:
        start, start_text = req.received, f"{req.received} 收到申请"
    answered = req.replied
    day = answered if answered is not None else today
    workdays, limit, note = REPLY_WORKDAYS, f"{REPLY_WORKDAYS}个工作日", ""
    if req.extended is not None:
        told = judge(start, req.extended, TimeLimit("workdays", REPLY_WORKDAYS), cal)
        if told.on_time is None:
            yield _no_calendar(req, "延期告知日期", told.missing, "延期告知")
            return
        if told.on_time:
            workdays = REPLY_WORKDAYS + EXTENSION_WORKDAYS
            limit = f"{REPLY_WORKDAYS}个工作日，经延期再加{EXTENSION_WORKDAYS}个工作日"
        else:
            note = f"；延期告知日期 {req.extended} 已在原期限 {_due(told)} 之后，延期不成立"
    v = judge(start, day, TimeLimit("workdays", workdays), cal)
    if v.on_time is None:
        yield _no_calendar(req, "答复日期", v.missing, "答复")
        return
    if v.on_time:
        return
    head = f"{req.label}：{start_text}，答复期限{limit}，最迟应于 {_due(v)} 答复，"
    if answered is not None:
        yield _finding("request_late", req, "答复日期",
                       f"{head}实际 {answered} 答复，{_late_by(v)}{note}（条例第三十三条）")
    else:
        yield _finding("request_late", req, "答复日期",
                       f"{head}截至 {today} 仍未答复，{_late_by(v)}{note}（条例第三十三条）；"
                       "已答复的请在登记表中填写答复日期和办理结果")


def register_findings(requests: list[Request], cal: WorkCalendar, today: dt.date) -> Iterator[Finding]:
    for req in requests:
        yield from _supplement(req, cal)
        yield from _reply(req, cal, today)
