"""Output channels: every file of the output besides the portal pages comes from one.

A channel turns the loaded site into (path, payload) pairs; it never writes. The build hands
every channel's files to one sink through :func:`write_channels`, the only write path for
them: a full build's sink stages the files for the atomic swap (StagedOutput), an incremental
build's sink replaces in the live folder only the files whose bytes differ (LiveSink in
builder.py). So the same channels give the same bytes either way, and a path that two
channels (or a channel and a portal page) both claim is an error, not a silent overwrite.

To add an output: write a class with ``name`` and ``files(ctx)`` in its package under
``gkpub/outputs/`` (or here, if it only combines others) and append it to :data:`CHANNELS`.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from gkpub.compliance.checks import Report
from gkpub.content.bodyfiles import served_files
from gkpub.content.forms import has_guide
from gkpub.content.model import Site
from gkpub.content.requests import REGISTER_DIR
from gkpub.outputs.opendata.publish import opendata_outputs
from gkpub.outputs.print.carry import carry_over
from gkpub.outputs.print.fonts import FontError
from gkpub.outputs.print.form import application_forms
from gkpub.outputs.web.render import WebRenderer
from gkpub.store.memo import Memo
from gkpub.store.outguard import OUTPUT_MARKER, marker_bytes
from gkpub.util.errors import UsageError

# The bytes of a file, or a file whose bytes are to be copied (a sink may skip the copy
# when the source already is the file in place).
Payload = bytes | Path
PAGES = "网页"  # the portal pages, rendered by the builder itself (signed, in parallel)


@dataclass
class BuildContext:
    """What a channel may read: the published site and what the build made of it so far."""
    site: Site
    renderer: WebRenderer
    report: Report
    page_paths: list[str]
    layouts: list[Path]
    out_dir: Path  # the live output folder (the previous build's files, e.g. printed ones)
    cache_dir: Path | None = None  # the build cache (BuildOptions.cache_dir), for costly files
    memo: Memo | None = None  # parts of files the last build computed (store.memo), kept in the cache


class Channel(Protocol):
    name: str  # named in the error when two channels claim one path

    def files(self, ctx: BuildContext) -> Iterable[tuple[str, Payload]]: ...


class Sink(Protocol):
    def put(self, rel: str, payload: Payload) -> None: ...


class ChannelClash(UsageError):
    """Two channels produced the same output path: a bug in gkpub or in a site's theme."""


class PrivateFile(UsageError):
    """A channel was about to copy a file of the 依申请公开 register (content.requests): never
    published, whatever links to it (an asset or attachment that is a symbolic link, say)."""


def _private(source: Path, register: Path | None) -> bool:
    return register is not None and source.resolve().is_relative_to(register)


def write_channels(channels: Iterable[Channel], ctx: BuildContext, sink: Sink) -> set[str]:
    """Every channel's files into ``sink``; returns the paths written (the pages excluded)."""
    owner = dict.fromkeys(ctx.page_paths, PAGES)
    produced: set[str] = set()
    register: Path | None = None
    for channel in channels:
        for rel, payload in channel.files(ctx):
            if isinstance(payload, Path):
                register = register or (ctx.site.config.root / REGISTER_DIR).resolve()
            if isinstance(payload, Path) and _private(payload, register):
                raise PrivateFile(f"「{channel.name}」要把 {payload} 复制到输出的 {rel}，但它是依申请公开登记表"
                                  f"（{REGISTER_DIR}/ 中的文件）：登记表只用于年报统计和期限检查，绝不发布。"
                                  f"请删去指向它的文件（如 layouts/assets/ 或附件中的符号链接）")
            if rel in owner:
                raise ChannelClash(f"内部错误：输出文件 {rel} 同时由「{owner[rel]}」和「{channel.name}」生成。"
                                   f"请检查本站 layouts/assets/ 中是否有与生成文件同名的文件，或报告这个问题")
            owner[rel] = channel.name
            produced.add(rel)
            sink.put(rel, payload)
    return produced


# -- the channels ------------------------------------------------------------------------

class OpenData:
    name = "开放数据、订阅和站点地图"

    def files(self, ctx: BuildContext) -> Iterator[tuple[str, Payload]]:
        yield from opendata_outputs(ctx.site, ctx.renderer, ctx.page_paths, ctx.memo)


class Assets:
    """The theme's assets, with the site's own ones in place of the theme's of the same name."""
    name = "样式和脚本（assets）"

    def files(self, ctx: BuildContext) -> Iterator[tuple[str, Payload]]:
        yield from asset_files(ctx.layouts)


class Attachments:
    """The 附件 of published items and of the fixed pages, and the images and files their
    bodies show or link (content/bodyfiles.py): each file once, however many refer to it.
    A held-back item's files come out only through something published that refers to them
    (never one held as 依申请公开 or 不予公开: the loader refuses that)."""
    name = "附件和正文图片"

    def files(self, ctx: BuildContext) -> Iterator[tuple[str, Payload]]:
        for rel, att in sorted(served_files([*ctx.site.published, *ctx.site.pages]).items()):
            yield "files/" + rel, att.source


class PrintCarry:
    """Posters from `gkpub print` outlive a web build while every item on them is unchanged
    (outputs.print.carry); what it does not carry over is not in the output."""
    name = "打印文件"

    def files(self, ctx: BuildContext) -> list[tuple[str, Payload]]:
        found = _Collected()
        carry_over(found, ctx.out_dir, ctx.site)  # type: ignore[arg-type]  # the slice it uses
        return found.pairs


class ApplicationForms:
    """The 政府信息公开申请表 PDFs the 指南 links (outputs.print.form), whenever the site has a
    指南: rendered with WeasyPrint only when their inputs changed, else taken from the cache.
    Without a CJK font the build stops with the way out, rather than publish boxes or a dead link."""
    name = "政府信息公开申请表"

    def files(self, ctx: BuildContext) -> list[tuple[str, Payload]]:
        if not has_guide(ctx.site):
            return []
        try:
            forms = application_forms(ctx.site, ctx.cache_dir)
        except FontError as exc:
            raise UsageError(f"政府信息公开指南提供下载的申请表（PDF）无法生成：{exc}") from None
        return [(f.form.path, f.pdf) for f in forms]


class Marker:
    """The file that says this folder is gkpub's output (see store.outguard)."""
    name = "输出目录标记"

    def files(self, ctx: BuildContext) -> Iterator[tuple[str, Payload]]:
        yield OUTPUT_MARKER, marker_bytes(ctx.site.preview)


# ApplicationForms first: the one that may stop for a missing font does so before the others write
CHANNELS: tuple[Channel, ...] = (ApplicationForms(), OpenData(), Assets(), Attachments(), PrintCarry(), Marker())


def asset_files(layouts: list[Path]) -> list[tuple[str, Payload]]:
    found: dict[str, Path] = {}
    for folder in reversed(layouts):  # the site's own assets replace the engine's
        assets = folder / "assets"
        if assets.is_dir():
            for src in assets.rglob("*"):
                if src.is_file():
                    found["assets/" + src.relative_to(assets).as_posix()] = src
    return sorted(found.items())


class _Collected:
    """What carry_over writes (copy_file, write_text), kept as pairs."""

    def __init__(self) -> None:
        self.pairs: list[tuple[str, Payload]] = []

    def copy_file(self, src: Path, rel: str) -> None:
        self.pairs.append((rel, src))

    def write_text(self, rel: str, content: str) -> None:
        self.pairs.append((rel, content.encode("utf-8")))
