"""`gkpub check` output: readable Chinese for a terminal, JSON for machines."""
from __future__ import annotations

import json

from gkpub.compliance.checks import Report
from gkpub.compliance.findings import KIND_BY_ID, SEVERITY_NAMES
from gkpub.util.errors import ErrorList


def counts_line(report: Report) -> str:
    """The 依申请公开 / 不予公开 counts: reported, never findings."""
    parts = [f"{k} {v} 条" for k, v in report.not_for_portal.items() if v]
    if not parts:
        return "没有依申请公开或不予公开的信息。"
    return "、".join(parts) + "：按规定不在网站发布，仅计数（不是问题）。"


def summary_line(report: Report) -> str:
    if not report.findings:
        return f"合规检查（截至 {report.today}）：未发现问题。"
    return (f"合规检查（截至 {report.today}）：发现 {len(report.findings)} 项，"
            f"其中警告 {report.count('warning')} 项、提示 {report.count('info')} 项。")


def format_text(report: Report) -> str:
    lines = [f"检查通过：{report.items} 条信息，{report.leaves} 个目录条目，未发现错误。",
             summary_line(report)]
    for kind_id, found in report.by_kind().items():
        kind = KIND_BY_ID[kind_id]
        lines.append("")
        lines.append(f"■ {kind.title}（{SEVERITY_NAMES[kind.severity]}）{len(found)} 项 —— {kind.explain}")
        for f in found:
            lines.append(f"  {f.format()}")
    lines.append("")
    lines.append(counts_line(report))
    return "\n".join(lines)


def to_json(report: Report | None, errors: ErrorList | None = None) -> str:
    """One JSON document: errors (if any) or the findings with their counts."""
    doc: dict[str, object] = {
        "ok": not errors,
        "errors": [{"file": e.path, "line": e.line, "field": e.field, "message": e.message}
                   for e in (errors.sorted() if errors else [])],
    }
    if report is not None:
        doc.update({
            "today": report.today.isoformat(),
            "items": report.items,
            "published": report.published,
            "leaves": report.leaves,
            "summary": {k: len(v) for k, v in report.by_kind().items()},
            "findings": [f.to_dict() for f in report.findings],
            "held_back": report.held_back,
            "not_for_portal": report.not_for_portal,
        })
    return json.dumps(doc, ensure_ascii=False, indent=2)
