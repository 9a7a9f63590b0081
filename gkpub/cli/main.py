"""The gkpub command line. Exit codes: 0 ok, 1 content errors, 2 usage errors."""
from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

from gkpub.cli.compliance import (
    add_check_args,
    add_compliance_parsers,
    build_summary,
    run_check,
    run_import,
    run_report,
)
from gkpub.util.errors import BuildFailed, UsageError


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse exits 2 on usage errors, as we want
        self.print_usage(sys.stderr)
        self.exit(2, f"gkpub: 命令用法错误：{message}\n")


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"「{text}」不是 YYYY-MM-DD 格式的日期") from None


def _site_args(p: argparse.ArgumentParser, out: bool = False, preview: bool = False) -> None:
    p.add_argument("--site", type=Path, default=Path("."), help="站点目录（含 site.toml），默认为当前目录")
    if out:
        p.add_argument("--out", type=Path, default=None, help="输出目录，默认为 站点目录/public" + (
            "；预览（--drafts、--future）默认为 站点目录/preview，不能写入 public" if preview else ""))
    p.add_argument("--today", type=_date, default=None, help="按这一天生成（YYYY-MM-DD），默认今天")


def _default_cache(site_dir: Path) -> Path:
    return site_dir / ".cache" / "gkpub"


def _output_dir(args: argparse.Namespace, site_dir: Path, cache: Path, preview: bool = False) -> Path:
    """The output folder named by --out (or the default for a build of this kind), once the
    guard allows writing it (UsageError otherwise: see outguard)."""
    from gkpub.store.outguard import check_output, default_out
    out = (args.out or default_out(site_dir, preview)).resolve()
    check_output(out, site_dir, cache, preview)
    return out


def make_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="gkpub", description="gkpub：政务公开静态网站生成器")
    sub = parser.add_subparsers(dest="command", metavar="命令", parser_class=_Parser)
    b = sub.add_parser("build", help="生成网站到 public/")
    _site_args(b, out=True, preview=True)
    b.add_argument("--drafts", action="store_true", help="包含草稿（仅供预览）")
    b.add_argument("--future", action="store_true", help="包含发布日期在今天之后的信息（仅供预览）")
    b.add_argument("--no-search", action="store_true", help="不生成全文检索索引（编辑时更快）")
    b.add_argument("--cache", type=Path, default=None,
                   help="缓存目录（可随时删除），默认为 站点目录/.cache/gkpub；只重新生成有变化的页面")
    b.add_argument("--clean", action="store_true", help="不使用缓存，全部重新生成")
    sv = sub.add_parser("serve", help="生成并在本机预览，保存文件后自动更新页面")
    _site_args(sv, out=True, preview=True)
    sv.add_argument("--port", type=int, default=8000, help="端口，默认 8000")
    sv.add_argument("--host", default="127.0.0.1", help="监听地址，默认 127.0.0.1（仅本机）")
    sv.add_argument("--drafts", action="store_true", help="包含草稿")
    sv.add_argument("--future", action="store_true", help="包含发布日期在今天之后的信息")
    sv.add_argument("--search", action="store_true", help="同时生成全文检索索引（较慢）")
    c = sub.add_parser("check", help="只检查内容，不生成网站")
    _site_args(c)
    add_check_args(c)
    n = sub.add_parser("new", help="新建站点或内容")
    kinds = n.add_subparsers(dest="what", metavar="种类", parser_class=_Parser)
    kinds.required = True
    from gkpub.authoring.new_site import add_new_site_args
    add_new_site_args(kinds.add_parser("site", help="新建一个站点（在新的或空的文件夹中）"), _date)
    n = kinds.add_parser("item", help="新建一篇公开信息")
    _site_args(n)
    n.add_argument("--org", help="公开主体（全称或简称），决定索引号前缀", default=None)
    n.add_argument("--catalog", help="目录：领域/事项/公开内容", default=None)
    n.add_argument("--title", help="标题", default="（请填写标题）")
    n.add_argument("--year", type=int, default=None, help="索引号年份，默认今年")
    from gkpub.cli.printing import add_print_parser
    add_print_parser(sub, _site_args)
    add_compliance_parsers(sub, _site_args)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = make_parser()
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return 2
    site_dir: Path = args.site.resolve()
    today = args.today or dt.date.today()
    try:
        if not site_dir.is_dir():
            raise UsageError(f"站点目录不存在：{site_dir}")
        if args.command == "build":
            from gkpub.build.builder import BuildOptions, build
            t0 = time.perf_counter()
            cache = (args.cache or _default_cache(site_dir)).resolve()
            out = _output_dir(args, site_dir, cache, preview=args.drafts or args.future)
            result = build(BuildOptions(site_dir=site_dir, out_dir=out, today=today,
                                        drafts=args.drafts, future=args.future,
                                        search=not args.no_search, cache_dir=cache,
                                        clean=args.clean, progress=True))
            held = "，".join(f"{k} {v} 条" for k, v in result.site.held_back.items()) or "无"
            how = (f"更新 {result.rendered} 个、删除 {result.removed} 个页面" if result.incremental
                   else "全部重新生成")
            print(f"已生成 {result.pages} 个页面（{how}；发布 {len(result.site.published)} 条信息；"
                  f"未发布：{held}），用时 {time.perf_counter() - t0:.1f} 秒 → {out}")
            if result.report is not None and result.report_path is not None:
                print(build_summary(result.report, result.report_path))
            return 0
        if args.command == "serve":
            from gkpub.build.builder import BuildOptions
            from gkpub.cli.serve import serve
            cache = _default_cache(site_dir)
            out = _output_dir(args, site_dir, cache, preview=args.drafts or args.future)
            return serve(BuildOptions(site_dir=site_dir, out_dir=out, today=today, drafts=args.drafts,
                                      future=args.future, search=args.search, cache_dir=cache),
                         host=args.host, port=args.port)
        if args.command == "check":
            return run_check(args, site_dir, today)
        if args.command == "report":
            return run_report(args, site_dir, today)
        if args.command == "import":
            return run_import(args, site_dir)
        if args.command == "new" and args.what == "site":
            from gkpub.authoring.new_site import run_new_site
            return run_new_site(args, today)
        if args.command == "new":
            from gkpub.authoring.new_item import new_item
            path = new_item(site_dir, today=today, org=args.org, catalog_path=args.catalog,
                            title=args.title, year=args.year)
            print(f"已新建：{path}")
            return 0
        if args.command == "print":
            from gkpub.cli.printing import run_print
            from gkpub.store.outguard import claim
            claim(_output_dir(args, site_dir, _default_cache(site_dir)))  # posters go in piece by piece
            return run_print(args, site_dir, today)
    except BuildFailed as exc:
        print(exc.errors.report(), file=sys.stderr)
        return 1
    except UsageError as exc:
        print(f"gkpub: {exc}", file=sys.stderr)
        return 2
    return 2


if __name__ == "__main__":
    sys.exit(main())
