"""Personal data as a content error: unmasked numbers in a document stop the build.

The scanner (pii.py) finds the numbers; this module places them in a source file:
hits in the text as written go to the field whose value holds them (the nearest key
above the hit), body hits to 「正文」, each with its line in the file. The parsed
values are scanned too, for what only the parser shows (a YAML ``"\\x31"`` escape,
a line joined by an escaped line break, an integer written ``0x337D86B46``): such a
hit goes to the line of its key.
"""
from __future__ import annotations

import bisect
import math
from collections.abc import Iterable, Iterator
from typing import Any

from gkpub.content.frontmatter import Document
from gkpub.rules.pii import LINE_BREAK, PiiHit, scan

BODY_FIELD = "正文"
Finding = tuple[int, str, str]  # (line in the file, field, message)
Owners = list[tuple[int, str]]  # (line, field) of each key, sorted by line
Leaves = list[tuple[str, int, str]]  # (field, line of its key, text of a parsed value)


def pii_message(hit: PiiHit, parsed: bool = False) -> str:
    notes = [hit.note] if hit.note else []
    if parsed:
        notes.append("解析后的值；原文用转义或其他写法")
    note = f"（{'；'.join(notes)}）" if notes else ""
    return f"发现未遮蔽的{hit.kind}「{hit.shown}」{note}；请改为「{hit.masked}」"


def _owner(owners: Owners, line: int) -> str:
    k = bisect.bisect_right([o[0] for o in owners], line) - 1
    return owners[k][1] if k >= 0 else ""


def located_pii(text: str, first_line: int, owners: Owners, leaves: Leaves,
                allow: tuple[str, ...], skip: Any = None) -> Iterator[Finding]:
    """Findings for a YAML or TOML source: ``text`` as written (its first line is line
    ``first_line`` of the file), then the parsed ``leaves`` for numbers the text did not show.
    ``skip(hit)`` drops hits in the text that are not values (TOML comments)."""
    seen: set[str] = set()
    for hit in scan(text, allow):
        if skip is not None and skip(hit):
            continue
        seen.add(hit.digits)
        line = first_line + hit.line - 1
        yield line, _owner(owners, line), pii_message(hit)
    text, starts = paragraphs([v for _, _, v in leaves])  # one scan for all the leaves
    for hit in scan(text, allow):
        if hit.digits not in seen:
            seen.add(hit.digits)
            fld, key_line, _ = leaves[bisect.bisect_right(starts, hit.line) - 1]
            yield key_line, fld, pii_message(hit, parsed=True)


def paragraphs(texts: list[str]) -> tuple[str, list[int]]:
    """``texts`` a blank line apart (never read as one number) and the line each starts on."""
    starts: list[int] = []
    line = 1
    for t in texts:
        starts.append(line)
        line += len(LINE_BREAK.split(t)) + 1
    return "\n\n".join(texts), starts


def scalar_text(value: Any) -> str:
    """The text of every scalar in ``value`` (keys included), one per paragraph so that
    separate values are never read as one number. Integers are shown in decimal, as pages do."""
    if type(value) is str:  # most values: no walk
        return value
    parts: list[str] = []

    def walk(v: Any) -> None:
        if isinstance(v, bool) or v is None:
            return
        if isinstance(v, dict):
            for k, x in v.items():
                walk(k)
                walk(x)
        elif isinstance(v, (list, tuple)):
            for x in v:
                walk(x)
        elif isinstance(v, float) and math.isfinite(v) and v.is_integer() and abs(v) < 1e21:
            parts.append(str(int(v)))
        else:
            parts.append(str(v))

    walk(value)
    return "\n\n".join(parts)


def yaml_fields(data: Any, nested: bool) -> tuple[Owners, Leaves]:
    """Owners and parsed leaves of loaded YAML (LinedDict mappings keep their key lines).

    ``nested``: fields are key paths (``事项[2].公开内容[1].咨询方式``); else top-level keys,
    each leaf holding the whole value (front matter: the schema's field names).
    """
    owners: Owners = []
    leaves: Leaves = []
    if not nested and isinstance(data, dict):
        lines = getattr(data, "lines", {})
        for k, v in data.items():
            owners.append((lines.get(k, 0), str(k)))
            text = scalar_text(v)
            if text:
                leaves.append((str(k), lines.get(k, 0), text))
        owners.sort()
        return owners, leaves

    def walk(node: Any, path: str, line: int, depth: int) -> None:
        if isinstance(node, dict) and (nested or depth == 0):
            lines = getattr(node, "lines", {})
            for k, v in node.items():
                p = f"{path}.{k}" if path else str(k)
                ln = lines.get(k, line)
                owners.append((ln, p))
                walk(v, p, ln, depth + 1)
        elif isinstance(node, list) and nested:
            for i, v in enumerate(node, start=1):
                walk(v, f"{path}[{i}]" if isinstance(v, dict) else path, line, depth + 1)
        else:
            text = scalar_text(node)
            if text:
                leaves.append((path, line, text))

    walk(data, "", 0, 0)
    owners.sort()
    return owners, leaves


def document_pii(doc: Document, allow: Iterable[str] = ()) -> Iterator[Finding]:
    """(line in the file, field, message) for every unmasked number in ``doc``: the front
    matter (every value, titles included) and the body."""
    allow = tuple(allow)
    owners, leaves = yaml_fields(doc.meta, nested=False)
    # the front matter starts on the file's second line
    yield from located_pii(doc.fm_text, 2, owners, leaves, allow)
    for hit in scan(doc.body, allow):
        yield doc.body_line + hit.line - 1, BODY_FIELD, pii_message(hit)
