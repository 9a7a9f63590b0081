"""Run every compliance check on a Site and gather the result."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from gkpub.compliance import annual, coverage, requests, timeliness
from gkpub.compliance.findings import KINDS, Finding
from gkpub.content.model import Site

NOT_FOR_PORTAL = ("依申请公开", "不予公开")


@dataclass
class Report:
    today: dt.date
    findings: list[Finding]
    items: int
    published: int
    leaves: int
    held_back: dict[str, int] = field(default_factory=dict)  # reason → count, as the gate says
    not_for_portal: dict[str, int] = field(default_factory=dict)  # 依申请公开 / 不予公开 → count

    def by_kind(self) -> dict[str, list[Finding]]:
        """Findings grouped by kind, in display order, kinds without findings left out."""
        out: dict[str, list[Finding]] = {}
        for kind in KINDS:
            found = [f for f in self.findings if f.kind == kind.id]
            if found:
                out[kind.id] = found
        return out

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)


def check_site(site: Site) -> Report:
    """All findings as of ``site.today`` (the build date, or ``--today``)."""
    ctx = timeliness.Context(site.items, site.published, site.today, site.config.calendar)
    found: list[Finding] = []
    found += timeliness.publication(ctx)
    found += timeliness.interpretations(ctx)
    found += timeliness.feedback(ctx)
    found += coverage.columns(ctx, site.catalog.leaves)
    found += coverage.notices(ctx)
    found += coverage.notice_rules(ctx)
    found += annual.reports(site)
    found += annual.decisions(site)
    found += requests.register_findings(site.requests, site.config.calendar, site.today)
    found.sort(key=lambda f: f.sort_key)
    counts = {a: sum(1 for i in site.items if i.attribute == a) for a in NOT_FOR_PORTAL}
    return Report(today=site.today, findings=found, items=len(site.items),
                  published=len(site.published), leaves=len(site.catalog.leaves),
                  held_back=dict(site.held_back), not_for_portal=counts)
