"""Images and files a page body refers to: found, checked, served under ``/files/`` and linked.

An editor writes ``![各村补贴面积](files/mianji.png)`` or ``[申请表](files/sqb.pdf)`` beside
the Markdown file, as in any Markdown editor. The path is relative to the Markdown file (an
item's or a fixed page's); the build serves the file at ``/files/<its path under content/>``,
where the 附件 of the same folder go, and rewrites the link to that address. Without this a
relative link points next to the page's address (``/xxgk/<索引号>/files/…``), where nothing is.

Every such file passes the checks of 附件 (attachments.py: inside ``content/``, no symbolic
link out of the site, never a file the build reads, no type a browser would run, no markup
behind another extension), and then:

- an image (``![…](…)``) must be PNG, JPEG, GIF or WebP, by its extension and by its bytes;
  SVG is refused (it may carry scripts, and would run them from the portal's origin); it is
  at most ``[limits] image_max_kb``; it is shown with ``width`` and ``height`` from its header
  (imagesize.py) so the page does not jump while it loads. Its alt text is required by the
  Markdown lint;
- a linked file is one of ``[files] attachment_types``, at most ``[limits] attachment_max_mb``;
- a missing file is an error at the line of the link, with a did-you-mean; so is a folder, a
  Markdown file (another item's source) or a path out of ``content/``.

A link written as a site address (``/files/items/…``) is checked once the gate has decided
what is published (:func:`check_published`): it must name a file the build serves. A file of
an item held back as 依申请公开 or 不予公开 may not be linked, shown or attached by anything
published (else it would reach the output with the published page); drafts' and future
items' files simply stay out until something published refers to them.
"""
from __future__ import annotations

import hashlib
import html as html_lib
import os
import re
from collections.abc import Iterable, Sequence
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import quote, unquote

from gkpub.content import imagesize, vocab
from gkpub.content.attachments import Refused, check_type, followed, looks_like_markup, mb
from gkpub.content.config import SiteConfig
from gkpub.content.markdown import Ref
from gkpub.content.model import Attachment, FileLink
from gkpub.content.prepare import file_digest, read_file
from gkpub.util.errors import ErrorList, did_you_mean

BODY = "正文"
FILES_PREFIX = "/files/"
_BAD_CHARS = re.compile(r"[\x00-\x1f\x7f\\]")
_IMG_RE = re.compile(r'<img src="([^"]*)" alt="([^"]*)"((?: title="[^"]*")?) />')
_HREF_RE = re.compile(r'<a href="([^"]*)"')
_CANDIDATES = 2000  # files looked at for a did-you-mean


def split_url(url: str) -> tuple[str, str]:
    """(path, the ``?query#fragment`` part kept on the rewritten link)."""
    cut = min((i for i in (url.find("#"), url.find("?")) if i >= 0), default=len(url))
    return url[:cut], url[cut:]


def file_url(rel: str) -> str:
    """The site address of a file served from ``content/<rel>`` (Attachment.url's scheme)."""
    return FILES_PREFIX + quote(rel)


def resolve_body(doc_path: Path, body_line: int, refs: Sequence[Ref], html: str, cfg: SiteConfig,
                 content_dir: Path, rel: str, errors: ErrorList) -> tuple[str, list[Attachment], list[FileLink]]:
    """The body's HTML with local links and images pointing at their served files, the files
    to serve, and where the body refers to which; each problem is added to ``errors``."""
    files: dict[str, Attachment] = {}
    links: list[FileLink] = []
    images: dict[str, tuple[str, int, int]] = {}  # url as rendered → (address, width, height)
    hrefs: dict[str, str] = {}
    for ref in refs:
        line = body_line + ref.line - 1
        path, rest = split_url(ref.url)
        written = unquote(path)
        if path.startswith("/"):
            if path.startswith(FILES_PREFIX):
                links.append(FileLink(line, unquote(ref.url), unquote(path[len(FILES_PREFIX):]), site=True))
            continue  # other site addresses are pages: `gkpub check --links` reads the built site
        try:
            att = body_file(doc_path, written, ref.image, cfg, content_dir)
        except Refused as exc:
            errors.add(rel, line, BODY, str(exc))
            continue
        files.setdefault(att.rel, att)
        links.append(FileLink(line, written, att.rel))
        if ref.image:
            images[ref.url] = (file_url(att.rel) + rest, att.width, att.height)
        else:
            hrefs[ref.url] = file_url(att.rel) + rest
    return rewrite(html, images, hrefs), list(files.values()), links


def attachment_links(attachments: Iterable[Attachment], line: int) -> list[FileLink]:
    """The 附件 entries as links, for check_published."""
    return [FileLink(line, a.rel, a.rel, attachment=True) for a in attachments]


def rewrite(html: str, images: dict[str, tuple[str, int, int]], hrefs: dict[str, str]) -> str:
    """``src``/``href`` replaced by the served addresses; images get their size and an HTML
    (not XHTML) void tag."""
    if "<img " in html:
        def img(m: re.Match[str]) -> str:
            found = images.get(html_lib.unescape(m.group(1)))
            if found is None:
                return f'<img src="{m.group(1)}" alt="{m.group(2)}"{m.group(3)}>'
            src, width, height = found
            return (f'<img src="{html_lib.escape(src)}" alt="{m.group(2)}"{m.group(3)} '
                    f'width="{width}" height="{height}">')
        html = _IMG_RE.sub(img, html)
    if hrefs:
        def href(m: re.Match[str]) -> str:
            new = hrefs.get(html_lib.unescape(m.group(1)))
            return m.group(0) if new is None else f'<a href="{html_lib.escape(new)}"'
        html = _HREF_RE.sub(href, html)
    return html


def body_file(doc_path: Path, file: str, image: bool, cfg: SiteConfig, content_dir: Path) -> Attachment:
    """The file ``file`` (relative to the Markdown file at ``doc_path``) when it may be served."""
    noun = "图片" if image else "链接的文件"
    if _BAD_CHARS.search(file):
        raise Refused(f"{noun}路径「{file!r}」含有控制字符或反斜杠「\\」；路径中的目录用「/」分隔，如 files/tu.png")
    if not file or file.endswith("/") or file in (".", ".."):
        raise Refused(f"链接「{file or '（空）'}」指向一个文件夹，不是文件；链接站内页面请写以 / 开头的网址，"
                      "如 /guide/；链接文件请写出文件名，如 files/sqb.pdf")
    lexical = Path(os.path.normpath(doc_path.parent.absolute() / file))
    try:
        out_rel = lexical.relative_to(content_dir.absolute()).as_posix()
    except ValueError:
        raise Refused(f"{noun}「{file}」指向 content/ 目录以外；{noun}必须放在站点的 content/ 目录中，"
                      "路径相对于本篇 Markdown 文件所在的目录") from None
    if not os.path.lexists(lexical):  # before the type: files/tu.pgn is a typo of a file that is there
        hint = _missing_hint(doc_path, file, cfg, content_dir)
        raise Refused(f"找不到{noun}「{file}」（应在 content/{out_rel}）；{hint}"
                      f"{noun}路径相对于本篇 Markdown 文件所在的目录")
    _check_kind(file, image, cfg, noun)
    real = followed(file, lexical, out_rel, cfg.root, content_dir, noun=noun)
    if real.name != lexical.name:
        _check_kind(file, image, cfg, noun, real)
    if not real.is_file():
        raise Refused(f"{noun}「{file}」不是文件；请写出文件本身的路径，如 files/tu.png")
    size = real.stat().st_size
    limit = cfg.max_image_bytes if image else cfg.max_attachment_bytes
    if size > limit:
        if image:
            raise Refused(f"图片「{file}」有 {_kb(size)} KB，超过正文图片 {_kb(limit)} KB 的上限；请缩小后再用"
                          "（网页上宽度 1200 像素足够，照片存为 JPEG、图表存为 PNG），"
                          "或在 site.toml 的 [limits] image_max_kb 中调整上限")
        raise Refused(f"链接的文件「{file}」有 {mb(size, up=True)}，超过每个附件 {mb(limit)} 的上限；"
                      "请压缩或拆分文件，或在 site.toml 的 [limits] attachment_max_mb 中调整上限")
    if looks_like_markup(real):
        raise Refused(f"{noun}「{file}」的内容是网页或 XML 标记（以「<」开头），不是 .{_ext(real.name)} 文件，"
                      "可能在浏览器中执行脚本；请换成真正的图片或文档文件")
    name = PurePosixPath(file).name
    if not image:
        return Attachment(name=name, source=real, rel=out_rel)
    try:
        info = imagesize.image_info(real)
    except imagesize.NotAnImage as exc:
        raise Refused(f"图片「{file}」无法识别：{exc}；请用图片软件重新导出为 PNG 或 JPEG") from None
    expected = imagesize.EXTENSIONS[_ext(real.name)]
    if info.format != expected:
        right = "jpg" if info.format == "jpeg" else info.format
        raise Refused(f"图片「{file}」的内容是 {imagesize.FORMATS[info.format]} 图片，"
                      f"与扩展名 .{_ext(real.name)} 不符；请把扩展名改为 .{right}")
    return Attachment(name=name, source=real, rel=out_rel, width=info.width, height=info.height)


def _check_kind(file: str, image: bool, cfg: SiteConfig, noun: str, real: Path | None = None) -> None:
    shown = real.name if real is not None else file
    via = f"（符号链接「{file}」指向的文件「{real.name}」）" if real is not None else ""
    ext = _ext(shown)
    if ext == "md":
        raise Refused(f"{noun}「{file}」{via}是 Markdown 源文件，不能链接或作为图片；"
                      "链接另一篇信息请写它的网址，如 /xxgk/<索引号>/")
    if not image:
        check_type(file, cfg, real, noun=noun)
        return
    if ext in ("svg", "svgz"):
        raise Refused(f"图片「{file}」{via}是 SVG 格式；SVG 图片可以包含脚本，在本站网址下打开时会执行，"
                      "不能放在正文中。请导出为 PNG（图表、示意图）或 JPEG（照片）")
    if ext not in vocab.BODY_IMAGE_TYPES:
        what = f"的类型 .{ext} " if ext else "没有扩展名，"
        raise Refused(f"图片「{file}」{via}{what}不能在正文中显示；正文图片可用 {'、'.join(vocab.BODY_IMAGE_TYPES)}；"
                      "其他文件请用链接 [说明](路径) 或「附件」字段")


def _missing_hint(doc_path: Path, file: str, cfg: SiteConfig, content_dir: Path) -> str:
    """A did-you-mean: a file of a close name near the Markdown file, or the same path
    written from the site or content folder instead of from the Markdown file."""
    base = doc_path.parent
    for root in (cfg.root, content_dir):
        if (root / file).is_file():
            right = os.path.relpath(root / file, base).replace(os.sep, "/")
            return f"是不是「{right}」？"
    names: list[str] = []
    for folder, dirs, found in os.walk(base):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        names.extend(os.path.relpath(os.path.join(folder, f), base).replace(os.sep, "/")
                     for f in sorted(found) if not f.startswith(".") and not f.endswith(".md"))
        if len(names) > _CANDIDATES:
            break
    hint = did_you_mean(file, names)
    if not hint:
        lower = {n.lower(): n for n in names}
        hint = f"是不是「{lower[file.lower()]}」？" if file.lower() in lower else ""
    return hint


def fingerprint(digest: str, files: Sequence[Attachment]) -> str:
    """The Markdown file's digest and its files' bytes (never their stat: see PrepareCache)."""
    if not files:
        return digest
    parts = [digest] + [f"{a.rel}:{file_digest(read_file(a.source)) if a.source.is_file() else '-'}"
                        for a in files]
    return hashlib.sha1("|".join(parts).encode()).hexdigest()


def served_files(docs: Iterable[Any]) -> dict[str, Attachment]:
    """Every file the published ``docs`` (items and fixed pages) serve, by path under content/."""
    out: dict[str, Attachment] = {}
    for doc in docs:
        for att in list(doc.attachments) + list(doc.body_files):
            out.setdefault(att.rel, att)
    return out


def check_published(published: Sequence[Any], withheld: Iterable[tuple[Any, str]], errors: ErrorList) -> None:
    """What the published items and pages link must be published, and never a withheld file.

    ``withheld``: the items held back as not to be published (依申请公开, 不予公开), with why.
    """
    served = served_files(published)
    secret: dict[str, tuple[Any, str]] = {}
    for item, reason in withheld:
        for att in list(item.attachments) + list(item.body_files):
            secret.setdefault(att.rel, (item, reason))
    for doc in published:
        for link in doc.file_links:
            where = "附件" if link.attachment else BODY
            if link.rel in secret:
                item, reason = secret[link.rel]
                errors.add(doc.source, link.line, where,
                           f"「{link.written}」也是不公开的信息 {item.source}（{reason}）的文件；不公开信息的附件和图片"
                           "不能出现在网站上。确实可以公开的，请复制一份、换个文件名后再用")
            elif link.site and link.rel not in served:
                shown = [file_url(r) for r in served]
                hint = did_you_mean(file_url(link.rel), shown)
                errors.add(doc.source, link.line, where,
                           f"链接「{link.written}」指向的文件不在网站上：/files/ 下只有已发布信息和栏目页面的附件、"
                           f"正文图片和链接的文件。{hint}链接文件请写相对于本篇的路径，如 files/sqb.pdf")


def _ext(name: str) -> str:
    return PurePosixPath(name).suffix.lstrip(".").lower()


def _kb(n: int) -> str:
    return f"{-(-n // 1024):,}"
