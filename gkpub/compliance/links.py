"""`gkpub check --links`: broken internal links, anchors and attachments in a BUILT site.

It reads the output directory as a web server would serve it: a link to ``/a/b/`` needs
``a/b/index.html``, a link to ``/a/b/#x`` needs an element with ``id="x"`` in that page.
Links to other hosts, ``mailto:`` and ``tel:`` are not followed. Pages are scanned with
regular expressions, not a full HTML parser: the pages are our own output, where every
attribute is quoted and text never holds a raw ``"`` or ``<`` (both are escaped), and that
keeps a check of a 10,000-item site to a few seconds.
"""
from __future__ import annotations

import html
import posixpath
import re
import tomllib
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

_SKIP_RE = re.compile(r"<!--.*?-->|<script\b[^>]*>.*?</script>|<style\b[^>]*>.*?</style>", re.S | re.I)
_TAG_RE = re.compile(r"<([a-zA-Z][a-zA-Z0-9]*)(\s[^>]*)?>")
_ATTR_RE = re.compile(r"""([a-zA-Z_:][-a-zA-Z0-9_:.]*)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""")
_SCRIPT_SRC_RE = re.compile(r"<script\b([^>]*)>", re.I)
_XML_LINK_RE = re.compile(r"<loc>\s*([^<\s]+)\s*</loc>|<link\b[^>]*\bhref=\"([^\"]+)\"")
# attributes that point somewhere, by element
_LINK_ATTRS = {"a": "href", "area": "href", "link": "href", "img": "src", "script": "src",
               "iframe": "src", "source": "src", "audio": "src", "video": "src", "embed": "src"}
_ATTACHMENT_EXT = {".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".wps", ".et", ".ofd",
                   ".zip", ".rar", ".7z", ".txt", ".csv", ".jpg", ".jpeg", ".png", ".gif", ".mp3", ".mp4"}


@dataclass(frozen=True)
class Broken:
    page: str  # the page's address within the site, e.g. /xxgk/…/2026-00007/
    link: str  # the link as written in the page (percent-escapes decoded, as an editor wrote it)
    problem: str  # in Chinese, for editors


@dataclass
class LinkReport:
    pages: int  # HTML pages read (the sitemap's and feeds' links are checked too)
    links: int  # internal links checked
    broken: list[Broken]

    def to_json(self) -> dict:
        return {"pages": self.pages, "links": self.links,
                "broken": [{"page": b.page, "link": b.link, "problem": b.problem} for b in self.broken]}


def site_base_url(site_dir: Path) -> str:
    """[site] base_url from site.toml, or '/' when there is none (links are then all site-relative)."""
    try:
        data = tomllib.loads((site_dir / "site.toml").read_text(encoding="utf-8"))
        base = str(data.get("site", {}).get("base_url") or "/")
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        return "/"
    return base if base.endswith("/") else base + "/"


def _attrs(text: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for m in _ATTR_RE.finditer(text or ""):
        value = next((g for g in m.groups()[1:] if g is not None), "")
        out.setdefault(m.group(1).lower(), html.unescape(value))
    return out


def _scan_html(text: str) -> tuple[set[str], list[str]]:
    """(ids and a-names in the page, link targets in document order)."""
    ids: set[str] = set()
    links: list[str] = []
    for m in _SCRIPT_SRC_RE.finditer(text):  # <script src> before its (skipped) body
        src = _attrs(m.group(1)).get("src")
        if src:
            links.append(src)
    for m in _TAG_RE.finditer(_SKIP_RE.sub(" ", text)):
        tag = m.group(1).lower()
        attrs = _attrs(m.group(2) or "")
        if "id" in attrs:
            ids.add(attrs["id"])
        if tag == "a" and "name" in attrs:
            ids.add(attrs["name"])
        attr = _LINK_ATTRS.get(tag)
        if attr and attr in attrs and tag != "script":
            links.append(attrs[attr])
    return ids, links


def _page_address(prefix: str, rel: str) -> str:
    if rel == "index.html":
        return prefix
    if rel.endswith("/index.html"):
        return prefix + rel[: -len("index.html")]
    return prefix + rel


def _kind_of_missing(rel: str) -> str:
    ext = posixpath.splitext(rel)[1].lower()
    if rel.startswith("files/") or ext in _ATTACHMENT_EXT:
        return "附件文件不存在"
    if rel.endswith("/") or rel.endswith("index.html") or ext in ("", ".html", ".htm"):
        return "页面不存在"
    return "文件不存在"


def check_links(out_dir: Path, base_url: str = "/") -> LinkReport:
    """Every internal link of every page in ``out_dir`` (a built site), checked."""
    base = urlsplit(base_url)
    prefix = base.path if base.path.endswith("/") else base.path + "/"
    files = {p.relative_to(out_dir).as_posix() for p in out_dir.rglob("*") if p.is_file()}
    ids: dict[str, set[str]] = {}
    links: dict[str, list[str]] = {}
    for rel in sorted(files):
        if rel.endswith((".html", ".htm")):
            ids[rel], links[rel] = _scan_html((out_dir / rel).read_text(encoding="utf-8", errors="replace"))
        elif rel.endswith(".xml"):  # sitemap <loc>, feed <link href>
            text = (out_dir / rel).read_text(encoding="utf-8", errors="replace")
            links[rel] = [html.unescape(a or b) for a, b in _XML_LINK_RE.findall(text)]

    broken: list[Broken] = []
    checked = 0
    for rel, targets in links.items():
        page = _page_address(prefix, rel)
        for link in dict.fromkeys(t.strip() for t in targets):  # each distinct link once per page
            if not link or link == "#":
                continue
            parts = urlsplit(link)
            if parts.scheme and parts.scheme not in ("http", "https"):
                continue  # mailto:, tel:, …
            if parts.netloc and parts.netloc.lower() != base.netloc.lower():
                continue  # another site
            checked += 1
            if parts.path:
                path = posixpath.normpath(posixpath.join(posixpath.dirname(page), unquote(parts.path)))
                if parts.path.endswith("/") and not path.endswith("/"):
                    path += "/"
            else:
                path = page  # "#anchor" or "?query": this page
            if path.startswith(prefix):
                target = path[len(prefix):]
            elif path == prefix.rstrip("/"):
                target = ""
            else:
                broken.append(Broken(page, unquote(link), f"指向网站目录 {prefix} 之外"))
                continue
            if target == "" or target.endswith("/"):
                target += "index.html"
            elif target not in files and target + "/index.html" in files:
                target += "/index.html"  # /a/b without the slash: servers redirect to /a/b/
            if target not in files:
                asked = target[: -len("index.html")] if target.endswith("index.html") else target
                broken.append(Broken(page, unquote(link), _kind_of_missing(asked)))
                continue
            fragment = unquote(parts.fragment)
            if fragment and target in ids and fragment not in ids[target] and fragment != "top":
                where = "本页" if target == rel else "目标页面"
                broken.append(Broken(page, unquote(link), f"{where}中没有锚点「#{fragment}」"))
    pages = sum(1 for rel in links if rel.endswith((".html", ".htm")))
    return LinkReport(pages=pages, links=checked, broken=broken)


def format_text(report: LinkReport, out_dir: Path, repeat: int = 5) -> str:
    """`页面 → 链接：问题` lines; a link broken on many pages is listed once with a count."""
    lines: list[str] = []
    by_link: dict[tuple[str, str], list[str]] = defaultdict(list)
    for b in report.broken:
        by_link[(b.link, b.problem)].append(b.page)
    for (link, problem), pages in by_link.items():
        if len(pages) > repeat:
            lines.append(f"{pages[0]} 等 {len(pages)} 个页面 → {link}：{problem}")
        else:
            lines.extend(f"{page} → {link}：{problem}" for page in pages)
    lines.sort()
    if report.broken:
        lines.append(f"检查了 {out_dir} 中的 {report.pages} 个页面、{report.links} 个站内链接："
                     f"发现 {len(report.broken)} 个失效链接。")
    else:
        lines.append(f"检查了 {out_dir} 中的 {report.pages} 个页面、{report.links} 个站内链接：未发现失效链接。")
    return "\n".join(lines)
