"""An item's 附件: which files may be served under ``/files/``, and under what name.

Everything under ``/files/`` is served from the portal's own origin, so an attachment is
checked before it is copied; each refusal names the item, the line and the file:

- the path is relative to the item's folder and stays inside ``content/``;
- a symbolic link is followed only when the file it leads to is inside the site
  directory (the rule item files follow); a link leading out of the site is an error;
- never a file the build reads as content: Markdown (other items' and fixed pages' sources,
  including held-back ones), ``content/catalog/``, ``site.toml``, ``layouts/``, ``print/``, the
  default output ``public/`` and files in hidden folders (``.cache``, ``.git``). Other files
  under ``content/pages/`` are the fixed pages' attachments (the build reads only the ``.md``
  files there). Nor a file of the 依申请公开 register (``data/requests/``, content.requests),
  which is never published;
- the type (the extension, case-insensitive) is on ``SiteConfig.attachment_types`` and is
  never one a browser may run as a page or script (``vocab.SCRIPT_CAPABLE_TYPES``), even
  when a site lists it;
- the first bytes must not look like markup (``<html``, ``<svg``, ``<?xml``, ``<!DOCTYPE``,
  ``<script`` …, after an optional byte-order mark and blanks): a ``.pdf`` that is really an
  HTML or SVG page would run wherever a server or browser guesses the type from the bytes.
  This is the one content check; a file is not otherwise parsed;
- at most ``SiteConfig.max_attachment_bytes``;
- the name may hold any printable character, ``#``, ``?``, ``%`` and spaces included:
  ``Attachment.url`` percent-encodes it, so every link (page, items.json) finds the file.
  Control characters and backslashes are refused.
"""
from __future__ import annotations

import math
import os
import re
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote

from gkpub.content import vocab
from gkpub.content.config import SiteConfig
from gkpub.content.frontmatter import Document
from gkpub.content.model import Attachment
from gkpub.content.requests import REGISTER_DIR
from gkpub.util.errors import ErrorList, allowed_list

FIELD = "附件"
EXAMPLE = "如 files/sqb.pdf"
# Parts of the site the build reads (or writes) itself, relative to the site directory.
SOURCE_DIRS = ("content/catalog", "layouts", "print", "public", REGISTER_DIR)  # the register: never served
SOURCE_FILES = ("site.toml",)
# How many leading bytes the markup check reads.
SNIFF_BYTES = 1024
_MARKUP_START = re.compile(rb"<(?:[!?]|[a-zA-Z])")
_BAD_CHARS = re.compile(r"[\x00-\x1f\x7f\\]")
_BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))


class Refused(Exception):
    """One attachment entry that cannot be served; the message is for the editor."""


def load_attachments(doc: Document, value: Any, cfg: SiteConfig, content_dir: Path, rel: str,
                     line: int, errors: ErrorList) -> list[Attachment]:
    """The item's usable attachments; every refused entry is added to ``errors``."""
    out: list[Attachment] = []
    for entry in value if isinstance(value, list) else [value]:
        try:
            out.append(_attachment(doc, entry, cfg, content_dir))
        except Refused as exc:
            errors.add(rel, line, FIELD, str(exc))
    return out


def _attachment(doc: Document, entry: Any, cfg: SiteConfig, content_dir: Path) -> Attachment:
    if isinstance(entry, str):
        name, file = PurePosixPath(entry).name, entry
    elif isinstance(entry, dict) and set(entry) <= {"名称", "文件"} and entry.get("文件"):
        file = str(entry["文件"])
        name = str(entry.get("名称") or PurePosixPath(file).name)
    else:
        raise Refused("每个附件写作 文件路径，或 {名称: 申请表, 文件: files/sqb.pdf}")
    if _BAD_CHARS.search(file):
        raise Refused(f"附件路径「{file!r}」含有控制字符或反斜杠「\\」；路径中的目录用「/」分隔，{EXAMPLE}")
    if os.path.isabs(file) or file.startswith("/") or ":" in file.split("/")[0]:
        raise Refused(f"「{file}」是绝对路径；附件路径应相对于本篇所在目录，{EXAMPLE}")
    lexical = Path(os.path.normpath(doc.path.parent.absolute() / file))
    try:
        out_rel = lexical.relative_to(content_dir.absolute()).as_posix()
    except ValueError:
        raise Refused(f"「{file}」指向 content/ 目录以外；附件必须放在站点的 content/ 目录中") from None
    check_type(file, cfg)
    if not os.path.lexists(lexical):
        raise Refused(f"找不到附件文件「{file}」（应在 content/{out_rel}）{_encoded_hint(doc, file)}")
    real = followed(file, lexical, out_rel, cfg.root, content_dir)
    if real.name != lexical.name:
        check_type(file, cfg, real)
    if not real.is_file():
        raise Refused(f"附件「{file}」不是文件；请写出文件本身的路径，{EXAMPLE}")
    size = real.stat().st_size
    if size > cfg.max_attachment_bytes:
        raise Refused(f"附件「{file}」有 {mb(size, up=True)}，超过每个附件 {mb(cfg.max_attachment_bytes)} 的上限；"
                      "请压缩或拆分文件，或在 site.toml 的 [limits] attachment_max_mb 中调整上限")
    if looks_like_markup(real):
        raise Refused(f"附件「{file}」的内容是网页或 XML 标记（以「<」开头），不是 "
                      f".{_ext(file)} 文件，可能在浏览器中执行脚本；请换成真正的文档文件（如导出为 PDF）")
    return Attachment(name=name, source=real, rel=out_rel)


def check_type(file: str, cfg: SiteConfig, real: Path | None = None, noun: str = "附件") -> None:
    """The extension of ``file`` (or of the file a link leads to) is a type the portal serves.

    ``noun`` names the file in messages: 附件, or 链接的文件 for a link in a page body.
    """
    shown = real.name if real is not None else file
    via = f"（符号链接「{file}」指向的文件「{real.name}」）" if real is not None else ""
    ext = _ext(shown)
    allowed = [t.lower().lstrip(".") for t in cfg.attachment_types]
    choices = f"可用类型：{allowed_list(allowed, limit=len(allowed))}"
    if ext == "md":
        raise Refused(f"{noun}「{file}」{via}是 Markdown 源文件，网站把它当作信息内容读取，"
                      f"不能作为附件（否则未公开信息的全文也会被发布）；{choices}")
    if ext in vocab.SCRIPT_CAPABLE_TYPES:
        raise Refused(f"{noun}「{file}」{via}的类型 .{ext} 可能在浏览器中执行脚本，不能作为附件；"
                      f"请转换为 PDF 或 PNG 等；{choices}")
    if ext not in allowed:
        what = f"的类型 .{ext} " if ext else "没有扩展名，"
        raise Refused(f"{noun}「{file}」{via}{what}不在允许的附件类型中；{choices}"
                      "（可在 site.toml 的 [files] attachment_types 中调整）")


def followed(file: str, lexical: Path, out_rel: str, site_dir: Path, content_dir: Path,
             noun: str = "附件") -> Path:
    """The file ``lexical`` names, after links, when it may be served; Refused otherwise."""
    real = lexical.resolve()
    site_real = site_dir.resolve()
    linked = real != content_dir.resolve() / out_rel
    try:
        inside = real.relative_to(site_real).as_posix()
    except ValueError:
        if linked:
            raise Refused(f"「{file}」是符号链接（或经过符号链接），指向站点目录以外的 {real}；"
                          f"{noun}必须是站点目录中的文件，请把文件本身放进 content/ 目录") from None
        inside = ""  # content/ itself lives elsewhere: everything below it is the site's
    source = next((d for d in SOURCE_DIRS if inside == d or inside.startswith(d + "/")), None)
    if source is None and inside in SOURCE_FILES:
        source = inside
    if source is None and any(part.startswith(".") for part in PurePosixPath(inside).parts[:-1]):
        source = "隐藏目录"
    if source is not None:
        where = f"（符号链接指向 {inside}）" if linked else ""
        raise Refused(f"{noun}「{file}」{where}是网站自己读取或生成的文件（{source}），不能作为附件；"
                      f"{noun}应放在信息所在目录下，{EXAMPLE}")
    return real


def looks_like_markup(path: Path) -> bool:
    """The file begins (after a byte-order mark and blanks) with ``<`` and a letter, ``!`` or ``?``."""
    with open(path, "rb") as fh:
        head = fh.read(SNIFF_BYTES)
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            head = head[len(bom):].decode(encoding, "ignore").encode("utf-8")
            break
    return bool(_MARKUP_START.match(head.lstrip()))


def _encoded_hint(doc: Document, file: str) -> str:
    """A did-you-mean for a path written URL-encoded (files/a%20b.pdf for 'a b.pdf')."""
    plain = unquote(file)
    if plain != file and (doc.path.parent / plain).is_file():
        return f"；是不是「{plain}」？附件路径写文件的实际名称，不要写成网址编码"
    return ""


def _ext(name: str) -> str:
    return PurePosixPath(name).suffix.lstrip(".").lower()


def mb(n: int, up: bool = False) -> str:
    """Megabytes for a message; ``up`` rounds up, so a file just over the limit reads as over."""
    mb = n / 1048576
    return f"{math.ceil(mb * 10) / 10:.1f} MB" if up else f"{mb:g} MB"
