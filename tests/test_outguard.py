"""`--out` is guarded: never the site's sources, the site itself, a folder above it, or a
non-empty folder gkpub did not make (exit 2, one line in Chinese, nothing touched)."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import TODAY, item_text, run, write_item

from gkpub.store.outguard import OUTPUT_MARKER, marker_bytes


def build(site: Path, *extra: str) -> int:
    return run("build", "--site", str(site), "--today", TODAY.isoformat(), "--no-search", *extra)


def sources(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def refused(capsys, *args: str) -> str:
    """The command exits 2 with one line on stderr, no traceback; returns that line."""
    capsys.readouterr()
    assert run(*args) == 2
    captured = capsys.readouterr()
    err = captured.err.strip()
    assert "Traceback" not in err and err.count("\n") == 0 and err.startswith("gkpub: "), err
    assert "已生成" not in captured.out
    return err


@pytest.fixture
def site(mini_site: Path) -> Path:
    (mini_site / "layouts" / "assets").mkdir(parents=True)
    (mini_site / "layouts" / "assets" / "site.css").write_text("body{}\n", encoding="utf-8")
    (mini_site / "print").mkdir()
    return mini_site


@pytest.mark.parametrize("out, words", [
    ("content", "内容目录"),
    ("content/items/yanglao", "内容目录"),
    (".", "就是站点目录"),
    ("..", "上级"),
    ("layouts/x", "网页模板目录"),
    ("layouts", "网页模板目录"),
    ("print/boards", "打印模板目录"),
    (".cache/gkpub/out", "缓存目录"),
])
def test_out_in_or_above_the_site_is_refused(site: Path, capsys, out: str, words: str) -> None:
    before = sources(site)
    err = refused(capsys, "build", "--site", str(site), "--out", str(site / out), "--today", TODAY.isoformat(),
                  "--no-search")
    assert words in err and "--out" in err, err
    assert sources(site) == before  # not one source file touched, nothing added


def test_site_sources_via_a_symlink_are_refused(site: Path, tmp_path: Path, capsys) -> None:
    link = tmp_path / "looks-harmless"
    link.symlink_to(site / "content")
    assert "内容目录" in refused(capsys, "build", "--site", str(site), "--out", str(link), "--no-search")
    assert (site / "content/items/yanglao/policy.md").is_file()


def test_cache_inside_the_output_is_refused(site: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "out"
    err = refused(capsys, "build", "--site", str(site), "--out", str(out), "--cache", str(out / "cache"),
                  "--no-search")
    assert "缓存目录" in err
    assert not out.exists()


def test_foreign_folder_is_refused_and_kept(site: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "photos"
    out.mkdir()
    (out / "家庭合影.jpg").write_bytes(b"\xff\xd8 not really a photo")
    err = refused(capsys, "build", "--site", str(site), "--out", str(out), "--no-search")
    assert OUTPUT_MARKER in err and "不是空目录" in err and "另选" in err, err
    assert sorted(p.name for p in out.iterdir()) == ["家庭合影.jpg"]
    assert (out / "家庭合影.jpg").read_bytes() == b"\xff\xd8 not really a photo"
    assert not list(tmp_path.glob(".photos*"))  # no staging folder left beside it either


def test_output_that_is_a_file_is_refused(site: Path, tmp_path: Path, capsys) -> None:
    target = tmp_path / "notes.txt"
    target.write_text("keep me", encoding="utf-8")
    assert "不是目录" in refused(capsys, "build", "--site", str(site), "--out", str(target), "--no-search")
    assert target.read_text(encoding="utf-8") == "keep me"


def test_empty_or_missing_folder_is_fine_and_gets_the_marker(site: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    for out in (empty, tmp_path / "new" / "public"):
        assert build(site, "--out", str(out)) == 0
        assert (out / OUTPUT_MARKER).read_bytes() == marker_bytes(False)
        assert (out / "index.html").is_file()
        assert build(site, "--out", str(out)) == 0  # gkpub's own folder: built again
        assert build(site, "--out", str(out), "--clean") == 0
        assert (out / OUTPUT_MARKER).is_file()


def test_default_output_is_public(site: Path) -> None:
    assert build(site) == 0
    assert (site / "public" / OUTPUT_MARKER).is_file()


def test_output_of_an_older_gkpub_is_accepted_by_its_manifest(site: Path, tmp_path: Path, capsys) -> None:
    """public/ from before the marker: the cache's manifest of a build into it proves it is gkpub's."""
    out, cache = tmp_path / "public", tmp_path / "cache"
    assert build(site, "--out", str(out), "--cache", str(cache)) == 0
    (out / OUTPUT_MARKER).unlink()
    assert list(cache.glob("output-*.pickle"))  # the record an older gkpub kept too
    other_cache = tmp_path / "other-cache"
    assert OUTPUT_MARKER in refused(capsys, "build", "--site", str(site), "--out", str(out),
                                    "--cache", str(other_cache), "--no-search")
    assert build(site, "--out", str(out), "--cache", str(cache)) == 0
    assert build(site, "--out", str(out), "--cache", str(cache), "--clean") == 0
    assert (out / OUTPUT_MARKER).read_bytes() == marker_bytes(False)


def test_serve_and_print_are_guarded_too(site: Path, tmp_path: Path, capsys) -> None:
    before = sources(site)
    assert "内容目录" in refused(capsys, "serve", "--site", str(site), "--out", str(site / "content"),
                                "--port", "0")
    assert "就是站点目录" in refused(capsys, "print", "boards", "--site", str(site), "--out", str(site))
    foreign = tmp_path / "docs"
    foreign.mkdir()
    (foreign / "readme.txt").write_text("x", encoding="utf-8")
    assert OUTPUT_MARKER in refused(capsys, "print", "notice", "11530000MB00000025/2026-00001",
                                    "--site", str(site), "--out", str(foreign))
    assert sources(site) == before and [p.name for p in foreign.iterdir()] == ["readme.txt"]


def test_print_marks_a_new_output_folder(site: Path, tmp_path: Path) -> None:
    """Posters printed before the first build: the folder is gkpub's and a build may replace it."""
    out = tmp_path / "public"
    write_item(site, "list.md", item_text(标题="高龄津贴发放名单公示", 索引号="11530000MB00000025/2026-00002",
                                          目录="养老服务/高龄津贴/发放名单",
                                          公示期="{开始: 2026-03-05, 结束: 2026-03-12}"))
    assert run("print", "notice", "11530000MB00000025/2026-00002", "--site", str(site), "--out", str(out),
               "--today", TODAY.isoformat()) == 0
    assert list((out / "print").rglob("*.pdf"))
    assert (out / OUTPUT_MARKER).read_bytes() == marker_bytes(False)
    assert build(site, "--out", str(out)) == 0
    assert (out / "index.html").is_file()


def test_messages_name_the_default(site: Path, capsys) -> None:
    err = refused(capsys, "build", "--site", str(site), "--out", str(site / "content"), "--no-search")
    assert str(site.resolve() / "public") in err
    shutil.rmtree(site / "print")  # a missing print/ is still the site's
    assert "打印模板目录" in refused(capsys, "build", "--site", str(site), "--out", str(site / "print"))
