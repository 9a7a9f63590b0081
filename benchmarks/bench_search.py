"""Search index cost on generated corpora: index time, bytes on disk, bytes a browser loads.

    python benchmarks/bench_search.py --items 1000 10000 [--runs 3] [--work /tmp/gksearch]

For each size: generate the corpus (gen_corpus.py), build it once with --no-search, then
- index time: Pagefind (the binary gkpub uses) on the built site, --runs times; wall time
  and the child's CPU time (user + sys), median reported;
- bytes on disk: everything under public/pagefind/, split into Pagefind's runtime (JS,
  wasm, the unused UI files it always writes) and the index proper (index chunks,
  fragments, filters, metadata);
- bytes downloaded: /search/?q=… opened in a fresh Chromium context (empty cache), all
  response bodies counted at context level (so the web worker's fetches are included)
  until the first 10 results are drawn; then a second query typed in the same page
  (warm runtime). Served by Python's http.server: Pagefind's index files are gzip
  already, its JS is not (a server with gzip on would send less).
Prints one table. Figures are measurements on this machine, not targets.
"""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

from gkpub.outputs.search.pagefind import find_pagefind, run_pagefind  # noqa: E402

TODAY = "2026-11-23"
QUERIES = ("低保", "高龄津贴")  # first query cold, second warm in the same page
RUNTIME = ("pagefind.js", "pagefind-worker.js", "wasm.", "pagefind-ui", "pagefind-modular-ui",
           "pagefind-component-ui", "pagefind-highlight.js", "pagefind-entry.json")


def sh(*cmd: str) -> None:
    proc = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{proc.stdout}\n{proc.stderr}")


def prepare(items: int, work: Path) -> Path:
    site, out = work / f"site{items}", work / f"public{items}"
    if not site.is_dir():
        sh(sys.executable, "benchmarks/gen_corpus.py", "--items", str(items), "--out", str(site))
    sh(sys.executable, "-m", "gkpub", "build", "--site", str(site), "--out", str(out),
       "--no-search", "--today", TODAY, "--clean")
    return out


def index_times(out: Path, runs: int) -> tuple[float, float]:
    walls, cpus = [], []
    for _ in range(runs):
        shutil.rmtree(out / "pagefind", ignore_errors=True)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        run_pagefind(out, out / "pagefind")
        walls.append(time.perf_counter() - t0)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(walls), statistics.median(cpus)


def disk(out: Path) -> dict[str, int]:
    sizes = {"runtime": 0, "index": 0, "files": 0, "fragments": 0}
    for path in (out / "pagefind").rglob("*"):
        if not path.is_file():
            continue
        n = path.stat().st_size
        sizes["files"] += 1
        sizes["runtime" if path.name.startswith(RUNTIME) else "index"] += n
        if path.parent.name == "fragment":
            sizes["fragments"] += n
    sizes["total"] = sizes["runtime"] + sizes["index"]
    return sizes


class Bytes:
    """Response bodies seen by one browser context (pages and workers)."""

    def __init__(self, context) -> None:
        self.pending: list = []
        context.on("response", self._add)

    def _add(self, response) -> None:
        self.pending.append(response)

    def take(self) -> dict[str, int]:
        total = pf = count = 0
        for r in self.pending:
            try:
                n = len(r.body())
            except Exception:  # redirects have no body
                n = 0
            total += n
            count += 1
            if "/pagefind/" in r.url:
                pf += n
        self.pending.clear()
        return {"bytes": total, "pagefind": pf, "requests": count}


def downloads(out: Path, width: int) -> tuple[dict, dict]:
    """Bytes for the first query (cold) and the next one, at this window width: on a phone
    the filter panel starts closed and its data is not fetched."""
    from browser import browser, serve
    with serve(out) as base, browser() as b:
        context = b.new_context(viewport={"width": width, "height": 900})
        counter = Bytes(context)
        page = context.new_page()
        page.goto(f"{base}/search/?q={quote(QUERIES[0])}")
        page.wait_for_selector('#search-form[data-state="done"]', timeout=60000)
        page.wait_for_load_state("networkidle")
        cold = counter.take()
        page.evaluate("document.getElementById('search-form').dataset.state = 'waiting'")
        page.fill("#search-q", QUERIES[1])
        page.press("#search-q", "Enter")
        page.wait_for_selector('#search-form[data-state="done"]', timeout=60000)
        page.wait_for_load_state("networkidle")
        warm = counter.take()
        context.close()
    return cold, warm


def kb(n: int) -> str:
    return f"{n / 1024:,.0f} KB"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--items", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--work", type=Path, default=REPO / "benchmarks" / "out" / "search")
    args = ap.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    exe, version = find_pagefind()
    rows = []
    for items in args.items:
        out = prepare(items, args.work)
        pages = len(list(out.glob("xxgk/*/*/index.html")))
        wall, cpu = index_times(out, args.runs)
        size = disk(out)
        phone, _ = downloads(out, 390)
        cold, warm = downloads(out, 1366)
        rows.append((items, pages, wall, cpu, size, phone, cold, warm))
        print(f"{items} items done", file=sys.stderr)
    print(f"Pagefind {version} ({exe}); {os.cpu_count()} CPUs; median of {args.runs} index runs\n")
    print("| corpus | item pages | index wall | index CPU | on disk (files) | of which index | of which runtime "
          f"| 1st query 「{QUERIES[0]}」, phone (of it /pagefind/) | same, desktop (of it /pagefind/) "
          f"| next query 「{QUERIES[1]}」, desktop |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for items, pages, wall, cpu, size, phone, cold, warm in rows:
        print(f"| {items:,} items | {pages:,} | {wall:.2f} s | {cpu:.2f} s | {kb(size['total'])} ({size['files']:,}) "
              f"| {kb(size['index'])} | {kb(size['runtime'])} "
              f"| {kb(phone['bytes'])} ({kb(phone['pagefind'])}), {phone['requests']} req "
              f"| {kb(cold['bytes'])} ({kb(cold['pagefind'])}), {cold['requests']} req "
              f"| {kb(warm['bytes'])}, {warm['requests']} req |")


if __name__ == "__main__":
    main()
