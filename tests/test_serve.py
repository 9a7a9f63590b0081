"""`gkpub serve`: rebuild on save, the page reloads, errors show over the last good page."""
from __future__ import annotations

import json
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from browser import browser
from conftest import TODAY, item_text, write_item

from gkpub.build.builder import BuildOptions
from gkpub.cli.serve import serve

PAGE = "/xxgk/11530000MB00000025/2026-00001/"


@pytest.fixture
def server(mini_site: Path):
    ready, stop = threading.Event(), threading.Event()
    opts = BuildOptions(site_dir=mini_site, out_dir=mini_site / "public", today=TODAY, search=False,
                        cache_dir=mini_site / ".cache")
    thread = threading.Thread(target=serve, args=(opts,), kwargs=dict(port=0, ready=ready, stop=stop),
                              daemon=True)
    thread.start()
    assert ready.wait(30), "serve did not start"
    yield f"http://127.0.0.1:{ready.port}", mini_site  # type: ignore[attr-defined]
    stop.set()
    thread.join(timeout=30)
    assert not thread.is_alive(), "serve did not stop cleanly"


def get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as r:
        return r.read().decode("utf-8")


def state(base: str) -> dict:
    return json.loads(get(base + "/__gkpub/state"))


def wait_for(predicate, timeout: float = 5.0) -> float:
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        if predicate():
            return time.monotonic() - t0
        time.sleep(0.02)
    raise AssertionError("timed out")


def test_edit_error_and_fix(server) -> None:
    base, site = server
    html = get(base + PAGE)
    assert "关于调整高龄津贴标准的通知" in html and "/__gkpub/reload.js" in html
    assert "/__gkpub/reload.js" not in (site / "public" / PAGE.strip("/") / "index.html").read_text(encoding="utf-8")
    v0 = state(base)["version"]

    write_item(site, "policy.md", item_text(标题="关于调整高龄津贴标准的通知（修订）"))
    took = wait_for(lambda: state(base)["version"] > v0)
    assert took < 1.0, f"rebuild took {took:.2f}s"
    assert "（修订）" in get(base + PAGE)
    assert "（修订）" in get(base + "/stage/juece/"), "listings must show the edited title"

    write_item(site, "policy.md", item_text(过程="决定"))
    wait_for(lambda: state(base)["error"])
    err = state(base)["error"]
    assert "policy.md" in err and "字段「过程」" in err
    assert "（修订）" in get(base + PAGE), "the last good page must stay served"

    write_item(site, "policy.md", item_text())
    wait_for(lambda: not state(base)["error"])
    assert "（修订）" not in get(base + PAGE)


def test_unchanged_items_stay_listed_after_a_rebuild(server) -> None:
    base, site = server
    v0 = state(base)["version"]
    write_item(site, "list.md", item_text(标题="第二篇：发放名单", 索引号="11530000MB00000025/2026-00002",
                                          目录="养老服务/高龄津贴/发放名单"))
    wait_for(lambda: state(base)["version"] > v0)
    v1 = state(base)["version"]
    write_item(site, "policy.md", item_text(标题="第一篇已修改"))  # the other item is reused as it was
    wait_for(lambda: state(base)["version"] > v1)
    for page in ("/stage/jieguo/", "/domain/yanglao/gaoling/mingdan/", "/domain/yanglao/", "/"):
        assert "第二篇：发放名单" in get(base + page), page


def test_browser_reloads_and_shows_overlay(server) -> None:
    base, site = server
    with browser() as b:
        page = b.new_page()
        page.goto(base + PAGE)
        page.wait_for_timeout(400)  # the reload script has read the current version
        write_item(site, "policy.md", item_text(标题="浏览器自动刷新后的标题"))
        page.wait_for_selector("text=浏览器自动刷新后的标题", timeout=3000)
        write_item(site, "policy.md", item_text(成文日期="2026-02-30"))
        overlay = page.wait_for_selector("#gkpub-error", timeout=3000)
        assert "成文日期" in overlay.inner_text() and "这一天不存在" in overlay.inner_text()
        write_item(site, "policy.md", item_text())
        page.wait_for_selector("#gkpub-error", state="detached", timeout=3000)
