"""Markdown → HTML with markdown-it-py, safe for a government site.

Raw HTML is never passed through (``html=False`` escapes it), links and images
with script-capable schemes are refused, and ``lint`` reports what an editor
must fix, with the line, before anything is rendered.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.footnote import footnote_plugin

BAD_SCHEMES = ("javascript:", "vbscript:", "data:", "file:")
_BAD_SCHEME_RE = re.compile(r"^\s*(javascript|vbscript|data|file)\s*:", re.I)
_DANGEROUS_TAG_RE = re.compile(
    r"<\s*/?\s*(script|iframe|object|embed|style|form|input|button|link|meta|base|svg|math)\b"
    r"|\son[a-z]+\s*=", re.I)
_ANY_TAG_RE = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(\s[^<>]*)?/?>")


def _slugify(text: str) -> str:
    """Heading anchors that keep Chinese: '一、补贴对象' → '一补贴对象'."""
    text = unicodedata.normalize("NFKC", text).strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return re.sub(r"\s+", "-", text) or "section"


def _validate_link(url: str) -> bool:
    return not _BAD_SCHEME_RE.match(url)


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    md = (MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
          .enable(["table", "strikethrough"])
          .use(footnote_plugin)
          .use(anchors_plugin, min_level=2, max_level=4, slug_func=_slugify, permalink=False))
    md.validateLink = _validate_link

    def table_open(self, tokens, idx, options, env):  # wide tables scroll inside their box on phones
        return '<div class="table-wrap" tabindex="0" role="region" aria-label="表格">' + \
            self.renderToken(tokens, idx, options, env)

    def table_close(self, tokens, idx, options, env):
        return self.renderToken(tokens, idx, options, env) + "</div>"

    md.add_render_rule("table_open", table_open)
    md.add_render_rule("table_close", table_close)
    return md


def render(body: str) -> str:
    return _parser().render(body)


def check_and_render(body: str) -> tuple[list[tuple[int, str]], str]:
    """Lint and render with a single parse (parsing is most of the cost of a page)."""
    env: dict = {}
    tokens = _parser().parse(body, env)
    problems = lint(body, tokens)
    html = "" if problems else _parser().renderer.render(tokens, _parser().options, env)
    return problems, html


def _walk(tokens: list[Token]):
    for tok in tokens:
        yield tok
        if tok.children:
            yield from _walk(tok.children)


def lint(body: str, tokens: list[Token] | None = None) -> list[tuple[int, str]]:
    """Problems an editor must fix: (line within body, 1-based; message in Chinese)."""
    problems: list[tuple[int, str]] = []
    in_fence = False
    for n, line in enumerate(body.split("\n"), start=1):
        if line.lstrip().startswith(("```", "~~~")):
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        m = _DANGEROUS_TAG_RE.search(line)
        if m:
            problems.append((n, f"正文中不允许脚本或嵌入式 HTML（「{m.group(0).strip()}」）；请用 Markdown 书写，附件用「附件」字段"))
            continue
        for scheme_m in re.finditer(r"\]\(\s*<?([^)\s>]*)|^\s*\[[^\]]+\]:\s*<?(\S+)|<([a-zA-Z]+:[^>\s]*)>", line):
            target = next(g for g in scheme_m.groups() if g is not None)
            if _BAD_SCHEME_RE.match(target):
                problems.append((n, f"链接「{target[:40]}」使用了不允许的协议；只能链接 http(s)、站内路径或附件"))
        tag = _ANY_TAG_RE.search(line)
        if tag and not _DANGEROUS_TAG_RE.search(line) and "`" not in line:
            problems.append((n, f"正文中不能使用 HTML 标签「{tag.group(0)[:30]}」（会原样显示为文字）；请用 Markdown 写法，如 **加粗**、空行分段、| 表格 |"))
    # images need a text alternative (GB/T 37668 / WCAG 1.1.1)
    if tokens is None:
        tokens = _parser().parse(body)
    for tok in tokens:
        if tok.type != "inline" or not tok.children:
            continue
        for child in _walk(tok.children):
            if child.type == "image" and not child.content.strip():
                line = (tok.map[0] + 1) if tok.map else 1
                problems.append((line, "图片缺少替代文字；请写成 ![图片内容说明](路径)"))
    return problems
