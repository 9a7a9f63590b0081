"""Hints that really fix an editor's mistake: near typos only, and what to add where.

A did-you-mean is offered only when following it is what the editor meant: a value one or
two keystrokes away from exactly one allowed value (a wrong, missing, extra or swapped
character). "Similar" names are not enough — 「青禾区应急管理局」 shares 青禾区…局 with every
department, and offering 「青禾区民政局」 for it publishes under the wrong body. A body that
is not in site.toml gets the [[org]] table to paste instead.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import TypeVar

from gkpub.content.config import SiteConfig
from gkpub.content.siteschema import credit_check_char

T = TypeVar("T")
PLACEHOLDER_BODY = "11000000MB"  # region 000000: no real 统一社会信用代码 has it
_TOWNSHIP_ENDS = ("街道办事处", "街道", "镇人民政府", "乡人民政府", "镇", "乡")


def distance(a: str, b: str, limit: int = 3) -> int:
    """Edit distance with adjacent swaps (optimal string alignment); anything above
    ``limit`` is returned as ``limit + 1``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > limit:
            return limit + 1
        prev2, prev = prev, cur
    return min(prev[-1], limit + 1)


def typo_budget(value: str) -> int:
    """How many keystrokes a typo of ``value`` may be off: one, two for long values."""
    return 1 if len(value) <= 10 else 2


def near_typo(value: str, choices: Iterable[str], budget: int | None = None) -> str | None:
    """The one choice within a typo of ``value``; None when there is none or more than one
    equally near (then no guess is safe)."""
    limit = typo_budget(value) if budget is None else budget
    best: list[str] = []
    best_d = limit + 1
    for c in dict.fromkeys(choices):
        if c == value:
            continue
        d = distance(value, c, limit)
        if d < best_d:
            best, best_d = [c], d
        elif d == best_d and d <= limit:
            best.append(c)
    return best[0] if best_d <= limit and len(best) == 1 else None


def did_you_mean_typo(value: str, choices: Iterable[str], budget: int | None = None) -> str:
    """「是不是「X」？」 for a near typo, else ''."""
    hit = near_typo(value, choices, budget)
    return f"是不是「{hit}」？" if hit else ""


def toml_str(text: str) -> str:
    """``text`` as a TOML basic string."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def org_kind(name: str) -> str:
    if name.endswith(_TOWNSHIP_ENDS):
        return "街镇"
    if name.endswith("人民政府"):
        return "区政府"
    return "区级部门"


def placeholder_codes(taken: Iterable[str]) -> Iterator[str]:
    """Format-valid 统一社会信用代码 that no org of the site has (region 000000), in order:
    what a ready-to-paste [[org]] table and `gkpub import catalog --add-orgs` write."""
    used = set(taken)
    n = 0
    while True:
        n += 1
        first17 = f"{PLACEHOLDER_BODY}{n:07d}"
        code = first17 + credit_check_char(first17)
        if code not in used:
            yield code


def org_snippet(name: str, cfg: SiteConfig) -> str:
    """A [[org]] table for ``name``, ready to paste into site.toml (indented four spaces)."""
    short = ""
    district = cfg.district
    if district and name.startswith(district) and len(name) > len(district) + 1:
        short = district[-1] + name[len(district):]  # 青禾区应急管理局 → 区应急管理局
    lines = ["[[org]]", f"name = {toml_str(name)}"]
    if short and short != name:
        lines.append(f"short = {toml_str(short)}")
    code = next(placeholder_codes(o.code for o in cfg.orgs))
    lines += [f"code = {toml_str(code)}   # 占位代码：换成本机关的统一社会信用代码（18 位）",
              f"kind = {toml_str(org_kind(name))}   # 区政府 | 区级部门 | 街镇",
              'address = ""   # 办公地址', 'phone = ""   # 联系电话']
    return "\n".join("    " + line for line in lines)


def unknown_org_message(name: str, cfg: SiteConfig) -> str:
    """For a 公开主体 that is not an [[org]] of site.toml."""
    names = [n for o in cfg.orgs for n in (o.name, o.short) if n]
    typo = near_typo(name, names)
    if typo is not None:
        org = cfg.org_by_name(typo)
        official = f"（{org.name}）" if org is not None and org.name != typo else ""
        return (f"「{name}」不是 site.toml 中的公开主体；是不是「{typo}」{official}？"
                f"如果是另一个机关，请在 site.toml 的 [[org]] 中添加它（见 README「如何添加一个领域和一个部门」）")
    return (f"「{name}」不是 site.toml 中的公开主体；请在 site.toml 的 [[org]] 中添加这个机关"
            f"（把下面几行粘贴到其他 [[org]] 之后，code 换成它的统一社会信用代码）：\n{org_snippet(name, cfg)}")


def catalog_path(path: str) -> str:
    """A 领域/事项/公开内容 path as the catalogue spells it: ／, \\ and ＼ are /, no whitespace
    (spaces, full-width spaces, the no-break spaces of text pasted from Word)."""
    parts = path.replace("／", "/").replace("＼", "/").replace("\\", "/").split("/")
    return "/".join("".join(p.split()) for p in parts)


def leaf_named(leaves: Mapping[str, T], path: str) -> T | None:
    """The leaf a --catalog option (or an answer to 目录) names: as written, else with any
    slashes and spaces (see catalog_path)."""
    return leaves.get(path.strip()) or leaves.get(catalog_path(path))


def not_in_catalog(path: str, leaves: Iterable[str]) -> str:
    """「not in the catalogue」 with a guess only where the guess is what was meant: a near
    typo of one leaf, the same path written with other slashes or spaces, or the one leaf
    whose 事项/公开内容 (or 公开内容 alone, or 领域/公开内容) is what was written; else, when the
    领域 or 领域/事项 exists, what it holds."""
    paths = list(leaves)
    guess = None
    canon = catalog_path(path)
    if canon != path and canon in paths:
        guess = canon
    if guess is None:
        guess = near_typo(canon, paths)
    if guess is None:
        tail = [p for p in paths if p.endswith("/" + canon)]
        guess = tail[0] if len(tail) == 1 else None
    if guess is None and canon.count("/") == 1:  # 领域/公开内容, the 事项 left out
        domain, content = canon.split("/")
        skipped = [p for p in paths if p.split("/")[0] == domain and p.rsplit("/", 1)[-1] == content]
        guess = skipped[0] if len(skipped) == 1 else None
    hint = f"是不是「{guess}」？" if guess else ""
    domains = sorted({p.split("/", 1)[0] for p in paths})
    if not hint and canon.split("/", 1)[0] not in domains:
        hint = (f"标准目录中没有领域「{canon.split('/', 1)[0]}」（有：{'、'.join(domains)}）；"
                "新领域要先在 content/catalog/ 中添加目录文件（见 README「如何添加一个领域和一个部门」）。")
    if not hint:
        hint = _what_is_there(canon, paths)
    return f"「{path}」不在标准目录中；{hint}格式为「领域/事项/公开内容」，目录见 content/catalog/"


def _what_is_there(canon: str, paths: list[str]) -> str:
    """For a path whose 领域 (or 领域/事项) exists: what that level holds, so the right one can be
    copied (扶贫救灾/受灾人员救助/名单 → 「扶贫救灾/受灾人员救助」下的公开内容有：救助政策、救助对象名单)."""
    parts = canon.split("/")
    if len(parts) != 3:
        return ""
    matter = "/".join(parts[:2])
    contents = [p.rsplit("/", 1)[1] for p in paths if p.rsplit("/", 1)[0] == matter]
    if contents:
        return f"「{matter}」下的公开内容有：{'、'.join(contents)}；"
    matters = list(dict.fromkeys(p.split("/")[1] for p in paths if p.split("/", 1)[0] == parts[0]))
    return f"领域「{parts[0]}」下的事项有：{'、'.join(matters)}；" if matters else ""
