"""site.toml [[column]]: a site's own description and keywords for a column page.

The page metadata of the 政府网站发展指引 (ColumnDescription, ColumnKeywords) is generated
from the catalogue and the site (gkpub/outputs/web/pagemeta.py); a [[column]] table replaces
it for one page, named by its address. Only pages whose text is not already the site's own
can be named: domain, matter and leaf pages take theirs from the catalogue (说明, names),
which the site edits there; an item or a fixed page (指南, 制度, 年报) from its own text.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from gkpub.content import siteschema
from gkpub.content.schema import STAGE_SLUGS
from gkpub.util.errors import ErrorList, did_you_mean

# the column pages of the portal whose address does not come from the catalogue; kept in step
# with gkpub/outputs/web/render.py (tests/test_metadata.py builds every one of them)
FIXED_COLUMNS = ("/", "/domain/", "/catalog/", "/org/", "/guide/", "/rules/", "/annual/", "/data/", "/search/")


@dataclass(frozen=True)
class ColumnText:
    description: str = ""
    keywords: tuple[str, ...] = ()


def column_urls(org_codes: list[str]) -> list[str]:
    """Every address a [[column]] table may name."""
    return (list(FIXED_COLUMNS) + [f"/stage/{slug}/" for slug in STAGE_SLUGS.values()]
            + [f"/org/{code}/" for code in org_codes])


def load_columns(data: dict[str, Any], lines: siteschema.Lines, errors: ErrorList,
                 org_codes: list[str]) -> dict[str, ColumnText]:
    """The [[column]] tables (already schema-checked), by page address."""
    rel = siteschema.REL
    allowed = column_urls(org_codes)
    out: dict[str, ColumnText] = {}
    first: dict[str, int] = {}
    for i, row in siteschema.instances(data, "column"):
        where = f"column[{i + 1}]"
        url = row.get("url", "").strip()
        if not url:
            continue  # missing or not text: reported by the schema
        line = lines.key_line("column", i, "url")
        if url not in allowed:
            shown = "/" + url.strip("/") + "/" if url.strip("/") else "/"
            hint = f"是不是「{shown}」？" if shown in allowed else did_you_mean(url, allowed)
            domain = "领域、事项、公开内容页的描述取自标准目录，请在 content/catalog/ 中修改；" if url.startswith(
                "/domain/") and url != "/domain/" else ""
            errors.add(rel, line, f"{where}.url",
                       f"「{url}」不是可以改写描述的栏目页；{domain}{hint}"
                       f"可用：{'、'.join(allowed[:len(FIXED_COLUMNS) + len(STAGE_SLUGS)])}、/org/机构代码/")
            continue
        if url in first:
            errors.add(rel, line, f"{where}.url", f"栏目「{url}」已在第 {first[url]} 行写过；每个栏目只写一段")
            continue
        first[url] = line
        description = " ".join(row.get("description", "").split())
        keywords = tuple(k.strip() for k in row.get("keywords", []))
        if not description and not keywords:
            errors.add(rel, lines.head_line("column", i), where,
                       f"栏目「{url}」的这一段既没有 description 也没有 keywords；请写出至少一项，或删去这一段")
            continue
        out[url] = ColumnText(description=description, keywords=keywords)
    return out
