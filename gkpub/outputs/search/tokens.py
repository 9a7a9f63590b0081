"""The words the search index holds, and the words a query is turned into (tokenizer "gkpub-bigram-1").

Why our own tokens: Pagefind segments Chinese with a dictionary, and the browser segments
the query with another (Intl.Segmenter), so a compound inside a sentence (柳溪乡人民政府,
有效身份证件 for 身份证) was indexed as other words than the query asked for. Here both sides
use the same rule, written twice: in this module for the index and in assets/search.js for
the query (tests/test_search_tokens.py checks that the two agree on the same strings).

The rule. Text is NFKC-normalized and lower-cased, then read as runs:
- a run of Han characters (whitespace inside it ignored: a Markdown line break between two
  characters is not a word break) of n characters gives n tokens, at n consecutive positions:
  the n-1 overlapping bigrams and, last, the run's final character alone;
- a run of ASCII letters and digits is one token;
- everything else (punctuation, other scripts) separates runs and gives no token.

Every token is spelled in lower-case ASCII letters only, so that no segmenter (Pagefind's at
index time, Intl.Segmenter in the browser) splits or stems it: a Han character is four
letters (its code point in base 26, first letter a–l), a bigram is eight, a run's last
character alone is its four letters and "x"; an ASCII token is "y", two letters per
character and "x". So position k of a Han run is the token of its k-th character, a query
that is a phrase of the text is a run of consecutive tokens (Pagefind's exact search), and
the last token of a query can be made a prefix (drop its "x"; a lone Han character as four
letters matches every bigram it starts), nothing else being a prefix of anything.
"""
from __future__ import annotations

import re
import unicodedata

NAME = "gkpub-bigram-1"
_ASCII = "0123456789abcdefghijklmnopqrstuvwxyz"
_ASCII_CODE = {c: chr(97 + i // 26) + chr(97 + i % 26) for i, c in enumerate(_ASCII)}
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


def _run_tokens(kind: str, run: str) -> list[str]:
    if kind == "a":
        return ["y" + "".join(_ASCII_CODE[c] for c in run) + "x"]
    codes = [_CODES.get(c) or _CODES.setdefault(c, _han(c)) for c in run]
    return [codes[i] + codes[i + 1] for i in range(len(codes) - 1)] + [codes[-1] + "x"]


def index_tokens(text: str) -> list[str]:
    """The tokens of a text, one per position, as the index holds them."""
    out: list[str] = []
    for kind, run in runs(text):
        out += _run_tokens(kind, run)
    return out


def query_tokens(text: str) -> list[str]:
    """The tokens of a query: as in the text, with the last one a prefix.

    The last Han run's final character alone is dropped when the run has two or more (its
    bigrams say it all; in the text the run may go on); a lone final Han character, or a final
    ASCII token, loses its "x" so that it matches the longer tokens it begins.
    """
    parts = runs(text)
    out: list[str] = []
    for i, (kind, run) in enumerate(parts):
        toks = _run_tokens(kind, run)
        if i == len(parts) - 1:
            if kind == "h" and len(run) > 1:
                toks = toks[:-1]
            else:
                toks[-1] = toks[-1][:-1]
        out += toks
    return out


def normalize(text: str) -> str:
    """The text as the tokens see it, for literal comparisons: NFKC, lower case, no whitespace
    between Han characters (tests and the page's exact check use the same rule)."""
    return "".join(run if kind == "h" else f" {run} " for kind, run in runs(text)).strip()
