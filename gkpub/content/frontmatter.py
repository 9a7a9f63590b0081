"""Split a Markdown file into YAML front matter and body, keeping line numbers.

Dates are deliberately left as strings by the YAML loader: PyYAML turns
``2026-02-30`` into an exception without a location, while we want to say
which file, which line and which field holds the impossible date. Times of day
(``发布时间: 10:30``) stay strings too, not YAML 1.1's base-60 numbers.

The same loader reads the catalogue: it fails closed on everything YAML allows but a
disclosure item never needs (duplicate keys, anchors and aliases, tags, deep nesting).
"""
from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class LinedDict(dict):
    """A mapping that remembers the source line (1-based) of each key."""

    lines: dict[Any, int]


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    pass


# Drop the timestamp resolver: dates stay strings and are checked by the validator.
_Loader.yaml_implicit_resolvers = {
    ch: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for ch, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}

MAX_DEPTH = 20  # nesting of lists and mappings; front matter and catalogues need 6 at most
ALIAS_MESSAGE = "不支持 YAML 锚点和别名（&/*）；请把内容直接写出来"
_TAG = "tag:yaml.org,2002:"
# Tags a plain scalar may resolve to; anything else is refused.
_SCALAR_TAGS = frozenset(_TAG + t for t in ("null", "bool", "int", "float", "str"))
_COLLECTION_TAGS = {yaml.SequenceStartEvent: _TAG + "seq", yaml.MappingStartEvent: _TAG + "map"}


class _Open:
    """A list or mapping being filled while the events stream in."""

    __slots__ = ("value", "line", "key", "key_line")

    def __init__(self, value: list | LinedDict, line: int):
        self.value = value
        self.line = line
        self.key: Any = _Open  # the pending key of a mapping; _Open itself means none yet
        self.key_line = 0


def _compose(loader: _Loader, offset: int) -> Any:
    """Build Python values straight from the parser's events, without recursion.

    The stock composer and constructor recurse once per nesting level (a segfault in the
    C composer at ~100k levels, RecursionError in Python at ~300) and expand aliases (the
    "billion laughs" grows to gigabytes). Here nesting is capped at MAX_DEPTH, anchors and
    aliases are refused where they appear, and a key written twice in one mapping is an
    error naming both lines instead of the last one silently winning.
    """
    loader.get_event()  # StreamStart
    if loader.check_event(yaml.StreamEndEvent):
        return None
    loader.get_event()  # DocumentStart
    stack: list[_Open] = []
    while True:
        ev = loader.get_event()
        line = ev.start_mark.line + 1 + offset
        if isinstance(ev, yaml.AliasEvent) or getattr(ev, "anchor", None) is not None:
            raise SourceError(line, ALIAS_MESSAGE)
        if isinstance(ev, yaml.ScalarEvent):
            value: Any = _scalar(loader, ev, line)
        elif isinstance(ev, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            if ev.tag not in (None, "!", _COLLECTION_TAGS[type(ev)]):
                raise SourceError(line, _tag_message(ev.tag))
            if len(stack) >= MAX_DEPTH:
                raise SourceError(line, f"YAML 嵌套超过 {MAX_DEPTH} 层；"
                                        "元数据和目录用不到这么深的列表或映射，请检查括号是否配对")
            if isinstance(ev, yaml.SequenceStartEvent):
                stack.append(_Open([], line))
            else:
                mapping = LinedDict()
                mapping.lines = {}
                stack.append(_Open(mapping, line))
            continue
        else:  # SequenceEnd / MappingEnd
            done = stack.pop()
            value, line = done.value, done.line
        if not stack:
            break
        parent = stack[-1]
        if isinstance(parent.value, list):
            parent.value.append(value)
        elif parent.key is _Open:
            if isinstance(value, (list, dict)):
                raise SourceError(line, "键不能是列表或映射")
            first = parent.value.lines.get(value)
            if first is not None:
                raise SourceError(line, f"字段「{value}」重复（第 {first} 行已写过）；每个字段只能写一次")
            parent.key, parent.key_line = value, line
        else:
            parent.value[parent.key] = value
            parent.value.lines[parent.key] = parent.key_line
            parent.key = _Open
    loader.get_event()  # DocumentEnd
    if not loader.check_event(yaml.StreamEndEvent):
        ev = loader.get_event()
        raise SourceError(ev.start_mark.line + 1 + offset, "只能有一个 YAML 文档：中间不能再有单独一行的 ---")
    return value


def _scalar(loader: _Loader, ev: yaml.ScalarEvent, line: int) -> Any:
    tag = ev.tag
    if tag is None or tag == "!":
        tag = loader.resolve(yaml.ScalarNode, ev.value, ev.implicit)
    elif tag != _TAG + "str":  # `!!str` forces text; other written-out tags are refused
        raise SourceError(line, _tag_message(tag))
    if tag in (_TAG + "int", _TAG + "float") and ":" in ev.value:
        tag = _TAG + "str"  # YAML 1.1 base 60: `10:30` would be the number 630, not a time of day
    if tag == _TAG + "merge":  # `<<`: only useful with aliases
        raise SourceError(line, "不支持 YAML 合并键「<<」；请把字段逐个写出来")
    if tag not in _SCALAR_TAGS:
        raise SourceError(line, _tag_message(tag))
    # The stubs type a node's marks as yaml.error.Mark only; the C loader's events carry
    # yaml._yaml.Mark, which the constructors treat the same way (they only quote it in errors).
    node = yaml.ScalarNode(tag, ev.value, ev.start_mark, ev.end_mark,  # type: ignore[arg-type]
                           style=ev.style)
    try:
        return loader.yaml_constructors[tag](loader, node)
    except ValueError:  # e.g. `0b_` matches the int pattern but is no number
        raise SourceError(line, f"「{ev.value}」不是有效的数字；是文字时请用引号括起来") from None


def _tag_message(tag: str) -> str:
    shown = "!!" + tag[len(_TAG):] if tag.startswith(_TAG) else tag
    return f"不支持 YAML 标签「{shown}」；请去掉它（值是文字时用引号括起来）"


class SourceError(Exception):
    """A file that cannot be read as a document at all."""

    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


@dataclass
class Document:
    path: Path
    meta: LinedDict
    body: str
    body_line: int  # line number of the body's first line in the file
    fm_text: str = ""  # the front matter as written, between the two --- lines


def inside(real: str, folder_real: str) -> bool:
    """Whether the resolved path ``real`` is ``folder_real`` or below it (both realpaths)."""
    return real == folder_real or real.startswith(folder_real.rstrip(os.sep) + os.sep)


def read_text(path: Path, data: bytes | None = None) -> str:
    """Read a UTF-8 file; say where the first undecodable byte is."""
    if data is None:
        data = path.read_bytes()
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise SourceError(line, "文件不是 UTF-8 编码（可能是 GBK）；请在编辑器中另存为 UTF-8") from None


# YAML indicators: a bare scalar starting with one would read back as something else (or not at all)
_INDICATORS = ("#", "-", "[", "{", "!", "&", "*", "|", ">", "'", '"', "%", "@", "`")


def yaml_scalar(text: str) -> str:
    """``text`` as a YAML scalar that reads back as the same string (front matter and catalogue
    files gkpub writes): bare when it does, else double-quoted (a JSON string is a YAML
    double-quoted scalar)."""
    if text and text == text.strip() and not text.startswith(_INDICATORS):
        try:
            if load_yaml(f"k: {text}") == {"k": text}:
                return text
        except SourceError:
            pass
    return json.dumps(text, ensure_ascii=False)


def load_yaml(text: str, line_offset: int = 0) -> Any:
    """Parse YAML; errors are SourceError with the line in the file."""
    loader = _Loader(text)
    try:
        return _compose(loader, line_offset)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + 1 if mark else 1) + line_offset
        problem = exc.problem or exc.context or "格式错误"
        clerk = _clerk_mistake(text, line - line_offset)
        if clerk is not None:
            raise SourceError(clerk[0] + line_offset, clerk[1]) from None
        raise SourceError(line, f"YAML 格式错误：{_explain(problem)}") from None
    except yaml.YAMLError as exc:
        raise SourceError(1 + line_offset, f"YAML 格式错误：{exc}") from None
    finally:
        loader.dispose()


# A key followed by a full-width colon (「标题：…」): the IME's colon, not YAML's.
_FULLWIDTH_KEY = re.compile(r"^[ ]*(?:- )?([\u4e00-\u9fffA-Za-z_][\u4e00-\u9fffA-Za-z0-9_]{0,15})[ ]*：")
_TAB_INDENT = re.compile(r"^[ ]*\t")


def _clerk_mistake(text: str, error_line: int) -> tuple[int, str] | None:
    """The two mistakes editors make most, placed where they were made.

    YAML notices a full-width colon only on a later line (the key and its value read as
    one plain text, then the next key is "not allowed"), and a tab where the indentation
    no longer lines up; both are reported at the line that holds them, in Chinese. Only
    lines up to the one where YAML stopped are looked at, nearest first: a full-width colon
    further down, inside a value that parsed, is text and no mistake.
    """
    lines = text.split("\n")
    for i in range(min(error_line, len(lines)) - 1, -1, -1):
        raw = lines[i]
        if _TAB_INDENT.match(raw):
            return i + 1, ("这一行用 Tab 键缩进；YAML 只能用空格缩进，请把行首的 Tab 换成空格"
                           "（下一级缩进两个空格，同一级对齐）")
        m = _FULLWIDTH_KEY.match(raw)
        if m and ": " not in raw[:m.end()]:
            key = m.group(1)
            return i + 1, (f"「{key}」后面用了中文全角冒号「：」；字段名后面要用英文半角冒号「:」再加一个空格，"
                           f"如「{key}: …」（切换到英文输入法再输入冒号）")
    return None


def _explain(problem: str) -> str:
    hints = {
        "mapping values are not allowed": ("这里不能出现冒号；常见的原因：上一行字段名后的冒号后面少了空格"
                                           "（应写「名称: 值」），或这一行比同一级的行多缩进了；"
                                           "值里本来就有冒号时，请用引号把整个值括起来"),
        "could not find expected ':'": "缺少冒号「:」（注意要用英文冒号，后面加一个空格）",
        "found character '\\t' that cannot start any token": "不能用 Tab 缩进，请用空格",
        "expected <block end>, but found '-'": "列表缩进不一致",
        "did not find expected '-' indicator": ("这一行和同一级的行没有对齐：同一级的字段要用同样多的空格缩进"
                                               "（如同一个「- 名称:」下面的各行，都比「-」多缩进两个空格）"),
        "did not find expected key": ("这一行和同一级的行没有对齐：同一个列表的各项「- 」要上下对齐，"
                                      "同一级的字段要用同样多的空格缩进"),
        "did not find expected ',' or ']'": ("方括号没有配对（看这一行和上一行）：列表写作 [甲, 乙]，"
                                              "用英文逗号「,」隔开，以英文「]」结束"),
    }
    for en, zh in hints.items():
        if en in problem:
            return f"{zh}（{problem}）"
    return problem


def split_document(path: Path, text: str | None = None) -> Document:
    """Read ``path`` (or take its ``text``) and split off its front matter."""
    if text is None:
        text = read_text(path)
    if not text.strip():
        raise SourceError(1, "文件是空的；应以 --- 开头的 front matter（元数据）开始")
    lines = text.split("\n")
    if lines[0].rstrip() != "---":
        raise SourceError(1, "文件应以单独一行 --- 开头，后接 YAML 元数据，再以 --- 结束")
    end = None
    for i in range(1, len(lines)):
        if lines[i].rstrip() in ("---", "..."):
            end = i
            break
    if end is None:
        raise SourceError(1, "元数据没有结束：缺少第二个单独成行的 ---")
    fm_text = "\n".join(lines[1:end])
    if not fm_text.strip():
        raise SourceError(1, "元数据是空的：两行 --- 之间至少要有 标题、索引号 等字段")
    meta = load_yaml(fm_text, line_offset=1)
    if not isinstance(meta, LinedDict):  # every mapping load_yaml builds is one
        clerk = _clerk_mistake(fm_text, end - 1)
        if clerk is not None:
            raise SourceError(clerk[0] + 1, clerk[1])
        raise SourceError(2, "元数据应是「字段: 值」的形式，每行一个字段")
    body = "\n".join(lines[end + 1:])
    return Document(path=path, meta=meta, body=body, body_line=end + 2, fm_text=fm_text)
