"""Markdown → HTML, safe for a government site.

The parser is markdown-it-pyrs, the Rust port of markdown-it with the same rules,
presets and plugin names as markdown-it-py. Measured on the 10k-item benchmark
corpus: 0.065 ms per item against 2.0 ms for markdown-it-py + mdit-py-plugins,
which alone took 20 of a 39-second build (see benchmarks/README.md).

Raw HTML is never passed through (the html rules are not enabled, so tags are
escaped as text), links with script-capable schemes are not turned into links,
and ``lint`` reports what an editor must fix, with the line, before anything
is rendered.
"""
from __future__ import annotations

import html as html_lib
import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple, TypeVar

import markdown_it_pyrs

if TYPE_CHECKING:
    # the stubs' name for the rule names enable_many accepts (a Literal of them all)
    from markdown_it_pyrs.markdown_it_pyrs import _PLUGIN_NAME

T = TypeVar("T")

_RULES: list[_PLUGIN_NAME] = [
    "blockquote", "code", "fence", "heading", "hr", "lheading", "list", "paragraph", "reference",
    "autolink", "backticks", "emphasis", "entity", "escape", "image", "link", "newline",
    "strikethrough", "table", "footnote",
]  # no html_block / html_inline: raw HTML stays text
_BAD_SCHEME_RE = re.compile(r"^\s*(javascript|vbscript|data|file)\s*:", re.I)
_DANGEROUS_TAG_RE = re.compile(
    r"<\s*/?\s*(script|iframe|object|embed|style|form|input|button|link|meta|base|svg|math)\b"
    r"|\son[a-z]+\s*=", re.I)
_ANY_TAG_RE = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(\s[^<>]*)?/?>")
_LINK_TARGET_RE = re.compile(r"\]\(\s*<?([^)\s>]*)|^\s*\[[^\]]+\]:\s*<?(\S+)|<([a-zA-Z]+:[^>\s]*)>")
_HEADING_RE = re.compile(r"<h([2-4])>(.*?)</h\1>", re.S)
_TAG_RE = re.compile(r"<[^>]+>")
_EMPTY_TH_RE = re.compile(r'<th scope="col"( class="[^"]*")?>\s*</th>')
# a column's alignment (| --: |) as a class: no style attribute, which a CSP without
# 'unsafe-inline' for styles would drop (theme CSS: .align-left/.align-center/.align-right)
_ALIGN_RE = re.compile(r' style="text-align:(left|center|right)"')
# markdown-it-footnote 0.2's inline notes (`^[...]`) panic on any non-ASCII text after the
# bracket and take exponential time on unclosed ones (40 bytes: hours): refused before parsing.
_INLINE_NOTE_RE = re.compile(r"\^\[")
_CODE_SPAN_RE = re.compile(r"(`+).*?\1")
# A line opens at most one blockquote or list level per character of its prefix (indentation
# alone opens none); the Rust parser recurses per level and overflows the stack (a segfault,
# no message) at ~100k levels. Real text uses fewer than 10.
_CONTAINER_PREFIX_RE = re.compile(r"[ \t>*+\-]*(?:\d{1,9}[.)][ \t>*+\-]*)*")
MAX_CONTAINER_PREFIX = 120
_PREFIX_CHARS = frozenset(" \t>*+-0123456789")
_TOO_DEEP = (f"这一行开头的缩进和引用符号「>」、列表符号超过 {MAX_CONTAINER_PREFIX} 个字符，嵌套过深；"
             "请减少引用和列表的层数")
_INLINE_NOTE = ("正文不支持行内脚注「^[…]」；请改用脚注写法：正文写 [^1]，文末另起一行写 [^1]: 注释内容"
                "（确实要写 ^[ 时写成 ^\\[）")
_RULE_LINE_RE = re.compile(r"[ \t]*([-*_])(?:[ \t]*\1)*[ \t]*$")  # ----- or * * *: a rule, no nesting


@lru_cache(maxsize=1)
def _parser() -> markdown_it_pyrs.MarkdownIt:
    return markdown_it_pyrs.MarkdownIt("zero").enable_many(_RULES)


def _slugify(text: str) -> str:
    """Heading anchors that keep Chinese: '一、补贴对象' → '一补贴对象'."""
    text = unicodedata.normalize("NFKC", text).strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return re.sub(r"\s+", "-", text) or "section"


def _decorate(html: str) -> str:
    """Heading ids for deep links, a scroll box around tables for phones, header cells
    marked as column headers, and accessible footnotes."""
    seen: dict[str, int] = {}

    def heading(m: re.Match) -> str:
        slug = _slugify(html_lib.unescape(_TAG_RE.sub("", m.group(2))))
        n = seen.get(slug, 0)
        seen[slug] = n + 1
        ident = slug if n == 0 else f"{slug}-{n}"
        return f'<h{m.group(1)} id="{html_lib.escape(ident)}">{m.group(2)}</h{m.group(1)}>'

    html = _HEADING_RE.sub(heading, html)
    if "<table>" in html:
        tables = html.count("<table>")
        if tables == 1:
            html = html.replace("<table>",
                                '<div class="table-wrap" tabindex="0" role="region" aria-label="表格"><table>')
        else:  # each scroll region needs a name of its own
            parts = html.split("<table>")
            html = parts[0] + "".join(
                f'<div class="table-wrap" tabindex="0" role="region" aria-label="第{n}个表格"><table>{part}'
                for n, part in enumerate(parts[1:], start=1))
        html = html.replace("</table>", "</table></div>")
        html = _ALIGN_RE.sub(r' class="align-\1"', html)
        html = html.replace("<th>", '<th scope="col">').replace("<th class=", '<th scope="col" class=')
        html = _EMPTY_TH_RE.sub(r"<td\1></td>", html)  # an empty header cell heads nothing
    if '<section class="footnotes">' in html:
        # The notes as a named block rather than a section without a heading (which the
        # HTML checker flags; a heading would show on the print posters too), no XHTML-style
        # void tag, and a name for the back link, whose only text is an arrow.
        html = html.replace('<hr class="footnotes-sep" />', '<hr class="footnotes-sep">')
        html = html.replace('<section class="footnotes">', '<div class="footnotes" role="note" aria-label="注释">')
        html = html.replace("</section>", "</div>")
        html = html.replace('class="footnote-backref">', 'class="footnote-backref" aria-label="返回正文">')
    return html


def render(body: str) -> str:
    return _decorate(_parser().render(body))


class ParserFailure(Exception):
    """The Markdown parser crashed (a Rust panic) on a body that passed ``lint``."""

    def __init__(self, line: int):
        super().__init__(line)
        self.line = line


def _guarded(call: Callable[[str], T], body: str) -> T:
    """``call(body)``, with a panic of the Rust parser turned into ParserFailure at its block."""
    try:
        return call(body)
    except Exception:
        raise
    except BaseException as exc:  # pyo3's PanicException derives from BaseException only
        if type(exc).__name__ != "PanicException":
            raise
        raise ParserFailure(_panicking_block(body)) from None


def _panicking_block(body: str) -> int:
    """The first line of the first blank-line-separated block the parser panics on alone."""
    line = 1
    for block in re.split(r"(\n[ \t]*\n)", body):
        if block.strip() and not block.startswith("\n"):
            try:
                _parser().render(block)
            except BaseException as exc:
                if type(exc).__name__ != "PanicException":
                    raise
                return line
        line += block.count("\n")
    return 1


def check_and_render(body: str) -> tuple[list[tuple[int, str]], str]:
    """Problems an editor must fix, and the HTML when there are none."""
    try:
        problems = lint(body)
        return problems, "" if problems else _guarded(render, body)
    except ParserFailure as exc:
        return [(exc.line, "正文这一段无法解析（Markdown 解析器出错）；请检查这一段中成对的括号 [ ]、( ) 和符号 ^、*，"
                           "或把特殊符号前加反斜杠 \\")], ""


def _images_without_alt(body: str) -> list[int]:
    if "![" not in body:
        return []
    raw = body.encode("utf-8")
    lines: list[int] = []
    stack = [_guarded(_parser().tree, body)]
    while stack:
        node = stack.pop()
        if node.name == "image" and not any(c.name == "text" and c.meta.get("content", "").strip()
                                            for c in node.children):
            start = node.srcmap[0] if node.srcmap else 0
            lines.append(raw[:start].count(b"\n") + 1)
        stack.extend(node.children)
    return sorted(lines)


class Ref(NamedTuple):
    """A link or image target in a body, as the parser normalized it (percent-encoded)."""

    line: int  # within the body, 1-based
    image: bool
    url: str


_LOCAL_RE = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*:|//|#|\?")  # a scheme, another host, this page


def local_references(body: str) -> list[Ref]:
    """Links and images whose target is on this site: a path relative to the Markdown file,
    or a site address beginning with one ``/`` (web links, ``mailto:``, ``#anchors`` left out).

    Call only on a body that passed ``lint`` (the parser must not crash or hang on it).
    """
    if "](" not in body and "]:" not in body and "]：" not in body:
        return []
    raw = body.encode("utf-8")
    refs: list[Ref] = []
    stack = [_guarded(_parser().tree, body)]
    while stack:
        node = stack.pop()
        if node.name in ("image", "link"):
            url = node.meta.get("url", "")
            if url and not _LOCAL_RE.match(url):
                start = node.srcmap[0] if node.srcmap else 0
                refs.append(Ref(raw[:start].count(b"\n") + 1, node.name == "image", url))
        stack.extend(node.children)
    return sorted(refs)


def _too_deep(line: str) -> bool:
    prefix = _CONTAINER_PREFIX_RE.match(line).group(0)  # type: ignore[union-attr]
    return len(prefix) > MAX_CONTAINER_PREFIX and bool(prefix.strip()) and not _RULE_LINE_RE.match(line)


def lint(body: str) -> list[tuple[int, str]]:
    """Problems an editor must fix: (line within body, 1-based; message in Chinese)."""
    problems: list[tuple[int, str]] = []
    unparsable: dict[str, list[int]] = {}  # the parser must not even see these: it would crash or hang
    in_fence = False
    for n, line in enumerate(body.split("\n"), start=1):
        if line.lstrip().startswith(("```", "~~~")):
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        if len(line) > MAX_CONTAINER_PREFIX and line[0] in _PREFIX_CHARS and _too_deep(line):
            unparsable.setdefault(_TOO_DEEP, []).append(n)
            continue
        if "^[" in line and _INLINE_NOTE_RE.search(_CODE_SPAN_RE.sub("", line)):
            unparsable.setdefault(_INLINE_NOTE, []).append(n)
            continue
        if "<" not in line and ":" not in line and "：" not in line:
            continue
        m = _DANGEROUS_TAG_RE.search(line)
        if m:
            problems.append((n, f"正文中不允许脚本或嵌入式 HTML（「{m.group(0).strip()}」）；"
                                "请用 Markdown 书写，附件用「附件」字段"))
            continue
        for target_m in _LINK_TARGET_RE.finditer(line):
            target = next(g for g in target_m.groups() if g is not None)
            if _BAD_SCHEME_RE.match(html_lib.unescape(target)):
                problems.append((n, f"链接「{target[:40]}」使用了不允许的协议；只能链接 http(s)、站内路径或附件"))
        tag = _ANY_TAG_RE.search(line)
        if tag and "`" not in line:
            problems.append((n, f"正文中不能使用 HTML 标签「{tag.group(0)[:30]}」（会原样显示为文字）；"
                                "请用 Markdown 写法，如 **加粗**、空行分段、| 表格 |"))
    for message, lines in unparsable.items():  # once each: a broken file can repeat them 100k times
        more = f"（本篇另有 {len(lines) - 1} 行同样的问题）" if len(lines) > 1 else ""
        problems.append((lines[0], message + more))
    if not unparsable:
        for image_line in _images_without_alt(body):
            problems.append((image_line, "图片缺少替代文字；请写成 ![图片内容说明](路径)"))
    return problems
