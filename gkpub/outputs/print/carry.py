"""What each printed file under ``public/print/`` shows, so a web build can keep it or drop it.

`gkpub build` replaces the whole output folder. It carries a printed file over only while
every item on it is still published *and still prints the same text*: for each item the
manifest keeps a digest of what print shows of it (see ``printed_text``). An item held back
since (依申请公开, 不予公开, back to 草稿), or changed — a name removed when it became
删减后公开, a new 公示期 — means the file is dropped, never served, and the build says
which command prints it again. Edits to items that are not on the file keep it.

``print/manifest.json``: ``{"boards/禾丰社区.pdf": {"<索引号>": "<sha256>", …}, …}``. A
manifest from before the digests (lists of 索引号) has no digests: its files are dropped.
"""
from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from typing import Any

from gkpub.content.config import SiteConfig
from gkpub.content.model import Item, Site
from gkpub.outputs.print.render import body_html, safe_filename
from gkpub.store.staging import StagedOutput, write_atomic

MANIFEST = "manifest.json"
BOARDS = "boards/"
# Files of `gkpub print boards` that describe every poster of the folder.
BOARD_INDEXES = ("boards/index.html", "boards/index.json")

Shown = dict[str, str]  # 索引号 → digest of the item as printed


def print_root(out_dir: Path) -> Path:
    return out_dir / "print"


def printed_text(item: Item, cfg: SiteConfig) -> dict[str, Any]:
    """Everything of ``item`` a printed kind may show: the head (title, body, dates, 文号,
    contacts, the QR code's address), the body as print renders it (tables included) and
    the 摘要 a board shows instead, and the disclosure attribute it was printed under."""
    org, period = item.org, item.el.get("公示期")
    return {
        "索引号": item.index_no, "标题": item.title, "网址": cfg.url(item.url),
        "公开主体": org.name, "电话": org.phone, "地址": org.address,
        "监督电话": org.supervision_phone, "发布日期": item.published.isoformat(),
        "文号": item.doc_no,
        "公示期": [period["开始"].isoformat(), period["结束"].isoformat()] if period else None,
        "正文": str(body_html(item, cfg)), "摘要": item.el.get("摘要"),
        "公开属性": item.el.get("公开属性"), "删减说明": item.el.get("删减说明"),
    }


def item_digest(item: Item, cfg: SiteConfig) -> str:
    text = json.dumps(printed_text(item, cfg), ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def read_manifest(out_dir: Path) -> dict[str, Shown]:
    path = print_root(out_dir) / MANIFEST
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    out: dict[str, Shown] = {}
    for rel, shown in data.items():
        if isinstance(shown, dict):
            out[str(rel)] = {str(k): str(v) for k, v in shown.items()}
        elif isinstance(shown, list):  # an older manifest: 索引号 without digests
            out[str(rel)] = {str(k): "" for k in shown}
    return out


def _dump(manifest: dict[str, Shown]) -> str:
    return json.dumps(dict(sorted(manifest.items())), ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def record(out_dir: Path, site: Site, files: dict[str, list[str]],
           replace_prefix: str | None = None) -> None:
    """Note the items (by 索引号, from ``site.published``) shown by each file, paths relative
    to print/, with the digest of each as printed; a prefix drops older entries under it."""
    published = {i.index_no: i for i in site.published}
    manifest = read_manifest(out_dir)
    if replace_prefix is not None:
        manifest = {k: v for k, v in manifest.items() if not k.startswith(replace_prefix)}
    for rel, shown in files.items():
        manifest[rel] = {no: item_digest(published[no], site.config) for no in shown}
    write_atomic(print_root(out_dir) / MANIFEST, _dump(manifest).encode("utf-8"))


def _stale(shown: Shown, current: Shown) -> tuple[bool, bool]:
    """(an item is no longer published, an item prints differently)."""
    withdrawn = any(no not in current for no in shown)
    changed = any(no in current and current[no] != digest for no, digest in shown.items())
    return withdrawn, changed


def reprint_advice(rel: str, shown: Shown, site: Site, withdrawn: bool) -> str:
    """The warning for a dropped file: what it was, why it went, the command to print it again."""
    why = "上有已不再公开的信息" if withdrawn else "内容已变化"
    path = f"print/{rel}"
    if rel in BOARD_INDEXES:
        return f"公开栏海报索引（{path}）中的海报已变化，已删除，请重新打印全部公开栏：gkpub print boards"
    if rel.startswith(BOARDS):
        from gkpub.outputs.print.board import boards
        name = next((b.name for b in boards(site.config) if BOARDS + b.file_name == rel), "")
        if name:
            return f"公开栏「{name}」的海报（{path}）{why}，已删除，请重新打印：gkpub print board {name}"
        return f"公开栏海报 {path} {why}，已删除；该公开栏已不在 site.toml 中"
    if rel.startswith("notices/") and len(shown) == 1:
        no = next(iter(shown))
        if withdrawn:
            return f"公示 {path}（索引号 {no}）所示信息已不再公开，已删除"
        return f"公示 {path} {why}，已删除，请重新打印：gkpub print notice {no}"
    if rel == "handbook.pdf":
        return f"办事一本通（{path}）{why}，已删除，请重新打印：gkpub print handbook"
    domain = next((d.name for d in site.catalog.domains
                   if rel == f"handbook-{safe_filename(d.slug)}.pdf"), "")
    if domain:
        return (f"{domain}办事一本通（{path}）{why}，已删除，"
                f"请重新打印：gkpub print handbook --domain {domain}")
    return f"打印件 {path} {why}，已删除；请用 gkpub print 重新打印"


def carry_over(out: StagedOutput, out_dir: Path, site: Site) -> list[str]:
    """Copy still-true printed files into the staged build; warn about the dropped ones and
    return them (paths under print/), with the manifest itself when nothing is left to keep."""
    root = print_root(out_dir)
    if not root.is_dir():
        return []
    manifest = read_manifest(out_dir)
    wanted = {no for shown in manifest.values() for no in shown}
    current = {i.index_no: item_digest(i, site.config) for i in site.published if i.index_no in wanted}
    kept: dict[str, Shown] = {}
    dropped: dict[str, str] = {}
    for rel, shown in sorted(manifest.items()):
        if not (root / rel).is_file():
            continue
        withdrawn, changed = _stale(shown, current)
        if withdrawn or changed:
            dropped[rel] = reprint_advice(rel, shown, site, withdrawn)
        else:
            kept[rel] = shown
    if any(rel.startswith(BOARDS) for rel in dropped):  # the index lists every poster
        for rel in BOARD_INDEXES:
            if kept.pop(rel, None) is not None:
                dropped[rel] = reprint_advice(rel, {}, site, False)
    for rel in kept:
        out.copy_file(root / rel, f"print/{rel}")
    if kept:
        out.write_text(f"print/{MANIFEST}", _dump(kept))
    for advice in dropped.values():
        print(f"警告：{advice}", file=sys.stderr)
    return sorted(dropped) + ([] if kept else [MANIFEST])
