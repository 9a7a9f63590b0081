#!/usr/bin/env python3
"""Print benchmark: seconds per page for a 200-item handbook and for all demo boards.

    python benchmarks/bench_print.py [--items 200] [--today 2026-11-23]

The handbook site is generated in a temporary folder from the repo's site.toml and
catalogue: N 服务-stage guides spread over the catalogue's 服务 leaves. The boards
are the demo district's (the repo itself). Timings include loading the site.
"""
from __future__ import annotations

import argparse
import datetime as dt
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from gkpub.content.catalog import load_catalog  # noqa: E402
from gkpub.content.config import load_config  # noqa: E402
from gkpub.content.loader import load_site  # noqa: E402
from gkpub.outputs.print.board import print_all_boards  # noqa: E402
from gkpub.outputs.print.fonts import check_fonts  # noqa: E402
from gkpub.outputs.print.handbook import print_handbook  # noqa: E402
from gkpub.outputs.print.render import paper  # noqa: E402
from gkpub.util.errors import ErrorList  # noqa: E402

SECTIONS = (
    ("一、适用对象", "具有本区户籍或持有本区居住证的{what}申请人，符合{matter}相关政策规定条件的，均可申请办理。"),
    ("二、申请材料", "1. 申请人有效身份证件原件及复印件；\n2. 户口簿或居住证；\n"
                    "3. {matter}申请表（窗口领取或网上下载）；\n4. 其他需要提供的证明材料。"),
    ("三、办理流程", "申请人向街道（乡镇）便民服务中心或区政务服务中心{what}窗口提出申请，窗口一次性告知需补正的材料；"
                    "受理后由{org}审核，符合条件的予以办理，不符合条件的书面告知理由。"),
    ("四、办理时限", "自受理之日起{days}个工作日内办结。"),
    ("五、收费标准", "不收费。"),
    ("六、办理地点和时间", "区政务服务中心一楼综合受理窗口；"
                          "周一至周五上午9:00—12:00，下午14:00—17:30（法定节假日除外）。"),
)
TABLE = ("\n| 情形 | 办理方式 | 时限 |\n| --- | --- | --- |\n| 首次申请 | 窗口或网上办理 | {days}个工作日 |\n"
         "| 变更信息 | 窗口办理 | 5个工作日 |\n| 注销 | 窗口办理 | 即办 |\n")


def make_handbook_site(root: Path, n_items: int) -> Path:
    """A copy of the demo's configuration and catalogue with ``n_items`` generated guides."""
    root.mkdir(parents=True)
    shutil.copy(REPO / "site.toml", root / "site.toml")
    shutil.copytree(REPO / "layouts", root / "layouts")  # the footer's mark images site.toml names
    shutil.copytree(REPO / "content" / "catalog", root / "content" / "catalog")
    errors = ErrorList(root=root)
    cfg = load_config(root, errors)
    catalog = load_catalog(root, cfg, errors)
    assert cfg is not None and not errors, errors.report()
    leaves = [leaf for leaf in catalog.leaves if leaf.stage == "服务"]
    assert leaves, "the catalogue has no 服务 leaves"
    items = root / "content" / "items" / "bench"
    items.mkdir(parents=True)
    for n in range(1, n_items + 1):
        leaf = leaves[n % len(leaves)]
        org = cfg.org_by_name(leaf.elements["公开主体"])
        days = 5 + n % 16
        fill = {"what": leaf.matter.name, "matter": leaf.matter.name, "org": org.name, "days": days}
        body = "\n\n".join(f"## {h}\n\n{t.format(**fill)}" for h, t in SECTIONS)
        if n % 3 == 0:
            body += "\n" + TABLE.format(**fill)
        published = dt.date(2026, 1, 5) + dt.timedelta(days=n % 300)
        (items / f"guide-{n:04d}.md").write_text(
            "---\n"
            f"标题: {leaf.matter.name}办事指南（第{n}号）\n"
            f"索引号: {org.code}/2026-{n:05d}\n"
            f"目录: {leaf.path}\n"
            f"成文日期: {published - dt.timedelta(days=2)}\n"
            f"发布日期: {published}\n"
            "---\n" + body + "\n", encoding="utf-8")
    return root


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--items", type=int, default=200)
    ap.add_argument("--today", type=dt.date.fromisoformat, default=dt.date(2026, 11, 23))
    a = ap.parse_args(argv)
    for w in check_fonts():
        print("warning:", w, file=sys.stderr)
    rows: list[tuple[str, int, float, float]] = []  # what, pages, wall s, CPU s
    with tempfile.TemporaryDirectory() as tmp:
        tmp_dir = Path(tmp)
        site_dir = make_handbook_site(tmp_dir / "site", a.items)
        t0, c0 = time.perf_counter(), time.process_time()
        site = load_site(site_dir, a.today)
        hb = print_handbook(site, None, paper("A5"), tmp_dir / "out")
        rows.append((f"handbook A5, {hb.items} guides", hb.pages,
                     time.perf_counter() - t0, time.process_time() - c0))

        t0, c0 = time.perf_counter(), time.process_time()
        demo = load_site(REPO, a.today)
        results = print_all_boards(demo, paper("A3"), tmp_dir / "out")
        sheets = sum(r.pages for r in results)
        rows.append((f"all demo boards A3 ({len(results)} boards, "
                     f"{sum(r.items for r in results)} postings)", sheets,
                     time.perf_counter() - t0, time.process_time() - c0))

    # CPU time is the steadier figure on a shared machine; wall time is what a user waits
    print(f"{'what':<44} {'pages':>6} {'wall s':>7} {'s/page':>7} {'CPU s':>7} {'CPU s/page':>10}")
    for what, pages, wall, cpu in rows:
        n = max(1, pages)
        print(f"{what:<44} {pages:>6} {wall:>7.2f} {wall / n:>7.3f} {cpu:>7.2f} {cpu / n:>10.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
