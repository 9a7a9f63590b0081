"""The parts of a 公文 (GB/T 9704 layout) in a document's blocks.

A 公文 reads, top to bottom: 份号, 密级 and 紧急程度 (optional); the 发文机关标志
(「青禾区民政局文件」); the 发文字号 (「青民发〔2026〕5号」, 签发人 beside it in 上行文);
the 标题 (one or more centred lines); the 主送机关 (「各街道办事处：」); the 正文 with its
four heading levels 一、 （一） 1. （1）; the 附件说明 (「附件：1. …」 and the lines under it);
the 发文机关署名 and the 成文日期 (「2026年9月28日」, or 二〇二六年九月二十八日); the 附注
(「（此件公开发布）」, a contact); the attachments' own pages (「附件1」, a title, the text);
the 版记 (抄送, 印发机关和印发日期). This module finds those parts; it reads text, not fonts
or colours, so a document typed without the official template is read as well.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field

from gkpub.importer.docx_read import Block, DocxText, Para, Table

# ---------------------------------------------------------------- text patterns

_BRACKETS = "〔[【(（［"
_CLOSE = "〕]】)）］"
# 发文字号 anywhere in a line: 机关代字, the year in any of the brackets typed, the serial
DOC_NO_SEARCH = re.compile(rf"([\u4e00-\u9fff]{{1,15}})\s*[{re.escape(_BRACKETS)}]\s*(\d{{4}})\s*"
                           rf"[{re.escape(_CLOSE)}]\s*第?\s*0*(\d{{1,5}})\s*号")
_CN_DIGITS = {"〇": 0, "零": 0, "○": 0, "O": 0, "o": 0, "Ｏ": 0, "一": 1, "二": 2, "三": 3, "四": 4,
              "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_YEAR = r"(\d{4}|[〇零○OoＯ一二三四五六七八九]{4})"
_SMALL = r"(\d{1,2}|[一二三四五六七八九十]{1,3})"
DATE_LINE = re.compile(rf"^{_YEAR}年{_SMALL}月{_SMALL}日$")
_BANJI_PRINT = re.compile(rf"{_YEAR}年{_SMALL}月{_SMALL}日\s*印\s*发$")
ATTRIBUTE_RE = re.compile(r"此件\s*(公开发布|删减后公开|依申请公开|不予公开|不公开)")
ATTRIBUTES = {"公开发布": "主动公开", "删减后公开": "删减后公开", "依申请公开": "依申请公开",
              "不予公开": "不予公开", "不公开": "不予公开"}
_ATTACH_NOTE = re.compile(r"^附\s*件\s*[：:]\s*")
_ATTACH_PAGE = re.compile(r"^附\s*件\s*(\d{0,2})\s*[：:]?$")
_NUMBERED = re.compile(r"^(\d{1,2})\s*[.．、]\s*(?!\d)")
# 文种: the last words of a title (GB/T 9704 and the 党政机关公文处理工作条例, and the usual others)
DOC_KINDS = ("通知", "通报", "决定", "公告", "通告", "意见", "办法", "规定", "批复", "报告", "请示", "函", "纪要",
             "方案", "决议", "命令", "议案", "细则", "规划", "计划", "公示", "要点", "条例", "规则", "答复")
_MARKS = ("★", "特急", "加急", "特提", "平急", "秘密", "机密", "绝密")

HEADING_PATTERNS: tuple[re.Pattern[str], ...] = (
    re.compile(r"^[一二三四五六七八九十]{1,3}、"),
    re.compile(r"^[（(][一二三四五六七八九十]{1,3}[）)]"),
    re.compile(r"^\d{1,2}[.．、](?!\d)"),
    re.compile(r"^[（(]\d{1,2}[）)]"),
)


def heading_level(text: str) -> int:
    """1–4 for the 公文 levels 一、 （一） 1. （1）; 0 for plain text."""
    for level, pattern in enumerate(HEADING_PATTERNS, start=1):
        if pattern.match(text):
            return level
    return 0


def _squeeze(text: str) -> str:
    """Text without any blank (spaces, full-width spaces, tabs): how a date line is compared."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def _cn_small(s: str) -> int:
    if s.isdigit():
        return int(s)
    if "十" not in s:
        return _CN_DIGITS[s]
    tens, _, ones = s.partition("十")
    return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)


def parse_date_line(text: str) -> dt.date | None:
    """「2026年9月28日」 or 「二〇二六年九月二十八日」 alone on a line → the date; else None."""
    raw = re.sub(r"\s+", "", text)  # before NFKC, which would turn Ｏ into a Latin O (kept in _CN_DIGITS)
    m = DATE_LINE.match(raw) or DATE_LINE.match(_squeeze(text))
    if not m:
        return None
    year_s = m.group(1)
    year = int(year_s) if year_s.isdigit() else int("".join(str(_CN_DIGITS[c]) for c in year_s))
    try:
        return dt.date(year, _cn_small(m.group(2)), _cn_small(m.group(3)))
    except (ValueError, KeyError):
        return None


def normalize_doc_no(text: str) -> tuple[str, str] | None:
    """(the 文号 as written, the 文号 with 〔〕) for the first 发文字号 in ``text``; None when none."""
    m = DOC_NO_SEARCH.search(text) or DOC_NO_SEARCH.search(unicodedata.normalize("NFKC", text))
    if not m:
        return None
    return m.group(0), f"{m.group(1)}〔{int(m.group(2))}〕{int(m.group(3))}号"


# ---------------------------------------------------------------- the parts

@dataclass(frozen=True)
class AttachmentNote:
    """One entry of the 附件说明: its number (1 when there is only one) and name."""

    number: int
    name: str
    line: int


@dataclass
class InlineAttachment:
    """An attachment whose pages are part of the document (「附件1」, its title, its text)."""

    number: int
    title: str
    line: int
    blocks: list[Block] = field(default_factory=list)


@dataclass
class Gongwen:
    title: str = ""
    title_line: int = 0
    issuer_mark: str = ""  # 发文机关标志 without 「文件」
    doc_no: str = ""  # normalized, '' when none
    doc_no_written: str = ""
    doc_no_line: int = 0
    signatures: list[str] = field(default_factory=list)  # 发文机关署名 lines
    date: dt.date | None = None
    date_line: int = 0
    attribute: str = ""  # a value of schema.ATTRIBUTES, '' when the document states none
    attribute_line: int = 0
    attachments: list[AttachmentNote] = field(default_factory=list)
    inline: list[InlineAttachment] = field(default_factory=list)
    body: list[Block] = field(default_factory=list)
    notes: list[Para] = field(default_factory=list)  # 附注 other than the 公开属性 line
    last_line: int = 0


def _text(b: Block) -> str:
    return b.text.strip() if isinstance(b, Para) else ""


def _is_empty(b: Block) -> bool:
    return isinstance(b, Para) and not b.text.strip() and not b.images


def _is_banji(text: str) -> bool:
    t = _squeeze(text)
    return t.startswith(("抄送：", "抄送:")) or bool(_BANJI_PRINT.search(t))


def _is_signature(text: str) -> bool:
    return 0 < len(text) <= 30 and not re.search(r"[。：:；;，,、！？]", text) and not _ATTACH_NOTE.match(text)


def _date_of(b: Block) -> tuple[dt.date, list[str]] | None:
    """The 成文日期 of a date-line paragraph, and the 署名 lines above it in the same paragraph
    (typed with a line break: 「青禾区民政局⏎2026年9月28日」)."""
    if not isinstance(b, Para):
        return None
    lines = [ln.strip() for ln in b.text.split("\n") if ln.strip()]
    day = parse_date_line(lines[-1]) if lines else None
    if day is None or not all(_is_signature(ln) for ln in lines[:-1]):
        return None
    return day, lines[:-1]


def _is_mark(blocks: list[Block], i: int) -> bool:
    """Is paragraph ``i`` a 发文机关标志 with no 文号 under it: 「…文件」, or a line that is no title
    (no 关于, no 文种 at its end) above a centred line that is one?"""
    t = _squeeze(_text(blocks[i]))
    if not t or len(t) > 30:
        return False
    if t.endswith("文件"):
        return True
    if "关于" in t or t.endswith(DOC_KINDS):
        return False
    nxt = next((b for b in blocks[i + 1:i + 4] if not _is_empty(b)), None)
    if not isinstance(nxt, Para) or nxt.align != "center":
        return False
    n = _squeeze(nxt.text)
    return "关于" in n or n.endswith(DOC_KINDS)


def parse(doc: DocxText) -> Gongwen:
    g = Gongwen()
    blocks = doc.blocks
    n = len(blocks)
    g.last_line = blocks[-1].line if blocks else 0
    i = 0
    # ---- head: 份号, 密级, 紧急程度, 机关标志, 发文字号
    head: list[int] = []
    while i < n and len(head) < 6:
        b = blocks[i]
        if _is_empty(b):
            i += 1
            continue
        if isinstance(b, Table):  # a 版头 laid out in a table: 机关标志 and 文号 in its cells
            for cell in (c for row in b.rows for c in row if c):
                found = normalize_doc_no(cell)
                if found and not g.doc_no:
                    g.doc_no_written, g.doc_no = found
                    g.doc_no_line = b.line
                elif _squeeze(cell).endswith("文件") and not g.issuer_mark:
                    g.issuer_mark = cell
            if g.doc_no or g.issuer_mark:
                i += 1  # the table was the 版头
            break
        t = _text(b)
        s = _squeeze(t)
        if re.fullmatch(r"\d{6}", s) or any(s.startswith(m) or m in s and len(s) <= 12 for m in _MARKS):
            i += 1
            continue
        found = normalize_doc_no(t)
        if found and len(s) <= 40 and "关于" not in t:
            g.doc_no_written, g.doc_no = found
            g.doc_no_line = b.line
            for k in head:
                g.issuer_mark = _text(blocks[k])
            i += 1
            break
        head.append(i)
        i += 1
    if not g.doc_no and not g.issuer_mark:
        i = head[0] if head else i
        first = blocks[i] if i < n else None
        if first is not None and _is_mark(blocks, i):
            g.issuer_mark = _text(first)
            i += 1
    g.issuer_mark = re.sub(r"\s*文\s*件$", "", g.issuer_mark).strip()
    # ---- title: the next centred lines (after a 签发人 line of its own, in 上行文)
    while i < n and (_is_empty(blocks[i]) or _squeeze(_text(blocks[i])).startswith(("签发人：", "签发人:"))):
        i += 1
    if i < n and isinstance(blocks[i], Para):
        first_para = blocks[i]
        assert isinstance(first_para, Para)
        g.title, g.title_line = _text(first_para), first_para.line
        i += 1
        while i < n:
            b = blocks[i]
            t = _text(b)
            if (isinstance(b, Para) and t and b.align == "center" and first_para.align == "center"
                    and not t.startswith(("（", "(")) and not t.endswith(("：", ":"))
                    and len(g.title) + len(t) <= 80):
                g.title += t
                i += 1
            else:
                break
    body_start = i
    # ---- tail: 版记, inline attachments, 附注, date, signature, 附件说明
    end = n
    for k in range(body_start, n):
        if _is_banji(_text(blocks[k])):
            end = k
            break
    date_idx = None
    for k in range(body_start, end):
        if _date_of(blocks[k]) is None:
            continue
        nxt = next((m for m in range(k + 1, end) if not _is_empty(blocks[m])), None)
        t = _text(blocks[nxt]) if nxt is not None else ""
        if nxt is None or t.startswith(("（", "(")) or ATTRIBUTE_RE.search(t) or _ATTACH_PAGE.match(t):
            date_idx = k
            break
    main_end = end
    own_sig: list[str] = []  # 署名 lines in the date's paragraph (a line break, not a new paragraph)
    if date_idx is not None:
        g.date, own_sig = _date_of(blocks[date_idx]) or (None, [])
        g.date_line = blocks[date_idx].line
        main_end = date_idx
        _tail(g, blocks, date_idx + 1, end)
    # signature lines above the date
    k = main_end - 1
    if date_idx is not None:
        while k >= body_start and _is_empty(blocks[k]) and not own_sig:
            k -= 1
        sig: list[str] = []
        while (not own_sig and k >= body_start and len(sig) < 3 and isinstance(blocks[k], Para)
               and _is_signature(_text(blocks[k]))):
            sig.insert(0, _text(blocks[k]))
            k -= 1
        g.signatures = sig + own_sig
        main_end = k + 1
    # 附件说明 above the signature
    note_start = None
    for j in range(main_end - 1, max(body_start, main_end - 15) - 1, -1):
        if isinstance(blocks[j], Para) and _ATTACH_NOTE.match(_text(blocks[j])):
            note_start = j
            break
    if note_start is not None:
        g.attachments = _attachment_notes(blocks[note_start:main_end])
        main_end = note_start
    g.body = list(blocks[body_start:main_end])
    while g.body and _is_empty(g.body[-1]):
        g.body.pop()
    # a 公开属性 line written inside the text (some templates put it above the date)
    if not g.attribute:
        for b in g.body[::-1]:
            m = ATTRIBUTE_RE.search(_text(b))
            if m and len(_text(b)) <= 20:
                g.attribute, g.attribute_line = ATTRIBUTES[m.group(1)], b.line
                g.body.remove(b)
                break
    return g


def _tail(g: Gongwen, blocks: list[Block], start: int, end: int) -> None:
    """附注 and the attachments' own pages, between the date line and the 版记."""
    current: InlineAttachment | None = None
    for b in blocks[start:end]:
        t = _text(b)
        page: re.Match[str] | None = _ATTACH_PAGE.match(_squeeze(t)) if isinstance(b, Para) else None
        if page is not None:
            current = InlineAttachment(int(page.group(1) or 1), "", b.line)
            g.inline.append(current)
            continue
        if current is not None:
            if not current.title and isinstance(b, Para):
                if t:
                    current.title = t
                continue
            current.blocks.append(b)
            continue
        if _is_empty(b):
            continue
        m = ATTRIBUTE_RE.search(t)
        if m:
            g.attribute, g.attribute_line = ATTRIBUTES[m.group(1)], b.line
            rest = ATTRIBUTE_RE.sub("", t).strip("（）() ")
            if not rest:
                continue
        if isinstance(b, Para):
            g.notes.append(b)
    for att in g.inline:
        while att.blocks and _is_empty(att.blocks[-1]):
            att.blocks.pop()


def _attachment_notes(blocks: list[Block]) -> list[AttachmentNote]:
    """「附件：1. 甲」「2. 乙」 (or one 「附件：甲」) → entries; a wrapped name joins its entry."""
    notes: list[AttachmentNote] = []
    for b in blocks:
        if not isinstance(b, Para):
            continue
        t = _ATTACH_NOTE.sub("", b.text.strip())
        if not t:
            continue
        m = _NUMBERED.match(t)
        if m:
            notes.append(AttachmentNote(int(m.group(1)), t[m.end():].strip(), b.line))
        elif notes:
            last = notes[-1]
            notes[-1] = AttachmentNote(last.number, last.name + t, last.line)
        else:
            notes.append(AttachmentNote(1, t, b.line))
    return [AttachmentNote(a.number, a.name.rstrip("。；;"), a.line) for a in notes]
