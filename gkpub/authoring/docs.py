"""Generate the front-matter key table for the README from schema.FIELDS."""
from __future__ import annotations

import sys
from pathlib import Path

from gkpub.content.schema import FIELDS
from gkpub.content.vocab import FIXED_VOCABS

_KIND_NAMES = {
    "str": "文字", "text": "文字（可多行）", "date": "日期", "time": "时刻", "list": "列表", "bool": "是/否",
    "int": "整数", "number": "数字", "period": "起止日期", "attachments": "附件列表",
}
_VOCAB_NOTE = {
    "orgs": "site.toml 中的 [[org]]", "channels": "site.toml [vocab] channels",
    "matter_types": "site.toml [vocab] matter_types",
}


def _default(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(map(str, value)) + "]" if value else "[]"
    return str(value)


def fields_table() -> str:
    rows = ["| 字段 | 类型 | 必填 | 默认值 | 可用值 | 可从目录继承 | 说明 |",
            "| --- | --- | --- | --- | --- | --- | --- |"]
    for f in FIELDS:
        allowed = ""
        if f.vocab in FIXED_VOCABS:
            allowed = "、".join(FIXED_VOCABS[f.vocab])
        elif f.vocab:
            allowed = _VOCAB_NOTE[f.vocab]
        required = "是" if f.required else "不可留空" if f.gate else ""  # gate: `key:` is an error
        rows.append(f"| {f.key} | {_KIND_NAMES[f.kind]} | {required} | "
                    f"{_default(f.default)} | {allowed} | {'是' if f.inherit else ''} | {f.doc} |")
    return "\n".join(rows)


START, END = "<!-- fields:start -->", "<!-- fields:end -->"


SITE_START, SITE_END = "<!-- site-keys:start -->", "<!-- site-keys:end -->"


def _replace_block(text: str, start: str, end: str, table: str) -> str:
    head, rest = text.split(start, 1)
    _, tail = rest.split(end, 1)
    return f"{head}{start}\n{table}\n{end}{tail}"


def update_readme(path: Path) -> bool:
    """Rewrite the tables between the markers; return True when the file changed."""
    from gkpub.content.siteschema import site_table
    text = path.read_text(encoding="utf-8")
    new = _replace_block(text, START, END, fields_table())
    new = _replace_block(new, SITE_START, SITE_END, site_table())
    if new != text:
        path.write_text(new, encoding="utf-8")
    return new != text


if __name__ == "__main__":
    if len(sys.argv) > 1:
        update_readme(Path(sys.argv[1]))
    else:
        print(fields_table())
