"""The 正文 of a 公文 as Markdown: its heading levels, lists, tables, images and footnotes.

- 一、 and （一） lines are headings (``##``, ``###``; one level deeper inside an attachment's
  own pages, under its ``## 附件1`` heading). When the heading runs on into the paragraph
  (「（一）明确补贴对象。本区户籍……」, the usual 公文 style) the part up to the first 「。」 is the
  heading and the rest a paragraph under it;
- 1. lines are items of an ordered list that keeps the document's numbers; （1） lines under
  such an item are paragraphs of that item;
- paragraphs Word numbers itself read as Word shows them (docx_read: 「一、」 from its numbering
  is text, so it is a heading as typed); bullets and list styles are list items; a short
  paragraph in a heading style (标题 1, Heading 2) is a heading of that level;
- tables are Markdown tables, the first row the header;
- images are written by ``save_image`` (into the item's folder) and shown where they stand;
- footnotes become ``[^1]`` references and ``[^1]: …`` notes, numbered in reading order.

The text is escaped so that it shows as typed: ``*``, ``_``, brackets, ``<``, a leading ``#``
or ``>``, a number with a dot at the start of an ordinary paragraph.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

from gkpub.importer.docx_read import NOTE_RE, Block, Image, Para, Table
from gkpub.importer.gongwen import heading_level

SaveImage = Callable[[Image, str], str | None]  # (image, alt) → path for the link, None when refused

_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]~|])")
_LINE_START = re.compile(r"^([#>+\-=]|\d+[.)])")
_HEADING_MAX = 40  # characters: a longer 一、 paragraph is text that starts with a number


def escape(text: str, inside: bool = False) -> str:
    """Markdown-escaped ``text`` (one line) that renders as the characters typed; ``inside``:
    the text does not start a line (a table cell, after a footnote reference)."""
    text = text.replace("&", "&amp;").replace("<", "&lt;")
    text = _INLINE_SPECIAL.sub(r"\\\1", text)
    if inside:
        return text
    return _LINE_START.sub(lambda m: "\\" + m.group(1) if len(m.group(1)) == 1 else
                           m.group(1)[:-1] + "\\" + m.group(1)[-1], text)


@dataclass
class MarkdownWriter:
    footnotes: dict[str, str]
    save_image: SaveImage
    image_alt: str  # the alt text of an image the document gives none: the title and a number
    notes_used: dict[str, int] = field(default_factory=dict)
    images: int = 0
    problems: list[tuple[int, str]] = field(default_factory=list)  # (line in the document, message)

    def inline(self, text: str, table: bool = False) -> str:
        """One paragraph's text: escaped, footnote references as [^n], line breaks kept
        (a table cell's as spaces)."""
        lines: list[str] = []
        for raw in text.split("\n"):
            raw = raw.strip()
            if not raw:
                continue
            parts: list[str] = []
            pos = 0
            for m in NOTE_RE.finditer(raw):
                parts.append(escape(raw[pos:m.start()], table or pos > 0))
                parts.append(self._note(m.group(1)))
                pos = m.end()
            parts.append(escape(raw[pos:], table or pos > 0))
            lines.append("".join(parts))
        return (" " if table else "\\\n").join(lines)

    def _note(self, ident: str) -> str:
        if ident not in self.footnotes:
            return ""
        n = self.notes_used.setdefault(ident, len(self.notes_used) + 1)
        return f"[^{n}]"

    def blocks(self, blocks: list[Block], shift: int = 0) -> list[str]:
        """Markdown chunks (each one block, joined by blank lines) for ``blocks``."""
        out: list[str] = []
        indent = ""  # the content indent of the open 1. item, for its （1） paragraphs
        for b in blocks:
            if isinstance(b, Table):
                out.append(self.table(b))
                indent = ""
                continue
            text = unicodedata.normalize("NFC", b.text).strip().replace("\t", " ")
            images = self._images(b)
            if not text:
                out.extend(images)
                continue
            level = heading_level(text)
            if b.list_kind:
                marker = "1." if b.list_kind == "ol" else "-"
                pad = "   " * b.list_level
                out.append(f"{pad}{marker} {self.inline(text)}")
                indent = ""
            elif level in (1, 2):
                out.extend(self._heading(text, level + 1 + shift))
                indent = ""
            elif b.heading and level == 0 and len(text) <= _HEADING_MAX:  # Word's 标题 1/2/3 style
                out.append(f"{'#' * min(b.heading + 1 + shift, 4)} {self.inline(text, table=True)}")
                indent = ""
            elif level == 3:
                m = re.match(r"^(\d{1,2})\s*[.．、]\s*", unicodedata.normalize("NFKC", text[:4]) + text[4:])
                number = m.group(1) if m else "1"
                rest = text[len(m.group(0)):] if m else text
                marker = f"{int(number)}."
                indent = " " * (len(marker) + 1)
                out.append(f"{marker} {self.inline(rest)}")
            elif level == 4 and indent:
                out.append(indent + self.inline(text).replace("\n", "\n" + indent))
            else:
                out.append(self.inline(text))
                indent = ""
            out.extend(indent + i for i in images)
        return out

    def _heading(self, text: str, depth: int) -> list[str]:
        head, sep, rest = text.partition("。")
        if sep and rest.strip() and len(head) <= _HEADING_MAX:
            return [f"{'#' * depth} {self.inline(head, table=True)}", self.inline(rest.strip())]
        if len(text.rstrip("。")) <= _HEADING_MAX:
            return [f"{'#' * depth} {self.inline(text.rstrip('。'), table=True)}"]
        return [self.inline(text)]

    def _images(self, b: Para) -> list[str]:
        out = []
        for img in b.images:
            self.images += 1
            alt = img.alt or f"{self.image_alt}图{self.images}"
            path = self.save_image(img, alt)
            if path is None:
                self.problems.append((b.line, f"图片是 {img.ext or '未知'} 格式，网页只能显示 PNG、JPEG、GIF、WebP："
                                              "未导入，请在 Word 中另存为 PNG 后放入 files/ 并在正文中引用"))
                continue
            out.append(f"![{escape(alt, inside=True)}]({path})")
        return out

    def table(self, t: Table) -> str:
        width = max(len(r) for r in t.rows)
        rows = [[self.inline(c, table=True) for c in r] + [""] * (width - len(r)) for r in t.rows]
        lines = ["| " + " | ".join(rows[0]) + " |", "|" + " --- |" * width]
        lines += ["| " + " | ".join(r) + " |" for r in rows[1:]]
        return "\n".join(lines)

    def footnote_defs(self) -> list[str]:
        return [f"[^{n}]: {self.inline(self.footnotes[ident])}"
                for ident, n in sorted(self.notes_used.items(), key=lambda kv: kv[1])]
