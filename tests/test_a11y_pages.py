"""axe-core (WCAG 2.1 A/AA and axe's best practices) on one page of each kind, desktop and phone,
some in 长辈版; no sideways scrolling at 360px; the page-weight budget of item pages; stage badges."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from a11y_support import REPO, axe_source, describe, item_pages, page_kinds, page_weight, reading_context, run_axe
from browser import browser, serve

from gkpub.content.schema import STAGE_SLUGS

DESKTOP, PHONE = 1280, 360
ELDER_PAGES = ("home", "item with a table", "catalog", "stage page 2")  # also checked in 长辈版 + A+
WEIGHT_BUDGET = 60 * 1024


@pytest.fixture(scope="module")
def survey(demo_public: Path) -> dict[tuple[str, int, bool], dict]:
    """Each page kind opened once per viewport (and a few in 长辈版): axe violations, scroll width."""
    kinds = page_kinds(demo_public)
    source = axe_source()
    runs = [(k, w, False) for w in (DESKTOP, PHONE) for k in kinds]
    runs += [(k, w, True) for w in (DESKTOP, PHONE) for k in ELDER_PAGES]
    results: dict[tuple[str, int, bool], dict] = {}
    with serve(demo_public) as base, browser() as b:
        for width in (DESKTOP, PHONE):
            for elder in (False, True):
                context = reading_context(b, width, elder, source)
                page = context.new_page()
                for kind, w, e in runs:
                    if (w, e) != (width, elder):
                        continue
                    page.goto(base + kinds[kind])
                    assert ("elder" in page.evaluate("document.documentElement.className")) == elder
                    results[(kind, width, elder)] = {
                        "url": kinds[kind],
                        "violations": run_axe(page, source),
                        "scroll_width": page.evaluate("document.scrollingElement.scrollWidth"),
                    }
                context.close()
    return results


def test_axe_finds_no_violations(survey: dict) -> None:
    failures = [f"{r['url']}（{w}px{'，长辈版' if e else ''}）:\n{describe(r['violations'])}"
                for (kind, w, e), r in survey.items() if r["violations"]]
    assert not failures, "\n".join(failures)
    assert len(survey) >= 2 * 20


def test_no_sideways_scrolling_at_360px(survey: dict) -> None:
    wide = {f"{r['url']}{'（长辈版）' if e else ''}": r["scroll_width"]
            for (kind, w, e), r in survey.items() if w == PHONE and r["scroll_width"] > PHONE}
    assert not wide, f"这些页面在 360px 宽的手机上需要左右滚动：{wide}"


def test_axe_really_checks(demo_public: Path) -> None:
    """A page with a known problem (an image without alt, an unlabelled input) is caught."""
    (demo_public / "_axe-probe.html").write_text(
        '<!DOCTYPE html><html lang="zh-CN"><head><title>探针</title></head><body><main>'
        '<h1>探针</h1><img src="x.png"><input type="text"></main></body></html>', encoding="utf-8")
    try:
        with serve(demo_public) as base, browser() as b:
            page = b.new_page()
            page.goto(base + "/_axe-probe.html")
            ids = {v["id"] for v in run_axe(page, axe_source())}
    finally:
        (demo_public / "_axe-probe.html").unlink()
    assert {"image-alt", "label"} <= ids, ids


def test_item_page_weight_budget(demo_public: Path) -> None:
    """HTML + CSS + JS of every item page (the search bundle excluded) stays under 60 KB."""
    weights = {p: page_weight(demo_public, p) for p in item_pages(demo_public)}
    assert weights
    heaviest, (total, parts) = max(weights.items(), key=lambda kv: kv[1][0])
    print(f"最重的信息页 {heaviest.relative_to(demo_public)}：{total / 1024:.1f} KB {parts}")
    assert any(p.endswith("style.css") for p in parts) and any(p.endswith("a11y.js") for p in parts)
    over = {p.relative_to(demo_public).as_posix(): w for p, (w, _) in weights.items() if w >= WEIGHT_BUDGET}
    assert not over, f"超过 60 KB 的信息页：{over}"


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def test_stage_badges_carry_text_and_contrast(demo_public: Path) -> None:
    """Colour is never the only cue: every badge names its stage; white on each colour ≥ 4.5:1."""
    css = (REPO / "gkpub" / "theme" / "layouts" / "assets" / "style.css").read_text(encoding="utf-8")
    colours = dict(re.findall(r"--st-([a-z]+):\s*(#[0-9a-fA-F]{6})", css))
    assert set(colours) == set(STAGE_SLUGS.values())
    for slug, colour in colours.items():
        ratio = (1.05) / (_luminance(colour) + 0.05)
        assert ratio >= 4.5, f"阶段 {slug} 的颜色 {colour} 与白字对比度只有 {ratio:.2f}"
    home = (demo_public / "index.html").read_text(encoding="utf-8")
    badges = re.findall(r'<span class="stage stage-([a-z]+)">([^<]*)</span>', home)
    assert {slug for slug, _ in badges} == set(STAGE_SLUGS.values())
    assert all(text == {v: k for k, v in STAGE_SLUGS.items()}[slug] for slug, text in badges)
