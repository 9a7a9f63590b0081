"""The internal report page, public/_report/index.html, for the head of the office.

It is written with the site but linked from nowhere, marked noindex, left out of the
sitemap and disallowed in robots.txt. As it is still served with the rest of public/,
it shows only findings about published items and the catalogue; findings about
items that are not published are counted, never described (`gkpub check` shows them).
"""
from __future__ import annotations

from gkpub.compliance.checks import Report
from gkpub.compliance.findings import KIND_BY_ID, SEVERITY_NAMES
from gkpub.compliance.text import counts_line
from gkpub.outputs.web.render import WebRenderer

PATH = "_report/index.html"
URL = "/_report/"


def report_page(report: Report, renderer: WebRenderer) -> tuple[str, str]:
    groups = []
    for kind_id, found in report.by_kind().items():
        shown = [f for f in found if f.public]
        groups.append({"kind": KIND_BY_ID[kind_id], "severity": SEVERITY_NAMES[KIND_BY_ID[kind_id].severity],
                       "findings": shown, "hidden": len(found) - len(shown), "total": len(found)})
    html = renderer.render("report.html", report=report, groups=groups, counts_line=counts_line(report),
                           page_url=URL)
    return PATH, html
