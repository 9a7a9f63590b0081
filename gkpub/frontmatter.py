"""Split a Markdown file into YAML front matter and body, keeping line numbers.

Dates are deliberately left as strings by the YAML loader: PyYAML turns
``2026-02-30`` into an exception without a location, while we want to say
which file, which line and which field holds the impossible date.
"""
from __future__ import annotations

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


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> LinedDict:
    loader.flatten_mapping(node)
    result = LinedDict()
    result.lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if isinstance(key, (list, dict)):
            raise yaml.constructor.ConstructorError(
                None, None, "键不能是列表或映射", key_node.start_mark)
        result[key] = loader.construct_object(value_node, deep=True)
        result.lines[key] = key_node.start_mark.line + 1 + getattr(loader, "line_offset", 0)
    return result


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)


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


def load_yaml(text: str, line_offset: int = 0) -> Any:
    """Parse YAML; errors are SourceError with the line in the file."""
    loader = _Loader(text)
    loader.line_offset = line_offset
    try:
        return loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + 1 if mark else 1) + line_offset
        problem = exc.problem or exc.context or "格式错误"
        raise SourceError(line, f"YAML 格式错误：{_explain(problem)}") from None
    except yaml.YAMLError as exc:
        raise SourceError(1 + line_offset, f"YAML 格式错误：{exc}") from None
    finally:
        loader.dispose()


def _explain(problem: str) -> str:
    hints = {
        "mapping values are not allowed": "这里不能出现冒号；值里有冒号时请用引号把整个值括起来",
        "could not find expected ':'": "缺少冒号「:」（注意要用英文冒号，后面加一个空格）",
        "found character '\\t' that cannot start any token": "不能用 Tab 缩进，请用空格",
        "found duplicate anchor": "重复的锚点",
        "expected <block end>, but found '-'": "列表缩进不一致",
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
    if not isinstance(meta, dict):
        raise SourceError(2, "元数据应是「字段: 值」的形式，每行一个字段")
    body = "\n".join(lines[end + 1:])
    return Document(path=path, meta=meta, body=body, body_line=end + 2, fm_text=fm_text)
