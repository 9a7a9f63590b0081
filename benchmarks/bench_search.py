"""Search index cost on generated corpora: index time and memory, re-index after a one-item edit,
bytes on disk, bytes a browser downloads.

    python benchmarks/bench_search.py --items 2000 10000 [--runs 2] [--work /tmp/gksearch] [--reuse]

Builds run a snapshot of gkpub copied at the start (see snapshot()). For each size: generate
the corpus (gen_corpus.py) unless --reuse finds it, then
- full build: `gkpub build --clean` with search on, --runs times; the search phase timed
  inside the build (the calls into gkpub.outputs.search.shards: plan, build_all), the
  build's wall time, and the peak resident memory of the build's process tree, sampled
  every 50 ms from /proc (the gkpub process and its Pagefind processes together, and the
  Pagefind processes alone);
- one-item edit: a sentence appended to one item's body, `gkpub build` again (incremental),
  --runs times with a different sentence each time; the same timings (plan, retire, update:
  the shards whose records changed) and the number of shards rebuilt;
- bytes on disk: everything under public/pagefind/, file count, split into the runtime the
  page loads and the index proper (index chunks, fragments, filters, metadata);
- bytes downloaded: /search/?q=… opened in a fresh Chromium context (empty cache) at
  390×844 and at 1366×900, served by nginx with deploy/nginx/gkpub.conf as shipped (gzip on),
  bytes on the wire (bodies as sent and headers) of every request, page and worker, until the
  results are drawn; then a second query typed in the same page (warm runtime).
The load average (`uptime`) is printed beside the timings: the machine may be shared.
Figures are measurements on this machine, not targets.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(HERE))

TODAY = "2026-11-23"
QUERIES = ("低保", "高龄津贴")  # first query cold, second warm in the same page
RUNTIME = ("pagefind.js", "pagefind-worker.js", "wasm.unknown.pagefind", "pagefind-entry.json", "gkpub-search.json")

# Run gkpub build with the search phase timed: the shards module's entry points wrapped.
TIMED_BUILD = r"""
import atexit, json, sys, time
import gkpub
from gkpub.outputs.search import shards
times = {"engine": gkpub.__file__}
def timed(name):
    fn = getattr(shards, name)
    def run(*a, **k):
        t0 = time.perf_counter()
        try:
            return fn(*a, **k)
        finally:
            times[name] = times.get(name, 0.0) + time.perf_counter() - t0
            if name == "update" and a:
                times["rebuilt"] = len(a[0].stale) if not a[0].whole else len(a[0].shards)
    setattr(shards, name, run)
for name in ("plan", "build_all", "retire", "update"):
    timed(name)
atexit.register(lambda: print("GKPUB-TIMES " + json.dumps(times), file=sys.stderr))
from gkpub.cli.main import main
sys.exit(main(sys.argv[1:]))
"""


def load() -> str:
    return ", ".join(Path("/proc/loadavg").read_text().split()[:3])


def _tree_rss(root: int) -> tuple[int, int]:
    """(RSS of ``root`` and all its descendants, RSS of the Pagefind ones) in bytes, from /proc."""
    children: dict[int, list[int]] = {}
    names: dict[int, str] = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        pid, rest = int(d), stat[stat.rindex(")") + 2:].split()
        names[pid] = stat[stat.index("(") + 1:stat.rindex(")")]
        children.setdefault(int(rest[1]), []).append(pid)
    total = pf = 0
    todo = [root]
    while todo:
        pid = todo.pop()
        todo += children.get(pid, [])
        try:
            with open(f"/proc/{pid}/statm") as f:
                rss = int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        except OSError:
            continue
        total += rss
        if "pagefind" in names.get(pid, ""):
            pf += rss
    return total, pf


ENGINE: dict[str, str] = {}  # PYTHONPATH and GKPUB_PAGEFIND of the engine snapshot the builds run


def snapshot(exe: Path) -> Path:
    """A copy of gkpub for the builds to run: the cache trusts only the engine that wrote it
    (util/engine.py hashes the package's code), so in a checkout others are editing every
    build would be a full one. The same copy for the whole run; Pagefind found as before."""
    snap = Path(tempfile.mkdtemp(prefix="gk-engine-"))
    shutil.copytree(REPO / "gkpub", snap / "gkpub", ignore=shutil.ignore_patterns("__pycache__"))
    ENGINE.update(PYTHONPATH=str(snap), GKPUB_PAGEFIND=str(exe))
    return snap


def timed_build(site: Path, out: Path, *extra: str) -> dict:
    cmd = [sys.executable, "-c", TIMED_BUILD, "build", "--site", str(site), "--out", str(out), "--today", TODAY,
           "-q", *extra]
    peak = [0, 0]
    t0 = time.perf_counter()
    cwd = ENGINE.get("PYTHONPATH", str(REPO))
    proc = subprocess.Popen(cmd, cwd=cwd, env={**os.environ, **ENGINE}, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            total, pf = _tree_rss(proc.pid)
            peak[0], peak[1] = max(peak[0], total), max(peak[1], pf)
            done.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stdout, stderr = proc.communicate()
    wall = time.perf_counter() - t0
    done.set()
    sampler.join()
    if proc.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd[3:])}\n{stdout}\n{stderr}")
    line = next(x for x in stderr.splitlines() if x.startswith("GKPUB-TIMES "))
    times = json.loads(line.split(" ", 1)[1])
    if ENGINE and not times["engine"].startswith(ENGINE["PYTHONPATH"]):
        sys.exit(f"the build ran {times['engine']}, not the snapshot in {ENGINE['PYTHONPATH']}")
    search = sum(times.get(k, 0.0) for k in ("plan", "build_all", "retire", "update"))
    return {"wall": wall, "search": search, "times": times, "rss": peak[0], "pagefind_rss": peak[1],
            "load": load()}


def prepare(items: int, work: Path, reuse: bool) -> tuple[Path, Path]:
    site, out = work / f"site{items}", work / f"public{items}"
    if not (reuse and site.is_dir()):
        if site.exists():
            sys.exit(f"{site} exists: add --reuse, or another --work")
        subprocess.run([sys.executable, "benchmarks/gen_corpus.py", "--items", str(items), "--out", str(site)],
                       cwd=REPO, check=True, capture_output=True)
    return site, out


def edit_one(site: Path, k: int) -> Path:
    """Append a sentence to the body of one item (the same item every time)."""
    items = sorted((site / "content" / "items").rglob("*.md"))
    item = items[len(items) // 2]
    with item.open("a", encoding="utf-8") as f:
        f.write(f"\n本文于第{k + 1}次修改时补充了一句话。\n")
    return item


def disk(out: Path) -> dict[str, int]:
    sizes = {"runtime": 0, "index": 0, "files": 0, "shards": 0}
    for path in (out / "pagefind").rglob("*"):
        if path.is_dir() and path.parent.name == "pagefind":
            sizes["shards"] += 1
        if not path.is_file():
            continue
        n = path.stat().st_size
        sizes["files"] += 1
        sizes["runtime" if path.name in RUNTIME else "index"] += n
    sizes["total"] = sizes["runtime"] + sizes["index"]
    return sizes


def downloads(out: Path, width: int, height: int) -> tuple[tuple, tuple]:
    """Bytes for the first query (cold) and the next one typed in the same page, at this size:
    on a phone the filter panel starts closed and its data is not fetched."""
    from browser import browser
    from search_recall import Bytes, server
    with server("nginx", out) as base, browser() as b:
        context = b.new_context(viewport={"width": width, "height": height})
        counter = Bytes(context)
        page = context.new_page()
        page.goto(f"{base}/search/?q={quote(QUERIES[0])}")
        page.wait_for_selector('#search-form[data-state="done"]', timeout=120000)
        page.wait_for_load_state("networkidle")
        cold = counter.take()
        page.evaluate("document.getElementById('search-form').dataset.state = 'waiting'")
        page.fill("#search-q", QUERIES[1])
        page.press("#search-q", "Enter")
        page.wait_for_selector('#search-form[data-state="done"]', timeout=120000)
        page.wait_for_load_state("networkidle")
        warm = counter.take()
        context.close()
    return cold, warm


def _phase(r: dict) -> str:
    return f"{r['search']:.1f} s ({r['wall']:.1f} s)"


def _rss(r: dict) -> str:
    return f"{mb(r['rss'])} ({mb(r['pagefind_rss'])})"


def _edit(r: dict) -> str:
    return f"{r['search']:.2f} s ({r['wall']:.1f} s), {r['times'].get('rebuilt', 0)}"


def kb(n: int) -> str:
    return f"{n / 1024:,.0f} KB"


def mb(n: int) -> str:
    return f"{n / 1024 / 1024:,.0f} MB"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--items", type=int, nargs="+", default=[2000, 10000])
    ap.add_argument("--runs", type=int, default=2)
    ap.add_argument("--work", type=Path, default=Path("/tmp/gksearch"))
    ap.add_argument("--reuse", action="store_true", help="use corpora already generated under --work")
    args = ap.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    from gkpub.outputs.search.pagefind import find_pagefind
    exe, version = find_pagefind()
    snap = snapshot(exe)
    rows = []
    for items in args.items:
        site, out = prepare(items, args.work, args.reuse)
        full = [timed_build(site, out, "--clean") for _ in range(args.runs)]
        edits = []
        for k in range(args.runs):
            edit_one(site, k)
            edits.append(timed_build(site, out))
        size = disk(out)
        phone, _ = downloads(out, 390, 844)
        desk, warm = downloads(out, 1366, 900)
        pages = len(list(out.glob("xxgk/*/*/index.html")))
        rows.append((items, pages, full, edits, size, phone, desk, warm))
        print(f"{items} items done", file=sys.stderr)
    shutil.rmtree(snap)
    print(f"Pagefind {version} ({exe}); {os.cpu_count()} CPUs; {args.runs} runs each, every run shown; "
          "load average (1, 5, 15 min) at the end of each run\n")
    print("| corpus | item pages | full build: search phase (build wall) | peak RSS build + Pagefind (Pagefind) "
          "| one-item edit: search phase (build wall), shards rebuilt | load |")
    print("| --- | ---: | ---: | ---: | ---: | --- |")
    for items, pages, full, edits, *_ in rows:
        print(f"| {items:,} items | {pages:,} | {' / '.join(map(_phase, full))} | {' / '.join(map(_rss, full))} "
              f"| {' / '.join(map(_edit, edits))} | {' / '.join(r['load'] for r in full + edits)} |")
    print("\n| corpus | on disk (files, shards) | of which runtime | 1st query 「" + QUERIES[0] + "」 390×844 "
          "(of it /pagefind/), requests | same at 1366×900 | next query 「" + QUERIES[1] + "」, 1366×900 |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for items, _, _, _, size, phone, desk, warm in rows:
        print(f"| {items:,} items | {mb(size['total'])} ({size['files']:,}, {size['shards']}) | {kb(size['runtime'])} "
              f"| {kb(phone[0])} ({kb(phone[1])}), {phone[2]} | {kb(desk[0])} ({kb(desk[1])}), {desk[2]} "
              f"| {kb(warm[0])} ({kb(warm[1])}), {warm[2]} |")
    print("\nmedian search phase, full / edit: " + "; ".join(
        f"{items:,}: {statistics.median(r['search'] for r in full):.1f} s / "
        f"{statistics.median(r['search'] for r in edits):.2f} s" for items, _, full, edits, *_ in rows))


if __name__ == "__main__":
    main()
