"""The in-memory model: catalogue, items, and the site they make up."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any
from urllib.parse import quote

from gkpub.content.config import Org, SiteConfig
from gkpub.content.flow import FLOW_MARK, Flow
from gkpub.content.requests import Request
from gkpub.util.errors import ContentError


@dataclass
class Leaf:
    """三级: one content element of a matter, the leaf of the catalogue."""

    domain: Domain
    matter: Matter
    code: str
    name: str
    elements: dict[str, Any]  # effective elements after domain → matter → leaf inheritance
    source: str
    line: int
    flow: Flow | None = None  # its own 流程 (content/flow.py), drawn on the leaf's page

    @property
    def path(self) -> str:
        return f"{self.domain.name}/{self.matter.name}/{self.name}"

    @property
    def url(self) -> str:
        return f"/domain/{self.domain.slug}/{self.matter.code}/{self.code}/"

    @property
    def stage(self) -> str:
        return self.elements.get("过程", "")


@dataclass
class Matter:
    domain: Domain
    code: str
    name: str
    elements: dict[str, Any]
    leaves: list[Leaf] = field(default_factory=list)
    flow: Flow | None = None  # 流程 (content/flow.py): on the matter's page, in the handbook, on boards

    @property
    def url(self) -> str:
        return f"/domain/{self.domain.slug}/{self.code}/"


@dataclass
class Domain:
    slug: str
    name: str
    category: str
    description: str
    elements: dict[str, Any]
    source: str
    matters: list[Matter] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"/domain/{self.slug}/"

    @property
    def leaves(self) -> list[Leaf]:
        return [leaf for m in self.matters for leaf in m.leaves]


@dataclass
class Catalog:
    domains: list[Domain] = field(default_factory=list)
    # Domains of catalogue files that could not be read (their error is reported): an item
    # under one of them is not also "not in the catalogue". "" stands for a file whose
    # domain could not be made out (then no item is judged by the catalogue).
    broken: list[str] = field(default_factory=list)

    def is_broken(self, path: str) -> bool:
        """Whether ``path`` (领域/事项/公开内容) may belong to a catalogue file that failed to load."""
        return bool(self.broken) and ("" in self.broken or path.split("/", 1)[0].strip() in self.broken)

    def leaf_by_path(self) -> dict[str, Leaf]:
        return {leaf.path: leaf for d in self.domains for leaf in d.leaves}

    @property
    def leaves(self) -> list[Leaf]:
        return [leaf for d in self.domains for leaf in d.leaves]


@dataclass
class Attachment:
    """A file served under /files/: an entry of 附件, or a file a page body links or shows."""

    name: str
    source: Path  # absolute path of the file in content/
    rel: str  # path relative to content/, used for the output location
    width: int = 0  # an image in a body: its displayed size in pixels (0 for other files)
    height: int = 0

    @property
    def url(self) -> str:
        """Percent-encoded: a name with #, ?, %, spaces or Chinese is one working link."""
        return "/files/" + quote(self.rel)

    @property
    def ext(self) -> str:
        return self.source.suffix.lstrip(".").upper()

    @property
    def size(self) -> int:
        return self.source.stat().st_size


@dataclass(frozen=True)
class FileLink:
    """A local file a document refers to, where it does: checked once the gate has decided
    what is published (content/bodyfiles.check_published)."""

    line: int  # line in the source file
    written: str  # as the editor wrote it
    rel: str  # the file's path relative to content/ (for a /files/ address: what it names)
    site: bool = False  # written as a site address /files/…, not relative to the Markdown file
    attachment: bool = False  # from 附件, not from the body


@dataclass
class Item:
    """One disclosure item with its effective elements (own values over the catalogue's)."""

    source: str  # path relative to the site dir, posix
    el: dict[str, Any]  # every schema key → effective value
    leaf: Leaf
    org: Org
    body: str
    body_line: int
    lines: dict[str, int]
    attachments: list[Attachment] = field(default_factory=list)
    fingerprint: str = ""  # changes whenever the file, its attachments or its body files change
    body_files: list[Attachment] = field(default_factory=list)  # images and files the body links
    file_links: list[FileLink] = field(default_factory=list)
    # filled in after validation
    interpretations: list[Item] = field(default_factory=list)
    interprets: Item | None = None
    html: str = ""

    # the elements used everywhere ------------------------------------------------
    @property
    def title(self) -> str:
        return self.el["标题"]

    @property
    def index_no(self) -> str:
        return self.el["索引号"]

    @property
    def stage(self) -> str:
        return self.el["过程"]

    @property
    def attribute(self) -> str:
        return self.el["公开属性"]

    @property
    def written(self) -> dt.date:
        return self.el["成文日期"]

    @property
    def published(self) -> dt.date:
        return self.el["发布日期"]

    @property
    def doc_no(self) -> str:
        return self.el.get("文号") or ""

    @property
    def domain(self) -> Domain:
        return self.leaf.domain

    @property
    def matter(self) -> Matter:
        return self.leaf.matter

    @cached_property
    def url(self) -> str:
        return f"/xxgk/{self.index_no}/"

    @cached_property
    def out_path(self) -> str:
        return f"xxgk/{self.index_no}/index.html"

    @cached_property
    def sort_key(self) -> tuple:
        """Newest first, then by 索引号 so equal dates still sort the same every build."""
        return (-self.published.toordinal(), self.index_no)

    @cached_property
    def summary(self) -> tuple:
        """What listings and links show of an item: a change elsewhere re-renders only its page."""
        return (self.title, self.index_no, self.published, self.org.code, self.stage, self.doc_no,
                self.el.get("有效期至"), self.el.get("废止日期"))

    def expired(self, today: dt.date) -> bool:
        until = self.el.get("有效期至")
        return bool(until and until < today) or bool(
            self.el.get("废止日期") and self.el["废止日期"] <= today)

    def validity(self, today: dt.date) -> str:
        return "已失效" if self.expired(today) else "现行有效"


@dataclass
class Page:
    """A fixed-column content page (公开指南, 制度, 年报)."""

    source: str
    column: str  # guide | rules | annual
    slug: str  # '' for a single-page column
    title: str
    published: dt.date | None
    org: Org | None
    body: str
    body_line: int
    html: str = ""
    attachments: list[Attachment] = field(default_factory=list)
    body_files: list[Attachment] = field(default_factory=list)
    file_links: list[FileLink] = field(default_factory=list)
    fingerprint: str = ""  # the file's digest and its files' bytes (see items._fingerprint)
    flows: list[Flow] = field(default_factory=list)  # its ```流程 blocks, in order (html marks their places)

    @property
    def url(self) -> str:
        return f"/{self.column}/" + (f"{self.slug}/" if self.slug else "")

    @property
    def body_parts(self) -> list[str]:
        """The body's HTML around its flows: flows[k] is drawn between parts k and k+1."""
        return self.html.split(FLOW_MARK) if self.flows else [self.html]


@dataclass
class Site:
    config: SiteConfig
    catalog: Catalog
    items: list[Item]  # every valid item, gated or not (counted, never rendered unless published)
    published: list[Item]  # what passes the disclosure gate, newest first
    pages: list[Page]
    today: dt.date
    held_back: dict[str, int] = field(default_factory=dict)  # reason → count
    inputs_key: str = ""  # hash of site.toml and the catalogue files: what every page depends on
    preview: bool = False  # drafts or future items let through (--drafts/--future): stamped, never deployed
    requests: list[Request] = field(default_factory=list)  # the 依申请公开 register: counted, never published
    warnings: list[ContentError] = field(default_factory=list)  # drafts with errors: left out, reported
