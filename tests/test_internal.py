"""Nothing internal is under --out: whoever deploys the output folder publishes only the portal.

Internal means: the compliance report, items that are not published (依申请公开, 不予公开,
drafts, future-dated) and anything naming them, and gkpub's own working files (cache, locks).
"""
from __future__ import annotations

from pathlib import Path

import pytest
from conftest import REPO, TODAY

from gkpub.build.builder import Builder, BuildOptions
from gkpub.content.loader import load_site
from gkpub.util.errors import UsageError

TEXT_SUFFIXES = {".html", ".xml", ".txt", ".json", ".csv", ".js", ".css"}


def _unpublished_marks() -> list[str]:
    """Titles and 索引号 of the demo items that must not be in the output."""
    site = load_site(REPO, TODAY, drafts=True, future=True)
    shown = {i.index_no for i in load_site(REPO, TODAY).published}
    marks = []
    for item in site.items:
        if item.index_no not in shown:
            marks += [item.title, item.index_no]
    return marks


def test_no_internal_file_or_text_under_out(demo_public: Path) -> None:
    marks = _unpublished_marks()
    assert len(marks) >= 8, "the demo holds back items of every kind"
    assert not (demo_public / "_report").exists()
    names = {p.name for p in demo_public.iterdir()}
    assert not names & {".cache", "reports", ".public.lock", "preview"}, names
    leaks = []
    for path in demo_public.rglob("*"):
        if not path.is_file() or path.suffix not in TEXT_SUFFIXES or "pagefind" in path.parts:
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        for needle in ("合规检查报告", "逾期公开", *marks):
            if needle in text:
                leaks.append(f"{path.relative_to(demo_public)}: {needle}")
    assert not leaks, leaks[:10]
    robots = (demo_public / "robots.txt").read_text(encoding="utf-8")
    assert "Disallow: /" not in robots, robots  # names nothing to hide


def test_the_report_is_beside_the_output(demo_public: Path) -> None:
    report = demo_public.parent / "reports" / "compliance-report.html"
    text = report.read_text(encoding="utf-8")
    assert "政务公开合规检查报告（内部）" in text and "逾期公开" in text


def test_a_report_folder_inside_the_output_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "public"
    opts = BuildOptions(site_dir=REPO, out_dir=out, today=TODAY,
                        search=False, report_dir=out / "reports")
    with pytest.raises(UsageError, match="不能写在输出目录"):
        Builder(opts).run()
    assert not out.exists()
