"""`gkpub new item`: a new item file with the next free 索引号 of its 公开主体."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from gkpub.content.catalog import load_catalog
from gkpub.content.config import load_config
from gkpub.content.items import item_files
from gkpub.content.model import Leaf
from gkpub.util.errors import BuildFailed, ErrorList, UsageError, did_you_mean

_INDEX_LINE = re.compile(r"^索引号\s*:\s*['\"]?([0-9A-Z]{9,18})/(\d{4})-(\d{5})", re.M)


def next_index_no(site_dir: Path, code: str, year: int) -> str:
    """The next serial after the highest one used by this org in this year.

    Reads raw text rather than validated items, so files with other errors still
    reserve their numbers.
    """
    highest = 0
    for path in item_files(site_dir):
        try:
            text = Path(path).read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        for m in _INDEX_LINE.finditer(text):
            if m.group(1) == code and int(m.group(2)) == year:
                highest = max(highest, int(m.group(3)))
    return f"{code}/{year}-{highest + 1:05d}"


def item_path(site_dir: Path, leaf: Leaf | None, index_no: str) -> Path:
    """Where a new item with this 索引号 is written (`gkpub new item` and the importers):
    the folder of its catalogue domain (``new`` without a leaf)."""
    code, _, year_serial = index_no.rpartition("/")
    year, _, serial = year_serial.partition("-")
    folder = site_dir / "content" / "items" / (leaf.domain.slug if leaf else "new")
    return folder / f"{year}-{code[-4:].lower()}-{serial}.md"


def new_item(site_dir: Path, today: dt.date, org: str | None, catalog_path: str | None,
             title: str, year: int | None = None) -> Path:
    errors = ErrorList(root=site_dir)
    cfg = load_config(site_dir, errors)
    if cfg is None or errors:
        raise BuildFailed(errors)
    org_obj = cfg.org_by_name(org or cfg.government)
    if org_obj is None:
        raise UsageError(f"没有公开主体「{org}」；{did_you_mean(org or '', cfg.org_names)}"
                         f"可用：{'、'.join(cfg.org_names)}")
    catalog = load_catalog(site_dir, cfg, errors)
    leaves = catalog.leaf_by_path()
    leaf = None
    if catalog_path:
        leaf = leaves.get(catalog_path)
        if leaf is None:
            raise UsageError(f"目录「{catalog_path}」不存在；{did_you_mean(catalog_path, leaves)}")
    year = year or today.year
    index_no = next_index_no(site_dir, org_obj.code, year)
    path = item_path(site_dir, leaf, index_no)
    path.parent.mkdir(parents=True, exist_ok=True)
    d = today.isoformat()
    text = (
        "---\n"
        f"标题: {title}\n"
        f"索引号: {index_no}\n"
        f"目录: {leaf.path if leaf else '领域/事项/公开内容   # 请改为标准目录中的条目'}\n"
        f"公开主体: {org_obj.name}\n"
        f"成文日期: {d}\n"
        f"发布日期: {d}\n"
        f"# 文号: {(org_obj.doc_prefix or ('机关代字',))[0]}〔{year}〕1号\n"
        "# 摘要: 一两句话的要点\n"
        "草稿: true\n"
        "---\n\n"
        "（正文：用 Markdown 书写。发布前删除上面的「草稿: true」。）\n"
    )
    path.write_text(text, encoding="utf-8")
    return path
