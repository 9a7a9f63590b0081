"""`gkpub print …`: board posters, handbooks and notices. Exit codes as the rest of the CLI."""
from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from collections.abc import Callable
from pathlib import Path

from gkpub.util.errors import UsageError


def add_print_parser(sub: argparse._SubParsersAction,
                     site_args: Callable[..., None]) -> None:
    p = sub.add_parser("print", help="打印公开栏海报、办事一本通和公示")
    kinds = p.add_subparsers(dest="print_kind", metavar="种类")
    kinds.required = True

    def poster_args(q: argparse.ArgumentParser) -> None:
        q.add_argument("--paper", choices=["A2", "A3", "A4"], default="A3", help="纸张，默认 A3")
        q.add_argument("--landscape", action="store_true", help="横向（默认纵向）")
        site_args(q, out="print")

    b = kinds.add_parser("board", help="一个社区/村公开栏的海报 → public/print/boards/<公开栏>.pdf")
    b.add_argument("board", metavar="公开栏", help="公开栏名称（社区或村，见 site.toml 的 [[township]]）")
    poster_args(b)
    a = kinds.add_parser("boards", help="所有公开栏的海报和索引页 → public/print/boards/")
    poster_args(a)
    h = kinds.add_parser("handbook", help="办事一本通（服务类信息，按领域和事项编排）")
    h.add_argument("--domain", default=None, metavar="领域", help="只收一个领域（名称或代码），默认全部")
    h.add_argument("--paper", choices=["A5", "A4"], default="A5", help="纸张，默认 A5")
    site_args(h, out="print")
    n = kinds.add_parser("notice", help="一条信息的 A4 公示")
    n.add_argument("index_no", metavar="索引号", help="要打印的信息的索引号")
    site_args(n, out="print")


def run_print(args: argparse.Namespace, site_dir: Path, today: dt.date) -> int:
    from gkpub.store.locks import hold, lock_file

    out_dir = (args.out or site_dir / "public").resolve()
    if out_dir == site_dir:
        raise UsageError(f"输出目录 {out_dir} 不能是站点目录本身")
    with hold(lock_file(out_dir), f"输出目录 {out_dir}"):  # never while a build writes the folder
        return _print(args, site_dir, today, out_dir)


def _print(args: argparse.Namespace, site_dir: Path, today: dt.date, out_dir: Path) -> int:
    # imported here: loading WeasyPrint takes a moment and other commands don't need it
    from gkpub.content.loader import load_site
    from gkpub.outputs.print.fonts import FontError, check_fonts
    from gkpub.outputs.print.render import PrintError, paper

    t0 = time.perf_counter()
    say = print if args.verbosity else _silent  # -q: no summary lines; hints still go to stderr
    try:
        for warning in check_fonts():
            print(f"提示：{warning}", file=sys.stderr)
        site = load_site(site_dir, today)
        if args.print_kind in ("board", "boards"):
            from gkpub.outputs.print.board import print_all_boards, print_board, unassigned
            sheet = paper(args.paper, args.landscape)
            boards = ([print_board(site, args.board, sheet, out_dir)]
                      if args.print_kind == "board" else print_all_boards(site, sheet, out_dir))
            for b in boards:
                say(f"{b.board.township.name} {b.board.name}：{b.items} 条信息，{sheet.label} {b.pages} 张 → {b.path}")
            if args.print_kind == "boards":
                index = boards[0].path.parent / "index.html" if boards else out_dir
                say(f"共 {len(boards)} 个公开栏，索引页 → {index}")
                left = unassigned(site)
                if left:
                    names = "、".join(i.source for i in left[:3]) + ("等" if len(left) > 3 else "")
                    print(f"提示：{len(left)} 条信息的公开渠道含公示栏，但没有填写「公开栏」，未上栏：{names}",
                          file=sys.stderr)
        elif args.print_kind == "handbook":
            from gkpub.outputs.print.handbook import print_handbook
            h = print_handbook(site, args.domain, paper(args.paper), out_dir)
            say(f"办事一本通：{h.items} 条办事指南，{h.domains} 个领域，{args.paper} {h.pages} 页 → {h.path}")
        else:
            from gkpub.outputs.print.notice import print_notice
            n = print_notice(site, args.index_no, out_dir)
            for warning in n.warnings:
                print(f"提示：{warning}", file=sys.stderr)
            say(f"公示：{n.title}，A4 {n.pages} 页 → {n.path}")
    except (FontError, PrintError) as exc:
        print(f"gkpub: {exc}", file=sys.stderr)
        return 1
    say(f"用时 {time.perf_counter() - t0:.1f} 秒")
    return 0


def _silent(*_args: object, **_kwargs: object) -> None:
    pass
