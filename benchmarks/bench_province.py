"""Province scale: N district sites built on their own, searched from one page of a city site.

    python benchmarks/bench_province.py --districts 3 --items 200 [--work /tmp/gkprov] [--jobs 2]
                                        [--truth] [--keep] [--json FILE]

1. N district corpora (gen_corpus.py, one seed each: 101, 102, …), each renamed: 青禾区 becomes the
   district's own name in site.toml, the catalogue and every item (titles, bodies, 公开主体),
   base_url http://127.0.0.1/dNN/; and a small city site (12 items) whose site.toml says
   `[search] name = "云岭市本级"` and lists every district in `[[search.merge]]` (name, url "/dNN/").
2. Every site built on its own, `gkpub build` with search on (the default), ``--jobs`` at a time,
   as CI jobs would (each with its own output); wall, CPU, peak RSS and load per build. The
   builds run a snapshot of the engine (`git archive HEAD gkpub`, bench_build.snapshot()).
3. WORK/www/dNN/ and WORK/www/city/ served by nginx with deploy/nginx/gkpub.conf (gzip on), as
   search_recall.py serves one site, and /city/search/ opened in headless Chromium at 390×844:
   - the first query 「低保」 in a fresh context (empty cache): bytes on the wire until the
     results are drawn (search_recall.Bytes), requests, time; the count shown, the 地区 and 过程
     counts (the filter panel opened afterwards);
   - every district is found: for each, the title of one of its published items (one that names
     the district and no other item of it has: many titles repeat) is searched and that item must
     be among the first ten results, labelled with the district;
   - the 地区 filter: ?q=低保&地区=<district> for every district: the count equals the district's
     count on the unfiltered page, every result drawn is of that district;
   - the 过程 filter: ?q=低保&过程=<stage> for each of the five stages: the count equals the
     stage's count on the unfiltered page, every result drawn is of that stage, the results drawn
     come from more than one district when the stage has hits in more than one;
   - with --truth (slow at 10k: every page read): the exact count of 「低保」 and each district's
     count equal the pages that contain it (search_recall.corpus_pages / truth).
Exit status 1 if a check fails. Prints markdown tables.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO / "tests"))

import bench_build  # noqa: E402
import search_recall  # noqa: E402

TODAY = "2026-11-23"
WORD = "低保"
CITY = "云岭市本级"
STAGES = ["决策", "执行", "管理", "服务", "结果"]
OLD_NAME = "青禾区"
NAMES = ["澄江区", "沐川区", "临溪区", "松桥区", "云台区", "石门区", "清源区", "白沙区", "枫林区", "龙潭区",
         "柳岸区", "金川区", "玉泉区", "桃源区", "凤鸣区", "梅岭区", "竹溪区", "兰亭区", "月湖区", "松涛区"]
VIEWPORT = {"width": 390, "height": 844}
TIMEOUT_MS = 180_000

READ = """() => [...document.querySelectorAll('.search-hit')].map(li => ({
  region: li.dataset.region, match: li.dataset.match,
  path: new URL(li.querySelector('.search-hit-title a').href).pathname,
  title: li.querySelector('.search-hit-title a').textContent,
  stage: (li.querySelector('.stage') || {}).textContent || ''}))"""
COUNTS = """(sel) => Object.fromEntries([...document.querySelectorAll(sel)].map(span => [
  span.dataset.n !== undefined ? span.dataset.n : span.parentNode.querySelector('input').value,
  span.textContent]))"""


def district_names(n: int) -> list[str]:
    if n > len(NAMES):
        sys.exit(f"at most {len(NAMES)} districts (add names to NAMES)")
    return NAMES[:n]


# ---------------------------------------------------------------- corpora

def rename(site: Path, name: str, path: str) -> None:
    """青禾区 → ``name`` in every text file of the site; base_url under /``path``/."""
    for f in [site / "site.toml", *(site / "content").rglob("*.md"), *(site / "content").rglob("*.yaml")]:
        text = f.read_text(encoding="utf-8")
        new = text.replace(OLD_NAME, name)
        if f.name == "site.toml":
            new = re.sub(r'(?m)^base_url = .*$', f'base_url = "http://127.0.0.1/{path}/"', new)
        if new != text:
            f.write_text(new, encoding="utf-8")


def generate(src: Path, items: int, seed: int) -> None:
    shutil.rmtree(src, ignore_errors=True)
    subprocess.run([sys.executable, str(HERE / "gen_corpus.py"), "--items", str(items), "--seed", str(seed),
                    "--out", str(src)], check=True, capture_output=True)


def make_sites(work: Path, names: list[str], items: int) -> list[tuple[str, str, Path]]:
    """(path, region name, source dir) of every district, then the city."""
    sites = []
    for i, name in enumerate(names, 1):
        path = f"d{i:02d}"
        src = work / "src" / path
        generate(src, items, 100 + i)
        rename(src, name, path)
        sites.append((path, name, src))
    src = work / "src" / "city"
    generate(src, 12, 9)
    rename(src, OLD_NAME, "city")  # base_url only: the city keeps the corpus's names
    toml = src / "site.toml"
    text = toml.read_text(encoding="utf-8").replace("[search]\n", f'[search]\nname = "{CITY}"\n', 1)
    if f'name = "{CITY}"' not in text:
        text += f'\n[search]\nname = "{CITY}"\n'
    for path, name, _ in sites:
        text += f'\n[[search.merge]]\nname = "{name}"\nurl = "/{path}/"\n'
    toml.write_text(text, encoding="utf-8")
    sites.append(("city", CITY, src))
    return sites


def build(src: Path, out: Path) -> dict:
    cmd = [sys.executable, "-m", "gkpub", "build", "--site", str(src), "--out", str(out), "--today", TODAY,
           "--cache", str(out.parent.parent / "cache" / out.name), "--clean"]
    r = bench_build.measured(cmd, Path(bench_build.ENGINE["PYTHONPATH"]), {**os.environ, **bench_build.ENGINE})
    r["summary"] = next((ln for ln in r.pop("output").splitlines() if ln.startswith("已生成")), "")
    return r


def one_item(src: Path, name: str) -> tuple[str, str]:
    """(title, URL path) of a published item whose title names the district and no other of its
    items has (many titles repeat: a quarterly notice of each year)."""
    seen: dict[str, int] = {}
    found: list[tuple[str, str]] = []
    for f in sorted((src / "content" / "items").rglob("*.md")):
        head = f.read_text(encoding="utf-8").split("\n---", 1)[0]
        title = re.search(r'^标题: "?(.*?)"?$', head, re.M)
        index = re.search(r'^索引号: "?(\S+?)"?$', head, re.M)
        date = re.search(r"^发布日期: (\S+)", head, re.M)
        if not title:
            continue
        seen[title[1]] = seen.get(title[1], 0) + 1
        if (index and date and name in title[1] and "公开属性" not in head and "草稿" not in head
                and date[1] <= TODAY):
            code, serial = index[1].split("/")
            found.append((title[1], f"/xxgk/{code}/{serial}/"))
    for title, url in found:
        if seen[title] == 1:
            return title, url
    sys.exit(f"{src}: no published item with a title of its own that names {name}")


# ---------------------------------------------------------------- the city page

def wait_done(page) -> None:
    page.wait_for_selector('#search-form[data-state="done"]', timeout=TIMEOUT_MS)


def counts(page) -> tuple[int, int]:
    form = page.locator("#search-form")
    return int(form.get_attribute("data-total") or 0), int(form.get_attribute("data-exact") or 0)


def number(text: str) -> int:
    return int(text.strip("（）") or -1)


def first_query(b, base: str) -> dict:
    context = b.new_context(viewport=VIEWPORT)
    counter = search_recall.Bytes(context)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    t0 = time.perf_counter()
    page.goto(f"{base}/city/search/?q={quote(WORD)}")
    wait_done(page)
    page.wait_for_load_state("networkidle")
    ms = int((time.perf_counter() - t0) * 1000)
    total, pf, nreq = counter.take()
    shown_total, exact = counts(page)
    stages = {k: number(v) for k, v in page.evaluate(COUNTS, ".search-stages .search-n[data-n]").items() if k}
    page.locator("#search-filters").evaluate("d => d.open = true")
    page.wait_for_selector('.search-group[data-filter="地区"] input', timeout=TIMEOUT_MS)
    filled = "() => document.querySelector('.search-group[data-filter=\"地区\"] .search-c').textContent"
    deadline = time.monotonic() + TIMEOUT_MS / 1000
    while not page.evaluate(filled):  # polled from here: wait_for_function would need eval (CSP)
        if time.monotonic() > deadline:
            sys.exit("the 地区 counts never appeared")
        time.sleep(0.1)
    regions = {k: number(v) for k, v in page.evaluate(COUNTS, '.search-group[data-filter="地区"] .search-c').items()}
    later, _, later_req = counter.take()
    note = page.inner_text("#search-regions-note") if page.locator("#search-regions-note").is_visible() else ""
    context.close()
    return {"bytes": total, "pagefind_bytes": pf, "requests": nreq, "ms": ms, "total": shown_total, "exact": exact,
            "stages": stages, "regions": regions, "filter_panel_bytes": later, "filter_panel_requests": later_req,
            "note": note, "errors": errors}


def drawn(page) -> list[dict]:
    return page.evaluate(READ)


def checks(b, base: str, sites: list[tuple[str, str, Path]], first: dict) -> list[dict]:
    """Every district found by one of its titles; the 地区 and 过程 filters. One row per check."""
    rows: list[dict] = []
    context = b.new_context(viewport=VIEWPORT)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))

    def open_(query: str) -> float:
        t0 = time.perf_counter()
        page.goto(f"{base}/city/search/?{query}")
        wait_done(page)
        return time.perf_counter() - t0

    for path, name, src in sites[:-1]:
        title, url = one_item(src, name)
        took = open_(f"q={quote(title)}")
        hits = drawn(page)
        want = f"/{path}{url}"
        ok = any(h["path"] == want and h["region"] == name and h["match"] == "exact" for h in hits[:10])
        rank = next((i + 1 for i, h in enumerate(hits) if h["path"] == want), None)
        rows.append({"check": "find", "region": name, "query": title, "want": want, "rank": rank,
                     "ok": ok, "s": round(took, 2), "errors": list(errors)})
        errors.clear()
    for _path, name, _src in sites:
        took = open_(f"q={quote(WORD)}&{quote('地区')}={quote(name)}")
        total, exact = counts(page)
        hits = drawn(page)
        want = first["regions"].get(name)
        ok = total == want and all(h["region"] == name for h in hits) and (bool(hits) or not want)
        rows.append({"check": "地区", "region": name, "count": total, "exact": exact, "want": want,
                     "drawn": len(hits), "drawn_regions": sorted({h["region"] for h in hits}), "ok": ok,
                     "s": round(took, 2), "errors": list(errors)})
        errors.clear()
    for stage in STAGES:
        took = open_(f"q={quote(WORD)}&{quote('过程')}={quote(stage)}")
        total, exact = counts(page)
        # load a few more pages of results, so that more than one district can show
        for _ in range(3):
            if not page.is_visible("#search-more"):
                break
            n = page.locator(".search-hit").count()
            page.click("#search-more")
            while page.locator(".search-hit").count() <= n:
                time.sleep(0.05)
        hits = drawn(page)
        want = first["stages"].get(stage)
        regions = sorted({h["region"] for h in hits})
        ok = total == want and all(h["stage"] == stage for h in hits) and (want == 0 or len(regions) > 1)
        rows.append({"check": "过程", "stage": stage, "count": total, "exact": exact, "want": want,
                     "drawn": len(hits), "drawn_regions": len(regions), "ok": ok, "s": round(took, 2),
                     "errors": list(errors)})
        errors.clear()
    context.close()
    return rows


def truth_counts(www: Path, sites: list[tuple[str, str, Path]]) -> dict[str, int]:
    out = {}
    for path, name, _ in sites:
        pages = search_recall.corpus_pages(www / path)
        out[name] = len(search_recall.truth(pages, WORD, "topic"))
    return out


# ---------------------------------------------------------------- report

def kb(n: int) -> str:
    return f"{n / 1024:,.0f} KB"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--districts", type=int, default=3)
    ap.add_argument("--items", type=int, default=200, help="items per district")
    ap.add_argument("--work", type=Path, help="default /tmp/gkprov-<districts>x<items>")
    ap.add_argument("--jobs", type=int, default=2, help="builds at a time (as parallel CI jobs)")
    ap.add_argument("--truth", action="store_true", help="also count the pages that contain 低保 (reads every page)")
    ap.add_argument("--reuse", action="store_true", help="keep WORK/www if every site is built there")
    ap.add_argument("--keep", action="store_true", help="keep WORK afterwards (default: delete it)")
    ap.add_argument("--json", type=Path, help="append the results as one JSON line")
    args = ap.parse_args(argv)
    work = args.work or Path(tempfile.gettempdir()) / f"gkprov-{args.districts}x{args.items}"
    work.mkdir(parents=True, exist_ok=True)
    names = district_names(args.districts)
    _snap, rev = bench_build.snapshot(work)
    print(f"machine: {os.cpu_count()} cores; gkpub engine {rev[:10]} (snapshot {bench_build.ENGINE['PYTHONPATH']}); "
          f"{args.districts} districts × {args.items} items; load {Path('/proc/loadavg').read_text().strip()}",
          flush=True)
    www = work / "www"
    t0 = time.perf_counter()
    if args.reuse:
        sites = [(f"d{i:02d}", n, work / "src" / f"d{i:02d}") for i, n in enumerate(names, 1)]
        sites.append(("city", CITY, work / "src" / "city"))
    else:
        sites = make_sites(work, names, args.items)
    gen_s = time.perf_counter() - t0
    print(f"generated {len(sites)} sites in {gen_s:.1f} s", flush=True)
    builds: dict[str, dict] = {}
    if not (args.reuse and all((www / p / "pagefind" / "gkpub-search.json").is_file() for p, _, _ in sites)):
        shutil.rmtree(www, ignore_errors=True)
        shutil.rmtree(work / "cache", ignore_errors=True)
        www.mkdir(parents=True)
        t0 = time.perf_counter()
        with ThreadPoolExecutor(args.jobs) as pool:
            futures = {p: pool.submit(build, src, www / p) for p, _, src in sites}
            for p, f in futures.items():
                builds[p] = f.result()
                print(json.dumps({"site": p, **builds[p]}, ensure_ascii=False), flush=True)
        builds_wall = time.perf_counter() - t0
        (work / "builds.json").write_text(json.dumps({"wall_s": builds_wall, "builds": builds,
                                                                 "engine": rev}), encoding="utf-8")
    elif (work / "builds.json").is_file():  # --reuse: the figures of the builds that made www
        saved = json.loads((work / "builds.json").read_text(encoding="utf-8"))
        builds_wall, builds, rev = saved["wall_s"], saved["builds"], saved.get("engine", rev)
        print(f"reusing the builds of engine {rev[:10]}", flush=True)
    else:
        builds_wall = 0.0
    from browser import browser

    with search_recall.server("nginx", www) as base, browser() as b:
        first = first_query(b, base)
        print(json.dumps({"first": first}, ensure_ascii=False), flush=True)
        rows = checks(b, base, sites, first)
    truth = truth_counts(www, sites) if args.truth else {}
    problems: list[str] = []
    missing = [n for _, n, _ in sites[:-1] if first["regions"].get(n, 0) <= 0]
    if missing:
        problems.append(f"地区 without hits for {WORD}: {missing}")
    if sum(first["regions"].values()) != first["total"]:
        problems.append(f"地区 counts add up to {sum(first['regions'].values())}, the page says {first['total']}")
    if first["note"]:
        problems.append(f"the page says a district cannot be searched: {first['note']}")
    if first["errors"]:
        problems.append(f"page errors: {first['errors']}")
    if truth:
        if sum(truth.values()) != first["exact"]:
            problems.append(f"{WORD}: {first['exact']} exact hits, {sum(truth.values())} pages contain it")
        for r in rows:
            if r["check"] == "地区" and r["exact"] != truth[r["region"]]:
                problems.append(f"{r['region']}: {r['exact']} exact hits, {truth[r['region']]} pages contain {WORD}")
    problems += [f"check failed: {json.dumps(r, ensure_ascii=False)}" for r in rows if not r["ok"] or r["errors"]]

    published = {p: int(m[1]) if (m := re.search(r"发布 (\d+) 条", builds[p]["summary"])) else 0 for p in builds}
    print(f"\n{args.districts} districts × {args.items:,} items (+ city, 12 items), engine {rev[:10]}, "
          f"{args.jobs} builds at a time; all builds {builds_wall:.0f} s wall\n")
    if builds:
        print("| site | published items | wall | CPU | peak RSS (largest process / tree) | peak PSS (tree) "
              "| load at start |")
        print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
        for (p, name, _), r in ((s, builds[s[0]]) for s in sites):
            print(f"| {p} {name} | {published[p]:,} | {r['wall_s']:.1f} s | {r['cpu_s']:.1f} s | "
                  f"{r['rss_mb']:,} / {r['tree_rss_mb']:,} MB | {r['tree_pss_mb']:,} MB | {r['load']:.1f} |")
        walls = [r["wall_s"] for p, r in builds.items() if p != "city"]
        cpus = [r["cpu_s"] for p, r in builds.items() if p != "city"]
        print(f"\ndistrict builds: wall {min(walls):.1f}–{max(walls):.1f} s, CPU {min(cpus):.1f}–{max(cpus):.1f} s, "
              f"CPU total {sum(cpus):.0f} s\n")
    bundle = sum(f.stat().st_size for p, _, _ in sites for f in (www / p / "pagefind").rglob("*") if f.is_file())
    print(f"search bundles on disk, all sites: {bundle / 2**20:,.0f} MB\n")
    print("| first query 「低保」 at 390×844, empty cache | figure |")
    print("| --- | ---: |")
    print(f"| bytes on the wire until the results are drawn (of it /pagefind/) | **{kb(first['bytes'])}** "
          f"({kb(first['pagefind_bytes'])}) |")
    print(f"| requests | {first['requests']} |")
    print(f"| time to results drawn | {first['ms'] / 1000:.1f} s |")
    print(f"| count shown (exact) | {first['total']:,} ({first['exact']:,}) |")
    print(f"| opening the filter panel afterwards | {kb(first['filter_panel_bytes'])}, "
          f"{first['filter_panel_requests']} requests |")
    print(f"| districts with hits in the 地区 filter | {len(sites) - 1 - len(missing)} of {len(sites) - 1} |")
    if truth:
        print(f"| pages that contain 「低保」 (truth) | {sum(truth.values()):,} |")
    print()
    print("| check | subject | count (want) | drawn | ok | s |")
    print("| --- | --- | ---: | --- | --- | ---: |")
    for r in rows:
        if r["check"] == "find":
            print(f"| find an item of the district | {r['region']}: 「{r['query']}」 | — | rank {r['rank']} | "
                  f"{'ok' if r['ok'] and not r['errors'] else 'FAIL'} | {r['s']} |")
        elif r["check"] == "地区":
            t = f", truth {truth[r['region']]}" if truth else ""
            print(f"| 地区 filter | {r['region']} | {r['count']:,} ({r['want']}{t}) | {r['drawn']}, of "
                  f"{'/'.join(r['drawn_regions'])} | {'ok' if r['ok'] and not r['errors'] else 'FAIL'} | {r['s']} |")
        else:
            print(f"| 过程 filter | {r['stage']} | {r['count']:,} ({r['want']}) | {r['drawn']}, of "
                  f"{r['drawn_regions']} districts | {'ok' if r['ok'] and not r['errors'] else 'FAIL'} | {r['s']} |")
    print()
    for p in problems:
        print("PROBLEM:", p)
    print(f"{len(rows) - sum(1 for r in rows if not r['ok'] or r['errors'])} of {len(rows)} checks ok; "
          f"{len(problems)} problem(s)")
    if args.json:
        with args.json.open("a", encoding="utf-8") as f:
            f.write(json.dumps({"engine": rev, "districts": args.districts, "items": args.items, "builds": builds,
                                "builds_wall_s": builds_wall, "first": first, "checks": rows, "truth": truth,
                                "bundle_bytes": bundle, "problems": problems}, ensure_ascii=False) + "\n")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
