"""Shared machinery for print: paper sizes, the item view, templates, HTML → PDF.

Every printed kind (board posters, handbooks, notices) takes its items from
``Site.published`` (the disclosure gate) and renders jinja2 templates from
``print/`` with WeasyPrint. Only ``data:`` URLs may be fetched while rendering:
no network, no local files, so a poster is a pure function of the site.
"""
from __future__ import annotations

import base64
import datetime as dt
import html as html_lib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from gkpub.content import markdown
from gkpub.content.bodyfiles import file_url
from gkpub.content.config import SiteConfig
from gkpub.content.model import Item
from gkpub.content.theme import THEME_DIR, template_dirs
from gkpub.outputs.print.qr import qr_svg
from gkpub.outputs.web.render import make_env


class PrintError(Exception):
    """A printing request that cannot be fulfilled (exit code 1), in plain Chinese."""


@dataclass(frozen=True)
class Paper:
    name: str
    width_mm: float  # portrait width
    height_mm: float
    landscape: bool = False

    @property
    def size_mm(self) -> tuple[float, float]:
        w, h = self.width_mm, self.height_mm
        return (h, w) if self.landscape else (w, h)

    @property
    def css_size(self) -> str:
        return f"{self.name} {'landscape' if self.landscape else 'portrait'}"

    @property
    def label(self) -> str:
        return f"{self.name}{'横向' if self.landscape else ''}"


PAPERS: dict[str, tuple[float, float]] = {
    "A2": (420, 594), "A3": (297, 420), "A4": (210, 297), "A5": (148, 210),
}


def paper(name: str, landscape: bool = False) -> Paper:
    w, h = PAPERS[name.upper()]
    return Paper(name.upper(), w, h, landscape)


# Plain-text characters above which a board shows the 摘要 (when there is one) instead of the body.
LONG_BODY_CHARS = 360
# Bodies up to this many characters (and without tables) are never split across columns.
SHORT_BODY_CHARS = 200
_ROOT_HREF = re.compile(r'(href|src)="/(?!/)')
_SHORT_CELL = re.compile(r"<(td)>([^<]{1,3})</\1>")
_MD_NOISE = re.compile(r"[\s|:\-#*>`_~\[\]()!]+")


def cn_date(d: dt.date | None) -> str:
    return f"{d.year}年{d.month}月{d.day}日" if d else ""


def body_html(item: Item, cfg: SiteConfig) -> Markup:
    """The item body as HTML, with site-relative links made absolute (a PDF has no site root).

    Short data cells (names like 马某某, 新增) are kept on one line: in a narrow poster
    column a name broken into one character per line is hard to read. Headers may wrap.
    """
    html = _inline_images(item.html or markdown.render(item.body), item)
    html = _ROOT_HREF.sub(lambda m: f'{m.group(1)}="{cfg.base_url}', html)
    return Markup(_SHORT_CELL.sub(r'<\1 class="nw">\2</\1>', html))


def _inline_images(html: str, item: Item) -> str:
    """The body's images (checked by content.bodyfiles) as ``data:`` URLs, the one kind of URL a
    poster may load: the same picture as on the portal, without the network."""
    for att in item.body_files:
        src = f'src="{html_lib.escape(file_url(att.rel))}"'
        if att.width and src in html:
            data = base64.b64encode(att.source.read_bytes()).decode("ascii")
            html = html.replace(src, f'src="data:{_IMAGE_TYPES[att.source.suffix.lower()]};base64,{data}"')
    return html


_IMAGE_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif",
                ".webp": "image/webp"}


def body_chars(item: Item) -> int:
    """Visible characters of the body, roughly: Markdown punctuation and spaces not counted."""
    return len(_MD_NOISE.sub("", item.body))


@dataclass(frozen=True)
class PrintItem:
    """What every printed kind shows of one item."""

    item: Item
    anchor: str
    url: str  # absolute portal URL, the QR code's content
    qr: Markup
    content: Markup  # the body, or the 摘要 when the body is long (boards only)
    summarised: bool

    @property
    def title(self) -> str:
        return self.item.title

    @property
    def short(self) -> bool:
        """Short enough to keep in one piece (no table, a few lines)."""
        return self.summarised or (body_chars(self.item) <= SHORT_BODY_CHARS
                                   and "<table" not in self.content)

    @property
    def period(self) -> dict[str, dt.date] | None:
        return self.item.el.get("公示期")

    @property
    def period_days(self) -> int:
        p = self.period
        return (p["结束"] - p["开始"]).days + 1 if p else 0


def print_item(item: Item, cfg: SiteConfig, n: int = 0, summarise: bool = False) -> PrintItem:
    url = cfg.url(item.url)
    summary = item.el.get("摘要")
    use_summary = False
    if summarise and summary and body_chars(item) > LONG_BODY_CHARS:
        use_summary = True
        content = Markup("<p>") + summary + Markup("</p>")
    else:
        content = body_html(item, cfg)
    return PrintItem(item=item, anchor=f"item-{n}", url=url,
                     qr=Markup(qr_svg(url, f"二维码：{item.title}")),
                     content=content, summarised=use_summary)


def supervision_line(cfg: SiteConfig, org_name: str = "") -> str:
    """政务公开监督电话 of a township or department, then the district's."""
    parts: list[str] = []
    org = cfg.org_by_name(org_name) if org_name else None
    if org is not None and org.supervision_phone and org.supervision_phone != cfg.supervision_phone:
        parts.append(f"{org.short} {org.supervision_phone}")
    if cfg.supervision_phone:
        parts.append(f"{cfg.district} {cfg.supervision_phone}")
    return "政务公开监督电话：" + "；".join(parts) if parts else ""


def print_dirs(site_dir: Path) -> list[Path]:
    return template_dirs(site_dir, "print")


def make_print_env(site_dir: Path) -> jinja2.Environment:
    """The portal's template environment over the print folders, with the print filters."""
    env = make_env(print_dirs(site_dir), prefix="")
    env.filters["cn_date"] = cn_date
    env.filters["qr"] = lambda url, label="二维码": Markup(qr_svg(url, label))
    return env


def render_html(env: jinja2.Environment, template: str, **ctx: Any) -> str:
    return env.get_template(template).render(**ctx)


@dataclass(frozen=True)
class Rendered:
    pdf: bytes
    pages: int


def render_pdf(html: str) -> Rendered:
    """HTML → PDF bytes. Imported lazily: WeasyPrint takes a while to load."""
    import weasyprint

    fetcher = weasyprint.URLFetcher(allowed_protocols=["data"])
    doc = weasyprint.HTML(string=html, base_url=str(THEME_DIR / "print"),
                          url_fetcher=fetcher).render()
    # a fixed identifier keeps the same input byte-identical across runs
    pdf = doc.write_pdf(pdf_identifier=b"gkpub-print")
    return Rendered(pdf=pdf, pages=len(doc.pages))


def safe_filename(name: str) -> str:
    """A file name for a board or 索引号: no path separators, nothing a shell trips on."""
    return re.sub(r'[\\/:*?"<>|\s]+', "_", name).strip("._") or "_"
