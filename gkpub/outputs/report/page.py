"""The internal compliance report, for the head of the office: a file outside the output.

It is written next to the output folder (``reports/`` beside ``public/`` by default), never
into it, so whoever deploys ``public/`` cannot publish the list of late items, and robots.txt
need not name it. Being internal, it lists every finding, also those about items that are
not published. It is one self-contained HTML file (its style inline, links to the portal
absolute), readable straight from the disk.
"""
from __future__ import annotations

from pathlib import Path

from gkpub.compliance.checks import Report
from gkpub.compliance.findings import KIND_BY_ID, SEVERITY_NAMES
from gkpub.compliance.text import counts_line
from gkpub.outputs.web.render import WebRenderer

TEMPLATE = "report.html"
REPORTS_DIR = "reports"


def report_path(out_dir: Path, report_dir: Path | None = None) -> Path:
    """Where the report of a build into ``out_dir`` goes: ``reports/`` beside it, one file
    per output folder (public/ and preview/ each have their own)."""
    folder = report_dir if report_dir is not None else out_dir.parent / REPORTS_DIR
    name = "compliance-report.html" if out_dir.name == "public" else f"compliance-report-{out_dir.name}.html"
    return folder / name


def report_html(report: Report, renderer: WebRenderer) -> str:
    groups = []
    for kind_id, found in report.by_kind().items():
        kind = KIND_BY_ID[kind_id]
        groups.append({"kind": kind, "severity": SEVERITY_NAMES[kind.severity], "findings": found,
                       "total": len(found)})
    return renderer.render(TEMPLATE, report=report, groups=groups, counts_line=counts_line(report),
                           page_url="/", portal=renderer.site.config.url)
