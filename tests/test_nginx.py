"""deploy/nginx/: the configuration files run by a real nginx on 127.0.0.1, at the site root
and under /zwgk/ inside a stand-in portal, with headless Chromium walking the home page, an
item, the search and 长辈版 under the Content-Security-Policy. Missing nginx or Chromium is a
failure, never a skip: the test set-up (scripts/setup.sh with the test extras) installs them.
"""
from __future__ import annotations

import contextlib
import gzip
import json
import os
import re
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, cast

import pytest
from browser import browser
from conftest import REPO, TODAY, run
from search_support import SearchPage

from gkpub.content.markdown import render

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

# nginx and Chromium come with the test extras: not part of the fast core (-m "not browser")
pytestmark = pytest.mark.browser

NGINX_DIR = REPO / "deploy" / "nginx"
BROTLI = Path("/usr/lib/nginx/modules/ngx_http_brotli_filter_module.so")
MIME_TYPES = Path("/etc/nginx/mime.types")
SEARCH_TERM = "高龄津贴"
# files a browser would run, dropped among the attachments: nginx must hand them out as downloads
PROBES = {"probe.html": b"<!DOCTYPE html><title>x</title><script>alert(1)</script>",
          "probe.svg": b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
          "probe.js": b"alert(1)"}
SHORT, NO_CACHE, IMMUTABLE = "public, max-age=300", "no-cache", "public, max-age=31536000, immutable"


def nginx_binary() -> str:
    found = shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if os.path.exists(p)), None)
    if not found:
        raise RuntimeError("找不到 nginx：请运行 GKPUB_EXTRAS=test scripts/setup.sh（apt-get install nginx）")
    return found


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def replaced(text: str, old: str, new: str) -> str:
    """``text`` with ``old`` replaced; the file in the repo must still contain ``old``."""
    assert old in text, f"配置文件中没有「{old}」：测试与 deploy/nginx/ 不一致"
    return text.replace(old, new)


def with_brotli(text: str) -> str:
    """The commented brotli lines switched on, as the README tells an administrator to."""
    return replaced(text, "    # brotli", "    brotli")


@contextlib.contextmanager
def nginx(tmp: Path, site_conf: str, headers: str | None = None) -> Iterator[str]:
    """Run nginx (not as a daemon) with ``site_conf`` in its http block; yield its base URL."""
    assert BROTLI.is_file(), f"缺少 {BROTLI}：请运行 GKPUB_EXTRAS=test scripts/setup.sh"
    assert MIME_TYPES.is_file(), f"缺少 {MIME_TYPES}（nginx 的 nginx-common 软件包）"
    conf = tmp / "conf"
    (conf / "snippets").mkdir(parents=True, exist_ok=True)
    (conf / "snippets" / "gkpub-headers.conf").write_text(
        headers if headers is not None else (NGINX_DIR / "gkpub-headers.conf").read_text(encoding="utf-8"),
        encoding="utf-8")
    port = free_port()
    (conf / "site.conf").write_text(site_conf.replace("@PORT@", str(port)), encoding="utf-8")
    temp = "\n".join(f"    {name}_temp_path {tmp / ('temp-' + name)};"
                     for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    # as root (CI), workers would drop to nobody, who cannot read pytest's 0700 tmp folders
    user = "user root;\n" if os.geteuid() == 0 else ""
    (conf / "nginx.conf").write_text(f"""\
{user}load_module {BROTLI};
daemon off;
worker_processes 1;
pid {tmp / 'nginx.pid'};
error_log {tmp / 'error.log'} warn;
events {{ worker_connections 64; }}
http {{
    include {MIME_TYPES};
    default_type application/octet-stream;
    access_log off;
    sendfile on;
{temp}
    include site.conf;
}}
""", encoding="utf-8")
    args = [nginx_binary(), "-p", str(tmp), "-c", str(conf / "nginx.conf"), "-e", str(tmp / "error.log")]
    check = subprocess.run([*args, "-t"], capture_output=True, text=True)
    assert check.returncode == 0, f"nginx -t 失败：\n{check.stderr}\n{site_conf}"
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 10
        while True:
            assert proc.poll() is None, f"nginx 退出了：{proc.stdout.read() if proc.stdout else ''}"
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.2):
                break
            assert time.monotonic() < deadline, "nginx 10 秒内没有开始监听"
            time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log = (tmp / "error.log").read_text(encoding="utf-8", errors="replace") if (tmp / "error.log").exists() else ""
        assert "[emerg]" not in log and "[crit]" not in log, log


def root_conf(public: Path) -> str:
    text = (NGINX_DIR / "gkpub.conf").read_text(encoding="utf-8")
    text = replaced(text, "    listen 80;\n", "    listen 127.0.0.1:@PORT@;\n")
    text = replaced(text, "    listen [::]:80;\n", "")
    text = replaced(text, "root /srv/gkpub/public;", f"root {public};")
    return with_brotli(text)


def portal_conf(tmp: Path, parent: Path) -> str:
    """A stand-in district portal: its own root, headers and a cache rule for every .css/.js
    (as portals have), with gkpub-zwgk.conf included as the README says."""
    snippet = (NGINX_DIR / "gkpub-zwgk.conf").read_text(encoding="utf-8")
    snippet = with_brotli(replaced(snippet, "root /srv/gkpub;", f"root {parent};"))
    (tmp / "conf" / "snippets").mkdir(parents=True, exist_ok=True)
    (tmp / "conf" / "snippets" / "gkpub-zwgk.conf").write_text(snippet, encoding="utf-8")
    portal = tmp / "portal"
    portal.mkdir()
    (portal / "index.html").write_text("<!DOCTYPE html><title>门户</title><p>区政府门户</p>", encoding="utf-8")
    return f"""\
server {{
    listen 127.0.0.1:@PORT@;
    root {portal};
    add_header X-Portal "1";
    location ~* \\.(css|js)$ {{
        expires 30d;
    }}
    include snippets/gkpub-zwgk.conf;
}}
"""


def copy_site(dst: Path, base_url: str) -> Path:
    """The demo district's sources with another base_url."""
    skip = {".git", "node_modules", "gkpub", "gkpub.egg-info", "tests", "benchmarks", "scripts", "deploy",
            "docs", "public", "reports", "build", "dist"}
    dst.mkdir(parents=True)
    for entry in REPO.iterdir():
        if entry.name in skip or entry.name.startswith(".") or entry.suffix == ".md":
            continue
        if entry.is_dir():
            shutil.copytree(entry, dst / entry.name)
        else:
            shutil.copy2(entry, dst / entry.name)
    toml = dst / "site.toml"
    text, n = re.subn(r'(?m)^base_url\s*=\s*"[^"]*"', f'base_url = "{base_url}"', toml.read_text(encoding="utf-8"))
    assert n == 1
    toml.write_text(text, encoding="utf-8")
    return dst


def add_probes(public: Path) -> str:
    """The probe files in one item's attachment folder; returns that folder's path in the site."""
    folder = next(p.parent for p in sorted((public / "files").rglob("*")) if p.is_file())
    for name, data in PROBES.items():
        (folder / name).write_bytes(data)
    return "/" + folder.relative_to(public).as_posix() + "/"


@dataclass
class Mount:
    name: str
    base: str  # the portal's address, e.g. http://127.0.0.1:8080/zwgk
    public: Path
    probes: str  # the folder of the probe files, from the site's root (/files/…/)
    pdf: str  # an ordinary attachment

    def url(self, path: str) -> str:
        return self.base + path


@pytest.fixture(scope="module")
def root_public(demo_public: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    public = tmp_path_factory.mktemp("nginx-root") / "public"
    shutil.copytree(demo_public, public)  # a copy: the probes must not reach the shared build
    return public


@pytest.fixture(scope="module")
def zwgk_public(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("nginx-zwgk")
    site = copy_site(tmp / "site", "https://www.qinghe.example.gov.cn/zwgk/")
    out = tmp / "www" / "zwgk"  # the folder's name is the path, as gkpub-zwgk.conf says
    assert run("build", "--site", str(site), "--out", str(out), "--today", TODAY.isoformat()) == 0
    return out


def _mount(name: str, base: str, public: Path) -> Mount:
    probes = add_probes(public)
    pdf = next(p for p in sorted((public / "files").rglob("*.pdf")))
    return Mount(name, base, public, probes, "/" + pdf.relative_to(public).as_posix())


@pytest.fixture(scope="module", params=["root", "zwgk"])
def mount(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Mount]:
    tmp = tmp_path_factory.mktemp(f"nginx-run-{request.param}")
    if request.param == "root":
        public: Path = request.getfixturevalue("root_public")
        with nginx(tmp, root_conf(public)) as base:
            yield _mount("root", base, public)
    else:
        public = request.getfixturevalue("zwgk_public")
        with nginx(tmp, portal_conf(tmp, public.parent)) as base:
            yield _mount("zwgk", base + "/zwgk", public)


# ---------------------------------------------------------------- HTTP, header by header

@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes

    def header(self, name: str) -> str:
        return self.headers.get(name.lower(), "")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def fetch(url: str, encoding: str = "identity") -> Reply:
    request = urllib.request.Request(url, headers={"Accept-Encoding": encoding})
    try:
        with _OPENER.open(request, timeout=10) as r:
            return Reply(r.status, {k.lower(): v for k, v in r.headers.items()}, r.read())
    except urllib.error.HTTPError as e:
        return Reply(e.code, {k.lower(): v for k, v in e.headers.items()}, e.read())


def assert_security_headers(reply: Reply, what: str) -> None:
    csp = reply.header("Content-Security-Policy")
    directives = {d.split()[0]: d.split()[1:] for d in csp.split(";") if d.strip()}
    assert directives.get("default-src") == ["'none'"], (what, csp)
    assert directives.get("script-src") == ["'self'", "'wasm-unsafe-eval'"], (what, csp)
    assert directives.get("style-src") == ["'self'"], (what, csp)
    assert directives.get("frame-ancestors") == ["'self'"], (what, csp)
    assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp, (what, csp)
    assert reply.header("X-Content-Type-Options") == "nosniff", what
    assert reply.header("Referrer-Policy") == "strict-origin-when-cross-origin", what
    assert reply.header("X-Frame-Options") == "SAMEORIGIN", what
    assert reply.header("X-Portal") == "", f"{what}: 门户的响应头不应带到 gkpub 页面"


def assert_data_headers(reply: Reply, what: str) -> None:
    """The index's data, fetched only by the search page: nosniff, none of a page's headers (a
    first search fetches some 40 such files; those headers would be 16 KB of it for nothing)."""
    assert reply.header("X-Content-Type-Options") == "nosniff", what
    for name in ("Content-Security-Policy", "X-Frame-Options", "Referrer-Policy", "Permissions-Policy"):
        assert reply.header(name) == "", (what, name)
    assert reply.header("X-Portal") == "", f"{what}: 门户的响应头不应带到 gkpub 页面"


def test_pages_carry_the_security_headers_and_are_revalidated(mount: Mount) -> None:
    for path in ("/", "/search/", "/catalog/", "/feed.xml"):
        reply = fetch(mount.url(path))
        assert reply.status == 200, path
        assert_security_headers(reply, path)
        assert reply.header("Cache-Control") == NO_CACHE, path
        assert reply.header("ETag") and reply.header("Last-Modified"), path
    home = fetch(mount.url("/"))
    assert home.header("Content-Type") == "text/html; charset=utf-8"
    assert "/search/" in home.body.decode("utf-8")


def test_assets_and_pagefind_cache(mount: Mount) -> None:
    style = fetch(mount.url("/assets/style.css"))
    assert style.status == 200 and style.header("Content-Type") == "text/css; charset=utf-8"
    assert style.header("Cache-Control") == SHORT  # unversioned addresses: five minutes only
    assert style.header("Expires") == ""  # not the portal's 30-day rule for .css
    assert_security_headers(style, "style.css")
    manifest = json.loads((mount.public / "pagefind" / "gkpub-search.json").read_text(encoding="utf-8"))
    a_shard = manifest["bundles"][1]  # /pagefind/s-…/ (one shard, s-_all-0, for a small site)
    for path in ("/pagefind/pagefind.js", "/pagefind/pagefind-worker.js", "/pagefind/wasm.unknown.pagefind"):
        reply = fetch(mount.url(path))
        assert reply.status == 200 and reply.header("Cache-Control") == SHORT, path
        assert_security_headers(reply, path)  # the worker runs under the CSP of its own response
    for path in ("/pagefind/pagefind-entry.json", "/pagefind/gkpub-search.json", a_shard + "pagefind-entry.json"):
        reply = fetch(mount.url(path))
        assert reply.status == 200 and reply.header("Cache-Control") == SHORT, path
        assert_data_headers(reply, path)
    hashed = [p for p in sorted((mount.public / "pagefind").rglob("*"))
              if p.is_file() and (p.suffix == ".pf_meta" or p.parent.name in ("index", "fragment", "filter"))]
    assert {p.parent.name for p in hashed} >= {"pagefind", "index", "fragment", "filter"}
    shard = [p for p in hashed if p.relative_to(mount.public / "pagefind").parts[0].startswith("s")]
    assert shard, "没有分片索引（/pagefind/s-…/）"  # the sharded layout: hashed files one folder deeper
    hashed += [mount.public / "pagefind" / f for f in manifest["words"]["files"]]  # the word directory
    shard_dates = sorted((mount.public / a_shard.strip("/")).glob("dates-*.json"))
    assert len(shard_dates) == 1
    hashed.append(shard_dates[0])  # the shard's date table
    assert (mount.public / a_shard.strip("/") / "gkpub-shard.json").is_file()
    assert fetch(mount.url(a_shard + "gkpub-shard.json")).status == 404  # the build's own notes on a shard
    for p in (hashed[0], hashed[-2], hashed[-1], next(p for p in hashed if p.suffix == ".pf_meta"),
              next(p for p in shard if p.suffix == ".pf_meta"), shard[-1]):
        path = "/" + p.relative_to(mount.public).as_posix()
        reply = fetch(mount.url(path))
        assert reply.status == 200 and reply.header("Cache-Control") == IMMUTABLE, path
        assert reply.body == p.read_bytes()
        assert_data_headers(reply, path)


def test_text_is_compressed_with_gzip_and_brotli(mount: Mount) -> None:
    raw = (mount.public / "assets" / "style.css").read_bytes()
    zipped = fetch(mount.url("/assets/style.css"), "gzip")
    assert zipped.header("Content-Encoding") == "gzip" and gzip.decompress(zipped.body) == raw
    assert "Accept-Encoding" in zipped.header("Vary")
    br = fetch(mount.url("/"), "br")
    assert br.header("Content-Encoding") == "br" and 0 < len(br.body) < len(fetch(mount.url("/")).body) / 2
    chunk = next((mount.public / "pagefind" / "fragment").iterdir())  # compressed already: left as it is
    path = "/" + chunk.relative_to(mount.public).as_posix()
    assert fetch(mount.url(path), "gzip, br").header("Content-Encoding") == ""


def test_missing_pages_get_the_404_page(mount: Mount) -> None:
    page_404 = (mount.public / "404.html").read_bytes()
    for path in ("/no-such-page/", "/assets/no-such.css", "/pagefind/index/no-such.pf_index",
                 "/.gkpub-manifest.sha256", "/.gkpub-output"):
        reply = fetch(mount.url(path))
        assert reply.status == 404, path
        assert reply.body == page_404, path  # the site's own page, with its links under the mount
        assert_security_headers(reply, path)
    prefix = "/zwgk" if mount.name == "zwgk" else ""
    assert f'href="{prefix}/assets/style.css"'.encode() in page_404


def test_a_folder_without_its_slash_redirects_within_the_mount(mount: Mount) -> None:
    reply = fetch(mount.url("/search"))
    prefix = "/zwgk" if mount.name == "zwgk" else ""
    assert reply.status == 301 and reply.header("Location") == f"{prefix}/search/"
    if mount.name == "zwgk":
        bare = fetch(mount.base)
        assert bare.status == 301 and bare.header("Location") == "/zwgk/"


def test_attachments_a_browser_would_run_are_downloads(mount: Mount) -> None:
    for name in PROBES:
        reply = fetch(mount.url(mount.probes + name))
        assert reply.status == 200, name
        assert reply.header("Content-Disposition") == "attachment", name
        assert reply.header("Content-Type") == "application/octet-stream", name
        assert_security_headers(reply, name)
    pdf = fetch(mount.url(mount.pdf))
    assert pdf.status == 200 and pdf.header("Content-Type") == "application/pdf"
    assert pdf.header("Content-Disposition") == ""  # an ordinary attachment opens in the browser


def test_the_portal_keeps_its_own_pages(mount: Mount) -> None:
    if mount.name != "zwgk":
        return
    portal = fetch(mount.base.removesuffix("/zwgk") + "/")
    assert portal.status == 200 and "区政府门户" in portal.body.decode("utf-8")
    assert portal.header("X-Portal") == "1" and portal.header("Content-Security-Policy") == ""
    # the internal report beside the output (www/reports/) is not reachable through the mount
    report = mount.public.parent / "reports" / "compliance-report-zwgk.html"
    assert report.is_file()
    for path in ("/../reports/compliance-report-zwgk.html", "/%2e%2e/reports/compliance-report-zwgk.html"):
        assert fetch(mount.url(path)).status == 404, path


# ---------------------------------------------------------------- the browser, under the CSP

# Every violation of the policy in the page, reported to Python (kept across navigations).
WATCH_CSP = """document.addEventListener('securitypolicyviolation', e => window.__gkpubCsp(
  e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' at ' + e.sourceFile + ':' + e.lineNumber));"""


def _favicon(url: str) -> bool:
    """Chromium asks every site for /favicon.ico; the portal has none (not a page's error)."""
    return url.endswith("/favicon.ico")


@dataclass
class Watch:
    problems: list[str] = field(default_factory=list)
    workers: list[str] = field(default_factory=list)


def watched_page(b: object, watch: Watch) -> Page:
    context = cast("Browser", b).new_context(viewport={"width": 1280, "height": 900})
    context.expose_function("__gkpubCsp", lambda v: watch.problems.append(f"CSP: {v}"))
    context.add_init_script(WATCH_CSP)
    page = context.new_page()
    page.on("console", lambda m: watch.problems.append(f"console {m.type}: {m.text} ({m.location.get('url')})")
            if m.type in ("error", "warning") and not _favicon(m.location.get("url", "")) else None)
    page.on("pageerror", lambda e: watch.problems.append(f"pageerror: {e}"))
    page.on("response", lambda r: watch.problems.append(f"HTTP {r.status} {r.url}")
            if r.status >= 400 and not _favicon(r.url) else None)
    page.on("worker", lambda w: watch.workers.append(w.url))
    return page


def test_chromium_walks_the_portal_under_the_csp(mount: Mount) -> None:
    watch = Watch()
    with browser() as b:
        page = watched_page(b, watch)
        home = page.goto(mount.url("/"))
        assert home is not None and home.status == 200
        assert "script-src 'self'" in home.headers["content-security-policy"]
        assert page.locator(".a11y-bar").is_visible()  # a11y-early.js ran: the settings bar shows
        # an item, reached from the home page
        page.locator("main a[href*='/xxgk/']").first.click()
        page.wait_for_load_state()
        assert "/xxgk/" in page.url and page.locator("main h1").count() == 1
        # the search: Pagefind's module, worker and wasm under the policy
        search = SearchPage(page, mount.base)
        search.open()
        search.type(SEARCH_TERM)
        hits = search.hits(everything=False)
        assert hits, f"检索「{SEARCH_TERM}」没有结果：{watch.problems}"
        prefix = "/zwgk" if mount.name == "zwgk" else ""
        # items and the fixed pages (规章制度, 指南) are found; every address carries the mount
        assert any(h["url"].startswith(prefix + "/xxgk/") for h in hits), [h["url"] for h in hits]
        stray = [h["url"] for h in hits if not h["url"].startswith(prefix + "/")
                 or (prefix and h["url"].startswith(prefix + prefix + "/"))]
        assert not stray, stray
        assert any(w.endswith("/pagefind/pagefind-worker.js") for w in watch.workers), watch.workers
        page.locator(".search-hit-title a").first.click()
        page.wait_for_load_state()
        assert page.url.startswith(mount.url("/xxgk/"))
        # 长辈版: switched on, then still on (from the first paint) on the next pages
        font = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
        page.get_by_role("button", name="长辈版", exact=True).click()
        assert "elder" in page.evaluate("document.documentElement.className").split()
        assert page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") > font
        page.get_by_role("link", name="公开指南").first.click()
        page.wait_for_load_state()
        assert page.url == mount.url("/guide/")
        assert "elder" in page.evaluate("document.documentElement.className").split()
        assert page.get_by_role("button", name="退出长辈版").is_visible()
        search.open(SEARCH_TERM)  # the search in 长辈版, from the address
        assert "elder" in page.evaluate("document.documentElement.className").split()
        assert search.hits(everything=False)
    assert not watch.problems, "\n".join(watch.problems)


# ---------------------------------------------------------------- the checks can fail

def _probe_page(public: Path) -> str:
    (public / "_csp-probe.html").write_text(
        '<!DOCTYPE html><html lang="zh-CN"><head><title>探针</title><script>window.inline = 1</script>'
        '</head><body><p style="color:red" id="p">探针</p></body></html>', encoding="utf-8")
    return "/_csp-probe.html"


def test_the_policy_blocks_inline_script_and_style(root_public: Path, tmp_path: Path) -> None:
    """What the walk above watches for is really reported: the policy on, inline code off."""
    path = _probe_page(root_public)
    watch = Watch()
    try:
        with nginx(tmp_path, root_conf(root_public)) as base, browser() as b:
            page = watched_page(b, watch)
            page.goto(base + path)
            page.wait_for_timeout(200)
            assert page.evaluate("window.inline") is None
            assert page.evaluate("getComputedStyle(document.getElementById('p')).color") != "rgb(255, 0, 0)"
    finally:
        (root_public / path.lstrip("/")).unlink()
    kinds = " ".join(watch.problems)
    assert "CSP: script-src-elem inline" in kinds and "CSP: style-src-attr inline" in kinds, watch.problems


def test_search_needs_wasm_unsafe_eval(root_public: Path, tmp_path: Path) -> None:
    """Without 'wasm-unsafe-eval' Pagefind cannot compile its wasm: the search fails. So the
    policy carries it (and nothing wider: no 'unsafe-eval')."""
    headers = replaced((NGINX_DIR / "gkpub-headers.conf").read_text(encoding="utf-8"),
                       "script-src 'self' 'wasm-unsafe-eval';", "script-src 'self';")
    watch = Watch()
    with nginx(tmp_path, root_conf(root_public), headers=headers) as base, browser() as b:
        page = watched_page(b, watch)
        page.goto(base + "/search/?q=" + SEARCH_TERM)
        page.wait_for_timeout(3000)
        shown = page.locator(".search-hit").count()
    assert shown == 0
    # Chromium names the worker's compile (it runs under its own response's policy, which nginx sends)
    assert any("WebAssembly.instantiate" in p and "pagefind-worker.js" in p for p in watch.problems), watch.problems


# ---------------------------------------------------------------- the pages need no 'unsafe-inline'

INLINE = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\sstyle=|\son[a-z]+\s*=", re.I)


def test_no_page_has_inline_script_or_style(demo_public: Path) -> None:
    pages = sorted(demo_public.rglob("*.html"))
    assert len(pages) > 100
    found = {p.relative_to(demo_public).as_posix(): m.group(0)
             for p in pages if (m := INLINE.search(p.read_text(encoding="utf-8")))}
    assert not found, found


def test_table_alignment_is_a_class_not_a_style() -> None:
    html = render("| 项目 | 金额 | 备注 |\n| :-- | --: | :-: |\n| 津贴 | 100 | 按月 |\n")
    assert "style=" not in html
    assert '<th scope="col" class="align-right">金额</th>' in html and '<td class="align-center">按月</td>' in html
