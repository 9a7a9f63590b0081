"""Personal data as a content error: unmasked numbers in a document stop the build.

The scanner (pii.py) finds the numbers; this module places them in a document:
front-matter hits are attributed to the key whose value holds them (the nearest
key above the hit), body hits to 「正文」, each with its line in the file.
"""
from __future__ import annotations

import re
from typing import Iterable, Iterator

from .frontmatter import Document
from .pii import PiiHit, scan

BODY_FIELD = "正文"
# Every number the scanner reports has 3 digits, at most one separator, then 4 digits
# (full-width forms included): lines without such a run are skipped, which spares
# scanning most lines of most documents.
_CANDIDATE = re.compile(r"[0-9０-９]{3}[ \-－\u3000]?[0-9０-９]{4}")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")  # as pii.scan splits lines


def pii_message(hit: PiiHit) -> str:
    return f"发现未遮蔽的{hit.kind}「{hit.value}」；请改为「{hit.masked}」"


def _owner(key_lines: list[tuple[int, str]], line: int) -> str:
    owner = ""
    for key_line, key in key_lines:
        if key_line > line:
            break
        owner = key
    return owner


def scan_lines(text: str, allow: tuple[str, ...]) -> Iterator[tuple[int, PiiHit]]:
    """(1-based line, hit) for ``text``, scanning only lines that can hold a number."""
    for n, line in enumerate(_LINE_BREAK.split(text), start=1):
        if _CANDIDATE.search(line):
            for hit in scan(line, allow):
                yield n, hit


def document_pii(doc: Document, allow: Iterable[str] = ()) -> Iterator[tuple[int, str, str]]:
    """(line in the file, field, message) for every unmasked number in ``doc``."""
    allow = tuple(allow)
    key_lines = sorted((line, str(key)) for key, line in doc.meta.lines.items())
    for n, hit in scan_lines(doc.fm_text, allow):
        line = n + 1  # the front matter starts on the file's second line
        yield line, _owner(key_lines, line), pii_message(hit)
    for n, hit in scan_lines(doc.body, allow):
        yield doc.body_line + n - 1, BODY_FIELD, pii_message(hit)
