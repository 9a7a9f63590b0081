"""长辈版 (elder mode), the text-size switch, pages without JavaScript, and printing an item."""
from __future__ import annotations

from pathlib import Path

import pytest
from a11y_support import page_kinds
from browser import browser, serve
from pdfcheck import assert_paper, page_texts

PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def site(demo_public: Path):
    """(base URL, page kinds, browser) shared by the tests of this module."""
    with serve(demo_public) as base, browser() as b:
        yield base, page_kinds(demo_public), b


def metrics(page) -> dict[str, float]:
    return page.evaluate("""() => {
        const s = getComputedStyle(document.body);
        return {font: parseFloat(s.fontSize), line: parseFloat(s.lineHeight)};
    }""")


def test_elder_switch_enlarges_text_and_persists(site) -> None:
    base, kinds, b = site
    context = b.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(base + "/")
    normal = metrics(page)
    assert normal["font"] < 20
    switch = page.get_by_role("button", name="长辈版", exact=True)
    assert switch.is_visible()
    switch.click()
    elder = metrics(page)
    assert elder["font"] >= 20 and elder["line"] >= 1.5 * elder["font"], elder
    assert "elder" in page.evaluate("document.documentElement.className")
    assert page.get_by_role("button", name="退出长辈版").is_visible()
    assert "长辈版已开启" in page.locator("[data-a11y-status]").text_content()

    # another page, reached by following a link: still 长辈版, from the first paint
    page.locator("main .item-list a").first.click()
    page.wait_for_load_state()
    assert "/xxgk/" in page.url
    after = metrics(page)
    assert after["font"] >= 20 and after["line"] >= 1.5 * after["font"], after
    assert page.get_by_role("button", name="退出长辈版").is_visible()

    page.get_by_role("button", name="退出长辈版").click()
    assert metrics(page)["font"] == normal["font"]
    page.goto(base + kinds["stage"])
    assert metrics(page)["font"] == normal["font"]
    context.close()


def test_elder_mode_has_large_tap_targets(site) -> None:
    base, kinds, b = site
    context = b.new_context(viewport=PHONE)
    context.add_init_script("localStorage.setItem('gkpub-elder', '1')")
    page = context.new_page()
    small: list[str] = []
    checks = {
        "/": [".a11y-bar button", ".search-box input", ".search-box button", ".site-nav a",
              "main .item-list li > a", ".chips a", ".more a"],
        kinds["stage page 2"]: [".pager a", ".pager-current", ".breadcrumbs a"],
        kinds["item with attachments"]: [".print-button"],
    }
    for url, selectors in checks.items():
        page.goto(base + url)
        for sel in selectors:
            boxes = [page.locator(sel).nth(i).bounding_box() for i in range(min(page.locator(sel).count(), 6))]
            assert boxes, f"{url} 上没有 {sel}"
            small += [f"{url} {sel}: {bx['width']:.0f}×{bx['height']:.0f}" for bx in boxes
                      if bx and (bx["height"] < 47.5 or bx["width"] < 47.5)]
    assert not small, "长辈版中小于 48px 的点按目标：\n" + "\n".join(small)
    context.close()


def test_text_size_switch(site) -> None:
    base, kinds, b = site
    context = b.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(base + "/")
    standard = metrics(page)["font"]
    larger = page.get_by_role("button", name="放大字号")
    larger.click()
    bigger = metrics(page)["font"]
    assert bigger > standard
    larger.click()
    biggest = metrics(page)["font"]
    assert biggest > bigger
    assert larger.get_attribute("aria-disabled") == "true"
    larger.click(force=True)  # at the largest size (aria-disabled): nothing changes
    assert metrics(page)["font"] == biggest
    page.goto(base + kinds["guide"])  # remembered across pages
    assert metrics(page)["font"] == biggest
    page.get_by_role("button", name="标准字号").click()
    assert metrics(page)["font"] == standard
    page.get_by_role("button", name="缩小字号").click()
    assert metrics(page)["font"] < standard
    context.close()


def test_settings_apply_before_the_script_file_loads(site) -> None:
    """assets/a11y-early.js (blocking, in <head>) sets 长辈版 before the first paint; a11y.js only wires buttons."""
    base, kinds, b = site
    context = b.new_context(viewport=PHONE)
    context.add_init_script("localStorage.setItem('gkpub-elder', '1'); localStorage.setItem('gkpub-size', '2')")
    page = context.new_page()
    page.route("**/a11y.js", lambda route: route.abort())
    page.goto(base + kinds["item with a table"])
    assert set(page.evaluate("document.documentElement.className").split()) >= {"js", "elder", "fs-p2"}
    assert metrics(page)["font"] >= 20 * 1.3 - 0.5
    context.close()


def test_pages_are_readable_without_javascript(site) -> None:
    base, kinds, b = site
    context = b.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    for kind in ("home", "item with a table", "catalog", "stage page 2"):
        page.goto(base + kinds[kind])
        assert "js" not in page.evaluate("document.documentElement.className").split()
        assert not page.locator(".a11y-js").is_visible()  # the buttons need JavaScript: hidden
        assert page.get_by_role("link", name="长辈版", exact=True).is_visible()  # the link does not
        assert page.locator("main").is_visible()
        assert page.locator(".site-nav").is_visible()
        text = page.locator("main").inner_text()
        if kind == "stage page 2":  # the last page of a list may hold a single item
            assert "共" in text and page.locator("main a[href*='/xxgk/']").count() >= 1, text
        else:
            assert len(text) > 100, text
        assert metrics(page)["font"] >= 16
        assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
    page.goto(base + kinds["item with a table"])
    assert page.locator("h1.item-title").is_visible()
    assert page.locator("table.meta-block").is_visible()
    assert not page.locator(".print-button").is_visible()
    context.close()


def test_item_page_prints_on_a4_with_metadata_and_address(site, tmp_path: Path) -> None:
    base, kinds, b = site
    context = b.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script("localStorage.setItem('gkpub-elder', '1'); localStorage.setItem('gkpub-size', '2')")
    page = context.new_page()
    page.goto(base + kinds["item with a table"])
    page.emulate_media(media="print")
    for hidden in (".site-header", ".site-nav", ".site-footer", ".breadcrumbs", ".a11y-bar", ".print-button"):
        assert not page.locator(hidden).is_visible(), hidden
    for shown in ("table.meta-block", ".print-url", "h1.item-title", ".item-body"):
        assert page.locator(shown).is_visible(), shown
    assert metrics(page)["font"] == 16  # 12pt, whatever 长辈版 and A+ say on screen
    pdf = tmp_path / "item.pdf"
    page.pdf(path=str(pdf), prefer_css_page_size=True, print_background=True)
    assert_paper(pdf, 210, 297)  # @page { size: A4 }
    text = "".join(page_texts(pdf))
    assert "索引号" in text and "发布机构" in text and "本页地址" in text
    assert "qinghe.example.gov.cn" + kinds["item with a table"] in text
    assert "跳到正文" not in text and "长辈版" not in text
    context.close()


def test_keyboard_skip_link_and_visible_focus(site) -> None:
    base, kinds, b = site
    context = b.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(base + kinds["item with a table"])
    page.keyboard.press("Tab")
    focused = page.evaluate("""() => { const e = document.activeElement, s = getComputedStyle(e),
        r = e.getBoundingClientRect();
        return {text: e.textContent, top: r.top, outline: s.outlineStyle, width: parseFloat(s.outlineWidth),
                shadow: s.boxShadow}; }""")
    assert focused["text"] == "跳到正文" and focused["top"] >= 0, focused  # shown when focused
    assert focused["outline"] != "none" and focused["width"] >= 2 and focused["shadow"] != "none", focused
    page.keyboard.press("Enter")
    assert page.url.endswith("#main")
    page.keyboard.press("Tab")  # the next stop is inside the main content, not back in the header
    assert page.evaluate("!!document.activeElement.closest('main')")
    context.close()
