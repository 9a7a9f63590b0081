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
import re
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
    if hit.partial:
        return f"{hit.kind}「{hit.shown}」遮蔽得不够{note}；请改为「{hit.masked}」（见 README「遮蔽规则」）"
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


# ---------------------------------------------------------------- names in 公示 tables ([privacy] mask_names)

NAME_HEADERS = ("姓名", "户主", "申请人", "领取人", "监护人", "名字", "救助对象", "补贴对象", "发放对象", "参保人")
COMPOUND_SURNAMES = frozenset({
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒", "夏侯",
    "令狐", "独孤", "端木", "南宫", "西门", "呼延", "轩辕", "万俟", "闻人", "澹台", "公冶", "申屠"})
MASK_CHARS = "某*＊×"
_NAME_CELL = re.compile(r"^[\u4e00-\u9fff·*＊×]{2,6}$")


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


def _is_separator(cells: list[str]) -> bool:
    return bool(cells) and all(re.fullmatch(r":?-{3,}:?", c) for c in cells)


def masked_name(name: str) -> str:
    """The form of ``name`` the rule allows: the surname, then 某 for every other character."""
    surname = name[:2] if name[:2] in COMPOUND_SURNAMES and len(name) > 2 else name[:1]
    return surname + "某" * (len(name) - len(surname))


def name_problems(body: str, body_line: int) -> Iterator[Finding]:
    """Unmasked names in the name columns (姓名, 户主 …) of the body's Markdown tables:
    (line in the file, 「正文」, message)."""
    lines = body.split("\n")
    i = 0
    while i < len(lines):
        if not lines[i].lstrip().startswith("|") or i + 1 >= len(lines) or not _is_separator(_cells(lines[i + 1])):
            i += 1
            continue
        header = [re.sub(r"[*_`\s]", "", c) for c in _cells(lines[i])]
        columns = [k for k, h in enumerate(header) if any(w in h for w in NAME_HEADERS)]
        i += 2
        while i < len(lines) and lines[i].lstrip().startswith("|"):
            cells = _cells(lines[i])
            for k in columns:
                name = cells[k] if k < len(cells) else ""
                if not _NAME_CELL.match(name):
                    continue
                shown = masked_name(name)
                surname = len(shown) - shown.count("某") if shown.endswith("某") else len(shown)
                if all(c in MASK_CHARS for c in name[surname:]):
                    continue
                yield (body_line + i, BODY_FIELD,
                       f"公示名单中的姓名「{name}」没有遮蔽（site.toml 的 [privacy] mask_names：只能显示姓，"
                       f"其余每个字写「某」或「*」）；请改为「{shown}」")
            i += 1
