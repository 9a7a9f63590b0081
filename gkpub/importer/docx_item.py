"""`gkpub import docx`: a 公文 in Word becomes an item, written where `gkpub new item` writes.

All or nothing: the document is read, checked and turned into the item's text, its images and
its attachments in memory; only when nothing stands in the way is anything written. What is in
the way (exit 1, one line per problem, ``文件.docx:行: …`` with the line of the document's text
as ``docx_read`` counts it): an unmasked ID, mobile or bank-card number (unless ``--mask``,
which writes the masked form the scanner gives — the site's masking rule); no title; no 成文日期
line; a 发文机关 that is not an org of site.toml (the org it is a typo of, else the [[org]] table
to paste: content/hints.py). Then the files are put in place and the item is checked as
`gkpub check` checks it (personal data in an attached file included); on any error everything
written is removed again (exit 1). Usage problems (exit 2): no such file, not a .docx, an
unknown ``--catalog`` or ``--org``, no ``--catalog`` (with the leaves the org is responsible for,
the likeliest first), a 文号 an item already has (the document imported before).

What the item gets:

- 标题, 文号 (normalized to 〔〕 whatever brackets were typed), 公开主体, 成文日期 from the document;
  发布日期 the day of the import (``--today``), never before the 成文日期;
- 公开属性 from the 「此件公开发布」-style line. A document that states none is written as a draft
  (``草稿: true``) — fail closed — and so is 「此件删减后公开」, whose 删减说明 only the clerk can write;
- 附件 from the 附件说明: for each entry the file beside the .docx whose name matches (「申请表.pdf」,
  「附件1.pdf」, 「附件1 申请表.xlsx」), else a file embedded in the document, copied into the item's
  ``files/`` folder; an attachment whose pages are part of the document (「附件1」 and its title after
  the date) becomes a section of the body; an entry with no file is reported, and the front
  matter says in a comment what to add;
- the body as Markdown (docx_markdown.py), images saved into ``files/``.
"""
from __future__ import annotations

import datetime as dt
import difflib
import os
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from gkpub.content.catalog import load_catalog
from gkpub.content.config import Org, SiteConfig, load_config
from gkpub.content.frontmatter import yaml_scalar
from gkpub.content.hints import leaf_named, near_typo, not_in_catalog, org_snippet, unknown_org_message
from gkpub.content.items import item_files, validate_document
from gkpub.content.model import Leaf
from gkpub.content.pii_sources import attachment_pii
from gkpub.content.prepare import prepare
from gkpub.importer import gongwen
from gkpub.importer.docx_markdown import MarkdownWriter
from gkpub.importer.docx_read import DocxText, Embedded, Image, Para, Table, read_docx
from gkpub.rules.pii import scan
from gkpub.util.errors import BuildFailed, ErrorList, UsageError

IMAGE_TYPES = {"png": "png", "jpeg": "jpg", "jpg": "jpg", "gif": "gif", "webp": "webp"}
MASK_HINT = "；或加 --mask 按本站的遮蔽规则自动遮蔽后导入"


# Where an item goes and its 索引号 are `gkpub new item`'s (authoring/new_item.py: next_index_no,
# item_path); authoring is of the importer's rank, so the command passes them in.
NextIndex = Callable[[Path, str, int], str]  # (site, org code, year) → the next free 索引号
Place = Callable[..., Path]  # (site, leaf, 索引号, title=, day=) → the item's file


@dataclass
class DocxImport:
    file: Path
    site_dir: Path
    today: dt.date
    next_index: NextIndex
    place: Place
    catalog: str | None = None
    org: str | None = None
    mask: bool = False
    dry_run: bool = False


@dataclass
class Planned:
    """The item and its files, in memory until everything is known to be fine."""

    path: Path
    text: str
    files: dict[Path, bytes] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # for the clerk: what was guessed or is missing
    masked: int = 0
    attachments: list[Path] = field(default_factory=list)  # those of ``files`` that are 附件


class DocProblems(Exception):
    """Problems in the document itself (exit 1)."""

    def __init__(self, errors: ErrorList):
        super().__init__(len(errors))
        self.errors = errors


def import_docx(opts: DocxImport) -> int:
    """Exit code: 0 imported (or shown with --dry-run), 1 problems in the document."""
    try:
        planned = plan(opts)
    except DocProblems as exc:
        for e in exc.errors.sorted():
            print(e.format(), file=sys.stderr)
        print(f"共 {len(exc.errors)} 处问题，未导入（没有写入任何文件）。", file=sys.stderr)
        return 1
    for note in planned.notes:
        print(f"提示：{note}", file=sys.stderr)
    if opts.dry_run:
        sys.stdout.write(planned.text)
        for path in sorted(planned.files):
            print(f"（--dry-run：将写入 {path.relative_to(opts.site_dir)}）")
        print(f"（--dry-run：将写入 {planned.path.relative_to(opts.site_dir)}；没有写入任何文件）")
        return 0
    errors = write_checked(opts.site_dir, planned.path, planned.text, planned.files, planned.attachments)
    if errors:
        print_unwritten(errors, planned.path, opts.site_dir)
        return 1
    extra = f"，另写入 {len(planned.files)} 个文件到 files/" if planned.files else ""
    masked = f"，遮蔽了 {planned.masked} 处个人信息" if planned.masked else ""
    print(f"已导入：{planned.path.relative_to(opts.site_dir)}{extra}{masked}。"
          "请核对后提交；运行 gkpub check 检查。")
    return 0


def write_checked(site_dir: Path, path: Path, text: str, files: dict[Path, bytes],
                  attachments: list[Path] | None = None) -> ErrorList:
    """Put ``files`` in place, check the item as `gkpub check` would, and write it when it passes;
    on errors (or an exception) the files and the folders made for them are removed again."""
    made: list[Path] = []  # files and folders this call created, in order
    try:
        for file, data in sorted(files.items()):
            missing = [d for d in (file.parent, *file.parent.parents) if not d.exists()]
            for d in reversed(missing):
                d.mkdir()
                made.append(d)
            with open(file, "xb") as fh:  # never over another item's file
                made.append(file)
                fh.write(data)
        errors = validate_item(site_dir, path, text, tuple(attachments or ()))
        if not errors:
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(path, "x", encoding="utf-8") as f:
                f.write(text)
            return errors
    except BaseException:
        _remove(made)
        raise
    _remove(made)
    return errors


def _remove(made: list[Path]) -> None:
    for p in reversed(made):
        if p.is_dir():
            p.rmdir()
        else:
            p.unlink(missing_ok=True)


def print_unwritten(errors: ErrorList, path: Path, site_dir: Path) -> None:
    for e in errors.sorted():
        print(e.format(), file=sys.stderr)
    print(f"由文件生成的 {path.relative_to(site_dir)} 有 {len(errors)} 处错误"
          "（行号是这个文件的行号，可用 --dry-run 查看），未导入（没有写入任何文件）；请在原文件中修改后重新导入。",
          file=sys.stderr)


def validate_item(site_dir: Path, path: Path, text: str, attachments: tuple[Path, ...] = ()) -> ErrorList:
    """The checks `gkpub check` makes of one item, on ``text`` as it would be written at ``path``,
    and of the text of its ``attachments`` (personal data in a sheet or PDF stops a build too)."""
    errors = ErrorList(root=site_dir)
    cfg = load_config(site_dir, errors)
    if cfg is None:
        return errors
    catalog = load_catalog(site_dir, cfg, errors)
    prep = prepare(path, tuple(cfg.privacy_allow), text.encode("utf-8"))
    if prep.source_error is not None:
        errors.add(path, prep.source_error[0], "", prep.source_error[1])
    else:
        validate_document(prep, cfg, catalog.leaf_by_path(), errors, site_dir / "content", catalog)
    for file in attachments:
        for e in attachment_pii(file, errors.rel(file), tuple(cfg.privacy_allow)):
            errors.add(e.path, e.line, e.field, e.message + "（附件中的个人信息不能自动遮蔽：请遮蔽后重新导入）")
    return errors


def site_config(file: Path, site_dir: Path) -> SiteConfig:
    """The site's configuration, once the file to import is known to exist."""
    if not file.is_file():
        raise UsageError(f"找不到文件：{file}")
    errors = ErrorList(root=site_dir)
    cfg = load_config(site_dir, errors)
    if cfg is None or errors:
        raise BuildFailed(errors)
    return cfg


def plan(opts: DocxImport) -> Planned:
    cfg = site_config(opts.file, opts.site_dir)
    doc = read_docx(opts.file)
    where = opts.file.name
    problems = ErrorList()
    masked = _personal_data(doc, cfg, opts.mask, where, problems)
    g = gongwen.parse(doc)
    if not g.title:
        problems.add(where, 1, "标题", "没有找到标题：公文的标题应是版头（发文字号）下面居中的一行")
    org = _issuer(g, cfg, opts.org, where, problems)
    if g.date is None:
        problems.add(where, g.last_line, "成文日期",
                     "没有找到成文日期：署名下面应有单独一行日期，如「2026年9月28日」或「二〇二六年九月二十八日」")
    if problems:
        raise DocProblems(problems)
    assert org is not None and g.date is not None
    leaf = _leaf(opts, cfg, org, g.title)
    notes: list[str] = []
    if g.doc_no and g.doc_no != g.doc_no_written.replace(" ", ""):
        notes.append(f"文号「{g.doc_no_written}」按规范写作「{g.doc_no}」（年份用六角括号〔〕）")
    if g.doc_no and org.doc_prefix and not g.doc_no.startswith(org.doc_prefix):
        notes.append(f"文号「{g.doc_no}」的机关代字不是 site.toml 中{org.name}的"
                     f"「{'、'.join(org.doc_prefix)}」，请核对")
    if g.doc_no:
        _not_imported_before(opts.site_dir, g.doc_no)
    index_no = opts.next_index(opts.site_dir, org.code, opts.today.year)
    path = opts.place(opts.site_dir, leaf, index_no, title=g.title, day=opts.today)
    files: dict[Path, bytes] = {}
    folder = path.parent / "files"

    images: list[Path] = []

    def save_image(img: Image, alt: str) -> str | None:
        ext = IMAGE_TYPES.get(img.ext)
        if ext is None:
            return None
        images.append(folder / f"{path.stem}-tu{len(images) + 1}.{ext}")
        files[images[-1]] = img.data
        return f"files/{images[-1].name}"

    writer = MarkdownWriter(doc.footnotes, save_image, g.title)
    chunks = writer.blocks(g.body)
    chunks += [writer.inline(p.text) for p in g.notes if p.text.strip()]
    for att in g.inline:
        chunks.append(f"## 附件{att.number}　{writer.inline(att.title, table=True)}".rstrip())
        chunks += writer.blocks(att.blocks, shift=1)
    chunks += writer.footnote_defs()
    notes += [f"{where} 第 {line} 行：{msg}" for line, msg in writer.problems]
    entries, missing = _attachments(opts, cfg, g, doc, path, files)
    for name in missing:
        notes.append(f"附件「{name}」没有找到文件：请把它放在 {opts.file.parent} 中、文件名与附件名称相同"
                     f"（如「{_safe_name(name)}.pdf」）后重新导入，或放入 {folder.relative_to(opts.site_dir)}/ 后"
                     "在「附件」中登记")
    attribute = g.attribute
    draft = bool(missing)  # a 公文 published without the 附件 it names is incomplete
    if missing:
        notes.append("有附件没有找到：已存为草稿（草稿: true），附件齐全后再改为 false")
    if not attribute:
        draft = True
        notes.append("文件中没有「此件公开发布」「此件依申请公开」一类的公开属性说明：已存为草稿（草稿: true），"
                     "请确认公开属性后改为 false")
    elif attribute == "删减后公开":
        draft = True
        notes.append("此件删减后公开：已存为草稿，请填写「删减说明」、核对删减后的正文，再把草稿改为 false")
    elif attribute in ("依申请公开", "不予公开"):
        notes.append(f"此件{attribute}：信息不会在网站发布，只登记在仓库中")
    fm = [
        "---",
        f"标题: {yaml_scalar(g.title)}",
        f"索引号: {index_no}",
        f"目录: {yaml_scalar(leaf.path)}",
        f"公开主体: {yaml_scalar(org.name)}",
        f"公开属性: {attribute or '主动公开'}" + ("   # 文件中没有写明，请核对" if not attribute else ""),
    ]
    if attribute == "删减后公开":
        fm.append("删减说明: （请写明删去了什么、依据哪一条）")
    published = max(opts.today, g.date)
    fm += [f"成文日期: {g.date.isoformat()}", f"发布日期: {published.isoformat()}"]
    if g.doc_no:
        fm.append(f"文号: {yaml_scalar(g.doc_no)}")
    if entries:
        fm.append("附件:")
        fm += [f"  - {{名称: {yaml_scalar(name)}, 文件: {yaml_scalar(file)}}}" for name, file in entries]
    if missing:  # the entries to uncomment once the files are in files/
        names = "".join(f"「{name}」" for name in missing)
        fm.append(f"# 附件{names}未找到文件：把文件放入 files/（文件名按实际的改），再去掉下面 "
                  f"{len(missing) + (0 if entries else 1)} 行行首的「# 」")
        if not entries:
            fm.append("# 附件:")
        fm += [f"#   - {{名称: {yaml_scalar(name)}, 文件: {yaml_scalar('files/' + _safe_name(name) + '.pdf')}}}"
               for name in missing]
    fm += [f"草稿: {'true' if draft else 'false'}", "---"]
    body = "\n\n".join(c for c in chunks if c.strip())
    text = "\n".join(fm) + "\n" + body + "\n"
    leftover = scan(text, cfg.privacy_allow)
    if leftover:  # the document's text was scanned and masked; this is the last check before writing
        problems.add(where, 0, "", f"生成的信息中仍有未遮蔽的{leftover[0].kind}「{leftover[0].shown}」"
                                   f"（生成文件第 {leftover[0].line} 行）；请在 Word 中改为「{leftover[0].masked}」")
        raise DocProblems(problems)
    return Planned(path, text, files, notes, masked, [p for p in files if p not in images])


def _not_imported_before(site_dir: Path, doc_no: str) -> None:
    """UsageError when an item already carries this 文号 (the same document imported twice)."""
    line = re.compile(rf"^文号\s*:\s*['\"]?{re.escape(doc_no)}['\"]?\s*(#.*)?$", re.M)
    for file in item_files(site_dir):
        try:
            text = Path(file).read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        if doc_no in text and line.search(text):
            rel = Path(os.path.relpath(file, site_dir)).as_posix()
            raise UsageError(f"文号为「{doc_no}」的信息已经有了：{rel}；这份文件已导入过，未重复导入")


# ---------------------------------------------------------------- personal data

def _personal_data(doc: DocxText, cfg: SiteConfig, mask: bool, where: str, problems: ErrorList) -> int:
    """Refuse (into ``problems``) or, with ``mask``, mask every unmasked number in the document's
    text and footnotes, in place; the number of numbers masked."""
    count = 0

    def check(text: str, line: int, label: str) -> str:
        """``line``: the paragraph's (or table row's) line, whatever soft breaks it holds."""
        nonlocal count
        masked: set[str] = set()
        for hit in scan(text, cfg.privacy_allow):
            if not mask:
                problems.add(where, line, label,
                             f"发现未遮蔽的{hit.kind}「{hit.shown}」；公开前应改为「{hit.masked}」{MASK_HINT}")
            elif hit.value not in masked:  # every copy of a number is masked at its first hit
                count += text.count(hit.value)
                text = text.replace(hit.value, hit.masked)
                masked.add(hit.value)
        return text

    for b in doc.blocks:
        if isinstance(b, Para):
            b.text = check(b.text, b.line, "")
        elif isinstance(b, Table):
            b.rows = [[check(c, b.line + r, "表格") for c in row] for r, row in enumerate(b.rows)]
    for ident, note in list(doc.footnotes.items()):
        doc.footnotes[ident] = check(note, 0, f"脚注{ident}")
    return count


# ---------------------------------------------------------------- who issued it, where it goes

def _org_in(text: str, cfg: SiteConfig) -> Org | None:
    """The org named in ``text``: exactly, or the first full name (then short name) it contains."""
    text = re.sub(r"\s+", "", text)
    exact = cfg.org_by_name(text)
    if exact is not None:
        return exact
    names = [n for o in cfg.orgs for n in (o.name, o.short) if n]
    found = [(at, -len(o.name), o) for o in cfg.orgs if (at := _named_at(text, o.name, names)) >= 0]
    if not found:
        found = [(at, -len(o.short), o) for o in cfg.orgs if o.short and (at := _named_at(text, o.short, names)) >= 0]
    return min(found, key=lambda f: (f[0], f[1]))[2] if found else None


_AFTER_A_NAME = ("文件", "关于", "（", "(", "，", "、", ",", "；", ";", "·")


def _named_at(text: str, name: str, names: list[str]) -> int:
    """Where ``text`` names the body ``name`` itself (-1: nowhere): followed by nothing, by 文件
    or 关于, a separator or another body (joint signatures), never by more of a longer name —
    「青禾区人民政府办公室」 is not 「青禾区人民政府」."""
    at = text.find(name)
    while at >= 0:
        rest = text[at + len(name):]
        if not rest or rest.startswith(_AFTER_A_NAME) or any(rest.startswith(n) for n in names):
            return at
        at = text.find(name, at + 1)
    return -1


def _issuer(g: gongwen.Gongwen, cfg: SiteConfig, given: str | None, where: str, problems: ErrorList) -> Org | None:
    if given is not None:
        org = cfg.org_by_name(given)
        if org is None:
            raise UsageError(f"--org {unknown_org_message(given, cfg)}")
        return org
    title_prefix = g.title.split("关于")[0] if "关于" in g.title else ""
    candidates = [(s, g.date_line - len(g.signatures) + k) for k, s in enumerate(g.signatures)]
    candidates += [(g.issuer_mark, 1), (title_prefix, g.title_line)]
    for text, _ in candidates:
        if text:
            org = _org_in(text, cfg)
            if org is not None:
                return org
    named = [(t, line) for t, line in candidates if t]
    if not named:
        problems.add(where, g.title_line, "公开主体",
                     "没有找到发文机关（版头的机关标志、文末署名都没有）；请用 --org 指定，如 --org "
                     f"{cfg.orgs[0].name if cfg.orgs else '区民政局'}")
        return None
    text, line = named[0]
    guess = _closest_org(text, cfg)
    by_prefix = _org_of_doc_no(g.doc_no, cfg) if guess is None else None
    if by_prefix is not None:
        guess = by_prefix
        hint = (f"是不是「{guess.name}」（文号「{g.doc_no}」的机关代字是它的）？"
                f"若是，加 --org {guess.name} 重新导入；")
    else:
        hint = (f"是不是「{guess.name}」？若是，加 --org {guess.name} 重新导入；" if guess else "")
    snippet = org_snippet(re.sub(r"\s+", "", text), cfg)
    problems.add(where, max(line, 1), "公开主体",
                 f"发文机关「{text}」不在 site.toml 的 [[org]] 中；{hint}"
                 f"{'若是新的公开主体，' if guess else ''}请先在 site.toml 的 [[org]] 中添加它"
                 "（已有的公开主体用 --org 指定；把下面几行粘贴到其他 [[org]] 之后，"
                 f"code 换成它的统一社会信用代码）：\n{snippet}")
    return None


def _org_of_doc_no(doc_no: str, cfg: SiteConfig) -> Org | None:
    """The one org whose 机关代字 (doc_prefix) the 文号 starts with: 青应急发〔2026〕6号 was issued by
    the org that writes 青应急发, whatever short form the 署名 uses (青禾区应急局)."""
    prefix = doc_no.split("〔", 1)[0] if "〔" in doc_no else ""
    owners = [o for o in cfg.orgs if prefix and prefix in o.doc_prefix]
    return owners[0] if len(owners) == 1 else None


def _closest_org(text: str, cfg: SiteConfig) -> Org | None:
    """The org whose name is a typo away from ``text`` (民政厅 for 民政局, content/hints.py); a
    looser match (测试区文化和旅游局 and 测试区民政局 share half their characters) would be
    another body, and following the hint would publish under the wrong one."""
    names = {o.name: o for o in cfg.orgs} | {o.short: o for o in cfg.orgs if o.short}
    close = near_typo(re.sub(r"\s+", "", text), names)
    return names[close] if close else None


def _leaf(opts: DocxImport, cfg: SiteConfig, org: Org, title: str) -> Leaf:
    errors = ErrorList(root=opts.site_dir)
    catalog = load_catalog(opts.site_dir, cfg, errors)
    leaves = catalog.leaf_by_path()
    if opts.catalog:
        leaf = leaf_named(leaves, opts.catalog)
        if leaf is None:
            raise UsageError(f"目录{not_in_catalog(opts.catalog, leaves)}")
        return leaf
    own = [p for p, lf in leaves.items() if lf.elements.get("公开主体") in (org.name, org.short)] or list(leaves)
    own.sort(key=lambda p: -difflib.SequenceMatcher(None, title, p).ratio())
    shown = "、".join(own[:6])
    raise UsageError("请用 --catalog 指定这篇信息所属的目录（领域/事项/公开内容），"
                     f"如 --catalog {own[0] if own else '…'}；{org.name}负责的目录条目有：{shown}")


# ---------------------------------------------------------------- attachments

def _safe_name(name: str) -> str:
    return re.sub(r'[\\/:*?"<>|]', "", name)


def _matches(stem: str, note: gongwen.AttachmentNote) -> bool:
    s = re.sub(r"\s+", "", stem)
    name = re.sub(r"\s+", "", _safe_name(note.name))
    if name and (s == name or (len(name) >= 4 and name in s) or (len(s) >= 4 and s in name)):
        return True
    return re.match(rf"^附件{note.number}(?!\d)", s) is not None


def _attachments(opts: DocxImport, cfg: SiteConfig, g: gongwen.Gongwen, doc: DocxText, path: Path,
                 files: dict[Path, bytes]) -> tuple[list[tuple[str, str]], list[str]]:
    """(entries (名称, 文件) for the front matter, names of the attachments with no file)."""
    allowed = {t.lower() for t in cfg.attachment_types}
    beside = sorted(p for p in opts.file.parent.iterdir()
                    if p.is_file() and p.suffix.lower().lstrip(".") in allowed and p.resolve() != opts.file.resolve()
                    and not p.name.startswith(("~$", ".")))
    embedded: list[Embedded] = [e for e in (_unwrap(e) for e in doc.embedded) if e is not None
                                and PurePosixPath(e.name).suffix.lower().lstrip(".") in allowed]
    inline_numbers = {a.number for a in g.inline}
    entries: list[tuple[str, str]] = []
    missing: list[str] = []
    unmatched: list[gongwen.AttachmentNote] = []
    for note in g.attachments:
        if note.number in inline_numbers or (len(g.inline) == 1 and len(g.attachments) == 1):
            continue  # its pages are in the body
        hit = next((p for p in beside if _matches(p.stem, note)), None)
        data: bytes | None = hit.read_bytes() if hit else None
        ext = hit.suffix.lower() if hit else ""
        if hit is None:
            emb = next((e for e in embedded if _matches(PurePosixPath(e.name).stem, note)), None)
            if emb is not None:
                embedded.remove(emb)
                data, ext = emb.data, PurePosixPath(emb.name).suffix.lower()
        if hit is not None:
            beside.remove(hit)
        if data is None:
            unmatched.append(note)
            continue
        entries.append(_entry(note, data, ext, path, files))
    if unmatched and len(unmatched) == len(embedded):  # the embedded objects, in the order of the list
        for note, emb in zip(unmatched, embedded, strict=True):
            entries.append(_entry(note, emb.data, PurePosixPath(emb.name).suffix.lower(), path, files))
        unmatched = []
    missing = [n.name for n in unmatched]
    entries.sort(key=lambda e: e[1])
    return entries, missing


def _entry(note: gongwen.AttachmentNote, data: bytes, ext: str, path: Path,
           files: dict[Path, bytes]) -> tuple[str, str]:
    name = f"{path.stem}-fj{note.number}{ext}"
    files[path.parent / "files" / name] = data
    return note.name, f"files/{name}"


def _unwrap(e: Embedded) -> Embedded | None:
    """An embedded file as itself: packages (.xlsx, .docx) are; an OLE ``.bin`` is not read."""
    return None if e.name.lower().endswith(".bin") else e


# ---------------------------------------------------------------- YAML
