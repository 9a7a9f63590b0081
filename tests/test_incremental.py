"""Incremental builds give the same bytes as a clean build, after any sequence of edits."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import REPO, TODAY, run, tree_digest

ITEM = "content/items/yanglao/2026-09-gaoling-mingdan-hefeng.md"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    dst = tmp_path / "site"
    shutil.copytree(REPO / "content", dst / "content")
    shutil.copy(REPO / "site.toml", dst / "site.toml")
    shutil.copytree(REPO / "gkpub" / "theme" / "layouts", dst / "layouts")
    shutil.copy(REPO / "layouts" / "assets" / "dzjg.svg", dst / "layouts" / "assets")  # site.toml party_mark
    return dst


def build(site: Path, out: Path, *extra: str) -> str:
    code = run("build", "--site", str(site), "--out", str(out), "--today", TODAY.isoformat(),
               "--no-search", *extra)
    assert code == 0
    return ""


def assert_same_as_clean(site: Path, tmp_path: Path, capsys) -> str:
    capsys.readouterr()
    build(site, site / "public")
    message = capsys.readouterr().out
    clean = tmp_path / "clean"
    shutil.rmtree(clean, ignore_errors=True)
    build(site, clean, "--clean", "--cache", str(tmp_path / "clean-cache"))
    assert tree_digest(site / "public") == tree_digest(clean)
    return message


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_sequence_of_edits_matches_clean_build(site: Path, tmp_path: Path, capsys) -> None:
    build(site, site / "public")
    item = site / ITEM

    edit(item, "\n---\n", "\n---\n新增的一句说明。\n\n")  # body edit
    msg = assert_same_as_clean(site, tmp_path, capsys)
    assert "更新 1 个" in msg, msg  # only the item page: lists show titles, not bodies

    edit(item, "标题: ", "标题: （更正）")  # title edit: item page and every listing showing it
    msg = assert_same_as_clean(site, tmp_path, capsys)
    assert "更新" in msg and "更新 0 个" not in msg

    new = site / "content/items/yanglao/new-item.md"
    new.write_text(item.read_text(encoding="utf-8").replace("2026-00", "2026-09", 1), encoding="utf-8")
    assert_same_as_clean(site, tmp_path, capsys)  # addition

    new.rename(site / "content/items/yanglao/renamed.md")  # rename: same 索引号, same page
    assert_same_as_clean(site, tmp_path, capsys)

    (site / "content/items/yanglao/renamed.md").unlink()  # deletion: its page disappears
    msg = assert_same_as_clean(site, tmp_path, capsys)
    assert "删除 1 个" in msg, msg

    edit(site / "layouts/item.html", "<h2 id=\"att-h\">附件</h2>", "<h2 id=\"att-h\">附件下载</h2>")
    assert_same_as_clean(site, tmp_path, capsys)  # template edit: item pages only

    edit(site / "site.toml", 'phone = "0871-65110000"', 'phone = "0871-65110001"')
    assert_same_as_clean(site, tmp_path, capsys)  # configuration: everything

    cat = site / "content/catalog/yanglao.yaml"
    edit(cat, "说明: ", "说明: 目录说明已修改。")
    assert_same_as_clean(site, tmp_path, capsys)


def test_template_edit_rerenders_only_its_pages(site: Path, tmp_path: Path, capsys) -> None:
    build(site, site / "public")
    capsys.readouterr()
    edit(site / "layouts/org.html", "<h2>公开信息</h2>", "<h2>本机关公开的信息</h2>")
    build(site, site / "public")
    out = capsys.readouterr().out
    n_org_pages = len(list((site / "public/org").rglob("index.html"))) - 1  # minus the org index
    assert f"更新 {n_org_pages} 个" in out, out


def test_unchanged_rebuild_renders_nothing(site: Path, capsys) -> None:
    build(site, site / "public")
    capsys.readouterr()
    build(site, site / "public")
    assert "更新 0 个、删除 0 个页面" in capsys.readouterr().out


def test_content_error_in_incremental_build_leaves_output(site: Path, capsys) -> None:
    build(site, site / "public")
    before = tree_digest(site / "public")
    edit(site / ITEM, "过程", "过 程") if "过程" in (site / ITEM).read_text(encoding="utf-8") else \
        edit(site / ITEM, "标题:", "标 题:")
    assert run("build", "--site", str(site), "--out", str(site / "public"), "--today", TODAY.isoformat(),
               "--no-search") == 1
    assert tree_digest(site / "public") == before


def test_site_layouts_override_only_what_they_bring(mini_site: Path, tmp_path: Path) -> None:
    own = mini_site / "layouts"
    (own / "assets").mkdir(parents=True)
    (own / "404.html").write_text('{% extends "base.html" %}{% block title %}找不到{% endblock %}'
                                  '{% block content %}<h1>本站自定义的404页面</h1>{% endblock %}', encoding="utf-8")
    (own / "assets" / "extra.css").write_text("body{}", encoding="utf-8")
    out = tmp_path / "out"
    assert run("build", "--site", str(mini_site), "--out", str(out), "--today", TODAY.isoformat(),
               "--no-search") == 0
    assert "本站自定义的404页面" in (out / "404.html").read_text(encoding="utf-8")
    assert (out / "assets" / "extra.css").is_file() and (out / "assets" / "style.css").is_file()
    assert (out / "index.html").is_file()  # the engine's templates fill in the rest


def test_compiled_templates_are_kept_for_this_engine_only(site: Path, tmp_path: Path, capsys) -> None:
    """The cache keeps the theme compiled (for this engine, Jinja and site path); a template edited
    after that shows, a new site path shows on every link (Jinja folds `"/x/" | u` when it
    compiles), both as in a clean build; another engine's folder is removed."""
    templates = site / ".cache/gkpub/templates"
    stale = templates / "0123456789abcdef-jinja-0.0"
    stale.mkdir(parents=True)
    (stale / "__jinja2_x.cache").write_bytes(b"not bytecode")
    (templates / "stray-file").write_bytes(b"")
    build(site, site / "public")
    (engine,) = templates.iterdir()
    (compiled,) = engine.iterdir()
    assert engine != stale and len(list(compiled.glob("__jinja2_*.cache"))) >= 10
    edit(site / "layouts/base.html", "</footer>", "<p>页脚新增的一行</p></footer>")
    assert_same_as_clean(site, tmp_path, capsys)
    assert "页脚新增的一行" in (site / "public/index.html").read_text(encoding="utf-8")
    edit(site / "site.toml", 'base_url = "https://www.qinghe.example.gov.cn/"',
         'base_url = "https://www.qinghe.example.gov.cn/zwgk/"')
    assert_same_as_clean(site, tmp_path, capsys)
    home = (site / "public/index.html").read_text(encoding="utf-8")
    assert 'href="/zwgk/assets/' in home and 'href="/assets/' not in home
    assert len(list(engine.iterdir())) == 2  # one folder per site path
