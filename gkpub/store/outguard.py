"""Where a command may write its output folder, checked before any work is done.

A full build replaces the output folder as a whole, so a wrong ``--out`` would delete
whatever it names. Refused (exit 2): the site folder, a folder above it, a folder in the
site's sources (content/, layouts/, print/, the templates in use, the cache, .git), and a
non-empty folder gkpub did not make. gkpub marks what it makes with OUTPUT_MARKER, one more
file of every build; a folder built by an older gkpub has no marker, and counts as gkpub's
when the cache holds the manifest of a build into it.

Previews (drafts, future items) and real sites never share a folder: a preview goes to
``站点目录/preview`` by default, refuses ``public/`` or any folder marked as a real site,
and a real build refuses a folder marked as a preview. A preview deployed by mistake
would publish what is not yet to be published.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

from gkpub.util.errors import UsageError

OUTPUT_MARKER = ".gkpub-output"
SITE, PREVIEW = "site", "preview"
_MARKER_NOTE = "此目录由 gkpub 生成，每次生成会整体替换；不要在其中存放其他文件。\n"


def marker_bytes(preview: bool) -> bytes:
    """The marker file's content: which kind of output this folder holds."""
    return f"gkpub-output {PREVIEW if preview else SITE}\n{_MARKER_NOTE}".encode()


def default_out(site_dir: Path, preview: bool) -> Path:
    return site_dir / ("preview" if preview else "public")


def output_holding(path: Path, site_dir: Path) -> Path | None:
    """The output folder ``path`` lies in (or is): the site's public/ or preview/, or any folder
    holding the output marker — a build deploys or replaces it, so nothing internal goes there."""
    target = path.resolve()
    for out in (default_out(site_dir, False).resolve(), default_out(site_dir, True).resolve()):
        if target.is_relative_to(out):
            return out
    return next((p for p in (target, *target.parents) if (p / OUTPUT_MARKER).is_file()), None)


def output_kind(out: Path, cache_dir: Path | None = None) -> str | None:
    """SITE or PREVIEW for an existing folder gkpub made, None for an empty one; UsageError
    for a folder with anything else in it."""
    marker = out / OUTPUT_MARKER
    if marker.is_file():
        first = marker.read_bytes()[:64].split(b"\n", 1)[0].decode("utf-8", "replace").split()
        return PREVIEW if first[-1:] == [PREVIEW] else SITE
    if not any(out.iterdir()):
        return None
    if cache_dir is not None and _has_manifest(cache_dir, out):
        return SITE  # built by a gkpub from before the marker (whose previews shared public/)
    raise UsageError(
        f"输出目录 {out} 不是空目录，也不是 gkpub 生成的（其中没有 {OUTPUT_MARKER} 标记文件）："
        f"生成时会整体替换它，其中的文件将全部丢失；请先删除或清空这个目录，或用 --out 另选一个目录")


def _has_manifest(cache_dir: Path, out: Path) -> bool:
    """Before the marker, gkpub kept its record of a build into ``out`` in the cache, as
    ``output-<first 12 hex digits of sha1(resolved path)>.pickle``."""
    tag = hashlib.sha1(str(out.resolve()).encode()).hexdigest()[:12]
    return (cache_dir / f"output-{tag}.pickle").is_file()


def _sources(site_dir: Path, cache_dir: Path | None) -> list[tuple[str, Path]]:
    from gkpub.content.theme import template_dirs
    found = [("内容目录", site_dir / "content"), ("版本库", site_dir / ".git")]
    # the site's own template folders even before they exist, and the engine's in use
    found += [("网页模板目录", d) for d in [site_dir / "layouts", *template_dirs(site_dir, "layouts")]]
    found += [("打印模板目录", d) for d in [site_dir / "print", *template_dirs(site_dir, "print")]]
    if cache_dir is not None:
        found.append(("缓存目录", cache_dir))
    return [(what, p.resolve()) for what, p in found]


def check_output(out: Path, site_dir: Path, cache_dir: Path | None = None,
                 preview: bool = False) -> None:
    """Refuse, with a one-line message (UsageError, exit 2), an output folder this command
    must not replace; see the module docstring."""
    out, site_dir = out.resolve(), site_dir.resolve()
    cache = cache_dir.resolve() if cache_dir is not None else None
    instead = f"请用 --out 另选一个目录（默认为 {default_out(site_dir, preview)}）"
    replaced = "生成时会整体替换输出目录"
    if out == site_dir:
        raise UsageError(f"输出目录 {out} 就是站点目录：{replaced}，会删掉整个站点；{instead}")
    if site_dir.is_relative_to(out):
        raise UsageError(f"输出目录 {out} 是站点目录 {site_dir} 的上级：{replaced}，会删掉整个站点；{instead}")
    for what, src in _sources(site_dir, cache):
        if out.is_relative_to(src):
            where = f"就是站点的{what}" if out == src else f"在站点的{what} {src} 中"
            raise UsageError(f"输出目录 {out} {where}：{replaced}，会删掉其中的文件；{instead}")
    if cache is not None and cache.is_relative_to(out):
        raise UsageError(f"缓存目录 {cache} 在输出目录 {out} 中：{replaced}时会删掉缓存；"
                         f"请把缓存（--cache）放在输出目录以外")
    if out.exists() and not out.is_dir():
        raise UsageError(f"输出目录 {out} 是一个文件，不是目录；{instead}")
    kind = output_kind(out, cache) if out.is_dir() else None
    if preview and (kind == SITE or out == default_out(site_dir, False).resolve()):
        raise UsageError(
            f"预览生成（--drafts、--future）不能写入正式输出目录 {out}：预览中有草稿或未到发布日期的信息，"
            f"部署出去就等于发布了；去掉 --out 即写入 {default_out(site_dir, True)}，或另选一个目录")
    if not preview and (kind == PREVIEW or out == default_out(site_dir, True).resolve()):
        raise UsageError(
            f"输出目录 {out} 是预览目录（其中的页面含草稿或未到发布日期的信息）：正式生成不能写入预览目录；"
            f"去掉 --out 即写入 {default_out(site_dir, False)}，或另选一个目录")


def claim(out: Path, preview: bool = False) -> None:
    """Mark a folder as gkpub's before writing into it piece by piece (`gkpub print`);
    a build writes the marker with the rest of its output."""
    out.mkdir(parents=True, exist_ok=True)
    marker = out / OUTPUT_MARKER
    if not marker.is_file():
        marker.write_bytes(marker_bytes(preview))
