"""gkpub against Hugo on the same generated corpus, measured in the same run.

    python benchmarks/bench_build.py --items 10000 [--runs 1] [--work /tmp/gkbench]
                                     [--cases full noop body title base serve] [--modes search nosearch hugo]
                                     [--json FILE]

For each size the corpus is generated once (gkpub and Hugo forms, same seed, gen_corpus.py).
gkpub runs a snapshot of the engine (`git archive HEAD gkpub` into WORK/engine-<commit>):
the build cache trusts only the engine that wrote it, and others edit the checkout. Every
build is a subprocess; per build: wall time, CPU (user + sys of the process and the children
it waited for: Pagefind, forked workers), peak RSS of the largest single process (rusage),
peak RSS of the whole process tree (sum over the tree, sampled every 50 ms from /proc) and the
1-minute load average at its start.

Cases, in this order, for gkpub with search on, gkpub --no-search and Hugo (each its own
output and cache dir):
- full: gkpub `build --clean` into an empty output folder; Hugo cold (output, --cacheDir and
  resources/_gen deleted first);
- noop: the same command again, nothing changed; gkpub twice (the first run after a --clean
  build, then a second one), Hugo once: a second `hugo` with its output and cache dir kept.
  Hugo's CLI has no incremental build (only `hugo server` re-renders what changed), so every
  Hugo row after `full` is a whole re-render with a warm cache dir;
- body: a sentence appended to one published item's body;
- title: that item's title changed (it is shown on list pages: home, stage, domain, org,
  catalogue); the number of output pages that show the new title is printed beside it;
- base: the base layout edited (gkpub: the site's own layouts/base.html, a copy of the
  theme's placed before the full build, so that only its edit is timed; Hugo:
  layouts/baseof.html), a paragraph added to the footer of every page;
- serve (gkpub --no-search only): the body edit in a long-running builder, as `gkpub serve`
  does it (the watcher's list of changed files); time from save to page on disk.
Prints one markdown table per size and run; figures are measurements, not targets.
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
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

import hugo_build  # noqa: E402
from bench_search import _tree_rss  # noqa: E402

TODAY = "2026-11-23"
PAGEFIND = REPO / "node_modules" / "@pagefind" / "linux-x64" / "bin" / "pagefind_extended"
CASES = ("full", "noop", "body", "title", "base", "serve")
MODES = ("search", "nosearch", "hugo")
ENGINE: dict[str, str] = {}  # PYTHONPATH (the snapshot) and GKPUB_PAGEFIND of the gkpub builds

# A body edit in a warm builder, as `gkpub serve` does it (argv: site out cache item today n).
SERVE = r"""
import datetime as dt, json, sys, time
from pathlib import Path
import gkpub
from gkpub.build.builder import Builder, BuildOptions
site, out, cache, item, today, n = sys.argv[1:]
opts = BuildOptions(site_dir=Path(site), out_dir=Path(out), today=dt.date.fromisoformat(today), search=False,
                    cache_dir=Path(cache))
builder = Builder(opts, keep_state=True)
builder.run()
builder.tidy()  # as serve does when idle
path = Path(item)
path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + f"\n\n（第 {n} 次在预览中修改的补充说明。）\n",
                encoding="utf-8")
t0, c0 = time.perf_counter(), time.process_time()
result = builder.run(extras=False, changed={str(path)})
took, cpu = time.perf_counter() - t0, time.process_time() - c0
assert result.rendered >= 1, result
builder.run_extras()
print(json.dumps({"wall_s": took, "cpu_s": cpu, "rendered": result.rendered, "engine": gkpub.__file__}))
"""


def load1() -> float:
    return float(Path("/proc/loadavg").read_text().split()[0])


def snapshot(work: Path) -> tuple[Path, str]:
    """`git archive HEAD gkpub` into WORK/engine-<commit> (once per commit); the builds run it."""
    rev = subprocess.run(["git", "rev-parse", "HEAD"], cwd=REPO, capture_output=True, text=True,
                         check=True).stdout.strip()
    snap = work / f"engine-{rev[:10]}"
    if not (snap / "gkpub" / "__init__.py").is_file():
        snap.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(["git", "archive", rev, "gkpub"], cwd=REPO, capture_output=True, check=True)
        subprocess.run(["tar", "-x", "-C", str(snap)], input=archive.stdout, check=True)
        # compiled as pip compiles an installed package: with PYTHONDONTWRITEBYTECODE set (as on
        # some CI machines) every build would otherwise compile the engine's modules again
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(snap / "gkpub")], check=True)
    pagefind = os.environ.get("GKPUB_PAGEFIND") or str(PAGEFIND)
    ENGINE.update(PYTHONPATH=str(snap), GKPUB_PAGEFIND=pagefind)
    return snap, rev


def tree_pss(root: int) -> int:
    """Proportional set size of ``root`` and its descendants in bytes (pages shared by forked
    workers counted once in all), from /proc/PID/smaps_rollup."""
    children: dict[int, list[int]] = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                stat = Path(f"/proc/{d}/stat").read_text()
            except OSError:
                continue
            children.setdefault(int(stat[stat.rindex(")") + 2:].split()[1]), []).append(int(d))
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        todo += children.get(pid, [])
        try:
            m = re.search(r"^Pss:\s+(\d+) kB", Path(f"/proc/{pid}/smaps_rollup").read_text(), re.M)
        except OSError:
            continue
        total += int(m[1]) * 1024 if m else 0
    return total


def measured(cmd: list[str], cwd: Path, env: dict[str, str] | None = None) -> dict:
    """Run ``cmd``; wall, CPU (user + sys, waited-for children included), peak RSS of the largest
    process (rusage) and of the process tree (sampled), load before; exit on failure."""
    load = load1()
    peak = [0, 0]
    done = threading.Event()
    with tempfile.TemporaryFile("w+") as so:
        t0 = time.perf_counter()
        p = subprocess.Popen(cmd, stdout=so, stderr=subprocess.STDOUT, cwd=cwd, env=env)

        def sample() -> None:
            while not done.is_set():
                peak[0] = max(peak[0], _tree_rss(p.pid)[0])
                peak[1] = max(peak[1], tree_pss(p.pid))
                done.wait(0.05)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status, ru = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t0
        done.set()
        sampler.join()
        p.returncode = os.waitstatus_to_exitcode(status)
        so.seek(0)
        text = so.read()
    if p.returncode != 0:
        sys.exit(f"failed ({p.returncode}): {' '.join(cmd)}\n{text}")
    return {"wall_s": round(wall, 3), "cpu_s": round(ru.ru_utime + ru.ru_stime, 2),
            "user_s": round(ru.ru_utime, 2), "sys_s": round(ru.ru_stime, 2),
            "rss_mb": round(ru.ru_maxrss / 1024), "tree_rss_mb": round(peak[0] / 2**20),
            "tree_pss_mb": round(peak[1] / 2**20), "load": load,
            "output": text}


def gkpub(site: Path, out: Path, cache: Path, search: bool, *extra: str) -> dict:
    cmd = [sys.executable, "-m", "gkpub", "build", "--site", str(site), "--out", str(out), "--cache", str(cache),
           "--today", TODAY, *([] if search else ["--no-search"]), *extra]
    r = measured(cmd, Path(ENGINE["PYTHONPATH"]), {**os.environ, **ENGINE})
    r["summary"] = next((ln for ln in r.pop("output").splitlines() if ln.startswith("已生成")), "")
    return r


def hugo(exe: str, site: Path, out: Path, cache: Path, clean: bool) -> dict:
    if clean:
        for d in (out, cache, site / "resources" / "_gen"):
            shutil.rmtree(d, ignore_errors=True)
    (site / ".hugo_build.lock").unlink(missing_ok=True)
    r = measured([exe, "--source", str(site), "--destination", str(out), "--cacheDir", str(cache)], site)
    text = r.pop("output")
    m = re.search(r"Total in (\d+) ms", text)
    r["summary"] = f"Total in {m[1]} ms" if m else ""
    return r


def serve_edit(site: Path, out: Path, cache: Path, item: Path, n: int) -> dict:
    load = load1()
    done = subprocess.run([sys.executable, "-c", SERVE, str(site), str(out), str(cache), str(item), TODAY, str(n)],
                          cwd=ENGINE["PYTHONPATH"], env={**os.environ, **ENGINE}, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"serve-style edit failed:\n{done.stdout}\n{done.stderr}")
    r = json.loads(done.stdout.strip().splitlines()[-1])
    if not r.pop("engine").startswith(ENGINE["PYTHONPATH"]):
        sys.exit("the serve-style edit did not run the snapshot")
    return {"wall_s": round(r["wall_s"], 3), "cpu_s": round(r["cpu_s"], 3), "load": load,
            "summary": f"{r['rendered']} page(s) rendered"}


# ---------------------------------------------------------------- edits

def pick_item(site: Path, hsite: Path) -> tuple[Path, Path]:
    """The first item (sorted paths) that both tools publish; same relative path in both corpora."""
    for path in sorted((site / "content" / "items").rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        head = text.split("\n---", 1)[0]
        hpath = hsite / path.relative_to(site)
        if "公开属性" in head or not hpath.is_file() or "draft: true" in hpath.read_text(encoding="utf-8"):
            continue
        m = re.search(r"^发布日期: (\S+)", head, re.M)
        if m and m[1] <= TODAY:
            return path, hpath
    sys.exit(f"{site}: no item to edit")


def append_body(path: Path, n: int) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(text.rstrip("\n") + f"\n\n（第 {n} 次修改的补充说明。）\n", encoding="utf-8")


def retitle(path: Path, key: str, marker: str) -> None:
    """Append ``marker`` to the title line ``key: …`` (quoted or not)."""
    text = path.read_text(encoding="utf-8")
    new, k = re.subn(rf'^({key}: "?)(.*?)("?)$', lambda m: m[1] + m[2] + marker + m[3], text, count=1, flags=re.M)
    if k != 1:
        sys.exit(f"{path}: no {key} line")
    path.write_text(new, encoding="utf-8")


def edit_footer(path: Path, n: str) -> None:
    text = path.read_text(encoding="utf-8")
    marker = re.compile(r'<p class="bench-edit">[^<]*</p>\n')
    text = marker.sub("", text)
    if "</footer>" not in text:
        sys.exit(f"{path}: no </footer>")
    path.write_text(text.replace("</footer>", f'<p class="bench-edit">{n}</p>\n</footer>', 1), encoding="utf-8")


def pages_with(out: Path, needle: str) -> int:
    data = needle.encode()
    return sum(1 for p in out.rglob("*.html") if data in p.read_bytes())


# ---------------------------------------------------------------- one size

class Builds:
    """One build command of a mode (gkpub with or without search, Hugo), with its own output and cache."""

    def __init__(self, mode: str, hugo_exe: str, site: Path, hsite: Path, out: Path, cache: Path) -> None:
        self.mode, self.hugo_exe, self.site, self.hsite, self.out, self.cache = mode, hugo_exe, site, hsite, out, cache

    def __call__(self, clean: bool = False) -> dict:
        if self.mode == "hugo":
            return hugo(self.hugo_exe, self.hsite, self.out, self.cache, clean)
        if clean:
            shutil.rmtree(self.out, ignore_errors=True)
            shutil.rmtree(self.cache, ignore_errors=True)
        return gkpub(self.site, self.out, self.cache, self.mode == "search", *(["--clean"] if clean else []))


def bench_size(n: int, work: Path, run: int, hugo_exe: str, cases: list[str], modes: list[str]) -> dict:
    site, hsite = work / f"gk{n}", work / f"hugo{n}"
    if not (site / "site.toml").is_file() or not (hsite / "hugo.toml").is_file():
        for d in (site, hsite):
            shutil.rmtree(d, ignore_errors=True)
        subprocess.run([sys.executable, str(HERE / "gen_corpus.py"), "--items", str(n), "--out", str(site),
                        "--hugo", str(hsite), "--seed", "1"], check=True, stdout=subprocess.DEVNULL)
    base = site / "layouts" / "base.html"
    if not base.is_file():  # the site's own base layout, unchanged: only its edit is timed
        base.parent.mkdir(exist_ok=True)
        shutil.copy(Path(ENGINE["PYTHONPATH"]) / "gkpub" / "theme" / "layouts" / "base.html", base)
    item, hitem = pick_item(site, hsite)
    res: dict = {"items": n, "run": run, "item": str(item.relative_to(site)), "cells": {}}

    def put(mode: str, case: str, r: dict) -> None:
        res["cells"][f"{mode}/{case}"] = r
        print(json.dumps({"items": n, "run": run, "mode": mode, "case": case, **r}, ensure_ascii=False), flush=True)

    for mode in modes:
        out, cache = work / f"{mode}{n}-out", work / f"{mode}{n}-cache"
        build = Builds(mode, hugo_exe, site, hsite, out, cache)
        src, title_key, layout = (hitem, "title", hsite / "layouts" / "baseof.html") if mode == "hugo" \
            else (item, "标题", base)
        if "full" in cases or not out.is_dir():
            put(mode, "full", build(clean=True))
        if "noop" in cases:
            put(mode, "noop", build())
            if mode != "hugo":
                put(mode, "noop2", build())
        if "body" in cases:
            append_body(src, run)
            put(mode, "body", build())
        if "title" in cases:
            marker = f"（修订{run}{mode}）"
            retitle(src, title_key, marker)
            r = build()
            r["pages_with_title"] = pages_with(out, marker)
            put(mode, "title", r)
        if "base" in cases:
            edit_footer(layout, f"{run}-{mode}")  # another text for each mode: they share the site
            put(mode, "base", build())
        if "serve" in cases and mode == "nosearch":
            put(mode, "serve", serve_edit(site, out, cache, item, run))
    return res


# ---------------------------------------------------------------- table

LABELS = {"full": "full build (cold)", "noop": "no-op rebuild (1st after full)", "noop2": "no-op rebuild (again)",
          "body": "one-item body edit", "title": "one-item title edit", "base": "base-template edit",
          "serve": "one-item body edit in `gkpub serve`'s warm builder"}
HEADS = {"search": "gkpub, search on", "nosearch": "gkpub --no-search", "hugo": "Hugo"}


def cell(r: dict | None) -> str:
    if r is None:
        return "—"
    if "rss_mb" not in r:  # serve-style: in-process figures
        return f"{r['wall_s'] * 1000:.0f} ms (CPU {r['cpu_s'] * 1000:.0f} ms, load {r['load']:.1f})"
    extra = f"; {r['pages_with_title']:,} pages show the title" if "pages_with_title" in r else ""
    return (f"{r['wall_s']:.2f} s (CPU {r['cpu_s']:.2f} s; RSS {r['rss_mb']:,} MB, tree {r['tree_rss_mb']:,} MB"
            f"{', PSS ' + format(r['tree_pss_mb'], ',') + ' MB' if 'tree_pss_mb' in r else ''}; "
            f"load {r['load']:.1f}{extra})")


def table(res: dict, modes: list[str]) -> str:
    lines = [f"{res['items']:,} items, run {res['run']} (edited item: {res['item']})", "",
             "| case | " + " | ".join(HEADS[m] for m in modes) + " |",
             "| --- |" + " --- |" * len(modes)]
    for case, label in LABELS.items():
        row = [res["cells"].get(f"{m}/{case}") for m in modes]
        if any(row):
            lines.append(f"| {label} | " + " | ".join(cell(r) for r in row) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    ap.add_argument("--items", type=int, nargs="+", default=[10000])
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "gkbench")
    ap.add_argument("--cases", nargs="+", choices=CASES, default=list(CASES))
    ap.add_argument("--modes", nargs="+", choices=MODES, default=list(MODES))
    ap.add_argument("--json", type=Path, help="append every result as one JSON line")
    args = ap.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    hugo_exe = hugo_build.find_hugo()
    _snap, rev = snapshot(args.work)
    print(f"machine: {os.cpu_count()} cores; {hugo_build.hugo_version(hugo_exe)}; gkpub engine {rev[:10]} "
          f"(snapshot {ENGINE['PYTHONPATH']}); load {Path('/proc/loadavg').read_text().strip()}", flush=True)
    results = [bench_size(n, args.work, r, hugo_exe, args.cases, args.modes)
               for n in args.items for r in range(1, args.runs + 1)]
    if args.json:
        with args.json.open("a", encoding="utf-8") as f:
            for res in results:
                f.write(json.dumps({"engine": rev, **res}, ensure_ascii=False) + "\n")
    print()
    for res in results:
        print(table(res, args.modes))
        print()
    print("CPU: user + sys of the build and the children it waited for; RSS: the largest single process; "
          "tree: the sum of RSS over the build's process tree at its peak (50 ms samples; pages that forked "
          "workers share counted in each); PSS: the same with shared pages split between the processes "
          "(the memory the build really holds); load: 1-minute load "
          "average at the start.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
