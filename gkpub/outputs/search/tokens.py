"""The words the search index holds, and the words a query is turned into (tokenizer "gkpub-bigram-2").

Why our own tokens: Pagefind segments Chinese with a dictionary, and the browser segments
the query with another (Intl.Segmenter), so a compound inside a sentence (柳溪乡人民政府,
有效身份证件 for 身份证) was indexed as other words than the query asked for. Here both sides
use the same rule, written twice: in this module for the index and in assets/search.js for
the query (tests/test_search.py checks that the two agree on the same strings).

The rule. Text is NFKC-normalized and lower-cased, then read as runs: a run of Han characters
(whitespace inside it ignored: a Markdown line break between two characters is not a word
break), or a run of ASCII letters and digits; everything else (punctuation, other scripts,
whitespace between ASCII characters) separates runs and gives no token. A run of n characters
gives 2n tokens at 2n consecutive positions: for its k-th character, at position 2k the bigram
of it and the next character (the run's last character: it alone, marked "x"), and at 2k + 1
the character alone, marked "u".

Every token is spelled in lower-case ASCII letters only, so that no segmenter (Pagefind's at
index time, Intl.Segmenter in the browser) splits or stems it: a character is four letters
(a Han character its code point in base 26, first letter a–l; an ASCII letter or digit "ma"
and two letters), a bigram eight, a mark one more. No token is a prefix of another, so a
query never needs Pagefind's prefix expansion — which looks only in the index chunk where
the prefix falls, and missed pages when a common character's words spanned two chunks
(「保」 found 1,512 of 1,769 pages at 2k).

A query is a phrase of the text when its tokens stand at the same distances in the page:
its runs' bigrams, the "x" of every run but the last (that run ends there in the text too),
and for the last character the "u" (in the text its run may go on). search.js asks for
fewer of them (every other bigram; the "u" only for a last character a bigram does not
cover) and checks the distances itself.
"""
from __future__ import annotations

import re
import unicodedata

NAME = "gkpub-bigram-2"
_ASCII = "0123456789abcdefghijklmnopqrstuvwxyz"
_ASCII_CODE = {c: "ma" + chr(97 + i // 26) + chr(97 + i % 26) for i, c in enumerate(_ASCII)}
_CODES: dict[str, str] = {}  # Han character → its four letters (memo)


def is_han(ch: str) -> bool:
    cp = ord(ch)
    return (0x3400 <= cp <= 0x4DBF or 0x4E00 <= cp <= 0x9FFF or 0xF900 <= cp <= 0xFAFF
            or 0x20000 <= cp <= 0x2FFFF)


def _han(ch: str) -> str:
    n = ord(ch)
    out = ""
    for _ in range(4):
        n, r = divmod(n, 26)
        out = chr(97 + r) + out
    return out


_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff"
_RUN = re.compile(rf"([{_HAN}](?:\s*[{_HAN}])*)|([0-9a-z]+)")
_WS = re.compile(r"\s+")


def runs(text: str) -> list[tuple[str, str]]:
    """(kind, run) in order: kind "h" for Han (whitespace inside removed), "a" for ASCII letters and digits."""
    text = unicodedata.normalize("NFKC", text).lower()
    return [("h", _WS.sub("", m[1])) if m[1] else ("a", m[2]) for m in _RUN.finditer(text)]


def _code(ch: str) -> str:
    return _ASCII_CODE.get(ch) or _CODES.get(ch) or _CODES.setdefault(ch, _han(ch))


def _run_tokens(run: str) -> list[str]:
    codes = [_code(c) for c in run]
    out: list[str] = []
    for i, c in enumerate(codes):
        out += [c + codes[i + 1] if i + 1 < len(codes) else c + "x", c + "u"]
    return out


def index_tokens(text: str) -> list[str]:
    """The tokens of a text, one per position, as the index holds them."""
    out: list[str] = []
    for _, run in runs(text):
        out += _run_tokens(run)
    return out


def query_tokens(text: str) -> list[tuple[str, int]]:
    """The tokens a phrase of the text has wherever it stands, with their positions relative
    to its start: as in the text, without the last run's final "x" (there the text may go on)."""
    out: list[tuple[str, int]] = []
    for _, run in runs(text):
        out += [(t, len(out) + i) for i, t in enumerate(_run_tokens(run))]
    if out:
        del out[-2]  # the last character's "x" (its "u" stays)
    return out


def normalize(text: str) -> str:
    """The text as the tokens see it, for literal comparisons: NFKC, lower case, no whitespace
    between Han characters (tests and the page's exact check use the same rule)."""
    return "".join(run if kind == "h" else f" {run} " for kind, run in runs(text)).strip()
