"""Search recall through the real /search/ page: what a resident gets for a fixed list of queries.

    python benchmarks/search_recall.py --items 2000 [--reuse DIR] [--json] [--work DIR]

The corpus is benchmarks/gen_corpus.py's (``--items``), built by gkpub with search on into
DIR/site and DIR/public (``--reuse DIR``: an existing DIR/public is used as it is). The site is
served on 127.0.0.1 by nginx with deploy/nginx/gkpub.conf as shipped (gzip on; ``--server
python``: Python's http.server, no compression), started and stopped here, and every query is
opened as /search/?q=… in a fresh headless Chromium context (empty cache), as a resident's
first search. For each query it reads what the page shows (the status line with its count,
the ten results drawn, the 「没有找到」 notice) and the page's own list of every hit behind
the 「加载更多」 button (window.gkpubHits: Pagefind page ids and their labels, mapped to URLs
through the bundle's fragment files). For queries with few hits it also clicks 「加载更多」 to
the end and checks that the drawn list is that list.

Truth comes from the built pages, not from the index: every published item page (and fixed
page: 指南, 制度, 年报, 联系我们) whose visible text contains the query, where the visible text
of an item is its title, 文号 line, notices, body and attachments plus the 发布机构, 文号 and
索引号 its header shows (the other header cells — 主题分类, dates, 公开属性 — and hidden
elements, such as the 关键词 line, are not searched text). Text and query are compared after
NFKC, lower-casing and removing whitespace.

Printed per query: truth count, found (labelled exact), recall, exact vs related counts,
precision@10 (of the ten results drawn first, how many contain the query, out of the
ten or of all the pages that contain it when fewer: 100 % = as good as it can be), bytes downloaded
until the results are drawn (all of it / of it under /pagefind/), and for a query that no page
contains whether the page says 「没有找到」 (and what it suggests).

Exit status 1 if a query that some page contains has recall < 100 %, or a page that contains
the whole query is labelled related (「相关」), or a query no page contains lists results or
no notice; 0 otherwise.
"""
from __future__ import annotations

import argparse
import contextlib
import gzip
import html
import json
import re
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import quote

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO / "tests"))

TODAY = "2026-11-23"
RUNTIME = ("pagefind.js", "pagefind-worker.js", "wasm.unknown.pagefind")
CLICK_THROUGH = 120  # click 「加载更多」 to the end when a query has at most this many hits

# (query, kind); 文号 and 索引号 are added from the corpus itself
QUERIES: list[tuple[str, str]] = [
    *((q, "topic") for q in ("低保", "高龄津贴", "养老机构", "户口迁移", "临时救助", "特困人员", "残疾人")),
    *((q, "org") for q in ("柳溪乡人民政府", "青禾区柳溪乡人民政府", "石桥镇人民政府", "青禾区民政局", "区民政局",
                           "民政局", "禾丰街道办事处", "青禾区人力资源和社会保障局")),
    *((q, "compound") for q in ("人民政府", "身份证", "低保管理办法", "公示期", "有效身份证件", "公示期满无异议")),
    *((q, "short") for q in ("保", "证", "民政", "公示", "补贴")),
    *((q, "none") for q in ("就业见习", "醫保", "青民发2025年12号")),
    ("高龄补贴", "synonym"),
]

_WS = re.compile(r"\s+")
_TAG = re.compile(r"<[^>]+>")
_HIDDEN = re.compile(r"<(\w+)\s[^>]*\bhidden\b[^>]*>.*?</\1>", re.S)
_META_CELL = re.compile(r'<th scope="row">(索引号|发布机构|文号)</th>\s*<td[^>]*>(.*?)</td>', re.S)


def norm(text: str) -> str:
    return _WS.sub("", unicodedata.normalize("NFKC", text).lower())


def visible(fragment: str) -> str:
    return norm(html.unescape(_TAG.sub("", _HIDDEN.sub("", fragment))))


# ---------------------------------------------------------------- truth from the built pages

@dataclass
class Page:
    url: str
    text: str  # normalized visible text (see the module's docstring)
    index_no: str = ""
    doc_no: str = ""


def item_page(public: Path, path: Path) -> Page:
    src = path.read_text(encoding="utf-8")
    article = src[src.index("<article"):src.index("</article>")]
    cells = {k: visible(v) for k, v in _META_CELL.findall(article) if visible(v) != "无"}  # 文号：无
    article = re.sub(r'<table class="meta-block".*?</table>', "", article, flags=re.S)
    article = re.sub(r'<footer class="item-footer".*?</footer>', "", article, flags=re.S)
    text = visible(article) + "\n" + "\n".join(cells.values())
    url = "/" + path.parent.relative_to(public).as_posix() + "/"
    return Page(url, text, cells.get("索引号", ""), cells.get("文号", ""))


def fixed_page(public: Path, path: Path) -> Page | None:
    src = path.read_text(encoding="utf-8")
    main = src[src.index("<main"):src.index("</main>")]
    if 'class="empty"' in main:
        return None
    main = re.sub(r"<nav[^>]*breadcrumb.*?</nav>", "", main, flags=re.S)
    return Page("/" + path.parent.relative_to(public).as_posix() + "/", visible(main))


def corpus_pages(public: Path) -> list[Page]:
    pages = [item_page(public, p) for p in sorted(public.glob("xxgk/*/*/index.html"))]
    fixed = [public / "contact" / "index.html", public / "guide" / "index.html",
             *sorted(public.glob("rules/*/index.html")), *sorted(public.glob("annual/*/index.html"))]
    for p in fixed:
        if p.is_file() and (page := fixed_page(public, p)):
            pages.append(page)
    return pages


def truth(pages: list[Page], query: str, kind: str) -> set[str]:
    if kind == "索引号":
        want = norm(query)
        return {p.url for p in pages if p.index_no == want or p.index_no.endswith("/" + want)}
    q = norm(query)
    if kind == "文号":  # the brackets a resident types for 〔〕 mean them
        q = re.sub(r"[［\[【(（](\d{4})[］\]】)）]", r"〔\1〕", q)
    return {p.url for p in pages if q in p.text}


def id_urls(public: Path) -> dict[str, str]:
    """Pagefind page id (its fragment's file name) → URL, over every bundle."""
    out: dict[str, str] = {}
    for path in (public / "pagefind").rglob("*.pf_fragment"):
        record = json.loads(gzip.decompress(path.read_bytes())[len(b"pagefind_dcd"):])
        hid = path.name[: -len(".pf_fragment")]
        if hid in out:
            sys.exit(f"two fragments named {hid}: ids are not unique across shards")
        out[hid] = record["url"]
    return out


def corpus_ids(public: Path, pages: list[Page]) -> list[tuple[str, str]]:
    """A 文号 that some page only mentions besides its own page, one that is only on its page,
    and a 索引号 (whole and without its organization code), all from the corpus."""
    sample = sorted({p.doc_no for p in pages if p.doc_no})[:200]
    docs = {d: sum(d in o.text for o in pages) for d in sample}
    ranked = sorted(docs.items(), key=lambda kv: (-kv[1], kv[0]))
    out = []
    if ranked:
        out.append((ranked[0][0], "文号"))
        out.append((ranked[0][0].replace("〔", "[").replace("〕", "]"), "文号"))
        single = [d for d, n in ranked if n == 1]
        if single:
            out.append((single[len(single) // 2], "文号"))
    indexed = [p.index_no for p in pages if p.index_no]
    if indexed:
        pick = indexed[len(indexed) // 3]
        out.append((pick.upper(), "索引号"))
        out.append((pick.split("/")[1], "索引号"))
        out.append((pick.split("/")[0].upper(), "code"))  # the organization's code alone: a text search
    return out


# ---------------------------------------------------------------- the page in Chromium

@dataclass
class Result:
    query: str
    kind: str
    truth: int
    found: int  # hits labelled exact that contain the query
    recall: float | None
    exact: int
    related: int
    shown_count: int | None  # the count in the status line
    p_at_10: float | None
    mislabelled: list[str] = field(default_factory=list)  # contain the query, labelled related
    missed: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)  # labelled exact, do not contain it
    bytes: int = 0
    pagefind_bytes: int = 0
    requests: int = 0
    not_found: bool | None = None  # 「没有找到」 shown (only for queries no page contains)
    suggestions: list[str] = field(default_factory=list)
    status: str = ""
    ms: int = 0
    problems: list[str] = field(default_factory=list)


READ_SHOWN = """() => [...document.querySelectorAll('.search-hit')].map(li => ({
  url: new URL(li.querySelector('.search-hit-title a').href).pathname, match: li.dataset.match}))"""


class Bytes:
    """Bytes on the wire (response bodies as sent, compressed or not, and headers) for every
    request of one browser context, pages and their workers alike."""

    def __init__(self, context) -> None:
        self.seen: list = []
        context.on("requestfinished", lambda r: self.seen.append(r))

    def take(self) -> tuple[int, int, int]:
        total = pf = 0
        for r in self.seen:
            sizes = r.sizes()
            n = sizes["responseBodySize"] + sizes["responseHeadersSize"]
            total += n
            if "/pagefind/" in r.url:
                pf += n
        count = len(self.seen)
        self.seen.clear()
        return total, pf, count


def run_query(b, base: str, query: str, kind: str, want: set[str], urls: dict[str, str],
              viewport: dict[str, int]) -> Result:
    context = b.new_context(viewport=viewport)
    errors: list[str] = []
    counter = Bytes(context)
    page = context.new_page()
    page.on("pageerror", lambda e: errors.append(str(e)))
    t0 = time.perf_counter()
    page.goto(f"{base}/search/?q={quote(query)}")
    page.wait_for_selector('#search-form[data-state="done"]', timeout=120000)
    page.wait_for_load_state("networkidle")
    ms = int((time.perf_counter() - t0) * 1000)
    total, pf, nreq = counter.take()
    status = page.inner_text("#search-status")
    shown = page.evaluate(READ_SHOWN)
    held = page.evaluate("window.gkpubHits()")
    empty = page.get_attribute("#search-message", "data-empty") == "1"
    message = page.inner_text("#search-message")
    suggestions = page.locator("#search-message .search-suggest a").all_inner_texts()
    problems = list(errors)
    hits = []
    for h in held:
        if h["id"] not in urls:
            problems.append(f"hit id {h['id']} has no fragment on disk")
            continue
        hits.append((urls[h["id"]], h["match"]))
    if [u for u, _ in hits[: len(shown)]] != [s["url"] for s in shown]:
        problems.append("the results drawn are not the first of the page's list")
    if 0 < len(hits) <= CLICK_THROUGH:
        while page.is_visible("#search-more"):
            n = page.locator(".search-hit").count()
            page.click("#search-more")
            while page.locator(".search-hit").count() <= n:  # wait_for_function would need eval (CSP)
                time.sleep(0.02)
        drawn = page.evaluate(READ_SHOWN)
        if [(d["url"], d["match"]) for d in drawn] != hits:
            problems.append("clicking 加载更多 to the end draws another list than the page holds")
    context.close()
    exact = [u for u, m in hits if m == "exact"]
    related = [u for u, m in hits if m == "related"]
    m = re.search(r"找到 (\d+) 条", status)
    shown_count = int(m[1]) if m else None
    if shown_count is not None and shown_count != len(exact):
        problems.append(f"status says {shown_count}, the page holds {len(exact)} exact hits")
    if len(set(u for u, _ in hits)) != len(hits):
        problems.append("a page is listed twice")
    top = [s["url"] for s in shown[:10]]
    res = Result(
        query=query, kind=kind, truth=len(want), found=len(want & set(exact)),
        recall=(len(want & set(exact)) / len(want)) if want else None,
        exact=len(exact), related=len(related), shown_count=shown_count,
        p_at_10=(sum(u in want for u in top) / min(10, len(want))) if top and want else None,
        mislabelled=sorted(want & set(related)), missed=sorted(want - set(exact)),
        extra=sorted(set(exact) - want), bytes=total, pagefind_bytes=pf, requests=nreq,
        status=status, ms=ms, problems=problems)
    if not want:
        res.not_found = empty and "没有找到" in (message + status)
        res.suggestions = suggestions
    return res


def failures(r: Result) -> list[str]:
    out = list(r.problems)
    if r.truth and r.recall is not None and r.recall < 1:
        out.append(f"recall {r.recall:.1%}: missed {r.missed[:5]}")
    if r.mislabelled:
        out.append(f"{len(r.mislabelled)} pages containing the query labelled related: {r.mislabelled[:5]}")
    if not r.truth and (r.exact or r.related or not r.not_found):
        out.append(f"no page contains it, yet {r.exact + r.related} results / no 「没有找到」 notice")
    return out


# ---------------------------------------------------------------- corpus

def sh(*cmd: str) -> None:
    proc = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{proc.stdout}\n{proc.stderr}")


def prepare(items: int, work: Path) -> Path:
    site, public = work / "site", work / "public"
    if site.exists():
        sys.exit(f"{site} exists: use --reuse {work} or another --work")
    sh(sys.executable, "benchmarks/gen_corpus.py", "--items", str(items), "--out", str(site))
    sh(sys.executable, "-m", "gkpub", "build", "--site", str(site), "--out", str(public), "--today", TODAY, "--clean")
    return public


@contextlib.contextmanager
def server(kind: str, public: Path) -> Iterator[str]:
    """A real HTTP server on 127.0.0.1 for ``public``, stopped on exit."""
    if kind == "python":
        from browser import serve
        with serve(public) as base:
            yield base
        return
    from test_nginx import NGINX_DIR, nginx, replaced  # the test's runner of the shipped configuration
    text = (NGINX_DIR / "gkpub.conf").read_text(encoding="utf-8")
    text = replaced(text, "    listen 80;\n", "    listen 127.0.0.1:@PORT@;\n")
    text = replaced(text, "    listen [::]:80;\n", "")
    text = replaced(text, "root /srv/gkpub/public;", f"root {public};")
    with tempfile.TemporaryDirectory(prefix="gk-recall-nginx-") as tmp, nginx(Path(tmp), text) as base:
        yield base


def pct(x: float | None) -> str:
    return "—" if x is None else f"{x:.0%}" if x in (0, 1) else f"{x:.1%}"


def table(rows: list[Result]) -> str:
    out = ["| query | kind | truth | found | recall | exact / related | P@10 | bytes (of it /pagefind/) | "
           "not found notice | ok |",
           "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |"]
    for r in rows:
        notice = "" if r.not_found is None else ("yes" + (f" → {'、'.join(r.suggestions)}" if r.suggestions else "")
                                                 if r.not_found else "NO")
        bad = failures(r)
        out.append(f"| {r.query} | {r.kind} | {r.truth:,} | {r.found:,} | {pct(r.recall)} "
                   f"| {r.exact:,} / {r.related:,} | {pct(r.p_at_10)} "
                   f"| {r.bytes / 1024:,.0f} KB ({r.pagefind_bytes / 1024:,.0f} KB) | {notice} "
                   f"| {'FAIL: ' + '; '.join(bad) if bad else 'ok'} |")
    return "\n".join(out)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--items", type=int, default=2000, help="corpus size for gen_corpus.py")
    ap.add_argument("--reuse", type=Path, metavar="DIR",
                    help="use DIR/public (or DIR, if it is a built site) as it is: no regeneration")
    ap.add_argument("--work", type=Path, help="where to generate and build (default /tmp/gk-recall-N)")
    ap.add_argument("--json", action="store_true", help="machine output (one JSON document)")
    ap.add_argument("--width", type=int, default=390, help="viewport width (default: a phone, 390×844)")
    ap.add_argument("--server", choices=("nginx", "python"), default="nginx",
                    help="nginx with deploy/nginx/gkpub.conf as shipped (gzip on; default), or Python's "
                         "http.server (no compression)")
    args = ap.parse_args()
    if args.reuse:  # DIR/public, or DIR itself when it is the output (bench_search.py's publicN)
        public = args.reuse / "public" if (args.reuse / "public").is_dir() else args.reuse
        if not (public / "pagefind" / "gkpub-search.json").is_file():
            sys.exit(f"{public} has no search index: build it with search on, or leave out --reuse")
    else:
        public = prepare(args.items, args.work or Path(f"/tmp/gk-recall-{args.items}"))
    from browser import browser

    pages = corpus_pages(public)
    urls = id_urls(public)
    queries = QUERIES + corpus_ids(public, pages)
    rows: list[Result] = []
    with server(args.server, public) as base, browser() as b:
        for query, kind in queries:
            want = truth(pages, query, kind)
            rows.append(run_query(b, base, query, kind, want, urls, {"width": args.width, "height": 844}))
            print(f"{query}: {rows[-1].found}/{rows[-1].truth}", file=sys.stderr)
    bad = [r for r in rows if failures(r)]
    if args.json:
        print(json.dumps({"public": str(public), "pages": len(pages), "results": [asdict(r) for r in rows],
                          "failed": [r.query for r in bad]}, ensure_ascii=False, indent=1))
    else:
        print(f"{public}: {len(pages):,} pages searched for the truth "
              f"({sum(p.url.startswith('/xxgk/') for p in pages):,} items); viewport {args.width}×844; "
              f"served by {args.server}; bytes on the wire until the results are drawn, empty cache\n")
        print(table(rows))
        print(f"\n{len(rows) - len(bad)} of {len(rows)} queries ok")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
