"""`gkpub new item`: a new item file with the next free 索引号 of its 公开主体.

The file it writes always validates (as the draft it is): 标题 and 目录 are required, asked
for on a terminal (``ask``) or named in a usage error (exit 2) otherwise; the text is checked
with the item validator before anything is written. The file is named by what it is — the
date and a short form of the title — in the folder of its catalogue domain; the 文号 hint
uses the org's own 机关代字 and the next number it has not used this year; the body starts
with the leaf's 要素 as headings.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from gkpub.content.catalog import load_catalog
from gkpub.content.config import Org, SiteConfig, load_config
from gkpub.content.frontmatter import yaml_scalar
from gkpub.content.hints import leaf_named, not_in_catalog, unknown_org_message
from gkpub.content.items import BODY_PLACEHOLDER, DRAFT_NOTE, FILL_IN, item_files, validate_document
from gkpub.content.model import Catalog, Leaf
from gkpub.content.prepare import prepare
from gkpub.util.errors import BuildFailed, ErrorList, UsageError

_INDEX_LINE = re.compile(r"^索引号\s*:\s*['\"]?([0-9A-Z]{9,18})/(\d{4})-(\d{5})", re.M)
# What a short title leaves out: the issuing body up to 关于, and the 公文 kind at the end.
_TITLE_HEAD = re.compile(r"^.{0,30}?关于")
_TITLE_TAIL = re.compile(r"的(?:通知|公告|通告|决定|意见|批复|报告|函)$")
_UNSAFE = re.compile(r"[\\/:*?\"<>|\s#%&{}$!'`=+@^~\[\]（）()《》「」『』“”‘’，,。；;：、！？]+")
SHORT_TITLE = 16  # characters of the title kept in the file name

Ask = Callable[[str], str]


def next_index_no(site_dir: Path, code: str, year: int) -> str:
    """The next serial after the highest one used by this org in this year.

    Reads raw text rather than validated items, so files with other errors still
    reserve their numbers.
    """
    return next_index_nos(site_dir, [code], year)[code]


def next_index_nos(site_dir: Path, codes: Iterable[str], year: int) -> dict[str, str]:
    """next_index_no of each org code, from one reading of the item files."""
    highest = dict.fromkeys(codes, 0)
    for text in _item_texts(site_dir):
        for m in _INDEX_LINE.finditer(text):
            if m.group(1) in highest and int(m.group(2)) == year:
                highest[m.group(1)] = max(highest[m.group(1)], int(m.group(3)))
    return {code: f"{code}/{year}-{n + 1:05d}" for code, n in highest.items()}


def next_doc_no(site_dir: Path, prefix: str, year: int) -> str:
    """The 文号 after the highest this 机关代字 has used in ``year`` (from the items' text)."""
    rx = re.compile(r"^文号\s*:\s*['\"]?" + re.escape(prefix) + "〔" + str(year) + r"〕(\d+)号", re.M)
    highest = max((int(m.group(1)) for text in _item_texts(site_dir) for m in rx.finditer(text)), default=0)
    return f"{prefix}〔{year}〕{highest + 1}号"


def _item_texts(site_dir: Path) -> Iterator[str]:
    """The raw text of every item file that can be read."""
    for path in item_files(site_dir):
        try:
            yield Path(path).read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue


def short_title(title: str) -> str:
    """The title as a file name: no issuing body, no 「的通知」, no punctuation, 16 characters."""
    text = title.strip()
    cut = _TITLE_HEAD.sub("", text)
    text = cut if len(cut) >= 4 else text
    text = _TITLE_TAIL.sub("", text)
    text = _UNSAFE.sub("-", text).strip("-.")
    return text[:SHORT_TITLE].strip("-.") or "xinxi"


def item_path(site_dir: Path, leaf: Leaf | None, index_no: str, *, title: str = "",
              day: dt.date | None = None) -> Path:
    """Where a new item with this 索引号 is written (`gkpub new item` and the importers):
    the folder of its catalogue domain (``new`` without a leaf). With ``title`` and ``day``
    the name says what the item is (``2026-12-03-高龄津贴发放名单公示.md``, ``-2`` … when
    taken); without them, the 索引号's year, org and serial."""
    folder = site_dir / "content" / "items" / (leaf.domain.slug if leaf else "new")
    if title and day is not None:
        stem = f"{day.isoformat()}-{short_title(title)}"
        path, n = folder / f"{stem}.md", 1
        while path.exists():
            n += 1
            path = folder / f"{stem}-{n}.md"
        return path
    code, _, year_serial = index_no.rpartition("/")
    year, _, serial = year_serial.partition("-")
    return folder / f"{year}-{code[-4:].lower()}-{serial}.md"


def _leaf_choices(catalog: Catalog) -> str:
    return "\n".join(f"  {n}. {leaf.path}（{leaf.stage}）" for n, leaf in enumerate(catalog.leaves, 1))


def _ask_leaf(ask: Ask, catalog: Catalog, leaves: dict[str, Leaf]) -> Leaf:
    prompt = f"标准目录中的条目：\n{_leaf_choices(catalog)}\n目录（输入序号或「领域/事项/公开内容」）："
    for _ in range(3):
        answer = ask(prompt).strip()
        if answer.isdigit() and 1 <= int(answer) <= len(catalog.leaves):
            return catalog.leaves[int(answer) - 1]
        leaf = leaf_named(leaves, answer)
        if leaf is not None:
            return leaf
        if not answer:
            problem = f"没有输入目录：请输入上面列出的序号（1 到 {len(catalog.leaves)}）"
        elif answer.isdigit():
            problem = f"没有序号 {answer}：序号是上面列出的 1 到 {len(catalog.leaves)}"
        else:
            problem = not_in_catalog(answer, leaves)
        prompt = f"{problem}\n目录（输入序号或「领域/事项/公开内容」）："
    raise UsageError("三次都没有选出目录条目，未新建文件")


def _ask_title(ask: Ask) -> str:
    for _ in range(3):
        answer = ask("标题：").strip()
        if answer:
            return answer
    raise UsageError("没有输入标题，未新建文件")


def missing_options(title: str | None, catalog_path: str | None) -> list[str]:
    """The required options not given, as the command line writes them."""
    missing = []
    if not catalog_path:
        missing.append("--catalog 领域/事项/公开内容")
    if not title:
        missing.append("--title 标题")
    return missing


def _resolve_org(cfg: SiteConfig, org: str | None, leaf: Leaf) -> Org:
    if org:
        found = cfg.org_by_name(org)
        if found is None:
            message = unknown_org_message(org, cfg).replace("添加这个机关（", "添加这个机关后再运行（", 1)
            if "是不是" not in message:  # no typo to name: the ones there are, for --org
                there = "、".join(f"{o.name}（{o.short}）" if o.short and o.short != o.name else o.name
                                  for o in cfg.orgs)
                message = message.replace("公开主体；", f"公开主体（已有：{there}）；", 1)
            raise UsageError(message)
        return found
    inherited = leaf.elements.get("公开主体") or cfg.government
    found = cfg.org_by_name(inherited)
    assert found is not None  # the catalogue's 公开主体 is checked against the orgs
    return found


def item_text(cfg: SiteConfig, leaf: Leaf, org: Org, title: str, index_no: str, today: dt.date,
              doc_no_hint: str) -> str:
    """The new file: front matter of a draft, the leaf's 要素 as the body's headings."""
    d = today.isoformat()
    lines = [
        "---",
        f"标题: {yaml_scalar(title)}",
        f"索引号: {index_no}",
        f"目录: {leaf.path}",
    ]
    if org.name != leaf.elements.get("公开主体"):
        lines.append(f"公开主体: {org.name}")
    lines += [
        f"成文日期: {d}",
        f"发布日期: {d}",
        f"# 文号: {doc_no_hint}",
        "# 摘要: 一两句话的要点",
        "草稿: true",
        "---",
        "",
    ]
    elements = [str(e).strip() for e in leaf.elements.get("要素") or [] if str(e).strip()]
    for element in elements:
        lines += [f"## {element}", "", FILL_IN.format(element), ""]
    if not elements:
        lines += [BODY_PLACEHOLDER, ""]
    lines.append(DRAFT_NOTE)
    return "\n".join(lines) + "\n"


def new_item(site_dir: Path, today: dt.date, org: str | None, catalog_path: str | None,
             title: str | None, year: int | None = None, *, ask: Ask | None = None) -> Path:
    """Write a new draft item and return its path.

    ``ask`` (a terminal's input): asks for what is missing; without it, a missing 标题 or 目录
    is a UsageError naming the options. Nothing is written unless the text validates."""
    errors = ErrorList(root=site_dir)
    cfg = load_config(site_dir, errors)
    if cfg is None or errors:
        raise BuildFailed(errors)
    catalog = load_catalog(site_dir, cfg, errors)
    if errors:
        raise BuildFailed(errors)
    leaves = catalog.leaf_by_path()
    missing = missing_options(title, catalog_path)
    if missing and ask is None:
        example = catalog.leaves[0].path if catalog.leaves else "领域/事项/公开内容"
        raise UsageError(f"缺少 {'、'.join(missing)}，未新建文件；例如：gkpub new item --catalog {example} "
                         "--title 某某通知（在终端中运行时会逐项询问）")
    leaf: Leaf | None = None
    if catalog_path:
        leaf = leaf_named(leaves, catalog_path)
        if leaf is None:
            if ask is None:
                raise UsageError(f"目录{not_in_catalog(catalog_path, leaves)}")
            leaf = _ask_leaf(ask, catalog, leaves)
    elif ask is not None:
        leaf = _ask_leaf(ask, catalog, leaves)
    assert leaf is not None
    if not title:
        assert ask is not None
        title = _ask_title(ask)
    org_obj = _resolve_org(cfg, org, leaf)
    year = year or today.year
    index_no = next_index_no(site_dir, org_obj.code, year)
    prefix = org_obj.doc_prefix[0] if org_obj.doc_prefix else "机关代字"
    text = item_text(cfg, leaf, org_obj, title, index_no, today, next_doc_no(site_dir, prefix, year))
    path = item_path(site_dir, leaf, index_no, title=title, day=today)
    prep = prepare(path, tuple(cfg.privacy_allow), text.encode("utf-8"))
    if prep.source_error is not None:
        errors.add(path, prep.source_error[0], "", prep.source_error[1])
    else:
        validate_document(prep, cfg, leaves, errors, site_dir / "content", catalog)
    if errors:
        raise BuildFailed(errors)  # e.g. an unmasked ID number in the title: nothing written
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "x", encoding="utf-8") as f:
        f.write(text)
    return path


def terminal_ask(prompt: str) -> str:
    """`input` for new_item's ``ask``; Ctrl-D ends the questions."""
    try:
        return input(prompt)
    except EOFError:
        raise UsageError("输入已结束，未新建文件") from None
