"""Bodies a catalogue sheet names that site.toml lacks: a ready-to-paste [[org]] snippet,
and with ``--add-orgs`` the same text inserted into site.toml.

site.toml requires an 18-character 统一社会信用代码 with a valid GB 32100 check character
for every [[org]]; a sheet never carries one. The snippet therefore holds format-valid
placeholder codes (region 000000, which no real code has), distinct from every code in
the file, each with a comment saying so — the way `gkpub new site` writes its placeholder.
Every 索引号 starts with the code and an 索引号 never changes once published, so the import
says, in its summary too, that the codes must be replaced before the body publishes
anything.

The text is inserted after the last [[org]] table — after its last key and the comment lines
right under it, before the blank line and comments that open the next section — so the
file's own comments and layout stay as they are; the file is then read back with the
site.toml loader and restored when that fails.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass

from gkpub.content.config import Org, SiteConfig
from gkpub.content.hints import PLACEHOLDER_BODY, org_kind, placeholder_codes, toml_str

_TABLE_RE = re.compile(r"^\s*\[")
_ORG_RE = re.compile(r"^\s*\[\[\s*org\s*\]\]")


@dataclass(frozen=True)
class NewOrg:
    written: str  # as the sheet writes it
    name: str
    short: str
    code: str
    kind: str


def is_placeholder(code: str) -> bool:
    return code.startswith(PLACEHOLDER_BODY)


def new_orgs(written: list[str], cfg: SiteConfig, taken_codes: set[str]) -> list[NewOrg]:
    """The bodies as site.toml entries (one per written name; names of one body share name and
    short). A sheet writing both 「测试区民政局」 and 「区民政局」 means one body with that full and
    short name; a name written only as 「区…」 gets the district in front for its full name
    (青禾区 + 区医疗保障局 → 青禾区医疗保障局) and keeps the written one as its short name, so the
    sheet's rows match it either way."""
    codes = placeholder_codes(taken_codes)
    out: list[NewOrg] = []
    district = cfg.district
    tail = district[-1:] if district else ""
    for w in written:
        name, short = w, w
        longer = [o for o in written if o != w and o.endswith(w)]  # 「测试区民政局」 and 「区民政局」: one body
        shorter = [o for o in written if o != w and w.endswith(o) and o[:1] in ("区", "县", "市")]
        if longer and w[:1] in ("区", "县", "市"):
            name = max(longer, key=len)
        elif shorter:
            short = max(shorter, key=len)
        elif district and w.startswith(district):
            short = tail + w[len(district):]
        elif tail and w.startswith(tail) and len(w) > 2:
            name = district + w[1:]
        out.append(NewOrg(written=w, name=name, short=short, code=next(codes), kind=org_kind(name)))
    return out


def snippet(orgs: list[NewOrg], source: str) -> str:
    lines = [f"# 以下机关由 gkpub import catalog 从 {source} 中找到，site.toml 中原来没有。",
             "# code 是格式正确的占位代码，不是真实代码：该机关发布第一条信息之前，必须换成它的统一社会信用代码",
             "# （每条信息的索引号都以它开头，索引号一经公开就不再改变）；kind 是按名称推断的，请核对。"]
    for o in orgs:
        lines += ["", "[[org]]", f"name = {toml_str(o.name)}"]
        if o.short != o.name:
            lines.append(f"short = {toml_str(o.short)}")
        lines += [f"code = {toml_str(o.code)}   # 占位代码：换成本机关的统一社会信用代码（18 位）",
                  f"kind = {toml_str(o.kind)}   # 区政府 | 区级部门 | 街镇"]
    return "\n".join(lines) + "\n"


def as_org(o: NewOrg) -> Org:
    return Org(name=o.name, short=o.short, code=o.code, kind=o.kind)


def insert_orgs(text: str, block: str) -> str:
    """``text`` (site.toml) with ``block`` after its last [[org]] table, or at the end."""
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.splitlines(keepends=True)
    last_org = max((i for i, line in enumerate(lines) if _ORG_RE.match(line)), default=None)
    if last_org is None:
        at = len(lines)
    else:
        nxt = next((i for i in range(last_org + 1, len(lines)) if _TABLE_RE.match(lines[i])), len(lines))
        comment = lambda i: lines[i].lstrip().startswith("#")
        last_key = max((i for i in range(last_org, nxt) if lines[i].strip() and not comment(i)), default=last_org)
        at = last_key + 1
        while at < nxt and comment(at):
            at += 1  # comments right under the last key (commented-out keys) stay with it …
        if at == nxt:
            at = last_key + 1  # … unless they run into the next table: then they open it
    head = "".join(lines[:at])
    if head and not head.endswith(("\n", "\r")):
        head += newline
    body = block.replace("\n", newline)
    tail = "".join(lines[at:])
    gap = newline if tail and tail.strip(" \t")[:1] not in ("\r", "\n") else ""
    return head + newline + body + gap + tail


def added_names(before: str, after: str) -> list[str]:
    """The [[org]] names in ``after`` that ``before`` lacks (to check an insertion)."""
    def names(text: str) -> list[str]:
        return [str(o.get("name", "")) for o in tomllib.loads(text).get("org", []) if isinstance(o, dict)]
    old = set(names(before))
    return [n for n in names(after) if n not in old]
