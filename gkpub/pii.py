"""Find unmasked personal data (ID numbers, mobile numbers, bank cards) in text.

Lists posted in public (低保, subsidies) must show 4307**********1234 and
138****5678, never the full numbers. This scanner is the last check before
anything is published or printed, so it leans towards precision on the numbers
that fill government pages (index numbers, 文号, landlines, hotlines, amounts,
dates, postal codes) while validating what it reports:

- 18-digit ID: ISO 7064 MOD 11-2 check character, a plausible birth date
  (1900-01-01 to today) and a real province code;
- 15-digit ID (issued before 1999): a plausible 19YYMMDD birth date and a
  province code;
- mobile: 1[3-9] and 11 digits, also 138-1234-5678, 138 1234 5678, +86 …;
- bank card: 16–19 digits passing Luhn with a card-network prefix, also in
  groups of four separated by spaces or hyphens; never when it is a valid ID or
  a valid unified social credit code (统一社会信用代码).

A number counts only when it stands alone: not part of a longer run of digits
or Latin letters (index numbers like 11539901MB0000203D/2026-00012, order numbers)
and not the integer part or fraction of a decimal amount.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Iterable, Literal

Kind = Literal["身份证号", "手机号", "银行卡号"]
ID_CARD: Kind = "身份证号"
MOBILE: Kind = "手机号"
BANK_CARD: Kind = "银行卡号"


@dataclass(frozen=True)
class PiiHit:
    """One unmasked number. ``line`` and ``column`` are 1-based, in characters."""

    line: int
    column: int
    kind: Kind
    value: str
    masked: str

    def describe(self) -> str:
        """Chinese message for an editor."""
        return (
            f"第 {self.line} 行第 {self.column} 列有未遮盖的{self.kind}「{self.value}」，"
            f"公开前应改为「{self.masked}」"
        )


# Full-width forms map one-to-one to ASCII, so columns stay right after translating.
_FULLWIDTH = str.maketrans(
    {**{chr(0xFF10 + i): str(i) for i in range(10)},
     "Ｘ": "X", "ｘ": "x", "－": "-", "＋": "+", "（": "(", "）": ")", "\u3000": " "}
)

# GB/T 2260 province-level codes (first two digits of an ID number).
_PROVINCES = frozenset({
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
    "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65",
    "71", "81", "82",
})

# Standalone: no digit or Latin letter on either side, and not part of a decimal number.
_B = r"(?<![0-9A-Za-z])(?<![0-9]\.)"
_E = r"(?![0-9A-Za-z])(?!\.[0-9])"

_ID18_RE = re.compile(_B + r"[0-9]{17}[0-9Xx]" + _E)
_ID15_RE = re.compile(_B + r"[0-9]{15}" + _E)
_CARD_RE = re.compile(_B + r"[0-9]{16,19}" + _E)
_CARD_GROUPED_RE = re.compile(
    _B + r"[0-9]{4}(?P<s>[ -])[0-9]{4}(?P=s)[0-9]{4}(?P=s)[0-9]{4}(?:(?P=s)[0-9]{1,3})?" + _E
)
_MOBILE_RE = re.compile(
    r"(?:(?:\+86|(?<![0-9A-Za-z])0086)[ -]?|\(\+?86\) ?|" + _B + r")"
    r"1[3-9][0-9](?P<s>[ -]?)[0-9]{4}(?P=s)[0-9]{4}" + _E
)
_CC_PREFIX_RE = re.compile(r"^(?:\(\+?86\) ?|(?:\+86|0086)[ -]?)")

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def id_check_char(first17: str) -> str:
    """ISO 7064 MOD 11-2 check character of an 18-digit ID number (GB 11643)."""
    total = sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS))
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


def _card_network_ok(digits: str) -> bool:
    """Prefixes of cards issued in China: UnionPay 62/60/9…, Visa 4, Mastercard 5
    and 2221–2720, JCB/Amex 3. Rules out date-led serials such as 2026011512345678."""
    if digits[0] in "34569":
        return True
    return 2221 <= int(digits[:4]) <= 2720


_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def _is_uscc(s: str) -> bool:
    """Valid 统一社会信用代码 (GB 32100-2015): such codes fill disclosure pages."""
    s = s.upper()
    if len(s) != 18 or any(c not in _USCC_CHARS for c in s):
        return False
    total = sum(_USCC_CHARS.index(c) * pow(3, i, 31) for i, c in enumerate(s[:17]))
    return _USCC_CHARS[(31 - total % 31) % 31] == s[17]


def is_valid_card(digits: str) -> bool:
    return (
        16 <= len(digits) <= 19
        and digits.isdigit()
        and luhn_ok(digits)
        and _card_network_ok(digits)
        and not is_valid_id18(digits)
        and not _is_uscc(digits)
    )


_KEEP = {ID_CARD: (4, 4), MOBILE: (3, 4), BANK_CARD: (6, 4)}


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


def _digits(value: str) -> str:
    m = _CC_PREFIX_RE.match(value)
    body = value[m.end():] if m else value
    return "".join(c for c in body if c.isdigit() or c in "Xx").upper()


def _scan_line(line: str) -> list[tuple[int, int, Kind]]:
    """(start, end, kind) of every hit in one line, stronger kinds first."""
    taken: list[tuple[int, int]] = []
    hits: list[tuple[int, int, Kind]] = []

    def free(a: int, b: int) -> bool:
        return all(b <= s or a >= e for s, e in taken)

    def add(a: int, b: int, kind: Kind) -> None:
        taken.append((a, b))
        hits.append((a, b, kind))

    for m in _ID18_RE.finditer(line):
        if is_valid_id18(m.group(0).upper()):
            add(m.start(), m.end(), ID_CARD)
    for m in _ID15_RE.finditer(line):
        if is_valid_id15(m.group(0)):
            add(m.start(), m.end(), ID_CARD)
    for rx in (_CARD_RE, _CARD_GROUPED_RE):
        for m in rx.finditer(line):
            if free(m.start(), m.end()) and is_valid_card(_digits(m.group(0))):
                add(m.start(), m.end(), BANK_CARD)
    for m in _MOBILE_RE.finditer(line):
        if free(m.start(), m.end()):
            add(m.start(), m.end(), MOBILE)
    return hits


def scan(text: str, allow: Iterable[str] = ()) -> list[PiiHit]:
    """Every unmasked ID number, mobile number and bank card in ``text``.

    ``allow`` lists exact strings to skip (e.g. a published hotline that happens to
    be a mobile number); an entry matches the number as written or its bare digits.
    Hits are ordered by line and column.
    """
    allowed = {a.strip() for a in allow}
    out: list[PiiHit] = []
    # Split on line breaks only (not str.splitlines, which also breaks on form
    # feeds and U+2028) so line numbers match what an editor shows.
    for lineno, raw in enumerate(re.split(r"\r\n|\r|\n", text), start=1):
        line = raw.translate(_FULLWIDTH)
        for start, end, kind in _scan_line(line):
            value = raw[start:end]
            if value in allowed or line[start:end] in allowed or _digits(line[start:end]) in allowed:
                continue
            out.append(PiiHit(lineno, start + 1, kind, value, mask(line[start:end], kind)))
    out.sort(key=lambda h: (h.line, h.column))
    return out
