"""Which items each printed file under ``public/print/`` shows, so a web build can keep them.

`gkpub build` replaces the whole output folder. It carries printed files over only
while every item they show is still published: a poster whose item has since been
held back (依申请公开, 不予公开, back to 草稿) is dropped, never served.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from .model import Site
from .output import StagedOutput, write_atomic

MANIFEST = "manifest.json"


def print_root(out_dir: Path) -> Path:
    return out_dir / "print"


def read_manifest(out_dir: Path) -> dict[str, list[str]]:
    path = print_root(out_dir) / MANIFEST
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): [str(i) for i in v] for k, v in data.items() if isinstance(v, list)}


def record(out_dir: Path, files: dict[str, list[str]], replace_prefix: str | None = None) -> None:
    """Note the 索引号 shown by each file (paths relative to print/); a prefix drops old entries."""
    manifest = read_manifest(out_dir)
    if replace_prefix is not None:
        manifest = {k: v for k, v in manifest.items() if not k.startswith(replace_prefix)}
    manifest.update(files)
    text = json.dumps(dict(sorted(manifest.items())), ensure_ascii=False, indent=1) + "\n"
    write_atomic(print_root(out_dir) / MANIFEST, text.encode("utf-8"))


def carry_over(out: StagedOutput, out_dir: Path, site: Site) -> list[str]:
    """Copy still-valid printed files into the staged build; return the dropped ones."""
    root = print_root(out_dir)
    if not root.is_dir():
        return []
    manifest = read_manifest(out_dir)
    published = {i.index_no for i in site.published}
    kept: dict[str, list[str]] = {}
    dropped: list[str] = []
    for rel, shown in sorted(manifest.items()):
        src = root / rel
        if not src.is_file():
            continue
        if set(shown) <= published:
            out.copy_file(src, f"print/{rel}")
            kept[rel] = shown
        else:
            dropped.append(rel)
    if kept:
        out.write_text(f"print/{MANIFEST}", json.dumps(kept, ensure_ascii=False, indent=1) + "\n")
    for rel in dropped:
        print(f"提示：打印件 print/{rel} 含有已不再公开的信息，已从网站输出中移除；请重新运行 gkpub print",
              file=sys.stderr)
    return dropped
