"""Read content/items/**.md, validate each against the schema and the catalogue, model it."""
from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from gkpub.content import bodyfiles
from gkpub.content.attachments import load_attachments
from gkpub.content.config import SiteConfig
from gkpub.content.elements import ElementError, check_element
from gkpub.content.feedback import link_feedback
from gkpub.content.frontmatter import inside
from gkpub.content.hints import did_you_mean_typo, not_in_catalog
from gkpub.content.model import Attachment, Catalog, Item, Leaf
from gkpub.content.pii_check import name_problems
from gkpub.content.prepare import PrepareCache, Prepared, file_digest, prepare_all, read_file
from gkpub.content.schema import CHANGED_KEY, FIELD_BY_KEY, FIELDS, PUBLISHED_ATTRIBUTES
from gkpub.util.errors import ContentError, ErrorList, did_you_mean

REQUIRED = [f.key for f in FIELDS if f.required]
# What `gkpub new item` writes for the editor to replace; never published (a draft may keep it).
FILL_IN = "（请填写{}。）"
BODY_PLACEHOLDER = "（正文：用 Markdown 书写。）"
DRAFT_NOTE = "（发布前删除上面的「草稿: true」。）"
_PLACEHOLDER_RE = re.compile(r"^[ \t]*(（请填写[^（）\n]{0,40}）|" + re.escape(BODY_PLACEHOLDER) + "|"
                             + re.escape(DRAFT_NOTE) + r")[ \t]*$", re.M)
# Fewer files to prepare than this (a one-shot build after an edit) are prepared without
# reading the prepare cache from disk (~0.25 s at 10k) and writing it back (~0.4 s), and
# do not make the memo of validated items be stored again.
FEW_TO_PREPARE = 50


def item_files(site_dir: Path, errors: ErrorList | None = None) -> list[str]:
    """Every item file's path, in a stable order (scandir and strings: fast at 50k files).

    A symlink, to a file or to a folder, is followed only when it resolves inside the site
    directory (or inside content/items, wherever that folder itself lives); one that leads
    elsewhere, loops back to a folder above or is broken is reported in ``errors`` (without
    ``errors``, left out). A file or folder reached twice (by a link and directly) is read once.
    """
    root = os.path.join(site_dir, "content", "items")
    trusted = (os.path.realpath(site_dir), os.path.realpath(root))
    found: list[str] = []
    seen: set[str] = set()  # real paths of the folders and files taken
    stack = [(root, trusted[1])] if os.path.isdir(root) else []
    while stack:
        folder, folder_real = stack.pop()
        try:
            entries = sorted((e for e in os.scandir(folder) if not e.name.startswith(".")),
                             key=lambda e: e.name, reverse=True)  # popped in name order
        except OSError:
            _refuse(errors, site_dir, folder, "无法读取这个文件夹")
            continue
        for entry in entries:
            is_dir = entry.is_dir()
            if not (is_dir or entry.name.endswith(".md")):
                continue
            if entry.is_symlink():
                real = os.path.realpath(entry.path)
                if not (is_dir or entry.is_file()):
                    _refuse(errors, site_dir, entry.path, "是符号链接，但它指向的文件不存在")
                    continue
                if not any(inside(real, t) for t in trusted):
                    _refuse(errors, site_dir, entry.path,
                            f"是指向站点目录以外（{real}）的符号链接；请把文件本身放进 content/")
                    continue
                if is_dir and inside(trusted[1], real):
                    _refuse(errors, site_dir, entry.path, "是指向上级文件夹的符号链接，会无限循环；请删除这个链接")
                    continue
            else:
                real = os.path.join(folder_real, entry.name)
            if real in seen:
                continue
            seen.add(real)
            if is_dir:
                stack.append((entry.path, real))
            elif entry.is_file():
                found.append(entry.path)
    return sorted(found)


def _refuse(errors: ErrorList | None, site_dir: Path, path: str, message: str) -> None:
    if errors is not None:  # named by the link's own path: ErrorList.rel would follow it
        rel = os.path.relpath(path, site_dir).replace(os.sep, "/")
        errors.errors.append(ContentError(rel, 0, "", f"「{os.path.basename(path)}」{message}"))


def _within_size_limit(paths: list[str], limit: int, errors: ErrorList) -> list[str]:
    """The files no bigger than ``limit`` bytes; the others are errors and never parsed
    (a 50 MB item would otherwise take minutes to lint, render and index)."""
    kept: list[str] = []
    for path in paths:
        size = os.stat(path).st_size
        if size > limit:
            errors.add(path, 0, "", f"文件有 {_kb(size)} KB，超过单篇信息的上限 {_kb(limit)} KB（site.toml 的 "
                                    "[limits] item_max_kb）；大的名单、表格请作为附件上传，或拆成几篇")
        else:
            kept.append(path)
    return kept


def _kb(size: int) -> str:
    return f"{-(-size // 1024):,}"


def validate_document(prep: Prepared, cfg: SiteConfig, leaves: dict, errors: ErrorList,
                      content_dir: Path, catalog: Catalog | None = None) -> Item | None:
    """Check one prepared item; add every problem to ``errors``; return the Item when usable.

    ``catalog``: the catalogue ``leaves`` come from; a 目录 under a domain whose file could not
    be read is not reported again (that file's error says what to fix)."""
    doc = prep.doc
    assert doc is not None
    rel = errors.rel(doc.path)
    meta, lines = doc.meta, doc.meta.lines
    n_before = len(errors)
    for key in meta:
        if key not in FIELD_BY_KEY:
            errors.add(rel, lines.get(key, 0), str(key),
                       f"不认识这个字段；{did_you_mean(str(key), FIELD_BY_KEY)}可用字段见 README 的字段表")
    for key in REQUIRED:
        if key not in meta:
            errors.add(rel, 1, key, f"缺少必填字段「{key}」（{FIELD_BY_KEY[key].doc}）" + _missing_hint(key, meta))

    el: dict[str, Any] = {}
    for fld in FIELDS:
        if fld.key not in meta or fld.kind == "attachments":
            continue
        if meta[fld.key] is None and not (fld.required or fld.gate):
            continue  # `key:` on an optional field is as if not written; on the others, an error
        try:
            el[fld.key] = check_element(fld, meta[fld.key], cfg, org_hint=True)
        except ElementError as exc:
            errors.add(rel, lines.get(fld.key, 0), fld.key, str(exc))

    leaf = None
    path = el.get("目录")
    if path:
        leaf = leaves.get(path.replace(" ", ""))
        if leaf is None and not (catalog is not None and catalog.is_broken(path)):
            errors.add(rel, lines.get("目录", 0), "目录", not_in_catalog(path, leaves))
    own = set(el)
    # a leaf element the catalogue got wrong is None (reported there): an item that would
    # inherit it is left out without a second error
    leaf_broken = False
    if leaf is not None:  # inheritance: the item's own value wins
        for key, value in leaf.elements.items():
            if key in FIELD_BY_KEY and key not in el:
                if value is None:
                    leaf_broken = True
                    continue
                el[key] = value
    for fld in FIELDS:  # schema defaults last
        if fld.key not in el and fld.default is not None:
            el[fld.key] = list(fld.default) if isinstance(fld.default, list) else fld.default
    for key in ("过程", "公开主体"):
        if key not in el and leaf is not None and not leaf_broken:
            errors.add(rel, lines.get("目录", 1), key, f"缺少「{key}」，目录条目也没有给出")
    if leaf is not None and all(k in own or k not in meta for k in ("公开属性", "公开方式")):
        _check_mode(el, own, leaf, lines, rel, errors)

    w, p = el.get("成文日期"), el.get("发布日期")
    if w and p and p < w:
        errors.add(rel, lines.get("发布日期", 0), "发布日期", f"发布日期 {p} 早于成文日期 {w}；发布不能早于成文")
    if el.get("有效期至") and w and el["有效期至"] < w:
        errors.add(rel, lines.get("有效期至", 0), "有效期至", f"有效期至 {el['有效期至']} 早于成文日期 {w}")
    changed = el.get(CHANGED_KEY)  # issue #14 T1: the 公开时限 counts from it
    if changed and w and changed < w:
        errors.add(rel, lines.get(CHANGED_KEY, 0), CHANGED_KEY, f"变更日期 {changed} 早于成文日期 {w}")
    elif changed and p and changed > p:
        errors.add(rel, lines.get(CHANGED_KEY, 0), CHANGED_KEY,
                   f"变更日期 {changed} 晚于发布日期 {p}；变更后重新发布的，请把发布日期改为重新发布的日期")
    if el.get("公开属性") == "删减后公开" and not el.get("删减说明"):
        errors.add(rel, lines.get("公开属性", 0), "删减说明",
                   "删减后公开的信息必须填写「删减说明」：删去了哪些内容、依据哪条规定")
    if el.get("公开栏"):
        allowed = ["全部"] + [t.name for t in cfg.townships] + cfg.boards
        for b in el["公开栏"]:
            if b not in allowed:
                errors.add(rel, lines.get("公开栏", 0), "公开栏",
                           f"「{b}」不是公开栏；{did_you_mean(b, allowed)}"
                           "可用：全部、街镇名或社区/村名（见 site.toml）")

    attachments = []
    if "附件" in meta and meta["附件"]:
        attachments = load_attachments(doc, meta["附件"], cfg, content_dir, rel,
                                       lines.get("附件", 0), errors)

    for line, message in prep.md_problems:
        errors.add(rel, doc.body_line + line - 1, "正文", message)
    html, body_files, file_links = bodyfiles.resolve_body(doc.path, doc.body_line, prep.refs, prep.html, cfg,
                                                          content_dir, rel, errors)
    for line, key, message in prep.pii:
        errors.add(rel, line, key, message)
    if not el.get("草稿"):
        for m in _PLACEHOLDER_RE.finditer(doc.body):
            errors.add(rel, doc.body_line + doc.body.count("\n", 0, m.start()), "正文",
                       f"还留着新建时的提示「{m.group(1)}」：请写上内容或删去这一行；还没写完的请保留「草稿: true」")
    if cfg.mask_names and ("公示期" in el or "公示" in str(el.get("标题", ""))):
        for line, key, message in name_problems(doc.body, doc.body_line):
            errors.add(rel, line, key, message)

    if len(errors) > n_before or leaf is None or leaf_broken:
        return None
    org = cfg.org_by_name(el["公开主体"])
    assert org is not None  # guaranteed by the vocabulary check
    file_links += bodyfiles.attachment_links(attachments, lines.get("附件", 0))
    return Item(source=rel, el=el, leaf=leaf, org=org, body=doc.body, body_line=doc.body_line,
                lines=dict(lines), attachments=attachments, html=html,
                fingerprint=_fingerprint(prep.digest, attachments + body_files),
                body_files=body_files, file_links=file_links)


def _missing_hint(key: str, meta: dict) -> str:
    if key != "索引号":
        return ""
    org = meta.get("公开主体")
    org_arg = str(org).strip() if isinstance(org, str) and org.strip() else "公开主体"
    return (f"；新的一篇请用「gkpub new item --org {org_arg} --catalog 领域/事项/公开内容 --title 标题」生成，"
            "它会取这个机关下一个空闲的索引号")


def _check_mode(el: dict[str, Any], own: set[str], leaf: Leaf, lines: dict[str, int], rel: str,
                errors: ErrorList) -> None:
    """An item whose 公开方式 is 依申请公开 must say why it is not on the portal.

    公开属性 keeps its default 主动公开 (written out on 3 of the demo's 110 items), so the
    default must not decide for an item the catalogue (or the item) marks 依申请公开: without
    an explicit 公开属性, or with one that publishes, it is an error. The gate holds such an
    item back in any case (gate.hold_reason), whatever validation says.
    """
    if el.get("公开方式") != "依申请公开":
        return
    if "公开方式" in own:
        source = f"本篇第 {lines.get('公开方式', 0)} 行"
    else:
        source = f"继承自目录「{leaf.path}」，{leaf.source}:{leaf.line}"
    if "公开属性" not in own:
        errors.add(rel, lines.get("公开方式", lines.get("目录", 1)), "公开属性",
                   f"公开方式是依申请公开（{source}），但没有写公开属性；请写明「公开属性: 依申请公开」"
                   "或「公开属性: 不予公开」。写明之前本篇不会发布")
    elif el["公开属性"] in PUBLISHED_ATTRIBUTES:
        errors.add(rel, lines.get("公开属性", 0), "公开属性",
                   f"公开属性「{el['公开属性']}」与公开方式「依申请公开」（{source}）矛盾：依申请公开的信息不在网站发布；"
                   "请改为「公开属性: 依申请公开」，或经核实可以主动公开后在本篇写「公开方式: 主动公开」")


def _fingerprint(digest: str, files: list[Attachment]) -> str:
    """The item file's digest and the bytes of its attachments and body files."""
    return bodyfiles.fingerprint(digest, files)


class ItemMemo:
    """Validated items of the previous load, reused while file, site.toml and catalogue are unchanged.

    `gkpub serve` keeps one in memory, `gkpub build` on disk (loader.LoadState): a one-item
    edit costs one validation, not ten thousand. Entries: path → (digest of the file, the
    item or None, its errors, whether the file says 草稿: true).
    """

    def __init__(self) -> None:
        self.key = ""
        self.entries: dict[str, tuple[str, Item | None, list[ContentError], bool]] = {}
        self.dirty = False  # worth storing again: another key, or many files validated since it was read

    def reset_if(self, key: str) -> None:
        if key != self.key:
            self.key, self.entries, self.dirty = key, {}, True


_DRAFT_LINE = re.compile(r"^草稿[ \t]*[:：][ \t]*['\"]?(?:true|True|TRUE|yes|Yes|YES|on|On|ON|是)['\"]?[ \t]*(?:#.*)?$",
                         re.M)
_INDEX_LINE = re.compile(r"^索引号[ \t]*[:：][ \t]*['\"]?([^\s'\"#]+)", re.M)


def _raw_front_matter(path: Path) -> str:
    """The text between the first two --- lines of a file YAML could not read (or '')."""
    try:
        text = Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    parts = text.split("\n---", 1)
    return parts[0] if text.startswith("---") else ""


def is_draft(prep: Prepared) -> bool:
    """The file says 草稿: true — read from the front matter, or from its text when the front
    matter cannot be read (a broken draft is still a draft)."""
    if prep.doc is not None:
        value = prep.doc.meta.get("草稿")
        return value is True or value == "是"
    return bool(_DRAFT_LINE.search(_raw_front_matter(prep.path)))


def _index_of(prep: Prepared) -> str:
    if prep.doc is not None:
        value = prep.doc.meta.get("索引号")
        return str(value).strip() if isinstance(value, str) else ""
    m = _INDEX_LINE.search(_raw_front_matter(prep.path))
    return m.group(1) if m else ""


def _unchanged(paths: list[str], memo: ItemMemo | None,
               changed: set[str] | None) -> dict[str, tuple[str, Item | None, list[ContentError], bool]]:
    """The memo's entries for the valid items whose file and attached files are as they were
    (a file a watcher did not report is trusted without reading it)."""
    known = {}
    for path in paths:
        old = memo.entries.get(path) if memo else None
        if old is None or old[1] is None:
            continue
        digest = old[0] if changed is not None and path not in changed else file_digest(read_file(path))
        if digest == old[0] and old[1].fingerprint == _fingerprint(digest, old[1].attachments + old[1].body_files):
            known[path] = old
    return known


def load_items(site_dir: Path, cfg: SiteConfig, catalog: Catalog, errors: ErrorList,
               cache: PrepareCache | None = None, memo: ItemMemo | None = None,
               changed: set[str] | None = None, drafts: bool = True) -> list[Item]:
    """``changed``: the only files that may have changed since the last load (from a file
    watcher); the others are taken from the cache without even a stat.

    ``drafts=False`` (a real build): an item marked 草稿: true that has errors is left out and
    its errors become ``errors.warnings``, so a broken draft never blocks the site; with
    ``drafts=True`` (a preview, and the default) they are errors like any other."""
    leaves = catalog.leaf_by_path()
    content_dir = site_dir / "content"
    items: list[Item] = []
    n_start = len(errors.errors)
    draft_files: set[str] = set()
    unusable: set[str] = set()
    fresh: dict[str, tuple[str, Item | None, list[ContentError], bool]] = {}
    paths = _within_size_limit(item_files(site_dir, errors), cfg.max_item_bytes, errors)
    known = _unchanged(paths, memo, changed)
    todo = [p for p in paths if p not in known]
    if cache is not None and not cache.loaded and cache.stored() and len(todo) < FEW_TO_PREPARE:
        cache = None  # files an editor changed: what the cache holds is for their old bytes
    prepared = dict(zip(todo, prepare_all(todo, tuple(cfg.privacy_allow), cache, changed, keep=set(paths)),
                        strict=True))
    for key in paths:
        if key in known:  # an item that failed is never known: the file it missed may be there now
            digest, item, item_errors, draft = known[key]
            errors.errors.extend(item_errors)
        else:
            prep = prepared[key]
            n_before = len(errors.errors)
            if prep.source_error is not None:
                errors.add(prep.path, prep.source_error[0], "", prep.source_error[1])
                item = None
            else:
                item = validate_document(prep, cfg, leaves, errors, content_dir, catalog)
            item_errors = errors.errors[n_before:]
            digest, draft = prep.digest, is_draft(prep)
        fresh[key] = (digest, item, list(item_errors), draft)
        if not drafts and draft:
            draft_files.add(errors.rel(key))
        if item is not None:
            item.interpretations, item.interprets = [], None  # linked again below
            items.append(item)
        elif (index_no := _index_of(prepared[key])):
            unusable.add(index_no)
    if memo is not None:
        # a few files validated again (an edit) are not worth rewriting the stored memo (~0.4 s
        # at 10k): the next build validates them again, as it would anyway after an edit
        memo.dirty = memo.dirty or len(todo) >= FEW_TO_PREPARE
        memo.entries = fresh
    link_items(items, errors, unusable)
    if draft_files:
        kept = [e for e in errors.errors[n_start:] if e.path not in draft_files]
        demoted = [e for e in errors.errors[n_start:] if e.path in draft_files]
        errors.errors[n_start:] = kept
        errors.warnings.extend(demoted)
        broken = {e.path for e in demoted}
        items = [i for i in items if i.source not in broken]
        for i in items:  # a left-out draft is nobody's 解读
            i.interpretations = [x for x in i.interpretations if x.source not in broken]
            if i.interprets is not None and i.interprets.source in broken:
                i.interprets = None
    return items


def index_hint(item: Item, target: str, by_index: dict[str, Item]) -> str:
    """A did-you-mean for a 索引号 that points nowhere: only a one-keystroke typo of the
    索引号 of one document of the same domain that is no 解读 or 反馈 itself; serials are
    dense, so anything looser names some other document."""
    same = [k for k, other in by_index.items() if other is not item and other.leaf.domain is item.leaf.domain
            and not other.el.get("解读") and not other.el.get("意见反馈")]
    return did_you_mean_typo(target, same, budget=1)


def link_items(items: list[Item], errors: ErrorList, unusable: set[str] | None = None) -> None:
    """Checks across items: unique 索引号, 解读 targets; link policies and interpretations.

    ``unusable``: the 索引号 of item files that have errors of their own; a link to one is
    not reported (no cascade: the file's own errors say what to fix)."""
    unusable = unusable or set()
    by_index: dict[str, Item] = {}
    # drafts last: a draft that takes a published item's 索引号 is the one reported
    for item in sorted(items, key=lambda i: (i.el.get("草稿") is True, i.source)):
        other = by_index.get(item.index_no)
        if other is not None:
            errors.add(item.source, item.lines.get("索引号", 0), "索引号",
                       f"索引号「{item.index_no}」与 {other.source} 重复；"
                       "索引号必须唯一（可用 gkpub new item 取下一个）")
            continue
        by_index[item.index_no] = item
    for item in sorted(items, key=lambda i: i.source):
        target = item.el.get("解读")
        if not target:
            continue
        policy = by_index.get(target)
        if policy is None and target in unusable:
            continue  # that file has errors of its own, reported there: fixing them fixes this
        if policy is None:
            errors.add(item.source, item.lines.get("解读", 0), "解读",
                       f"找不到索引号为「{target}」的政策文件；{index_hint(item, target, by_index)}"
                       "解读应填写被解读文件的索引号（见该文件开头的「索引号」一行）")
        elif policy is item:
            errors.add(item.source, item.lines.get("解读", 0), "解读", "解读不能指向自己")
        else:
            item.interprets = policy
            policy.interpretations.append(item)
    for item in items:
        item.interpretations.sort(key=lambda i: i.sort_key)
    link_feedback(items, by_index, errors, unusable)
