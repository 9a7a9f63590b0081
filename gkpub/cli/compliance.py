"""`gkpub check` options and the `gkpub report` / `gkpub import` commands.

Exit codes as the rest of the CLI: 0 ok, 1 content errors (or findings with
--strict, or unreadable rows on import), 2 usage errors.
"""
from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from gkpub.cli.argparse_zh import int_arg
from gkpub.util.errors import BuildFailed, UsageError, warnings_report

if TYPE_CHECKING:
    from gkpub.compliance.checks import Report
    from gkpub.content.config import Org
    from gkpub.content.model import Site


def add_check_args(c: argparse.ArgumentParser) -> None:
    c.add_argument("--format", choices=["text", "json"], default="text",
                   help="输出格式：text 供人阅读（默认），json 供程序处理")
    c.add_argument("--strict", action="store_true",
                   help="有「警告」级别的合规问题时也以退出码 1 结束（供编辑仓库的 CI 使用）；「提示」不影响")
    c.add_argument("--links", action="store_true",
                   help="改为检查已生成的网站：失效的站内链接、页内锚点和附件（先运行 gkpub build）")


def add_compliance_parsers(sub: argparse._SubParsersAction, site_args: Callable[..., None]) -> None:
    """``site_args(parser, out=kind, today=…)`` adds --site, --out and --today (cli.main)."""
    r = sub.add_parser("report", help="生成报告草稿")
    kinds = r.add_subparsers(dest="report_kind", metavar="种类")
    kinds.required = True
    a = kinds.add_parser("annual", help="政府信息公开工作年度报告草稿（Markdown）")
    a.add_argument("year", type=int_arg(1900, 9999), metavar="年份", help="报告年度，如 2026")
    a.add_argument("--org", default=None, metavar="机关",
                   help="只统计这个机关（部门、街镇）的信息和依申请公开登记，起草它自己的年报，如 --org 区民政局；"
                        "省略时（或写本级政府）起草全区的年报")
    site_args(a, out="report")
    v = kinds.add_parser("review", help="不予公开、依申请公开信息的年度复核清单（内部材料，不在网站发布）")
    v.add_argument("year", type=int_arg(1900, 9999), metavar="年份", help="复核年度，如 2026")
    v.add_argument("--org", default=None, metavar="机关",
                   help="只列这个机关（部门、街镇）的信息，如 --org 区民政局；省略时列全区的")
    site_args(v, out="review")

    i = sub.add_parser("import", help="导入已有的表格")
    what = i.add_subparsers(dest="import_kind", metavar="种类")
    what.required = True
    c = what.add_parser("catalog", help="把标准目录表（.xlsx、.xls 或 .csv）转换为 content/catalog/*.yaml")
    c.add_argument("file", type=Path, metavar="文件", help="标准目录表：.xlsx、.xls 或 .csv（UTF-8 或 GBK）")
    site_args(c, out="import", today=False)  # an import reads no dates
    c.add_argument("--slug", action="append", default=[], metavar="领域=代码",
                   help="领域的网址代码，如 --slug 养老服务=yanglao（可多次使用）；"
                        "省略时沿用站点中同名领域的代码，否则依次用 d01、d02…")
    c.add_argument("--domain", default=None, metavar="领域",
                   help="表中没有领域列时（如 DB31/T 1297 样式），所有行属于这个领域；默认用工作表名称")
    c.add_argument("--stage", default=None, metavar="过程",
                   help="表中没有「过程」且无法从名称推断时使用的五公开环节")
    c.add_argument("--force", action="store_true", help="覆盖已存在的目录文件")
    c.add_argument("--add-orgs", action="store_true",
                   help="表中有 site.toml 没有的公开主体时，把它们作为 [[org]] 写入 site.toml"
                        "（占位代码须换成真实代码）")
    q = what.add_parser("requests", help="把依申请公开登记台账（.xlsx 或 .csv）转换为 data/requests/ 中的登记表")
    q.add_argument("file", type=Path, metavar="文件", help="登记台账：.xlsx 或 .csv（UTF-8 或 GBK）")
    site_args(q, out="import_requests")
    q.add_argument("--org", default=None, metavar="机关",
                   help="台账所属的机关（表中没有「机关」列时必填），如 区民政局")
    q.add_argument("--force", action="store_true", help="覆盖已存在的登记表")
    from gkpub.cli.importing import add_import_item_parsers
    add_import_item_parsers(what, site_args)  # docx, list: a 公文 or a roster → an item


def build_summary(report: Report, path: Path) -> str:
    """The line `gkpub build` prints after the pages: findings and where to read them."""
    from gkpub.compliance.text import summary_line

    return (f"{summary_line(report)}详见 {path}（内部报告，不在输出目录中，不随网站部署）；"
            "运行 gkpub check 可在终端查看。")


def run_check(args: argparse.Namespace, site_dir: Path, today: dt.date) -> int:
    if getattr(args, "links", False):
        return run_link_check(args, site_dir)
    from gkpub.compliance.checks import check_site
    from gkpub.compliance.text import format_text, to_json
    from gkpub.content.loader import load_site

    try:
        site = load_site(site_dir, today)
    except BuildFailed as exc:
        if args.format == "json":
            print(to_json(None, exc.errors))
            return 1
        raise
    if site.warnings:
        print(warnings_report(site.warnings), file=sys.stderr)
    report = check_site(site)
    print(to_json(report) if args.format == "json" else format_text(report))
    return 1 if args.strict and report.count("warning") else 0


def run_link_check(args: argparse.Namespace, site_dir: Path) -> int:
    """`gkpub check --links`: exit 1 when any internal link, anchor or attachment is broken."""
    import json

    from gkpub.compliance.links import check_links, format_text, site_base_url

    out = (args.out or site_dir / "public").resolve()
    if not out.is_dir():
        raise UsageError(f"找不到已生成的网站 {out}：请先运行 gkpub build（或用 --out 指定网站目录）")
    report = check_links(out, site_base_url(site_dir))
    if args.format == "json":
        print(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
    else:
        print(format_text(report, out))
    return 1 if report.broken else 0


def run_report(args: argparse.Namespace, site_dir: Path, today: dt.date) -> int:
    if args.report_kind == "review":
        return run_review(args, site_dir, today)
    from gkpub.content.loader import load_site
    from gkpub.outputs.report.annual import annual_draft, count_year

    site = load_site(site_dir, today)
    org = _org_option(site, args.org)
    counts = count_year(site, args.year, org)
    text = annual_draft(site, counts)
    if args.out is None:
        sys.stdout.write(text)
        return 0
    out = args.out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    if args.verbosity:  # not -q
        print(f"已生成 {args.year} 年度报告草稿 → {out}（统计了 {counts.considered} 条信息；其余部分请补充完整）")
    return 0


def _org_option(site: Site, name: str | None) -> Org | None:
    """The org named by --org (None: the whole district), or the error that names the choices."""
    if name is None:
        return None
    org = site.config.org_by_name(name)
    if org is None:
        from gkpub.util.errors import did_you_mean
        raise UsageError(f"--org「{name}」不在 site.toml 的 [[org]] 中；{did_you_mean(name, site.config.org_names)}")
    return org


def run_review(args: argparse.Namespace, site_dir: Path, today: dt.date) -> int:
    """`gkpub report review YEAR`: the list is written to reports/ (never into an output folder)."""
    from gkpub.content.loader import load_site
    from gkpub.outputs.report.review import check_not_in_output, due_items, review_markdown, review_path

    out: Path | None = args.out
    if out is not None:
        check_not_in_output(out, site_dir)  # before any work
    site = load_site(site_dir, today)
    org = _org_option(site, args.org)
    path = (out or review_path(site_dir, args.year, org)).resolve()
    check_not_in_output(path, site_dir)
    dues = due_items(site, args.year, org)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(review_markdown(site, args.year, org, dues), encoding="utf-8")
    if args.verbosity:  # not -q
        overdue = sum(1 for d in dues if d.due < site.today)
        print(f"已生成 {args.year} 年复核清单 → {path}（{len(dues)} 件到期，其中已逾期 {overdue} 件；"
              "内部材料，不在网站输出目录中，不随网站部署）")
    return 0


def run_import(args: argparse.Namespace, site_dir: Path) -> int:
    if args.import_kind in ("docx", "list"):
        from gkpub.cli.importing import run_import_item
        return run_import_item(args, site_dir)
    if args.import_kind == "requests":
        from gkpub.importer.requests import RequestImport, import_requests
        if not args.file.is_file():
            raise UsageError(f"找不到文件：{args.file}")
        return import_requests(RequestImport(file=args.file.resolve(), site_dir=site_dir, org=args.org,
                                             out_dir=args.out.resolve() if args.out else None,
                                             force=args.force, today=args.today or dt.date.today()))
    from gkpub.importer.run import ImportOptions, import_catalog

    slugs: dict[str, str] = {}
    for entry in args.slug:
        name, sep, slug = entry.partition("=")
        if not sep or not name.strip() or not slug.strip():
            raise UsageError(f"--slug「{entry}」应写作 领域=代码，如 --slug 养老服务=yanglao")
        slugs[name.strip()] = slug.strip()
    if not args.file.is_file():
        raise UsageError(f"找不到文件：{args.file}")
    out = (args.out or site_dir / "content" / "catalog").resolve()
    opts = ImportOptions(file=args.file.resolve(), site_dir=site_dir, out_dir=out, slugs=slugs,
                         domain=args.domain, stage=args.stage, force=args.force, add_orgs=args.add_orgs)
    return import_catalog(opts)
