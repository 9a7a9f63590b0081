"""`gkpub import docx` and `gkpub import list`: a 公文 in Word, a roster in Excel → an item.

Wired into `gkpub import` by cli/compliance.py (the parsers) and its run_import (the dispatch).
"""
from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path

from gkpub.cli.argparse_zh import date_arg, int_arg

CATALOG_HELP = "所属目录：领域/事项/公开内容，如 养老服务/高龄津贴/政策文件"


def add_import_item_parsers(what: argparse._SubParsersAction, site_args: Callable[..., None]) -> None:
    d = what.add_parser("docx", help="把 Word 公文（.docx）转换为一篇公开信息，写到 gkpub new item 写的位置")
    d.add_argument("file", type=Path, metavar="文件", help="Word 公文：.docx（.doc 请先另存为 .docx）")
    site_args(d)
    d.add_argument("--catalog", default=None, metavar="领域/事项/公开内容",
                   help=CATALOG_HELP + "（省略时列出可选的条目）")
    d.add_argument("--org", default=None, metavar="公开主体",
                   help="公开主体（全称或简称）；省略时按文中的发文机关确定")
    d.add_argument("--mask", action="store_true",
                   help="文中有未遮蔽的身份证号、手机号、银行卡号时按本站的遮蔽规则遮蔽后导入（默认拒绝导入）")
    d.add_argument("--dry-run", action="store_true", help="只显示将生成的内容，不写入任何文件")
    li = what.add_parser("list", help="把 Excel 名单（.xlsx、.xls 或 .csv）转换为一篇公示信息，个人信息自动遮蔽")
    li.add_argument("file", type=Path, metavar="文件", help="名单：.xlsx、.xls 或 .csv（第一行可以是标题）")
    site_args(li)
    li.add_argument("--catalog", default=None, metavar="领域/事项/公开内容",
                    help="所属目录：领域/事项/公开内容，如 养老服务/高龄津贴/发放名单")
    li.add_argument("--title", default=None, metavar="标题", help="标题；省略时用表格的标题行，没有时用文件名")
    li.add_argument("--org", default=None, metavar="公开主体", help="公开主体；省略时用目录条目的公开主体")
    li.add_argument("--start", type=date_arg, default=None, metavar="日期", help="公示开始日期，默认为今天")
    g = li.add_mutually_exclusive_group()
    g.add_argument("--end", type=date_arg, default=None, metavar="日期", help="公示结束日期")
    g.add_argument("--days", type=int_arg(1, 366), default=None, metavar="天数",
                   help="公示天数（含开始当天），如 7")
    li.add_argument("--sheet", default=None, metavar="工作表", help="读哪个工作表，默认第一个有内容的")
    li.add_argument("--dry-run", action="store_true", help="只显示将生成的内容，不写入任何文件")


def run_import_item(args: argparse.Namespace, site_dir: Path) -> int:
    from gkpub.authoring.new_item import item_path, next_index_no  # where `gkpub new item` writes

    today = args.today or dt.date.today()
    if args.import_kind == "docx":
        from gkpub.importer.docx_item import DocxImport, import_docx
        return import_docx(DocxImport(file=args.file.resolve(), site_dir=site_dir, today=today,
                                      next_index=next_index_no, place=item_path, catalog=args.catalog,
                                      org=args.org, mask=args.mask, dry_run=args.dry_run))
    from gkpub.importer.xlsx_list import ListImport, import_list
    ask = input if sys.stdin.isatty() and sys.stderr.isatty() else None
    return import_list(ListImport(file=args.file.resolve(), site_dir=site_dir, today=today, catalog=args.catalog,
                                  next_index=next_index_no, place=item_path,
                                  title=args.title, org=args.org, start=args.start, end=args.end, days=args.days,
                                  sheet=args.sheet, dry_run=args.dry_run, ask=ask))
