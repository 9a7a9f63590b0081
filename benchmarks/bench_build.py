"""gkpub against Hugo on the same generated corpus, measured in the same run.

    python benchmarks/bench_build.py --items 1000 10000 [--runs 2] [--work /tmp/gkbench]

For each size: generate the corpus (gkpub and Hugo forms, same seed), then per run
- Hugo: cold build to disk (hugo_build.one_run: wall, peak RSS);
- gkpub: cold full build (no cache, empty output), as a subprocess, wall and peak RSS;
- gkpub: incremental CLI build after editing one item's body (cache on disk);
- gkpub: the same edit in a long-running builder (what `gkpub serve` does), time until on disk;
- gkpub: incremental CLI build after editing the item page template.
Prints one table with the ratio gkpub / Hugo; figures are measurements, not targets.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO))

import hugo_build  # noqa: E402

TODAY = "2026-11-23"


def run_gkpub(site: Path, out: Path, *extra: str) -> dict:
    cmd = [sys.executable, "-m", "gkpub", "build", "--site", str(site), "--out", str(out),
           "--today", TODAY, "--no-search", *extra]
    with tempfile.TemporaryFile("w+") as so:
        t0 = time.perf_counter()
        p = subprocess.Popen(cmd, stdout=so, stderr=subprocess.STDOUT, cwd=REPO)
        _, status, ru = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t0
        so.seek(0)
        text = so.read()
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"gkpub failed:\n{text}")
    # ru_maxrss of the children of the waited process is the largest single process
    return {"wall_s": round(wall, 3), "peak_rss_mb": round(ru.ru_maxrss / 1024, 1),
            "cpu_s": round(ru.ru_utime + ru.ru_stime, 2), "summary": text.splitlines()[0]}


def first_item(site: Path) -> Path:
    return sorted((site / "content" / "items").rglob("*.md"))[0]


def edit_body(path: Path, n: int) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(text.rstrip("\n") + f"\n\n（第 {n} 次修改的补充说明。）\n", encoding="utf-8")


def serve_style_edit(site: Path, out: Path) -> float:
    """Seconds from an item save to its page on disk, in a warm builder (as in gkpub serve)."""
    from gkpub.build.builder import Builder, BuildOptions
    opts = BuildOptions(site_dir=site, out_dir=out, today=dt.date.fromisoformat(TODAY), search=False,
                        cache_dir=site / ".cache" / "gkpub")
    builder = Builder(opts, keep_state=True)
    builder.run()
    builder.tidy()  # as serve does when idle
    item = first_item(site)
    edit_body(item, 99)
    t0 = time.perf_counter()
    result = builder.run(extras=False, changed={str(item)})  # serve passes what the watcher saw
    took = time.perf_counter() - t0
    assert result.rendered >= 1
    builder.run_extras()
    return took


def bench_size(n: int, work: Path, runs: int, hugo: str) -> list[dict]:
    site, hsite = work / f"gk{n}", work / f"hugo{n}"
    if not site.exists():
        subprocess.run([sys.executable, str(HERE / "gen_corpus.py"), "--items", str(n), "--out", str(site),
                        "--hugo", str(hsite), "--seed", "1"], check=True, stdout=subprocess.DEVNULL)
    rows = []
    for r in range(1, runs + 1):
        row: dict = {"items": n, "run": r}
        h = hugo_build.one_run(hugo, hsite, work / f"hugo{n}-out", work / f"hugo{n}-cache", use_time=False)
        row["hugo_s"], row["hugo_rss_mb"] = h["wall_s"], h["peak_rss_mb"]
        out = work / f"gk{n}-out"
        shutil.rmtree(out, ignore_errors=True)
        shutil.rmtree(site / ".cache", ignore_errors=True)
        full = run_gkpub(site, out, "--clean")
        row["gk_full_s"], row["gk_rss_mb"] = full["wall_s"], full["peak_rss_mb"]
        run_gkpub(site, out)  # writes the cache for what follows
        edit_body(first_item(site), r)
        row["gk_edit_cli_s"] = run_gkpub(site, out)["wall_s"]
        row["gk_edit_serve_s"] = round(serve_style_edit(site, out), 3)
        tmpl = site / "layouts"
        if not tmpl.exists():
            shutil.copytree(REPO / "gkpub" / "theme" / "layouts", tmpl)
        item_tpl = tmpl / "item.html"
        item_tpl.write_text(item_tpl.read_text(encoding="utf-8").replace("附件</h2>", f"附件{r}</h2>"),
                            encoding="utf-8")
        row["gk_template_s"] = run_gkpub(site, out)["wall_s"]
        row["ratio_full"] = round(row["gk_full_s"] / row["hugo_s"], 2)
        rows.append(row)
        print(json.dumps(row, ensure_ascii=False), flush=True)
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--items", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--runs", type=int, default=2)
    ap.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "gkbench")
    args = ap.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    hugo = hugo_build.find_hugo()
    print(f"machine: {os.cpu_count()} cores; {hugo_build.hugo_version(hugo)}", flush=True)
    rows = [row for n in args.items for row in bench_size(n, args.work, args.runs, hugo)]
    print()
    print("| items | run | Hugo full | gkpub full | gkpub/Hugo | gkpub peak RSS | Hugo peak RSS |"
          " edit 1 item (CLI) | edit 1 item (serve) | edit item template (CLI) |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in rows:
        print(f"| {r['items']} | {r['run']} | {r['hugo_s']:.2f} s | {r['gk_full_s']:.2f} s | {r['ratio_full']:.2f} | "
              f"{r['gk_rss_mb']:.0f} MB | {r['hugo_rss_mb']:.0f} MB | {r['gk_edit_cli_s']:.2f} s | "
              f"{r['gk_edit_serve_s'] * 1000:.0f} ms | {r['gk_template_s']:.2f} s |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
