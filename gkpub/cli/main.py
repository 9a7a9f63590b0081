"""The gkpub command line.

Exit codes: 0 ok; 1 content errors (what the site's files say is wrong, fixed by editing them);
2 a usage error or a problem with the environment (a mistyped command or option, a port in use,
an output folder that cannot be written, standard output closed early as in
``gkpub check | head -1``: one line on stderr, no traceback); 130 interrupted (Ctrl-C).

Options every command takes: ``-q`` (no summary on success; errors and hints still go to
stderr), ``-v`` (more detail, on stderr so stdout stays what the command produces).
"""
from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import errno
import io
import os
import sys
import time
import traceback
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from gkpub import __version__
from gkpub.cli.argparse_zh import ChineseParser, date_arg, int_arg
from gkpub.cli.compliance import (
    add_check_args,
    add_compliance_parsers,
    build_summary,
    run_check,
    run_import,
    run_report,
)
from gkpub.util.errors import BuildFailed, UsageError, warnings_report

if TYPE_CHECKING:
    from gkpub.build.builder import Builder
    from gkpub.content.model import Site

EXIT_OK, EXIT_CONTENT, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130
QUIET, NORMAL, VERBOSE = 0, 1, 2

EXIT_CODES = ("退出码：0 成功；1 内容有错误；2 命令用法错误或运行环境问题（如端口被占用、输出目录无法写入）；"
              "130 被 Ctrl-C 中断。")

SITE_HELP = "站点目录（含 site.toml），默认为当前目录"
TODAY_HELP = "把这一天当作今天（YYYY-MM-DD），决定哪些信息已发布、是否逾期；默认为今天"
# --out, wherever a command writes (or, for check --links, reads) something: (metavar, help)
OUT_KINDS: dict[str, tuple[str, str]] = {
    "build": ("目录", "输出目录，默认为 站点目录/public；预览（--drafts、--future）默认为 站点目录/preview，"
                      "不能写入 public"),
    "print": ("目录", "输出目录（打印文件写在其中的 print/ 下），默认为 站点目录/public"),
    "links": ("目录", "与 --links 一起使用：已生成网站的目录，默认为 站点目录/public"),
    "report": ("文件", "写入这个文件；省略时输出到屏幕"),
    "review": ("文件", "写入这个文件，不能在网站输出目录中；默认为 站点目录/reports/review-年份.md"),
    "import": ("目录", "输出目录，默认为 站点目录/content/catalog"),
    "import_requests": ("目录", "输出目录，默认为 站点目录/data/requests（按年份分文件夹）"),
}


def site_args(p: argparse.ArgumentParser, out: str | None = None, today: bool = True) -> None:
    """--site, --out (``out``: a key of OUT_KINDS) and --today, the same in every command."""
    p.add_argument("--site", type=Path, default=Path("."), metavar="目录", help=SITE_HELP)
    if out is not None:
        metavar, text = OUT_KINDS[out]
        p.add_argument("--out", type=Path, default=None, metavar=metavar, help=text)
    if today:
        p.add_argument("--today", type=date_arg, default=None, metavar="日期", help=TODAY_HELP)


def _verbosity_args(p: argparse.ArgumentParser, top: bool) -> None:
    # On subcommands the default is SUPPRESS, so that `gkpub -q build` keeps the -q given before.
    default = NORMAL if top else argparse.SUPPRESS
    g = p.add_mutually_exclusive_group()
    g.add_argument("-q", "--quiet", dest="verbosity", action="store_const", const=QUIET, default=default,
                   help="安静：成功时不显示汇总，只显示错误和提示")
    g.add_argument("-v", "--verbose", dest="verbosity", action="store_const", const=VERBOSE, default=default,
                   help="显示更多细节（如生成的各个阶段、输出写到了哪里）")


def _subparsers(p: argparse.ArgumentParser) -> Iterator[argparse.ArgumentParser]:
    for action in p._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in dict.fromkeys(action.choices.values()):  # aliases name a parser twice
                yield child
                yield from _subparsers(child)


def _name_metavars(p: argparse.ArgumentParser, names: dict[str, str]) -> None:
    """Chinese placeholders for options defined elsewhere without one (argparse would show
    the upper-cased option name)."""
    for action in p._actions:
        if action.option_strings and action.metavar is None and action.dest in names:
            action.metavar = names[action.dest]


def _default_cache(site_dir: Path) -> Path:
    return site_dir / ".cache" / "gkpub"


def _output_dir(args: argparse.Namespace, site_dir: Path, cache: Path, preview: bool = False) -> Path:
    """The output folder named by --out (or the default for a build of this kind), once the
    guard allows writing it (UsageError otherwise: see outguard)."""
    from gkpub.store.outguard import check_output, default_out
    out = (args.out or default_out(site_dir, preview)).resolve()
    check_output(out, site_dir, cache, preview)
    return out


def make_parser(only_build: bool = False) -> argparse.ArgumentParser:
    """The whole command line; ``only_build``: the top level and `build` alone, the same for
    every `gkpub build …` (a no-op build is mostly start-up, and the other commands' options
    import more of gkpub)."""
    parser = ChineseParser(prog="gkpub", description="gkpub：政务公开静态网站生成器", epilog=EXIT_CODES)
    parser.add_argument("--version", action="version", version=f"gkpub {__version__}", help="显示版本号并退出")
    _verbosity_args(parser, top=True)
    sub = parser.add_subparsers(dest="command", metavar="命令")
    b = sub.add_parser("build", help="生成网站到 public/")
    site_args(b, out="build")
    b.add_argument("--drafts", action="store_true", help="包含草稿（仅供预览）")
    b.add_argument("--future", action="store_true", help="包含发布日期在今天之后的信息（仅供预览）")
    b.add_argument("--no-search", action="store_true", help="不生成全文检索索引（编辑时更快）")
    b.add_argument("--cache", type=Path, default=None, metavar="目录",
                   help="缓存目录（可随时删除），默认为 站点目录/.cache/gkpub；只重新生成有变化的页面")
    b.add_argument("--clean", action="store_true", help="不使用缓存，全部重新生成")
    if only_build:
        _verbosity_args(b, top=False)
        return parser
    sv = sub.add_parser("serve", help="生成并在本机预览，保存文件后自动更新页面")
    site_args(sv, out="build")
    sv.add_argument("--port", type=int_arg(0, 65535), default=8000, metavar="端口",
                    help="端口，默认 8000（0 表示任选一个空闲端口）")
    sv.add_argument("--host", default="127.0.0.1", metavar="地址", help="监听地址，默认 127.0.0.1（仅本机）")
    sv.add_argument("--drafts", action="store_true", help="包含草稿")
    sv.add_argument("--future", action="store_true", help="包含发布日期在今天之后的信息")
    sv.add_argument("--search", action="store_true", help="同时生成全文检索索引（较慢）")
    sv.add_argument("--cache", type=Path, default=None, metavar="目录",
                    help="缓存目录（可随时删除），默认为 站点目录/.cache/gkpub")
    c = sub.add_parser("check", help="只检查内容，不生成网站")
    site_args(c, out="links")
    add_check_args(c)
    n = sub.add_parser("new", help="新建站点或内容")
    kinds = n.add_subparsers(dest="what", metavar="种类")
    kinds.required = True
    from gkpub.authoring.new_site import add_new_site_args
    ns = kinds.add_parser("site", help="新建一个站点（在新的或空的文件夹中）")
    add_new_site_args(ns, date_arg)
    _name_metavars(ns, {"district": "区名", "city": "市名", "domain": "网址", "code": "信用代码",
                        "site_id": "标识码", "today": "日期"})
    ni = kinds.add_parser("item", help="新建一篇公开信息")
    site_args(ni)
    ni.add_argument("--org", default=None, metavar="公开主体", help="公开主体（全称或简称），决定索引号前缀")
    ni.add_argument("--catalog", default=None, metavar="领域/事项/公开内容",
                    help="目录：领域/事项/公开内容（必填；在终端中运行时缺少会询问）")
    ni.add_argument("--title", default=None, metavar="标题", help="标题（必填；在终端中运行时缺少会询问）")
    ni.add_argument("--year", type=int_arg(1900, 9999), default=None, metavar="年份", help="索引号年份，默认今年")
    from gkpub.cli.printing import add_print_parser
    add_print_parser(sub, site_args)
    from gkpub.cli.admin import add_admin_parser
    add_admin_parser(sub, site_args)
    add_compliance_parsers(sub, site_args)
    for p in _subparsers(parser):
        _verbosity_args(p, top=False)
    return parser


def detail(args: argparse.Namespace, text: str) -> None:
    """A -v line: on stderr, so that stdout stays what the command produces."""
    if args.verbosity >= VERBOSE:
        print(text, file=sys.stderr, flush=True)


def _summary_only_stdout(args: argparse.Namespace) -> contextlib.AbstractContextManager[object]:
    """For -q with commands whose stdout is nothing but a success summary printed by a module
    outside the CLI (new site, import): drop it."""
    return contextlib.redirect_stdout(io.StringIO()) if args.verbosity == QUIET else contextlib.nullcontext()


def _summary_line(pages: int, how: str, published: int, held: str, seconds: float, out: Path) -> str:
    return f"已生成 {pages} 个页面（{how}；发布 {published} 条信息；未发布：{held}），用时 {seconds:.1f} 秒 → {out}"


def _held(site: Site) -> str:
    """The items not published, by reason, as the summary line shows them."""
    return "，".join(f"{k} {v} 条" for k, v in site.held_back.items()) or "无"


def _stamp_summary(builder: Builder) -> dict[str, object]:
    """What a build prints, kept with its no-op stamp for a build that skips (cli/noop.py)."""
    site, report = builder.site, builder.report
    return {"pages": len(builder.page_paths), "published": len(site.published),
            "held": _held(site),
            "report_path": str(builder.report_file),
            "report_line": build_summary(report, builder.report_file) if report is not None else None,
            "warnings": warnings_report(site.warnings) if site.warnings else None}


def _phase_lines(timings: dict[str, float], before: float, stamp: float | None, total: float) -> str:
    from gkpub.build.builder import PHASES
    rows: list[tuple[str, float | None]] = [("核对是否与上次相同", before)]
    rows += [(label, timings.get(name)) for name, label in PHASES]
    rows += [("记录本次的输入和输出（供下次核对）", stamp), ("合计", total)]
    return "各阶段用时：\n" + "\n".join(
        f"  {label}：{'未进行' if sec is None else f'{sec:.2f} 秒'}" for label, sec in rows)


def _build(args: argparse.Namespace, site_dir: Path, today: dt.date) -> int:
    from gkpub.cli import noop
    t0 = time.perf_counter()
    quiet = args.verbosity == QUIET
    preview = args.drafts or args.future
    cache = (args.cache or _default_cache(site_dir)).resolve()
    out = _output_dir(args, site_dir, cache, preview=preview)
    detail(args, f"站点目录：{site_dir}")
    detail(args, f"输出目录：{out}（{'预览' if preview else '正式网站'}）")
    detail(args, f"缓存目录：{cache}" + ("（--clean：本次不使用缓存）" if args.clean else ""))
    req = noop.Request(site_dir=site_dir, out_dir=out, cache_dir=cache, today=today, drafts=args.drafts,
                       future=args.future, search=not args.no_search)
    hit, why = (None, "--clean") if args.clean else noop.check(req)
    before = time.perf_counter() - t0
    if hit is not None:
        done = hit.summary
        if done["warnings"]:
            print(done["warnings"], file=sys.stderr)
        detail(args, f"生成方式：{noop.SKIPPED}（核对用时 {before:.2f} 秒）")
        detail(args, f"合规报告：{done['report_path']}")
        detail(args, f"各阶段用时：\n  核对是否与上次相同：{before:.2f} 秒\n  其余阶段：跳过（{noop.SKIPPED}）")
        if not quiet:
            print(_summary_line(done["pages"], "更新 0 个、删除 0 个页面", done["published"], done["held"],
                                time.perf_counter() - t0, out))
            if done["report_line"] is not None:
                print(done["report_line"])
        return EXIT_OK
    detail(args, f"不能跳过生成：{why}")
    noop.stamps.discard(cache, out)
    inputs = req.snapshot_inputs()  # before anything is read: what changes later shows next time
    before = time.perf_counter() - t0
    from gkpub.build.builder import BuildOptions, build
    record = noop.recorder(req, inputs, _stamp_summary)
    stamp_seconds: list[float] = []

    def at_end(builder: Builder) -> None:
        start = time.perf_counter()
        record(builder)
        stamp_seconds.append(time.perf_counter() - start)

    result = build(BuildOptions(site_dir=site_dir, out_dir=out, today=today,
                                drafts=args.drafts, future=args.future,
                                search=not args.no_search, cache_dir=cache,
                                clean=args.clean, progress=not quiet, at_end=at_end))
    if result.site.warnings:
        print(warnings_report(result.site.warnings), file=sys.stderr)
    detail(args, f"生成方式：{'增量' if result.incremental else '全部重新生成'}，"
                 f"写入 {result.rendered} 个页面" + (f"、删除 {result.removed} 个" if result.removed else "")
                 + f"；全文检索索引：{'未生成（--no-search）' if args.no_search else '已生成'}")
    if result.report_path is not None:
        detail(args, f"合规报告：{result.report_path}")
    detail(args, _phase_lines(result.timings, before, stamp_seconds[0] if stamp_seconds else None,
                              time.perf_counter() - t0))
    if not quiet:
        held = _held(result.site)
        how = (f"更新 {result.rendered} 个、删除 {result.removed} 个页面" if result.incremental
               else "全部重新生成")
        print(_summary_line(result.pages, how, len(result.site.published), held, time.perf_counter() - t0, out))
        if result.report is not None and result.report_path is not None:
            print(build_summary(result.report, result.report_path))
    return EXIT_OK


def _run(args: argparse.Namespace, site_dir: Path, today: dt.date) -> int:
    quiet = args.verbosity == QUIET
    if args.command == "new" and args.what == "site":
        from gkpub.authoring.new_site import run_new_site
        with _summary_only_stdout(args):
            return run_new_site(args, today)
    if not site_dir.is_dir():
        raise UsageError(f"站点目录不存在：{site_dir}")
    if args.command == "build":
        return _build(args, site_dir, today)
    if args.command == "serve":
        from gkpub.build.builder import BuildOptions
        from gkpub.cli.serve import serve
        cache = (args.cache or _default_cache(site_dir)).resolve()
        out = _output_dir(args, site_dir, cache, preview=args.drafts or args.future)
        detail(args, f"站点目录：{site_dir}\n输出目录：{out}\n缓存目录：{cache}")
        return serve(BuildOptions(site_dir=site_dir, out_dir=out, today=today, drafts=args.drafts,
                                  future=args.future, search=args.search, cache_dir=cache),
                     host=args.host, port=args.port, verbosity=args.verbosity)
    if args.command == "check":
        return run_check(args, site_dir, today)
    if args.command == "report":
        return run_report(args, site_dir, today)
    if args.command == "import":
        with _summary_only_stdout(args):
            return run_import(args, site_dir)
    if args.command == "new":
        from gkpub.authoring.new_item import new_item, terminal_ask
        tty = sys.stdin.isatty() and sys.stdout.isatty()
        path = new_item(site_dir, today=today, org=args.org, catalog_path=args.catalog,
                        title=args.title, year=args.year, ask=terminal_ask if tty else None)
        if not quiet:
            print(f"已新建：{path}")
        return EXIT_OK
    if args.command == "admin":
        from gkpub.cli.admin import run_admin
        return run_admin(args, site_dir, today)
    if args.command == "print":
        from gkpub.cli.printing import run_print
        from gkpub.store.outguard import claim
        out = _output_dir(args, site_dir, _default_cache(site_dir))
        claim(out)  # posters go in piece by piece
        detail(args, f"输出目录：{out}")
        return run_print(args, site_dir, today)
    return EXIT_USAGE


# ---------------------------------------------------------------- environment errors

def _write_target(args: argparse.Namespace, site_dir: Path) -> tuple[str, Path] | None:
    """What this command writes, as (how to call it, path): an OSError there is reported as
    「无法写入…」."""
    out: Path | None = getattr(args, "out", None)
    if args.command in ("build", "serve"):
        from gkpub.store.outguard import default_out
        return "输出目录", (out or default_out(site_dir, args.drafts or args.future)).resolve()
    if args.command == "print":
        return "输出目录", (out or site_dir / "public").resolve()
    if args.command == "report" and out is not None:
        return "输出文件", out.resolve()
    if args.command == "report" and args.report_kind == "review":
        return "输出文件", (site_dir / "reports").resolve()
    if args.command == "import":
        default = {"requests": "data/requests", "docx": "content/items", "list": "content/items"}.get(
            args.import_kind, "content/catalog")
        return "输出目录", (out or site_dir / default).resolve()
    if args.command == "new" and args.what == "site":
        return "新站点目录", Path(args.dir).resolve()
    return None


def _concerns(exc: OSError, target: Path, site_dir: Path) -> bool:
    """Did ``exc`` happen writing ``target``: in it, on the lock and working folders gkpub
    keeps beside it (``.<name>.lock``, ``.<name>.tmp-…``), or making a folder above it (but
    not the site's own)?"""
    for name in (exc.filename, exc.filename2):
        if name is None:
            continue
        path = Path(os.path.abspath(os.fsdecode(name)))
        if path.is_relative_to(target):
            return True
        if path.parent == target.parent and path.name.startswith(f".{target.name}."):
            return True
        if target.is_relative_to(path) and not site_dir.is_relative_to(path):
            return True
    return False


_REASONS = {
    errno.EACCES: "没有权限", errno.EPERM: "没有权限", errno.EROFS: "文件系统是只读的",
    errno.ENOSPC: "磁盘空间不足", errno.EDQUOT: "超出磁盘配额", errno.ENAMETOOLONG: "文件名太长",
    errno.ENOTDIR: "路径中有一段是文件，不是目录", errno.EEXIST: "已有同名的文件",
    errno.EISDIR: "这是一个目录，不是文件", errno.ENOENT: "文件或目录不存在",
}


def _file_in_the_way(name: str) -> Path | None:
    """The nearest of ``name`` and its parents that exists and is not a folder."""
    for path in (Path(name), *Path(name).parents):
        if path.exists():
            return None if path.is_dir() else path
    return None


def os_reason(exc: OSError) -> str:
    """「没有权限（/srv/out/.public.lock）」: what went wrong, in Chinese when we know the errno."""
    if exc.filename is None:
        return _REASONS.get(exc.errno or 0) or exc.strerror or str(exc)
    name = os.fsdecode(exc.filename)
    if exc.errno in (errno.EEXIST, errno.ENOTDIR) and (blocker := _file_in_the_way(name)) is not None:
        return f"{blocker} 是一个文件，不是目录"
    return f"{_REASONS.get(exc.errno or 0) or exc.strerror or exc}（{name}）"


def _os_error(exc: OSError, args: argparse.Namespace, site_dir: Path) -> str:
    target = _write_target(args, site_dir)
    if target is not None and _concerns(exc, target[1], site_dir):
        return f"无法写入{target[0]} {target[1]}：{os_reason(exc)}"
    return f"读写文件时出错：{os_reason(exc)}"


def _stdout_to_devnull() -> None:
    """After EPIPE on stdout: point it at /dev/null so that Python's final flush of what is
    still buffered does not fail again at exit (as the signal module's documentation advises)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, io.UnsupportedOperation):
        pass


def _main(argv: list[str] | None) -> int:
    given = sys.argv[1:] if argv is None else argv
    command = next((a for a in given if a not in ("-q", "--quiet", "-v", "--verbose")), None)
    parser = make_parser(only_build=command == "build")
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return EXIT_USAGE
    site_dir: Path = args.site.resolve()
    today = getattr(args, "today", None) or dt.date.today()
    try:
        return _run(args, site_dir, today)
    except BuildFailed as exc:
        print(exc.errors.report(), file=sys.stderr)
        return EXIT_CONTENT
    except UsageError as exc:
        print(f"gkpub: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        raise  # stdout closed: main() handles it
    except OSError as exc:
        if args.verbosity >= VERBOSE:
            traceback.print_exc()
        print(f"gkpub: {_os_error(exc, args, site_dir)}", file=sys.stderr)
        return EXIT_USAGE


def main(argv: list[str] | None = None) -> int:
    try:
        try:
            return _main(argv)
        finally:
            sys.stdout.flush()  # a closed pipe shows here, not in the interpreter's last flush
    except BrokenPipeError:
        _stdout_to_devnull()
        try:
            print("gkpub: 输出在读完之前被关闭（例如接了 | head），其余内容没有输出。", file=sys.stderr)
        except OSError:
            pass  # stderr closed too: nothing left to tell
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("\ngkpub: 已中断。", file=sys.stderr)
        return EXIT_INTERRUPTED


if __name__ == "__main__":
    sys.exit(main())
