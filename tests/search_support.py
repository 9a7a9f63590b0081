"""Helpers for the search tests: what Pagefind should have indexed, and driving /search/."""
from __future__ import annotations

import gzip
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote

import yaml

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _BodyText(HTMLParser):
    """Text inside data-pagefind-body, without data-pagefind-ignore'd parts (as Pagefind reads it)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[bool, bool]] = []  # (in body, ignored) per open element
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VOID:
            return
        names = {k for k, _ in attrs}
        body, ignored = self.stack[-1] if self.stack else (False, False)
        self.stack.append((body or "data-pagefind-body" in names, ignored or "data-pagefind-ignore" in names))

    def handle_endtag(self, tag: str) -> None:
        if tag not in VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if self.stack and self.stack[-1] == (True, False):
            self.parts.append(data)


def indexed_text(html: str) -> str:
    parser = _BodyText()
    parser.feed(html)
    return re.sub(r"\s+", "", "".join(parser.parts))


def item_texts(public: Path) -> dict[str, str]:
    """URL → indexed text of every item page."""
    out = {}
    for page in sorted(public.glob("xxgk/*/*/index.html")):
        url = "/" + page.parent.relative_to(public).as_posix() + "/"
        out[url] = indexed_text(page.read_text(encoding="utf-8"))
    return out


def expected(public: Path, term: str) -> set[str]:
    return {url for url, text in item_texts(public).items() if term in text}


def fragments(public: Path, items_only: bool = False) -> list[dict]:
    """Every record in the built index (every shard), decoded; ``items_only``: item pages only."""
    out = []
    for path in sorted((public / "pagefind").rglob("*.pf_fragment")):
        raw = gzip.decompress(path.read_bytes())
        record = json.loads(raw[len(b"pagefind_dcd"):])
        if not items_only or record["url"].startswith("/xxgk/"):
            out.append(record)
    return out


def held_back_items(repo: Path) -> list[dict]:
    """Front matter of the demo items that must never be published (不予公开, 依申请公开)."""
    out = []
    for path in sorted((repo / "content" / "items").rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        meta = yaml.safe_load(text.split("---", 2)[1])
        if meta.get("公开属性") in ("不予公开", "依申请公开"):
            out.append(meta)
    return out


# ---------------------------------------------------------------- the page
READ_HITS = """() => [...document.querySelectorAll('.search-hit')].map(li => ({
  group: li.closest('ol').dataset.group,
  match: li.dataset.match,
  data_url: li.dataset.url,
  url: new URL(li.querySelector('.search-hit-title a').href).pathname,
  title: li.querySelector('.search-hit-title a').textContent,
  stage: (li.querySelector('.stage') || {}).textContent || '',
  date: (li.querySelector('time') || {}).textContent || '',
  meta: li.querySelector('.search-hit-meta').textContent,
  marks: [...li.querySelectorAll('mark')].map(m => m.textContent.trim()),
}))"""


class SearchPage:
    """/search/ in one Chromium tab."""

    def __init__(self, page, base: str):
        self.page, self.base = page, base

    def wait(self) -> None:
        self.page.wait_for_selector('#search-form[data-state="done"]', timeout=20000)

    def _arm(self) -> None:
        self.page.evaluate("document.getElementById('search-form').dataset.state = 'waiting'")

    def open(self, query: str = "") -> None:
        search = f"?{query}" if "=" in query else f"?q={quote(query)}" if query else ""
        self.page.goto(self.base + "/search/" + search)
        self.wait()

    def type(self, text: str) -> None:
        """Type into the query box and press Enter, as a resident would."""
        box = self.page.locator("#search-q")
        box.fill("")
        box.type(text)
        self._arm()
        box.press("Enter")
        self.wait()

    def choose(self, selector: str) -> None:
        """Click a filter or sort control (by its label, as a mouse user would)."""
        self._arm()
        self.page.locator(selector).check()
        self.wait()

    def hits(self, everything: bool = True) -> list[dict]:
        while everything and self.page.is_visible("#search-more"):
            n = self.page.locator(".search-hit").count()
            self.page.click("#search-more")
            self.page.wait_for_function(f"document.querySelectorAll('.search-hit').length > {n}")
        return self.page.evaluate(READ_HITS)

    def status(self) -> str:
        return self.page.inner_text("#search-status")

    def counts(self) -> tuple[int, int]:
        """data-total and data-exact of the last search."""
        form = self.page.locator("#search-form")
        return int(form.get_attribute("data-total") or 0), int(form.get_attribute("data-exact") or 0)

    def message(self) -> str:
        return self.page.inner_text("#search-message")

    def url(self) -> str:
        from urllib.parse import unquote
        return unquote(self.page.url)


def watch_errors(page, base: str, allowed: tuple[str, ...] = (), console_ok: tuple[str, ...] = ()) -> list[str]:
    """The script errors, console errors (but 404s and ``console_ok``) and HTTP errors (but the
    favicon and URLs under ``allowed``) of a page, collected while it runs."""
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" and "404" not in m.text
            and not any(t in m.text for t in console_ok) else None)
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400
            and not r.url.startswith(allowed) and not r.url.endswith("/favicon.ico") else None)
    return errors
