"""Previews (--drafts, --future) never touch the deployable output: they go to preview/ by
default, refuse public/, and every page they make says 「预览，未发布」 and noindex."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from a11y_support import REPO, axe_source, describe, reading_context, run_axe, run_vnu
from browser import browser, serve
from conftest import TODAY, item_text, run, tree_digest, write_item

from gkpub.store.outguard import OUTPUT_MARKER, marker_bytes

BANNER = "预览，未发布"
NOINDEX = '<meta name="robots" content="noindex,nofollow">'
DRAFT = "尚未定稿的高龄津贴调整方案"
FUTURE = "下月发布的高龄津贴工作安排"
DRAFT_INDEX = "11530000MB00000025/2026-00002"
FUTURE_INDEX = "11530000MB00000025/2026-00003"


@pytest.fixture
def site(mini_site: Path) -> Path:
    write_item(mini_site, "draft.md", item_text(标题=DRAFT, 索引号=DRAFT_INDEX, 草稿="true"))
    write_item(mini_site, "future.md", item_text(标题=FUTURE, 索引号=FUTURE_INDEX,
                                                 成文日期="2026-11-20", 发布日期="2026-12-21"))
    return mini_site


def build(site: Path, *extra: str) -> int:
    return run("build", "--site", str(site), "--today", TODAY.isoformat(), "--no-search", *extra)


def html_pages(out: Path) -> list[Path]:
    pages = sorted(out.rglob("*.html"))
    assert len(pages) > 10
    return pages


def mentions(out: Path, text: str) -> list[str]:
    return [p.relative_to(out).as_posix() for p in sorted(out.rglob("*")) if p.is_file()
            and text.encode() in p.read_bytes()]


def test_preview_goes_to_its_own_folder_and_public_stays_untouched(site: Path) -> None:
    public, preview = site / "public", site / "preview"
    assert build(site, "--drafts") == 0
    assert not public.exists()  # a preview before any real build creates no public/
    assert (preview / "xxgk" / DRAFT_INDEX / "index.html").is_file()
    assert mentions(preview, DRAFT) and not mentions(preview, FUTURE)

    assert build(site) == 0
    assert mentions(public, DRAFT) == [] and mentions(public, FUTURE) == []
    before = tree_digest(public)
    stat_before = {p: p.stat().st_mtime_ns for p in public.rglob("*")}
    assert build(site, "--future") == 0
    assert build(site, "--drafts", "--future") == 0
    assert tree_digest(public) == before  # not one byte of the deployable site changed
    assert {p: p.stat().st_mtime_ns for p in public.rglob("*")} == stat_before  # not even rewritten
    assert (preview / "xxgk" / FUTURE_INDEX / "index.html").is_file()
    assert (preview / "xxgk" / DRAFT_INDEX / "index.html").is_file()
    assert (preview / OUTPUT_MARKER).read_bytes() == marker_bytes(True)
    assert (public / OUTPUT_MARKER).read_bytes() == marker_bytes(False)


def test_every_preview_page_is_stamped_and_no_real_page_is(site: Path) -> None:
    assert build(site, "--drafts", "--future") == 0
    assert build(site) == 0
    unstamped = [p.name for p in html_pages(site / "preview")
                 if BANNER not in (t := p.read_text(encoding="utf-8")) or NOINDEX not in t]
    assert unstamped == []
    home = (site / "preview" / "index.html").read_text(encoding="utf-8")
    assert home.index(NOINDEX) < home.index("</head>") < home.index(BANNER) < home.index('id="main"')
    stamped = [p.relative_to(site / "public").as_posix() for p in html_pages(site / "public")
               if BANNER in (t := p.read_text(encoding="utf-8")) or NOINDEX in t]
    assert stamped == []
    assert (site / "preview" / "robots.txt").read_text(encoding="utf-8") == "User-agent: *\nDisallow: /\n"
    assert "Disallow: /\n" not in (site / "public" / "robots.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize("flag", ["--drafts", "--future"])
def test_preview_refuses_the_deployable_output(site: Path, tmp_path: Path, capsys, flag: str) -> None:
    capsys.readouterr()
    assert build(site, flag, "--out", str(site / "public")) == 2  # even before public/ exists
    err = capsys.readouterr().err
    assert "预览生成" in err and "不能写入正式输出目录" in err and str(site / "preview") in err, err
    assert not (site / "public").exists()

    deploy = tmp_path / "www"
    assert build(site, "--out", str(deploy)) == 0
    before = tree_digest(deploy)
    assert build(site, flag, "--out", str(deploy)) == 2  # any folder that holds a real site
    assert "不能写入正式输出目录" in capsys.readouterr().err
    assert tree_digest(deploy) == before


def test_real_build_refuses_a_preview_folder(site: Path, tmp_path: Path, capsys) -> None:
    elsewhere = tmp_path / "draft-review"
    assert build(site, "--drafts", "--out", str(elsewhere)) == 0
    assert (elsewhere / OUTPUT_MARKER).read_bytes() == marker_bytes(True)
    assert build(site, "--drafts", "--out", str(elsewhere)) == 0  # a preview into a preview: fine
    capsys.readouterr()
    for out in (elsewhere, site / "preview"):
        assert build(site, "--out", str(out)) == 2
        assert "预览目录" in capsys.readouterr().err
    assert mentions(elsewhere, DRAFT)  # left as it was


def test_serve_drafts_previews_into_preview(site: Path) -> None:
    """The real command in a process of its own: it serves preview/, and public/ never appears."""
    proc = subprocess.Popen([sys.executable, "-m", "gkpub", "serve", "--drafts", "--site", str(site),
                             "--port", "0", "--today", TODAY.isoformat()],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=REPO,
                            env=dict(os.environ, PYTHONUNBUFFERED="1"))
    try:
        deadline, line = time.monotonic() + 60, ""
        while "预览地址" not in line:
            assert time.monotonic() < deadline and proc.poll() is None, line
            line = proc.stdout.readline()  # type: ignore[union-attr]
        base = line.split("http://", 1)[1].split("/", 1)[0]
        with urllib.request.urlopen(f"http://{base}/xxgk/{DRAFT_INDEX}/", timeout=10) as r:
            page = r.read().decode("utf-8")
        assert DRAFT in page and BANNER in page and NOINDEX in page
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=30)
    assert not (site / "public").exists()
    assert (site / "preview" / "xxgk" / DRAFT_INDEX / "index.html").is_file()


# ------------------------------------------------------------- the banner is accessible

@pytest.fixture(scope="module")
def demo_preview(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("preview") / "preview"
    assert run("build", "--site", str(REPO), "--out", str(out), "--today", TODAY.isoformat(),
               "--no-search", "--drafts", "--future") == 0
    return out


def test_preview_pages_pass_axe(demo_preview: Path) -> None:
    """The banner keeps every page within WCAG 2.1 AA and axe's best practices (contrast,
    landmarks), on desktop, phone and in 长辈版 with larger text."""
    addresses = ["/", "/catalog/", "/stage/jieguo/page/2/", "/404.html",
                 "/" + next(demo_preview.glob("xxgk/*/*/index.html")).relative_to(demo_preview).parent.as_posix() + "/"]
    source = axe_source()
    failures = []
    with serve(demo_preview) as base, browser() as b:
        for width, elder in ((1280, False), (360, False), (360, True)):
            context = reading_context(b, width, elder, source, size="2")
            page = context.new_page()
            for address in addresses:
                page.goto(base + address)
                banner = page.locator(".preview-banner")
                assert banner.is_visible() and BANNER in banner.inner_text()
                violations = run_axe(page, source)
                if violations:
                    failures.append(f"{address}（{width}px{'，长辈版' if elder else ''}）:\n{describe(violations)}")
                assert page.evaluate("document.scrollingElement.scrollWidth") <= max(width, 360)
            context.close()
    assert not failures, "\n".join(failures)


def test_preview_pages_are_valid_html(demo_preview: Path) -> None:
    errors = [m for m in run_vnu([demo_preview]) if m["type"] in ("error", "non-document-error")]
    assert not errors, "\n".join(f"{m.get('url', '')[-70:]}:{m.get('lastLine', '')}: {m['message']}"
                                 for m in errors[:30])
