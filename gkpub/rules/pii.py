"""Find unmasked personal data (ID numbers, mobile numbers, bank cards) in text.

Lists posted in public (低保, subsidies) must show 4307**********1234 and
138****5678, never the full numbers. This scanner is the last check before
anything is published or printed, so it leans towards precision on the numbers
that fill government pages (index numbers, 文号, landlines, hotlines, amounts,
dates, postal codes, project and order numbers) while validating what it reports.

The text is normalized first (``normalize``), so a number written to slip past a
plain pattern is still read as the reader sees it: NFKC (full-width digits and
letters), zero-width characters and soft hyphens removed, HTML entities
(``&#49;``, ``&#x31;``, ``&nbsp;``) and ``\\u0031``/``\\x31`` escapes decoded,
Markdown backslash escapes and emphasis between digits (``138**1234**5678``)
dropped. Every position is mapped back to the original text, so a hit names the
line and column the editor sees.

Digits are then read in runs: groups of digits separated by spaces, dots, dashes,
non-breaking spaces or a single line break (``430702 19900101 1234``,
``138.1234.5678``, ``1381 234 5678``). A number may be any stretch of whole groups
of a run:

- 18-digit ID: ISO 7064 MOD 11-2 check character, a plausible birth date
  (1900-01-01 to today) and a real province code; any grouping;
- 15-digit ID (issued before 1999): a plausible 19YYMMDD birth date and a
  province code; grouped only when it is the whole run or 身份证 is named nearby;
- mobile: 1[3-9] and 11 digits, grouped 3-4-4, 4-3-4 or digit by digit, +86 …;
- bank card: 16–19 digits passing Luhn, never a valid ID or 统一社会信用代码, and
  either a card word nearby (卡号, 银行卡, 账号, 开户行 …) or an issuer prefix
  (UnionPay 62/60/81, Visa 4, Mastercard 51–55 and 2221–2720, JCB, Discover,
  domestic 955…) with a card's grouping; a serial word nearby (编号, 项目, 订单,
  合同 …) rules a card out, and so does, with no card word, a lead of a 行政区划代码
  and a year (530102 2026 000125, how project numbers are built). "Nearby" is the nearest such word before the number
  on its line, else the column header of the ``| … |`` table it stands in; in
  extracted text also a card word in the 1,500 characters before it.

Blanks are weak evidence of grouping: in text extracted from a PDF they also stand
between table cells. A mobile or card joined over spaces or a line break counts when
it is a run of its own in typed text (``extracted=False``) or when the matching word
(电话/手机 …, 卡号/账号 …) is nearby; joined over dots or dashes it always counts, and
over non-breaking spaces (a deliberate disguise) in any grouping.

A number counts only when it stands alone: not part of a longer group of digits,
not glued to Latin letters (index numbers like 11539901MB00002030/2026-00012,
order numbers DD13812345678) unless the letters are a known prefix (``ID``, ``G``
for 学籍号, ``Tel`` …), and not the integer part or fraction of a decimal amount.
"""
from __future__ import annotations

import bisect
import html
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from itertools import pairwise
from typing import Literal

Kind = Literal["身份证号", "手机号", "银行卡号"]
ID_CARD: Kind = "身份证号"
MOBILE: Kind = "手机号"
BANK_CARD: Kind = "银行卡号"

# ---------------------------------------------------------------- validators

# GB/T 2260 province-level codes (first two digits of an ID number).
_PROVINCES = frozenset({
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
    "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65",
    "71", "81", "82",
})
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def id_check_char(first17: str) -> str:
    """ISO 7064 MOD 11-2 check character of an 18-digit ID number (GB 11643)."""
    total = sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def _birth(y: int, m: int, d: int) -> date | None:
    try:
        born = date(y, m, d)
    except ValueError:
        return None
    return born if date(1900, 1, 1) <= born <= date.today() else None


def is_valid_id18(s: str) -> bool:
    if len(s) != 18 or not s[:17].isdigit():
        return False
    # 9xxxxx: the 2023 foreigners' permanent residence ID shares the format.
    if s[:2] not in _PROVINCES and s[0] != "9":
        return False
    if _birth(int(s[6:10]), int(s[10:12]), int(s[12:14])) is None:
        return False
    return id_check_char(s[:17]) == s[17].upper()


def is_id18_shaped(s: str) -> bool:
    """18 characters shaped like a resident ID whatever the check character: a real province
    code with a city and county (digits 3–6 not all zero) and a plausible birth date. A typo
    in a published list (one digit wrong, so the check fails) still shows 17 digits of a real
    person's number, so such a number is personal data too."""
    if len(s) != 18 or not s[:17].isdigit() or not (s[17].isdigit() or s[17] in "Xx"):
        return False
    if (s[:2] not in _PROVINCES and s[0] != "9") or s[2:6] == "0000":
        return False
    return _birth(int(s[6:10]), int(s[10:12]), int(s[12:14])) is not None


def is_valid_id15(s: str) -> bool:
    if len(s) != 15 or not s.isdigit() or s[:2] not in _PROVINCES:
        return False
    return _birth(1900 + int(s[6:8]), int(s[8:10]), int(s[10:12])) is not None


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, c in enumerate(reversed(digits)):
        n = int(c)
        if i % 2:
            n *= 2
            if n > 9:
                n -= 9
        total += n
    return total % 10 == 0


# Issuer prefixes (IIN/BIN ranges) of cards used in China, with the lengths they issue.
# (low, high) compare against the number's leading digits of the same width.
_ISSUERS: tuple[tuple[str, str, range], ...] = (
    ("62", "62", range(16, 20)),        # UnionPay
    ("60", "60", range(16, 20)),        # UnionPay-branded domestic (601382, 603367 …)
    ("81", "81", range(16, 20)),        # UnionPay (newer ranges)
    ("955", "955", range(16, 20)),      # domestic legacy (9558 ICBC, 9559 ABC, 95595– …)
    ("4", "4", range(16, 20)),          # Visa
    ("51", "55", range(16, 17)),        # Mastercard
    ("2221", "2720", range(16, 17)),    # Mastercard
    ("3528", "3589", range(16, 20)),    # JCB
    ("6011", "6011", range(16, 20)),    # Discover
    ("644", "649", range(16, 20)),      # Discover
    ("65", "65", range(16, 20)),        # Discover
)
_UNIONPAY = ("62", "60", "81", "955")


def card_issuer_ok(digits: str) -> bool:
    """The number starts with a card issuer's prefix and has a length that issuer uses."""
    for low, high, lengths in _ISSUERS:
        if len(digits) in lengths and low <= digits[:len(low)] <= high:
            return True
    return False


_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def _is_uscc(s: str) -> bool:
    """Valid 统一社会信用代码 (GB 32100-2015): such codes fill disclosure pages."""
    s = s.upper()
    if len(s) != 18 or any(c not in _USCC_CHARS for c in s):
        return False
    total = sum(_USCC_CHARS.index(c) * pow(3, i, 31) for i, c in enumerate(s[:17]))
    return _USCC_CHARS[(31 - total % 31) % 31] == s[17]


def _card_number(digits: str) -> bool:
    """16–19 digits passing Luhn that are not an ID number or a credit code."""
    return (16 <= len(digits) <= 19 and digits.isdigit() and luhn_ok(digits)
            and not is_valid_id18(digits) and not _is_uscc(digits))


def is_valid_card(digits: str) -> bool:
    """A card number on its own, with no context: issuer prefix and Luhn."""
    return _card_number(digits) and card_issuer_ok(digits)


# ---------------------------------------------------------------- masking

# The masking rule, defined once (README「遮蔽规则」shows the same): how many leading and
# trailing digits may stay visible. mask() writes these forms; a masked number that shows
# more is reported with the form to use (_partial_hits).
MASK_RULE: dict[str, tuple[int, int]] = {ID_CARD: (4, 4), MOBILE: (3, 4), BANK_CARD: (6, 4)}
_KEEP = MASK_RULE
_CC_PREFIX_RE = re.compile(r"^(?:[(（]\+?86[)）] ?|(?:\+86|0086)[ -]?)")


def mask(value: str, kind: str) -> str:
    """Masked form of ``value``: ID first 4 + last 4, mobile first 3 + last 4,
    bank card first 6 + last 4, every other digit replaced by '*'.

    Separators and a +86 prefix are kept where they are, so the result can replace
    ``value`` in the text as it stands: 138-1234-5678 → 138-****-5678.
    """
    if kind not in _KEEP:
        raise ValueError(f"未知的个人信息类型「{kind}」，应为 身份证号、手机号 或 银行卡号")
    head, tail = _KEEP[kind]
    prefix = ""
    body = value
    if kind == MOBILE:
        m = _CC_PREFIX_RE.match(value)
        if m:
            prefix, body = m.group(0), value[m.end():]
    positions = [i for i, c in enumerate(body) if c.isdigit() or c in "Xx"]
    if len(positions) <= head + tail:
        raise ValueError(f"「{value}」太短，不像{kind}")
    hidden = set(positions[head:len(positions) - tail])
    return prefix + "".join("*" if i in hidden else c for i, c in enumerate(body))


# ---------------------------------------------------------------- normalization

# Characters a reader never sees; removed before scanning.
_INVISIBLE = "\u00ad\u180e\u200b\u200c\u200d\u2060\u2061\u2062\u2063\u2064\ufeff"
# Non-breaking spaces: kept as one marker, a deliberate (strong) separator.
_NBSPS = "\u00a0\u2007\u202f"
NBSP = "\u00a0"

# Disguise kinds recorded per replaced piece; all but "width" are named in messages.
INVISIBLE, ENTITY, ESCAPE, MARKUP, NBSP_KIND, WIDTH = (
    "invisible", "entity", "escape", "markup", "nbsp", "width")


def _ranges(points: list[int]) -> str:
    """A regex character class body for sorted code points."""
    out, i = [], 0
    while i < len(points):
        j = i
        while j + 1 < len(points) and points[j + 1] == points[j] + 1:
            j += 1
        out.append(re.escape(chr(points[i])) + ("-" + re.escape(chr(points[j])) if j > i else ""))
        i = j + 1
    return "".join(out)


@dataclass(frozen=True)
class _Patterns:
    special: re.Pattern[str]  # everything normalization replaces
    candidate: re.Pattern[str]  # where a number may be hiding, in text as written


@lru_cache(maxsize=1)
def _patterns() -> _Patterns:
    """Built on first use (about 20 ms): the characters whose NFKC form holds a digit, a
    Latin letter, + - . or a space are the ones that change what the scanner reads."""
    wanted = re.compile(r"[0-9A-Za-z+\-.\s]")
    spans = ((0x80, 0xD800), (0xE000, 0x10000), (0x10780, 0x107C0), (0x1D400, 0x1D800),
             (0x1F100, 0x1F200), (0x1FBF0, 0x1FBFA))
    relevant: list[int] = []
    digitish: list[int] = []
    glue: list[int] = []
    for lo, hi in spans:
        for cp in range(lo, hi):
            ch = chr(cp)
            if ch in _INVISIBLE or ch in _NBSPS:
                continue
            n = unicodedata.normalize("NFKC", ch)
            if n == ch or not wanted.search(n):
                continue
            relevant.append(cp)
            if any(c.isascii() and c.isdigit() for c in n):
                digitish.append(cp)
            elif not n.strip() or n in ".-+":
                glue.append(cp)
    special = re.compile(
        r"(?P<entity>&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});)"
        r"|(?P<escape>\\(?:u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|x[0-9a-fA-F]{2}|_))"
        r"|(?P<mdescape>\\(?=[.\-]))"
        r"|(?<=[0-9])(?P<markup>\*\*\*?|~~|`)(?=[0-9])"
        rf"|(?P<chars>[{_INVISIBLE}{_NBSPS}{_ranges(relevant)}]+)")
    # A loose superset of every number the scanner can find: 11 digit-like characters
    # with only separators, invisible characters, entity and escape letters between.
    d = "0-9" + _ranges(digitish)
    g = (r" \t\r\n.\-\u2010-\u2015\u2212&#;\\*~`_a-fA-FnpsuxNPSUX"
         + _INVISIBLE + _NBSPS + _ranges(glue))
    candidate = re.compile(rf"[{d}](?:[{g}]*+[{d}]){{10,}}")
    return _Patterns(special, candidate)


def _char_form(ch: str) -> tuple[str, str]:
    """(normalized form, disguise kind) of one character matched by the ``chars`` group."""
    if ch in _INVISIBLE:
        return "", INVISIBLE
    if ch in _NBSPS:
        return NBSP, NBSP_KIND
    return unicodedata.normalize("NFKC", ch), WIDTH


def _decoded_form(decoded: str) -> str:
    """A decoded entity or escape, itself normalized (``&#8203;`` is a zero-width space)."""
    out = []
    for ch in decoded:
        if ch in _INVISIBLE:
            continue
        out.append(NBSP if ch in _NBSPS else unicodedata.normalize("NFKC", ch))
    return "".join(out)


@dataclass
class Normalized:
    """Normalized text and the way back to the source.

    ``pieces`` are the replaced stretches, in order: (start, end) in ``text``,
    (start, end) in ``source`` and the disguise kind. Between pieces the two texts
    run in step. A piece whose two lengths are equal maps character by character;
    any other maps each of its characters to its whole source stretch.
    """

    text: str
    source: str
    pieces: list[tuple[int, int, int, int, str]] = field(default_factory=list)
    _starts: list[int] = field(default_factory=list)

    def _src(self, i: int) -> tuple[int, int]:
        """Source (start, end) of normalized character ``i``."""
        k = bisect.bisect_right(self._starts, i) - 1
        if k < 0:
            return i, i + 1
        ns, ne, os_, oe, _ = self.pieces[k]
        if i < ne:
            if ne - ns == oe - os_:
                return os_ + i - ns, os_ + i - ns + 1
            return os_, oe
        o = oe + i - ne
        return o, o + 1

    def source_span(self, a: int, b: int) -> tuple[int, int]:
        """Source span of the normalized span [a, b)."""
        return self._src(a)[0], self._src(b - 1)[1]

    def norm_offset(self, o: int) -> int:
        """Normalized offset of source offset ``o`` (the start of a piece that holds it)."""
        k = bisect.bisect_right([p[2] for p in self.pieces], o) - 1
        if k < 0:
            return o
        ns, ne, os_, oe, _ = self.pieces[k]
        return ns if o < oe else ne + o - oe

    def kinds(self, oa: int, ob: int) -> set[str]:
        """Disguise kinds of the pieces inside the source span [oa, ob)."""
        return {p[4] for p in self.pieces if p[2] < ob and p[3] > oa}


def normalize(text: str, windows: list[tuple[int, int]] | None = None) -> Normalized:
    """``text`` as the scanner reads it (see the module docstring), with the mapping back.

    With ``windows`` (sorted, disjoint source spans), only those are normalized: the
    scanner passes the places where a number may be hiding and leaves the rest as it is.
    """
    rx = _patterns().special
    matches = (rx.finditer(text) if windows is None
               else (m for a, b in windows for m in rx.finditer(text, a, b)))
    out: list[str] = []
    pieces: list[tuple[int, int, int, int, str]] = []
    n = 0  # length of the normalized text so far
    last = 0  # end of the last replaced source stretch

    def piece(o_start: int, o_end: int, repl: str, kind: str) -> None:
        nonlocal n
        out.append(repl)
        pieces.append((n, n + len(repl), o_start, o_end, kind))
        n += len(repl)

    for m in matches:
        if m.start() > last:
            out.append(text[last:m.start()])
            n += m.start() - last
        last = m.end()
        group = m.lastgroup
        if group == "chars":
            run_start, run = m.start(), []  # consecutive one-to-one characters share a piece
            for i, ch in enumerate(m.group(0), start=m.start()):
                form, kind = _char_form(ch)
                if len(form) == 1 and kind == WIDTH:
                    run.append(form)
                    continue
                if run:
                    piece(run_start, i, "".join(run), WIDTH)
                    run = []
                piece(i, i + 1, form, kind)
                run_start = i + 1
            if run:
                piece(run_start, m.end(), "".join(run), WIDTH)
        elif group == "entity":
            decoded = html.unescape(m.group(0))
            if decoded == m.group(0):  # not an entity after all
                out.append(decoded)
                n += len(decoded)
            else:
                piece(m.start(), m.end(), _decoded_form(decoded), ENTITY)
        elif group == "escape":
            code = m.group(0)[1:]
            decoded = NBSP if code == "_" else _safe_chr(int(code[1:], 16))
            piece(m.start(), m.end(), _decoded_form(decoded), ESCAPE)
        else:  # a Markdown escape or emphasis between digits: shown as nothing
            piece(m.start(), m.end(), "", MARKUP)
    if not pieces:
        return Normalized(text, text)
    out.append(text[last:])
    return Normalized("".join(out), text, pieces, [p[0] for p in pieces])


def _safe_chr(cp: int) -> str:
    return chr(cp) if cp <= 0x10FFFF and not 0xD800 <= cp < 0xE000 else "\ufffd"


# ---------------------------------------------------------------- context words

_CARD_WORDS = ("卡号", "银行卡", "账号", "帐号", "账户", "帐户", "开户行", "开户银行", "借记卡",
               "储蓄卡", "信用卡", "社保卡", "存折", "一卡通", "card")
# Words before a number that make it a serial or an amount, never a card.
_SERIAL_WORDS = ("编号", "项目", "订单", "流水号", "合同", "批次", "序列号", "单号", "证号", "登记号",
                 "许可证", "代码", "编码", "条码", "发票", "文号", "索引号", "识别号", "批号", "工单",
                 "档案号", "serial", "no.", "合计", "共计", "小计", "总计", "金额", "资金", "预算",
                 "决算", "收入", "支出", "费用")
# A unit right after a number: an amount or a count, never a card or a phone.
_UNIT_AFTER_RE = re.compile(r"[ \t]*(?:元|万|亿|亩|人|户|个|件|次|台|套|份|吨|公斤|千克|米|平方|立方|%|‰)")
_MOBILE_WORDS = ("电话", "手机", "联系", "热线", "tel", "phone", "mobile")
_ID_WORDS = ("身份证", "身份号码", "证件号", "学籍号")
# Latin letters glued to the front of a number that still leave it personal data.
_ID_PREFIXES = frozenset({"id", "g", "sfz"})
_MOBILE_PREFIXES = frozenset({"tel", "mob", "mobile", "phone", "cell", "sj"})
INLINE_CONTEXT = 32  # characters before a number searched for a context word
EXTRACTED_CONTEXT = 1500  # … in extracted (PDF) text, where the table header is lines above


def _last(text: str, words: tuple[str, ...]) -> int:
    return max(text.rfind(w) for w in words)


# ---------------------------------------------------------------- reading runs of digits

# At least 11 digits, each pair separated by nothing, or by spaces and/or one dot, dash,
# NBSP or line break. Atomic groups keep long blanks from backtracking.
_STRONG = r".\-\u2010-\u2015\u2212" + NBSP
_RUN_RE = re.compile(
    r"[0-9](?:(?>[ \t]*+(?:[" + _STRONG + r"]|\r\n|\r|\n)?[ \t]*+)[0-9]){10,}")
_GROUP_RE = re.compile(r"[0-9]+")
_CC_BEFORE_RE = re.compile(r"(?:[(（]\+?86[)）]|\+86) ?$|\+$")
_LETTERS_BEFORE_RE = re.compile(r"[A-Za-z]+$")
LINE_BREAK = re.compile(r"\r\n|\r|\n")  # what scan counts as a new line
_MOBILE_GROUPINGS = frozenset({(11,), (3, 4, 4), (4, 3, 4), (1,) * 11})


def _card_grouping(sizes: tuple[int, ...]) -> bool:
    if len(sizes) == 1:
        return True
    if sizes[:4] == (4, 4, 4, 4) and (len(sizes) == 4 or (len(sizes) == 5 and sizes[4] <= 3)):
        return True
    return len(sizes) == 2 and sizes[0] == 6 and 10 <= sizes[1] <= 13


@dataclass
class _Run:
    """One run of digit groups in normalized text."""

    groups: list[tuple[int, int]]  # (start, end) of each group
    # between groups: "dot" (a bare dot), "strong" (a dash or spaced dot), "nbsp", "blank"
    # (spaces, tabs), "break" (a line break) or "cc" (after a country code written 8613…)
    seps: list[str]
    glued: list[bool]  # per separator: a decimal point, never a place to split
    start_kinds: frozenset[str] | None  # None: any kind may start at group 0
    end_ok: bool  # the last group may end a number
    x_end: bool  # the last group ends with an X (an ID's check character)
    cc_start: int | None  # where a +86 / (+86) / 0086 prefix begins, if any
    cc_groups: int  # leading groups that are the country code


def _read_run(t: str, s: int, e: int) -> _Run:
    groups = [(m.start() - s, m.end() - s) for m in _GROUP_RE.finditer(t, s, e)]
    seps: list[str] = []
    for (_, b), (a2, _) in pairwise(groups):
        sep = t[s + b:s + a2]
        if "\n" in sep or "\r" in sep:
            seps.append("break")
        elif not sep.strip(" \t"):
            seps.append("blank")
        elif sep == ".":
            seps.append("dot")
        elif not sep.strip(" \t" + NBSP):
            seps.append("nbsp")
        else:
            seps.append("strong")
    # A chain of groups joined by bare dots is a decimal when it has one dot (13812345678.00)
    # and a grouping when it has more (138.1234.5678, 2026.01.15).
    glued = [False] * len(seps)
    k = 0
    while k < len(seps):
        if seps[k] != "dot":
            k += 1
            continue
        j = k
        while j + 1 < len(seps) and seps[j + 1] == "dot":
            j += 1
        if j == k:
            glued[k] = True
        k = j + 1
    x_end = e < len(t) and t[e] in "Xx" and not (e + 1 < len(t) and t[e + 1].isascii() and t[e + 1].isalnum())
    after = e + (1 if x_end else 0)
    end_ok = not (after < len(t) and t[after].isascii() and t[after].isalnum())
    start_kinds: frozenset[str] | None = None
    letters = _LETTERS_BEFORE_RE.search(t, max(0, s - 8), s)
    if letters:
        word = letters.group(0).lower()
        start_kinds = frozenset({ID_CARD} if word in _ID_PREFIXES else
                                {MOBILE} if word in _MOBILE_PREFIXES else set())
    run = _Run(groups, seps, glued, start_kinds, end_ok, x_end, None, 0)
    _country_code(t, s, run)
    return run


def _country_code(t: str, s: int, run: _Run) -> None:
    """Mark a +86 / (+86) / 0086 prefix: it belongs to a mobile, never to another number."""
    before = _CC_BEFORE_RE.search(t, max(0, s - 7), s)
    a, b = run.groups[0]
    first = t[s + a:s + b]
    code = None
    if before is not None and before.group(0) == "+" and first.startswith("86"):
        code = 2
        run.cc_start = s - 1
    elif first.startswith("0086") and (len(first) == 4 or len(first) == 15) and run.start_kinds is None:
        code = 4
        run.cc_start = s
    elif before is not None and before.group(0) != "+":
        run.cc_start = before.start()
        return
    if code is None:
        return
    if len(first) == code:  # "+86 138 1234 5678": the code is a group of its own
        run.cc_groups = 1
    elif len(first) == code + 11:  # "+8613812345678": split it off
        run.groups[0:1] = [(a, a + code), (a + code, b)]
        run.seps.insert(0, "cc")
        run.glued.insert(0, False)
        run.cc_groups = 1
    else:
        run.cc_start = None


class _Context:
    """Words near a number: the line before it, a table's column header, or (extracted
    text) the lines above. Computed on demand; most numbers never need it."""

    def __init__(self, text: str, extracted: bool):
        self.text = text
        self.extracted = extracted
        self._tables: list[tuple[int, int, list[list[str]]]] | None = None

    def before(self, a: int) -> str:
        """The line before ``a``, at most INLINE_CONTEXT characters."""
        line_start = max(self.text.rfind("\n", 0, a), self.text.rfind("\r", 0, a)) + 1
        return self.text[max(line_start, a - INLINE_CONTEXT):a].lower()

    def above(self, a: int) -> str:
        """Extracted text only: the text before ``a`` (a PDF table's header is lines above)."""
        return self.text[max(0, a - EXTRACTED_CONTEXT):a].lower() if self.extracted else ""

    def header(self, a: int) -> str:
        """The header cells (first three rows) above ``a`` in a ``| … |`` table, or ''."""
        if self._tables is None:
            self._tables = self._find_tables()
        starts = [t[0] for t in self._tables]
        k = bisect.bisect_right(starts, a) - 1
        if k < 0 or a >= self._tables[k][1]:
            return ""
        line_start = max(self.text.rfind("\n", 0, a), self.text.rfind("\r", 0, a)) + 1
        col = self.text.count("|", line_start, a)
        cells = [row[col] for row in self._tables[k][2] if col < len(row)]
        return " ".join(cells).lower()

    def _find_tables(self) -> list[tuple[int, int, list[list[str]]]]:
        tables: list[tuple[int, int, list[list[str]]]] = []
        start = None
        rows: list[list[str]] = []
        pos = 0
        for line in self.text.splitlines(keepends=True):
            if line.lstrip(" \t").startswith("|"):
                if start is None:
                    start, rows = pos, []
                if len(rows) < 3:
                    rows.append(line.rstrip("\r\n").split("|"))
            elif start is not None:
                tables.append((start, pos, rows))
                start = None
            pos += len(line)
        if start is not None:
            tables.append((start, pos, rows))
        return tables

    def kind_of_card(self, a: int) -> str | None:
        """"card", "serial" or None: the nearest word on the line before ``a``, else in the
        column header; else (extracted text) a card word anywhere above, where a serial word
        may as well head another column."""
        for text in (self.before(a), self.header(a)):
            card, serial = _last(text, _CARD_WORDS), _last(text, _SERIAL_WORDS)
            if card > serial:
                return "card"
            if serial > card:
                return "serial"
        return "card" if _last(self.above(a), _CARD_WORDS) >= 0 else None

    def names(self, a: int, words: tuple[str, ...]) -> bool:
        return any(_last(text, words) >= 0 for text in (self.before(a), self.header(a), self.above(a)))


def _run_hits(t: str, s: int, e: int, ctx: _Context) -> list[tuple[int, int, Kind]]:
    """(start, end, kind) of each number in the run t[s:e], in normalized offsets."""
    run = _read_run(t, s, e)
    groups, n = run.groups, len(run.groups)
    texts = [t[s + a:s + b] for a, b in groups]
    if run.x_end:
        texts[-1] += "X"
    hits: list[tuple[int, int, Kind]] = []
    i = run.cc_groups
    while i < n:
        found = None
        if (i == 0 and run.start_kinds != frozenset()) or (i > 0 and not run.glued[i - 1]):
            found = _number_at(t, s, run, texts, i, ctx)
        if found is None:
            i += 1
            continue
        j, kind = found
        a = s + groups[i][0]
        if kind == MOBILE and i == run.cc_groups and run.cc_start is not None:
            a = run.cc_start
        hits.append((a, s + groups[j][1] + (1 if run.x_end and j == n - 1 else 0), kind))
        i = j + 1
    return hits


@dataclass(frozen=True)
class _Candidate:
    """Whole groups i..j of a run, read as one number."""

    digits: str
    sizes: tuple[int, ...]  # digits per group
    seps: frozenset[str]  # separator kinds between the groups
    whole: bool  # the number is the whole run
    at: int  # its start in the normalized text

    @property
    def blank_joined(self) -> bool:
        return bool(self.seps & {"blank", "break"})

    @property
    def nbsp_joined(self) -> bool:
        """Joined only by non-breaking spaces: a deliberate disguise, any grouping."""
        return bool(self.seps) and self.seps <= {"nbsp", "cc"}


def _number_at(t: str, s: int, run: _Run, texts: list[str], i: int,
               ctx: _Context) -> tuple[int, Kind] | None:
    """(last group, kind) of the strongest number starting at group ``i``, if any."""
    n = len(texts)
    allowed = run.start_kinds if i == 0 and run.start_kinds is not None else None
    ends: list[tuple[int, str]] = []  # (j, digits) for each place a number may end
    digits = ""
    for j in range(i, n):
        digits += texts[j]
        if len(digits) > 19:
            break
        if (j == n - 1 and run.end_ok) or (j < n - 1 and not run.glued[j]):
            ends.append((j, digits))
    ends.sort(key=lambda x: -len(x[1]))  # the longest number first
    at = s + run.groups[i][0]
    for kind, ok in ((ID_CARD, _id_ok), (BANK_CARD, _card_ok), (MOBILE, _mobile_ok)):
        if allowed is not None and kind not in allowed:
            continue
        # In extracted text a card's last group may be followed by the next cell's number
        # (6222 0212 3456 7890 300): there the shortest card wins, elsewhere the longest.
        for j, d in (ends[::-1] if kind == BANK_CARD and ctx.extracted else ends):
            if d.endswith("X") and not (kind == ID_CARD and len(d) == 18):
                continue
            if kind != ID_CARD and _UNIT_AFTER_RE.match(t, s + run.groups[j][1]):
                continue  # 13812345678 元: an amount
            cand = _Candidate(d, tuple(len(x) for x in texts[i:j + 1]), frozenset(run.seps[i:j]),
                              i == run.cc_groups and j == n - 1, at)
            if ok(cand, ctx):
                return j, kind
    return None


def _blank_join_ok(c: _Candidate, ctx: _Context, words: tuple[str, ...]) -> bool:
    """Groups joined over blanks or a line break read as one number: a run of its own in
    typed text, or the matching word nearby."""
    return (c.whole and not ctx.extracted) or ctx.names(c.at, words)


def _id_ok(c: _Candidate, ctx: _Context) -> bool:
    if is_valid_id18(c.digits):  # check character, birth date, province: any grouping
        return True
    if is_id18_shaped(c.digits):  # a mistyped ID: as one group or a run of its own, never a serial
        if ctx.names(c.at, _ID_WORDS):
            return True
        return (len(c.sizes) == 1 or (c.whole and not ctx.extracted)) and ctx.kind_of_card(c.at) != "serial"
    return is_valid_id15(c.digits) and (
        len(c.sizes) == 1 or (c.whole and not ctx.extracted) or ctx.names(c.at, _ID_WORDS))


def _mobile_ok(c: _Candidate, ctx: _Context) -> bool:
    d = c.digits
    if not (len(d) == 11 and d[0] == "1" and d[1] in "3456789"):
        return False
    if len(c.sizes) == 1 or c.nbsp_joined:
        return True
    if "break" in c.seps and c.seps <= {"break", "blank", "nbsp"}:  # split over lines
        return _blank_join_ok(c, ctx, _MOBILE_WORDS)
    if c.sizes not in _MOBILE_GROUPINGS:
        return False
    return not c.blank_joined or _blank_join_ok(c, ctx, _MOBILE_WORDS)


def _region_year_led(d: str) -> bool:
    """16 digits led by a 6-digit 行政区划代码 and a year (530102 2026 000125): how project,
    contract and case numbers are built. Province codes overlap card prefixes (41–46 Visa,
    51–54 Mastercard, 62 UnionPay), so without a card word such a number is not read as a
    card (a 16-digit card whose digits 7–10 read 2000–2039 is missed unless a word names it)."""
    return len(d) == 16 and d[:2] in _PROVINCES and 2000 <= int(d[6:10]) <= 2039


def _card_ok(c: _Candidate, ctx: _Context) -> bool:
    d = c.digits
    if not _card_number(d):
        return False
    near = ctx.kind_of_card(c.at)
    if near is not None:
        return near == "card"
    if not card_issuer_ok(d) or _region_year_led(d):
        return False
    if len(c.sizes) == 1 or c.nbsp_joined:
        return True
    if not _card_grouping(c.sizes):
        return False
    # Joined over blanks with no card word: only a whole run with a UnionPay prefix.
    return not c.blank_joined or (c.whole and not ctx.extracted and d.startswith(_UNIONPAY))


# ---------------------------------------------------------------- hits

_NOTES = {
    INVISIBLE: "其中夹有零宽空格、软连字符等看不见的字符，这里显示为 [U+编码]",
    ENTITY: "用 HTML 实体写成",
    ESCAPE: "用 \\u 转义写成",
    MARKUP: "其中夹有 Markdown 记号",
    NBSP_KIND: "其中夹有不换行空格",
}


@dataclass(frozen=True)
class PiiHit:
    """One unmasked number. ``line`` and ``column`` are 1-based, in characters of the
    original text; ``value`` is the original text, ``masked`` what to write instead."""

    line: int
    column: int
    kind: Kind
    value: str
    masked: str
    digits: str = ""  # the number's digits (and X), as read after normalization
    note: str = ""  # how the number was disguised, in Chinese; '' when written plainly
    partial: bool = False  # masked, but showing more digits than MASK_RULE allows

    @property
    def shown(self) -> str:
        """``value`` with invisible characters and line breaks made visible."""
        out = []
        for ch in self.value:
            if ch in _INVISIBLE or ch in _NBSPS:
                out.append(f"[U+{ord(ch):04X}]")
            elif ch in "\r\n":
                out.append("⏎" if ch == "\n" else "")
            else:
                out.append(ch)
        return "".join(out)

    def describe(self) -> str:
        """Chinese message for an editor."""
        note = f"（{self.note}）" if self.note else ""
        if self.partial:
            return (f"第 {self.line} 行第 {self.column} 列的{self.kind}「{self.shown}」遮盖得不够{note}，"
                    f"公开前应改为「{self.masked}」")
        return (
            f"第 {self.line} 行第 {self.column} 列有未遮盖的{self.kind}「{self.shown}」{note}，"
            f"公开前应改为「{self.masked}」"
        )


def _digits(value: str) -> str:
    m = _CC_PREFIX_RE.match(value)
    body = value[m.end():] if m else value
    return "".join(c for c in body if c.isdigit() or c in "Xx").upper()


def scan(text: str, allow: Iterable[str] = (), *, extracted: bool = False) -> list[PiiHit]:
    """Every unmasked ID number, mobile number and bank card in ``text``.

    ``allow`` lists exact strings to skip (e.g. a published hotline that happens to
    be a mobile number); an entry matches the number as written or its bare digits.
    ``extracted``: text extracted from a PDF, where blanks also stand between table
    cells (see the module docstring). Hits are ordered by line and column.
    """
    windows: list[tuple[int, int]] = []
    for m in _patterns().candidate.finditer(text):
        # a little before (letters, +86) and after (an X, a letter) the digits
        a, b = max(0, m.start() - 8), min(len(text), m.end() + 2)
        if windows and a <= windows[-1][1]:
            windows[-1] = (windows[-1][0], b)
        else:
            windows.append((a, b))
    if not windows:
        return _partial_hits(text, allow, extracted)
    norm = normalize(text, windows)
    t = norm.text
    runs = [m for a, b in windows
            for m in _RUN_RE.finditer(t, norm.norm_offset(a), norm.norm_offset(b))]
    if not runs:
        return _partial_hits(text, allow, extracted)
    allowed = {a.strip() for a in allow}
    allowed_digits = {_digits(a) for a in allowed}
    ctx = _Context(t, extracted)
    out: list[PiiHit] = []
    breaks: list[int] | None = None
    for m in runs:
        for a, b, kind in _run_hits(t, m.start(), m.end(), ctx):
            oa, ob = norm.source_span(a, b)
            value = text[oa:ob]
            shown = t[a:b]
            digits = _digits(shown)
            if value in allowed or shown in allowed or digits in allowed_digits:
                continue
            if breaks is None:
                breaks = [x.end() for x in LINE_BREAK.finditer(text)]
            line = bisect.bisect_right(breaks, oa)
            column = oa - (breaks[line - 1] if line else 0) + 1
            kinds = norm.kinds(oa, ob) - {WIDTH}
            notes = [_NOTES[k] for k in (INVISIBLE, ENTITY, ESCAPE, MARKUP, NBSP_KIND) if k in kinds]
            if "\n" in value or "\r" in value:
                notes.append("跨行书写")
            if kind == ID_CARD and len(digits) == 18 and not is_valid_id18(digits):
                notes.append(MISTYPED_NOTE)
            # Written plainly: keep its separators in the masked form; else the plain form.
            masked = mask(shown if notes in ([], [MISTYPED_NOTE]) else digits, kind)
            out.append(PiiHit(line + 1, column, kind, value, masked, digits, "，".join(notes)))
    out += _partial_hits(text, allow, extracted)
    out.sort(key=lambda h: (h.line, h.column))
    return out


# ---------------------------------------------------------------- partly masked numbers

MISTYPED_NOTE = "校验位不对，可能输错了一位，但其余数字仍是某人的身份证号"
_STARS = "*＊"
_RUN_STR = "0123456789*＊Xx"
_RUN_CHARS = frozenset(_RUN_STR)
_MASKED_RUN_RE = re.compile(r"[0-9Xx]{0,19}[*＊][0-9*＊Xx]{0,19}")


def mask_rule_text() -> str:
    """The rule in words, as README and messages say it."""
    return "、".join(f"{kind}最多显示前 {h} 位和后 {t} 位" for kind, (h, t) in MASK_RULE.items())


def _shows_more(token: str, kind: str) -> bool:
    head, tail = MASK_RULE[kind]
    return bool(token[head:len(token) - tail].strip(_STARS))


def _partial_kind(token: str, ctx: _Context, at: int) -> Kind | None:
    """What a masked ``token`` that shows too much for some kind is: a mobile (11, from 1), a
    card (16–19 with a card word near), else an ID (18). None: not personal data, or within
    the rule of what it is. The card context is read only for such a token (rare)."""
    n = len(token)
    if n == 11 and token[0] in "1" + _STARS:
        return MOBILE if _shows_more(token, MOBILE) else None
    if not 16 <= n <= 19 or not _shows_more(token, BANK_CARD if n != 18 else ID_CARD):
        return None  # an ID within its rule is within the (looser) card rule as well
    if ctx.kind_of_card(at) == "card":
        return BANK_CARD if _shows_more(token, BANK_CARD) else None
    if n != 18 or (token[:2].isdigit() and token[:2] not in _PROVINCES and token[0] != "9"):
        return None
    return ID_CARD


def _masked_runs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each whole run of 11–19 digits, stars and X holding a star, with no
    Latin letter glued to it."""
    runs: list[tuple[int, int]] = []
    n = len(text)
    for m in _MASKED_RUN_RE.finditer(text):
        a, b = m.span()
        if not 11 <= b - a <= 19:
            continue
        before = text[a - 1] if a else " "
        after = text[b] if b < n else " "
        if before in _RUN_CHARS or after in _RUN_CHARS:
            continue  # part of a longer run
        if (before.isascii() and before.isalpha()) or (after.isascii() and after.isalpha()):
            continue
        runs.append((a, b))
    return runs


def _partial_hits(text: str, allow: Iterable[str], extracted: bool) -> list[PiiHit]:
    """Masked numbers that show more than MASK_RULE allows (539901********2318 for an ID):
    each with the form to use instead, which hides every digit the rule does not let show."""
    if "*" not in text and "＊" not in text:
        return []
    source, where = text, None
    if "\\*" in text:  # Markdown-escaped stars (as the importers write them): read as a reader sees them
        where = [i for i, c in enumerate(text) if not (c == "\\" and text[i + 1:i + 2] == "*")]
        text = "".join(text[i] for i in where)
    allowed = {a.strip() for a in allow}
    out: list[PiiHit] = []
    breaks: list[int] | None = None
    ctx: _Context | None = None
    for a, b in _masked_runs(text):
        token = text[a:b]
        head_part = token[:-1]
        if not token.strip(_STARS) or token in allowed or "X" in head_part or "x" in head_part:
            continue
        if token.startswith("**") and token.endswith("**") and not any(c in _STARS for c in token[2:-2]):
            continue  # **13812345678**: bold, read by the scanner as the number it is
        if ctx is None:
            ctx = _Context(text, extracted)
        kind = _partial_kind(token, ctx, a)
        if kind is None:
            continue
        head, tail = MASK_RULE[kind]
        masked = "".join(c if (i < head or i >= len(token) - tail) and c not in _STARS else "*"
                         for i, c in enumerate(token))
        value = token
        if where is not None:  # report and replace the text as written, its escapes kept
            a, value = where[a], source[where[a]:where[b - 1] + 1]
            if "\\*" in value:
                masked = masked.replace("*", "\\*")
        if breaks is None:
            breaks = [x.end() for x in LINE_BREAK.finditer(source)]
        line = bisect.bisect_right(breaks, a)
        column = a - (breaks[line - 1] if line else 0) + 1
        out.append(PiiHit(line + 1, column, kind, value, masked, token, f"{kind}最多显示前 {head} 位和后 {tail} 位",
                          partial=True))
    return out
