"""Caches are keyed by the bytes of a file, never by its size and mtime; --clean ignores them all.

The attack: an item goes 主动公开 → 不予公开 (the same number of bytes in UTF-8) and its mtime is
put back, as a coarse-timestamp file system, an mtime-preserving copy or a checkout can do.
"""
from __future__ import annotations

import io
import os
import shutil
import zipfile
from pathlib import Path

import pytest
from conftest import TODAY, item_text, run, tree_digest, write_item

from gkpub.content.items import _fingerprint
from gkpub.content.model import Attachment
from gkpub.content.prepare import PrepareCache, prepare_all

TITLE = "撤回测试用的高龄津贴发放名单"
INDEX = "11530000MB00000025/2026-00007"


def texts(out: Path) -> dict[str, str]:
    """Every output file as text; zip members (xlsx) decompressed, so nothing hides in them."""
    found: dict[str, str] = {}
    for path in sorted(out.rglob("*")):
        if not path.is_file():
            continue
        rel = path.relative_to(out).as_posix()
        data = path.read_bytes()
        if data[:2] == b"PK":
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                for name in z.namelist():
                    found[f"{rel}!{name}"] = z.read(name).decode("utf-8", "replace")
        else:
            found[rel] = data.decode("utf-8", "replace")
    return found


def leaks(out: Path) -> list[str]:
    return [rel for rel, text in texts(out).items() if TITLE in text or INDEX in text]


def withdraw_keeping_size_and_mtime(path: Path) -> None:
    st = path.stat()
    data = path.read_bytes()
    new = data.replace("公开属性: 主动公开".encode(), "公开属性: 不予公开".encode())
    assert new != data and len(new) == len(data)
    path.write_bytes(new)
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns) == (st.st_size, st.st_mtime_ns)


@pytest.fixture
def site(mini_site: Path) -> Path:
    write_item(mini_site, "list.md", item_text(
        标题=TITLE, 索引号=INDEX, 目录="养老服务/高龄津贴/发放名单", 公开属性="主动公开",
        成文日期="2026-04-01", 发布日期="2026-04-03"))
    return mini_site


def build(site: Path, out: Path, *extra: str) -> None:
    assert run("build", "--site", str(site), "--out", str(out), "--today", TODAY.isoformat(),
               "--no-search", *extra) == 0


@pytest.mark.parametrize("clean", [False, True], ids=["incremental", "clean"])
def test_withdrawal_with_same_size_and_mtime_is_honoured(site: Path, tmp_path: Path, clean: bool) -> None:
    out = tmp_path / "out"
    build(site, out)
    page = out / "xxgk" / INDEX / "index.html"
    assert page.is_file() and leaks(out)  # published: page, listings, items.json, sitemap …
    assert {"data/items.json", "sitemap.xml"} <= set(leaks(out))

    withdraw_keeping_size_and_mtime(site / "content/items/yanglao/list.md")
    build(site, out, *(["--clean"] if clean else []))
    assert not page.exists()
    assert leaks(out) == []
    # and the result is what a build without any cache makes
    fresh = tmp_path / "fresh"
    build(site, fresh, "--cache", str(tmp_path / "fresh-cache"))
    assert tree_digest(out) == tree_digest(fresh)
    build(site, out)  # a later cached build keeps it withdrawn
    assert leaks(out) == []


def test_clean_ignores_the_stored_prepare_cache(site: Path, tmp_path: Path) -> None:
    """--clean must not even read the cache: a cache that lies is overruled, then replaced."""
    out, cache = tmp_path / "out", tmp_path / "cache"
    build(site, out, "--cache", str(cache))
    stored = cache / "prepared.pickle"
    assert stored.is_file()
    shutil.copy(stored, tmp_path / "stale.pickle")
    withdraw_keeping_size_and_mtime(site / "content/items/yanglao/list.md")
    build(site, out, "--cache", str(cache), "--clean")
    assert leaks(out) == []
    assert stored.read_bytes() != (tmp_path / "stale.pickle").read_bytes()  # refilled from the files


def test_cache_hit_needs_the_same_bytes(site: Path, tmp_path: Path) -> None:
    path = site / "content/items/yanglao/list.md"
    allow: tuple[str, ...] = ()
    cache = PrepareCache(tmp_path / "c", allow)
    first = prepare_all([str(path)], allow, cache)[0]
    cache.save()
    again = PrepareCache(tmp_path / "c", allow)
    assert prepare_all([str(path)], allow, again)[0].digest == first.digest and not again.dirty
    withdraw_keeping_size_and_mtime(path)
    now = prepare_all([str(path)], allow, again)[0]
    assert now.digest != first.digest and now.doc is not None
    assert now.doc.meta["公开属性"] == "不予公开" and again.dirty
    clean = PrepareCache(tmp_path / "c", allow, clean=True)
    assert clean.entries == {} and clean.dirty


def test_attachment_fingerprint_follows_bytes(tmp_path: Path) -> None:
    src = tmp_path / "form.pdf"
    src.write_bytes(b"%PDF-1.4 first")
    att = [Attachment(name="申请表", source=src, rel="files/form.pdf")]
    before = _fingerprint("d", att)
    st = src.stat()
    src.write_bytes(b"%PDF-1.4 other")
    os.utime(src, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert _fingerprint("d", att) != before
    src.unlink()
    assert _fingerprint("d", att) not in (before, "d")  # a missing file is a change, not a crash
